"""Every problem the command line meets is one line naming the path and the
problem, never a traceback, and leaves the outputs as they were: an unusable
--out folder, a raw folder that cannot be listed, a full disk, a bad or silent
Dask scheduler, an unreadable CSV for `evaluate`."""
from __future__ import annotations

import errno
import os
import time
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from ultimatum.cli import main

TABLES = ("articles.csv", "skipped.csv", "events.csv", "claims.csv")


def _one_line_error(result, *names: str) -> str:
    """The single line of a failed command, which names each of ``names``."""
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert lines[0].startswith("ultimatum: error: "), lines[0]
    for name in names:
        assert name in lines[0], (name, lines[0])
    return lines[0]


@pytest.fixture()
def corpus(seed_copies) -> Path:
    """Two seed articles."""
    return seed_copies(2)


def _extract(*args: str):
    return CliRunner().invoke(main, ["extract", *args])


def test_out_is_an_existing_file(tmp_path: Path, corpus: Path) -> None:
    out = tmp_path / "tables.csv"
    out.write_text("mine\n", encoding="utf-8")
    _one_line_error(_extract(str(corpus), "--out", str(out)), str(out), "not a folder")
    assert out.read_text(encoding="utf-8") == "mine\n"


def test_out_under_a_file(tmp_path: Path, corpus: Path) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("mine\n", encoding="utf-8")
    _one_line_error(_extract(str(corpus), "--out", str(blocker / "tables")), str(blocker), "is a file")


def test_out_not_writable(tmp_path: Path, corpus: Path, monkeypatch) -> None:
    out = tmp_path / "locked"
    out.mkdir()
    original = os.open

    def refused(path, flags, *args, **kwargs):  # as a folder of another user refuses
        if str(path).startswith(str(out)) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return original(path, flags, *args, **kwargs)
    monkeypatch.setattr(os, "open", refused)
    original_mkdir = Path.mkdir

    def no_mkdir(self, *args, **kwargs):
        if str(self).startswith(str(out)):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))
        return original_mkdir(self, *args, **kwargs)
    monkeypatch.setattr(Path, "mkdir", no_mkdir)
    _one_line_error(_extract(str(corpus), "--out", str(out)), str(out), "not writable")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs a user that permissions stop")
def test_out_not_writable_by_permissions(tmp_path: Path, corpus: Path) -> None:
    out = tmp_path / "locked"
    out.mkdir()
    out.chmod(0o500)
    try:
        _one_line_error(_extract(str(corpus), "--out", str(out)), str(out), "not writable")
    finally:
        out.chmod(0o700)


@pytest.mark.parametrize("where", ["same", "inside"])
def test_out_in_the_raw_folder_is_refused(corpus: Path, where: str) -> None:
    before = sorted(p.name for p in corpus.iterdir())
    out = corpus if where == "same" else corpus / "tables"
    _one_line_error(_extract(str(corpus), "--out", str(out)), str(out), str(corpus))
    assert sorted(p.name for p in corpus.iterdir()) == before


def test_raw_folder_that_cannot_be_listed(tmp_path: Path, corpus: Path, monkeypatch) -> None:
    for name in ("listdir", "scandir"):
        original = getattr(os, name)

        def refused(path=".", _original=original):
            if os.fspath(path) == str(corpus):
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(path))
            return _original(path)
        monkeypatch.setattr(os, name, refused)
    _one_line_error(_extract(str(corpus), "--out", str(tmp_path / "out")), str(corpus), "cannot list")


def test_full_disk_leaves_the_outputs(tmp_path: Path, corpus: Path, monkeypatch) -> None:
    out = tmp_path / "out"
    assert _extract(str(corpus), "--out", str(out)).exit_code == 0
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    added = corpus / "more.txt"
    added.write_text("NATO rejects demands\n\nBRUSSELS, Jan 12, 2022 (Reuters) - NATO rejected "
                     "Russia's demands on Wednesday, its secretary-general said.\n", encoding="utf-8")
    original = pd.DataFrame.to_csv
    calls = {"n": 0}

    def to_csv(self, path_or_buf=None, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return original(self, path_or_buf, *args, **kwargs)
    monkeypatch.setattr(pd.DataFrame, "to_csv", to_csv)
    line = _one_line_error(_extract(str(corpus), "--out", str(out)), str(out))
    assert "no space left" in line.lower()
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before


def test_scheduler_that_is_no_address(tmp_path: Path, corpus: Path) -> None:
    out = tmp_path / "out"
    result = _extract(str(corpus), "--out", str(out), "--engine", "dask", "--scheduler", "foo")
    _one_line_error(result, "--scheduler foo")
    assert not out.exists()


@pytest.mark.slow  # Dask, and five seconds of waiting
def test_scheduler_that_does_not_answer_times_out(tmp_path: Path, corpus: Path) -> None:
    started = time.monotonic()
    result = _extract(str(corpus), "--out", str(tmp_path / "out"), "--engine", "dask",
                      "--scheduler", "tcp://127.0.0.1:1")
    _one_line_error(result, "tcp://127.0.0.1:1")
    assert time.monotonic() - started < 20


@pytest.mark.parametrize("content", [b"", bytes(range(256)) * 4], ids=["empty", "binary"])
@pytest.mark.parametrize("which", ["gold", "events"])
def test_evaluate_names_an_unreadable_csv(tmp_path: Path, root: Path, content: bytes, which: str) -> None:
    bad = tmp_path / f"bad {which}.csv"
    bad.write_bytes(content)
    gold = bad if which == "gold" else root / "tests" / "gold" / "seeds_gold.csv"
    events = bad if which == "events" else root / "tests" / "gold" / "seeds_gold.csv"
    result = CliRunner().invoke(main, ["evaluate", "--gold", str(gold), "--events", str(events)])
    _one_line_error(result, str(bad))


def test_one_file_is_one_file(tmp_path: Path, corpus: Path) -> None:
    for path in sorted(corpus.iterdir())[1:]:
        path.unlink()
    result = _extract(str(corpus), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("read 1 file: 1 processed, 0 skipped; "), result.output
