"""The report's charts: each drawn from :class:`ReportData` with its title
and source note and saved as SVG and PNG (``charts.py`` draws them), and the
labels of the escalation index and milestone dates they share with the HTML."""
from __future__ import annotations

from pathlib import Path
from typing import Protocol

import pandas as pd

from ultimatum.report import charts, counts, findings
from ultimatum.report.config import ReportConfig
from ultimatum.report.data import ReportData
from ultimatum.schema import NONE, RESPONSE_TYPES

CHARTS = ["demands", "demand_topics", "responses", "matrix", "timeline", "claims", "demand_response"]


def _source_note(d: ReportData, what: str, n: int) -> str:
    lo, hi = d.window
    dated = f"events dated {findings.date_range_text(lo, hi)}" if lo is not None else "events undated"
    return (f"Source: {len(d.articles)} {findings.plural(len(d.articles), 'article')} from "
            f"{d.n_outlets} {findings.plural(d.n_outlets, 'outlet')}, {dated}; n = {n} {what}. "
            "Extracted by rule (see the evidence appendix).")


def make_charts(d: ReportData, figures_dir: str | Path,
                only: list[str] | None = None) -> dict[str, charts.Chart]:
    """Draw and save every chart of the report (or those named in ``only``)."""
    cfg = d.cfg
    label, colour = cfg.party_label, cfg.party_colour
    tcol = lambda t: cfg.event_types.get(t, charts.NONE_COLOUR)
    pcol = lambda c: colour(c) if c != NONE else charts.NONE_COLOUR
    tlabel = lambda c: "several parties" if c == counts.SEVERAL else label(c)
    tcolour = lambda c: charts.SEVERAL_COLOUR if c == counts.SEVERAL else pcol(c)
    out: dict[str, charts.Chart] = {}
    n_dem = int(d.demands["mentions"].sum()) if len(d.demands) else 0
    n_resp = int(d.responses.to_numpy().sum()) if len(d.responses) else 0
    specs = {
        "demands": lambda: charts.stacked_barh(
            counts.targets_grouped(d.events, ["DEMAND"], cfg.party_codes), label, tcolour, tlabel,
            d.titles["demands"], _source_note(d, "demand mentions", n_dem),
            "demand mentions", "addressed to", "No demands in the selected data"),
        "demand_topics": lambda: charts.stacked_barh(
            d.demand_topics.T.drop(index=[NONE], errors="ignore"), cfg.topic_label, pcol, label,
            d.titles["demand_topics"],
            _source_note(d, "demand mentions; a demand naming two topics counts for each", n_dem),
            "demand mentions", "demanded by", "No demand named a topic"),
        "responses": lambda: charts.stacked_barh(
            d.responses, label, tcol, str.title, d.titles["responses"],
            _source_note(d, "response mentions", n_resp), "response mentions", "response",
            "No responses in the selected data"),
        "matrix": lambda: charts.heatmap(
            d.matrix, label, label, d.titles["matrix"],
            _source_note(d, f"event mentions of {len(cfg.event_types)} types; an event with two targets counts for each",
                         len(d.events)), "Target", "Actor", "No events in the selected data"),
        "timeline": lambda: charts.timeline(
            d.daily_party, d.daily_type, d.escalation, d.milestones, label, colour, cfg.event_types,
            d.titles["timeline"],
            _source_note(d, "event mentions on their own dates", len(d.events)) + " " + index_note(cfg)
            + (" Milestones: " + "; ".join(f"({k}) {short_date(m)} {m.label}"
                                          for k, m in enumerate(d.milestones.itertuples(), 1)) + "."
               if len(d.milestones) else ""),
            index_label(cfg)),
        "claims": lambda: charts.grouped_barh(
            _claims_by_party(d), label, {"mentions": "#7F7F7F", "distinct claims": "#1F5AA6"},
            d.titles["claims"], _source_note(d, "event mentions", len(d.events)),
            "count", "No events in the selected data"),
        "demand_response": lambda: charts.stacked_barh(
            _responses_by_topic(d), cfg.topic_label, tcol, str.title, d.titles["demand_response"],
            _source_note(d, "responses naming a topic; a response naming two topics counts for each",
                         int(_responses_by_topic(d).to_numpy().sum())),
            "response mentions", "response", "No response named a topic"),
    }
    with charts.style(cfg.style):
        for name in only or CHARTS:
            out[name] = charts.save(specs[name](), name, d.titles[name], figures_dir, cfg.png_dpi)
    return out


def _claims_by_party(d: ReportData) -> pd.DataFrame:
    if d.claims.empty:
        return pd.DataFrame(columns=["mentions", "distinct claims"])
    g = d.events.groupby("actor").agg(mentions=("eid", "size"), claims=("claim_id", "nunique"))
    g = g.rename(columns={"claims": "distinct claims"})
    return g.reindex(counts.ordered(g.index, d.cfg.party_codes))


def _responses_by_topic(d: ReportData) -> pd.DataFrame:
    dr = d.demand_response
    dr = dr[dr["responder"] != NONE]
    dr = dr[dr["topic"] != NONE]
    if dr.empty:
        return pd.DataFrame(columns=RESPONSE_TYPES)
    table = dr.groupby("topic")[RESPONSE_TYPES].sum()
    return table.reindex(counts.ordered(table.index, list(d.cfg.topics)))


def index_label(cfg: ReportConfig) -> str:
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
