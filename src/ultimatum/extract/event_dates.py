"""Event dates (codebook section 6): date expressions in a sentence,
resolved against the article's publication date."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Token

from ultimatum.ingest.pubdates import DATE_PATTERNS, MONTH, MONTHS, WEEKDAYS, parse_date
from ultimatum.nlp.parsetree import tree_distance as _tree_distance
from ultimatum.schema import CRISIS_START

_DAY_MONTH = re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{MONTH})(?![\w-])", re.I)
_MONTH_DAY = re.compile(rf"\b(?P<month>{MONTH})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?!\s*(?:,\s*)?\d{{4}})", re.I)
_MID_MONTH = re.compile(rf"\bmid-?\s?(?P<month>{MONTH})(?![\w-])", re.I)
_WEEKDAY_RE = re.compile(r"\b(?P<last>last\s+)?(?P<day>(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b", re.I)
_RELATIVE = (
    (re.compile(r"\b(?:yesterday|the\s+previous\s+day|the\s+day\s+before)\b", re.I), 1),
    (re.compile(r"\btoday\b", re.I), 0),
    (re.compile(r"\b(?:last\s+week|a\s+week\s+ago|the\s+previous\s+week)(?:['’]s)?", re.I), "last_week"),
    (re.compile(r"\blast\s+weeks\b", re.I), "last_week"),
    (re.compile(r"\b(?:earlier\s+this\s+week|this\s+week)(?:['’]s)?", re.I), "this_week"),
)
_MONTH_ONLY = re.compile(rf"\b(?:in|since|by|until|during|early|late)\s+(?:early\s+|late\s+)?(?P<month>{MONTH})(?:\s+(?P<year>(?:19|20)\d{{2}}))?(?![\w-])", re.I)
_DECADE = re.compile(r"\b(?:in|since|during)\s+the\s+(?P<decade>(?:19|20)\d0)s\b", re.I)
_DAYS_AGO = re.compile(r"\b(?P<n>two|three|four|five|six|\d)\s+days\s+ago\b", re.I)
_YEAR_MENTION = re.compile(r"\b(?:in|since|by|until|of)\s+(?:early\s+|late\s+|mid-)?(?P<year>(?:19|20)\d{2})\b", re.I)
#: Something every event-date pattern above contains: a digit, the start of
#: a month's name, "day" (weekdays, yesterday, today, days ago) or "week".
_DATE_WORD = re.compile(r"\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|day|week", re.I)
_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
#: An act dated up to this many days before its article's publication is the
#: article's own news, also in an article older than the crisis.
NEWS_DAYS = 31


@dataclass(frozen=True)
class DateMention:
    """A date expression in a sentence: character span, resolved date, and
    ``source`` (``explicit`` or ``relative``); ``year_only`` marks "in 2008"
    and ``month_only`` "in December": their date (the first day) places the
    act before or inside the crisis, but is not a day the text gives, so it
    never becomes an event date."""
    start: int
    end: int
    date: dt.date | None
    source: str
    text: str
    year_only: bool = False
    month_only: bool = False


def _month_number(text: str) -> int:
    return MONTHS[text.lower()[:3]]


def infer_year(month: int, day: int, published: dt.date, slack_days: int = 3) -> dt.date | None:
    """A day and month without a year, placed in the year that puts it on or
    before ``published`` (give or take ``slack_days`` for announced events)."""
    for year in (published.year, published.year - 1):
        try:
            date = dt.date(year, month, day)
        except ValueError:
            continue  # 29 February: the year before may be a leap year
        if date <= published + dt.timedelta(days=slack_days):
            # within the year before publication; an older 29 February is no news
            return date if (published - date).days < 366 + slack_days else None
    return None


def weekday_before(weekday: str, published: dt.date, strictly: bool = False) -> dt.date:
    """The most recent ``weekday`` on or before ``published`` (the publication
    day itself when it is that weekday, unless ``strictly``)."""
    target = WEEKDAYS.index(weekday.lower())
    back = (published.weekday() - target) % 7
    if back == 0 and strictly:
        back = 7
    return published - dt.timedelta(days=back)


def week_start(published: dt.date, weeks_back: int = 0) -> dt.date:
    """The Monday of the publication week ("this week", "earlier this week"),
    or of an earlier week ("last week": ``weeks_back=1``)."""
    return published - dt.timedelta(days=published.weekday() + 7 * weeks_back)


def event_date_mentions(text: str, published: dt.date | None) -> list[DateMention]:
    """Date expressions of a sentence, resolved against the publication date:
    explicit dates ("16 December 2021", "on 7 December", "December 7",
    "mid-December") and relative ones ("on Monday", "last week", "earlier this
    week", "yesterday", "the previous day"); plus bare years ("in 2008") marked
    ``year_only`` so that pre-crisis background can be recognised."""
    if not _DATE_WORD.search(text):  # no pattern below can match
        return []
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def add(m: re.Match, date: dt.date | None, source: str, year_only: bool = False, month_only: bool = False) -> None:
        if any(a < m.end() and m.start() < b for a, b in taken):
            return
        taken.append((m.start(), m.end()))
        found.append(DateMention(m.start(), m.end(), date, source, m.group(0), year_only, month_only))

    for pattern in DATE_PATTERNS[:3]:
        for m in pattern.finditer(text):
            add(m, parse_date(m.group(0)), "explicit")
    for m in _MONTH_ONLY.finditer(text):
        if m.group("year"):
            add(m, dt.date(int(m.group("year")), _month_number(m.group("month")), 1), "explicit", month_only=True)
    for m in _YEAR_MENTION.finditer(text):
        add(m, dt.date(int(m.group("year")), 1, 1), "explicit", year_only=True)
    if published is None:
        return sorted(found, key=lambda d: d.start)
    for pattern in (_DAY_MONTH, _MONTH_DAY):
        for m in pattern.finditer(text):
            add(m, infer_year(_month_number(m.group("month")), int(m.group("day")), published), "explicit")
    for m in _MID_MONTH.finditer(text):
        add(m, infer_year(_month_number(m.group("month")), 15, published, slack_days=0), "explicit")
    for m in _WEEKDAY_RE.finditer(text):
        add(m, weekday_before(m.group("day"), published, strictly=bool(m.group("last"))), "relative")
    for pattern, days in _RELATIVE:
        for m in pattern.finditer(text):
            if days == "this_week":
                date = week_start(published)
            elif days == "last_week":
                date = week_start(published, 1)
            else:
                date = published - dt.timedelta(days=int(days))
            add(m, date, "relative")
    for m in _MONTH_ONLY.finditer(text):
        month = _month_number(m.group("month"))
        if m.group("year"):
            add(m, dt.date(int(m.group("year")), month, 1), "explicit", month_only=True)
        else:
            add(m, infer_year(month, 1, published, slack_days=0), "explicit", month_only=True)
    for m in _DECADE.finditer(text):
        add(m, dt.date(int(m.group("decade")), 1, 1), "explicit", year_only=True)
    for m in _DAYS_AGO.finditer(text):
        n = _NUMBERS.get(m.group("n").lower()) or int(m.group("n"))
        add(m, published - dt.timedelta(days=n), "relative")
    return sorted(found, key=lambda d: d.start)


def _mention_roots(doc: Sequence[Token], mentions: list[DateMention]) -> list[tuple[DateMention, Token]]:
    out = []
    for m in mentions:
        toks = [t for t in doc if m.start <= t.idx < m.end]
        if not toks:
            continue
        inside = {t.i for t in toks}
        root = next((t for t in toks if t.head.i not in inside or t.head == t), toks[0])
        out.append((m, root))
    return out


def background_before(published: str) -> dt.date:
    """Acts dated before this day are background, not events (codebook
    section 3): the crisis start, for an article published on or after it
    (or undated). An article published before the crisis lies outside the
    study window as a whole: what it dates within :data:`NEWS_DAYS` of its
    publication is its news, the demand and the answer to it alike, and only
    what it dates earlier ("in 2008") is background."""
    day = _published_date(published)
    if day is None or day >= CRISIS_START:
        return CRISIS_START
    return day - dt.timedelta(days=NEWS_DAYS)


def publication_date(published: str) -> tuple[str, str]:
    """(date, source) of an event the sentence does not date: the article's
    publication date, or nothing at all for an undated article."""
    return (published, "published") if published else ("", "")


def _event_date(tok: Token, roots: list[tuple[DateMention, Token]], published: str) -> tuple[str, str, str]:
    best = None
    before = background_before(published)
    for mention, root in roots:
        if mention.date is None or mention.year_only or mention.month_only or mention.date < before:
            continue
        dist = _tree_distance(tok, root)
        key = (dist, abs(root.i - tok.i))
        if dist <= 6 and (best is None or key < best[0]):
            best = (key, mention)
    if best is None:
        return (*publication_date(published), "")
    mention = best[1]
    assert mention.date is not None  # mentions without a date were skipped above
    return mention.date.isoformat(), mention.source, mention.text


def _published_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None
