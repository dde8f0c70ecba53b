"""The extraction pipeline as one call: ingest a raw folder, extract events,
group distinct claims and write the tables atomically.

Extraction takes the fast path (``fastpath.py``: only sentences that can
carry an event are parsed, with only the components extraction reads), runs
on an engine (``engines.py``: this process, every local core, or a Dask
cluster), and skips articles whose events are already cached
(``cache.py``). None of this changes the events: they equal those of
``extract.extract_events`` on the same articles.

Memory stays flat in the corpus size: ``run_extract`` keeps each article's
text in a temporary file from the moment it is read (``spill.TextStore``)
until its batch and ``articles.csv`` read it back, event rows go to a spill
file next to the tables as batches come back (``spill.py``), only what
claim grouping reads is kept, as small codes (``claims.codes.ClaimEvents``), and
``events.csv`` and ``claims.csv`` are written chunk by chunk. The four
tables replace the previous ones together or not at all, by one run at a time
(``outputs.OutputSet``): a run writes them into a new generation folder and
switches to it in one step; a run that fails changes neither the tables nor
the cache."""
from __future__ import annotations

import os
import shutil
import tempfile
import time
import weakref
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ultimatum.cells import restore
from ultimatum.claims.codes import ClaimEvents
from ultimatum.claims.grouping import duplicates_of, group_claims
from ultimatum.claims.summary import summarise
from ultimatum.claims.tables import claim_chunks, event_chunks
from ultimatum.ingest.dedupe import articles_to_extract
from ultimatum.ingest.reader import Ingested, IngestError, count_sentences, file_counts, ingest, quality_note
from ultimatum.runtime.articlerows import ArticleRows, RunStats, batch_size
from ultimatum.runtime.atomic import StagedTables
from ultimatum.runtime.cache import EventCache
from ultimatum.runtime.engines import Engine, LazyEngine, make_engine, map_batched
from ultimatum.runtime.outputs import OutputSet, check_outside, fault_point, remove_dead_temp_folders
from ultimatum.runtime.progress import progress_bar
from ultimatum.runtime.readcache import ReadCache
from ultimatum.runtime.spill import EventSpill, TextStore, read_typed_csv
from ultimatum.runtime.unchanged import RunRecord, article_keys, run_key, unchanged, write_record
from ultimatum.schema import CLAIM_DTYPES, EVENT_COLUMNS, TABLE_COLUMNS

#: Below this much text to parse, worker processes cost more than they save.
POOL_MIN_CHARS = 400_000
#: Articles per chunk when writing articles.csv (their texts are read back for it).
ARTICLE_CHUNK_ROWS = 200
TABLES = tuple(TABLE_COLUMNS)
TABLE_FILES = tuple(f"{name}.csv" for name in TABLES)
#: Temporary files that versions before output sets left in the output folder.
LEGACY_TEMP = (*(f".{name}.*.tmp" for name in TABLE_FILES), ".events.spill.*.tmp", ".texts.*.tmp")
#: Prefix of the temporary folders of :func:`extract_from_articles` (then the PID).
TEMP_PREFIX = "ultimatum-extract-"


class NoArticles(IngestError):
    """The raw folder holds no readable article: nothing is written."""


class ExtractResult:
    """Tables produced by one extraction run.

    ``events`` and ``claims`` are read from the CSVs the run wrote when first
    asked for (with the column types of the tables in memory: text, whole
    numbers, numbers); ``n_events`` and ``n_claims`` count them without
    reading; ``event_dtypes`` are the event columns' types. ``articles`` is
    the ingested article table; when the run let go of the article texts,
    they are read back from ``articles.csv`` when asked for."""

    def __init__(self, articles: pd.DataFrame, skipped: pd.DataFrame, folder: Path, *,
                 stats: RunStats, n_events: int, n_claims: int, event_dtypes: dict[str, Any],
                 body_at: int | None = None) -> None:
        self._articles = articles
        self.skipped = skipped
        self.folder = Path(folder)
        self.stats = stats
        self.n_events = n_events
        self.n_claims = n_claims
        self.event_dtypes = event_dtypes
        self._body_at = body_at
        self._events: pd.DataFrame | None = None
        self._claims: pd.DataFrame | None = None

    def path(self, table: str) -> Path:
        """Where ``table`` (articles, skipped, events, claims) was written."""
        return self.folder / f"{table}.csv"

    @property
    def n_articles(self) -> int:
        """Articles read (rows of the article table)."""
        return len(self._articles)

    @property
    def articles(self) -> pd.DataFrame:
        """The article table (``articles.csv``), texts included."""
        if self._body_at is not None:
            body = restore(pd.read_csv(self.path("articles"), usecols=["body"], dtype=str,
                                       keep_default_na=False))["body"]
            self._articles = self._articles.copy()
            self._articles.insert(self._body_at, "body", body.to_numpy())
            self._body_at = None
        return self._articles

    @property
    def events(self) -> pd.DataFrame:
        """The event table (``events.csv``), claim ids included."""
        if self._events is None:
            self._events = read_typed_csv(self.path("events"), self.event_dtypes)
        return self._events

    @property
    def claims(self) -> pd.DataFrame:
        """The distinct claims (``claims.csv``)."""
        if self._claims is None:
            self._claims = read_typed_csv(self.path("claims"), CLAIM_DTYPES)
        return self._claims

    def summary(self) -> str:
        """One line: files read, processed, skipped; events and claims found;
        then, in brackets, what the report's data-quality section lists."""
        c = file_counts(self._articles, self.skipped)
        note = quality_note(c)
        files = "file" if c["read"] == 1 else "files"
        damaged = self.stats.damaged
        return (f"read {c['read']} {files}: {c['processed']} processed, {c['skipped']} skipped; "
                f"{self.n_events} events, {self.n_claims} distinct claims"
                + (f" ({note})" if note else "")
                + (f"; {damaged} cache {'entry was' if damaged == 1 else 'entries were'} damaged "
                   "and recomputed" if damaged else ""))


