"""Dates: an article's publication date (codebook section 6) and parsing of
date strings. Relative event dates are resolved in :mod:`ultimatum.extract`
against the publication date found here."""
from __future__ import annotations

import datetime as dt
import re
from typing import Iterable

import dateparser

_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"

#: Date expressions with a year, as they appear in headers, datelines and URLs.
DATE_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(rf"\b(?:{_WEEKDAY},?\s+)?{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b", re.I),
    re.compile(rf"\b(?:{_WEEKDAY},?\s+)?\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+\d{{4}}\b", re.I),
    re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
    re.compile(r"(?<!\d)(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?!\d)"),
)
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](0[1-9]|1[0-2])[/-](0[1-9]|[12]\d|3[01])(?:/|-|$)")
_DATELINE = re.compile(
    r"^\s*[A-Z][A-Z .'-]{2,40}(?:,\s*[A-Z][a-z]+)?\s*(?:,\s*(?P<date>[^()\u2013\u2014-]{4,30}?))?\s*"
    r"(?:\((?P<agency>[A-Za-z .]{2,30})\))?\s*[\u2013\u2014-]{1,2}\s+\S")

_PARSER_SETTINGS = {"PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False,
                    "REQUIRE_PARTS": ["day", "month", "year"]}


def parse_date(text: str) -> dt.date | None:
    """Parse one explicit date string ("December 11, 2021", "20211217")."""
    text = text.strip().rstrip(".,")
    if re.fullmatch(r"\d{8}", text):
        try:
            return dt.datetime.strptime(text, "%Y%m%d").date()
        except ValueError:
            return None
    parsed = dateparser.parse(text, languages=["en"], settings=_PARSER_SETTINGS)
    return parsed.date() if parsed else None


def find_dates(text: str) -> list[tuple[int, dt.date]]:
    """Every explicit dated expression in ``text`` as (offset, date), in order."""
    found: dict[int, dt.date] = {}
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


def date_from_dateline(paragraph: str) -> dt.date | None:
    """The date of a wire dateline ("BRUSSELS, Feb 2, 2022 (Reuters) - ...")."""
    m = _DATELINE.match(paragraph)
    if not m or not m.group("date"):
        return None
    dates = find_dates(m.group("date"))
    return dates[0][1] if dates else None


def is_date_line(line: str, max_extra_words: int = 3) -> bool:
    """True for a header line that is essentially a date (maybe with an outlet)."""
    dates = [m for p in DATE_PATTERNS for m in p.finditer(line)]
    if not dates:
        return False
    rest = line
    for m in dates:
        rest = rest.replace(m.group(0), " ")
    return len(re.findall(r"\w+", rest)) <= max_extra_words


def publication_date(header_lines: Iterable[str], title_index: int | None,
                     body_paragraphs: list[str], url: str) -> tuple[dt.date | None, str]:
    """Find the publication date and its source (dateline, url, header).

    Header date lines after the title are preferred to those before it: a date
    above the title is typically the page's scrape or print stamp."""
    for para in body_paragraphs[:2]:
        date = date_from_dateline(para)
        if date:
            return date, "dateline"
    date = date_from_url(url)
    if date:
        return date, "url"
    candidates: list[tuple[int, dt.date]] = []
    for i, line in enumerate(header_lines):
        if is_date_line(line):
            found = find_dates(line)
            if found:
                candidates.append((i, found[0][1]))
    if candidates:
        if title_index is not None:
            after = [c for c in candidates if c[0] > title_index]
            if after:
                return after[0][1], "header"
        return candidates[0][1], "header"
    return None, ""
