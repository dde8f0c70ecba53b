"""The executed report notebook as ``report.html`` and ``report.pdf``.

nbconvert's HTML exporter renders the notebook with the project's own
template (``templates/ultimatum``): markdown cells and the rich outputs of
code cells (HTML, SVG, Markdown), never the code, with the report's CSS
inline, so the page is one self-contained file with nothing fetched.
WeasyPrint lays that HTML out as A4 pages (print CSS: title page, contents
with page numbers, page numbers, nothing cut across pages); no LaTeX and no
browser are involved."""
from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import metadata, resources
from pathlib import Path
from typing import TYPE_CHECKING

import nbformat

from ultimatum.runtime.atomic import write_text_atomic

if TYPE_CHECKING:
    from weasyprint import Document

#: Cells with this tag are for the notebook's reader only, never in the report.
NOTEBOOK_ONLY = "notebook-only"
#: Cells with this tag make up the title page; a cell tagged ``contents`` there becomes the contents.
TITLE_PAGE, CONTENTS = "title-page", "contents"
#: A section whose heading cell has this tag starts on a new page.
NEW_PAGE = "new-page"
TEMPLATE_NAME = "ultimatum"
#: Beside report.pdf: what it was laid out from (see :func:`write_pdf`).
PDF_KEY_NAME = ".report.pdf.key"


def warm_up() -> None:
    """Load nbconvert and WeasyPrint ahead (about a second), e.g. while notebooks run."""
    import nbconvert  # noqa: F401
    import weasyprint  # noqa: F401


def _templates() -> Path:
    return Path(str(resources.files("ultimatum.report") / "templates"))


def section_id(heading: str) -> str:
    """The anchor of a section: its heading in lower case, words joined by ``-``."""
    return re.sub(r"[^a-z0-9]+", "-", heading.lower()).strip("-") or "section"


def sections(nb: nbformat.NotebookNode) -> list[tuple[str, str]]:
    """(anchor, heading) of every ``## `` heading of the report's markdown cells, in order."""
    out = []
    for cell in nb.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if cell.cell_type == "markdown" and NOTEBOOK_ONLY not in tags and cell.source.startswith("## "):
            heading = cell.source.splitlines()[0][3:].strip()
            out.append((section_id(heading), heading))
    return out


def _version() -> str:
    try:
        return metadata.version("ultimatum")
    except metadata.PackageNotFoundError:
        return "dev"


def notebook_html(notebook: str | Path | nbformat.NotebookNode, title: str = "Report") -> str:
    """The executed notebook rendered by the project's nbconvert template (code hidden)."""
    from nbconvert import HTMLExporter
    nb = nbformat.read(str(notebook), as_version=4) if isinstance(notebook, (str, Path)) else notebook
    exporter = HTMLExporter(template_name=TEMPLATE_NAME, extra_template_basedirs=[str(_templates())],
                            exclude_input=True)
    exporter.register_filter("section_id", section_id)
    css = (_templates() / "report.css").read_text(encoding="utf-8")
    meta = nb.metadata.get("ultimatum", {})
    body, _ = exporter.from_notebook_node(nb, resources={
        "report_css": css, "version": _version(), "sections": sections(nb),
        "report_title": meta.get("title", title)})
    return str(body)


def html_pdf(html_text: str) -> Document:
    """Lay the HTML out as pages with WeasyPrint (print CSS: A4, page numbers)."""
    from weasyprint import HTML
    return HTML(string=html_text, base_url=None).render()


#: The embedded fonts' modification time (seconds since 1970) when the
#: environment sets no SOURCE_DATE_EPOCH: fontTools, which saves the fonts
#: WeasyPrint does not subset with HarfBuzz (no HarfBuzz-Subset library,
#: variable fonts), stamps each with the current time, so the same HTML laid
#: out a second later gave other PDF bytes.
FONT_EPOCH = "0"


def _font_epoch() -> str:
    """The fonts' time stamp a layout now gets: the user's SOURCE_DATE_EPOCH,
    or :data:`FONT_EPOCH`."""
    return os.environ.get("SOURCE_DATE_EPOCH", FONT_EPOCH)


@contextmanager
def _fixed_font_time() -> Iterator[None]:
    """SOURCE_DATE_EPOCH set (to :data:`FONT_EPOCH`, unless already set) for a layout.
    The variable is the process's: layouts run after the notebooks, alone."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = FONT_EPOCH
    try:
        yield
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)


def pdf_bytes(html_text: str) -> bytes:
    """The PDF laid out from ``html_text``: the same HTML gives the same bytes."""
    with _fixed_font_time():
        return html_pdf(html_text).write_pdf()


def layout_key(html_text: str) -> str:
    """What decides report.pdf's bytes: the HTML, the WeasyPrint that lays it
    out and the fonts' time stamp (SOURCE_DATE_EPOCH)."""
    import weasyprint
    return hashlib.sha256(f"WeasyPrint {weasyprint.__version__} {_font_epoch()}\n{html_text}".encode()).hexdigest()


def write_pdf(html_text: str, report_dir: str | Path, previous: str | Path | None = None) -> Path:
    """``report_dir/report.pdf`` laid out from ``html_text``. The folder
    ``previous`` (the last report) lends its PDF when that was laid out from
    the same HTML by the same WeasyPrint: layout takes seconds and gives the
    same bytes, so a rebuild that changes nothing in the report skips it."""
    report_dir = Path(report_dir)
    key = layout_key(html_text)
    old_key = Path(previous) / PDF_KEY_NAME if previous is not None else None
    if old_key is not None and old_key.is_file() and old_key.read_text(encoding="ascii") == key \
            and (old_key.parent / "report.pdf").is_file():
        data = (old_key.parent / "report.pdf").read_bytes()
    else:
        data = pdf_bytes(html_text)
    path = write_text_atomic(data, report_dir / "report.pdf")
    write_text_atomic(key, report_dir / PDF_KEY_NAME)
    return path


def write_report(notebook: str | Path, report_dir: str | Path, pdf: bool = True,
                 previous: str | Path | None = None,
                 on_stage: Callable[[str], None] | None = None) -> dict[str, Path]:
    """``report_dir/report.html`` from the executed notebook, then ``report.pdf``
    from that HTML; their paths. ``previous``, the last report's folder (by
    default ``report_dir`` itself), lends its PDF when the HTML is the same
    (:func:`write_pdf`); ``on_stage`` is told of each step before it runs."""
    report_dir = Path(report_dir)
    if on_stage is not None:
        on_stage("rendering report.html")
    html_text = notebook_html(notebook)
    paths = {"html": write_text_atomic(html_text, report_dir / "report.html")}
    if pdf:
        if on_stage is not None:
            on_stage("laying out report.pdf")
        paths["pdf"] = write_pdf(html_text, report_dir, report_dir if previous is None else previous)
    return paths
