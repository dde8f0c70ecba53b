"""Command line: ``ultimatum extract``, ``report``, ``export``, ``evaluate`` and ``gold-texts``."""
from __future__ import annotations

import errno
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from ultimatum.runtime.signals import Terminated

if TYPE_CHECKING:
    import pandas as pd


def _fail(message: str, code: int = 2, *, last_words: bool = False) -> NoReturn:
    """One line on standard error, then exit with ``code``; with
    ``last_words``, nothing the interpreter's shutdown prints follows it."""
    click.echo(f"ultimatum: error: {message}", err=True)
    if last_words:
        _silence_stderr()
    sys.exit(code)


def _os_problem(exc: OSError, folder: str) -> str:
    """One line for an OSError met while writing into ``folder``."""
    if exc.errno == errno.ENOSPC:
        return (f"{folder}: no space left on device; the outputs in it are those of the last "
                "complete run")
    path = exc.filename or folder
    return f"{path}: {exc.strerror or exc}"


#: Seconds a stopped run may spend in the interpreter's shutdown before it ends anyway.
STOP_GRACE = 10.0


def _stopped(exc: BaseException, folder: str) -> NoReturn:
    """One line for a run stopped by a signal or Ctrl-C, and its exit status.

    The run's own cleanup (workers ended, temporary files removed) has run
    by now, in its ``with`` blocks. The interpreter's shutdown then joins
    the worker pool's helper threads, which can wait forever on a pipe that
    killed workers no longer read: a watchdog ends the process after
    :data:`STOP_GRACE` seconds if it has not ended by then."""
    how, code = (f"stopped by {exc.name}", exc.exit_code) if isinstance(exc, Terminated) \
        else ("interrupted", 130)
    watchdog = threading.Timer(STOP_GRACE, os._exit, args=(code,))
    watchdog.daemon = True
    watchdog.start()
    _fail(f"{how}; the outputs in {folder} are those of the last complete run", code, last_words=True)


def _silence_stderr() -> None:
    """Nothing more on standard error: the one line above is the stopped
    run's report. Without this, a pool helper thread that the interpreter's
    shutdown interrupts on a busy machine printed its traceback after it.
    Only the process's own standard error is closed: a caller that captures
    it (click's test runner, a notebook) keeps its stream."""
    stream = sys.stderr
    if stream is not sys.__stderr__ or stream is None:
        return
    stream.flush()
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)
    sys.stderr = open(os.devnull, "w")  # for the rest of the process


def _check_raw(raw_dir: str) -> Path:
    path = Path(raw_dir)
    if not path.exists():
        _fail(f"{raw_dir}: no such folder")
    if not path.is_dir():
        _fail(f"{raw_dir}: not a folder")
    return path


@click.group()
@click.version_option(package_name="ultimatum")
def main() -> None:
    """Demands, responses and escalation signals in the Russia-NATO crisis."""


@main.command()
@click.argument("raw_dir")
@click.option("--out", "out_dir", required=True, help="Folder for articles/events/claims CSVs.")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="local: this machine, every core; dask: a Dask cluster (see --scheduler).")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Dask scheduler, e.g. tcp://10.0.0.5:8786 (default: a local cluster).")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: one per core; a small job runs in-process).")
@click.option("--cache/--no-cache", "use_cache", default=True, show_default=True,
              help="Reuse events of articles unchanged since the last run into OUT_DIR.")
@click.option("--progress/--no-progress", default=None,
              help="Progress bar (default: only on an interactive terminal, never in CI).")
