"""Scoring extracted events against hand-made gold annotations.

A gold row and an extracted row describe the same mention when they are in the
same article, their sentences match (token sets overlapping strongly: Jaccard
>= 0.6, or one containing >= 90% of the other, since sentence splitting may
differ slightly) and they agree on (actor, event type); for OTHER parties the
``actor_name`` must agree too. Precision, recall and F1 count such mentions.
Target exact match (as sets of codes), topic Jaccard and event-date accuracy
are computed over the matched pairs."""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

GOLD_COLUMNS = ["article_id", "sentence", "actor", "actor_name", "event_type", "target",
                "topics", "event_date", "group_alias", "note"]
_WORD = re.compile(r"\w+")
JACCARD_MIN = 0.6
CONTAIN_MIN = 0.9


@lru_cache(maxsize=8192)
def _tokens(text: str) -> frozenset[str]:
    return frozenset(_WORD.findall(text.lower()))


def sentences_match(a: str, b: str) -> float:
    """Similarity of two sentence texts (0 when they do not count as the same)."""
    ta, tb = _tokens(str(a)), _tokens(str(b))
    if not ta or not tb:
        return 0.0
    inter = len(ta & tb)
    jaccard = inter / len(ta | tb)
    contain = max(inter / len(ta), inter / len(tb))
    if jaccard >= JACCARD_MIN or contain >= CONTAIN_MIN:
        return max(jaccard, contain)
    return 0.0


def _codes(value: object) -> frozenset[str]:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return frozenset()
    return frozenset(x for x in str(value).split(";") if x.strip())


@lru_cache(maxsize=256)
def canonical_name(name: str) -> str:
    """The lexicon's name for another party ("United Kingdom", "UK" and
    "Britain" are one party), so that gold and extraction compare by party,
    not by spelling; unknown names are kept as written."""
    from ultimatum.extract.actors import alias_key, alias_table
    table, _ = alias_table()
    alias = table.get(alias_key(name.strip()))
    if alias is not None and len(alias.parties) == 1 and alias.parties[0].code == "OTHER":
        return alias.parties[0].name
    return name.strip()


def _actor_key(row: Mapping[str, Any]) -> str:
    actor = str(row["actor"])
    return f"OTHER:{canonical_name(str(row['actor_name']))}" if actor == "OTHER" else actor


def _align(gold: pd.DataFrame, events: pd.DataFrame) -> dict[tuple[str, str], str]:
    """(article_id, extracted sentence) -> gold sentence it corresponds to."""
    mapping: dict[tuple[str, str], str] = {}
    gold_sents = gold.groupby("article_id")["sentence"].unique().to_dict()
    for (article, sentence) in events[["article_id", "sentence"]].drop_duplicates().itertuples(index=False):
        best, best_score = None, 0.0
        for g in gold_sents.get(article, []):
            score = sentences_match(sentence, g)
            if score > best_score:
                best, best_score = g, score
        if best is not None:
            mapping[(article, sentence)] = best
    return mapping


#: The columns scoring reads of a gold or extracted row.
_SCORED = ("article_id", "sentence", "actor", "actor_name", "event_type", "target", "topics", "event_date")


def _records(table: pd.DataFrame) -> list[dict[str, str]]:
    """The scored columns of each row as a plain dict (far faster than
    ``iterrows`` or ``to_dict`` over every column)."""
    columns = [c for c in _SCORED if c in table.columns]
    return [dict(zip(columns, values)) for values in zip(*(table[c].tolist() for c in columns))]


