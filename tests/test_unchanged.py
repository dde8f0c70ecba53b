"""A rerun whose tables would come out as they are keeps them (``runtime/unchanged.py``):
the same generation stays current and nothing is extracted, grouped or
written; any change of the inputs, of the pipeline or of the tables in place
makes the run extract and write them as a fresh run does."""
from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ultimatum import pipeline
from ultimatum.pipeline import TABLE_FILES, run_extract
from ultimatum.runtime import cache as cache_module
from ultimatum.runtime import unchanged
from ultimatum.runtime.cache import CACHE_DIRNAME
from ultimatum.runtime.unchanged import RECORD_NAME, article_keys, read_record, run_key


def _generation(out: Path) -> Path:
    return (out / TABLE_FILES[0]).resolve().parent


def _tables(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in TABLE_FILES}


def test_an_unchanged_rerun_keeps_the_tables_it_would_write(three_seeds: Path, tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "out"
    first = run_extract(three_seeds, out)
    generation, tables = _generation(out), _tables(out)
    times = {name: os.stat(generation / name).st_mtime_ns for name in TABLE_FILES}
    record = read_record(generation)
    assert record is not None and record.n_events == first.n_events > 0 and record.n_claims == first.n_claims

    def not_again(*args: object, **kwargs: object) -> None:
        raise AssertionError("the rerun grouped claims")
    monkeypatch.setattr(pipeline, "group_claims", not_again)
    again = run_extract(three_seeds, out)
    monkeypatch.undo()
    assert _generation(out) == generation, "the rerun switched to a generation of its own"
    assert {name: os.stat(generation / name).st_mtime_ns for name in TABLE_FILES} == times
    assert (again.stats.parsed_articles, again.stats.cached) == (0, 3)
    assert again.summary() == first.summary()
    pd.testing.assert_frame_equal(again.events, first.events)
    pd.testing.assert_frame_equal(again.claims, first.claims)
    pd.testing.assert_frame_equal(again.articles, first.articles)
    assert sorted(p.name for p in generation.parent.iterdir() if p.name.startswith(("gen-", "work-"))) \
        == [generation.name], "the rerun left a folder of its own"

    fresh = run_extract(three_seeds, tmp_path / "fresh", use_cache=False)
    assert _tables(tmp_path / "fresh") == tables
    assert read_record(_generation(tmp_path / "fresh")) is None, "a run without the cache records no key"
    assert fresh.n_events == first.n_events


def _edit_events(out: Path, three_seeds: Path) -> None:
    with open(out / "events.csv", "a", encoding="utf-8") as fh:
        fh.write("an,edited,line\n")


def _remove_link(out: Path, three_seeds: Path) -> None:
    (out / "claims.csv").unlink()


def _damage_record(out: Path, three_seeds: Path) -> None:
    (_generation(out) / RECORD_NAME).write_text("{not json", encoding="utf-8")


def _change_article(out: Path, three_seeds: Path) -> None:
    path = sorted(three_seeds.glob("*.txt"))[0]
    path.write_text(path.read_text(encoding="utf-8") + "\nNATO rejected the demands.\n", encoding="utf-8")


def _add_unreadable_file(out: Path, three_seeds: Path) -> None:
    (three_seeds / "empty.txt").write_bytes(b"")


def _rename_article(out: Path, three_seeds: Path) -> None:
    path = sorted(three_seeds.glob("*.txt"))[0]
    path.rename(path.with_name("renamed.txt"))


CHANGES: dict[str, Callable[[Path, Path], None]] = {
    "a table edited": _edit_events, "a table's link removed": _remove_link, "the record damaged": _damage_record,
    "an article changed": _change_article, "a file skipped": _add_unreadable_file,
    "an article renamed": _rename_article}


@pytest.mark.parametrize("change", list(CHANGES))
def test_any_change_makes_the_run_write_what_a_fresh_run_writes(three_seeds: Path, tmp_path: Path, change: str) -> None:
    out = tmp_path / "out"
    run_extract(three_seeds, out)
    before = _generation(out)
    CHANGES[change](out, three_seeds)
    again = run_extract(three_seeds, out)
    assert _generation(out) != before, "the tables were kept"
    run_extract(three_seeds, tmp_path / "fresh", use_cache=False)
    assert _tables(out) == _tables(tmp_path / "fresh")
    assert read_record(_generation(out)) is not None
    assert again.n_events == len(again.events)


def test_the_cache_outlives_a_kept_rerun_and_is_rebuilt_when_gone(three_seeds: Path, tmp_path: Path,
                                                                  raw_dir: Path) -> None:
    out = tmp_path / "out"
    run_extract(three_seeds, out)
    run_extract(three_seeds, out)  # tables kept: the cache's entries stay too
    shutil.copy(sorted(raw_dir.glob("*.txt"))[3], three_seeds / "fourth.txt")
    added = run_extract(three_seeds, out)
    assert (added.stats.parsed_articles, added.stats.cached) == (1, 3)
    before = _generation(out)
    shutil.rmtree(out / CACHE_DIRNAME)
    rebuilt = run_extract(three_seeds, out)  # an entry missing: the run extracts, and stores them again
    assert _generation(out) != before and rebuilt.stats.parsed_articles == 4
    assert len(list((out / CACHE_DIRNAME).rglob("*.jsonl"))) >= 4
    kept = run_extract(three_seeds, out)
    assert (kept.stats.parsed_articles, kept.stats.cached) == (0, 4)


def test_new_library_versions_write_the_tables_again(three_seeds: Path, tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "out"
    run_extract(three_seeds, out)
    before = _generation(out)
    monkeypatch.setattr(unchanged, "library_versions", lambda: "pandas==0.1")
    run_extract(three_seeds, out)
    assert _generation(out) != before


def test_a_record_that_does_not_read_is_no_record(tmp_path: Path) -> None:
    good = {"key": "k", "files": {"events.csv": "0" * 64}, "n_events": 1, "n_claims": 1,
            "event_dtypes": {"weight": "<f8"}}
    for bad in ({**good, "event_dtypes": {"weight": "no such type"}}, {**good, "n_events": "many"},
                {**good, "files": ["events.csv"]}, {k: v for k, v in good.items() if k != "key"}):
        (tmp_path / RECORD_NAME).write_text(json.dumps(bad), encoding="utf-8")
        assert read_record(tmp_path) is None, bad
    (tmp_path / RECORD_NAME).write_text(json.dumps(good), encoding="utf-8")
    record = read_record(tmp_path)
    assert record is not None and record.dtypes() == {"weight": np.dtype("float64")}


def test_a_new_pipeline_writes_the_tables_again(three_seeds: Path, tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "out"
    run_extract(three_seeds, out)
    before = _generation(out)
    monkeypatch.setattr(cache_module, "pipeline_fingerprint", lambda: "another-version")
    again = run_extract(three_seeds, out)
    assert _generation(out) != before and again.stats.parsed_articles == 3


def test_without_the_cache_the_tables_are_written_again(three_seeds: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_extract(three_seeds, out)
    before, tables = _generation(out), _tables(out)
    run_extract(three_seeds, out, use_cache=False)
    assert _generation(out) != before and _tables(out) == tables


def _run_key(fingerprint: str, articles: pd.DataFrame, skipped: pd.DataFrame,
             text: Callable[[str], str] = str) -> str:
    return run_key(article_keys(articles, fingerprint, text), articles, skipped)


def test_the_run_key_reads_every_input_of_the_tables() -> None:
    articles = pd.DataFrame({"article_id": ["a", "b"], "body": ["Russia demanded.", "NATO refused."],
                             "published": ["2021-12-17", None], "duplicate_kind": ["", ""]})
    skipped = pd.DataFrame({"file": ["x.bin"], "reason": ["binary"]})
    key = _run_key("v1", articles, skipped)
    assert _run_key("v1", articles.copy(), skipped.copy()) == key
    variants = [_run_key("v2", articles, skipped),
                _run_key("v1", articles.assign(body=["Russia demanded!", "NATO refused."]), skipped),
                _run_key("v1", articles.assign(published=["2021-12-18", None]), skipped),
                _run_key("v1", articles.assign(duplicate_kind=["", "near"]), skipped),
                _run_key("v1", articles.iloc[::-1], skipped),
                _run_key("v1", articles[["body", "article_id", "published", "duplicate_kind"]], skipped),
                _run_key("v1", articles, skipped.iloc[:0]),
                _run_key("v1", articles, skipped.assign(reason=["empty"]))]
    assert len({key, *variants}) == len(variants) + 1
    stored = {"s1": "Russia demanded.", "s2": "NATO refused."}
    by_reference = articles.assign(body=["s1", "s2"])
    assert _run_key("v1", by_reference, skipped, stored.__getitem__) == key
