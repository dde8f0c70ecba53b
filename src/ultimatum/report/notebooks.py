"""Running the report notebooks headless with papermill, and finding them: a
folder given explicitly (``ultimatum report --notebooks DIR``), else
``./notebooks`` when the command runs in the project folder (where they are
edited), else the copies installed with the package (``ultimatum/notebooks``,
which a wheel built from the project carries).

:func:`build` replaces a report as one set (``runtime.outputs``): the
notebooks run into a new generation of the report folder, and the report
(HTML, PDF, figures, executed notebooks, and its tables when they are kept in
``OUT/data``) switches to it in one step once every notebook has run."""
from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from ultimatum.report import export, kernels
from ultimatum.runtime.outputs import OutputSet

if TYPE_CHECKING:
    from jupyter_client.manager import AsyncKernelManager

NOTEBOOKS = ("01_ingest.ipynb", "02_events.ipynb", "03_report.ipynb")
#: The notebook that is the report, rendered to report.html and report.pdf.
REPORT_NOTEBOOK = NOTEBOOKS[-1]
#: What each notebook does, as a stage of the build's progress.
STAGES = {"01_ingest.ipynb": "reading the articles and extracting events", "02_events.ipynb": "listing the events",
          "03_report.ipynb": "counting and drawing the charts"}
#: Folder of the notebooks in the project, and of their copies inside the package.
NOTEBOOKS_DIRNAME = "notebooks"
#: What a report folder holds, replaced together.
REPORT_ENTRIES = ("report.html", "report.pdf", "figures", NOTEBOOKS_DIRNAME)
#: The folder of the report's tables when no other is given.
DATA_DIRNAME = "data"


class NotebookFailed(Exception):
    """A notebook raised; ``folder`` holds the executed copies, kept to read."""

    def __init__(self, ename: str, evalue: str, folder: Path) -> None:
        super().__init__(f"{ename}: {evalue}")
        self.ename, self.evalue, self.folder = ename, evalue, folder


def missing_notebooks(folder: str | Path) -> list[str]:
    """The notebooks of :data:`NOTEBOOKS` that ``folder`` does not hold."""
    return [name for name in NOTEBOOKS if not (Path(folder) / name).is_file()]


def packaged_notebooks() -> Path | None:
    """The copies of the notebooks installed with the package, if it has them
    (a wheel does; the source tree and an editable install do not)."""
    folder = resources.files("ultimatum") / NOTEBOOKS_DIRNAME
    if not isinstance(folder, os.PathLike):  # not a folder on disk (a zipped install)
        return None
    path = Path(folder)
    return None if missing_notebooks(path) else path


def notebooks_dir(folder: str | Path | None = None) -> Path:
    """The folder of the notebooks to run: ``folder`` when given; else
    ``./notebooks`` when the current folder holds ``notebooks/01_ingest.ipynb``;
    else the copies installed with the package."""
    if folder is not None:
        missing = missing_notebooks(folder)
        if missing:
            raise FileNotFoundError(f"{folder}: not a folder of the report notebooks (no {', '.join(missing)})")
        return Path(folder).resolve()
    here = Path.cwd() / NOTEBOOKS_DIRNAME
    if (here / NOTEBOOKS[0]).is_file():
        return here
    packaged = packaged_notebooks()
    if packaged is None:
        raise FileNotFoundError("the report notebooks were not found: run from the project folder (it holds "
                                "notebooks/), pass --notebooks DIR, or install ultimatum from a wheel (it carries them)")
    return packaged


def run_notebooks(raw_dir: str | Path, out_dir: str | Path, report_dir: str | Path,
                  extra: dict | None = None, notebooks: str | Path | None = None,
                  gold_root: str | Path | None = None,
                  on_stage: Callable[[str], None] | None = None) -> list[Path]:
    """Execute every notebook with papermill (the ingest notebook, which
    extracts, then the events notebook beside the report notebook); executed copies go to
    ``report_dir/notebooks``. Returns their paths in order.

    ``notebooks``: their folder (default: see :func:`notebooks_dir`).
    ``gold_root``: the project folder whose ``tests/gold/results.csv`` (written
    by ``ultimatum evaluate``) gives the report's accuracy section; without
    it, the report says accuracy was not measured. ``on_stage`` is told
    what each notebook does before it runs."""
    import papermill as pm

    folder = notebooks_dir(notebooks)
    report_dir = Path(report_dir)
    executed_dir = report_dir / "notebooks"
    executed_dir.mkdir(parents=True, exist_ok=True)
    params = {"raw_dir": str(Path(raw_dir).resolve()), "out_dir": str(Path(out_dir).resolve()),
              "report_dir": str(report_dir.resolve()),
              "gold_root": str(Path(gold_root).resolve()) if gold_root is not None else None}
    declared = {name: set(pm.inspect_notebook(str(folder / name))) for name in NOTEBOOKS}
    unknown = sorted(set(extra or {}) - set().union(*declared.values()))
    if unknown:
        raise ValueError(f"unknown notebook parameter(s) {', '.join(unknown)}; "
                         f"known: {', '.join(sorted(set().union(*declared.values())))}")
    params.update(extra or {})
    def sockets_of(name: str) -> Path:  # each kernel its own sockets
        path = Path(sockets) / Path(name).stem
        path.mkdir(exist_ok=True)
        return path

    def run(name: str, km: AsyncKernelManager | None = None) -> Path:
        own = {k: v for k, v in params.items() if k in declared[name]}
        return kernels.execute(folder / name, executed_dir / name, own, sockets_of(name), km)
    with tempfile.TemporaryDirectory(prefix="ultimatum-kernel-") as sockets, \
            kernels.started(sockets_of(REPORT_NOTEBOOK), folder) as report_kernel, \
            ThreadPoolExecutor(max_workers=2) as pool:
        pool.submit(export.warm_up)  # the renderer loads while the notebooks run
        if on_stage is not None:
            on_stage(STAGES[NOTEBOOKS[0]])
        done = [run(NOTEBOOKS[0])]  # reads the folder once and writes the tables the others read
        listing = [pool.submit(run, name) for name in NOTEBOOKS[1:-1]]  # beside the report notebook
        if on_stage is not None:
            on_stage(STAGES[REPORT_NOTEBOOK])
        report = run(REPORT_NOTEBOOK, report_kernel)
        done += [f.result() for f in listing] + [report]
    return done


