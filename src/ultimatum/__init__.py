"""ultimatum: demands, responses and escalation signals in the Russia-NATO
security-guarantees crisis, extracted from news articles with evidence."""
from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__version__ = "0.1.0"


def read_table(path: str | os.PathLike, **read_csv: Any) -> pd.DataFrame:
    """A table ``ultimatum extract`` wrote, read with ``pandas.read_csv``,
    its text cells as they were before the single quote that keeps a
    spreadsheet from running them (see :mod:`ultimatum.cells`)."""
    from ultimatum.cells import read_table as read
    return read(path, **read_csv)
