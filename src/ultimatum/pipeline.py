"""The extraction pipeline as one call: ingest a raw folder, extract events,
group distinct claims and write the tables atomically.

Extraction takes the fast path (``fastpath.py``: only sentences that can
carry an event are parsed, with only the components extraction reads), runs
on an engine (``engines.py``: this process, every local core, or a Dask
cluster), and skips articles whose events are already cached
(``cache.py``). None of this changes the events: they equal those of
``extract.extract_events`` on the same articles."""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import pandas as pd

from .cache import EventCache
from .claims import assign_claims, claims_table
from .dedupe import articles_to_extract
from .engines import Engine, make_engine
from .extract import EVENT_COLUMNS
from .fastpath import extract_batch
from .ingest import Ingested, file_counts, ingest, quality_note
from .io import write_tables_atomic
from .progress import progress_bar

#: Below this much text to parse, worker processes cost more than they save.
POOL_MIN_CHARS = 400_000
#: Most articles sent to a worker at once.
MAX_BATCH_ARTICLES = 32


@dataclass
class RunStats:
    """What one extraction run did (counts, not timings, decide the tests)."""
    articles: int = 0          # articles extracted (duplicates excluded)
    cached: int = 0            # taken from the cache
    parsed_articles: int = 0   # extracted afresh
    sentences: int = 0         # sentences in the articles extracted afresh
    parsed_sentences: int = 0  # of those, sentences actually parsed
    engine: str = "local"
    workers: int = 1
    seconds: float = 0.0


@dataclass
class ExtractResult:
    """Tables produced by one extraction run."""
    articles: pd.DataFrame
    skipped: pd.DataFrame
    events: pd.DataFrame
    claims: pd.DataFrame
    stats: RunStats = field(default_factory=RunStats)

    def summary(self) -> str:
        """One line: files read, processed, skipped; events and claims found;
        then, in brackets, what the report's data-quality section lists."""
        c = file_counts(self.articles, self.skipped)
        note = quality_note(c)
        return (f"read {c['read']} files: {c['processed']} processed, {c['skipped']} skipped; "
                f"{len(self.events)} events, {len(self.claims)} distinct claims"
                + (f" ({note})" if note else ""))


def _batches(records: list[dict], workers: int) -> list[list[dict]]:
    size = max(1, min(MAX_BATCH_ARTICLES, math.ceil(len(records) / (4 * workers))))
    return [records[i:i + size] for i in range(0, len(records), size)]


def _engine_for(chars: int, engine: str, workers: int | None,
                scheduler: str | None) -> Engine:
    """The engine asked for; a small local job (``chars`` of text) runs
    in-process unless a number of workers is given."""
    if engine == "local" and workers is None and not scheduler and chars < POOL_MIN_CHARS:
        return make_engine("local", 1)
    return make_engine(engine, workers, scheduler)


def extract_from_articles(ingested: Ingested, *, engine: str = "local",
                          workers: int | None = None, scheduler: str | None = None,
                          cache: EventCache | None = None, progress: bool | None = None,
                          fast: bool = True, runner: Engine | None = None) -> ExtractResult:
    """Events and claims for already ingested articles.

    ``engine``/``workers``/``scheduler`` choose where parsing runs (default:
    every local core for big jobs), or ``runner`` is an engine already
    started; ``cache`` skips articles already done; ``fast=False`` parses
    every sentence with every component (the unoptimised reference)."""
    started = time.perf_counter()
    records = articles_to_extract(ingested.articles).to_dict("records")
    stats = RunStats(articles=len(records), engine=runner.name if runner else engine)
    rows_of: list[list[dict] | None] = [None] * len(records)
    keys = [cache.key(r) for r in records] if cache else []
    if cache:
        for i, key in enumerate(keys):
            rows_of[i] = cache.get(key)
    todo = [i for i, rows in enumerate(rows_of) if rows is None]
    stats.cached = len(records) - len(todo)
    with progress_bar(len(records), "extracting", enabled=progress) as bar:
        bar.update(stats.cached)
        if todo:
            pending = [records[i] for i in todo]
            own = runner is None
            if own:
                runner = _engine_for(sum(len(r["body"]) for r in pending), engine, workers, scheduler)
            try:
                stats.workers = runner.workers
                position = iter(todo)
                for batch in runner.map(partial(extract_batch, fast=fast),
                                        _batches(pending, runner.workers)):
                    stats.sentences += batch.sentences
                    stats.parsed_sentences += batch.parsed
                    for rows in batch.rows:
                        i = next(position)
                        rows_of[i] = rows
                        if cache:
                            cache.put(keys[i], rows)
                    stats.parsed_articles += len(batch.rows)
                    bar.update(len(batch.rows))
            finally:
                if own:
                    runner.close()
    if cache:
        cache.prune()
    events = pd.DataFrame([row for rows in rows_of for row in (rows or [])],
                          columns=EVENT_COLUMNS)
    events = assign_claims(events, articles=ingested.articles)
    stats.seconds = time.perf_counter() - started
    return ExtractResult(ingested.articles, ingested.skipped, events, claims_table(events), stats)


def write_tables(result: ExtractResult, out_dir: str | Path) -> dict[str, Path]:
    """Write articles, skipped, events and claims CSVs into ``out_dir``, all
    or none: each is written in full to a temporary file before any is renamed."""
    out_dir = Path(out_dir)
    names = ("articles", "skipped", "events", "claims")
    paths = write_tables_atomic({out_dir / f"{name}.csv": getattr(result, name) for name in names})
    return dict(zip(names, paths))


def run_extract(raw_dir: str | Path, out_dir: str | Path, *, engine: str = "local",
                workers: int | None = None, scheduler: str | None = None,
                use_cache: bool = True, progress: bool | None = None) -> ExtractResult:
    """Ingest ``raw_dir``, extract, and write the tables into ``out_dir``;
    articles unchanged since the last run into ``out_dir`` come from its cache.
    The same workers read the files (when they can see them) and parse."""
    cache = EventCache.for_output(out_dir) if use_cache else None
    size = sum(p.stat().st_size for p in Path(raw_dir).iterdir() if p.is_file())
    with _engine_for(size, engine, workers, scheduler) as runner:
        with progress_bar(None, "reading", unit="file", enabled=progress) as bar:
            def mapper(fn, items):
                items = list(items)
                bar.total = len(items)
                run = runner.map if runner.shares_files else map
                for item in run(fn, items):
                    bar.update(1)
                    yield item
            ingested = ingest(raw_dir, mapper=mapper)
        result = extract_from_articles(ingested, cache=cache, progress=progress, runner=runner)
    write_tables(result, out_dir)
    return result
