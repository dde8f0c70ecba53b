"""Knowing that a rerun would write the tables it already wrote.

The four tables are a function of the ingested article and skipped tables
(texts included) and of the pipeline (``cache.pipeline_fingerprint``: code,
lexicon, model), and two runs on the same input write them byte for byte
alike. A run therefore records with its tables a *run key*, a SHA-256 of
those inputs (built on the articles' cache keys, which already hash their
content and the pipeline), and a SHA-256 of each table as written (``run.json`` in its
generation). A later run whose inputs give the same key, and whose current
tables are still those bytes and still linked from the output folder, keeps
them instead of grouping claims and writing them again: an unchanged folder
is checked, not recomputed. Anything else (a changed or new file, a new
version of the package, a table edited or removed) runs as usual."""
from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd

from ultimatum.runtime.atomic import write_text_atomic
from ultimatum.runtime.cache import NOT_KEYED, article_key

RECORD_NAME = "run.json"
#: Version of the run key's recipe: a change of it makes every recorded key stale.
KEY_VERSION = 3
#: Libraries whose version may change how the tables are computed or written.
LIBRARIES = ("numpy", "pandas", "spacy", "thinc", "scikit-learn")


@dataclass(frozen=True)
class RunRecord:
    """What a run wrote: its key, each table's SHA-256, and the counts and
    event column types its result reports."""

    key: str
    files: dict[str, str]
    n_events: int
    n_claims: int
    event_dtypes: dict[str, str]

    def dtypes(self) -> dict[str, np.dtype]:
        """The event columns' types, as numpy types."""
        return {column: np.dtype(kind) for column, kind in self.event_dtypes.items()}


def _json(value: Any) -> str:
    """``value`` as canonical JSON (sorted keys; what JSON lacks as text)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


@lru_cache(maxsize=1)
def library_versions() -> str:
    """Python's version and those of :data:`LIBRARIES`: an upgrade may format a
    number or order a tie otherwise, so it makes the tables be written again."""
    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "-"
    return ";".join([f"python={sys.version.split()[0]}", *(f"{n}={version(n)}" for n in LIBRARIES)])


def article_keys(articles: pd.DataFrame, fingerprint: str,
                 text: Callable[[Any], Any] = lambda body: body) -> list[str]:
    """Each article row's cache key (``cache.article_key``), its text read
    through ``text`` for tables that hold a reference to it: computed once,
    for the run key and for the cache."""
    rows = cast(list[dict[str, Any]], articles.to_dict("records"))
    return [article_key({**row, "body": text(row["body"])} if "body" in row else row, fingerprint) for row in rows]


def run_key(keys: Sequence[str], articles: pd.DataFrame, skipped: pd.DataFrame) -> str:
    """SHA-256 of what the tables are made of: :func:`library_versions`, the
    article rows' cache ``keys`` in order (content and pipeline fingerprint),
    their bookkeeping columns that no key reads (``cache.NOT_KEYED``), the
    article table's columns, and every skipped row."""
    digest = hashlib.sha256(f"ultimatum-tables {KEY_VERSION}\n{library_versions()}\n".encode())
    digest.update(_json(list(articles.columns)).encode())
    kept = [c for c in articles.columns if c in NOT_KEYED]
    for key, row in zip(keys, articles[kept].itertuples(index=False, name=None), strict=True):
        digest.update(f"\n{key} ".encode() + _json(list(row)).encode())
    digest.update(b"\nskipped\n" + _json(list(skipped.columns)).encode())
    for row in skipped.itertuples(index=False, name=None):
        digest.update(b"\n" + _json(list(row)).encode())
    return digest.hexdigest()


def file_sha256(path: str | os.PathLike) -> str:
    """SHA-256 of a file's bytes."""
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def write_record(folder: Path, key: str, names: Iterable[str], *, n_events: int, n_claims: int,
                 event_dtypes: Mapping[str, Any]) -> RunRecord:
    """Record in ``folder`` (a run's generation, its tables written) the run
    key and the SHA-256 of each of the tables ``names``."""
    record = RunRecord(key, {name: file_sha256(folder / name) for name in names}, n_events, n_claims,
                       {column: np.dtype(kind).str for column, kind in event_dtypes.items()})
    write_text_atomic(_json(record.__dict__) + "\n", folder / RECORD_NAME)
    return record


def read_record(folder: Path) -> RunRecord | None:
    """The record in ``folder``, or None (none, unreadable or not one: every
    field is checked, the column types too)."""
    try:
        data = json.loads((folder / RECORD_NAME).read_text(encoding="utf-8"))
        record = RunRecord(str(data["key"]), {str(k): str(v) for k, v in data["files"].items()},
                           int(data["n_events"]), int(data["n_claims"]),
                           {str(k): str(v) for k, v in data["event_dtypes"].items()})
        record.dtypes()
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return record


def unchanged(folder: Path | None, key: str, names: Iterable[str]) -> RunRecord | None:
    """The record of the tables in ``folder`` (the current generation) when
    they were made from inputs with run key ``key`` and are still the bytes
    then written; None otherwise."""
    if folder is None:
        return None
    record = read_record(folder)
    names = list(names)
    if record is None or record.key != key or sorted(record.files) != sorted(names):
        return None
    for name in names:
        try:
            if file_sha256(folder / name) != record.files[name]:
                return None
        except OSError:
            return None
    return record
