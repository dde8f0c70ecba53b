"""Files already read: what reading a raw file gave (its article row, word
count and copy-finding fingerprint, or the reason it is skipped), kept under
a key of the file's bytes and the pipeline's version in ``OUT/.cache/read/``.

A rerun on an unchanged folder then reads each file's bytes to hash them,
but decodes, cleans, dates and fingerprints none of them: with the event
cache (:mod:`ultimatum.runtime.cache`) it starts no worker and loads no
model. Entries carry a schema version and checksum like the event cache's,
and go in only when the run's tables do (staged)."""
from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from ultimatum.ingest.dedupe import Fingerprint
from ultimatum.ingest.reader import FINGERPRINT, MAX_FILE_MB, Skip
from ultimatum.runtime.cache import EventCache

READ_DIRNAME = "read"


def _array(values: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(values, dtype=np.uint32).tobytes()).decode("ascii")


def _unarray(text: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), dtype=np.uint32)


def encode(result: dict | Exception) -> dict | None:
    """A read result as a JSON object; None for one not kept (an unexpected error)."""
    if isinstance(result, Skip):
        return {"skip": str(result)}
    if isinstance(result, Exception):
        return None
    row = dict(result)
    mark: Fingerprint = row.pop(FINGERPRINT)
    row[FINGERPRINT] = {"digest": mark.digest, "shingles": _array(mark.shingles),
                        "signature": _array(mark.signature)}
    return row


def decode(entry: dict) -> dict | Exception:
    """The read result an :func:`encode` d object stands for."""
    if "skip" in entry:
        return Skip(str(entry["skip"]))
    row = dict(entry)
    mark = row[FINGERPRINT]
    row[FINGERPRINT] = Fingerprint(mark["digest"], _unarray(mark["shingles"]), _unarray(mark["signature"]))
    return row


class ReadCache:
    """Read results by the bytes of the file they came from."""

    def __init__(self, cache: EventCache) -> None:
        self.cache = cache
        self.hits = 0

    @classmethod
    def for_output(cls, out_dir: str | os.PathLike, staging: str | os.PathLike | None = None) -> ReadCache:
        """The cache kept next to the output tables, in ``out_dir/.cache/read``."""
        return cls(EventCache.for_output(out_dir, staging=staging, folder=READ_DIRNAME))

    def key(self, path: Path, article_id: str) -> str | None:
        """Key of a file's bytes (and the id its row gets); None when it is
        not read whole (missing, unreadable, over the size limit)."""
        try:
            if path.stat().st_size > MAX_FILE_MB * 1024 * 1024:
                return None
            data = path.read_bytes()
        except OSError:
            return None
        digest = hashlib.sha256(data)
        digest.update(b"\0" + article_id.encode("utf-8", "surrogateescape"))
        return hashlib.sha256(f"{self.cache.fingerprint}\n{digest.hexdigest()}".encode()).hexdigest()

    def mapped(self, fn: Callable[[Any], Any], items: Iterable[tuple[Path, str]],
               run: Callable[[list], Callable[[Callable[[Any], Any], Iterable[Any]], Iterator[Any]]]) -> Iterator[Any]:
        """``fn(item)`` for each (path, article_id) item in order: from the
        cache, else by ``run(missed items)`` (a ``map``-like function, chosen
        knowing what is left to read), and stored."""
        items = list(items)
        keys = [self.key(path, article_id) for path, article_id in items]
        found: dict[int, dict | Exception] = {}
        for i, key in enumerate(keys):
            rows = self.cache.get(key) if key else None
            if rows and len(rows) == 1:
                found[i] = decode(rows[0])
        self.hits = len(found)
        missed = [i for i in range(len(items)) if i not in found]
        fresh = iter(run([items[i] for i in missed])(fn, (items[i] for i in missed))) if missed else iter(())
        for i, key in enumerate(keys):
            if i in found:
                yield found[i]
                continue
            result = next(fresh)
            entry = encode(result) if key else None
            if key and entry is not None:
                self.cache.put(key, [entry])
            yield result

    def commit(self) -> int:
        """Move the staged entries into the cache."""
        return self.cache.commit()

    def prune(self) -> int:
        """Delete entries this run did not use."""
        return self.cache.prune()

    def clean(self) -> None:
        """Remove temporary files a dead run left."""
        self.cache.clean()
