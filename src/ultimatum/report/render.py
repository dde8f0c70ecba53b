"""The report: counts, findings and charts assembled into one self-contained
HTML file (inline CSS and SVG, nothing fetched) and a paginated PDF (WeasyPrint).

``build_report`` is the whole step; the report notebook calls its parts
(``assemble``, ``make_charts``, ``write_report``) so a reader can look at each."""
from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field
from importlib import metadata, resources
from pathlib import Path

import jinja2
import pandas as pd

from ultimatum.ingest.reader import PROBLEM_SEP
from ultimatum.report import charts, counts, findings
from ultimatum.report.config import ReportConfig, load_config
from ultimatum.runtime.atomic import write_csv_atomic, write_text_atomic
from ultimatum.schema import EVENT_TYPES, NONE, RESPONSE_TYPES

ACCURACY_FILE = "accuracy.csv"
SECTIONS = [("findings", "Key findings"), ("demands", "Demands"), ("responses", "Responses"),
            ("matrix", "Who acted towards whom"), ("timeline", "Escalation timeline"),
            ("claims", "Distinct claims and mentions"), ("demand-response", "Demand and response"),
            ("quality", "Data quality"), ("accuracy", "Accuracy of the extractor"),
            ("method", "What is counted"), ("evidence", "Appendix: evidence")]
CHARTS = ["demands", "demand_topics", "responses", "matrix", "timeline", "claims", "demand_response"]


@dataclass
class ReportData:
    """Everything the report shows, computed once from the processed tables."""
    cfg: ReportConfig
    articles: pd.DataFrame
    skipped: pd.DataFrame
    all_events: pd.DataFrame
    events: pd.DataFrame
    outside: pd.DataFrame
    window: tuple[dt.date | None, dt.date | None]
    accuracy: pd.DataFrame | None
    accuracy_note: str
    n_outlets: int = 0
    pages: int = 0
    document: object = field(default=None, repr=False)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    findings: list = field(default_factory=list)
    titles: dict[str, str] = field(default_factory=dict)

    def __getattr__(self, name: str):
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)

    @property
    def values(self) -> dict:
        """Keyed numbers of the key findings."""
        return findings.values(self.findings)


def project_root() -> Path | None:
    """The project's top folder (the one holding notebooks/), if found."""
    try:
        from ultimatum.report.notebooks import notebooks_dir
        return notebooks_dir().resolve().parent
    except FileNotFoundError:
        return None


def measure_accuracy(root: Path | None) -> tuple[pd.DataFrame | None, str]:
    """Scores of the extractor on the gold sets in ``root/tests/gold``, or why not."""
    gold = root / "tests" / "gold" if root else None
    if gold is None or not gold.is_dir() or not any(p for p in gold.iterdir() if not p.name.startswith(".")):
        return None, ("Accuracy was not measured: no gold sets were found "
                      "(the folder tests/gold is absent or empty).")
    try:
        from ultimatum.evaluate import evaluate_gold_sets
    except ImportError:
        return None, "Accuracy was not measured: this version has no evaluator (ultimatum.evaluate)."
    try:
        table = evaluate_gold_sets(root)
    except Exception as exc:  # the report still renders, and says what went wrong
        return None, f"Accuracy was not measured: evaluating the gold sets failed ({type(exc).__name__}: {exc})."
    if table is None or len(table) == 0:
        return None, "Accuracy was not measured: the evaluator returned no gold sets."
    return table.reset_index(drop=True), ""


