"""The project's gold sets (``tests/gold/sets.csv``) and the results file
``ultimatum evaluate`` writes (``tests/gold/results.csv``), which the report
reads instead of re-extracting every set on every build.

A set whose article texts are not on this machine (the real-article sets keep
their texts out of git, see ``tests/gold/real/README.md``) is not measured;
its last measured row is kept in the results file."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd

from ultimatum.evaluate.intervals import bootstrap_intervals, interval_columns
from ultimatum.evaluate.score import read_gold, score
from ultimatum.evaluate.texts import FULL, REBUILT, rebuilt_articles

GOLD_SETS_FILE = Path("tests") / "gold" / "sets.csv"
RESULTS_FILE = Path("tests") / "gold" / "results.csv"
#: Columns of the results file, in order.
RESULT_COLUMNS = ["gold_set", "source", "role", "n_articles", "gold_mentions", "precision", "recall", "f1",
                  "tp", "fp", "fn", "target_exact", "topic_jaccard", "date_accuracy", "party_count_error",
                  "measured", "code", "texts", *interval_columns()]
#: Parties whose count error is reported need at least this many gold mentions.
PARTY_MIN_MENTIONS = 10


def gold_set_info(root: str | Path) -> dict[str, dict[str, Any]]:
    """Every gold set listed under ``root``: its article folder, gold CSV,
    ``source`` (``real``: published articles; ``written``: written by the
    project), ``role`` (``development``: rules and lexicon were tuned while
    looking at it; ``test``: never tuned on) and description."""
    root = Path(root)
    listing = root / GOLD_SETS_FILE
    if not listing.is_file():
        return {}
    table = pd.read_csv(listing, dtype=str, keep_default_na=False)
    return {r["name"]: {"articles": root / r["articles"], "gold": root / r["gold"],
                        "source": r.get("source", ""), "role": r.get("role", ""),
                        "description": r.get("description", "")}
            for r in table.to_dict("records")}


def texts_present(folder: Path) -> bool:
    """Whether a set's article folder holds any article text."""
    return folder.is_dir() and any(p.suffix in (".txt", ".html", ".htm") for p in folder.iterdir())


def party_count_error(per_party: pd.DataFrame) -> float:
    """Largest relative difference between extracted and gold event counts of
    one party, over parties with at least :data:`PARTY_MIN_MENTIONS` gold mentions."""
    if per_party.empty:
        return float("nan")
    totals = per_party.groupby("actor")[["gold", "predicted"]].sum()
    totals = totals[totals["gold"] >= PARTY_MIN_MENTIONS]
    if totals.empty:
        return float("nan")
    return float(((totals["predicted"] - totals["gold"]).abs() / totals["gold"]).max())


def measure_set(info: dict[str, Any], nlp: Any = None) -> dict[str, Any]:
    """Extract one set's articles and score them against its gold
    (:func:`score_set`)."""
    from ultimatum.extract.events import extract_events
    from ultimatum.ingest.reader import ingest
    articles = ingest(info["articles"]).articles
    return score_set(info, articles, extract_events(articles, nlp))


def texts_kind(info: dict[str, Any], articles: set[str]) -> str:
    """The results file's ``texts`` for a set scored on ``articles``: rebuilt
    when the texts of any of them were rebuilt from the annotations
    (:func:`~ultimatum.evaluate.texts.rebuild`), else full."""
    return REBUILT if rebuilt_articles(Path(info["articles"])) & articles else FULL


def score_set(info: dict[str, Any], articles: pd.DataFrame, events: pd.DataFrame) -> dict[str, Any]:
    """One set's scores for ``events`` extracted from ``articles``: on the
    articles whose texts are present (a real article whose page could not be
    had is left out of the score, and ``n_articles`` says how many counted)."""
    gold = read_gold(info["gold"])
    gold = gold[gold["article_id"].isin(set(articles["article_id"]))]  # texts that could not be had: not scored
    result = score(gold, events)
    return {"texts": texts_kind(info, set(gold["article_id"])),
            "n_articles": int(articles["article_id"].isin(set(gold["article_id"])).sum()),
            "gold_mentions": result["tp"] + result["fn"],
            **{k: result[k] for k in ("precision", "recall", "f1", "tp", "fp", "fn",
                                      "target_exact", "topic_jaccard", "date_accuracy")},
            "party_count_error": party_count_error(result["per_party"]),
            **bootstrap_intervals(result["by_article"])}


def evaluate_gold_sets(root: str | Path, nlp: Any = None, names: list[str] | None = None) -> pd.DataFrame:
    """Measure every gold set under ``root`` whose texts are present (or the
    ``names`` given): one row per set, in :data:`RESULT_COLUMNS`."""
    from ultimatum.runtime.cache import pipeline_fingerprint
    rows = []
    today = dt.date.today().isoformat()
    for name, info in gold_set_info(root).items():
        if names is not None and name not in names:
            continue
        if not info["gold"].is_file() or not texts_present(info["articles"]):
            continue
        rows.append({"gold_set": name, "source": info["source"], "role": info["role"],
                     **measure_set(info, nlp), "measured": today, "code": pipeline_fingerprint()})
    return pd.DataFrame(rows, columns=RESULT_COLUMNS)


def read_results(path: str | Path) -> pd.DataFrame:
    """The results file, or an empty table when there is none."""
    path = Path(path)
    if not path.is_file():
        return pd.DataFrame(columns=RESULT_COLUMNS)
    table = pd.read_csv(path, keep_default_na=False, na_values=[""]).reindex(columns=RESULT_COLUMNS)
    return table.assign(texts=table["texts"].fillna(FULL))  # files from before the column: full texts


def merge_results(previous: pd.DataFrame, measured: pd.DataFrame, order: list[str]) -> pd.DataFrame:
    """The new results: sets measured now replace their old rows; sets not
    measured keep theirs; rows follow ``order`` (the listing's)."""
    kept = previous[~previous["gold_set"].isin(set(measured["gold_set"]))]
    frames = [f for f in (kept, measured) if not f.empty]
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=RESULT_COLUMNS)
    rank = {name: i for i, name in enumerate(order)}
    table = table[table["gold_set"].isin(rank)]
    return table.sort_values("gold_set", key=lambda s: s.map(rank)).reset_index(drop=True)[RESULT_COLUMNS]
