"""The report: counts, findings and charts assembled into one self-contained
HTML file (inline CSS and SVG, nothing fetched) and a paginated PDF (WeasyPrint).

The report notebook calls the two steps, ``assemble`` and ``write_report``,
so a reader can look at the data between them. The charts are
drawn by ``figures.py``, the HTML of the sections written by ``sections.py``
and ``provenance.py``."""
from __future__ import annotations

import datetime as dt
from importlib import metadata, resources
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
import pandas as pd

from ultimatum.ingest.pubdates import study_window
from ultimatum.report import charts, counts, findings
from ultimatum.report.accuracy import ACCURACY_FILE
from ultimatum.report.config import ReportConfig, load_config
from ultimatum.report.data import ReportData
from ultimatum.report.figures import make_charts
from ultimatum.report.sections import SECTIONS, sections_html, title_page
from ultimatum.runtime.atomic import write_text_atomic
from ultimatum.schema import EVENT_TYPES

if TYPE_CHECKING:
    from weasyprint import Document


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
    study = study_window()
    lo, hi = counts.default_window(t.articles, t.events, study)
    window = (cfg.date_from or lo, cfg.date_to or hi)
    typed = t.events[t.events["event_type"].isin(cfg.event_types)]
    events, outside = counts.select(typed, *window,
                                    keep_undated=cfg.date_from is None and cfg.date_to is None)
    d = ReportData(cfg, t.articles, t.skipped, t.events, events, outside, window,
                   accuracy, accuracy_note or "", study=study,
                   outside_study=counts.outside_study(t.articles, study))
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


def _milestones(cfg: ReportConfig, window: tuple[dt.date | None, dt.date | None], articles: pd.DataFrame) -> pd.DataFrame:
    """Milestones inside the date window, each with whether its article is in the corpus."""
    m = cfg.milestones.copy()
    m["in_corpus"] = m["article_id"].isin(set(articles["article_id"]))
    lo, hi = window
    if lo is None or hi is None or not cfg.show_milestones:
        return m.iloc[0:0]
    start = pd.to_datetime(m["date"])
    end = pd.to_datetime(m["date_end"].replace("", pd.NA)).fillna(start)
    keep = (end >= pd.Timestamp(lo)) & (start <= pd.Timestamp(hi))
    return m[keep].reset_index(drop=True)


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
        cfg=d.cfg, css=css, version=version, sections=SECTIONS, body=sections_html(d, ch),
        title_page=title_page(d), event_types=list(d.cfg.event_types))


def render_pdf(html_text: str) -> Document:
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
        document = d.document = render_pdf(html_text)
        d.pages = len(document.pages)
        paths["pdf"] = write_text_atomic(document.write_pdf(), report_dir / "report.pdf")
    for name, chart in ch.items():
        paths[f"figure:{name}"] = chart.paths["svg"]
    return paths