def assemble(processed_dir: str | Path, config: ReportConfig | None = None,
             accuracy: pd.DataFrame | None = None, accuracy_note: str | None = None) -> ReportData:
    """Read the processed tables and compute every table, finding and title.
    Without ``accuracy``, ``processed_dir/accuracy.csv`` is used if present."""
    cfg = config or load_config()
    processed_dir = Path(processed_dir)
    t = counts.read_tables(processed_dir)
    if accuracy is None and accuracy_note is None and (processed_dir / ACCURACY_FILE).is_file():
        accuracy = pd.read_csv(processed_dir / ACCURACY_FILE)
    if accuracy is None and not accuracy_note:
        accuracy_note = "Accuracy was not measured for this build."
    lo, hi = counts.default_window(t.articles, t.events)
    window = (cfg.date_from or lo, cfg.date_to or hi)
    typed = t.events[t.events["event_type"].isin(cfg.event_types)]
    events, outside = counts.select(typed, *window,
                                    keep_undated=cfg.date_from is None and cfg.date_to is None)
    d = ReportData(cfg, t.articles, t.skipped, t.events, events, outside, window,
                   accuracy, accuracy_note or "")
    d.n_outlets = int(t.articles["outlet"].str.strip().replace("", pd.NA).dropna().nunique())
    order, topics = cfg.party_codes, list(cfg.topics)
    days = counts.day_range(*window) if len(events) else counts.day_range(None, None)
    d.tables.update(
        demands=counts.demands_by_party(events, order),
        demand_targets=counts.targets_of(events, ["DEMAND"], order),
        demand_topics=counts.topics_of(events, "DEMAND", order, topics),
        responses=counts.responses_by_party(events, order),
        responses_by_target=counts.responses_by_target(events, order),
        matrix=counts.actor_target_matrix(events, order),
        matrix_types=counts.actor_target_types(events, order, list(cfg.event_types)),
        daily_party=counts.daily(events, "actor", days, order),
        daily_type=counts.daily(events, "event_type", days, EVENT_TYPES),
        escalation=counts.escalation_index(events, days, cfg.escalation_basis, cfg.escalation_kind,
                                           cfg.escalation_window),
        claims=counts.claims_vs_mentions(events, order),
        repeated=counts.most_repeated_claims(events, 10),
        demand_response=counts.demand_response(events, order, topics),
        type_totals=counts.type_totals(events),
        quality=counts.article_quality(t.articles, events),
        milestones=_milestones(cfg, window, t.articles),
    )
    d.findings = findings.key_findings(d, cfg.party_label, cfg.topic_label)
    d.titles = findings.chart_titles(d, cfg.party_label, cfg.topic_label)
    return d


def _milestones(cfg: ReportConfig, window, articles: pd.DataFrame) -> pd.DataFrame:
    """Milestones inside the date window, each with whether its article is in the corpus."""
    m = cfg.milestones.copy()
    m["in_corpus"] = m["article_id"].isin(set(articles["article_id"]))
    lo, hi = window
    if lo is None or not cfg.show_milestones:
        return m.iloc[0:0]
    start = pd.to_datetime(m["date"])
    end = pd.to_datetime(m["date_end"].replace("", pd.NA)).fillna(start)
    keep = (end >= pd.Timestamp(lo)) & (start <= pd.Timestamp(hi))
    return m[keep].reset_index(drop=True)


# ----------------------------------------------------------------- charts

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
    tcol = lambda t: cfg.event_types.get(t, charts.NONE_COLOUR)  # noqa: E731
    pcol = lambda c: colour(c) if c != NONE else charts.NONE_COLOUR  # noqa: E731
    tlabel = lambda c: "several parties" if c == counts.SEVERAL else label(c)  # noqa: E731
    tcolour = lambda c: charts.SEVERAL_COLOUR if c == counts.SEVERAL else pcol(c)  # noqa: E731
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
            _source_note(d, "event mentions on their own dates", len(d.events)) + " " + _index_note(cfg)
            + (" Milestones: " + "; ".join(f"({k}) {_short_date(m)} {m.label}"
                                          for k, m in enumerate(d.milestones.itertuples(), 1)) + "."
               if len(d.milestones) else ""),
            _index_label(cfg)),
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


