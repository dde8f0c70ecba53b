"""The report's tables as HTML, each count linked to the events behind it.

The report notebook's cells call these and write the prose around them;
labels come from the settings (party and topic names, never codes). The
data-quality, accuracy, method and evidence tables are in ``provenance.py``."""
from __future__ import annotations

import pandas as pd

from ultimatum.report import findings
from ultimatum.report.counts import rows_of
from ultimatum.report.data import ReportData, ref_id
from ultimatum.report.figures import index_label, short_date
from ultimatum.report.html_tables import escape, html_table, label_counts, matrix_table, party_pair_table, shorten
from ultimatum.schema import RESPONSE_TYPES


def _by_actor(d: ReportData, types: list[str]) -> dict[str, pd.DataFrame]:
    ev = d.events[d.events["event_type"].isin(types)]
    return {str(a): g for a, g in ev.groupby("actor")}


def demands(d: ReportData) -> str:
    """Demand mentions and distinct claims per party, with totals."""
    label, dem = d.cfg.party_label, d.events[d.events["event_type"] == "DEMAND"]
    rows = [{"_code": a, "label": label(a), "mentions": int(r["mentions"]), "claims": int(r["claims"])}
            for a, r in d.demands.iterrows()]

    def href(row: str, col: str) -> str | None:
        ev = dem if row == "total" else dem[dem["actor"] == row]
        what = ("Distinct claims of the demands" if col == "claims" else "Demands") + \
            ("" if row == "total" else f" by {label(row)}")
        return d.ref(f"demands.{row}.{col}", what, ev)
    return html_table(rows, [("label", "Party"), ("mentions", "Mentions"), ("claims", "Distinct claims")],
                      numeric=("mentions", "claims"), key="demands", row_key="_code", cls="counts",
                      foot={"label": "Total", "mentions": len(dem), "claims": int(dem["claim_id"].nunique())},
                      href=href)


def demand_targets(d: ReportData) -> str:
    """Demand mentions per party (rows) and party addressed (columns)."""
    label = d.cfg.party_label
    return matrix_table(d.demand_targets, d, "demand_targets", "Party", label,
                        rows_of=lambda a, t: rows_of(d.events, ["DEMAND"], a, t),
                        describe=lambda a, t: "Demands" + (f" by {label(a)}" if a is not None else "")
                        + (f" of {label(t)}" if t is not None else ""))


def demand_topics(d: ReportData) -> str:
    """Demand mentions per topic (rows) and party (columns)."""
    label, topic = d.cfg.party_label, d.cfg.topic_label
    return matrix_table(d.demand_topics.T, d, "demand_topics", "Topic", label, total=False,
                        row_label=topic, rows_of=lambda t, a: rows_of(d.events, ["DEMAND"], a, topic=t),
                        describe=lambda t, a: "Demands" + (f" by {label(a)}" if a is not None else "")
                        + (f" on {topic(t)}" if t is not None else " naming a topic"))


def responses(d: ReportData) -> str:
    """Rejections, offers and acceptances per party."""
    label = d.cfg.party_label
    return matrix_table(d.responses, d, "responses", "Party", str.title,
                        rows_of=lambda a, k: rows_of(d.events, [k] if k else RESPONSE_TYPES, a),
                        describe=lambda a, k: (findings.acts(k) if k else "Responses")
                        + (f" by {label(a)}" if a is not None else ""))


def responses_by_target(d: ReportData) -> str:
    """Responses per (responding party, party answered) and kind."""
    return party_pair_table(d.responses_by_target, d, "responses_by_target", list(RESPONSE_TYPES))


def actor_target(d: ReportData) -> str:
    """Event mentions per (actor, target) pair and event type."""
    return party_pair_table(d.matrix_types, d, "matrix_types", list(d.cfg.event_types))


def milestones(d: ReportData) -> str:
    """The milestones drawn on the timeline, numbered as on the chart."""
    rows = [{"n": k, "date": short_date(m) + f" {pd.Timestamp(m.date_end or m.date):%Y}",
             "label": m.label, "article": m.article_id + ("" if m.article_in_corpus else " (not in this corpus)"),
             "evidence": f"“{m.evidence}”"}
            for k, m in enumerate(d.milestones.itertuples(), 1)]
    return html_table(rows, [("n", "#"), ("date", "Date"), ("label", "Milestone"), ("article", "Supporting article"),
                             ("evidence", "The article says")], cls="milestones")


def escalation_days(d: ReportData) -> str:
    """Each day with events: mentions, the day's score and the index."""
    esc = d.escalation
    active = esc[esc["score"] != 0] if len(esc) else esc
    rows = [{"_code": f"{i:%Y-%m-%d}", "date": f"{i:%Y-%m-%d}",
             "mentions": int(d.daily_party.loc[i].sum()) if i in d.daily_party.index else 0,
             "score": f"{r['score']:g}", "index": f"{r['index']:g}"} for i, r in active.iterrows()]

    def href(row: str, col: str) -> str | None:
        if col != "mentions" or row == "total":
            return None
        return d.ref(f"escalation.{row}.mentions", f"Events dated {row}",
                     d.events[d.events["date"] == pd.Timestamp(row)])
    return html_table(rows, [("date", "Date"), ("mentions", "Mentions"), ("score", "Day's score"),
                             ("index", f"Index ({index_label(d.cfg)})")],
                      numeric=("mentions", "score", "index"), key="escalation", row_key="_code", cls="counts",
                      href=href)


