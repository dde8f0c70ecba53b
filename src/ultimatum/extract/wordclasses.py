"""Grammar word classes (``lexicon/grammar.csv``): speech verbs, hedges,
force nouns ... that the extraction rules test lemmas against."""
from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

from ultimatum.lexicon import read_rows


@lru_cache(maxsize=1)
def grammar() -> dict[str, frozenset[str]]:
    """Word class -> lemmas, from grammar.csv."""
    classes: dict[str, set[str]] = defaultdict(set)
    for r in read_rows("grammar.csv"):
        classes[r["class"]].add(r["lemma"].lower())
    return {k: frozenset(v) for k, v in classes.items()}


def word_class(name: str) -> frozenset[str]:
    """Lemmas of one grammar class (empty set when the class is unknown)."""
    return grammar().get(name, frozenset())
