"""Atomic, deterministic writing of output tables.

Every output goes to a hidden temporary file in the target folder, is flushed
to disk, and only then renamed over the final name (``os.replace`` is atomic
on POSIX and Windows): a run that is killed leaves the previous file intact.
CSVs are UTF-8 with ``\n`` line ends and no index, so that equal tables are
equal bytes."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd


def _umask_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _temp_for(path: Path) -> tuple[int, str]:
    path.parent.mkdir(parents=True, exist_ok=True)
    return tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)


def _write_csv_temp(df: pd.DataFrame, path: Path) -> str:
    """``df`` as CSV in a flushed temporary file next to ``path``; its name."""
    fd, tmp = _temp_for(path)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            df.to_csv(fh, index=False, lineterminator="\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _umask_mode())
    except BaseException:
        _remove(tmp)
        raise
    return tmp


def _remove(tmp: str) -> None:
    try:
        os.unlink(tmp)
    except FileNotFoundError:
        pass


def _sync_dir(folder: Path) -> None:
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
    written: list[tuple[str, Path]] = []
    try:
        for path, df in tables.items():
            path = Path(path)
            written.append((_write_csv_temp(df, path), path))
    except BaseException:
        for tmp, _ in written:
            _remove(tmp)
        raise
    try:
        for done, (tmp, path) in enumerate(written):
            os.replace(tmp, path)
    except BaseException:
        for tmp, _ in written[done:]:
            _remove(tmp)
        raise
    for folder in sorted({path.parent for _, path in written}):
        _sync_dir(folder)
    return [path for _, path in written]


def write_text_atomic(text: str | bytes, path: str | os.PathLike) -> Path:
    """Write text or bytes atomically (temp file in the same folder, then rename)."""
    path = Path(path)
    fd, tmp = _temp_for(path)
    mode = "wb" if isinstance(text, bytes) else "w"
    try:
        with os.fdopen(fd, mode, **({} if mode == "wb" else {"encoding": "utf-8"})) as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _umask_mode())
        os.replace(tmp, path)
    except BaseException:
        _remove(tmp)
        raise
    return path
