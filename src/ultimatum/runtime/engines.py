"""Where extraction runs: in this process, in a pool of local processes (every
core), or on a Dask cluster. Each engine maps a function over batches of
articles and yields the results in input order, keeping only a few batches
in flight so memory does not grow with the corpus. Every worker process
loads the spaCy model once (``nlp.load_model`` is cached per process) and
keeps it for every batch it runs.

A run that fails or is stopped (SIGTERM, Ctrl-C) ends its local workers at
once (:meth:`Engine.abort`), and a local worker whose parent is gone (killed
with ``kill -9``) ends itself within a second."""
from __future__ import annotations

import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import Any

ENGINES = ("local", "dask")
#: Seconds to wait for a Dask scheduler to answer, and for it to have a worker.
SCHEDULER_TIMEOUT = 5
#: Seconds between a local worker's checks that its parent is alive.
PARENT_POLL = 0.5
#: Dask settings for the LocalCluster the Dask engine starts (not for a
#: cluster of its own, whose workers keep theirs). Dask starts its workers
#: with ``MALLOC_TRIM_THRESHOLD_=65536``: glibc then hands memory back to the
#: system at nearly every free, and spaCy allocates and frees per sentence, so
#: parsing took about a fifth longer (the extra time in system calls and page
#: faults); unset, workers allocate as the local engine's do. The statistical
#: profiler (every 10 ms) and the 20 ms event-loop tick only feed a dashboard,
#: which is off, and took a few per cent of the cores from parsing.
LOCAL_CLUSTER_CONFIG: dict[str, Any] = {
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "2s",
}


class EngineError(Exception):
    """An engine that cannot start (a bad or silent scheduler); the message says which."""


def available_cores() -> int:
    """CPU cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


#: What a BLAS library reads, as it loads, for its number of threads.
ONE_BLAS_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def single_threaded_blas() -> None:
    """One BLAS thread in this process: workers already fill every core, and
    BLAS threads competing with them only slow everything down (an idle
    OpenBLAS thread spins at about a third of a core). A library not loaded
    yet reads the environment when it loads; one already loaded is limited
    through threadpoolctl. A thread count the user set is kept."""
    for name, value in ONE_BLAS_THREAD.items():
        os.environ.setdefault(name, value)
    from threadpoolctl import threadpool_limits
    threadpool_limits(limits=1, user_api="blas")


def warm_worker() -> None:
    """Set up a fresh worker process: one BLAS thread, the model loaded
    before its first batch. The limit is set before the model loads numpy
    and its BLAS, and again after, whichever loaded them first."""
    single_threaded_blas()
    from ultimatum.extract.events import REQUIRED_PIPES
    from ultimatum.nlp.model import bulk_model
    bulk_model(REQUIRED_PIPES)
    single_threaded_blas()


def _watch_parent(parent: int) -> None:
    """End this process when ``parent`` is no longer its parent (it died)."""
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_POLL)
        os._exit(1)
    threading.Thread(target=watch, name="ultimatum-parent-watch", daemon=True).start()


def pool_worker(parent: int) -> None:
    """Set up a local pool worker: Ctrl-C is the parent's to handle, the
    worker ends with its parent, then :func:`warm_worker`."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _watch_parent(parent)
    warm_worker()


def apply_each(fn: Callable[[Any], Any], items: list[Any]) -> list[Any]:
    """``fn`` over a batch of items, in one task (module-level: it is pickled)."""
    return [fn(item) for item in items]


def map_batched(engine: Engine, fn: Callable[[Any], Any], items: list[Any], size: int) -> Iterator[Any]:
    """``fn(item)`` for each item, in order, sent to ``engine`` ``size`` items
    a task: one round trip per batch, not per item (a Dask task costs
    milliseconds of scheduling)."""
    batches = [items[k:k + size] for k in range(0, len(items), max(1, size))]
    for results in engine.map(partial(apply_each, fn), batches):
        yield from results


def _ordered(submit: Callable[[Any], Any], items: Iterable[Any], window: int) -> Iterator[Any]:
    """Results of ``submit(item).result()`` in input order, ``window`` in flight."""
    pending: deque = deque()
    for item in items:
        pending.append(submit(item))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


class Engine:
    """Runs ``fn`` over items; the base class runs them here, one by one.
    ``shares_files``: workers see this machine's files (they can read them)."""
    name = "local"
    shares_files = True

    def __init__(self) -> None:
        self.workers = 1

    def map(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        """``fn(item)`` for each item, in order."""
        return map(fn, items)

    def close(self) -> None:
        """Release workers (nothing to do in-process)."""

    def abort(self) -> None:
        """Stop the workers now, work in flight dropped (a failed or stopped run)."""
        self.close()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: object) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()


