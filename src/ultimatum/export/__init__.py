"""Export: the events of a folder of tables in the formats event-data users
load, PLOVER-style JSON lines and a CAMEO-coded table in GDELT's column names
(``writer``), each event made into records by ``records`` with the codes of
``codes`` (data files in this folder, each citing its sources)."""
from __future__ import annotations

from ultimatum.export.writer import FORMATS, Exported, ExportError, export_events

__all__ = ["FORMATS", "ExportError", "Exported", "export_events"]
