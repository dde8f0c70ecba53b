"""Incremental runs: a rerun parses only new or changed articles, and
everything again when the lexicons (or code, or model) change; outputs are
identical with and without the cache."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from ultimatum import lexicon
from ultimatum.pipeline import run_extract
from ultimatum.runtime.cache import CACHE_DIRNAME, CACHE_SCHEMA, EVENTS_DIRNAME, EventCache, article_key, pipeline_fingerprint

SEEDS = Path(__file__).resolve().parents[1] / "data" / "raw"


def _add_fourth(three_seeds: Path) -> str:
    path = sorted(SEEDS.glob("*.txt"))[3]
    shutil.copy(path, three_seeds / path.name)
    return path.stem


@pytest.mark.slow
def test_rerun_after_adding_one_article_parses_only_that_article(three_seeds: Path, tmp_path: Path,
                                                                 forget_tables) -> None:
    out = tmp_path / "out"
    first = run_extract(three_seeds, out)
    assert (first.stats.parsed_articles, first.stats.cached) == (3, 0)
    tables = {name: (out / f"{name}.csv").read_bytes() for name in ("events", "claims", "articles")}

    forget_tables(out)  # every article from the cache, the tables written again
    again = run_extract(three_seeds, out)
    assert (again.stats.parsed_articles, again.stats.cached) == (0, 3)
    pd.testing.assert_frame_equal(again.events, first.events)
    assert {name: (out / f"{name}.csv").read_bytes() for name in tables} == tables

    added = _add_fourth(three_seeds)
    third = run_extract(three_seeds, out)
    assert (third.stats.parsed_articles, third.stats.cached) == (1, 3)
    assert added in set(third.events["article_id"])
    fresh = run_extract(three_seeds, tmp_path / "fresh", use_cache=False)
    assert fresh.stats.parsed_articles == 4
    pd.testing.assert_frame_equal(third.events, fresh.events)
    for name in ("events", "claims", "articles"):
        assert (out / f"{name}.csv").read_bytes() == (tmp_path / "fresh" / f"{name}.csv").read_bytes()


def test_changed_article_is_parsed_again(three_seeds: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_extract(three_seeds, out)
    path = sorted(three_seeds.glob("*.txt"))[0]
    path.write_text(path.read_text(encoding="utf-8") + "\nNATO rejected the demands.\n",
                    encoding="utf-8")
    rerun = run_extract(three_seeds, out)
    assert (rerun.stats.parsed_articles, rerun.stats.cached) == (1, 2)


def test_lexicon_change_invalidates_everything(three_seeds: Path, tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "out"
    run_extract(three_seeds, out)
    before = pipeline_fingerprint()
    monkeypatch.setattr(lexicon, "lexicon_fingerprint", lambda: "a-new-lexicon")
    assert pipeline_fingerprint() != before
    rerun = run_extract(three_seeds, out)
    assert (rerun.stats.parsed_articles, rerun.stats.cached) == (3, 0)
    # entries of the old version are pruned: one entry per article remains
    assert len(list((out / CACHE_DIRNAME / EVENTS_DIRNAME).rglob("*.jsonl"))) == 3


def test_the_code_fingerprint_covers_extraction_and_the_model(tmp_path: Path, monkeypatch) -> None:
    from ultimatum.runtime import cache
    package = Path(cache.__file__).resolve().parents[1]
    copy = tmp_path / "ultimatum"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache, "_PACKAGE_DIR", copy)

    def fingerprint() -> str:
        cache.code_fingerprint.cache_clear()
        return cache.code_fingerprint()

    before = fingerprint()
    assert fingerprint() == before  # the same files, the same fingerprint
    for changed in ("extract/events.py", "learn/model/weights.npz"):
        with (copy / changed).open("ab") as f:
            f.write(b"\n")
        after = fingerprint()
        assert after != before, changed
        before = after
    cache.code_fingerprint.cache_clear()


@pytest.mark.slow
def test_no_cache_and_unreadable_entries(three_seeds: Path, tmp_path: Path, forget_tables) -> None:
    out = tmp_path / "out"
    run_extract(three_seeds, out, use_cache=False)
    assert not (out / CACHE_DIRNAME).exists()
    first = run_extract(three_seeds, out)
    entry = next((out / CACHE_DIRNAME / EVENTS_DIRNAME).rglob("*.jsonl"))
    entry.write_text("{not json", encoding="utf-8")
    forget_tables(out)
    rerun = run_extract(three_seeds, out)
    assert (rerun.stats.parsed_articles, rerun.stats.cached) == (1, 2)
    pd.testing.assert_frame_equal(rerun.events, first.events)


def test_key_depends_on_content_and_fingerprint(tmp_path: Path) -> None:
    article = {"article_id": "a", "body": "Russia demanded guarantees.", "published": "2021-12-17"}
    changed = dict(article, body="Russia demanded more guarantees.")
    redated = dict(article, published="2021-12-18")
    keys = {article_key(a, "v1") for a in (article, changed, redated)} | {article_key(article, "v2")}
    assert len(keys) == 4
    cache = EventCache(tmp_path, fingerprint="v1")
    key = cache.key(article)
    assert cache.get(key) is None
    cache.put(key, [{"article_id": "a", "weight": -4.4}])
    assert cache.get(key) == [{"article_id": "a", "weight": -4.4}]
    assert _header_and_rows(next(tmp_path.rglob("*.jsonl")))[1][0]["weight"] == -4.4


def _header_and_rows(entry: Path) -> tuple[dict, list]:
    """An entry's header line and its rows line, parsed."""
    head, body = entry.read_text(encoding="utf-8").split("\n", 1)
    return json.loads(head), json.loads(body)


