"""Reading back the tables ``ultimatum extract`` wrote into a folder, each
column with the type the data dictionary gives it, and one line naming the
file when a table is missing or is not one.

A folder written by ``ultimatum extract`` links its tables through
``.ultimatum/tables/current``; that link is resolved once, so the tables read
are one run's set even while another run switches it. A copy of the tables
(``cp -L``) is read as it is. Nothing here imports spaCy."""
from __future__ import annotations

import csv
import os
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ultimatum.cells import restore
from ultimatum.dictionary import dtypes
from ultimatum.runtime.outputs import CURRENT_NAME, STATE_DIRNAME
from ultimatum.schema import TABLE_COLUMNS

#: The kind of output set ``ultimatum extract`` writes (``OUT/.ultimatum/tables``).
TABLES_KIND = "tables"


class TableError(ValueError):
    """A folder or table that cannot be read; the message names it and says why."""


def tables_folder(folder: str | os.PathLike) -> Path:
    """The folder that holds one run's tables: ``folder``'s current set, or
    ``folder`` itself when it holds plain copies."""
    folder = Path(folder)
    if not folder.exists():
        raise TableError(f"{folder}: no such folder (write the tables with `ultimatum extract RAW --out {folder}`)")
    if not folder.is_dir():
        raise TableError(f"{folder}: not a folder")
    current = folder / STATE_DIRNAME / TABLES_KIND / CURRENT_NAME
    return Path(os.path.realpath(current)) if current.is_dir() else folder


def _header(path: Path, shown: Path) -> list[str]:
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            return next(csv.reader(fh), [])
    except UnicodeDecodeError:
        raise TableError(f"{shown}: not a CSV text file (binary data, or not UTF-8)") from None
    except csv.Error as exc:
        raise TableError(f"{shown}: not a readable CSV table ({exc})") from None
    except OSError as exc:
        raise TableError(f"{shown}: {exc.strerror or exc}") from None


def _number(value: str) -> float:
    return float(value) if value != "" else np.nan


def _typed(table: pd.DataFrame, types: dict[str, str], shown: Path) -> pd.DataFrame:
    """``table`` (all text) with the columns of ``types`` converted: whole
    numbers (never empty) and numbers (an empty cell is NaN)."""
    for column, dtype in types.items():
        if column not in table.columns:
            continue
        convert = int if dtype == "int64" else _number
        try:
            table[column] = np.array([convert(v) for v in table[column]], dtype=dtype)
        except ValueError:
            bad = next(v for v in table[column] if not _converts(convert, v))
            kind = "a whole number" if dtype == "int64" else "a number"
            raise TableError(f"{shown}: column {column}: {bad!r} is not {kind}") from None
    return table


def _converts(convert: Callable[[str], object], value: str) -> bool:
    try:
        convert(value)
    except ValueError:
        return False
    return True


def read_table(folder: str | os.PathLike, table: str, columns: Sequence[str] | None = None,
               source: Path | None = None) -> pd.DataFrame:
    """``folder``'s ``TABLE.csv`` (articles, skipped, events or claims),
    only ``columns`` when given, typed as the data dictionary says.
    ``source`` is the folder resolved by :func:`tables_folder` (resolved here
    when not given). :class:`TableError` names ``folder/TABLE.csv``."""
    shown = Path(folder) / f"{table}.csv"
    path = (source if source is not None else tables_folder(folder)) / f"{table}.csv"
    if not path.is_file():
        raise TableError(f"{shown}: no such file (write the tables with `ultimatum extract RAW --out {folder}`)")
    header = _header(path, shown)
    if not header:
        raise TableError(f"{shown}: empty file (no header row)")
    wanted = list(columns) if columns is not None else TABLE_COLUMNS[table]
    missing = [c for c in wanted if c not in header]
    if missing:
        raise TableError(f"{shown}: missing columns {', '.join(missing)} (not a {table} table of ultimatum extract)")
    try:
        data = pd.read_csv(path, dtype=str, keep_default_na=False, usecols=wanted)
    except (ValueError, pd.errors.ParserError) as exc:
        raise TableError(f"{shown}: not a readable CSV table ({' '.join(str(exc).split())})") from None
    return _typed(restore(data[wanted].copy()), dtypes(f"{table}.csv"), shown)