def _engine_for(chars: int, engine: str, workers: int | None,
                scheduler: str | None) -> Engine:
    """The engine asked for; a small local job (``chars`` of text) runs
    in-process unless a number of workers is given."""
    if engine == "local" and workers is None and not scheduler and chars < POOL_MIN_CHARS:
        return make_engine("local", 1)
    return make_engine(engine, workers, scheduler)


def _article_chunks(articles: pd.DataFrame, texts: TextStore) -> Iterator[pd.DataFrame]:
    """articles.csv in chunks, each article's text read back from ``texts``."""
    for start in range(0, max(len(articles), 1), ARTICLE_CHUNK_ROWS):
        chunk = articles.iloc[start:start + ARTICLE_CHUNK_ROWS].copy()
        chunk["body"] = [texts.text(body) for body in chunk["body"]]
        yield chunk


def _with_counts(articles: pd.DataFrame, counts: dict[str, int], texts: TextStore | None) -> pd.DataFrame:
    """``articles`` with ``n_sentences`` from ``counts`` (by article id); an
    article not extracted (an exact duplicate) is counted here."""
    def count(row: dict) -> int:
        if row["article_id"] in counts:
            return counts[row["article_id"]]
        body = texts.text(row["body"]) if texts is not None else row["body"]
        return count_sentences({**row, "body": body})
    articles = articles.copy()
    articles["n_sentences"] = [count(r) for r in articles[["article_id", "body", "published"]].to_dict("records")]
    return articles


def _extract(ingested: Ingested, folder: Path, staged: StagedTables, *, engine: str,
             workers: int | None, scheduler: str | None, cache: EventCache | None,
             progress: bool | None, fast: bool, runner: Engine | None,
             own_articles: bool, texts: TextStore | None = None, work: Path | None = None,
             result_folder: Path | None = None, fill_counts: bool = False,
             keys: list[str] | None = None) -> ExtractResult:
    """Extract, group claims and stage events.csv and claims.csv in ``folder``.
    With ``own_articles`` the article and skipped tables are staged too and
    the article texts are let go of as extraction goes; ``fill_counts`` fills
    their ``n_sentences`` from the sentence units extraction split. ``texts``
    holds the texts when the article table has only :class:`StoredText` in their place.
    Temporary files go to ``work`` (default: ``folder``); the result reads
    its tables from ``result_folder`` (default: ``folder``). ``keys``: the
    cache keys of the articles to extract, when already computed."""
    work = folder if work is None else work
    started = time.perf_counter()
    articles, skipped = ingested.articles, ingested.skipped
    duplicate_of = duplicates_of(articles)
    records: list[dict[Any, Any] | None] = list(articles_to_extract(articles).to_dict("records"))
    ids = [str(r["article_id"]) for r in records if r is not None]
    counts: dict[str, int] = {}
    body_at = None
    stats = RunStats(articles=len(records), engine=runner.name if runner else engine)
    source = ArticleRows(records, stats, cache, fast, texts, keys)
    del records
    compact = ClaimEvents()
    with EventSpill(work, EVENT_COLUMNS) as spill, TextStore(work) as examples:
        with progress_bar(stats.articles, "extracting", enabled=progress) as bar:
            bar.update(stats.cached)
            own: Engine | None = None  # an engine started here, closed here
            if runner is None and source.todo:
                runner = own = _engine_for(source.pending_chars(), engine, workers, scheduler)
            try:
                for k, (rows, count) in enumerate(source.each(runner, bar)):
                    counts[ids[k]] = count
                    spill.append(rows)
                    for row in rows:
                        compact.add_row(row)
            except BaseException:
                if own and runner is not None:
                    runner.abort()
                raise
            if own and runner is not None:
                runner.close()
        if own_articles:
            if fill_counts:
                articles = _with_counts(articles, counts, texts)
            staged.add(folder / "articles.csv",
                       _article_chunks(articles, texts) if texts is not None else articles)
            staged.add(folder / "skipped.csv", skipped)
            if "body" in articles.columns:
                body_at = list(articles.columns).index("body")
                articles = articles.drop(columns="body")
            ingested.articles = articles
        grouping = group_claims(compact, duplicate_of)
        summary = summarise(compact, grouping)
        staged.add(folder / "events.csv", event_chunks(spill, grouping, summary.first_row, examples))
        staged.add(folder / "claims.csv", claim_chunks(compact, grouping, summary, examples))
        dtypes = dict(spill.dtypes(), claim_id=np.dtype(object)) if spill.rows else {}
    stats.seconds = time.perf_counter() - started
    return ExtractResult(articles, skipped, result_folder or folder, stats=stats, n_events=len(compact),
                         n_claims=len(summary.claim), event_dtypes=dtypes, body_at=body_at)


