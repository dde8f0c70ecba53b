"""Fault injection: `ultimatum extract` killed (SIGKILL) at random moments,
and at each step of switching to the new tables, always leaves the four
tables of one run, whole (the previous run's or the new one's), and the next
run succeeds.

Two corpora take turns so that every run replaces tables that differ from
its own. ``ULTIMATUM_FAULT_AT=STEP`` makes the writer kill itself at a step
of the switch; ``ULTIMATUM_FAULT_SLEEP=SECONDS`` makes it pause before each
step, so that random kills land inside the switch too.
``ULTIMATUM_FAULT_SEED`` chooses the random moments (printed on failure)."""
from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from ultimatum.pipeline import run_extract
from ultimatum.runtime.outputs import FAULT_STEPS

pytestmark = pytest.mark.slow  # a dozen runs of the command line, about 40 s

TABLES = ("articles.csv", "skipped.csv", "events.csv", "claims.csv")
RANDOM_KILLS = 6


def _tables(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in TABLES}


def _corpus(folder: Path, raw_dir: Path, names: list[Path]) -> Path:
    folder.mkdir()
    for path in names:
        shutil.copy(path, folder / path.name)
    return folder


def test_killed_anywhere_the_tables_are_one_whole_set(tmp_path: Path, raw_dir: Path, cli_command, stray) -> None:
    seed = int(os.environ.get("ULTIMATUM_FAULT_SEED", "20220112"))
    rng = random.Random(seed)
    seeds = sorted(raw_dir.glob("*.txt"))
    corpora = {"a": _corpus(tmp_path / "a", raw_dir, seeds[:2]),
               "b": _corpus(tmp_path / "b", raw_dir, seeds[2:4])}
    refs = {}
    for name, corpus in corpora.items():
        run_extract(corpus, tmp_path / f"ref_{name}", use_cache=False)
        refs[name] = _tables(tmp_path / f"ref_{name}")
    assert refs["a"] != refs["b"]
    out = tmp_path / "out"
    run_extract(corpora["a"], out)
    now = "a"
    plan = [(step, None) for step in FAULT_STEPS] + [(None, rng.uniform(1.0, 5.0)) for _ in range(RANDOM_KILLS)]
    outcomes = []
    for step, delay in plan:
        new = "b" if now == "a" else "a"
        env = dict(os.environ, ULTIMATUM_QUIET="1")
        env.update({"ULTIMATUM_FAULT_AT": step} if step else {"ULTIMATUM_FAULT_SLEEP": "0.3"})
        proc = subprocess.Popen([*cli_command, "extract", str(corpora[new]), "--out", str(out)], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                start_new_session=True)
        if delay is not None:
            try:
                proc.wait(timeout=delay)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        _, err = proc.communicate(timeout=120)
        where = f"seed {seed}, fault {step or f'kill after {delay:.2f} s'}"
        assert proc.returncode in (0, -signal.SIGKILL), f"{where}: exit {proc.returncode}: {err[-2000:]}"
        tables = _tables(out)
        assert tables in (refs["a"], refs["b"]), f"{where}: the tables are not one run's whole set"
        now = "a" if tables == refs["a"] else "b"
        outcomes.append((step, delay, proc.returncode, "new" if now == new else "previous"))
    assert {o[3] for o in outcomes} == {"new", "previous"}, outcomes
    assert any(o[2] == -signal.SIGKILL for o in outcomes if o[0] is None), outcomes

    new = "b" if now == "a" else "a"
    started = time.monotonic()
    done = subprocess.run([*cli_command, "extract", str(corpora[new]), "--out", str(out)],
                          check=False, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert time.monotonic() - started < 60
    assert _tables(out) == refs[new]
    assert stray(out) == [], "files of the killed runs are left"
