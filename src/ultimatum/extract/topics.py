"""Topics (codebook section 5): the issues a sentence's demand or response is
about, found with the keyword patterns of ``lexicon/topics.csv``."""
from __future__ import annotations

import re
from functools import lru_cache

from ultimatum.lexicon import read_rows


@lru_cache(maxsize=1)
def topic_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(topic code, compiled pattern) pairs, in file order; loaded once."""
    merged: dict[str, list[str]] = {}
    for row in read_rows("topics.csv"):
        merged.setdefault(row["topic"], []).append(f"(?:{row['pattern']})")
    return tuple((topic, re.compile(r"\b(?:" + "|".join(parts) + r")\b", re.I))
                 for topic, parts in merged.items())


def topic_order() -> list[str]:
    """Topic codes in codebook order."""
    return [topic for topic, _ in topic_patterns()]


def find_topics(text: str) -> list[str]:
    """Topic codes whose keywords occur in ``text``, in codebook order."""
    return [topic for topic, pattern in topic_patterns() if pattern.search(text)]