def extract_from_articles(ingested: Ingested, *, engine: str = "local",
                          workers: int | None = None, scheduler: str | None = None,
                          cache: EventCache | None = None, progress: bool | None = None,
                          fast: bool = True, runner: Engine | None = None) -> ExtractResult:
    """Events and claims for already ingested articles.

    ``engine``/``workers``/``scheduler`` choose where parsing runs (default:
    every local core for big jobs), or ``runner`` is an engine already
    started; ``cache`` skips articles already done; ``fast=False`` parses
    every sentence with every component (the unoptimised reference). The
    events and claims tables are kept in a temporary folder for as long as
    the result is."""
    remove_dead_temp_folders(TEMP_PREFIX)
    folder = Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-"))
    try:
        with StagedTables() as staged:
            result = _extract(ingested, folder, staged, engine=engine, workers=workers,
                              scheduler=scheduler, cache=cache, progress=progress, fast=fast,
                              runner=runner, own_articles=False)
            staged.commit()
        if cache:
            cache.commit()
            cache.prune()
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    weakref.finalize(result, shutil.rmtree, folder, ignore_errors=True)
    return result


def _folder_size(raw_dir: Path) -> int:
    """Bytes in the files of ``raw_dir``; IngestError when it cannot be listed."""
    try:
        entries = list(os.scandir(raw_dir))
    except OSError as exc:
        raise IngestError(f"{raw_dir}: cannot list the folder ({exc.strerror or exc})") from exc
    size = 0
    for entry in entries:
        try:
            size += entry.stat().st_size if entry.is_file() else 0
        except OSError:  # gone or unreadable: ingest says which
            pass
    return size


