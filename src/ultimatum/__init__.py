"""ultimatum: demands, responses and escalation signals in the Russia-NATO
security-guarantees crisis, extracted from news articles with evidence.

For data users (see :mod:`ultimatum.api`)::

    import ultimatum
    result = ultimatum.extract_folder("data/raw", out="data/processed")  # Result(articles, events, claims, skipped)
    result = ultimatum.read_tables("data/processed")                     # the tables of an earlier run
    ultimatum.export_events("data/processed", "data/export")             # PLOVER JSON lines, CAMEO TSV
    ultimatum.build_report("data/raw", "report")                         # report.html and report.pdf

Importing the package loads neither spaCy nor pandas: the API is imported
when first used."""
from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from ultimatum.api import Result, build_report, export_events, extract_folder, read_tables

__version__ = "0.1.0"
__all__ = ["Result", "build_report", "export_events", "extract_folder", "read_table", "read_tables"]
_API = frozenset({"Result", "build_report", "export_events", "extract_folder", "read_tables"})


def __getattr__(name: str) -> Any:
    """The API's names, imported from :mod:`ultimatum.api` when first asked for."""
    if name in _API:
        from ultimatum import api
        return getattr(api, name)
    raise AttributeError(f"module 'ultimatum' has no attribute {name!r}")


def read_table(path: str | os.PathLike, **read_csv: Any) -> pd.DataFrame:
    """A table ``ultimatum extract`` wrote, read with ``pandas.read_csv``,
    its text cells as they were before the single quote that keeps a
    spreadsheet from running them (see :mod:`ultimatum.cells`)."""
    from ultimatum.cells import read_table as read
    return read(path, **read_csv)
