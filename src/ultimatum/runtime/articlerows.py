"""Event rows of the articles a run extracts, in article order: taken from
the cache where an article's entry is whole, else extracted on an engine in
batches sized to its workers. spaCy is imported only when some article is
parsed, so a rerun on an unchanged folder starts no parser."""
from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from ultimatum.runtime.cache import EventCache
from ultimatum.runtime.engines import Engine, LazyEngine
from ultimatum.runtime.spill import StoredText, TextStore

if TYPE_CHECKING:
    from tqdm import tqdm

    from ultimatum.extract.fastpath import BatchResult

#: Most articles sent to a worker at once.
MAX_BATCH_ARTICLES = 32
#: Fewest articles in a batch near the end of a run (see :func:`batch_sizes`).
MIN_TAIL_BATCH = 4


@dataclass
class RunStats:
    """What one extraction run did (counts, not timings, decide the tests)."""
    articles: int = 0          # articles extracted (duplicates excluded)
    cached: int = 0            # taken from the cache
    parsed_articles: int = 0   # extracted afresh
    sentences: int = 0         # sentences in the articles extracted afresh
    parsed_sentences: int = 0  # of those, sentences actually parsed
    damaged: int = 0           # cache entries found damaged (and extracted again)
    read_cached: int = 0       # files whose reading came from the cache
    started: bool = False      # worker processes (or a cluster) were started
    engine: str = "local"
    workers: int = 1
    seconds: float = 0.0


def batch_size(articles: int, workers: int) -> int:
    """Articles per batch: about four batches per worker, at most :data:`MAX_BATCH_ARTICLES`."""
    return max(1, min(MAX_BATCH_ARTICLES, math.ceil(articles / (4 * workers))))


def batch_sizes(articles: int, workers: int) -> Iterator[int]:
    """Sizes of the successive batches of ``articles`` to extract: those of
    :func:`batch_size`, shrinking as the end nears (each at most a quarter
    of a worker's share of what is left, and at least :data:`MIN_TAIL_BATCH`),
    so that the workers run out of work at nearly the same time instead of
    one parsing a full batch while the others wait."""
    size = batch_size(articles, workers)
    left = articles
    while left > 0:
        step = min(left, size, max(MIN_TAIL_BATCH, math.ceil(left / (4 * workers))))
        yield step
        left -= step


def cached_sentence_count(extra: dict | None) -> int | None:
    """The sentence count a cache entry keeps with its rows (None: not usable)."""
    count = None if extra is None else extra.get("n_sentences")
    return count if isinstance(count, int) else None


class ArticleRows:
    """Event rows of every article to extract, in article order: from the
    cache, or extracted on an engine in batches. Each article's record (and
    its text) is dropped once its rows are taken or its batch is sent.
    ``keys``: the records' cache keys, when the caller computed them."""

    def __init__(self, records: list[dict | None], stats: RunStats, cache: EventCache | None,
                 fast: bool, texts: TextStore | None = None, keys: list[str] | None = None) -> None:
        self.records = records
        self.stats = stats
        self.cache = cache
        self.fast = fast
        self.texts = texts
        if not cache:
            keys = []
        elif keys is None:
            keys = [cache.key(self._record(i)) for i in range(len(records))]
        self.keys = keys
        # an entry is checked now (its bytes against their checksum) and parsed when its turn comes
        self.cached = [cached_sentence_count(cache.extra(k)) is not None for k in self.keys] if cache else [False] * len(records)
        self.todo = [i for i, hit in enumerate(self.cached) if not hit]
        stats.cached = len(records) - len(self.todo)

    def _entry(self, key: str) -> tuple[list[dict], int] | None:
        """A cache entry's rows and sentence count, or None."""
        assert self.cache is not None
        entry = self.cache.get_entry(key)
        count = None if entry is None else cached_sentence_count(entry[1])
        return None if entry is None or count is None else (entry[0], count)

    def _stored(self, i: int) -> dict:
        """The record of article ``i``, not yet let go of."""
        record = self.records[i]
        if record is None:
            raise RuntimeError(f"article {i} was taken twice")
        return record

    def _record(self, i: int) -> dict:
        """The record of article ``i``, with its text read back when the run
        keeps texts on disk."""
        record = self._stored(i)
        if self.texts is None or "body" not in record:
            return record
        return {**record, "body": self.texts.text(record["body"])}

    def pending_chars(self) -> int:
        """Characters of text in the articles still to extract."""
        bodies = (self._stored(i).get("body", "") for i in self.todo)
        return sum(len(b if isinstance(b, StoredText) else str(b)) for b in bodies)

    def _batches(self, workers: int) -> Iterator[list[dict]]:
        start = 0
        for size in batch_sizes(len(self.todo), workers):
            numbers = self.todo[start:start + size]
            start += size
            batch = [self._record(i) for i in numbers]
            for i in numbers:
                self.records[i] = None
            yield batch

    def _fresh(self, runner: Engine | None, bar: tqdm) -> Iterator[tuple[list[dict], int]]:
        if not self.todo:
            return
        if runner is None:
            raise ValueError("articles not cached need an engine to extract them")
        if isinstance(runner, LazyEngine):
            runner = runner.for_work(self.pending_chars())
        self.stats.workers = runner.workers
        numbers = iter(self.todo)
        for batch in runner.map(_extractor(self.fast), self._batches(runner.workers)):
            self.stats.sentences += batch.sentences
            self.stats.parsed_sentences += batch.parsed
            self.stats.parsed_articles += len(batch.rows)
            bar.update(len(batch.rows))
            for rows, count in zip(batch.rows, batch.counts):
                i = next(numbers)
                if self.cache:
                    self.cache.put(self.keys[i], rows, {"n_sentences": count})
                yield rows, count

    def each(self, runner: Engine | None, bar: tqdm) -> Iterator[tuple[list[dict], int]]:
        """Rows and sentence count of each article in order (``runner``
        extracts those not cached)."""
        fresh = self._fresh(runner, bar)
        for i, hit in enumerate(self.cached):
            if hit:
                cache = self.cache
                assert cache is not None  # hits come only from a cache
                entry = self._entry(self.keys[i])
                if entry is None:  # the entry went away or was damaged since: extract it here
                    batch = _extractor(self.fast)([self._record(i)])
                    entry = batch.rows[0], batch.counts[0]
                    cache.put(self.keys[i], entry[0], {"n_sentences": entry[1]})
                    self.stats.cached -= 1
                    self.stats.parsed_articles += 1
                self.records[i] = None
                yield entry
            else:
                yield next(fresh)
        if next(fresh, None) is not None:
            raise RuntimeError("the engine returned more articles than it was sent")
        if self.cache:
            self.stats.damaged = len(self.cache.damaged)


def _extractor(fast: bool) -> Callable[[list[dict]], BatchResult]:
    """The batch extractor workers run (a picklable partial), imported here
    so that spaCy is loaded only when something is parsed."""
    from ultimatum.extract.fastpath import extract_batch
    return partial(extract_batch, fast=fast)
