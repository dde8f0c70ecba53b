"""The outputs of a run change as one set or not at all: a run that fails
leaves the previous tables and cache as they were, the four tables switch
together whatever step a run stops at, one run at a time writes into a
folder, and a report build that fails leaves the previous report whole."""
from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from ultimatum.cli import main
from ultimatum.extract import fastpath
from ultimatum.pipeline import run_extract

TABLES = ("articles.csv", "skipped.csv", "events.csv", "claims.csv")


class Interrupted(BaseException):
    """Stands for a run stopped where it was (an exception no code catches)."""


def _tables(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in TABLES}


def _tables_and_cache(out: Path) -> dict[str, bytes]:
    cache = out / ".cache"
    files = {p.relative_to(out).as_posix(): p.read_bytes() for p in cache.rglob("*") if p.is_file()}
    return {**_tables(out), **files}


def _corpus(folder: Path, raw_dir: Path, first: int, last: int) -> Path:
    folder.mkdir()
    for path in sorted(raw_dir.glob("*.txt"))[first:last]:
        shutil.copy(path, folder / path.name)
    return folder


def test_failed_run_changes_no_table_and_no_cache_entry(tmp_path: Path, raw_dir: Path) -> None:
    out = tmp_path / "out"
    done = CliRunner().invoke(main, ["extract", str(_corpus(tmp_path / "a", raw_dir, 0, 2)), "--out", str(out)])
    assert done.exit_code == 0, done.output
    before = _tables_and_cache(out)
    assert any(name.startswith(".cache/") for name in before)
    unreadable = tmp_path / "unreadable"
    unreadable.mkdir()
    (unreadable / "empty.txt").write_bytes(b"")
    (unreadable / "binary.txt").write_bytes(bytes(range(256)) * 8)
    failed = CliRunner().invoke(main, ["extract", str(unreadable), "--out", str(out)])
    assert failed.exit_code == 2 and "no readable articles" in failed.output, failed.output
    assert len(failed.output.strip().splitlines()) == 1
    assert "binary.txt (not text: binary data" in failed.output and "empty.txt (empty file" in failed.output
    assert _tables_and_cache(out) == before
    for k in range(7):
        (unreadable / f"empty{k}.txt").write_bytes(b"")
    many = CliRunner().invoke(main, ["extract", str(unreadable), "--out", str(out)])
    assert many.exit_code == 2 and many.output.rstrip().endswith("; and 4 more"), many.output


