"""What the report shows: :class:`ReportData`, every table of one report,
computed once by ``assemble.assemble`` and read by the report notebook's
cells, with the evidence behind each number they link (:meth:`ReportData.ref`)."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ultimatum.report.config import ReportConfig


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
    tables: dict[str, pd.DataFrame | pd.Series] = field(default_factory=dict)
    #: the evidence behind each linked number: key -> (what it counts, event numbers)
    refs: dict[str, tuple[str, list[int]]] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        """A table of :attr:`tables` by name (``d.demands``); each has its own columns."""
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)

    def ref(self, key: str, what: str, rows: pd.DataFrame) -> str:
        """Record the events (``rows``) behind the number ``key`` and return the
        link to them in the appendix (``#why-KEY``); a number that counts every
        event links to the evidence appendix itself."""
        eids = [int(e) for e in rows["eid"]]
        if len(eids) == len(self.events) and len(eids) and self.cfg.evidence_limit is None:
            return f"#{EVIDENCE_ID}"
        self.refs[key] = (what, eids)
        return "#" + ref_id(key)


#: The anchor of the evidence appendix (the id nbconvert's template gives its heading's section).
EVIDENCE_ID = "appendix-evidence"


def ref_id(key: str) -> str:
    """The anchor of a number's evidence list: ``why-`` and the key, made safe."""
    return "why-" + re.sub(r"[^A-Za-z0-9_.-]", "_", key)
