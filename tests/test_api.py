"""The Python API: importable without spaCy, tables read back typed from one
run's set, extraction and the report as the command line makes them."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import ultimatum
from ultimatum.ingest.reader import IngestError
from ultimatum.report.config import ConfigError
from ultimatum.runtime.atomic import write_csv_atomic
from ultimatum.schema import TABLE_COLUMNS
from ultimatum.tables import TableError


def test_import_loads_neither_spacy_nor_pandas(root: Path) -> None:
    code = ("import sys, ultimatum; names = [ultimatum.Result, ultimatum.extract_folder, ultimatum.read_tables, "
            "ultimatum.export_events, ultimatum.build_report]; print('spacy' in sys.modules)")
    bare = ("import sys, ultimatum; print('spacy' in sys.modules, 'pandas' in sys.modules)")
    env = {**os.environ, "PYTHONPATH": str(root / "src")}
    run = lambda c: subprocess.run([sys.executable, "-c", c], capture_output=True, text=True, env=env, check=True)
    assert run(bare).stdout.split() == ["False", "False"]
    assert run(code).stdout.split() == ["False"]
    with pytest.raises(AttributeError, match="no attribute 'extract_everything'"):
        ultimatum.extract_everything  # noqa: B018


def _tables(run: int) -> dict[str, pd.DataFrame]:
    """The four tables of a made-up run (``run`` tells two runs apart)."""
    article = {c: "" for c in TABLE_COLUMNS["articles"]} | {
        "article_id": "a1", "title": f"Run {run}", "body": "=SUM(1)", "n_sentences": 3, "n_words": 42}
    event = {c: "" for c in TABLE_COLUMNS["events"]} | {
        "article_id": "a1", "sentence_id": 2, "sentence": "Russia demanded guarantees.", "actor": "RUS",
        "event_type": "DEMAND", "weight": -5.0, "claim_id": "C1"}
    claim = {c: "" for c in TABLE_COLUMNS["claims"]} | {"claim_id": "C1", "n_mentions": run, "n_articles": 1}
    return {"articles": pd.DataFrame([article]), "events": pd.DataFrame([event] * run),
            "claims": pd.DataFrame([claim]), "skipped": pd.DataFrame(columns=TABLE_COLUMNS["skipped"])}


def _write(folder: Path, tables: dict[str, pd.DataFrame]) -> None:
    for name, table in tables.items():
        write_csv_atomic(table[TABLE_COLUMNS[name]], folder / f"{name}.csv")


def test_read_tables_gives_one_runs_set_with_typed_columns(tmp_path: Path) -> None:
    out = tmp_path / "processed"
    _write(out / ".ultimatum" / "tables" / "gen-2", _tables(2))
    (out / ".ultimatum" / "tables" / "current").symlink_to("gen-2")
    _write(out, _tables(1))  # plain files of another run: the current set wins
    result = ultimatum.read_tables(out)
    assert result.folder == out and len(result.events) == 2 and result.claims["n_mentions"].tolist() == [2]
    assert result.articles["title"].tolist() == ["Run 2"] and result.articles["body"].tolist() == ["=SUM(1)"]
    assert result.articles["n_words"].dtype == "int64" and result.events["sentence_id"].dtype == "int64"
    assert result.events["weight"].dtype == "float64" and result.events["actor"].tolist() == ["RUS"] * 2
    assert list(result.skipped.columns) == TABLE_COLUMNS["skipped"] and result.skipped.empty
    plain = tmp_path / "copy"
    _write(plain, _tables(1))
    assert len(ultimatum.read_tables(plain).events) == 1


def test_read_tables_names_the_missing_table(tmp_path: Path) -> None:
    tables = _tables(1)
    del tables["claims"]
    _write(tmp_path, tables)
    with pytest.raises(TableError, match=rf"^{tmp_path / 'claims.csv'}: no such file"):
        ultimatum.read_tables(tmp_path)
    with pytest.raises(TableError, match="nowhere: no such folder"):
        ultimatum.read_tables(tmp_path / "nowhere")


def test_extract_and_report_refuse_a_missing_folder_or_bad_setting(tmp_path: Path, raw_dir: Path) -> None:
    with pytest.raises(IngestError, match="nowhere: no such folder"):
        ultimatum.extract_folder(tmp_path / "nowhere")
    with pytest.raises(IngestError, match="nowhere: no such folder"):
        ultimatum.build_report(tmp_path / "nowhere", tmp_path / "report")
    with pytest.raises(ConfigError, match="date_from"):
        ultimatum.build_report(raw_dir, tmp_path / "report", params={"date_from": "2022-13-01"})
    assert not (tmp_path / "report").exists()  # refused before anything ran


@pytest.mark.slow
def test_extract_folder_returns_the_tables_the_command_writes(tmp_path: Path, raw_dir: Path) -> None:
    kept = ultimatum.extract_folder(raw_dir, tmp_path / "processed", workers=1)
    assert kept.folder == tmp_path / "processed" and (tmp_path / "processed" / "events.csv").is_file()
    assert len(kept.articles) == 5 and len(kept.events) > 0 and kept.skipped.empty
    assert kept.events["claim_id"].isin(kept.claims["claim_id"]).all()
    assert kept.articles["n_sentences"].dtype == "int64" and kept.events["weight"].dtype == "float64"
    again = ultimatum.read_tables(tmp_path / "processed")
    for name in ("articles", "events", "claims", "skipped"):
        pd.testing.assert_frame_equal(getattr(kept, name), getattr(again, name))
    fresh = ultimatum.extract_folder(raw_dir, workers=1)
    assert fresh.folder is None
    pd.testing.assert_frame_equal(fresh.events, kept.events)


@pytest.mark.slow
def test_build_report_renders_html_and_pdf(tmp_path: Path, raw_dir: Path, root: Path) -> None:
    html = ultimatum.build_report(raw_dir, tmp_path / "report", processed=tmp_path / "processed",
                                  params={"date_from": "2021-12-01", "show_milestones": False},
                                  notebooks=root / "notebooks", gold_root=root)
    assert html == tmp_path / "report" / "report.html" and "</html>" in html.read_text(encoding="utf-8")
    assert (tmp_path / "report" / "report.pdf").read_bytes().startswith(b"%PDF")
    assert len(ultimatum.read_tables(tmp_path / "processed").articles) == 5
