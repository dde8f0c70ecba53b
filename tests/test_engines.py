"""Where extraction runs does not change the events: a pool of local
processes and a Dask cluster (a LocalCluster here) give the in-process events;
each Dask worker loads the model once. Progress bars stay quiet in tests."""
from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from ultimatum.cli import main
from ultimatum.ingest.reader import ingest
from ultimatum.pipeline import extract_from_articles, run_extract
from ultimatum.runtime.progress import progress_enabled

SEEDS = Path(__file__).resolve().parents[1] / "data" / "raw"


@pytest.fixture(scope="module")
def local_events() -> pd.DataFrame:
    return extract_from_articles(ingest(SEEDS), workers=1).events


@pytest.mark.slow
def test_process_pool_gives_in_process_events(local_events: pd.DataFrame) -> None:
    result = extract_from_articles(ingest(SEEDS), workers=2)
    assert result.stats.workers == 2
    pd.testing.assert_frame_equal(result.events, local_events)


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        yield cluster, client


@pytest.mark.slow
def test_dask_engine_gives_local_events(cluster, local_events: pd.DataFrame, tmp_path: Path) -> None:
    cluster_, client = cluster
    result = run_extract(SEEDS, tmp_path / "out", engine="dask",
                         scheduler=cluster_.scheduler_address, use_cache=False)
    assert result.stats.engine == "dask" and result.stats.workers == 2
    pd.testing.assert_frame_equal(result.events, local_events)

    def model_loads() -> int:
        from ultimatum.nlp.model import bulk_model
        return bulk_model.cache_info().misses

    loads = client.run(model_loads)  # each worker loaded the model once, and only once
    assert len(loads) == 2 and all(n == 1 for n in loads.values()), loads


@pytest.mark.slow
def test_cli_dask_engine(cluster, tmp_path: Path) -> None:
    cluster_, _ = cluster
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["extract", str(SEEDS), "--out", str(out), "--engine", "dask",
                                    "--scheduler", cluster_.scheduler_address, "--no-cache"])
    assert res.exit_code == 0, res.output
    assert "5 processed" in res.output
    local = tmp_path / "local"
    res = CliRunner().invoke(main, ["extract", str(SEEDS), "--out", str(local), "--workers", "1"])
    assert res.exit_code == 0, res.output
    assert (out / "events.csv").read_bytes() == (local / "events.csv").read_bytes()


@pytest.mark.slow
def test_own_local_cluster_parses_as_local_workers(monkeypatch) -> None:
    """The LocalCluster the engine starts: its workers allocate memory as
    local ones do (no malloc trimming) and run no statistical profiler."""
    pytest.importorskip("distributed")
    from ultimatum.runtime.engines import DaskEngine
    monkeypatch.delenv("MALLOC_TRIM_THRESHOLD_", raising=False)

    def settings() -> tuple:
        import os

        import dask
        return os.environ.get("MALLOC_TRIM_THRESHOLD_"), dask.config.get("distributed.worker.profile.enabled")

    with DaskEngine(workers=1) as engine:
        assert list(engine.client.run(settings).values()) == [(None, False)]


@pytest.mark.slow
def test_own_local_cluster_does_not_take_the_dashboard_port() -> None:
    """With a cluster (or anything) already on port 8787, the engine's own
    LocalCluster starts without a port warning: it serves no dashboard and
    its scheduler's HTTP routes listen on a free port."""
    pytest.importorskip("distributed")
    import socket
    import warnings

    from ultimatum.runtime.engines import DaskEngine
    with socket.socket() as busy:
        try:
            busy.bind(("", 8787))
            busy.listen()
        except OSError:
            pass  # already taken by someone else: the same situation
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with DaskEngine(workers=1) as engine:
                port = engine.client.scheduler_info()["services"].get("dashboard")
    assert port != 8787
    assert not [w for w in caught if "already in use" in str(w.message)]


def test_scheduler_needs_dask_engine(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["extract", str(SEEDS), "--out", str(tmp_path),
                                    "--scheduler", "tcp://127.0.0.1:1"])
    assert res.exit_code == 2
    assert "--scheduler needs --engine dask" in res.output


def test_progress_is_quiet_in_tests_and_ci(monkeypatch) -> None:
    assert progress_enabled() is False  # PYTEST_CURRENT_TEST / ULTIMATUM_QUIET are set
    assert progress_enabled(True) is True
    for name in ("ULTIMATUM_QUIET", "CI", "PYTEST_CURRENT_TEST"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CI", "true")
    assert progress_enabled() is False
    monkeypatch.delenv("CI")

    class Terminal:
        def isatty(self) -> bool:
            return True
    monkeypatch.setattr(sys, "stderr", Terminal())
    monkeypatch.delitem(sys.modules, "ipykernel", raising=False)
    monkeypatch.delitem(sys.modules, "papermill", raising=False)
    assert progress_enabled() is True


@pytest.mark.slow
def test_local_workers_run_one_blas_thread() -> None:
    """A pool worker's BLAS (loaded with the model, after the limit was first
    set) runs one thread: more would compete with the other workers."""
    import operator

    from threadpoolctl import threadpool_info

    from ultimatum.runtime.engines import ProcessEngine
    with ProcessEngine(1) as engine:
        (libraries,) = list(engine.map(operator.call, [threadpool_info]))
    blas = [lib for lib in libraries if lib["user_api"] == "blas"]
    assert blas, libraries  # numpy's BLAS is loaded with the model
    assert all(lib["num_threads"] == 1 for lib in blas), blas