class ProcessEngine(Engine):
    """A pool of ``workers`` local processes (started fresh, not forked)."""
    name = "local"

    def __init__(self, workers: int) -> None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
        super().__init__()
        self.workers = workers
        self._pool = ProcessPoolExecutor(max_workers=workers, initializer=pool_worker,
                                         initargs=(os.getpid(),),
                                         mp_context=multiprocessing.get_context("spawn"))

    def map(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        return _ordered(lambda item: self._pool.submit(fn, item), items, 3 * self.workers)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def abort(self) -> None:
        processes = list((getattr(self._pool, "_processes", None) or {}).values())
        for process in processes:
            process.terminate()
        self._pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.join(5)
            if process.is_alive():
                process.kill()


def _connect(client: Callable[..., Any], scheduler: str) -> Any:
    """A client of the scheduler at ``scheduler`` with a worker, within
    :data:`SCHEDULER_TIMEOUT` seconds; EngineError otherwise."""
    try:
        connected = client(scheduler, timeout=SCHEDULER_TIMEOUT)
    except ValueError as exc:
        raise EngineError(f"--scheduler {scheduler}: not a scheduler address ({exc}); "
                          "expected e.g. tcp://10.0.0.5:8786") from None
    except (OSError, TimeoutError) as exc:
        raise EngineError(f"--scheduler {scheduler}: no Dask scheduler answered within "
                          f"{SCHEDULER_TIMEOUT} s") from exc
    except Exception as exc:  # something answered, but not a Dask scheduler
        raise EngineError(f"--scheduler {scheduler}: not a Dask scheduler "
                          f"({type(exc).__name__}: {str(exc)[:200]})") from None
    try:
        connected.wait_for_workers(1, timeout=SCHEDULER_TIMEOUT)
    except (OSError, TimeoutError):
        connected.close()
        raise EngineError(f"--scheduler {scheduler}: the scheduler has no worker "
                          f"(none joined within {SCHEDULER_TIMEOUT} s)") from None
    return connected


class DaskEngine(Engine):
    """A Dask cluster: the scheduler at ``scheduler`` (``tcp://host:8786``), or
    a LocalCluster of ``workers`` single-threaded processes when none is given."""
    name = "dask"

    def __init__(self, scheduler: str | None = None, workers: int | None = None) -> None:
        import dask
        from distributed import Client, LocalCluster
        super().__init__()
        self._cluster = None
        self.shares_files = not scheduler
        if scheduler:
            self._client = _connect(Client, scheduler)
        else:
            with dask.config.set(LOCAL_CLUSTER_CONFIG):  # read as the workers start
                # No dashboard; the scheduler's HTTP server (health routes) on a
                # free port, so a cluster already on 8787 neither clashes nor warns.
                self._cluster = LocalCluster(n_workers=workers or available_cores(),
                                             threads_per_worker=1, processes=True,
                                             dashboard_address=None,
                                             scheduler_kwargs={"dashboard_address": ":0"})
            self._client = Client(self._cluster)
        self._client.run(warm_worker)  # each worker: one BLAS thread, the model loaded once
        info = self._client.scheduler_info()["workers"]
        self.workers = max(1, sum(w.get("nthreads", 1) for w in info.values()))

    @property
    def client(self) -> Any:
        """The ``distributed.Client`` in use."""
        return self._client

    def map(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        return _ordered(lambda item: self._client.submit(fn, item, pure=False), items,
                        3 * self.workers)

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


class LazyEngine(Engine):
    """The engine asked for, started only when some work needs it: a rerun
    whose articles all come from the cache starts no worker and loads no
    model. :meth:`for_work` gives the engine for a piece of work of so many
    characters: the started one; else, for a small local job with no number
    of workers given, this process (no pool); else it starts the engine."""

    def __init__(self, engine: str = "local", workers: int | None = None,
                 scheduler: str | None = None, min_chars: int = 0) -> None:
        super().__init__()
        if engine not in ENGINES:
            raise ValueError(f"unknown engine '{engine}' (choose from {', '.join(ENGINES)})")
        if scheduler and engine != "dask":
            raise ValueError("--scheduler needs --engine dask")
        self._args = (engine, workers, scheduler)
        self.name = engine
        self.shares_files = not scheduler
        self.min_chars = min_chars
        self.started: Engine | None = None

    def for_work(self, chars: int) -> Engine:
        """The engine for ``chars`` characters of work (see the class)."""
        engine, workers, scheduler = self._args
        if self.started is None and engine == "local" and workers is None and chars < self.min_chars:
            return Engine()
        if self.started is None:
            self.started = make_engine(engine, workers, scheduler)
            self.workers = self.started.workers
        return self.started

    def map(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        return self.for_work(self.min_chars).map(fn, items)

    def close(self) -> None:
        if self.started is not None:
            self.started.close()

    def abort(self) -> None:
        if self.started is not None:
            self.started.abort()


def make_engine(engine: str = "local", workers: int | None = None,
                scheduler: str | None = None) -> Engine:
    """The engine named ``engine``; ``local`` with one worker runs in-process."""
    if engine == "dask":
        return DaskEngine(scheduler, workers)
    if engine != "local":
        raise ValueError(f"unknown engine '{engine}' (choose from {', '.join(ENGINES)})")
    if scheduler:
        raise ValueError("--scheduler needs --engine dask")
    workers = workers or available_cores()
    return ProcessEngine(workers) if workers > 1 else Engine()
