"""The package works installed, away from the project: the report notebooks
are found (given, in ./notebooks, or packaged), and a wheel carries them with
the templates, config and lexicons, so `ultimatum report` runs from anywhere."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from ultimatum.report import notebooks
from ultimatum.report.notebooks import NOTEBOOKS, notebooks_dir

#: What a wheel is built from (see pyproject.toml, setup.py and MANIFEST.in).
BUILD_FILES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md")


def test_notebooks_given_then_current_folder_then_packaged(root: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(notebooks, "packaged_notebooks", lambda: None)
    with pytest.raises(FileNotFoundError, match="--notebooks DIR"):
        notebooks_dir()
    packaged = tmp_path / "site" / "ultimatum" / "notebooks"
    shutil.copytree(root / "notebooks", packaged)
    monkeypatch.setattr(notebooks, "packaged_notebooks", lambda: packaged)
    assert notebooks_dir() == packaged
    monkeypatch.chdir(root)  # the project folder: the notebooks users edit come first
    assert notebooks_dir() == root / "notebooks"
    mine = tmp_path / "mine"
    shutil.copytree(root / "notebooks", mine)
    assert notebooks_dir(mine) == mine
    (mine / NOTEBOOKS[1]).unlink()
    with pytest.raises(FileNotFoundError, match=NOTEBOOKS[1]):
        notebooks_dir(mine)


def test_bad_notebooks_or_gold_folder_is_one_line_error(tmp_path: Path, raw_dir: Path, run_cli) -> None:
    for option in ("--notebooks", "--gold-root"):
        proc = run_cli("report", "--raw", str(raw_dir), "--out", str(tmp_path / "o"), option, str(tmp_path / "nowhere"))
        lines = [line for line in proc.stderr.splitlines() if line.strip()]
        assert proc.returncode == 2 and len(lines) == 1, proc.stderr
        assert lines[0].startswith(f"ultimatum: error: {option} ") and "nowhere" in lines[0]


def _run(*args: str, **kwargs) -> subprocess.CompletedProcess:
    proc = subprocess.run(args, check=False, capture_output=True, text=True, timeout=900, **kwargs)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    return proc


@pytest.mark.slow
def test_report_runs_from_an_installed_wheel(root: Path, raw_dir: Path, tmp_path: Path) -> None:
    started = time.perf_counter()
    # build from a copy of what a wheel is made of, leaving no build/ in the project
    source = tmp_path / "source"
    source.mkdir()
    for name in BUILD_FILES:
        shutil.copy(root / name, source / name)
    skip = shutil.ignore_patterns("__pycache__", "*.egg-info", ".ipynb_checkpoints")
    shutil.copytree(root / "src", source / "src", ignore=skip)
    shutil.copytree(root / "notebooks", source / "notebooks", ignore=skip)
    dist = tmp_path / "dist"
    _run(sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(source))
    wheel, = dist.glob("ultimatum-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for data in ([f"ultimatum/notebooks/{n}" for n in NOTEBOOKS]
                 + ["ultimatum/report/templates/ultimatum/index.html.j2", "ultimatum/report/templates/report.css",
                    "ultimatum/config/report.yaml", "ultimatum/config/ultimatum.mplstyle",
                    "ultimatum/lexicon/cues.csv"]):
        assert data in names, f"{data} not in the wheel"

    site = tmp_path / "site"
    _run(sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps",
         "--no-index", "--target", str(site), str(wheel))
    # another folder, with nothing of the project but a copy of the articles
    work = tmp_path / "elsewhere"
    shutil.copytree(raw_dir, work / "articles")
    env = {**os.environ, "PYTHONPATH": str(site)}
    found = _run(sys.executable, "-c", "import ultimatum.cli\nfrom ultimatum.report.notebooks import notebooks_dir\n"
                 "print(ultimatum.__file__)\nprint(notebooks_dir())", cwd=work, env=env).stdout.splitlines()
    assert Path(found[0]).is_relative_to(site), f"ultimatum imported from {found[0]}, not from the wheel"
    assert Path(found[1]) == site / "ultimatum" / "notebooks"

    _run(sys.executable, "-m", "ultimatum.cli", "report", "--raw", "articles", "--out", "out", cwd=work, env=env)
    out = work / "out"
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "</html>" in html and "Accuracy was not measured" in html  # no gold folder here
    assert (out / "report.pdf").read_bytes().startswith(b"%PDF")
    for name in NOTEBOOKS:
        executed = json.loads((out / "notebooks" / name).read_text(encoding="utf-8"))
        assert Path(executed["metadata"]["papermill"]["input_path"]).is_relative_to(site)
    print(f"wheel built, installed and its report run in {time.perf_counter() - started:.0f} s")
