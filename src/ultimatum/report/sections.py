"""The HTML of the report's sections: the title page, and the body of each
section listed in :data:`SECTIONS` (findings, demands, responses, matrix,
timeline, claims, demand and response; the sections on data quality,
accuracy, method and evidence come from ``provenance.py``)."""
from __future__ import annotations

import pandas as pd

from ultimatum.report import charts, findings
from ultimatum.report.data import ReportData
from ultimatum.report.figures import index_label, index_note, short_date
from ultimatum.report.html_tables import escape, html_table, label_counts, matrix_table, party_pair_table, shorten
from ultimatum.report.provenance import accuracy_section, evidence_section, method_section, quality_section
from ultimatum.schema import RESPONSE_TYPES

SECTIONS = [("findings", "Key findings"), ("demands", "Demands"), ("responses", "Responses"),
            ("matrix", "Who acted towards whom"), ("timeline", "Escalation timeline"),
            ("claims", "Distinct claims and mentions"), ("demand-response", "Demand and response"),
            ("quality", "Data quality"), ("accuracy", "Accuracy of the extractor"),
            ("method", "What is counted"), ("evidence", "Appendix: evidence")]


def _figure(chart: charts.Chart, caption: str) -> str:
    return (f'<figure class="chart" id="fig-{chart.name}" data-chart="{chart.name}">{chart.svg}'
            f"<figcaption>{escape(caption)} Files: figures/{chart.name}.svg, figures/{chart.name}.png."
            "</figcaption></figure>")


