"""What claim grouping reads of each event, as small integer codes
(:class:`ClaimEvents`), so a large corpus is grouped without its event table
in memory: codes into tables of distinct values (:class:`Codes`) and each
sentence's words as sorted word ids."""
from __future__ import annotations

import math
import re
import warnings
from array import array
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

#: The fields that define a claim's act and key.
KEY_COLUMNS = ["actor", "actor_name", "event_type", "target", "topics"]
#: Event columns that claim grouping reads.
GROUPING_COLUMNS = ["article_id", "sentence_id", "sentence", *KEY_COLUMNS, "event_date"]
#: A word of a sentence, as near-identical wording compares them (lower-cased).
WORD = re.compile(r"\w+")


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


class Codes:
    """Distinct values in order of first appearance, each with a small code."""
    __slots__ = ("index", "values")

    def __init__(self) -> None:
        self.index: dict[Hashable, int] = {}
        self.values: list = []

    def code(self, value: Hashable) -> int:
        found = self.index.get(value)
        if found is None:
            found = self.index[value] = len(self.values)
            self.values.append(value)
        return found

    def ranks(self) -> np.ndarray:
        """Each code's position when the values are sorted (missing values last)."""
        order = self._sorted() + [c for c, v in enumerate(self.values) if _is_missing(v)]
        ranks = np.empty(len(self.values), dtype=np.int64)
        ranks[order] = np.arange(len(order))
        return ranks

    def _sorted(self) -> list[int]:
        present = [c for c, v in enumerate(self.values) if not _is_missing(v)]
        return sorted(present, key=self.values.__getitem__)

    def sorted_codes(self) -> tuple[np.ndarray, list]:
        """Each code's position among the sorted values present (-1 when
        missing), and those values in order."""
        order = self._sorted()
        ranks = np.full(len(self.values), -1, dtype=np.int64)
        ranks[order] = np.arange(len(order))
        return ranks, [self.values[c] for c in order]


_NO_TEXT = object()  # before the first sentence


class ClaimEvents:
    """What claim grouping reads of each event, kept compact: codes into
    tables of distinct articles, sentence ids, (actor, actor name, event type,
    target, topics) keys and dates, and each sentence's words as sorted word
    ids (one copy for consecutive events of the same sentence)."""

    def __init__(self) -> None:
        self.articles = Codes()
        self.sentence_ids = Codes()
        self.keys = Codes()
        self.dates = Codes()
        self.words: dict[str, int] = {}
        self.article = array("i")
        self.sentence = array("i")
        self.key = array("i")
        self.date = array("i")
        self.wording = array("i")
        self.word_ids = array("i")
        self.word_start = array("q", [0])
        self._last_text: object = _NO_TEXT

    def __len__(self) -> int:
        return len(self.article)

    def add(self, article_id: Any, sentence_id: Any, key: Sequence[Any], event_date: Any,
            sentence: Any) -> None:
        """Append one event: its article, sentence id, key fields, date and sentence."""
        self.article.append(self.articles.code(str(article_id)))
        self.sentence.append(self.sentence_ids.code(sentence_id))
        self.key.append(self.keys.code(tuple(map(str, key))))
        self.date.append(self.dates.code(None if _is_missing(event_date) else event_date))
        if sentence is not self._last_text and sentence != self._last_text:
            words = self.words
            ids = sorted({words.setdefault(w, len(words)) for w in WORD.findall(str(sentence).lower())})
            self.word_ids.extend(ids)
            self.word_start.append(len(self.word_ids))
            self._last_text = sentence
        self.wording.append(len(self.word_start) - 2)

    def add_row(self, row: Mapping[str, Any]) -> None:
        """Append one event row (a mapping with the event columns)."""
        self.add(row["article_id"], row["sentence_id"], [row[c] for c in KEY_COLUMNS],
                 row["event_date"], row["sentence"])

    @classmethod
    def from_frame(cls, events: pd.DataFrame) -> ClaimEvents:
        """The grouping fields of every row of an event table, in row order."""
        found = cls()
        for article_id, sentence_id, sentence, *rest in \
                events[GROUPING_COLUMNS].itertuples(index=False, name=None):
            found.add(article_id, sentence_id, rest[:-1], rest[-1], sentence)
        return found

    def parsed_dates(self) -> list:
        """Each date code as a ``pd.Timestamp`` (``NaT`` when it does not parse).
        The values are parsed together, in order of first appearance, as
        ``pd.to_datetime`` parses the whole column (same inferred format)."""
        values = pd.Series(self.dates.values, dtype=object)
        with warnings.catch_warnings():  # "could not infer format": then each is parsed alone
            warnings.simplefilter("ignore", UserWarning)
            return list(pd.to_datetime(values, errors="coerce")) if len(values) else []


def as_numpy(values: array) -> np.ndarray:
    return np.frombuffer(values, dtype=np.int32 if values.typecode == "i" else np.int64) \
        if len(values) else np.zeros(0, dtype=np.int64)
