"""Errors by kind: what the extractor misses, adds, gives to the wrong party,
or aims at the wrong target, counted from a :func:`~ultimatum.evaluate.score.score`
result. The error table in ``tests/gold/README.md`` and the classifier's data
card are made from it."""
from __future__ import annotations

from collections import Counter
from typing import Any

ACTOR_WRONG = "actor wrong (the event found, given to another party)"
TARGET_WRONG = "target not the codebook's (of matched events)"


def error_kinds(result: dict[str, Any]) -> Counter[str]:
    """Counts per failure kind. A miss and a spurious row of the same event
    type in the same sentence are one event given to the wrong party."""
    missed = list(result["false_negatives"])
    spurious = list(result["false_positives"])
    kinds: Counter[str] = Counter()
    for key in list(missed):
        article, sentence, _, etype = key
        other = next((p for p in spurious if p[0] == article and p[1] == sentence and p[3] == etype), None)
        if other is not None:
            kinds[ACTOR_WRONG] += 1
            missed.remove(key)
            spurious.remove(other)
    kinds.update(f"missed {k[3]}" for k in missed)
    kinds.update(f"spurious {k[3]}" for k in spurious)
    kinds[TARGET_WRONG] = round(result["tp"] * (1 - result["target_exact"])) if result["tp"] else 0
    return kinds


def error_table(before: Counter[str], after: Counter[str]) -> list[tuple[str, int, int]]:
    """(kind, before, after) rows, the largest first."""
    kinds = sorted(set(before) | set(after), key=lambda k: (-max(before[k], after[k]), k))
    return [(k, before[k], after[k]) for k in kinds]