def claims(d: ReportData) -> str:
    """Mentions and distinct claims per party and event type."""
    label = d.cfg.party_label
    rows = [{"_code": f"{r['actor']}.{r['event_type']}", "actor": label(r["actor"]),
             "type": r["event_type"].title(), "mentions": int(r["mentions"]),
             "claims": int(r["claims"]), "per_claim": f"{r['per_claim']:.2f}"}
            for _, r in d.claims.iterrows()]

    def href(row: str, col: str) -> str | None:
        if col == "per_claim":
            return None
        actor, _, kind = row.partition(".")
        ev = d.events if row == "total" else rows_of(d.events, [kind], actor)
        return d.ref(f"claims.{row}.{col}", "All events" if row == "total" else f"{findings.acts(kind)} by {label(actor)}", ev)
    return html_table(rows, [("actor", "Party"), ("type", "Type"), ("mentions", "Mentions"),
                             ("claims", "Distinct claims"), ("per_claim", "Mentions per claim")],
                      numeric=("mentions", "claims", "per_claim"), key="claims", row_key="_code", cls="counts",
                      foot={"actor": "Total", "mentions": len(d.events), "claims": int(d.events["claim_id"].nunique())},
                      href=href)


def claim_link(d: ReportData, claim_id: str, eid: int | None = None) -> str:
    """The claim id as a link to the list of its mentions; from its own
    evidence row (``eid``), a claim of one mention is not linked."""
    ev = d.events[d.events["claim_id"] == claim_id]
    if eid is not None and len(ev) == 1:
        return escape(claim_id)
    return f'<a href="{d.ref(f"claim.{claim_id}", f"Claim {claim_id}", ev)}">{escape(claim_id)}</a>'


def repeated(d: ReportData) -> str:
    """The claims reported most often, each with its first report."""
    label = d.cfg.party_label
    rows = [{"_code": r["claim_id"], "claim": claim_link(d, r["claim_id"]),
             "who": f"{label(r['actor'])} → {label(r['target'])}",
             "type": r["event_type"].title(), "mentions": int(r["mentions"]), "articles": int(r["articles"]),
             "first": r["first_date"], "example": shorten(r["example"], 260)}
            for _, r in d.repeated.iterrows()]

    def href(row: str, col: str) -> str | None:
        return f"#{ref_id(f'claim.{row}')}" if col == "mentions" else None
    return html_table(rows, [("claim", "Claim"), ("who", "Actor → target"), ("type", "Type"),
                             ("mentions", "Mentions"), ("articles", "Articles"), ("first", "First"),
                             ("example", "First report")], numeric=("mentions", "articles"), cls="repeated",
                      raw=("claim",), row_key="_code", key="repeated", href=href)


def demand_response(d: ReportData) -> str:
    """Per demand topic: the demands and who made them, then each party that answered."""
    cfg, label = d.cfg, d.cfg.party_label
    rows, last = [], None
    for _, r in d.demand_response.iterrows():
        first = r["topic"] != last
        last = r["topic"]
        rows.append({"_code": f"{r['topic'] or 'none'}>{r['responder'] or 'none'}", "_topic": r["topic"],
                     "topic": cfg.topic_label(r["topic"]) if first else "",
                     "demands": (f"{r['demands']}" + (f" ({label_counts(r['demanded_by'], label)})"
                                                      if r["demanded_by"] else "")) if first else "",
                     "responder": label(r["responder"]) if r["responder"] else "no response",
                     **{t: int(r[t]) for t in RESPONSE_TYPES}})

    def href(row: str, col: str) -> str | None:
        topic, _, actor = row.partition(">")
        if row == "total" or actor == "none":
            return None
        return d.ref(f"demand_response.{row}.{col}", f"{findings.acts(col)} by {label(actor)} on {cfg.topic_label(topic)}",
                     rows_of(d.events, [col], actor, topic=topic if topic != "none" else ""))
    return html_table(rows, [("topic", "Demand topic"), ("demands", "Demands (by whom)"),
                             ("responder", "Answered by")] + [(t, t.title()) for t in RESPONSE_TYPES],
                      numeric=RESPONSE_TYPES, key="demand_response", row_key="_code", cls="dr", group="_topic",
                      href=href)


def _date_range(row: pd.Series) -> str:
    """An outlet's publication dates: first – last, and how many are undated."""
    undated = int(row["n"]) - int(row["n_dated"])
    if not row["n_dated"]:
        return "undated"
    dates = row["first"] if row["first"] == row["last"] else f"{row['first']} – {row['last']}"
    return dates + (f" ({undated} undated)" if undated else "")


def outlets(d: ReportData, shown: int = 12) -> str:
    """The corpus by outlet: articles and publication dates (the first ``shown`` outlets)."""
    a = d.articles
    table = a.assign(outlet=a["outlet"].replace("", "(outlet not named)"),
                     _dated=a["published"].fillna("").astype(str)).groupby("outlet").agg(
        n=("article_id", "size"), first=("_dated", lambda s: min((v for v in s if v), default="")),
        last=("_dated", "max"), n_dated=("_dated", lambda s: int((s != "").sum()))).reset_index()
    table["_unnamed"] = table["outlet"].eq("(outlet not named)")
    table = table.sort_values(["_unnamed", "n", "outlet"], ascending=[True, False, True])
    rows = [{"outlet": r["outlet"], "n": int(r["n"]), "dates": _date_range(r)} for _, r in table.head(shown).iterrows()]
    out = html_table(rows, [("outlet", "Outlet"), ("n", "Articles"), ("dates", "Published")],
                     numeric=("n",), cls="counts outlets")
    more = max(0, len(table) - shown)
    if more:
        out += f'<p class="note">and {more} more {findings.plural(more, "outlet")} (see Data quality).</p>'
    return out
