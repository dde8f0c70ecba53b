"""Wire datelines without a year take it from the study window."""
from __future__ import annotations

import datetime as dt

import pytest

from ultimatum.ingest.pubdates import date_from_dateline, study_window


@pytest.mark.parametrize("dateline, expected", [
    ("MOSCOW, Dec 17 (Reuters) - Russia said", dt.date(2021, 12, 17)),
    ("GENEVA, Jan 10 (Reuters) - The talks", dt.date(2022, 1, 10)),
    ("KYIV, 14 February (AFP) - Ukraine", dt.date(2022, 2, 14)),
    ("BRUSSELS, Feb. 2, 2022 (Reuters) - NATO", dt.date(2022, 2, 2)),
])
def test_dateline_dates(dateline: str, expected: dt.date) -> None:
    assert date_from_dateline(dateline) == expected


def test_yearless_date_outside_the_window_stays_unknown() -> None:
    start, end = study_window()
    assert start < end
    assert date_from_dateline("PARIS, Aug 20 (Reuters) - France") is None


def test_yearless_wire_story_is_dated_by_ingest(tmp_path) -> None:
    from ultimatum.ingest.reader import ingest
    (tmp_path / "wire.txt").write_text(
        "Russia warns NATO\n\nMOSCOW, Dec 17 (Reuters) - Russia demanded that NATO halt its expansion.\n",
        encoding="utf-8")
    row = ingest(tmp_path).articles.iloc[0]
    assert (row["published"], row["date_source"]) == ("2021-12-17", "dateline")


@pytest.mark.parametrize("line, expected", [
    ("12/12/2021 - 17:48", dt.date(2021, 12, 12)),
    ("December 17, 2021 6:02 am CET", dt.date(2021, 12, 17)),
    ("January 20, 2022 at 9:14 AM EST", dt.date(2022, 1, 20)),
    ("Published On 13 Feb 2022", dt.date(2022, 2, 13)),
    ("Updated: 03.01.2022 08:15 GMT", dt.date(2022, 1, 3)),
    ("22.02.2022", dt.date(2022, 2, 22)),
    ("2/24/2022", dt.date(2022, 2, 24)),
])
def test_header_date_lines_with_times_and_numeric_dates(line: str, expected: dt.date) -> None:
    from ultimatum.ingest.pubdates import find_dates, is_date_line
    assert is_date_line(line)
    assert find_dates(line)[0][1] == expected


def test_ambiguous_numeric_date_is_not_guessed() -> None:
    from ultimatum.ingest.pubdates import find_dates
    # 1 February or 2 January 2022: both inside the study window
    assert find_dates("01/02/2022") == []


def test_a_sentence_with_a_date_is_not_a_date_line() -> None:
    from ultimatum.ingest.pubdates import is_date_line
    assert not is_date_line("The talks on 12/12/2021 ended without any agreement between the sides")


def test_agency_dateline_with_slashes() -> None:
    assert date_from_dateline("MOSCOW, December 23. /TASS/. Russia expects answers") == dt.date(2021, 12, 23)


DATE_PHRASES = [
    "on 7 December", "December 7", "Dec. 7, 2021", "mid-December", "in early January 2022",
    "on Monday", "last Thursday", "yesterday", "the previous day", "the day before", "today",
    "last week", "a week ago", "last week's talks", "earlier this week", "three days ago",
    "4 days ago", "in 2008", "since the 1990s", "2021-12-17", "in late Feb", "by Sept",
]


def test_sentences_without_a_date_word_skip_the_patterns_and_lose_no_date(monkeypatch) -> None:
    import re
    from pathlib import Path

    from ultimatum.extract import event_dates as dates
    from ultimatum.nlp.model import sentencizer
    root = Path(__file__).resolve().parents[1]
    texts = [p.read_text(encoding="utf-8") for p in sorted((root / "data" / "raw").glob("*.txt"))]
    sentences = [s.text for t in texts for s in sentencizer()(t).sents]
    sentences += [f"Russia said {p} it would respond." for p in DATE_PHRASES]
    published = dt.date(2021, 12, 17)
    gated = [dates.event_date_mentions(s, published) for s in sentences]
    assert sum(map(bool, gated)) >= len(DATE_PHRASES)
    assert any(not dates._DATE_WORD.search(s) for s in sentences)  # the gate does skip some
    monkeypatch.setattr(dates, "_DATE_WORD", re.compile(""))  # every sentence through every pattern
    assert [dates.event_date_mentions(s, published) for s in sentences] == gated
    assert all(dates.event_date_mentions(f"Russia said {p} it would respond.", published)
               for p in DATE_PHRASES)


@pytest.mark.parametrize("header, expected", [
    ("Last updated: 14 March 2025\nPublished: 3 February 2022", "2022-02-03"),
    ("Published: 3 February 2022\nUpdated: 4 February 2022", "2022-02-03"),
    ("Updated: 4 February 2022", "2022-02-04"),  # the only date the page gives
])
def test_a_revision_stamp_does_not_date_the_article(tmp_path, header: str, expected: str) -> None:
    from ultimatum.ingest.reader import ingest
    (tmp_path / "story.txt").write_text(
        f"NATO rejects Russian demands\n{header}\n\n"
        "The alliance rejected the demands on Wednesday, its secretary general said.\n", encoding="utf-8")
    row = ingest(tmp_path).articles.iloc[0]
    assert (row["published"], row["date_source"]) == (expected, "header")