def test_tables_switch_as_one_set_wherever_a_run_stops(tmp_path: Path, raw_dir: Path,
                                                       monkeypatch) -> None:
    """Each run is stopped at its n-th rename (n = 1, 2, ...) until one gets
    through: after each, the four tables are all of the old run or all of the
    new one, never a mix."""
    first, second = _corpus(tmp_path / "a", raw_dir, 0, 2), _corpus(tmp_path / "b", raw_dir, 2, 4)
    refs = {}
    for name, corpus in (("a", first), ("b", second)):
        run_extract(corpus, tmp_path / f"ref_{name}")
        refs[name] = _tables(tmp_path / f"ref_{name}")
    out = tmp_path / "out"
    run_extract(first, out)
    assert _tables(out) == refs["a"]
    original = os.replace
    calls = {"n": 0, "stop_at": 0}

    def replace(src, dst, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == calls["stop_at"]:
            raise Interrupted(f"stopped before renaming {src} to {dst}")
        return original(src, dst, *args, **kwargs)
    monkeypatch.setattr(os, "replace", replace)
    stopped = 0
    for stop_at in range(1, 60):
        calls.update(n=0, stop_at=stop_at)
        try:
            run_extract(second, out)
        except Interrupted:
            stopped += 1
            now = _tables(out)
            assert now in (refs["a"], refs["b"]), f"a mix of two runs' tables after stop {stop_at}"
            continue
        break
    else:
        pytest.fail("the run never got through")
    assert stopped >= 4
    assert _tables(out) == refs["b"]
    monkeypatch.setattr(os, "replace", original)
    run_extract(first, out)  # and the folder is usable again
    assert _tables(out) == refs["a"]


def test_second_run_into_the_same_folder_refuses(tmp_path: Path, raw_dir: Path, monkeypatch) -> None:
    corpus = _corpus(tmp_path / "a", raw_dir, 0, 2)
    out = tmp_path / "out"
    run_extract(corpus, out, use_cache=False)
    before = _tables(out)
    started, release = threading.Event(), threading.Event()
    extract_batch = fastpath.extract_batch
    owner = {}

    def slow_batch(batch, fast=True):
        if owner.setdefault("thread", threading.get_ident()) == threading.get_ident():
            started.set()
            assert release.wait(60)
        return extract_batch(batch, fast)
    monkeypatch.setattr(fastpath, "extract_batch", slow_batch)
    errors: list[BaseException] = []

    def first_run() -> None:
        try:
            run_extract(corpus, out, use_cache=False)
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
    thread = threading.Thread(target=first_run)
    thread.start()
    try:
        assert started.wait(60)
        second = CliRunner().invoke(main, ["extract", str(corpus), "--out", str(out), "--no-cache"])
    finally:
        release.set()
        thread.join(60)
    assert not errors, errors
    assert second.exit_code == 2, second.output
    lines = second.output.strip().splitlines()
    assert len(lines) == 1 and str(out) in lines[0] and "another" in lines[0], second.output
    assert _tables(out) == before
    again = CliRunner().invoke(main, ["extract", str(corpus), "--out", str(out), "--no-cache"])
    assert again.exit_code == 0, again.output


REPORT_FILES = ("report.html", "report.pdf", "figures/timeline.svg", "figures/timeline.png",
                "notebooks/03_report.ipynb", "data/events.csv")


def _fake_notebooks(version: str, stop_after: int | None = None):
    """A stand-in for ``run_notebooks`` writing :data:`REPORT_FILES` with
    ``version`` in each; it stops after ``stop_after`` files."""
    def run(raw_dir, out_dir, report_dir, **kwargs):
        for k, name in enumerate(REPORT_FILES):
            if stop_after is not None and k == stop_after:
                raise Interrupted("build stopped half-way")
            base = Path(out_dir) if name.startswith("data/") else Path(report_dir)
            path = base / name.removeprefix("data/")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f"{name} {version}\n", encoding="utf-8")
        return []
    return run


def test_report_build_stopped_half_way_leaves_the_previous_report(tmp_path: Path, raw_dir: Path,
                                                                  root: Path, monkeypatch) -> None:
    import ultimatum.report.notebooks as notebooks
    out = tmp_path / "report"
    args = ["report", "--raw", str(raw_dir), "--out", str(out), "--notebooks", str(root / "notebooks")]
    monkeypatch.setattr(notebooks.export, "write_report", lambda *args, **kwargs: None)  # the stand-in writes the report
    monkeypatch.setattr(notebooks, "run_notebooks", _fake_notebooks("v1"))
    done = CliRunner().invoke(main, args)
    assert done.exit_code == 0, done.output
    before = {name: (out / name).read_bytes() for name in REPORT_FILES}
    assert all(text.endswith(b" v1\n") for text in before.values())
    for stop_after in range(1, len(REPORT_FILES)):
        monkeypatch.setattr(notebooks, "run_notebooks", _fake_notebooks("v2", stop_after))
        with pytest.raises(Interrupted):
            CliRunner().invoke(main, args)
        assert {name: (out / name).read_bytes() for name in REPORT_FILES} == before
        assert sorted(p.name for p in (out / "figures").iterdir()) == ["timeline.png", "timeline.svg"]
    monkeypatch.setattr(notebooks, "run_notebooks", _fake_notebooks("v2"))
    done = CliRunner().invoke(main, args)
    assert done.exit_code == 0, done.output
    assert all((out / name).read_text(encoding="utf-8").endswith(" v2\n") for name in REPORT_FILES)


def test_temporary_folders_of_dead_processes_are_removed(tmp_path: Path, monkeypatch) -> None:
    import subprocess
    import sys
    import tempfile

    from ultimatum.runtime.outputs import remove_dead_temp_folders
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], check=True,
                          capture_output=True, text=True).stdout.strip()
    for pid in (dead, str(os.getpid())):
        (tmp_path / f"ultimatum-extract-{pid}-abc").mkdir()
        (tmp_path / f"ultimatum-extract-{pid}-abc" / "events.csv").write_text("x\n", encoding="utf-8")
    remove_dead_temp_folders("ultimatum-extract-")
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"ultimatum-extract-{os.getpid()}-abc"]
