"""Incremental runs: each article's event rows are kept on disk under a key of
its content and of the pipeline's version, so a rerun parses only articles
that are new or changed, and everything again when code, lexicons or model
change.

The key hashes the ingested article row (its text, title, dates and the
manifest values applied to it: everything derived from the file's bytes and
its manifest row) together with ``pipeline_fingerprint()``: the package
version, ``lexicon.lexicon_fingerprint()``, the spaCy model's name and version,
and a hash of the package's own code and configuration. Entries are small
JSON files in ``OUT/.cache/events/``, each with a schema version and a
checksum of its rows: an entry edited or damaged is never used, but extracted
again. Outputs are identical with or without cache hits."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import import_module
from pathlib import Path
from typing import Any

from ultimatum import __version__, lexicon
from ultimatum.nlp.model import model_name
from ultimatum.runtime.atomic import write_text_atomic

CACHE_DIRNAME = ".cache"
#: Version of the entries' format; an entry of another version is not used.
CACHE_SCHEMA = 3
EVENTS_DIRNAME = "events"
#: The package: its code, data files and the classifier's weights decide the events.
_PACKAGE_DIR = Path(__file__).resolve().parents[1]
_FINGERPRINTED = {".py", ".csv", ".yaml", ".yml", ".json", ".toml", ".npz"}


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Hash of the whole package's Python code, data files and model weights
    (a change anywhere in it may change an article's events)."""
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE_DIR.rglob("*")):
        if path.suffix in _FINGERPRINTED and "__pycache__" not in path.parts and path.is_file():
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
NOT_KEYED = frozenset({"duplicate_of", "duplicate_kind", "problems", "n_sentences"})


def article_key(article: Mapping[str, Any], fingerprint: str) -> str:
    """Cache key of one ingested article row under ``fingerprint``."""
    payload = json.dumps({k: str(v) for k, v in article.items() if k not in NOT_KEYED},
                         sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(f"{fingerprint}\n{payload}".encode()).hexdigest()


def _digest(rows: list, extra: dict | None = None) -> str:
    """Checksum of an entry's rows (and what it keeps besides), over their canonical JSON."""
    text = json.dumps(rows if extra is None else [rows, extra], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _entry_of(data: bytes, key: str) -> tuple[list[dict], dict] | None:
    """The rows and extra values of an entry's bytes, or None when the entry
    is not sound: not JSON, another schema version, another key, rows that
    are not a list of objects, or rows that do not match their checksum."""
    try:
        entry = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(entry, dict) or entry.get("schema") != CACHE_SCHEMA or entry.get("key") != key:
        return None
    rows, extra = entry.get("rows"), entry.get("extra")
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        return None
    if extra is not None and not isinstance(extra, dict):
        return None
    return (rows, extra or {}) if entry.get("sha256") == _digest(rows, extra) else None


def _folder(path: Path) -> None:
    """Make ``path`` a folder, removing a file (or link) in its place."""
    if path.is_dir() and not path.is_symlink():
        return
    if path.exists() or path.is_symlink():
        path.unlink()
    path.mkdir(parents=True, exist_ok=True)


class EventCache:
    """Event rows per article key, stored as JSON files under ``root``.

    Each entry holds its schema version (:data:`CACHE_SCHEMA`), its key and a
    SHA-256 of its rows; an entry that is not sound (edited, cut short,
    replaced) is *damaged*: it reads as missing, its key goes to
    :attr:`damaged`, and the article is extracted again and stored afresh.
    With ``staging``, new entries are written there and enter the cache only
    by :meth:`commit` (after the run's tables are in place): a run that fails
    leaves the cache as it was."""

    def __init__(self, root: str | os.PathLike, fingerprint: str | None = None,
                 staging: str | os.PathLike | None = None, folder: str = EVENTS_DIRNAME) -> None:
        self.top = Path(root)
        self.root = self.top / folder
        self.fingerprint = fingerprint or pipeline_fingerprint()
        self.staging = Path(staging) if staging is not None else None
        self.used: set[str] = set()
        self.damaged: set[str] = set()
        self._staged: list[str] = []

    @classmethod
    def for_output(cls, out_dir: str | os.PathLike, staging: str | os.PathLike | None = None,
                   folder: str = EVENTS_DIRNAME) -> EventCache:
        """The cache kept next to the output tables, in ``out_dir/.cache/FOLDER``
        (staged in ``staging/FOLDER``)."""
        return cls(Path(out_dir) / CACHE_DIRNAME, staging=None if staging is None else Path(staging) / folder,
                   folder=folder)

    def key(self, article: Mapping[str, Any]) -> str:
        """Key of ``article`` under this cache's fingerprint."""
        return article_key(article, self.fingerprint)

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> list[dict] | None:
        """Cached rows for ``key``, or None (missing, or damaged: see :attr:`damaged`)."""
        entry = self.get_entry(key)
        return None if entry is None else entry[0]

    def get_entry(self, key: str) -> tuple[list[dict], dict] | None:
        """Cached rows for ``key`` and the values kept with them, or None."""
        self.used.add(key)
        try:
            data = self._path(key).read_bytes()
        except FileNotFoundError:
            return None
        except OSError:  # its folder is a file, the entry a folder, unreadable
            self.damaged.add(key)
            return None
        entry = _entry_of(data, key)
        if entry is None:
            self.damaged.add(key)
        return entry

    def put(self, key: str, rows: list[dict], extra: dict | None = None) -> None:
        """Store ``rows`` (JSON-serialisable), and ``extra`` values with them,
        under ``key`` (in the staging folder, when the cache has one, until
        :meth:`commit`)."""
        self.used.add(key)
        entry = {"schema": CACHE_SCHEMA, "key": key, "sha256": _digest(rows, extra), "rows": rows}
        if extra is not None:
            entry["extra"] = extra
        text = json.dumps(entry, ensure_ascii=False, sort_keys=True)
        if self.staging is not None:
            self.staging.mkdir(parents=True, exist_ok=True)
            write_text_atomic(text, self.staging / f"{key}.json")
            self._staged.append(key)
            return
        self._install_folders(key)
        write_text_atomic(text, self._path(key))

    def _install_folders(self, key: str) -> None:
        path = self._path(key)
        for folder in (self.top, self.root, path.parent):
            _folder(folder)
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)

    def commit(self) -> int:
        """Move the staged entries into the cache; how many."""
        assert self.staging is not None or not self._staged
        for key in self._staged:
            self._install_folders(key)
            os.replace(self.staging / f"{key}.json", self._path(key))  # type: ignore[operator]
        done, self._staged = len(self._staged), []
        return done

    def clean(self) -> None:
        """Remove temporary files a dead run left among the entries."""
        if self.root.is_dir():
            for path in self.root.glob("*/.*.tmp"):
                path.unlink(missing_ok=True)

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
