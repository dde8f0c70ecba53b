"""Words for the report's prose, which the report notebook writes: plurals,
dates, lists of names, and the entries sharing the largest count (ties are
named together: "Russia and NATO made ... each")."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pandas as pd

#: An event type's events in prose, as in "Rejections by NATO".
ACTS = {"DEMAND": "Demands", "REJECT": "Rejections", "OFFER": "Offers", "ACCEPT": "Acceptances",
        "THREATEN": "Threats", "ACCUSE": "Accusations", "MOBILIZE": "Mobilisations"}


def acts(event_type: str) -> str:
    """``"Rejections"`` for ``REJECT``: the events of a type, in prose."""
    return ACTS.get(event_type, event_type.title())


def plural(n: int, word: str, words: str | None = None) -> str:
    """``word`` or its plural for ``n``."""
    return word if n == 1 else (words or word + "s")


def long_date(day: dt.date | pd.Timestamp | None) -> str:
    """``17 December 2021``; empty for no date."""
    if day is None or pd.isna(day):
        return ""
    return f"{day.day} {day:%B %Y}"


def date_range_text(lo: dt.date | pd.Timestamp | None, hi: dt.date | pd.Timestamp | None) -> str:
    """``11 December 2021 – 2 February 2022`` (or one date)."""
    if lo is None or pd.isna(lo):
        return "no date found"
    if hi is None or pd.isna(hi) or pd.Timestamp(lo) == pd.Timestamp(hi):
        return long_date(lo)
    return f"{long_date(lo)} – {long_date(hi)}"


def lower_first(text: str) -> str:
    """Lower-case the first letter unless the first word is an acronym."""
    word = text.split(" ", 1)[0]
    return text if word.isupper() else text[:1].lower() + text[1:]


def tops(series: pd.Series) -> tuple[list[Any], int] | None:
    """Every entry sharing the largest count (in table order), and that count;
    None when no count is above zero. Entries are index labels: party, topic
    or type codes, or (actor, target) pairs of a stacked matrix."""
    series = series[series > 0]
    if series.empty:
        return None
    n = int(series.max())
    return [k for k, v in series.items() if v == n], n


def joined(items: list[str]) -> str:
    """``A``, ``A and B``, ``A, B and C``."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def several_targets_note(num: Callable[..., str], rows: pd.DataFrame, total: int, key: str,
                         one: str, many: str) -> str:
    """The note under a table that counts ``rows`` (events of one kind) once
    per target and so totals ``total``: how many name several targets ('' when
    none does). ``num`` is the page's number marker; ``one``/``many`` name the
    events ("demand addressed to", "demands")."""
    if total <= len(rows):
        return ""
    several = rows[rows["target"].str.contains(";")]
    return (f'<p class="note">A {one} several parties counts once under each: '
            f"{num(key, len(several), several, many.capitalize() + ' naming several parties')} "
            f"of the {len(rows)} {many} name more than one target, so this table totals {total}.</p>")
