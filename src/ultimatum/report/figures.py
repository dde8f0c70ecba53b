"""What the report notebook's chart cells pass to ``charts.py`` besides the
counted tables: the source note under each chart, the tables that only a
chart shows, the labels of the escalation index and of milestone dates
(shared with the HTML tables), and the colours of targets."""
from __future__ import annotations

from typing import Protocol

import pandas as pd

from ultimatum.report import charts, counts, findings
from ultimatum.report.config import ReportConfig
from ultimatum.report.data import ReportData
from ultimatum.schema import NONE, RESPONSE_TYPES


def target_label(cfg: ReportConfig, code: str) -> str:
    """A target's name in a legend; "several parties" for a demand of several."""
    return "several parties" if code == counts.SEVERAL else cfg.party_label(code)


def target_colour(cfg: ReportConfig, code: str) -> str:
    """A target's colour: its party's, dark grey for several, light grey for none named."""
    if code == counts.SEVERAL:
        return charts.SEVERAL_COLOUR
    return cfg.party_colour(code) if code != NONE else charts.NONE_COLOUR


def source_note(d: ReportData, what: str, n: int) -> str:
    """The note under a chart: its articles, outlets, dates and ``n``."""
    lo, hi = d.window
    dated = f"events dated {findings.date_range_text(lo, hi)}" if lo is not None else "events undated"
    return (f"Source: {len(d.articles)} {findings.plural(len(d.articles), 'article')} from "
            f"{d.n_outlets} {findings.plural(d.n_outlets, 'outlet')}, {dated}; n = {n} {what}. "
            "Extracted by rule (see the evidence appendix).")


def claims_by_party(d: ReportData) -> pd.DataFrame:
    """Per party: mentions and distinct claims."""
    if d.claims.empty:
        return pd.DataFrame(columns=["mentions", "distinct claims"])
    g = d.events.groupby("actor").agg(mentions=("eid", "size"), claims=("claim_id", "nunique"))
    g = g.rename(columns={"claims": "distinct claims"})
    return g.reindex(counts.ordered(g.index, d.cfg.party_codes))


def responses_by_topic(d: ReportData) -> pd.DataFrame:
    """Per demand topic: rejections, offers and acceptances naming it."""
    dr = d.demand_response
    dr = dr[dr["responder"] != NONE]
    dr = dr[dr["topic"] != NONE]
    if dr.empty:
        return pd.DataFrame(columns=RESPONSE_TYPES)
    table = dr.groupby("topic")[RESPONSE_TYPES].sum()
    return table.reindex(counts.ordered(table.index, list(d.cfg.topics)))


def index_label(cfg: ReportConfig) -> str:
    """The index's name in a legend: ``7-day sum`` or ``cumulative sum``."""
    return (f"{cfg.escalation_window}-day sum" if cfg.escalation_kind == "rolling" else "cumulative sum")


class Dated(Protocol):
    """A row of the milestone table: its first day and, for a span, its last."""
    date: str
    date_end: str


def index_note(cfg: ReportConfig) -> str:
    """How the escalation index is computed, in a sentence."""
    basis = "each distinct claim once, on its first date" if cfg.escalation_basis == "claims" \
        else "every mention"
    kind = (f"summed over the last {cfg.escalation_window} days" if cfg.escalation_kind == "rolling"
            else "summed since the first day")
    return (f"Escalation: minus the Goldstein weight of the events of each day ({basis}), {kind}; "
            "conflict raises it, cooperation lowers it.")


def short_date(m: Dated) -> str:
    """``17 Dec``, ``10–12 Jan`` or ``31 Jan–2 Feb``."""
    start = pd.Timestamp(m.date)
    if m.date_end:
        end = pd.Timestamp(m.date_end)
        return f"{start.day}–{end.day} {end:%b}" if start.month == end.month else \
            f"{start.day} {start:%b}–{end.day} {end:%b}"
    return f"{start.day} {start:%b}"
