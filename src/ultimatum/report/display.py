"""What the report notebook's cells call to show things: prose with numbers
that link to their evidence, charts saved as files and shown inline, and HTML
tables. The cells say what is shown; this module only shows it.

A number written with :meth:`Page.num` becomes ``<a class="num"
data-key="KEY" href="#why-KEY">``: ``data-key`` lets a test read it back,
the link leads to the list of the events behind it (the appendix's
*Evidence behind the numbers*)."""
from __future__ import annotations

import html
from pathlib import Path

import pandas as pd
from IPython.display import HTML, Markdown, display
from matplotlib.figure import Figure

from ultimatum.report import charts
from ultimatum.report.data import ReportData


def _text(value: int | float | str) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


class Page:
    """The report being written: its data, where its figures go, and the
    evidence recorded behind each linked number."""

    def __init__(self, data: ReportData, report_dir: str | Path) -> None:
        self.d = data
        self.figures = Path(report_dir) / "figures"

    def num(self, key: str, value: int | float | str, rows: pd.DataFrame | None = None, what: str = "") -> str:
        """``value`` as HTML keyed ``key``; with ``rows`` (the events behind it)
        a link to their list, described by ``what``."""
        cls = "num" if isinstance(value, (int, float)) else "term"
        attrs = f'class="{cls}" data-key="{html.escape(key)}"'
        text = html.escape(_text(value))
        if rows is None or rows.empty:
            return f"<span {attrs}>{text}</span>"
        return f'<a {attrs} href="{html.escape(self.d.ref(key, what or key, rows))}">{text}</a>'

    @staticmethod
    def say(*paragraphs: str) -> None:
        """Show prose (Markdown; numbers from :meth:`num` inline)."""
        display(Markdown("\n\n".join(paragraphs)))

    @staticmethod
    def bullets(items: list[str], cls: str = "findings") -> None:
        """Show sentences as a list (HTML; numbers from :meth:`num` inline)."""
        display(HTML(f'<ul class="{cls}">' + "".join(f"<li>{i}</li>" for i in items) + "</ul>"))

    @staticmethod
    def html(text: str) -> None:
        """Show a piece of HTML (a table of ``report.tables``)."""
        display(HTML(text))

    def chart(self, fig: Figure, name: str, caption: str) -> charts.Chart:
        """Save ``fig`` as ``figures/NAME.svg`` and ``.png`` and show it with ``caption``."""
        suptitle = getattr(fig, "_suptitle", None)  # the title the chart functions set
        title = suptitle.get_text().replace("\n", " ") if suptitle is not None else name
        chart = charts.save(fig, name, title, self.figures, self.d.cfg.png_dpi)
        display(HTML(f'<figure class="chart" id="fig-{name}" data-chart="{name}">{chart.svg}'
                     f"<figcaption>{html.escape(caption)} Files: figures/{name}.svg, figures/{name}.png."
                     "</figcaption></figure>"))
        return chart
