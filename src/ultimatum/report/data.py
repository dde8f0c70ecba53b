"""What the report shows: :class:`ReportData`, every table, finding and
chart title of one report, computed once by ``render.assemble`` and read by
the charts (``figures.py``) and the HTML sections (``sections.py``)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from ultimatum.report import findings
from ultimatum.report.config import ReportConfig

if TYPE_CHECKING:
    from weasyprint import Document


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
    #: the period the project studies (config/study.yaml) and the articles published outside it
    study: tuple[dt.date, dt.date] | None = None
    outside_study: list[str] = field(default_factory=list)
    n_outlets: int = 0
    pages: int = 0
    document: Document | None = field(default=None, repr=False)  # the PDF's pages, once laid out
    tables: dict[str, pd.DataFrame | pd.Series] = field(default_factory=dict)
    findings: list[findings.Finding] = field(default_factory=list)
    titles: dict[str, str] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        """A table of :attr:`tables` by name (``d.demands``); each has its own columns."""
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)

    @property
    def values(self) -> dict[str, int | float | str]:
        """Keyed numbers of the key findings."""
        return findings.values(self.findings)