def extract(raw_dir: str, out_dir: str, engine: str, scheduler: str | None,
            workers: int | None, use_cache: bool, progress: bool | None) -> None:
    """Extract events from every article in RAW_DIR into OUT_DIR."""
    from ultimatum.ingest.reader import IngestError
    from ultimatum.pipeline import run_extract
    from ultimatum.runtime.engines import EngineError
    from ultimatum.runtime.outputs import OutputError
    from ultimatum.runtime.signals import stop_on_signals
    raw = _check_raw(raw_dir)
    if scheduler and engine != "dask":
        _fail("--scheduler needs --engine dask")
    try:
        with stop_on_signals():
            result = run_extract(raw, out_dir, engine=engine, workers=workers, scheduler=scheduler,
                                 use_cache=use_cache, progress=progress)
    except (IngestError, OutputError, EngineError) as exc:
        _fail(str(exc))
    except (Terminated, KeyboardInterrupt) as exc:
        _stopped(exc, out_dir)
    except OSError as exc:
        _fail(_os_problem(exc, out_dir))
    if not result.n_articles:
        _fail(f"{raw_dir}: no readable articles ({result.summary()})")
    click.echo(result.summary())


#: Errors of a notebook that are about the raw folder, said as they are (``ingest.reader``, ``pipeline``).
READ_ERRORS = ("IngestError", "NoArticles")


def _stage_printer(requested: bool | None) -> Callable[[str], None] | None:
    """Prints each stage of a report build with the time since the start, on
    stderr, when progress is shown (a terminal outside CI and tests)."""
    import time

    from ultimatum.runtime.progress import progress_enabled
    if not progress_enabled(requested):
        return None
    start = time.monotonic()

    def say(stage: str) -> None:
        click.echo(f"[{time.monotonic() - start:5.1f} s] {stage}{'' if stage == 'done' else ' ...'}", err=True)
    return say


@main.command()
@click.option("--raw", "raw_dir", required=True, help="Folder of raw articles.")
@click.option("--out", "out_dir", required=True, help="Folder for the report.")
@click.option("--processed", "processed_dir", default=None,
              help="Folder for the CSV tables (default: OUT/data).")
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE",
              help="Notebook parameter, e.g. -p date_from=2022-01-01 -p show_milestones=false "
                   "-p config_path=my_report.yaml (repeatable).")
@click.option("--notebooks", "notebooks", default=None, metavar="DIR",
              help="Folder of the notebooks to run (default: ./notebooks when run in the project folder, "
                   "else the copies installed with ultimatum).")
@click.option("--gold-root", "gold_root", default=None, metavar="DIR",
              help="Project folder whose tests/gold/results.csv, written by `ultimatum evaluate`, gives the "
                   "accuracy section (default: the current folder when it holds tests/gold/sets.csv).")
@click.option("--progress/--no-progress", default=None,
              help="Say which stage is running (default: on a terminal, outside CI and tests).")
def report(raw_dir: str, out_dir: str, processed_dir: str | None, params: tuple[str, ...],
           notebooks: str | None, gold_root: str | None, progress: bool | None) -> None:
    """Run the notebooks and render OUT/report.html and OUT/report.pdf."""
    from ultimatum.report.accuracy import default_gold_root
    from ultimatum.report.config import ConfigError, check_parameters
    from ultimatum.report.notebooks import NotebookFailed, build, notebooks_dir
    from ultimatum.runtime.outputs import OutputError, check_outside
    from ultimatum.runtime.signals import stop_on_signals
    raw = _check_raw(raw_dir)
    given = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key.strip().isidentifier():
            _fail(f"--param {item!r}: expected KEY=VALUE")
        given[key.strip()] = value
    try:  # the settings the report notebook will use, checked before anything runs
        check_parameters(given)
    except ConfigError as exc:
        _fail(str(exc))
    # paths are taken from where the command runs, not from the notebooks' folder
    extra = {key: str(Path(value).resolve()) if key.endswith(("_path", "_dir")) and value else value
             for key, value in given.items()}
    try:
        notebooks_path = notebooks_dir(notebooks)
    except FileNotFoundError as exc:
        _fail(f"--notebooks {exc}" if notebooks else str(exc))
    if gold_root is not None and not Path(gold_root).is_dir():
        _fail(f"--gold-root {gold_root}: no such folder")
    gold = Path(gold_root) if gold_root is not None else default_gold_root()
    try:
        check_outside(out_dir, raw)
        if processed_dir:
            check_outside(processed_dir, raw, "--processed")
        stage = _stage_printer(progress)
        with stop_on_signals():
            build(raw, out_dir, processed_dir, extra=extra, notebooks=notebooks_path, gold_root=gold,
                  on_stage=stage)
        if stage is not None:
            stage("done")
    except OutputError as exc:
        _fail(str(exc))
    except ValueError as exc:
        _fail(f"--param: {exc}")
    except NotebookFailed as exc:
        if exc.ename in READ_ERRORS:  # the folder itself: no readable article, or it cannot be listed
            _fail(exc.evalue.replace(str(raw.resolve()), raw_dir))
        _fail(f"a notebook failed ({exc}); its executed copy is in {exc.folder}")
    except (Terminated, KeyboardInterrupt) as exc:
        _stopped(exc, out_dir)
    except OSError as exc:
        _fail(_os_problem(exc, out_dir))
    click.echo(f"report written to {Path(out_dir) / 'report.html'} and {Path(out_dir) / 'report.pdf'}")


