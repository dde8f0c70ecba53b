"""Two runs on the same input give byte-identical CSVs: whatever the folder's
location, the hash seed of the process, or whether events came from the cache."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

TABLES = ("articles.csv", "skipped.csv", "events.csv", "claims.csv")


def _extract(run_cli, raw: Path, out: Path, hash_seed: str, *extra: str) -> dict[str, bytes]:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    proc = run_cli("extract", str(raw), "--out", str(out), *extra, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return {name: (out / name).read_bytes() for name in TABLES}


@pytest.mark.slow
def test_two_runs_give_byte_identical_tables(tmp_path: Path, bad_input, run_cli) -> None:
    first_raw = bad_input.build(tmp_path / "first place", huge=False)
    second_raw = tmp_path / "elsewhere" / "raw"
    shutil.copytree(first_raw, second_raw)
    out = tmp_path / "out"
    first = _extract(run_cli, first_raw, out, "1")
    second = _extract(run_cli, second_raw, tmp_path / "out2", "2", "--no-cache")
    cached = _extract(run_cli, first_raw, out, "3")
    for name in TABLES:
        assert first[name] == second[name], f"{name} differs between two runs"
        assert first[name] == cached[name], f"{name} differs when events come from the cache"
        text = first[name].decode("utf-8")
        assert str(tmp_path) not in text and "first place" not in text, f"{name} names a local path"
    assert first["events.csv"].count(b"\n") > 20
