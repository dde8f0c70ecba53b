"""Atomic outputs: a failed or killed run leaves the previous tables intact
(each table is written to a temporary file and renamed only when complete)."""
from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pandas as pd
import pytest

from ultimatum.runtime.atomic import StagedTables, write_csv_atomic, write_tables_atomic

TABLES = ("articles.csv", "skipped.csv", "events.csv", "claims.csv")


class Interrupted(Exception):
    pass


def _failing_to_csv(monkeypatch, fail_on_call: int = 1) -> None:
    """Make the n-th DataFrame.to_csv write half a table, then fail."""
    original = pd.DataFrame.to_csv
    calls = {"n": 0}

    def to_csv(self, path_or_buf=None, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == fail_on_call:
            path_or_buf.write("article_id,half a row")
            raise Interrupted("disk full")
        return original(self, path_or_buf, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_csv", to_csv)


def test_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "events.csv"
    write_csv_atomic(pd.DataFrame({"a": [1, 2]}), target)
    before = target.read_bytes()
    _failing_to_csv(monkeypatch)
    with pytest.raises(Interrupted):
        write_csv_atomic(pd.DataFrame({"a": [3, 4, 5]}), target)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.csv"], "a temporary file was left"


def test_tables_are_replaced_all_or_none(tmp_path: Path, monkeypatch) -> None:
    paths = [tmp_path / name for name in TABLES]
    write_tables_atomic({p: pd.DataFrame({"old": [p.name]}) for p in paths})
    before = {p: p.read_bytes() for p in paths}
    _failing_to_csv(monkeypatch, fail_on_call=3)
    with pytest.raises(Interrupted):
        write_tables_atomic({p: pd.DataFrame({"new": [p.name]}) for p in paths})
    assert {p: p.read_bytes() for p in paths} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(TABLES)
    monkeypatch.undo()
    write_tables_atomic({p: pd.DataFrame({"new": [p.name]}) for p in paths})
    assert all(p.read_text(encoding="utf-8") == f"new\n{p.name}\n" for p in paths)


def test_text_and_tab_separated_files_are_staged_with_the_tables(tmp_path: Path) -> None:
    def lines():
        yield "one\n"
        raise Interrupted
    with StagedTables() as staged:
        staged.add(tmp_path / "a.tsv", [pd.DataFrame({"x": ["=1+1"], "y": [2]}), pd.DataFrame({"x": ["b"], "y": [3]})],
                   sep="\t")
        with pytest.raises(Interrupted):
            staged.add_text(tmp_path / "b.jsonl", lines())
    assert list(tmp_path.iterdir()) == [], "a file was written, or a temporary one left"
    with StagedTables() as staged:
        staged.add(tmp_path / "a.tsv", pd.DataFrame({"x": ["=1+1"], "y": [2]}), sep="\t")
        staged.add_text(tmp_path / "b.jsonl", iter(["{}\n", "{}\n"]))
        staged.commit()
    assert (tmp_path / "a.tsv").read_text(encoding="utf-8") == "x\ty\n'=1+1\t2\n"
    assert (tmp_path / "b.jsonl").read_text(encoding="utf-8") == "{}\n{}\n"


def _files(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if p.is_file()}


@pytest.mark.slow
def test_killed_run_leaves_previous_outputs_intact(tmp_path: Path, raw_dir: Path, run_cli, cli_command,
                                                  mixed_corpus) -> None:
    out = tmp_path / "out"
    done = run_cli("extract", str(raw_dir), "--out", str(out))
    assert done.returncode == 0, done.stderr[-3000:]
    before = {name: (out / name).read_bytes() for name in TABLES}
    files_before = _files(out)

    big = mixed_corpus(tmp_path / "big", n=150)
    proc = subprocess.Popen([*cli_command, "extract", str(big), "--out", str(out), "--workers", "1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    started = time.monotonic()
    try:
        # Kill once the run has begun writing anything (cache entries, temporary
        # tables) or after a few seconds, whichever comes first.
        while proc.poll() is None and time.monotonic() - started < 6:
            if _files(out) - files_before:
                break
            time.sleep(0.005)
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, "the run finished before it could be killed"

    for name in TABLES:
        assert (out / name).read_bytes() == before[name], f"{name} changed by a killed run"
    leftovers = {p.name for p in out.iterdir() if p.is_file()} - set(TABLES)
    assert all(name.startswith(".") and name.endswith(".tmp") for name in leftovers), leftovers

    again = run_cli("extract", str(raw_dir), "--out", str(out))
    assert again.returncode == 0, again.stderr[-3000:]
    assert {name: (out / name).read_bytes() for name in TABLES} == before
