"""Table cells a spreadsheet will not run: CSV injection (OWASP).

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is a formula to Excel and LibreOffice (``=HYPERLINK(...)``,
``=cmd|' /C calc'!A0``), and article titles and sentences are other people's
text. Every CSV table is written through :func:`neutralise`, which puts a
single quote before such a cell, as OWASP recommends; numbers (``-5.0`` in a
number column, or as text) are left as they are. A cell that already starts
with quotes before such a character gets one more, so :func:`restore` (and
:func:`read_table`) give back exactly the text that was written. Ordinary
text is not touched: a table without such cells is returned as it is."""
from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

#: Characters that start a formula in a spreadsheet cell.
_FORMULA_STARTS = "=+-@\t\r"
#: Quotes, then a character that starts a formula: a cell that needs one more quote.
_FORMULA = re.compile("'*[" + re.escape(_FORMULA_STARTS) + "]")
#: A plain number (a spreadsheet reads it as a number, never as a formula).
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
#: The first characters ``_FORMULA`` can match at (most cells start otherwise).
_STARTS = frozenset("'" + _FORMULA_STARTS)


def _runs(value: Any) -> bool:
    return isinstance(value, str) and value[:1] in _STARTS and _FORMULA.match(value) is not None \
        and _NUMBER.fullmatch(value) is None


def _quoted(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("'") and _runs(value[1:])


def _text_columns(table: pd.DataFrame) -> list[int]:
    return [k for k, dtype in enumerate(table.dtypes) if dtype.kind == "O" or isinstance(dtype, pd.StringDtype)]


def _map_cells(table: pd.DataFrame, test: Callable[[Any], bool], change: Callable[[str], str]) -> pd.DataFrame:
    out = table
    for k in _text_columns(table):
        values = table.iloc[:, k].to_numpy(dtype=object)
        hits = np.fromiter(map(test, values), dtype=bool, count=len(values))
        if hits.any():
            if out is table:
                out = table.copy()
            values = values.copy()
            values[hits] = [change(v) for v in values[hits]]
            out.isetitem(k, values)
    return out


def neutralise(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with a single quote before every text cell a spreadsheet
    would run as a formula; ``table`` itself when it has none."""
    return _map_cells(table, _runs, lambda v: "'" + v)


def restore(table: pd.DataFrame) -> pd.DataFrame:
    """The text cells of a table read from a CSV as they were before
    :func:`neutralise` (the inverse; numbers and other cells as they are)."""
    return _map_cells(table, _quoted, lambda v: v[1:])


def read_table(path: str | os.PathLike, **read_csv: Any) -> pd.DataFrame:
    """One of the tables ``ultimatum extract`` writes (``articles.csv``,
    ``events.csv``, ``claims.csv``, ``skipped.csv``), read with
    ``pandas.read_csv(path, **read_csv)``, text cells as they were before
    the quote that keeps spreadsheets from running them."""
    return restore(pd.read_csv(path, **read_csv))