def rates(tp: Any, fp: Any, fn: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Precision, recall and F1 from matched, spurious and missed counts
    (numbers, or numpy arrays of them: one score per draw of a bootstrap);
    0 where a ratio is undefined."""
    tp, fp, fn = (np.asarray(x, dtype=np.float64) for x in (tp, fp, fn))
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(tp + fp > 0, tp / (tp + fp), 0.0)
        recall = np.where(tp + fn > 0, tp / (tp + fn), 0.0)
        f1 = np.where(precision + recall > 0, 2 * precision * recall / (precision + recall), 0.0)
    return precision, recall, f1


def score(gold: pd.DataFrame, events: pd.DataFrame) -> dict:
    """Precision, recall and F1 on (sentence, actor, event type); target exact
    match, topic Jaccard and date accuracy over matched mentions; and
    ``per_party``: counts per actor and event type, gold vs predicted;
    ``by_article``: (matched, spurious, missed) mentions of each gold article."""
    gold = gold.fillna("").astype(str)
    events = events.fillna("").astype(str) if not events.empty else pd.DataFrame(columns=GOLD_COLUMNS)
    if not events.empty:
        events = events[events["article_id"].isin(set(gold["article_id"]))]
    mapping = _align(gold, events)
    gold_rows: dict[tuple, dict[str, str]] = {}
    for row in _records(gold):
        gold_rows.setdefault((row["article_id"], row["sentence"], _actor_key(row), row["event_type"]), row)
    pred_rows: dict[tuple, dict[str, str]] = {}
    for row in _records(events):
        sentence = mapping.get((row["article_id"], row["sentence"]), row["sentence"])
        pred_rows.setdefault((row["article_id"], sentence, _actor_key(row), row["event_type"]), row)
    matched = [k for k in gold_rows if k in pred_rows]
    tp, fp, fn = len(matched), len(pred_rows) - len(matched), len(gold_rows) - len(matched)
    by_article = _by_article(set(gold["article_id"]), matched, gold_rows, pred_rows)
    precision, recall, f1 = (float(x) for x in rates(tp, fp, fn))
    target_ok = topic_sum = date_ok = 0.0
    for k in matched:
        g, p = gold_rows[k], pred_rows[k]
        target_ok += _codes(g["target"]) == _codes(p["target"])
        gt, pt = _codes(g["topics"]), _codes(p["topics"])
        topic_sum += 1.0 if not gt and not pt else len(gt & pt) / len(gt | pt)
        date_ok += str(g["event_date"])[:10] == str(p["event_date"])[:10]
    n = max(tp, 1)
    counts = pd.DataFrame(
        [(k[2].split(":")[0], k[3], "gold") for k in gold_rows] + [(k[2].split(":")[0], k[3], "predicted") for k in pred_rows],
        columns=["actor", "event_type", "side"])
    per_party = (counts.groupby(["actor", "event_type", "side"]).size().unstack("side", fill_value=0)
                 .reindex(columns=["gold", "predicted"], fill_value=0).reset_index()) if len(counts) else \
        pd.DataFrame(columns=["actor", "event_type", "gold", "predicted"])
    per_party.columns.name = None
    return {
        "precision": precision, "recall": recall, "f1": f1, "tp": tp, "fp": fp, "fn": fn,
        "target_exact": target_ok / n if tp else 0.0, "topic_jaccard": topic_sum / n if tp else 0.0,
        "date_accuracy": date_ok / n if tp else 0.0, "per_party": per_party,
        "by_article": by_article,
        "false_positives": sorted(k for k in pred_rows if k not in gold_rows),
        "false_negatives": sorted(k for k in gold_rows if k not in pred_rows),
    }


def _by_article(articles: set[str], matched: list[tuple], gold_rows: Mapping[tuple, Any],
                pred_rows: Mapping[tuple, Any]) -> dict[str, tuple[int, int, int]]:
    """(matched, spurious, missed) mentions per article (keys start with the article id)."""
    tp, gold_n, pred_n = Counter(k[0] for k in matched), Counter(k[0] for k in gold_rows), Counter(k[0] for k in pred_rows)
    return {a: (tp[a], pred_n[a] - tp[a], gold_n[a] - tp[a]) for a in sorted(articles)}


def read_gold(path: str | Path) -> pd.DataFrame:
    """A gold CSV; raises ValueError naming the file when columns are missing."""
    gold = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in ("article_id", "sentence", "actor", "event_type") if c not in gold.columns]
    if missing:
        raise ValueError(f"{path}: missing gold columns {', '.join(missing)}")
    return gold


def format_report(result: dict) -> str:
    """The scores of :func:`score` as plain text for the command line."""
    lines = [
        f"precision      {result['precision']:.3f}  (tp {result['tp']}, fp {result['fp']})",
        f"recall         {result['recall']:.3f}  (fn {result['fn']})",
        f"F1             {result['f1']:.3f}",
        f"target exact   {result['target_exact']:.3f}  (over {result['tp']} matched mentions)",
        f"topic Jaccard  {result['topic_jaccard']:.3f}",
        f"date accuracy  {result['date_accuracy']:.3f}",
        "",
        "per party and event type (gold / predicted):",
    ]
    table = result["per_party"]
    if len(table):
        wide = table.assign(cell=table["gold"].astype(str) + "/" + table["predicted"].astype(str)) \
            .pivot(index="actor", columns="event_type", values="cell").fillna("0/0")
        lines.append(wide.to_string())
    return "\n".join(lines)