def sections_html(d: ReportData, ch: dict[str, charts.Chart]) -> dict[str, str]:
    """HTML body of each section."""
    cfg, label = d.cfg, d.cfg.party_label
    s: dict[str, str] = {}
    type_on = lambda t: t in cfg.event_types
    off = lambda t: (f'<p class="none">{t} is not among the event types selected for this report '
                     "(setting <code>event_types</code>).</p>")

    s["findings"] = "<ul class=\"findings\">" + "".join(
        f"<li>{findings.to_html(f)}</li>" for f in d.findings) + "</ul>"

    # demands
    parts = [] if type_on("DEMAND") else [off("DEMAND")]
    parts.append(_figure(ch["demands"], "Demand mentions per party, coloured by the party the demand "
                         "was addressed to (grey: none named)."))
    if len(d.demands):
        rows = [{"_code": a, "label": label(a), "mentions": int(r["mentions"]), "claims": int(r["claims"])}
                for a, r in d.demands.iterrows()]
        parts.append("<h3>Demands per party</h3>" + html_table(
            rows, [("label", "Party"), ("mentions", "Mentions"), ("claims", "Distinct claims")],
            numeric=("mentions", "claims"), key="demands", row_key="_code", cls="counts",
            foot={"label": "Total", "mentions": int(d.demands["mentions"].sum()),
                  "claims": int(d.events.loc[d.events["event_type"] == "DEMAND", "claim_id"].nunique())}))
        parts.append("<h3>Of whom: demands per party and target</h3>"
                     + matrix_table(d.demand_targets, d, "demand_targets", "Party", label))
        parts.append(_figure(ch["demand_topics"], "Demand mentions per topic, coloured by the party "
                             "that made the demand."))
        parts.append("<h3>About what: demands per party and topic</h3>"
                     + matrix_table(d.demand_topics.T, d, "demand_topics", "Topic", label,
                                     total=False, row_label=cfg.topic_label)
                     + '<p class="note">A demand naming two topics counts once under each, '
                       "so the column totals of this table can exceed the number of demands.</p>")
    else:
        parts.append('<p class="none">No demands were found in the selected data.</p>')
        parts.append(_figure(ch["demand_topics"], "Demand mentions per topic."))
    s["demands"] = "".join(parts)

    # responses
    parts = [_figure(ch["responses"], "Response mentions per party by kind: reject, offer, accept.")]
    if d.responses.to_numpy().sum() if len(d.responses) else 0:
        parts.append("<h3>Responses per party</h3>" + matrix_table(
            d.responses, d, "responses", "Party", str.title))
        parts.append("<h3>By whose demand they answered</h3>"
                     '<p class="note">The target of a response is the party whose demand or proposal '
                     "it answers.</p>" + party_pair_table(
                         d.responses_by_target, d, "responses_by_target", RESPONSE_TYPES))
    else:
        parts.append('<p class="none">No responses were found in the selected data.</p>')
    s["responses"] = "".join(parts)

    # matrix
    s["matrix"] = (_figure(ch["matrix"], "Event mentions of every selected type per actor (rows) and "
                           "target (columns); “(none named)” when the sentence names no target.")
                   + "<h3>Actor and target by event type</h3>"
                   + party_pair_table(d.matrix_types, d, "matrix_types", list(cfg.event_types)))

    # timeline
    parts = [_figure(ch["timeline"], "Event mentions per day by party and by type, and the escalation "
                     "index, on the dates the events happened (the article’s date when the sentence "
                     "gives none).")]
    if len(d.milestones):
        rows = [{"n": k, "date": short_date(m) + f" {pd.Timestamp(m.date_end or m.date):%Y}",
                 "label": m.label, "article": m.article_id + ("" if m.in_corpus else " (not in this corpus)"),
                 "evidence": f"“{m.evidence}”"}
                for k, m in enumerate(d.milestones.itertuples(), 1)]
        parts.append("<h3>Milestones</h3>" + html_table(
            rows, [("n", "#"), ("date", "Date"), ("label", "Milestone"), ("article", "Supporting article"),
                   ("evidence", "The article says")], cls="milestones"))
    elif not cfg.show_milestones:
        parts.append('<p class="note">Milestones are switched off (setting <code>show_milestones</code>).</p>')
    else:
        parts.append('<p class="note">No milestone falls inside the date window.</p>')
    undated = int(d.events["date"].isna().sum())
    if undated:
        parts.append(f'<p class="note">{undated} {findings.plural(undated, "event has", "events have")} '
                     "no date (neither in the sentence nor a publication date) and "
                     f"{findings.plural(undated, 'is', 'are')} not on the timeline.</p>")
    esc = d.escalation
    if len(esc):
        active = esc[(esc["score"] != 0)]
        rows = [{"_code": f"{i:%Y-%m-%d}", "date": f"{i:%Y-%m-%d}",
                 "mentions": int(d.daily_party.loc[i].sum()) if i in d.daily_party.index else 0,
                 "score": f"{r['score']:g}", "index": f"{r['index']:g}"} for i, r in active.iterrows()]
        parts.append("<h3>Days with events</h3>" + html_table(
            rows, [("date", "Date"), ("mentions", "Mentions"), ("score", "Day's score"),
                   ("index", f"Index ({index_label(cfg)})")],
            numeric=("mentions", "score", "index"), key="escalation", row_key="_code", cls="counts")
            + f'<p class="note">{escape(index_note(cfg))}</p>')
    s["timeline"] = "".join(parts)

    # claims vs mentions
    parts = [_figure(ch["claims"], "Per party: every report of an act (mentions) against the acts "
                     "themselves (distinct claims, codebook §7).")]
    if len(d.claims):
        rows = [{"_code": f"{r['actor']}.{r['event_type']}", "actor": label(r["actor"]),
                 "type": r["event_type"].title(), "mentions": int(r["mentions"]),
                 "claims": int(r["claims"]), "per_claim": f"{r['per_claim']:.2f}"}
                for _, r in d.claims.iterrows()]
        parts.append("<h3>Mentions and distinct claims per party and type</h3>" + html_table(
            rows, [("actor", "Party"), ("type", "Type"), ("mentions", "Mentions"),
                   ("claims", "Distinct claims"), ("per_claim", "Mentions per claim")],
            numeric=("mentions", "claims", "per_claim"), key="claims", row_key="_code", cls="counts",
            foot={"actor": "Total", "mentions": len(d.events), "claims": int(d.events["claim_id"].nunique())}))
        rows = [{"claim": r["claim_id"], "who": f"{label(r['actor'])} → {label(r['target'])}",
                 "type": r["event_type"].title(), "mentions": int(r["mentions"]), "articles": int(r["articles"]),
                 "first": r["first_date"], "example": shorten(r["example"], 260)}
                for _, r in d.repeated.iterrows()]
        parts.append("<h3>The most repeated claims</h3>" + html_table(
            rows, [("claim", "Claim"), ("who", "Actor → target"), ("type", "Type"),
                   ("mentions", "Mentions"), ("articles", "Articles"), ("first", "First"),
                   ("example", "First report")], numeric=("mentions", "articles"), cls="repeated"))
    else:
        parts.append('<p class="none">No events in the selected data.</p>')
    s["claims"] = "".join(parts)

    # demand -> response
    parts = [_figure(ch["demand_response"], "Responses per topic by kind. A response answers a demand "
                     "topic when it names that topic.")]
    dr = d.demand_response
    if len(dr):
        rows = []
        last = None
        for _, r in dr.iterrows():
            first = r["topic"] != last
            last = r["topic"]
            rows.append({"_code": f"{r['topic'] or 'none'}>{r['responder'] or 'none'}", "_topic": r["topic"],
                         "topic": cfg.topic_label(r["topic"]) if first else "",
                         "demands": (f"{r['demands']}" + (f" ({label_counts(r['demanded_by'], label)})"
                                                          if r["demanded_by"] else ""))
                         if first else "",
                         "responder": label(r["responder"]) if r["responder"] else "no response",
                         **{t: int(r[t]) for t in RESPONSE_TYPES}})
        parts.append(html_table(rows, [("topic", "Demand topic"), ("demands", "Demands (by whom)"),
                                       ("responder", "Answered by")] + [(t, t.title()) for t in RESPONSE_TYPES],
                                numeric=RESPONSE_TYPES, key="demand_response", row_key="_code",
                                cls="dr", group="_topic"))
    else:
        parts.append('<p class="none">No demands or responses in the selected data.</p>')
    s["demand-response"] = "".join(parts)

    s["quality"] = quality_section(d)
    s["accuracy"] = accuracy_section(d)
    s["method"] = method_section(d)
    s["evidence"] = evidence_section(d)
    return s