def _entries(out: Path) -> list[Path]:
    return sorted((out / CACHE_DIRNAME / EVENTS_DIRNAME).rglob("*.jsonl"))


def _damage(entry: Path, how: str) -> None:
    text = entry.read_text(encoding="utf-8")
    if how == "other rows":  # valid JSON: the rows of another article
        other = next(p for p in entry.parent.parent.rglob("*.jsonl") if p != entry)
        entry.write_text(other.read_text(encoding="utf-8"), encoding="utf-8")
    elif how == "edited actor":  # valid JSON: one actor changed by hand
        entry.write_text(text.replace('"actor": "RUS"', '"actor": "UKR"', 1), encoding="utf-8")
        assert entry.read_text(encoding="utf-8") != text
    elif how == "numbers":
        entry.write_text('{"rows": [1, 2, 3]}', encoding="utf-8")
    elif how == "empty rows":
        entry.write_text('{"rows": [{}]}', encoding="utf-8")
    elif how == "shard is a file":
        shard = entry.parent
        shutil.rmtree(shard)
        shard.write_text("not a folder", encoding="utf-8")


@pytest.mark.parametrize("how", ["other rows", "edited actor", "numbers", "empty rows", "shard is a file"])
def test_damaged_entry_is_dropped_recomputed_and_reported(three_seeds: Path, tmp_path: Path, how: str,
                                                          forget_tables) -> None:
    out = tmp_path / "out"
    expected = run_extract(three_seeds, out).events
    tables = {name: (out / f"{name}.csv").read_bytes() for name in ("articles", "events", "claims")}
    entry = next(p for p in _entries(out) if '"actor": "RUS"' in p.read_text(encoding="utf-8"))
    _damage(entry, how)
    forget_tables(out)
    rerun = run_extract(three_seeds, out)
    pd.testing.assert_frame_equal(rerun.events, expected)
    assert (rerun.stats.parsed_articles, rerun.stats.cached, rerun.stats.damaged) == (1, 2, 1)
    assert rerun.summary().endswith("; 1 cache entry was damaged and recomputed"), rerun.summary()
    assert {name: (out / f"{name}.csv").read_bytes() for name in tables} == tables
    forget_tables(out)
    healed = run_extract(three_seeds, out)  # the entry was replaced by a sound one
    assert (healed.stats.parsed_articles, healed.stats.cached, healed.stats.damaged) == (0, 3, 0)
    assert "damaged" not in healed.summary()


def test_entries_carry_a_checksum_and_a_schema_version(tmp_path: Path) -> None:
    cache = EventCache(tmp_path, fingerprint="v1")
    rows = [{"article_id": "a", "actor": "RUS", "weight": -4.4}]
    cache.put("ab" + "0" * 62, rows)
    path = next(tmp_path.rglob("*.jsonl"))
    header, stored = _header_and_rows(path)
    assert header["schema"] == CACHE_SCHEMA and stored == rows and len(header["sha256"]) == 64
    assert cache.get("ab" + "0" * 62) == rows and cache.extra("ab" + "0" * 62) == {} and not cache.damaged
    header["schema"] = CACHE_SCHEMA + 1  # written by another version of the format
    path.write_text(json.dumps(header) + "\n" + json.dumps(rows), encoding="utf-8")
    assert cache.get("ab" + "0" * 62) is None and cache.damaged == {"ab" + "0" * 62}


def test_an_entry_is_checked_without_parsing_its_rows(tmp_path: Path) -> None:
    cache = EventCache(tmp_path, fingerprint="v1")
    key = "cd" + "0" * 62
    cache.put(key, [{"article_id": "a", "actor": "RUS"}], {"n_sentences": 7})
    assert cache.extra(key) == {"n_sentences": 7} and cache.get_entry(key) == ([{"article_id": "a", "actor": "RUS"}],
                                                                                {"n_sentences": 7})
    path = next(tmp_path.rglob("*.jsonl"))
    head, body = path.read_text(encoding="utf-8").split("\n", 1)
    for damaged in (head + "\n" + body[:-5], head.replace("7", "8") + "\n" + body, head):
        path.write_text(damaged, encoding="utf-8")
        cache.damaged.clear()
        assert cache.extra(key) is None and cache.get_entry(key) is None and cache.damaged == {key}


def test_pruning_removes_entries_of_the_format_before(tmp_path: Path) -> None:
    cache = EventCache(tmp_path, fingerprint="v1")
    kept, old = "ab" + "0" * 62, "ab" + "1" * 62
    cache.put(kept, [{"article_id": "a"}])
    legacy = cache.root / "ab" / f"{old}.json"  # an entry of schema 3, before the header line
    legacy.write_text('{"schema": 3, "rows": []}', encoding="utf-8")
    assert cache.prune(keep={kept}) == 1
    assert not legacy.exists() and cache.get(kept) == [{"article_id": "a"}]