def render_report(processed_dir: str | Path, report_dir: str | Path, extra: dict | None = None,
                  notebooks: str | Path | None = None, gold_root: str | Path | None = None,
                  pdf: bool = True) -> dict[str, Path]:
    """Run only the report notebook on tables already extracted into
    ``processed_dir`` and write ``report_dir/report.html`` (and ``report.pdf``,
    the figures and the executed notebook) in place; their paths. For trying
    a change to the report without extracting again."""
    folder = notebooks_dir(notebooks)
    report_dir = Path(report_dir)
    (report_dir / NOTEBOOKS_DIRNAME).mkdir(parents=True, exist_ok=True)
    params = {"out_dir": str(Path(processed_dir).resolve()), "report_dir": str(report_dir.resolve()),
              "gold_root": str(Path(gold_root).resolve()) if gold_root is not None else None, **(extra or {})}
    with tempfile.TemporaryDirectory(prefix="ultimatum-kernel-") as sockets:
        executed = kernels.execute(folder / REPORT_NOTEBOOK, report_dir / NOTEBOOKS_DIRNAME / REPORT_NOTEBOOK,
                                   params, sockets)
    return {"notebook": executed, **export.write_report(executed, report_dir, pdf=pdf)}


def _carry_cache(previous: Path | None, processed: Path) -> None:
    """The previous report's cache of events into this one's tables folder."""
    from ultimatum.runtime.cache import CACHE_DIRNAME
    if previous is not None and (previous / CACHE_DIRNAME).is_dir():
        shutil.copytree(previous / CACHE_DIRNAME, processed / CACHE_DIRNAME, symlinks=True,
                        copy_function=_link_or_copy)


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def build(raw_dir: str | Path, report_dir: str | Path, processed_dir: str | Path | None = None,
          extra: dict | None = None, notebooks: str | Path | None = None,
          gold_root: str | Path | None = None, on_stage: Callable[[str], None] | None = None) -> Path:
    """Run the notebooks (:func:`run_notebooks`), render the report notebook
    as report.html and report.pdf (``export``), and replace the report in
    ``report_dir`` as one set; the folder of the tables, returned.

    The tables go to ``processed_dir``; without it, to ``report_dir/data``,
    which is then part of the report's set (its cache carried over from the
    previous report). A build that fails or is stopped leaves the previous
    report whole; :class:`NotebookFailed` when a notebook raised."""
    from papermill.exceptions import PapermillExecutionError
    report_dir = Path(report_dir)
    inside = processed_dir is None or \
        os.path.abspath(processed_dir) == os.path.abspath(report_dir / DATA_DIRNAME)
    entries = REPORT_ENTRIES + ((DATA_DIRNAME,) if inside else ())
    with OutputSet(report_dir, "report", entries) as target:
        processed = target.gen / DATA_DIRNAME if inside else Path(processed_dir)  # type: ignore[arg-type]
        if inside:
            previous = target.current(DATA_DIRNAME)
            if previous is None and (report_dir / DATA_DIRNAME).is_dir():
                previous = report_dir / DATA_DIRNAME  # a folder an older version wrote
            _carry_cache(previous, processed)
        try:
            run_notebooks(raw_dir, processed, target.gen, extra=extra, notebooks=notebooks,
                          gold_root=gold_root, on_stage=on_stage)
        except PapermillExecutionError as exc:
            kept = target.keep(NOTEBOOKS_DIRNAME)
            raise NotebookFailed(exc.ename, exc.evalue, kept) from exc
        export.write_report(target.gen / NOTEBOOKS_DIRNAME / REPORT_NOTEBOOK, target.gen,
                            previous=target.current_folder(), on_stage=on_stage)
        target.commit()
    return report_dir / DATA_DIRNAME if inside else Path(processed_dir)  # type: ignore[arg-type]
