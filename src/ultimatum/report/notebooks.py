"""Running the report notebooks headless with papermill."""
from __future__ import annotations

import os
from pathlib import Path

NOTEBOOKS = ("01_ingest.ipynb", "02_events.ipynb", "03_report.ipynb")


def notebooks_dir() -> Path:
    """Folder of the project's notebooks (``ULTIMATUM_NOTEBOOKS`` overrides)."""
    env = os.environ.get("ULTIMATUM_NOTEBOOKS")
    if env:
        return Path(env)
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "notebooks" / NOTEBOOKS[0]).exists():
            return parent / "notebooks"
    raise FileNotFoundError("notebooks/ not found: run from a clone of the project "
                            "or set ULTIMATUM_NOTEBOOKS")


def run_notebooks(raw_dir: str | Path, out_dir: str | Path, report_dir: str | Path,
                  extra: dict | None = None) -> list[Path]:
    """Execute every notebook in order with papermill; executed copies go to
    ``report_dir/notebooks``. Returns their paths."""
    import papermill as pm

    report_dir = Path(report_dir)
    executed_dir = report_dir / "notebooks"
    executed_dir.mkdir(parents=True, exist_ok=True)
    params = {"raw_dir": str(Path(raw_dir).resolve()), "out_dir": str(Path(out_dir).resolve()),
              "report_dir": str(report_dir.resolve())}
    declared = {name: set(pm.inspect_notebook(str(notebooks_dir() / name))) for name in NOTEBOOKS}
    unknown = sorted(set(extra or {}) - set().union(*declared.values()))
    if unknown:
        raise ValueError(f"unknown notebook parameter(s) {', '.join(unknown)}; "
                         f"known: {', '.join(sorted(set().union(*declared.values())))}")
    params.update(extra or {})
    done = []
    for name in NOTEBOOKS:
        target = executed_dir / name
        own = {k: v for k, v in params.items() if k in declared[name]}
        pm.execute_notebook(str(notebooks_dir() / name), str(target), parameters=own,
                            kernel_name="python3", progress_bar=False, log_output=False,
                            cwd=str(notebooks_dir()))
        done.append(target)
    return done
