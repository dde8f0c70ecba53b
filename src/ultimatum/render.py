"""Rendering the report: HTML from a Jinja2 template, PDF with WeasyPrint."""
from __future__ import annotations

from importlib import resources
from pathlib import Path

import jinja2
import pandas as pd

from . import charts, counts
from .io import write_text_atomic


def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(resources.files("ultimatum") / "templates")),
        autoescape=jinja2.select_autoescape(["html", "j2"]))


def build_report(processed_dir: str | Path, report_dir: str | Path) -> dict[str, Path]:
    """Render report.html and report.pdf from the processed tables."""
    processed_dir, report_dir = Path(processed_dir), Path(report_dir)
    articles = pd.read_csv(processed_dir / "articles.csv", dtype=str, keep_default_na=False)
    events = pd.read_csv(processed_dir / "events.csv", dtype=str, keep_default_na=False)
    table = counts.party_type_counts(events)
    figs = charts.bar_party_types(table, report_dir / "figures", len(events))
    svg = figs["svg"].read_text(encoding="utf-8")
    svg = svg[svg.index("<svg"):]
    html = _env().get_template("report.html.j2").render(
        title="Russia-NATO security guarantees: who demanded what of whom",
        n_articles=len(articles), n_events=len(events), chart_svg=svg,
        counts_html=table.to_html(),
        evidence_html=events[["article_id", "sentence", "actor", "event_type", "rule"]].to_html(index=False))
    html_path = write_text_atomic(html, report_dir / "report.html")
    from weasyprint import HTML
    pdf = HTML(string=html, base_url=str(report_dir)).write_pdf()
    pdf_path = write_text_atomic(pdf, report_dir / "report.pdf")
    return {"html": html_path, "pdf": pdf_path}
