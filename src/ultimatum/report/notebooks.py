"""Running the report notebooks headless with papermill, and finding them: a
folder given explicitly (``ultimatum report --notebooks DIR``), else
``./notebooks`` when the command runs in the project folder (where they are
edited), else the copies installed with the package (``ultimatum/notebooks``,
which a wheel built from the project carries)."""
from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

NOTEBOOKS = ("01_ingest.ipynb", "02_events.ipynb", "03_report.ipynb")
#: Folder of the notebooks in the project, and of their copies inside the package.
NOTEBOOKS_DIRNAME = "notebooks"


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
                  gold_root: str | Path | None = None) -> list[Path]:
    """Execute every notebook in order with papermill; executed copies go to
    ``report_dir/notebooks``. Returns their paths.

    ``notebooks``: their folder (default: see :func:`notebooks_dir`).
    ``gold_root``: the project folder whose ``tests/gold/results.csv`` (written
    by ``ultimatum evaluate``) gives the report's accuracy section; without
    it, the report says accuracy was not measured."""
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
    done = []
    for name in NOTEBOOKS:
        target = executed_dir / name
        own = {k: v for k, v in params.items() if k in declared[name]}
        pm.execute_notebook(str(folder / name), str(target), parameters=own,
                            kernel_name="python3", progress_bar=False, log_output=False,
                            cwd=str(folder))
        done.append(target)
    return done