def _index_label(cfg: ReportConfig) -> str:
    return (f"{cfg.escalation_window}-day sum" if cfg.escalation_kind == "rolling" else "cumulative sum")


def _index_note(cfg: ReportConfig) -> str:
    basis = "each distinct claim once, on its first date" if cfg.escalation_basis == "claims" \
        else "every mention"
    kind = (f"summed over the last {cfg.escalation_window} days" if cfg.escalation_kind == "rolling"
            else "summed since the first day")
    return (f"Escalation: minus the Goldstein weight of the events of each day ({basis}), {kind}; "
            "conflict raises it, cooperation lowers it.")


def _short_date(m) -> str:
    start = pd.Timestamp(m.date)
    if m.date_end:
        end = pd.Timestamp(m.date_end)
        return f"{start.day}–{end.day} {end:%b}" if start.month == end.month else \
            f"{start.day} {start:%b}–{end.day} {end:%b}"
    return f"{start.day} {start:%b}"


# ----------------------------------------------------------------- HTML

def _esc(value) -> str:
    return html.escape("" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value))


def html_table(rows: list[dict], columns: list[tuple[str, str]], *, numeric: tuple[str, ...] = (),
               key: str | None = None, row_key: str | None = None, cls: str = "",
               foot: dict | None = None, raw: tuple[str, ...] = (), group: str | None = None) -> str:
    """A table; numeric cells are right-aligned and, with ``key`` and
    ``row_key``, carry ``data-key="KEY.ROW.COLUMN"`` for tests and readers.
    Columns named in ``raw`` hold trusted HTML. Rows sharing the value of
    ``group`` form one ``tbody``, kept on one page."""
    head = "".join(f'<th class="{"n" if c in numeric else ""}" scope="col">{_esc(h)}</th>' for c, h in columns)
    body = []
    for row in rows:
        cells = []
        for c, _ in columns:
            v = row.get(c, "")
            attr = ""
            if c in numeric:
                attr = ' class="n"'
                if key and row_key:
                    attr += f' data-key="{_esc(key)}.{_esc(row[row_key])}.{_esc(c)}"'
            cells.append(f"<td{attr}>{v if c in raw else _esc(v)}</td>")
        new_group = group and body and row[group] != rows[len(body) - 1][group]
        body.append(('</tbody><tbody class="group">' if new_group else "")
                    + "<tr>" + "".join(cells) + "</tr>")
    tfoot = ""
    if foot:
        cells = []
        for c, _ in columns:
            attr = ""
            if c in numeric:
                attr = ' class="n"' + (f' data-key="{_esc(key)}.total.{_esc(c)}"' if key else "")
            cells.append(f"<td{attr}>{_esc(foot.get(c, ''))}</td>")
        tfoot = "<tfoot><tr>" + "".join(cells) + "</tr></tfoot>"
    first_body = '<tbody class="group">' if group else "<tbody>"
    return (f'<table class="{cls}"><thead><tr>{head}</tr></thead>'
            f'{first_body}{"".join(body)}</tbody>{tfoot}</table>')


def _matrix_table(table: pd.DataFrame, d: ReportData, key: str, row_title: str,
                  col_label, total: bool = True, row_label=None) -> str:
    if table.empty:
        return '<p class="none">No events in the selected data.</p>'
    cols = list(table.columns)
    names = {c: f"c{i}" for i, c in enumerate(cols)}
    rows = []
    for idx, r in table.iterrows():
        row = {"_code": idx or "none", "label": (row_label or d.cfg.party_label)(idx)}
        row.update({names[c]: int(r[c]) for c in cols})
        row["total"] = int(r.sum())
        rows.append(row)
    columns = [("label", row_title)] + [(names[c], col_label(c)) for c in cols] + ([("total", "Total")] if total else [])
    foot = {"label": "Total", **{names[c]: int(table[c].sum()) for c in cols}, "total": int(table.to_numpy().sum())}
    html_out = html_table(rows, columns, numeric=tuple(names.values()) + ("total",), key=key,
                          row_key="_code", cls="counts", foot=foot)
    # data-keys name the real column codes, not the positional names
    for c, n in names.items():
        html_out = html_out.replace(f'.{n}"', f'.{_esc(c or "none")}"')
    return html_out


