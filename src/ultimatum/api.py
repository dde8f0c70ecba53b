"""The Python API for data users: thin wrappers over the pipeline that the
command line runs, importable as ``ultimatum.extract_folder`` and so on.

>>> import ultimatum
>>> result = ultimatum.extract_folder("data/raw", out="data/processed")
>>> result.events.groupby("actor").size()
>>> ultimatum.export_events("data/processed", "data/export")
>>> ultimatum.build_report("data/raw", "report")

The tables are pandas DataFrames with the columns and types of the data
dictionary (``docs/DATA_DICTIONARY.md``). spaCy is imported only when
articles are extracted: reading tables back and exporting them do not load it.
Problems raise the exceptions the command line turns into one line:
:class:`~ultimatum.ingest.reader.IngestError` (the raw folder),
:class:`~ultimatum.tables.TableError` (a table),
:class:`~ultimatum.runtime.outputs.OutputError` (an output folder),
:class:`~ultimatum.export.ExportError` and
:class:`~ultimatum.report.config.ConfigError` (a report setting)."""
from __future__ import annotations

import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ultimatum.tables import read_table, tables_folder

if TYPE_CHECKING:
    from ultimatum.export import Exported


@dataclass(frozen=True)
class Result:
    """The four tables of one extraction run, and the folder they are in
    (``None`` when they were not kept)."""
    articles: pd.DataFrame
    events: pd.DataFrame
    claims: pd.DataFrame
    skipped: pd.DataFrame
    folder: Path | None = None


def read_tables(folder: str | Path = "data/processed") -> Result:
    """The tables ``ultimatum extract`` (or :func:`extract_folder`) wrote into
    ``folder``, one run's set, each column typed as the data dictionary says."""
    source = tables_folder(folder)
    tables = {name: read_table(folder, name, source=source) for name in ("articles", "events", "claims", "skipped")}
    return Result(**tables, folder=Path(folder))


def extract_folder(path: str | Path, out: str | Path | None = None, *,
                   workers: int | None = None, use_cache: bool = True, progress: bool = False,
                   engine: str = "local", scheduler: str | None = None) -> Result:
    """Read every article in the folder ``path`` and extract its events,
    as ``ultimatum extract PATH --out OUT`` does. With ``out`` the four tables
    are written there (and its cache reused); without, they are only returned."""
    from ultimatum.ingest.reader import IngestError
    from ultimatum.pipeline import run_extract
    raw = Path(path)
    if not raw.is_dir():
        raise IngestError(f"{raw}: {'not a folder' if raw.exists() else 'no such folder'}")
    options: dict[str, Any] = {"engine": engine, "workers": workers, "scheduler": scheduler, "progress": progress}
    if out is not None:
        run_extract(raw, out, use_cache=use_cache, **options)
        return read_tables(out)
    with tempfile.TemporaryDirectory(prefix="ultimatum-tables-") as folder:
        run_extract(raw, folder, use_cache=False, **options)
        tables = read_tables(folder)
    return Result(tables.articles, tables.events, tables.claims, tables.skipped)


def export_events(processed: str | Path = "data/processed", out: str | Path = "data/export",
                  formats: Sequence[str] | None = None) -> Exported:
    """Write the events of the tables in ``processed`` as PLOVER-style JSON
    lines and a CAMEO-coded TSV (``formats``: ``plover``, ``cameo``; default
    both) into ``out``, as ``ultimatum export`` does; what was written."""
    from ultimatum.export import export_events as export
    return export(processed, out, formats)


def _parameter(value: Any) -> str:
    """A notebook parameter as the command line passes it (text)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ",".join(map(str, value))
    return str(value)


def build_report(raw: str | Path, out: str | Path = "report", *,
                 processed: str | Path | None = None, params: Mapping[str, Any] | None = None,
                 notebooks: str | Path | None = None, gold_root: str | Path | None = None) -> Path:
    """Run the report notebooks on the articles in ``raw`` and render
    ``out/report.html`` and ``out/report.pdf``, as ``ultimatum report`` does;
    the path of the HTML report. ``params`` are the report notebook's
    parameters (``date_from``, ``event_types``, ``config_path``, ...), checked
    before anything runs; ``processed`` keeps the tables there (default
    ``out/data``); ``notebooks`` and ``gold_root`` as the command's options."""
    from ultimatum.ingest.reader import IngestError, ingest
    from ultimatum.report.accuracy import default_gold_root
    from ultimatum.report.config import check_parameters
    from ultimatum.report.notebooks import build, notebooks_dir
    from ultimatum.runtime.outputs import check_outside
    raw_dir = Path(raw)
    if not raw_dir.is_dir():
        raise IngestError(f"{raw_dir}: {'not a folder' if raw_dir.exists() else 'no such folder'}")
    given = {key: _parameter(value) for key, value in (params or {}).items()}
    check_parameters(given)
    extra = {key: str(Path(value).resolve()) if key.endswith(("_path", "_dir")) and value else value
             for key, value in given.items()}
    notebooks_path = notebooks_dir(notebooks)
    if ingest(raw_dir).articles.empty:
        raise IngestError(f"{raw_dir}: no readable articles")
    check_outside(out, raw_dir, "out")
    if processed is not None:
        check_outside(processed, raw_dir, "processed")
    build(raw_dir, out, processed, extra=extra, notebooks=notebooks_path,
          gold_root=gold_root if gold_root is not None else default_gold_root())
    return Path(out) / "report.html"