@main.command()
@click.option("--processed", "processed_dir", default="data/processed", show_default=True,
              help="Folder of the tables `ultimatum extract` wrote.")
@click.option("--out", "out_dir", required=True, help="Folder for the exported files.")
@click.option("--format", "formats", multiple=True, metavar="FORMAT",
              help="plover: events.plover.jsonl (PLOVER-style JSON lines); cameo: events.cameo.tsv "
                   "(CAMEO codes, GDELT's column names). Repeatable; default: both.")
def export(processed_dir: str, out_dir: str, formats: tuple[str, ...]) -> None:
    """Write the events of PROCESSED as PLOVER JSON lines and a CAMEO-coded TSV into OUT."""
    from ultimatum.export import ExportError, export_events
    from ultimatum.tables import TableError
    try:
        done = export_events(processed_dir, out_dir, formats or None)
    except (TableError, ExportError) as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(_os_problem(exc, out_dir))
    click.echo(done.summary())


def _read_csv(path: str, reader: Callable[[str], pd.DataFrame]) -> pd.DataFrame:
    """``reader(path)``, or one line naming ``path`` when it is not a CSV table."""
    import pandas as pd
    try:
        return reader(path)
    except pd.errors.EmptyDataError:
        _fail(f"{path}: empty file (no header row)")
    except UnicodeDecodeError:
        _fail(f"{path}: not a CSV text file (binary data, or not UTF-8)")
    except (ValueError, pd.errors.ParserError) as exc:
        message = " ".join(str(exc).split())
        _fail(message if str(path) in message else f"{path}: not a readable CSV table ({message})")
    except OSError as exc:
        _fail(f"{path}: {exc.strerror or exc}")


@main.command()
@click.option("--gold", "gold_path", default=None, help="Gold annotations CSV (codebook columns).")
@click.option("--events", "events_path", default=None, help="events.csv written by `ultimatum extract`.")
@click.option("--root", "root_dir", default=".", show_default=True,
              help="Project folder whose tests/gold/sets.csv lists the gold sets (without --gold).")
@click.option("--set", "set_names", multiple=True, metavar="NAME", help="Only this gold set (repeatable).")
@click.option("--results", "results_path", default=None,
              help="Results file to update (default: ROOT/tests/gold/results.csv).")
