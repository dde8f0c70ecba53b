"""Wire datelines without a year take it from the study window."""
from __future__ import annotations

import datetime as dt

import pytest

from ultimatum.dates import date_from_dateline, study_window


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
    from ultimatum.ingest import ingest
    (tmp_path / "wire.txt").write_text(
        "Russia warns NATO\n\nMOSCOW, Dec 17 (Reuters) - Russia demanded that NATO halt its expansion.\n",
        encoding="utf-8")
    row = ingest(tmp_path).articles.iloc[0]
    assert (row["published"], row["date_source"]) == ("2021-12-17", "dateline")