def _file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def run_extract(raw_dir: str | Path, out_dir: str | Path, *, engine: str = "local",
                workers: int | None = None, scheduler: str | None = None,
                use_cache: bool = True, progress: bool | None = None) -> ExtractResult:
    """Ingest ``raw_dir``, extract, and write the tables into ``out_dir``;
    articles unchanged since the last run into ``out_dir`` come from its cache.
    The same workers read the files (when they can see them) and parse; they
    are started only when some file or article is not in the cache, and
    sentences are split once, for extraction, which also counts them.
    Each article's text goes to a temporary file as it is read, and is read
    back for its batch and for articles.csv: memory holds no corpus of texts.

    The four tables are replaced as one set (``outputs.OutputSet``), and one
    run at a time writes into ``out_dir`` (:class:`OutputBusy` otherwise).
    When the tables in place were made from the same inputs by the same
    pipeline and are intact (``unchanged.py``), they are kept as they are:
    nothing is extracted, grouped or written (not with ``use_cache=False``). A
    run that fails (:class:`NoArticles` when no file is readable) leaves the
    tables and the cache as they were."""
    raw_dir, out_dir = Path(raw_dir), Path(out_dir)
    check_outside(out_dir, raw_dir)
    _folder_size(raw_dir)  # a folder that cannot be listed fails here, before anything is written
    runner = LazyEngine(engine, workers, scheduler, min_chars=POOL_MIN_CHARS)
    with runner, OutputSet(out_dir, "tables", TABLE_FILES, legacy=LEGACY_TEMP) as target:
        cache = EventCache.for_output(out_dir, staging=target.work / "cache") if use_cache else None
        reads = ReadCache.for_output(out_dir, staging=target.work / "cache") if use_cache else None
        for kept in (cache, reads):
            if kept:
                kept.clean()

        def reader(items: list[tuple[Path, str]]) -> Callable[[Callable[[Any], Any], Iterable[Any]], Iterator[Any]]:
            """How to read ``items``: on the engine's workers for a big job when
            they see the files, in batches sized to the workers."""
            chars = sum(_file_size(path) for path, _ in items)
            if not runner.shares_files:
                return map
            used = runner.for_work(chars)
            size = batch_size(len(items), used.workers)
            return lambda fn, todo: map_batched(used, fn, list(todo), size)
        with StagedTables() as staged, TextStore(target.work) as texts:
            with progress_bar(None, "reading", unit="file", enabled=progress) as bar:
                def mapper(fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
                    items = list(items)
                    bar.total = len(items)
                    read = reads.mapped(fn, items, reader) if reads else reader(items)(fn, items)
                    for item in read:
                        bar.update(1)
                        if isinstance(item, dict) and isinstance(item.get("body"), str):
                            item["body"] = texts.keep(item["body"])
                        yield item
                ingested = ingest(raw_dir, mapper=mapper, count=False)
            if ingested.articles.empty:
                empty = ExtractResult(ingested.articles, ingested.skipped, out_dir, stats=RunStats(),
                                      n_events=0, n_claims=0, event_dtypes={})
                raise NoArticles(f"{raw_dir}: no readable articles ({empty.summary()}){_skipped_reasons(ingested.skipped)}")
            key = keys = record = None
            if cache:  # each article's cache key, computed once: for the run key, the check, the extraction
                every_key = article_keys(ingested.articles, cache.fingerprint, texts.text)
                key, keys = run_key(every_key, ingested.articles, ingested.skipped), _to_extract(ingested.articles, every_key)
                if target.linked() and all(map(cache.has, keys)):  # an emptied cache is filled again
                    record = unchanged(target.current_folder(), key, TABLE_FILES)
            if record is not None:
                result = _unchanged_result(ingested, out_dir, record, engine)
            else:
                result = _extract(ingested, target.gen, staged, engine=engine, workers=workers,
                                  scheduler=scheduler, cache=cache, progress=progress, fast=True,
                                  runner=runner, own_articles=True, texts=texts, work=target.work,
                                  result_folder=out_dir, fill_counts=True, keys=keys)
            result.stats.read_cached = reads.hits if reads else 0
            result.stats.started = runner.started is not None
            staged.commit()
            if record is None and key:
                write_record(target.gen, key, TABLE_FILES, n_events=result.n_events,
                             n_claims=result.n_claims, event_dtypes=result.event_dtypes)
        if record is not None:
            target.keep_current()
            cache = None  # no entry was read: pruning would empty it
        else:
            target.commit()
        for kept in (cache, reads):
            if kept:
                kept.commit()
        fault_point("cached")
        for kept in (cache, reads):
            if kept:
                kept.prune()
    return result


#: Skipped files a run that reads no article names in its one-line error.
NAMED_SKIPPED = 5


def _skipped_reasons(skipped: pd.DataFrame) -> str:
    """``: a.bin (binary data); b.txt (empty file); and 3 more`` for an error line."""
    if skipped.empty:
        return ""
    named = "; ".join(f"{r['file']} ({r['reason']})" for r in skipped.head(NAMED_SKIPPED).to_dict("records"))
    more = len(skipped) - NAMED_SKIPPED
    return f": {named}" + (f"; and {more} more" if more > 0 else "")


def _to_extract(articles: pd.DataFrame, keys: list[str]) -> list[str]:
    """The cache keys of the articles extraction reads (``articles_to_extract``)."""
    return articles_to_extract(articles.assign(_cache_key=pd.Series(keys, index=articles.index)))["_cache_key"].tolist()


def _unchanged_result(ingested: Ingested, out_dir: Path, record: RunRecord, engine: str) -> ExtractResult:
    """The result of a run whose tables are those already in ``out_dir``
    (``unchanged.py``): nothing extracted, grouped or written."""
    articles = ingested.articles
    n_sentences = pd.read_csv(out_dir / "articles.csv", usecols=["n_sentences"])["n_sentences"]
    articles = articles.assign(n_sentences=n_sentences.to_numpy())
    body_at = list(articles.columns).index("body")
    extracted = len(articles_to_extract(articles))
    return ExtractResult(articles.drop(columns="body"), ingested.skipped, out_dir,
                         stats=RunStats(articles=extracted, cached=extracted, engine=engine), n_events=record.n_events,
                         n_claims=record.n_claims, event_dtypes=record.dtypes(), body_at=body_at)