def evaluate(gold_path: str | None, events_path: str | None, root_dir: str, set_names: tuple[str, ...],
             results_path: str | None) -> None:
    """Score extraction against gold annotations.

    With --gold and --events: score that events table. Without them: extract
    and score every gold set listed in ROOT/tests/gold/sets.csv whose texts are
    present, print the table and update the results file the report reads."""

    from ultimatum.cells import read_table
    from ultimatum.evaluate import format_report, read_gold, score
    if gold_path or events_path:
        if not (gold_path and events_path):
            _fail("--gold and --events go together")
        for path in (gold_path, events_path):
            if not Path(path).is_file():
                _fail(f"{path}: no such file")
        gold = _read_csv(gold_path, read_gold)
        events = _read_csv(events_path, lambda p: read_table(str(p), dtype=str, keep_default_na=False))
        missing = [c for c in ("article_id", "sentence", "actor", "event_type") if c not in events.columns]
        if missing:
            _fail(f"{events_path}: missing event columns {', '.join(missing)}")
        shared = set(gold["article_id"]) & set(events["article_id"])
        if len(events) and not shared:
            _fail(f"{events_path}: no article in it is one of {gold_path} (scores count only the gold set's articles)")
        click.echo(format_report(score(gold, events)))
        return
    from ultimatum.evaluate.sets import RESULTS_FILE, evaluate_gold_sets, gold_set_info, merge_results, read_results
    root = Path(root_dir)
    listing = gold_set_info(root)
    if not listing:
        _fail(f"{root / 'tests' / 'gold' / 'sets.csv'}: no gold sets listed")
    unknown = sorted(set(set_names) - set(listing))
    if unknown:
        _fail(f"--set {', '.join(unknown)}: not in sets.csv (known: {', '.join(listing)})")
    measured = evaluate_gold_sets(root, names=list(set_names) or None)
    absent = [n for n in (set_names or listing) if n not in set(measured["gold_set"])]
    results = Path(results_path) if results_path else root / RESULTS_FILE
    table = merge_results(read_results(results), measured, list(listing))
    from ultimatum.runtime.atomic import write_csv_atomic
    write_csv_atomic(table, results)
    shown = measured[["gold_set", "role", "n_articles", "gold_mentions", "precision", "recall", "f1", "f1_low",
                      "f1_high", "target_exact", "date_accuracy", "party_count_error", "texts"]]
    click.echo(shown.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    if absent:
        click.echo(f"not measured (texts absent, earlier results kept): {', '.join(absent)}")
    click.echo(f"results written to {results}")


@main.command("gold-texts")
@click.option("--root", "root_dir", default=".", show_default=True, help="Project folder.")
@click.option("--from", "source", default=None, metavar="DIR",
              help="Copy the texts from this folder (checked by SHA-256) instead of fetching each URL.")
@click.option("--pages", default=None, metavar="DIR",
              help="Cut the texts out of pages saved in this folder (ARTICLE_ID.html, or ARTICLE_ID.txt "
                   "with the title on its first line) instead of fetching each URL.")
@click.option("--from-gold", "from_gold", is_flag=True,
              help="No pages at hand: rebuild approximate texts from the annotated sentences alone "
                   "(scores on them are marked as measured on rebuilt texts).")
def gold_texts(root_dir: str, source: str | None, pages: str | None, from_gold: bool) -> None:
    """Put back the texts of the real-article gold sets (tests/gold/real/texts/)."""
    from ultimatum.evaluate.texts import ANNOTATION_FILES, REAL_DIR, rebuild, restore
    real = Path(root_dir) / REAL_DIR
    if not (real / "manifest.csv").is_file():
        _fail(f"{real / 'manifest.csv'}: no such file")
    if [source is not None, pages is not None, from_gold].count(True) > 1:
        _fail("--from, --pages and --from-gold: give one of them")
    if from_gold and (absent := [n for n in ANNOTATION_FILES if not (real / n).is_file()]):
        _fail(f"{real / absent[0]}: no such file (--from-gold rebuilds the texts from it)")
    for folder in (source, pages):
        if folder is not None and not Path(folder).is_dir():
            _fail(f"{folder}: not a folder")
    done = rebuild(real) if from_gold else restore(real, source, pages=pages)
    counts = {s: sum(1 for d in done if d.status == s) for s in ("exact", "differs", "rebuilt", "missing")}
    for d in done:
        if d.status == "missing":
            click.echo(f"{d.article_id}: {d.detail}", err=True)
    how = (f"{counts['rebuilt']} rebuilt from the annotated sentences" if from_gold else
           f"{counts['exact']} exact, {counts['differs']} cut from the page with small differences")
    click.echo(f"{len(done)} articles: {how}, {counts['missing']} missing; texts in {real / 'texts'}")


if __name__ == "__main__":  # pragma: no cover
    main()