def _party_pair_table(table: pd.DataFrame, d: ReportData, key: str, types: list[str]) -> str:
    if table.empty:
        return '<p class="none">No events in the selected data.</p>'
    rows = [{"_code": f"{r['actor']}>{r['target'] or 'none'}", "actor": d.cfg.party_label(r["actor"]),
             "target": d.cfg.party_label(r["target"]), **{t: int(r[t]) for t in types}, "total": int(r["total"])}
            for _, r in table.iterrows()]
    foot = {"actor": "Total", **{t: int(table[t].sum()) for t in types}, "total": int(table["total"].sum())}
    return html_table(rows, [("actor", "Actor"), ("target", "Target")] + [(t, t.title()) for t in types]
                      + [("total", "Total")], numeric=(*types, "total"), key=key, row_key="_code",
                      cls="counts", foot=foot)


def _figure(chart: charts.Chart, caption: str) -> str:
    return (f'<figure class="chart" id="fig-{chart.name}" data-chart="{chart.name}">{chart.svg}'
            f"<figcaption>{_esc(caption)} Files: figures/{chart.name}.svg, figures/{chart.name}.png."
            "</figcaption></figure>")


def _sections(d: ReportData, ch: dict[str, charts.Chart]) -> dict[str, str]:
    """HTML body of each section."""
    cfg, label = d.cfg, d.cfg.party_label
    s: dict[str, str] = {}
    type_on = lambda t: t in cfg.event_types  # noqa: E731
    off = lambda t: (f'<p class="none">{t} is not among the event types selected for this report '  # noqa: E731
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
                     + _matrix_table(d.demand_targets, d, "demand_targets", "Party", label))
        parts.append(_figure(ch["demand_topics"], "Demand mentions per topic, coloured by the party "
                             "that made the demand."))
        parts.append("<h3>About what: demands per party and topic</h3>"
                     + _matrix_table(d.demand_topics.T, d, "demand_topics", "Topic", label,
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
        parts.append("<h3>Responses per party</h3>" + _matrix_table(
            d.responses, d, "responses", "Party", str.title))
        parts.append("<h3>By whose demand they answered</h3>"
                     '<p class="note">The target of a response is the party whose demand or proposal '
                     "it answers.</p>" + _party_pair_table(
                         d.responses_by_target, d, "responses_by_target", RESPONSE_TYPES))
    else:
        parts.append('<p class="none">No responses were found in the selected data.</p>')
    s["responses"] = "".join(parts)

    # matrix
    s["matrix"] = (_figure(ch["matrix"], "Event mentions of every selected type per actor (rows) and "
                           "target (columns); “(none named)” when the sentence names no target.")
                   + "<h3>Actor and target by event type</h3>"
                   + _party_pair_table(d.matrix_types, d, "matrix_types", list(cfg.event_types)))

    # timeline
    parts = [_figure(ch["timeline"], "Event mentions per day by party and by type, and the escalation "
                     "index, on the dates the events happened (the article’s date when the sentence "
                     "gives none).")]
    if len(d.milestones):
        rows = [{"n": k, "date": _short_date(m) + f" {pd.Timestamp(m.date_end or m.date):%Y}",
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
                   ("index", f"Index ({_index_label(cfg)})")],
            numeric=("mentions", "score", "index"), key="escalation", row_key="_code", cls="counts")
            + f'<p class="note">{_esc(_index_note(cfg))}</p>')
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
                 "first": r["first_date"], "example": _cut(r["example"], 260)}
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
                         "demands": (f"{r['demands']}" + (f" ({_label_counts(r['demanded_by'], label)})"
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

    s["quality"] = _quality(d)
    s["accuracy"] = _accuracy(d)
    s["method"] = _method(d)
    s["evidence"] = _evidence(d)
    return s


def _label_counts(codes: str, label) -> str:
    """``"RUS 7; UKR 1"`` -> ``"Russia 7, Ukraine 1"``."""
    parts = [p.rsplit(" ", 1) for p in codes.split("; ") if p]
    return ", ".join(f"{label(code)} {n}" for code, n in parts)


def _cut(text: str, n: int) -> str:
    text = str(text)
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _quality(d: ReportData) -> str:
    q = d.quality
    rows = [{"_code": r["article_id"], "article": r["article_id"], "outlet": r["outlet"] or "—",
             "published": r["published"] or "—", "source": r["date_source"] or "—",
             "n_sentences": int(r["n_sentences"]), "events": int(r["events"]),
             "dup": r["duplicate_of"] or ""} for _, r in q.iterrows()]
    cols = [("article", "Article"), ("outlet", "Outlet"), ("published", "Published"),
            ("source", "Date from"), ("n_sentences", "Sentences"), ("events", "Events")]
    if q["duplicate_of"].astype(str).str.strip().any():
        cols.append(("dup", "Duplicate of"))
    if q["problems"].astype(str).str.strip().any():
        cols.append(("problems", "Problems"))
    for row, (_, r) in zip(rows, q.iterrows()):
        row["problems"] = r["problems"]
    parts = ["<h3>Articles</h3>", html_table(rows, cols, numeric=("n_sentences", "events"), key="quality",
                                             row_key="_code", cls="counts quality",
                                             foot={"article": "Total", "n_sentences": int(q["n_sentences"].sum()),
                                                   "events": int(q["events"].sum())})]
    parts.append('<p class="note">“Date from” says where the publication date was found: the '
                 "dateline, the URL, the page header or the folder’s manifest.csv. "
                 "“Events” counts the mentions inside the selected event types and date window.</p>")
    parts.append("<h3>Skipped files</h3>")
    if len(d.skipped):
        parts.append(html_table(d.skipped[["file", "reason"]].to_dict("records"),
                                [("file", "File"), ("reason", "Why it was skipped")], cls="skipped"))
    else:
        parts.append('<p class="none">No file was skipped.</p>')
    problems = [{"file": r.get("file") or r["article_id"], "problem": p}
                for r in d.articles.to_dict("records")
                for p in str(r.get("problems") or "").split(PROBLEM_SEP) if p]
    if problems:  # read, but with something to fix (no date, a bad manifest row)
        parts.append("<h3>Problems in files that were read</h3>")
        parts.append(html_table(problems, [("file", "File"), ("problem", "Problem")], cls="skipped"))
    ev = d.all_events
    src = ev["event_date_source"].replace("", "(missing)").value_counts()
    rows = [{"_code": k, "what": f"event date from: {k}", "n": int(v)} for k, v in src.items()]
    rows += [
        {"_code": "outside_window", "what": "outside the date window, or undated with a window set (left out)",
         "n": len(d.outside)},
        {"_code": "undated", "what": "selected events without any date (counted, not on the timeline)",
         "n": int(d.events["date"].isna().sum())},
        {"_code": "type_not_selected", "what": "of an event type not selected (left out)",
         "n": int((~ev["event_type"].isin(d.cfg.event_types)).sum())},
        {"_code": "no_target", "what": "selected events naming no target",
         "n": int(d.events["target"].eq("").sum())},
        {"_code": "no_topic", "what": "selected demands and responses naming no topic",
         "n": int((d.events["role"].isin(["demand", "response"]) & d.events["topics"].eq("")).sum())},
    ]
    parts.append("<h3>Event dates and coverage</h3>" + html_table(
        rows, [("what", f"Of {len(ev)} event mentions extracted"), ("n", "Mentions")], numeric=("n",),
        key="coverage", row_key="_code", cls="counts"))
    return "".join(parts)


def _accuracy(d: ReportData) -> str:
    if d.accuracy is None:
        return f'<p class="none">{_esc(d.accuracy_note)}</p>'
    a = d.accuracy
    first = "gold_set" if "gold_set" in a.columns else a.columns[0]
    num = [c for c in a.columns if c != first and pd.api.types.is_numeric_dtype(a[c])]
    rows = []
    for _, r in a.iterrows():
        row = {"_code": str(r[first])}
        for c in a.columns:
            v = r[c]
            if c in num and pd.api.types.is_float_dtype(a[c]) and not pd.isna(v):
                row[c] = f"{v:.2f}"
            elif c in num and not pd.isna(v):
                row[c] = f"{v:g}"
            else:
                row[c] = "" if pd.isna(v) else str(v)
        rows.append(row)
    return (html_table(rows, [(c, c.replace("_", " ")) for c in a.columns], numeric=tuple(num),
                       key="accuracy", row_key="_code", cls="counts accuracy")
            + '<p class="note">Precision: share of extracted events that are in the gold set; recall: share '
              "of gold events that were extracted; F1: their harmonic mean. An event matches when "
              "sentence, actor and event type agree; target, topics and date are scored on the matches. "
              "The gold sets are hand-made annotations of the codebook, kept in tests/gold (listed in "
              "tests/gold/sets.csv). Role <em>development</em>: the extraction rules were written while "
              "looking at this set, so its scores overstate accuracy on new articles; <em>held out</em>: "
              "the rules were written without seeing it, the better estimate for your own articles.</p>")


def _method(d: ReportData) -> str:
    from ultimatum.lexicon import read_rows
    rows = [{"type": r["event_type"].title(), "role": r["role"], "plover": r["plover"],
             "cameo": r["cameo"], "weight": f"{float(r['weight']):+.1f}",
             "shown": "yes" if r["event_type"] in d.cfg.event_types else "no"}
            for r in read_rows("event_types.csv")]
    return ("<p>One event is one sentence saying that a party (the actor) did something to another "
            "(the target): demanded, rejected, offered, accepted, threatened, accused, or mobilised. "
            "Demands and responses are what the parties asked of and answered each other; threats, "
            "accusations and mobilisation are escalation signals. Every report of an act is a "
            "<em>mention</em>; mentions of the same act form one <em>distinct claim</em>. "
            "The rules are set out in the project’s CODEBOOK.md.</p>"
            + html_table(rows, [("type", "Event type"), ("role", "Role"), ("plover", "PLOVER"),
                                ("cameo", "CAMEO"), ("weight", "Goldstein weight"), ("shown", "In this report")],
                         numeric=("weight",), cls="counts")
            + f'<p class="note">Settings: {_esc(d.cfg.source.name)}; event types shown: '
              f'{_esc(", ".join(d.cfg.event_types))}; date window {_esc(findings.date_range_text(*d.window))}.</p>')


def _evidence(d: ReportData) -> str:
    if d.events.empty:
        return '<p class="none">No events in the selected data.</p>'
    label, n, limit = d.cfg.party_label, d.cfg.max_sentence_chars, d.cfg.evidence_limit
    shown = d.events if limit is None else d.events.head(limit)
    rows = []
    for _, e in shown.iterrows():
        src = {"explicit": "", "relative": " (rel.)", "published": " (pub.)"}.get(e["event_date_source"], "")
        topics = ", ".join(d.cfg.topic_label(t) for t in counts.split_codes(e["topics"]) if t)
        actor = label(e["actor"]) + (f" ({e['actor_name']})" if e["actor"] == "OTHER" and e["actor_name"] else "")
        targets = " / ".join(label(t) for t in counts.split_codes(e["target"]))
        rows.append({
            "n": int(e["eid"]),
            "date": _esc((f"{e['date']:%Y-%m-%d}" if not pd.isna(e["date"]) else "—") + src),
            "event": (f'<b>{_esc(actor)}</b> <span class="etype">{_esc(e["event_type"])}</span> '
                      f"→ {_esc(targets)}" + (f'<br><span class="topics">{_esc(topics)}</span>' if topics else "")),
            "sentence": (f"{_esc(_cut(e['sentence'], n))}<br><span class=\"src\">{_esc(e['article_id'])} · "
                         f"sentence {_esc(e['sentence_id'])} · rule {_esc(e['rule'])} · claim {_esc(e['claim_id'])}"
                         "</span>"),
        })
    cut = len(d.events) - len(shown)
    scope = ("Every event counted in this report" if not cut else
             f"The first {len(shown)} of the {len(d.events)} events counted in this report (setting "
             f"<code>evidence_limit</code>; all of them are in events.csv)")
    return (f'<p class="note">{scope}, in date order. Date: the event’s own '
            "date; (rel.) resolved from a relative phrase, (pub.) the article’s publication date. "
            "Under each sentence: its article, sentence number, the rule that fired, and its distinct claim.</p>"
            + html_table(rows, [("n", "#"), ("date", "Date"), ("event", "Actor, type → target; topics"),
                                ("sentence", "Sentence")], cls="evidence", raw=("date", "event", "sentence")))


def _title_page(d: ReportData) -> dict:
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


def render_html(d: ReportData, ch: dict[str, charts.Chart]) -> str:
    """The report as one self-contained HTML page."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(resources.files("ultimatum.report") / "templates")),
        autoescape=jinja2.select_autoescape(["html", "j2"]), trim_blocks=True, lstrip_blocks=True)
    css = (resources.files("ultimatum.report") / "templates" / "report.css").read_text(encoding="utf-8")
    try:
        version = metadata.version("ultimatum")
    except metadata.PackageNotFoundError:
        version = "dev"
    return env.get_template("report.html.j2").render(
        cfg=d.cfg, css=css, version=version, sections=SECTIONS, body=_sections(d, ch),
        title_page=_title_page(d), event_types=list(d.cfg.event_types))


def render_pdf(html_text: str):
    """Lay the HTML out as pages with WeasyPrint (print CSS: A4, page numbers)."""
    from weasyprint import HTML
    return HTML(string=html_text, base_url=None).render()


def write_report(d: ReportData, report_dir: str | Path, pdf: bool = True) -> dict[str, Path]:
    """Charts into ``report_dir/figures``, then report.html and report.pdf."""
    report_dir = Path(report_dir)
    ch = make_charts(d, report_dir / "figures")
    html_text = render_html(d, ch)
    paths = {"html": write_text_atomic(html_text, report_dir / "report.html")}
    if pdf:
        d.document = render_pdf(html_text)
        d.pages = len(d.document.pages)
        paths["pdf"] = write_text_atomic(d.document.write_pdf(), report_dir / "report.pdf")
    for name, chart in ch.items():
        paths[f"figure:{name}"] = chart.paths["svg"]
    return paths


def build_report(processed_dir: str | Path, report_dir: str | Path, config: ReportConfig | str | Path | None = None,
                 accuracy: pd.DataFrame | None = None, accuracy_note: str | None = None) -> dict[str, Path]:
    """Render report.html, report.pdf and figures/ from the processed tables."""
    cfg = config if isinstance(config, ReportConfig) else load_config(config)
    return write_report(assemble(processed_dir, cfg, accuracy, accuracy_note), report_dir)


def save_accuracy(table: pd.DataFrame | None, processed_dir: str | Path) -> Path | None:
    """Keep the measured accuracy next to the tables (or remove a stale file)."""
    path = Path(processed_dir) / ACCURACY_FILE
    if table is None:
        path.unlink(missing_ok=True)
        return None
    return write_csv_atomic(table, path)
