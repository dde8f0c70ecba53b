"""Extraction streams its events: rows go to a spill file as batches come
back and the tables are written chunk by chunk, with the very bytes of the
whole-table path (every row in memory, then grouped); the run's events are
read back only when asked for, and no temporary file is left behind."""
from __future__ import annotations

import gc
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ultimatum import pipeline
from ultimatum.claims import tables as claim_tables
from ultimatum.claims.grouping import assign_claims
from ultimatum.claims.summary import claims_table
from ultimatum.extract import fastpath
from ultimatum.extract.fastpath import extract_batch
from ultimatum.ingest.dedupe import articles_to_extract
from ultimatum.ingest.reader import ingest
from ultimatum.runtime import articlerows
from ultimatum.runtime.atomic import StagedTables, write_csv_atomic, write_tables_atomic
from ultimatum.runtime.cache import EVENTS_DIRNAME, EventCache
from ultimatum.runtime.spill import EventSpill, StoredText, TextStore, read_typed_csv
from ultimatum.schema import EVENT_COLUMNS

TABLES = ("articles", "skipped", "events", "claims")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, seeds_with_copies) -> Path:
    """The seeds, a syndicated copy of one a day later, and an exact reprint."""
    return seeds_with_copies(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="module")
def whole_tables(corpus: Path, tmp_path_factory) -> dict[str, bytes]:
    """The four tables written from whole in-memory tables."""
    ingested = ingest(corpus)
    records = articles_to_extract(ingested.articles).to_dict("records")
    rows = [row for article in extract_batch(records).rows for row in article]
    events = assign_claims(pd.DataFrame(rows, columns=EVENT_COLUMNS), articles=ingested.articles)
    tables = {"articles": ingested.articles, "skipped": ingested.skipped, "events": events,
              "claims": claims_table(events)}
    out = tmp_path_factory.mktemp("whole")
    write_tables_atomic({out / f"{name}.csv": table for name, table in tables.items()})
    return {name: (out / f"{name}.csv").read_bytes() for name in TABLES}


def _written(out: Path) -> dict[str, bytes]:
    return {name: (out / f"{name}.csv").read_bytes() for name in TABLES}


def test_streamed_tables_are_the_whole_tables(corpus: Path, whole_tables, tmp_path: Path,
                                              monkeypatch) -> None:
    monkeypatch.setattr(claim_tables, "CHUNK_ROWS", 7)  # many chunks of events and of claims
    monkeypatch.setattr(pipeline, "ARTICLE_CHUNK_ROWS", 2)  # and of articles
    out = tmp_path / "out"
    result = pipeline.run_extract(corpus, out, use_cache=False)
    assert _written(out) == whole_tables
    names = sorted(f"{name}.csv" for name in TABLES)
    assert sorted(p.name for p in out.iterdir()) == [".ultimatum", *names], "a temporary file was left"
    current = (out / "events.csv").resolve().parent  # the tables' generation: nothing else in it
    assert sorted(p.name for p in current.iterdir()) == names, "a spill or temporary file was left"
    assert sorted(p.name for p in current.parent.iterdir()) == sorted(["current", "lock", current.name])
    assert result.n_events == len(result.events) and result.n_claims == len(result.claims)
    # the result's tables are those written, with the types of the tables in memory
    events = pd.read_csv(out / "events.csv", dtype=str, keep_default_na=False)
    assert result.events["claim_id"].tolist() == events["claim_id"].tolist()
    assert result.events["sentence_id"].dtype == "int64" and result.events["weight"].dtype == "float64"
    pd.testing.assert_frame_equal(result.articles, ingest(corpus).articles)


def test_summary_line_reads_no_table_back(corpus: Path, tmp_path: Path, monkeypatch) -> None:
    result = pipeline.run_extract(corpus, tmp_path / "out", use_cache=False)

    def no_reading(*args, **kwargs):
        raise AssertionError("a table was read back")
    monkeypatch.setattr(pipeline, "read_typed_csv", no_reading)
    monkeypatch.setattr(pipeline.pd, "read_csv", no_reading)
    line = result.summary()
    assert f"{result.n_events} events, {result.n_claims} distinct claims" in line
    assert result.n_articles == 7 and result.n_events > 100


