"""How far a set's scores could move on other articles like these: a
percentile bootstrap over articles.

Mentions of one article are not independent (one misread speaker costs
several), so the article is what is resampled: each draw takes as many
articles as the set has, with replacement, sums their matched, spurious and
missed mentions, and recomputes precision, recall and F1. The 2.5th and
97.5th percentiles of 2,000 draws give the 95% interval. The draws come from
a fixed seed, so the interval is the same on every run."""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ultimatum.evaluate.score import rates

#: Draws of the bootstrap, its seed and the interval's coverage.
DRAWS = 2000
SEED = 0
LEVEL = 0.95
#: The metrics given an interval, in the order of :func:`interval_columns`.
METRICS = ("precision", "recall", "f1")


def interval_columns() -> list[str]:
    """Names of the interval columns: ``precision_low``, ``precision_high`` ..."""
    return [f"{m}_{end}" for m in METRICS for end in ("low", "high")]


def bootstrap_intervals(by_article: Mapping[str, tuple[int, int, int]], draws: int = DRAWS,
                        seed: int = SEED, level: float = LEVEL) -> dict[str, float]:
    """The ``level`` interval of precision, recall and F1 from (matched,
    spurious, missed) mentions per article, as ``{"f1_low": ..., "f1_high": ...}``;
    NaN for a set of fewer than two articles, where resampling says nothing."""
    if len(by_article) < 2:
        return {c: float("nan") for c in interval_columns()}
    counts = np.array([by_article[a] for a in sorted(by_article)], dtype=np.float64)
    picks = np.random.default_rng(seed).integers(0, len(counts), size=(draws, len(counts)))
    sums = counts[picks].sum(axis=1)
    values = dict(zip(METRICS, rates(sums[:, 0], sums[:, 1], sums[:, 2]), strict=True))
    tail = (1.0 - level) / 2 * 100
    out: dict[str, float] = {}
    for m in METRICS:
        low, high = np.percentile(values[m], [tail, 100 - tail])
        out[f"{m}_low"], out[f"{m}_high"] = float(low), float(high)
    return out
