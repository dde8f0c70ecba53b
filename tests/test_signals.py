"""Signals: SIGTERM stops the run's worker processes and removes its
temporary files; after a ``kill -9`` the workers go too, and the next run
removes what the dead run left behind."""
from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from ultimatum.pipeline import run_extract

pytestmark = pytest.mark.slow  # each test runs the command line with a pool of workers

TABLES = ("articles.csv", "skipped.csv", "events.csv", "claims.csv")


def _files(out: Path) -> set[Path]:
    return {p for p in out.rglob("*") if p.is_file() or p.is_symlink()}


def _start(cli_command: list[str], big: Path, out: Path, psutil) -> tuple[subprocess.Popen, list]:
    """A run of ``big`` into ``out`` on two workers, caught while it extracts:
    the process and its workers."""
    before = _files(out)
    proc = subprocess.Popen([*cli_command, "extract", str(big), "--out", str(out), "--workers", "2"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 90
    workers: list = []
    while time.monotonic() < deadline and proc.poll() is None:
        workers = psutil.Process(proc.pid).children(recursive=True)
        if len(workers) >= 2 and _files(out) - before:
            break
        time.sleep(0.05)
    time.sleep(1.5)  # the workers have their first batches
    assert proc.poll() is None, "the run ended before it could be stopped"
    return proc, psutil.Process(proc.pid).children(recursive=True)


def _reap(workers: list, psutil) -> list:
    """The workers still alive after a few seconds (killed, for the next tests)."""
    _, alive = psutil.wait_procs(workers, timeout=15)
    for proc in alive:
        proc.kill()
    return alive


@pytest.fixture()
def started(tmp_path: Path, raw_dir: Path, mixed_corpus):
    """The seeds' tables in ``out`` and a big corpus to stop a run on."""
    out = tmp_path / "out"
    run_extract(raw_dir, out)
    before = {name: (out / name).read_bytes() for name in TABLES}
    return out, before, mixed_corpus(tmp_path / "big", n=120)


def test_sigterm_stops_the_workers_and_removes_temporary_files(started, cli_command, stray) -> None:
    psutil = pytest.importorskip("psutil")
    out, before, big = started
    proc, workers = _start(cli_command, big, out, psutil)
    assert len(workers) >= 2, workers
    proc.send_signal(signal.SIGTERM)
    try:
        _, stderr = proc.communicate(timeout=30)  # read as it comes: a full pipe would block the run
    finally:
        alive = _reap(workers, psutil)
    assert not alive, f"{len(alive)} worker(s) still running after SIGTERM"
    assert proc.returncode == 128 + signal.SIGTERM, proc.returncode
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in lines[0], lines
    assert {name: (out / name).read_bytes() for name in TABLES} == before
    assert stray(out) == []


def test_after_kill_9_workers_exit_and_the_next_run_cleans_up(started, cli_command, raw_dir: Path, stray) -> None:
    psutil = pytest.importorskip("psutil")
    out, before, big = started
    proc, workers = _start(cli_command, big, out, psutil)
    os.kill(proc.pid, signal.SIGKILL)  # the main process only, as the OOM killer would
    proc.communicate(timeout=30)
    alive = _reap(workers, psutil)
    assert not alive, f"{len(alive)} worker(s) outlived their killed parent"
    assert {name: (out / name).read_bytes() for name in TABLES} == before
    assert stray(out), "the killed run left nothing behind: the test stopped it too late"
    run_extract(raw_dir, out)
    assert stray(out) == []
    assert {name: (out / name).read_bytes() for name in TABLES} == before


STOPPED_LINE = "ultimatum: error: stopped by SIGTERM; the outputs in out are those of the last complete run"


def _stopped_after(setup: str) -> subprocess.CompletedProcess:
    """A process that runs ``setup``, then stops as a run stopped by SIGTERM does."""
    import sys
    code = ("import atexit, signal, threading\n"
            "from ultimatum import cli\n"
            "from ultimatum.runtime.signals import Terminated\n"
            f"{setup}\n"
            "cli._stopped(Terminated(signal.SIGTERM), 'out')\n")
    return subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=60)


def test_a_stopped_run_ends_even_when_a_thread_would_hold_up_the_shutdown() -> None:
    """The interpreter's shutdown joins every non-daemon thread (the worker
    pool's helpers among them); one that never ends must not keep a stopped
    run alive past the grace period."""
    started = time.monotonic()
    done = _stopped_after("cli.STOP_GRACE = 1.0\nthreading.Thread(target=threading.Event().wait).start()")
    assert done.returncode == 128 + signal.SIGTERM, done.stderr
    assert time.monotonic() - started < 30
    assert done.stderr.strip().splitlines() == [STOPPED_LINE]


def test_a_stopped_run_says_one_line_whatever_its_shutdown_prints() -> None:
    """What the interpreter's shutdown reports after a stop (here an exit
    handler that fails, as a pool helper thread interrupted on a busy machine
    did) does not follow the run's one line."""
    done = _stopped_after("atexit.register(lambda: 1 / 0)")
    assert done.returncode == 128 + signal.SIGTERM, done.stderr
    assert done.stderr.strip().splitlines() == [STOPPED_LINE]
