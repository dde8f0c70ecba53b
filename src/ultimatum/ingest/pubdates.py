"""Dates: an article's publication date (codebook section 6) and parsing of
date strings. Relative event dates are resolved in :mod:`ultimatum.extract.events`
against the publication date found here."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from functools import lru_cache

import dateparser

MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"

#: Date expressions with a year, as they appear in headers, datelines and URLs.
DATE_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(rf"\b(?:{_WEEKDAY},?\s+)?{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b", re.I),
    re.compile(rf"\b(?:{_WEEKDAY},?\s+)?\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH},?\s+\d{{4}}\b", re.I),
    re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
    re.compile(r"(?<!\d)(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?!\d)"),
)
#: All-numeric dates ("22.02.2022", "12/12/2021"), read by :func:`numeric_date`.
_NUMERIC_DATE = re.compile(r"(?<![\d./])(\d{1,2})([./])(\d{1,2})\2((?:19|20)\d{2})(?![\d./])")
#: Clock times, time zones and words that accompany a date in a page header.
_HEADER_EXTRAS = re.compile(
    r"\b\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?(?!\w)|(?<!\w)[ap]\.?m\.?(?!\w)"
    r"|\b(?:GMT|UTC|CET|CEST|EET|EEST|EST|EDT|PST|PDT|CST|CDT|MSK|BST|ET|PT)\b"
    r"|\b(?:published|updated|posted|first|last|modified|on|at)\b", re.I)
_DIGIT = re.compile(r"\d")
#: Header words that date a revision of the page, not its publication.
_REVISION = re.compile(r"\b(?:updated?|modified|revised|edited)\b", re.I)
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](0[1-9]|1[0-2])[/-](0[1-9]|[12]\d|3[01])(?:/|-|$)")
_DATELINE = re.compile(
    r"^\s*[A-Z][A-Z .'-]{2,40}(?:,\s*[A-Z][a-z]+)?\s*(?:,\s*(?P<date>[^()/\u2013\u2014-]{4,30}?))?\s*"
    r"(?:(?:\((?P<agency>[A-Za-z .]{2,30})\))?\s*[\u2013\u2014-]{1,2}|/(?P<agency2>[A-Za-z]{2,12})/\.?)\s+\S")

_PARSER_SETTINGS = {"PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False,
                    "REQUIRE_PARTS": ["day", "month", "year"]}


@lru_cache(maxsize=8192)
def parse_date(text: str) -> dt.date | None:
    """Parse one explicit date string ("December 11, 2021", "20211217").
    Remembered: a corpus repeats the same few hundred date strings, and
    dateparser takes milliseconds per call."""
    text = text.strip().rstrip(".,")
    if re.fullmatch(r"\d{8}", text):
        try:
            return dt.datetime.strptime(text, "%Y%m%d").date()
        except ValueError:
            return None
    if not text or len(text) > 100:
        return None
    try:
        parsed = dateparser.parse(text, languages=["en"], settings=_PARSER_SETTINGS)
    except (ValueError, OverflowError, TypeError):  # dateparser on odd input
        return None
    return parsed.date() if parsed else None


def parse_manifest_date(text: str) -> dt.date | None:
    """A manifest's ``published`` value: YYYY-MM-DD, or a date with the
    month in words ("17 December 2021"). None for anything else, including
    days that do not exist (2022-02-30) and ambiguous forms (01/02/2022)."""
    text = text.strip()
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", text):
        try:
            return dt.date(*map(int, text.split("-")))
        except ValueError:
            return None
    if any(p.fullmatch(text.rstrip(".,")) for p in DATE_PATTERNS[:2]):
        return parse_date(text)
    return None


def numeric_date(first: int, second: int, year: int, separator: str) -> dt.date | None:
    """An all-numeric date: day first with dots (European usage); with slashes
    whichever of day-first and month-first is a real date, and when both are,
    the one inside the study window (None when that does not decide)."""
    def make(day: int, month: int) -> dt.date | None:
        try:
            return dt.date(year, month, day)
        except ValueError:
            return None
    if separator == ".":
        return make(first, second)
    options = {d for d in (make(first, second), make(second, first)) if d is not None}
    if len(options) == 1:
        return options.pop()
    start, end = study_window()
    inside = [d for d in options if start <= d <= end]
    return inside[0] if len(inside) == 1 else None


def find_dates(text: str) -> list[tuple[int, dt.date]]:
    """Every explicit dated expression in ``text`` as (offset, date), in order."""
    found: dict[int, dt.date] = {}
    for m in _NUMERIC_DATE.finditer(text):
        date = numeric_date(int(m.group(1)), int(m.group(3)), int(m.group(4)), m.group(2))
        if date is not None:
            found[m.start()] = date
    for pattern in DATE_PATTERNS:
        for m in pattern.finditer(text):
            if any(start <= m.start() < start + 1 for start in found):
                continue
            date = parse_date(m.group(0))
            if date is not None:
                found.setdefault(m.start(), date)
    return sorted(found.items())


def date_from_url(url: str) -> dt.date | None:
    """A /YYYY/MM/DD/ date in a URL path."""
    m = _URL_DATE.search(url or "")
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


@lru_cache(maxsize=1)
def study_window() -> tuple[dt.date, dt.date]:
    """First and last day of the period the project studies (config/study.yaml)."""
    from importlib import resources

    import yaml
    with open(str(resources.files("ultimatum") / "config" / "study.yaml"), encoding="utf-8") as fh:
        window = yaml.safe_load(fh)["window"]
    return window["start"], window["end"]


def date_in_study_window(month: int, day: int) -> dt.date | None:
    """The date with this month and day inside the study window, if exactly one."""
    start, end = study_window()
    found = []
    for year in range(start.year, end.year + 1):
        try:
            date = dt.date(year, month, day)
        except ValueError:
            continue
        if start <= date <= end:
            found.append(date)
    return found[0] if len(found) == 1 else None


_YEARLESS = re.compile(rf"^\s*(?:{_WEEKDAY},?\s+)?(?:(?P<month>{MONTH})\s+(?P<day>\d{{1,2}})"
                       rf"|(?P<day2>\d{{1,2}})\s+(?P<month2>{MONTH}))\b", re.I)


def date_from_dateline(paragraph: str) -> dt.date | None:
    """The date of a wire dateline ("BRUSSELS, Feb 2, 2022 (Reuters) - ...");
    a dateline without a year ("MOSCOW, Dec 17 (Reuters) -") takes its year
    from the study window."""
    m = _DATELINE.match(paragraph)
    if not m or not m.group("date"):
        return None
    dates = find_dates(m.group("date"))
    if dates:
        return dates[0][1]
    y = _YEARLESS.match(m.group("date"))
    if not y:
        return None
    month = y.group("month") or y.group("month2")
    day = int(y.group("day") or y.group("day2"))
    return date_in_study_window(MONTHS[month.lower()[:3]], day)


def is_date_line(line: str, max_extra_words: int = 3) -> bool:
    """True for a header line that is essentially a date (maybe with an outlet)."""
    if not _DIGIT.search(line):  # every date pattern has digits
        return False
    dates = [m for p in (*DATE_PATTERNS, _NUMERIC_DATE) for m in p.finditer(line)]
    if not dates:
        return False
    rest = line
    for m in dates:
        rest = rest.replace(m.group(0), " ")
    rest = _HEADER_EXTRAS.sub(" ", rest)
    return len(re.findall(r"\w+", rest)) <= max_extra_words


def publication_date(header_lines: Iterable[str], title_index: int | None,
                     body_paragraphs: list[str], url: str) -> tuple[dt.date | None, str]:
    """Find the publication date and its source (dateline, url, header).

    Header date lines after the title are preferred to those before it: a date
    above the title is typically the page's scrape or print stamp. A line
    that dates a revision ("Updated: ...", "Last modified ...") is taken only
    when no other header line gives a date: an update can come years later."""
    for para in body_paragraphs[:2]:
        date = date_from_dateline(para)
        if date:
            return date, "dateline"
    date = date_from_url(url)
    if date:
        return date, "url"
    candidates: list[tuple[int, dt.date]] = []
    revisions: list[tuple[int, dt.date]] = []
    for i, line in enumerate(header_lines):
        if is_date_line(line):
            found = find_dates(line)
            if found:
                (revisions if _REVISION.search(line) else candidates).append((i, found[0][1]))
    candidates = candidates or revisions  # a revision stamp only when nothing else dates the page
    if candidates:
        if title_index is not None:
            after = [c for c in candidates if c[0] > title_index]
            if after:
                return after[0][1], "header"
        return candidates[0][1], "header"
    return None, ""


#: Weekday and month names, shared with the event dates of :mod:`ultimatum.extract.event_dates`.
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = {m: i + 1 for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))}
