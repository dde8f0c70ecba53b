"""Atomic, deterministic writing of output tables.

Every output goes to a hidden temporary file in the target folder, is flushed
to disk, and only then renamed over the final name (``os.replace`` is atomic
on POSIX and Windows): a run that is killed leaves the previous file intact.
CSVs are UTF-8 with ``\n`` line ends and no index, so that equal tables are
equal bytes; a text cell a spreadsheet would run as a formula is written with
a leading single quote (:func:`ultimatum.cells.neutralise`)."""
from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, AnyStr

import pandas as pd

from ultimatum.cells import neutralise


def _umask_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _temp_for(path: Path) -> tuple[int, str]:
    path.parent.mkdir(parents=True, exist_ok=True)
    return tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)


def _write_temp(path: Path, write: Callable[[IO[str]], object]) -> str:
    """What ``write`` writes to a text file, in a flushed temporary file next
    to ``path``; its name."""
    fd, tmp = _temp_for(path)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _umask_mode())
    except BaseException:
        _remove(tmp)
        raise
    return tmp


def _write_csv_temp(df: pd.DataFrame | Iterable[pd.DataFrame], path: Path, sep: str = ",") -> str:
    """``df`` as CSV (``sep``: ``\t`` for a TSV) in a flushed temporary file
    next to ``path``; its name. ``df`` may also be the table's chunks, in
    order (the header comes from the first), so a large table is written
    without being held whole."""
    def write(fh: IO[str]) -> None:
        chunks = [df] if isinstance(df, pd.DataFrame) else df
        for k, chunk in enumerate(chunks):
            neutralise(chunk).to_csv(fh, index=False, header=k == 0, sep=sep, lineterminator="\n")
    return _write_temp(path, write)


def _remove(tmp: str) -> None:
    try:
        os.unlink(tmp)
    except FileNotFoundError:
        pass


def sync_dir(folder: Path) -> None:
    """Make renames in ``folder`` durable (no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_csv_atomic(df: pd.DataFrame, path: str | os.PathLike) -> Path:
    """Write ``df`` to ``path`` so that readers see either the old file or the
    complete new one, never a half-written table (temp file, then rename)."""
    return write_tables_atomic({Path(path): df})[0]


def write_tables_atomic(tables: dict[Path, pd.DataFrame]) -> list[Path]:
    """Write several CSVs as one step: every table is first written in full to
    its temporary file, then all are renamed into place. A failure or a kill
    before the renames leaves every previous file as it was."""
    with StagedTables() as staged:
        for path, df in tables.items():
            staged.add(path, df)
        return staged.commit()


class StagedTables:
    """CSV tables written one at a time, each in full to a temporary file next
    to its path, then renamed into place together by :meth:`commit`. Leaving
    the ``with`` block without committing (an error, an interrupt) removes the
    temporary files and leaves every previous table as it was."""

    def __init__(self) -> None:
        self._written: list[tuple[str, Path]] = []

    def add(self, path: str | os.PathLike, df: pd.DataFrame | Iterable[pd.DataFrame], sep: str = ",") -> None:
        """Write ``df`` (or its chunks) to a temporary file for ``path``."""
        path = Path(path)
        self._written.append((_write_csv_temp(df, path, sep), path))

    def add_text(self, path: str | os.PathLike, pieces: Iterable[str]) -> None:
        """Write the text ``pieces`` (lines, say) to a temporary file for ``path``."""
        path = Path(path)
        self._written.append((_write_temp(path, lambda fh: fh.writelines(pieces)), path))

    def commit(self) -> list[Path]:
        """Rename every written table into place; their paths."""
        paths = [path for _, path in self._written]
        while self._written:
            tmp, path = self._written[0]
            os.replace(tmp, path)
            self._written.pop(0)
        for folder in sorted({path.parent for path in paths}):
            sync_dir(folder)
        return paths

    def discard(self) -> None:
        """Remove the temporary files not yet renamed."""
        for tmp, _ in self._written:
            _remove(tmp)
        self._written.clear()

    def __enter__(self) -> StagedTables:
        return self

    def __exit__(self, *exc: object) -> None:
        self.discard()


def _write_synced(fh: IO[AnyStr], data: AnyStr) -> None:
    """Write ``data`` and flush it to disk."""
    fh.write(data)
    fh.flush()
    os.fsync(fh.fileno())


def write_text_atomic(text: str | bytes, path: str | os.PathLike) -> Path:
    """Write text or bytes atomically (temp file in the same folder, then rename)."""
    path = Path(path)
    fd, tmp = _temp_for(path)
    try:
        if isinstance(text, bytes):
            with os.fdopen(fd, "wb") as out:
                _write_synced(out, text)
        else:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                _write_synced(fh, text)
        os.chmod(tmp, _umask_mode())
        os.replace(tmp, path)
    except BaseException:
        _remove(tmp)
        raise
    return path
