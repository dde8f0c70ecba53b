"""A newcomer's path: the CLI extracts any folder, and `ultimatum report`
executes every notebook and renders the report, leaving data/raw untouched."""
from __future__ import annotations

import hashlib
import json
import re
import shutil
import zlib
from pathlib import Path

import pandas as pd
import pytest

from ultimatum.report.notebooks import NOTEBOOKS
from ultimatum.schema import ARTICLE_COLUMNS, EVENT_COLUMNS

pytestmark = pytest.mark.slow  # every test runs the command line or the notebooks


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def built_report(tmp_path_factory, raw_dir: Path, root: Path, run_cli) -> tuple[Path, Path, dict]:
    """The report as `make report` builds it, run in the project folder: the
    notebooks from notebooks/, the accuracy from tests/gold/results.csv."""
    before = _digest(raw_dir)
    out = tmp_path_factory.mktemp("report")
    processed = out / "data"
    proc = run_cli("report", "--raw", str(raw_dir), "--out", str(out), "--processed", str(processed), cwd=root)
    assert proc.returncode == 0, proc.stderr[-3000:]
    # quiet in tests and CI: no stages, and no kernel's warnings (such as running over TCP)
    assert proc.stderr == "", proc.stderr[-3000:]
    assert proc.stdout.count("\n") == 1 and proc.stdout.startswith("report written to")
    return out, processed, before


def test_report_builds_from_notebooks(built_report, raw_dir: Path, root: Path) -> None:
    out, processed, before = built_report
    assert _digest(raw_dir) == before, "data/raw was modified"
    for name in ("articles.csv", "events.csv", "claims.csv", "skipped.csv"):
        assert (processed / name).stat().st_size > 0, name
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<html" in html and "</html>" in html
    assert (out / "report.pdf").read_bytes().startswith(b"%PDF")
    for name in NOTEBOOKS:
        executed = json.loads((out / "notebooks" / name).read_text())
        assert executed["metadata"]["papermill"]["input_path"] == str(root / "notebooks" / name)
        code = [c for c in executed["cells"] if c["cell_type"] == "code"]
        assert all(c.get("execution_count") for c in code), f"{name} not fully executed"
        errors = [o for c in code for o in c.get("outputs", []) if o.get("output_type") == "error"]
        assert not errors, f"{name}: {errors[:1]}"
    # accuracy is read from the results file `ultimatum evaluate` writes, never measured here
    if (root / "tests" / "gold" / "results.csv").is_file():
        assert 'data-key="accuracy.' in html and (processed / "accuracy.csv").is_file()
    else:
        assert "Accuracy was not measured" in html


def _pdf_strings(path: Path) -> bytes:
    """The PDF's bytes and its streams, uncompressed: headings are there as text (its outline)."""
    data = path.read_bytes()
    streams = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            streams.append(zlib.decompress(match.group(1)))
        except zlib.error:
            pass
    return b"\n".join([data, *streams])


def _edit(cell: dict, old: str, new: str) -> None:
    source = "".join(cell["source"])
    assert old in source, f"{old!r} not in the cell"
    cell["source"] = source.replace(old, new)


def test_a_chart_and_the_narrative_are_changed_in_the_notebook(built_report, raw_dir: Path, root: Path,
                                                              tmp_path: Path, run_cli) -> None:
    """A reader edits a chart cell and a narrative cell of a copy of the notebooks
    and rebuilds: both changes are in the HTML, the figure and the PDF."""
    _, processed, _ = built_report
    mine = tmp_path / "my_notebooks"
    shutil.copytree(root / "notebooks", mine)
    path = mine / "03_report.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    chart = next(c for c in nb["cells"] if "page.chart(fig, \"demands\"" in "".join(c["source"]))
    _edit(chart, 'xlabel="demand mentions"', 'xlabel="sentences that demand"')
    _edit(chart, "title = f\"{label(top[0][0])} made most of the demands", "title = f\"Mostly {label(top[0][0])}")
    story = next(c for c in nb["cells"] if "".join(c["source"]).startswith("## Demands"))
    _edit(story, "## Demands\n", "## Demands\n\n### A note from the editor\n\nRead the demands with care.\n")
    path.write_text(json.dumps(nb, indent=1), encoding="utf-8")
    out = tmp_path / "report"
    proc = run_cli("report", "--raw", str(raw_dir), "--out", str(out), "--processed", str(processed),
                   "--notebooks", str(mine), "--progress", cwd=root)
    assert proc.returncode == 0, proc.stderr[-3000:]
    stages = [line for line in proc.stderr.splitlines() if line.strip()]
    assert [s.split("] ", 1)[1] for s in stages] == [
        "reading the articles and extracting events ...", "counting and drawing the charts ...",
        "rendering report.html ...", "laying out report.pdf ...", "done"], proc.stderr
    html = (out / "report.html").read_text(encoding="utf-8")
    svg = (out / "figures" / "demands.svg").read_text(encoding="utf-8")
    assert "Read the demands with care." in html and "A note from the editor" in html
    assert "Mostly Russia" in svg and "sentences that demand" in svg and "Mostly Russia" in html
    assert b"A note from the editor" in _pdf_strings(out / "report.pdf")
    assert b"A note from the editor" not in _pdf_strings(built_report[0] / "report.pdf")


def test_tables_follow_codebook_schema(built_report) -> None:
    _, processed, _ = built_report
    articles = pd.read_csv(processed / "articles.csv", dtype=str, keep_default_na=False)
    events = pd.read_csv(processed / "events.csv", dtype=str, keep_default_na=False)
    assert list(articles.columns[: len(ARTICLE_COLUMNS)]) == ARTICLE_COLUMNS
    assert list(events.columns) == EVENT_COLUMNS
    assert len(articles) == 5
    assert set(articles["date_source"]) == {"manifest"}
    assert len(events) > 0
    assert set(events["article_id"]) <= set(articles["article_id"])
    assert events["rule"].str.len().gt(0).all()


def test_extract_cli_on_another_folder(tmp_path: Path, raw_dir: Path, run_cli) -> None:
    corpus = tmp_path / "my articles"
    corpus.mkdir()
    shutil.copy(raw_dir / "001_5fe37ef5f4ed5af7.txt", corpus / "wire.txt")
    proc = run_cli("extract", str(corpus), "--out", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    assert "1 processed" in proc.stdout
    articles = pd.read_csv(tmp_path / "out" / "articles.csv", dtype=str, keep_default_na=False)
    assert articles.loc[0, "article_id"] == "wire"
    # no manifest here: the date comes from the article's own URL
    assert (articles.loc[0, "published"], articles.loc[0, "date_source"]) == ("2021-12-17", "url")


@pytest.mark.parametrize("command", ["extract", "report"])
def test_missing_or_empty_folder_is_one_line_error(tmp_path: Path, command: str, run_cli) -> None:
    missing = tmp_path / "nowhere"
    empty = tmp_path / "empty"
    empty.mkdir()
    for folder in (missing, empty):
        args = ([command, str(folder), "--out", str(tmp_path / "o")] if command == "extract"
                else [command, "--raw", str(folder), "--out", str(tmp_path / "o")])
        proc = run_cli(*args)
        assert proc.returncode != 0
        assert "Traceback" not in proc.stderr
        lines = [line for line in proc.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and str(folder) in lines[0], proc.stderr
