"""The extractor's accuracy as the report shows it, and the copy kept next
to the processed tables (``accuracy.csv``)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ultimatum.runtime.atomic import write_csv_atomic

ACCURACY_FILE = "accuracy.csv"


def project_root() -> Path | None:
    """The project's top folder (the one holding notebooks/), if found."""
    try:
        from ultimatum.report.notebooks import notebooks_dir
        return notebooks_dir().resolve().parent
    except FileNotFoundError:
        return None


def measure_accuracy(root: Path | None) -> tuple[pd.DataFrame | None, str]:
    """Scores of the extractor on the gold sets in ``root/tests/gold``, or why not."""
    gold = root / "tests" / "gold" if root else None
    if gold is None or not gold.is_dir() or not any(p for p in gold.iterdir() if not p.name.startswith(".")):
        return None, ("Accuracy was not measured: no gold sets were found "
                      "(the folder tests/gold is absent or empty).")
    try:
        from ultimatum.evaluate import evaluate_gold_sets
    except ImportError:
        return None, "Accuracy was not measured: this version has no evaluator (ultimatum.evaluate)."
    try:
        table = evaluate_gold_sets(root)
    except Exception as exc:  # the report still renders, and says what went wrong
        return None, f"Accuracy was not measured: evaluating the gold sets failed ({type(exc).__name__}: {exc})."
    if table is None or len(table) == 0:
        return None, "Accuracy was not measured: the evaluator returned no gold sets."
    return table.reset_index(drop=True), ""


def save_accuracy(table: pd.DataFrame | None, processed_dir: str | Path) -> Path | None:
    """Keep the measured accuracy next to the tables (or remove a stale file)."""
    path = Path(processed_dir) / ACCURACY_FILE
    if table is None:
        path.unlink(missing_ok=True)
        return None
    return write_csv_atomic(table, path)
