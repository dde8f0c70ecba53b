"""The extractor's accuracy as the report shows it: read from the results file
that ``ultimatum evaluate`` writes (``tests/gold/results.csv`` under a gold
root, the project folder), never measured while the report is built; and the
copy kept next to the processed tables (``accuracy.csv``)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ultimatum.evaluate.intervals import interval_columns
from ultimatum.evaluate.sets import GOLD_SETS_FILE, RESULTS_FILE, read_results
from ultimatum.runtime.atomic import write_csv_atomic

ACCURACY_FILE = "accuracy.csv"
#: Columns of the results file that the report shows, in order.
SHOWN_COLUMNS = ["gold_set", "source", "role", "n_articles", "gold_mentions", "precision", "recall", "f1",
                 "target_exact", "date_accuracy", "measured", "texts"]
#: Columns read for the lead paragraph only (the bootstrap intervals), not shown in the table.
LEAD_COLUMNS = interval_columns()
_NOT_MEASURED = "Accuracy was not measured: "


def default_gold_root(cwd: str | Path | None = None) -> Path | None:
    """The current folder (or ``cwd``) when it holds the project's gold sets
    (``tests/gold/sets.csv``), else None."""
    here = Path.cwd() if cwd is None else Path(cwd)
    return here if (here / GOLD_SETS_FILE).is_file() else None


def read_accuracy(gold_root: str | Path | None) -> tuple[pd.DataFrame | None, str]:
    """The scores of the extractor on the gold sets, as last measured by
    ``ultimatum evaluate`` and kept in ``gold_root/tests/gold/results.csv``
    (one row per set, :data:`SHOWN_COLUMNS` then :data:`LEAD_COLUMNS`), or None and why not."""
    if gold_root is None:
        return None, (_NOT_MEASURED + "no gold folder was given (run the report from the project folder, "
                      "which holds tests/gold, or pass --gold-root).")
    path = Path(gold_root) / RESULTS_FILE
    if not path.is_file():
        return None, (_NOT_MEASURED + f"the gold folder has no {RESULTS_FILE.as_posix()} "
                      "(`ultimatum evaluate` writes it).")
    try:
        table = read_results(path)
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        return None, _NOT_MEASURED + f"{RESULTS_FILE.as_posix()} could not be read ({type(exc).__name__}: {exc})."
    table = table[table["gold_set"].notna()]
    if table.empty:
        return None, _NOT_MEASURED + f"{RESULTS_FILE.as_posix()} lists no gold set."
    return table[SHOWN_COLUMNS + LEAD_COLUMNS].reset_index(drop=True), ""


def save_accuracy(table: pd.DataFrame | None, processed_dir: str | Path) -> Path | None:
    """Keep the measured accuracy next to the tables (or remove a stale file)."""
    path = Path(processed_dir) / ACCURACY_FILE
    if table is None:
        path.unlink(missing_ok=True)
        return None
    return write_csv_atomic(table, path)