def test_cached_rerun_and_a_vanished_entry_give_the_same_tables(corpus: Path, whole_tables, tmp_path: Path,
                                                                monkeypatch, forget_tables) -> None:
    out = tmp_path / "out"
    first = pipeline.run_extract(corpus, out)
    assert first.stats.parsed_articles == 6 and _written(out) == whole_tables
    reads: dict[str, int] = {}
    original = EventCache.get_entry

    def forgetful(self, key):  # checked sound, the first article's event entry is gone when its turn comes
        if self.root.name != EVENTS_DIRNAME:
            return original(self, key)
        reads[key] = reads.get(key, 0) + 1
        if reads[key] == 1 and key == next(iter(reads)):
            return None
        return original(self, key)
    monkeypatch.setattr(EventCache, "get_entry", forgetful)
    forget_tables(out)
    again = pipeline.run_extract(corpus, out)
    assert (again.stats.cached, again.stats.parsed_articles) == (5, 1)
    assert _written(out) == whole_tables


def test_run_holds_no_article_text_until_its_batch(corpus: Path, whole_tables, tmp_path: Path,
                                                   monkeypatch) -> None:
    held: list[object] = []
    sent: list[object] = []
    rows_init = articlerows.ArticleRows.__init__

    def watched_rows(self, records, *args, **kwargs):
        held.extend(r["body"] for r in records)
        rows_init(self, records, *args, **kwargs)
    monkeypatch.setattr(articlerows.ArticleRows, "__init__", watched_rows)
    monkeypatch.setattr(fastpath, "extract_batch",
                        lambda batch, fast=True: sent.extend(a["body"] for a in batch) or extract_batch(batch, fast))
    out = tmp_path / "out"
    pipeline.run_extract(corpus, out, use_cache=False, workers=1)
    # the six articles to extract (the reprint aside) wait as stand-ins; each
    # batch gets the whole texts, in article order
    assert len(held) == 6 and all(isinstance(body, StoredText) for body in held)
    assert sent == articles_to_extract(ingest(corpus).articles)["body"].tolist()
    assert [body.length for body in held] == [len(text) for text in sent]
    assert _written(out) == whole_tables


@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40), max_size=8))
@settings(max_examples=60, deadline=None)
def test_text_store_gives_back_each_text(texts: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder, TextStore(folder) as store:
        kept = [store.keep(text) for text in texts]
        assert len(store) == len(texts)
        assert [k.length for k in kept] == [len(k) for k in kept] == [len(t) for t in texts]
        assert [store.text(k) for k in reversed(kept)] == texts[::-1]
        assert store.text("as it is") == "as it is" and store.text(None) is None


def test_in_memory_extraction_keeps_its_tables_while_the_result_lives(corpus: Path) -> None:
    result = pipeline.extract_from_articles(ingest(corpus))
    folder = result.folder
    assert sorted(p.name for p in folder.iterdir()) == ["claims.csv", "events.csv"]
    assert len(result.events) == result.n_events > 0
    del result
    gc.collect()
    assert not folder.exists()


# --- the spill ---------------------------------------------------------------

cells = st.one_of(st.integers(-3, 3), st.floats(allow_nan=False, allow_infinity=False),
                  st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=6),
                  st.none(), st.booleans())
articles = st.lists(st.lists(st.fixed_dictionaries({"a": cells, "b": cells, "c": st.integers(0, 9)}),
                             max_size=4), max_size=6)


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(articles, st.integers(1, 5))
def test_chunks_print_as_the_whole_table(rows_per_article: list[list[dict]], size: int) -> None:
    """A column of whole numbers here and numbers there prints 3.0 in every
    chunk, as in the whole table; missing values, text, flags alike."""
    columns = ["a", "b", "c"]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with EventSpill(folder, columns) as spill:
            for rows in rows_per_article:
                spill.append(rows)
            with StagedTables() as staged:
                staged.add(folder / "chunked.csv", spill.chunks(size))
                staged.commit()
        rows = [row for article in rows_per_article for row in article]
        write_csv_atomic(pd.DataFrame(rows, columns=columns), folder / "whole.csv")
        assert (folder / "chunked.csv").read_bytes() == (folder / "whole.csv").read_bytes()
        assert sorted(p.name for p in folder.iterdir()) == ["chunked.csv", "whole.csv"]


#: Text as ingest leaves it: no carriage returns or NULs (a CSV cannot carry them back).
clean_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\x00"),
                     max_size=8)
plain_cells = {"text": clean_text, "count": st.integers(-10**6, 10**6),
               "weight": st.floats(allow_nan=False, allow_infinity=False)}


@pytest.mark.slow
@settings(max_examples=100, deadline=None)
@given(st.lists(st.fixed_dictionaries(plain_cells), min_size=1, max_size=8))
def test_typed_csv_reads_back_the_table(rows: list[dict]) -> None:
    table = pd.DataFrame(rows, columns=list(plain_cells))
    with tempfile.TemporaryDirectory() as tmp:
        path = write_csv_atomic(table, Path(tmp) / "t.csv")
        pd.testing.assert_frame_equal(read_typed_csv(path, table.dtypes.to_dict()), table)
