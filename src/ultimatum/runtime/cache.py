"""Incremental runs: each article's event rows are kept on disk under a key of
its content and of the pipeline's version, so a rerun parses only articles
that are new or changed, and everything again when code, lexicons or model
change.

The key hashes the ingested article row (its text, title, dates and the
manifest values applied to it: everything derived from the file's bytes and
its manifest row) together with ``pipeline_fingerprint()``: the package
version, ``lexicon.lexicon_fingerprint()``, the spaCy model's name and version,
and a hash of the package's own code and configuration. Entries are small
files in ``OUT/.cache/events/``, each a header line (schema version, key,
the values kept with the rows, a checksum) and the rows' JSON: an entry
edited or damaged is never used, but extracted again. Outputs are identical
with or without cache hits."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from importlib import import_module, metadata
from pathlib import Path
from typing import Any, TypeVar

from ultimatum import __version__, lexicon
from ultimatum.nlp.model import model_name
from ultimatum.runtime.atomic import write_text_atomic

CACHE_DIRNAME = ".cache"
#: Version of the entries' format; an entry of another version is not used.
CACHE_SCHEMA = 4
EVENTS_DIRNAME = "events"
_T = TypeVar("_T")
#: Entries of this format, and of the one before schema 4 (removed when pruned).
_ENTRY_SUFFIXES = (".jsonl", ".json")
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
    """``name==version`` of the spaCy model package in use, from its
    installed metadata (importing it would import spaCy)."""
    name = model_name()
    try:
        version = metadata.version(name)
    except metadata.PackageNotFoundError:  # a package folder without its metadata
        version = getattr(import_module(name), "__version__", "?")
    return f"{name}=={version}"


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


def _digest(extra_text: str, body: bytes) -> str:
    """Checksum of an entry: its extra values' canonical JSON and its rows' bytes."""
    return hashlib.sha256(extra_text.encode("utf-8") + b"\n" + body).hexdigest()


def _canonical(value: Any) -> str:
    """The one JSON text of a value (keys sorted), which entries are written and checked in."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _encode(key: str, rows: list[dict], extra: dict | None) -> str:
    """An entry's text: a header line (schema version, key, extra values and
    the checksum) and the rows' JSON on the next line, so that an entry can be
    checked by hashing its bytes, without parsing its rows."""
    body = _canonical(rows)
    extra_text = _canonical(extra or {})
    header = {"schema": CACHE_SCHEMA, "key": key, "extra": extra or {},
              "sha256": _digest(extra_text, body.encode("utf-8"))}
    return _canonical(header) + "\n" + body


def _sound(data: bytes, key: str) -> tuple[dict, bytes] | None:
    """The extra values and the rows' bytes of an entry, or None when the
    entry is not sound: no header line, another schema version or key, or
    bytes that do not match their checksum (edited, cut short, replaced)."""
    head, newline, body = data.partition(b"\n")
    if not newline:
        return None
    try:
        header = json.loads(head.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(header, dict) or header.get("schema") != CACHE_SCHEMA or header.get("key") != key:
        return None
    extra = header.get("extra")
    if not isinstance(extra, dict) or header.get("sha256") != _digest(_canonical(extra), body):
        return None
    return extra, body


def _entry_of(data: bytes, key: str) -> tuple[list[dict], dict] | None:
    """The rows and extra values of a sound entry's bytes, or None (see
    :func:`_sound`; rows that are not a list of objects are not sound either)."""
    sound = _sound(data, key)
    if sound is None:
        return None
    try:
        rows = json.loads(sound[1].decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        return None
    return rows, sound[0]


def _folder(path: Path) -> None:
    """Make ``path`` a folder, removing a file (or link) in its place."""
    if path.is_dir() and not path.is_symlink():
        return
    if path.exists() or path.is_symlink():
        path.unlink()
    path.mkdir(parents=True, exist_ok=True)


class EventCache:
    """Event rows per article key, stored as files under ``root``.

    Each entry is a header line (its schema version, :data:`CACHE_SCHEMA`, its
    key, the values kept with the rows and a SHA-256 of those values and of
    the rows' bytes) and the rows' JSON; an entry that is not sound (edited, cut short,
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
        return self.root / key[:2] / f"{key}.jsonl"

    def has(self, key: str) -> bool:
        """Whether an entry for ``key`` is there (present, not checked)."""
        return self._path(key).is_file()

    def get(self, key: str) -> list[dict] | None:
        """Cached rows for ``key``, or None (missing, or damaged: see :attr:`damaged`)."""
        entry = self.get_entry(key)
        return None if entry is None else entry[0]

    def get_entry(self, key: str) -> tuple[list[dict], dict] | None:
        """Cached rows for ``key`` and the values kept with them, or None."""
        return self._checked(key, _entry_of)

    def extra(self, key: str) -> dict | None:
        """The values kept with the rows of a sound entry for ``key``, or None;
        the rows are checked against their checksum but not parsed."""
        sound = self._checked(key, _sound)
        return None if sound is None else sound[0]

    def _checked(self, key: str, read: Callable[[bytes, str], _T | None]) -> _T | None:
        """``read`` of the entry's bytes; a missing entry is None, one that is
        not sound (or not readable) is None and counted in :attr:`damaged`."""
        self.used.add(key)
        try:
            data = self._path(key).read_bytes()
        except FileNotFoundError:
            return None
        except OSError:  # its folder is a file, the entry a folder, unreadable
            self.damaged.add(key)
            return None
        entry = read(data, key)
        if entry is None:
            self.damaged.add(key)
        return entry

    def put(self, key: str, rows: list[dict], extra: dict | None = None) -> None:
        """Store ``rows`` (JSON-serialisable), and ``extra`` values with them,
        under ``key`` (in the staging folder, when the cache has one, until
        :meth:`commit`)."""
        self.used.add(key)
        text = _encode(key, rows, extra)
        if self.staging is not None:
            self.staging.mkdir(parents=True, exist_ok=True)
            write_text_atomic(text, self.staging / f"{key}.jsonl")
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
            os.replace(self.staging / f"{key}.jsonl", self._path(key))  # type: ignore[operator]
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
        for path in self.root.glob("*/*"):
            if path.suffix in _ENTRY_SUFFIXES and path.stem not in keep:
                path.unlink(missing_ok=True)
                removed += 1
        for folder in self.root.iterdir():
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
        return removed