def title_page(d: ReportData) -> dict:
    a = d.articles
    pub = pd.to_datetime(a["published"], errors="coerce", format="%Y-%m-%d").dropna()
    outlets = a.assign(outlet=a["outlet"].replace("", "(outlet not named)")).groupby("outlet").agg(
        n=("article_id", "size"), first=("published", "min"), last=("published", "max")).reset_index()
    outlets["_unnamed"] = outlets["outlet"].eq("(outlet not named)")
    outlets = outlets.sort_values(["_unnamed", "n", "outlet"], ascending=[True, False, True])
    more = max(0, len(outlets) - 12)
    rows = [{"outlet": r["outlet"], "n": int(r["n"]),
             "dates": r["first"] if r["first"] == r["last"] else f"{r['first']} – {r['last']}"}
            for _, r in outlets.head(12).iterrows()]
    table = html_table(rows, [("outlet", "Outlet"), ("n", "Articles"), ("dates", "Published")],
                       numeric=("n",), cls="counts outlets")
    if more:
        table += f'<p class="note">and {more} more outlets (see Data quality).</p>'
    n_a = len(a)
    corpus = f"{n_a} {findings.plural(n_a, 'article')}"
    corpus += (f" from {d.n_outlets} named {findings.plural(d.n_outlets, 'outlet')}" if d.n_outlets
               else " (no outlet named)")
    corpus += (f", published {findings.date_range_text(pub.min(), pub.max())}" if len(pub)
               else "; no publication date found")
    return {
        "corpus": corpus,
        "window": findings.date_range_text(*d.window),
        "outlets_table": table,
        "n_events": len(d.events),
        "n_claims": int(d.events["claim_id"].nunique()) if len(d.events) else 0,
    }
