"""Each step once: sentences split once per article (extraction counts them),
a rerun on an unchanged folder starts no worker and loads no model, and
``ultimatum report`` reads the raw folder once."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ultimatum.extract import events
from ultimatum.ingest.reader import count_sentences, ingest
from ultimatum.pipeline import run_extract
from ultimatum.runtime import engines


@pytest.fixture
def started(monkeypatch) -> list[str]:
    """The engines a run starts (each runs in this process, to stay fast)."""
    calls: list[str] = []

    def make(engine: str = "local", workers: int | None = None, scheduler: str | None = None) -> engines.Engine:
        calls.append(engine)
        return engines.Engine()
    monkeypatch.setattr(engines, "make_engine", make)
    return calls


def test_a_rerun_on_an_unchanged_folder_starts_no_worker(raw_dir: Path, tmp_path: Path, started) -> None:
    first = run_extract(raw_dir, tmp_path / "out", workers=2, progress=False)
    assert started == ["local"] and first.stats.started
    again = run_extract(raw_dir, tmp_path / "out", workers=2, progress=False)
    assert started == ["local"], "the rerun started an engine"
    assert not again.stats.started
    assert again.stats.read_cached == again.stats.cached == again.n_articles == first.n_articles
    assert again.n_events == first.n_events > 0
    for table in ("articles", "events", "claims", "skipped"):
        assert again.path(table).read_bytes() == first.path(table).read_bytes(), table


def test_one_changed_file_starts_the_engine_for_it_alone(raw_dir: Path, tmp_path: Path, started) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(raw_dir, raw)
    run_extract(raw, tmp_path / "out", workers=2, progress=False)
    changed = sorted(raw.glob("*.txt"))[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nNATO rejected the demand.\n", encoding="utf-8")
    again = run_extract(raw, tmp_path / "out", workers=2, progress=False)
    assert started == ["local", "local"]
    assert (again.stats.read_cached, again.stats.cached, again.stats.parsed_articles) == (4, 4, 1)


def test_sentences_are_split_once_per_article(seeds_with_copies, tmp_path: Path, monkeypatch) -> None:
    """Reading counts no sentences; extraction splits each article once and
    counts them; an exact duplicate, not extracted, is counted by itself."""
    raw = seeds_with_copies(tmp_path / "raw")
    split: list[str] = []
    original = events.sentence_units

    def counting(article):
        split.append(str(article["article_id"]))
        return original(article)
    monkeypatch.setattr(events, "sentence_units", counting)
    result = run_extract(raw, tmp_path / "out", use_cache=False, progress=False)
    articles = result.articles
    extracted = articles.loc[articles["duplicate_kind"] != "exact", "article_id"].tolist()
    assert sorted(split) == sorted(extracted)
    monkeypatch.undo()
    expected = {row["article_id"]: count_sentences(row) for row in ingest(raw).articles.to_dict("records")}
    assert dict(zip(articles["article_id"], articles["n_sentences"])) == expected
    assert (articles["n_sentences"] > 0).all()


def test_the_report_reads_the_raw_folder_once(root: Path) -> None:
    """One notebook reads the folder (``run_extract``); the others, and the
    command before them, read the tables it wrote."""
    readers = []
    for path in sorted((root / "notebooks").glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        code = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"][1:]  # after the parameters
        calls = sum(text.count("run_extract(") + text.count("ingest(") for text in code)
        readers += [path.name] * calls
        assert calls or not any("raw_dir" in text for text in code), path.name
    assert readers == ["01_ingest.ipynb"]
    cli = (root / "src" / "ultimatum" / "cli.py").read_text(encoding="utf-8")
    report = cli[cli.index("def report("):cli.index("def _read_csv(")]
    assert "ingest(" not in report
