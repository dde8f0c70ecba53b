"""Incremental runs: each article's event rows are kept on disk under a key of
its content and of the pipeline's version, so a rerun parses only articles
that are new or changed, and everything again when code, lexicons or model
change.

The key hashes the ingested article row (its text, title, dates and the
manifest values applied to it: everything derived from the file's bytes and
its manifest row) together with ``pipeline_fingerprint()``: the package
version, ``lexicon.lexicon_fingerprint()``, the spaCy model's name and version,
and a hash of the package's own code and configuration. Entries are small
JSON files in ``OUT/.cache/events/``; outputs are identical with or without
cache hits."""
from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import import_module
from pathlib import Path
from typing import Any

from ultimatum import __version__, lexicon
from ultimatum.nlp.model import model_name
from ultimatum.runtime.atomic import write_text_atomic

CACHE_DIRNAME = ".cache"
EVENTS_DIRNAME = "events"
_PACKAGE_DIR = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Hash of the package's Python code and configuration files."""
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE_DIR.rglob("*")):
        if path.suffix in {".py", ".csv", ".yaml", ".yml", ".json", ".toml"} \
                and "__pycache__" not in path.parts and path.is_file():
            digest.update(path.relative_to(_PACKAGE_DIR).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def model_version() -> str:
    """``name==version`` of the spaCy model package in use."""
    name = model_name()
    return f"{name}=={getattr(import_module(name), '__version__', '?')}"


def pipeline_fingerprint() -> str:
    """Everything an article's events depend on besides the article itself."""
    parts = [__version__, lexicon.lexicon_fingerprint(), model_version(), code_fingerprint()]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


#: Bookkeeping columns of an article row that extraction never reads: a new
#: near copy or a new problem note elsewhere in the folder leaves the key alone.
NOT_KEYED = frozenset({"duplicate_of", "duplicate_kind", "problems"})


def article_key(article: Mapping[str, Any], fingerprint: str) -> str:
    """Cache key of one ingested article row under ``fingerprint``."""
    payload = json.dumps({k: str(v) for k, v in article.items() if k not in NOT_KEYED},
                         sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(f"{fingerprint}\n{payload}".encode()).hexdigest()


class EventCache:
    """Event rows per article key, stored as JSON files under ``root``."""

    def __init__(self, root: str | os.PathLike, fingerprint: str | None = None) -> None:
        self.root = Path(root) / EVENTS_DIRNAME
        self.fingerprint = fingerprint or pipeline_fingerprint()
        self.used: set[str] = set()

    @classmethod
    def for_output(cls, out_dir: str | os.PathLike) -> EventCache:
        """The cache kept next to the output tables, in ``out_dir/.cache``."""
        return cls(Path(out_dir) / CACHE_DIRNAME)

    def key(self, article: Mapping[str, Any]) -> str:
        """Key of ``article`` under this cache's fingerprint."""
        return article_key(article, self.fingerprint)

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> list[dict] | None:
        """Cached rows for ``key``, or None (missing or unreadable entry)."""
        self.used.add(key)
        try:
            with open(self._path(key), encoding="utf-8") as fh:
                entry = json.load(fh)
        except (OSError, ValueError):
            return None
        rows = entry.get("rows") if isinstance(entry, dict) else None
        return rows if isinstance(rows, list) else None

    def put(self, key: str, rows: list[dict]) -> None:
        """Store ``rows`` (JSON-serialisable) under ``key``."""
        self.used.add(key)
        text = json.dumps({"rows": rows}, ensure_ascii=False, sort_keys=True)
        write_text_atomic(text, self._path(key))

    def prune(self, keep: Iterable[str] | None = None) -> int:
        """Delete entries not in ``keep`` (default: those used by this run)."""
        keep = set(self.used if keep is None else keep)
        removed = 0
        if not self.root.is_dir():
            return 0
        for path in self.root.glob("*/*.json"):
            if path.stem not in keep:
                path.unlink(missing_ok=True)
                removed += 1
        for folder in self.root.iterdir():
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
        return removed
