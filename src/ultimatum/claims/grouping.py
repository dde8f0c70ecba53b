"""Distinct claims (codebook section 7): mentions of the same act share a
``claim_id``; ``claims.csv`` has one row per claim.

Two mentions are the same act when they have the same actor, event type,
target and topics and fall within ``window_days`` of the claim's first
mention, or when their sentences are near-identical wording (a syndicated
story) with the same actor and event type. Mentions in an article that is a
syndicated copy (``duplicate_of`` another article) join the original's claims
and never open a claim of their own. Claim ids are hashes of the claim's
defining fields and first mention, so they are stable across runs.

Mentions are taken in order of (copy or not, date, article, sentence, actor,
event type); a mention joins the *first* earlier mention of the same actor and
event type, from another article, whose wording is near-identical (token-set
Jaccard >= ``SAME_WORDING``). That search does not scan every earlier
mention. Sentences are sets of word ids, and a mention is compared word by
word only with earlier mentions that pass filters no similar pair can fail
(bounds in exact fractions, a little below the threshold): they share one of
the rarest words of each sentence (the prefix filter of the AllPairs
similarity join), their sizes are close enough, and they do not differ by
too many words, counting their *singletons* (words of no other event's
sentence) and the bits in which their parity masks differ. The plain scan's
claims come out, in about linear time on sentences that differ; many
variants of one sentence that miss the threshold against each other still
cost a cheap check per pair of variants. :class:`ClaimEvents` holds what
grouping reads of each event as small integer codes, so a large corpus is
grouped without its event table in memory."""
from __future__ import annotations

import hashlib
import math
import re
import warnings
from array import array
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Hashable, Mapping, Sequence

import numpy as np
import pandas as pd

from ultimatum.schema import CLAIM_COLUMNS

KEY_COLUMNS = ["actor", "actor_name", "event_type", "target", "topics"]
#: Event columns that claim grouping reads.
GROUPING_COLUMNS = ["article_id", "sentence_id", "sentence", *KEY_COLUMNS, "event_date"]
#: Token-set Jaccard above which two sentences are the same wording.
SAME_WORDING = 0.9
_WORD = re.compile(r"\w+")
#: The candidate filters use a threshold a little below ``SAME_WORDING`` (by
#: far more than float rounding moves a ratio), in exact fractions: every
#: pair whose float Jaccard passes is a candidate.
_FILTER = Fraction(SAME_WORDING).limit_denominator(1000) - Fraction(1, 10**9)


def _wording(text: str) -> frozenset[str]:
    """The words of a sentence, as compared for near-identical wording."""
    return frozenset(_WORD.findall(str(text).lower()))


def _similar(a: frozenset[str], b: frozenset[str]) -> bool:
    """Near-identical wordings (the definition; the search below computes it on word ids)."""
    return bool(a) and bool(b) and len(a & b) / len(a | b) >= SAME_WORDING


def _similar_sizes(overlap: int, size_a: int, size_b: int) -> bool:
    """``_similar`` of two sets given their sizes and the size of their intersection."""
    return size_a > 0 and size_b > 0 and overlap / (size_a + size_b - overlap) >= SAME_WORDING


def _claim_id(key: tuple[str, ...], first_date, article_id: str, sentence_id) -> str:
    text = "|".join(key) + f"|{first_date}|{article_id}|{sentence_id}"
    return "C" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def duplicates_of(articles: pd.DataFrame | Mapping[str, str] | None) -> dict[str, str]:
    """Syndicated copy -> original article id, from an article table (its
    ``duplicate_of`` column) or a mapping."""
    if articles is None:
        return {}
    if isinstance(articles, pd.DataFrame):
        if "duplicate_of" not in articles.columns:
            return {}
        pairs = zip(articles["article_id"].astype(str), articles["duplicate_of"].fillna("").astype(str))
    else:
        pairs = ((str(k), str(v or "")) for k, v in articles.items())
    return {a: d for a, d in pairs if d and d != a}


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


class _Codes:
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
        self.articles = _Codes()
        self.sentence_ids = _Codes()
        self.keys = _Codes()
        self.dates = _Codes()
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
            ids = sorted({words.setdefault(w, len(words)) for w in _WORD.findall(str(sentence).lower())})
            self.word_ids.extend(ids)
            self.word_start.append(len(self.word_ids))
            self._last_text = sentence
        self.wording.append(len(self.word_start) - 2)

    def add_row(self, row: Mapping[str, Any]) -> None:
        """Append one event row (a mapping with the event columns)."""
        self.add(row["article_id"], row["sentence_id"], [row[c] for c in KEY_COLUMNS],
                 row["event_date"], row["sentence"])

    @classmethod
    def from_frame(cls, events: pd.DataFrame) -> "ClaimEvents":
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


@dataclass
class Grouping:
    """Claim of each event (``claim[i]`` indexes ``ids``; -1 for none)."""
    claim: np.ndarray
    ids: list[str]


def _as_numpy(values: array) -> np.ndarray:
    return np.frombuffer(values, dtype=np.int32 if values.typecode == "i" else np.int64) \
        if len(values) else np.zeros(0, dtype=np.int64)


def _min_overlap(size: int) -> int:
    """Smallest intersection a set of ``size`` words shares with any set similar to it."""
    return -(-_FILTER.numerator * size // _FILTER.denominator)


def _max_difference(total):
    """Most words two similar sets whose sizes add up to ``total`` can differ
    by (their symmetric difference): they share at least F/(1+F) of ``total``.
    Works on integers and on numpy arrays of them."""
    common = -(-_FILTER.numerator * total // (_FILTER.numerator + _FILTER.denominator))
    return total - 2 * common


def _word_bits(ids: np.ndarray) -> np.ndarray:
    """One of 64 bits for each word id (a fixed multiplicative hash)."""
    with np.errstate(over="ignore"):
        mixed = ids.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    return np.left_shift(np.uint64(1), mixed >> np.uint64(58))


class _WordingIndex:
    """What the search for near-identical wordings reads of each wording: its
    words (shared with the events, not copied), the vocabulary ordered by
    rarity (how many events use a word), its count of *singletons* (words
    of no other event's sentence, so never shared), the parity mask of its
    other words (the XOR of one of 64 bits per word: wordings differing by d
    such words have masks differing in at most d bits), and the bounds of
    the similarity filters for each wording size."""

    #: Word ids handled at a time (bounds the temporary arrays).
    BLOCK = 1 << 16

    def __init__(self, events: ClaimEvents) -> None:
        self.words, self.start = events.word_ids, events.word_start
        starts = _as_numpy(self.start)
        uses = np.bincount(_as_numpy(events.wording), minlength=len(starts) - 1)
        freq = np.zeros(len(events.words), dtype=np.int64)
        for ids, first, last, wordings in self._blocks():
            owner = np.repeat(np.arange(len(first)), last - first)
            freq += np.bincount(ids, weights=uses[wordings][owner], minlength=len(freq)).astype(np.int64)
        singles = np.zeros(len(starts) - 1, dtype=np.int64)
        parity = np.zeros(len(starts) - 1, dtype=np.uint64)
        for ids, first, last, wordings in self._blocks():
            # per wording, over its words in this block: running totals read
            # after its last word and before its first
            single = freq[ids] == 1
            count = np.r_[0, np.cumsum(single)]
            singles[wordings] += count[last] - count[first]
            bits = np.where(single, np.uint64(0), _word_bits(ids))
            running = np.r_[np.uint64(0), np.bitwise_xor.accumulate(bits)]
            parity[wordings] ^= running[last] ^ running[first]
        self.singles = array("q", singles.tobytes())
        self.parity = array("Q", parity.tobytes())
        rank = np.empty(len(freq), dtype=np.int64)
        rank[np.lexsort((np.arange(len(freq)), freq))] = np.arange(len(freq))
        self.rank = array("q", rank.tobytes())
        limits = range(int(np.diff(starts).max(initial=0)) + 1)
        # a similar pair shares a word among the first (size - min overlap + 1)
        # rarest words of each
        self.prefix_size = [n - _min_overlap(n) + 1 if n else 0 for n in limits]
        # and has sizes within FILTER * n and n / FILTER of each other
        self.low = [_min_overlap(n) for n in limits]
        self.high = [n * _FILTER.denominator // _FILTER.numerator for n in limits]
        # and differs by at most this many words: in all, and from a partner of each size
        top = max((n + self.high[n] for n in limits), default=0)
        self.max_difference = [_max_difference(total) for total in range(top + 1)]
        self.most_different = [max(self.max_difference[n + m] for m in range(self.low[n], self.high[n] + 1))
                               for n in limits]

    def _blocks(self):
        """Word ids a block at a time, with the wordings they belong to and
        where each wording's words start and end in the block."""
        flat, starts = _as_numpy(self.words), _as_numpy(self.start)
        for block in range(0, len(flat), self.BLOCK):
            ids = flat[block:block + self.BLOCK]
            wordings = np.arange(np.searchsorted(starts, block, side="right") - 1,
                                 np.searchsorted(starts, block + len(ids), side="left"))
            first = np.clip(starts[wordings] - block, 0, len(ids))
            last = np.clip(starts[wordings + 1] - block, 0, len(ids))
            yield ids, first, last, wordings

    def size(self, wording: int) -> int:
        return self.start[wording + 1] - self.start[wording]

    def tokens(self, wording: int) -> array:
        """Word ids of ``wording``."""
        return self.words[self.start[wording]:self.start[wording + 1]]

    def prefix(self, tokens: array) -> list[int]:
        """The rarest words of a wording, as many as a similar wording must share one of."""
        return sorted(tokens, key=self.rank.__getitem__)[:self.prefix_size[len(tokens)]]

    def similar(self, query: set[int], size: int, wording: int) -> bool:
        """``_similar`` of the word set ``query`` (of ``size`` words) and ``wording``."""
        tokens = self.tokens(wording)
        return _similar_sizes(len(query.intersection(tokens)), len(tokens), size)


class _Mentions:
    """Mentions that opened or joined a claim by their key (the only ones a
    later mention can join by wording), for the search of near-identical
    wordings: per act (actor, actor name, event type), by each of the rarest
    words of their wording and their count of singletons; and by act and
    article for the articles that have syndicated copies."""

    def __init__(self, index: _WordingIndex, originals: set[int]) -> None:
        self.index = index
        self.originals = originals
        self.article = array("i")
        self.wording = array("i")
        self.size = array("i")
        self.singles = array("i")
        self.parity = array("Q")
        self.claim = array("q")
        self.key = array("i")
        # act -> (word, singletons) -> (mentions, their parity masks); singletons < stride
        self.stride = max(index.most_different, default=0) + 1
        self.postings: dict[int, dict[int, tuple[array, array]]] = {}
        self.by_article: dict[tuple[int, int], list[int]] = {}  # (act, original) -> mentions

    def add(self, act: int, article: int, wording: int, claim: int, key: int) -> None:
        mention = len(self.claim)
        index = self.index
        tokens = index.tokens(wording)
        singles = index.singles[wording]
        self.article.append(article)
        self.wording.append(wording)
        self.size.append(len(tokens))
        self.singles.append(singles)
        self.parity.append(index.parity[wording])
        self.claim.append(claim)
        self.key.append(key)
        if article in self.originals:
            self.by_article.setdefault((act, article), []).append(mention)
        if tokens and singles <= index.most_different[len(tokens)]:
            postings = self.postings.setdefault(act, {})
            parity = index.parity[wording]
            for word in index.prefix(tokens):
                found = postings.get(word * self.stride + singles)
                if found is None:
                    found = postings[word * self.stride + singles] = (array("i"), array("Q"))
                found[0].append(mention)
                found[1].append(parity)

    def first_similar(self, act: int, article: int, wording: int) -> int:
        """The first mention of ``act`` from another article whose wording is
        near-identical to ``wording`` (-1 if none). Only mentions sharing one
        of the prefix words, with few enough singletons, of a compatible size
        and parity mask are compared word by word: two wordings differ at
        least by their singletons plus the bits their masks differ in."""
        index = self.index
        tokens = index.tokens(wording)
        postings = self.postings.get(act)
        size = len(tokens)
        singles = index.singles[wording]
        budget = index.most_different[size] - singles if size else -1
        if budget < 0 or not postings:
            return -1
        stride, parity = self.stride, index.parity[wording]
        # mentions sharing a prefix word, with few enough singletons, whose
        # masks are within the budget (the exact bound is checked below)
        lists = [[m for m, p in zip(*found) if (p ^ parity).bit_count() <= budget - s]
                 for word in index.prefix(tokens) for s in range(budget + 1)
                 if (found := postings.get(word * stride + s))]
        lists = [found for found in lists if found]
        if not lists:
            return -1
        candidates = lists[0] if len(lists) == 1 else sorted(set().union(*lists))
        low, high = index.low[size], index.high[size]
        max_difference = index.max_difference
        query = None
        for mention in candidates:
            other = self.size[mention]
            if self.article[mention] == article or not low <= other <= high or \
                    (self.parity[mention] ^ parity).bit_count() + self.singles[mention] + singles \
                    > max_difference[size + other]:
                continue
            if query is None:
                query = set(tokens)
            if index.similar(query, size, self.wording[mention]):
                return mention
        return -1

    def copy_claim(self, act: int, original: int, wording: int, key: int) -> int:
        """The claim a syndicated copy's mention joins among its original's
        mentions of ``act``: the first with near-identical wording, else the
        first with the same key, else the first (-1 if there is none)."""
        same = self.by_article.get((act, original), ())
        if not same:
            return -1
        tokens = self.index.tokens(wording)
        if tokens:
            query = set(tokens)
            for mention in same:
                if self.index.similar(query, len(tokens), self.wording[mention]):
                    return self.claim[mention]
        chosen = next((m for m in same if self.key[m] == key), same[0])
        return self.claim[chosen]


def _processing_order(events: ClaimEvents, is_copy: np.ndarray, stamps: list) -> np.ndarray:
    """Events in the order they are grouped: originals before copies, then by
    date (unparsed last), article, sentence, actor, event type; ties keep row order."""
    never = np.iinfo(np.int64).max
    when = np.array([never if s is pd.NaT else s.value for s in stamps], dtype=np.int64)
    actors, types = _Codes(), _Codes()
    key_actor = np.array([actors.code(k[0]) for k in events.keys.values], dtype=np.int64)
    key_type = np.array([types.code(k[2]) for k in events.keys.values], dtype=np.int64)
    key, article = _as_numpy(events.key), _as_numpy(events.article)
    return np.lexsort((types.ranks()[key_type][key], actors.ranks()[key_actor][key],
                       events.sentence_ids.ranks()[_as_numpy(events.sentence)],
                       events.articles.ranks()[article], when[_as_numpy(events.date)],
                       is_copy[article]))


def group_claims(events: ClaimEvents, duplicate_of: Mapping[str, str] | None = None,
                 window_days: int = 3) -> Grouping:
    """Claim of each event (codebook section 7); ``duplicate_of`` maps a
    syndicated copy's article id to its original's."""
    if not len(events):
        return Grouping(np.zeros(0, dtype=np.int64), [])
    duplicate_of = duplicate_of or {}
    article_ids = events.articles.values
    is_copy = np.array([a in duplicate_of for a in article_ids], dtype=bool)
    copies = is_copy.tolist()
    original = [events.articles.index.get(duplicate_of[a], -1) if copy else -1
                for a, copy in zip(article_ids, is_copy.tolist())]
    stamps = events.parsed_dates()
    order = _processing_order(events, is_copy, stamps)
    act_codes = _Codes()
    act_of_key = [act_codes.code(k[:3]) for k in events.keys.values]
    mentions = _Mentions(_WordingIndex(events), {o for o in original if o >= 0})
    claim = array("q", [-1]) * len(events)
    ids: list[str] = []
    number_of: dict[str, int] = {}  # equal ids (a hash collision) are one claim
    open_claims: dict[int, tuple] = {}  # key -> (first date, claim)
    for i in array("q", order.astype(np.int64).tobytes()):
        k, a, w = events.key[i], events.article[i], events.wording[i]
        act = act_of_key[k]
        if copies[a]:
            joined = mentions.copy_claim(act, original[a], w, k)
            if joined < 0:
                start = open_claims.get(k)
                joined = start[1] if start else -1
            claim[i] = joined
            continue
        similar = mentions.first_similar(act, a, w)
        if similar >= 0:
            claim[i] = mentions.claim[similar]
            continue
        start = open_claims.get(k)
        stamp = stamps[events.date[i]]
        if start is None or stamp is pd.NaT or start[0] is pd.NaT or \
                (stamp - start[0]).days > window_days:
            cid = _claim_id(events.keys.values[k], stamp, article_ids[a],
                            events.sentence_ids.values[events.sentence[i]])
            number = number_of.setdefault(cid, len(ids))
            if number == len(ids):
                ids.append(cid)
            start = open_claims[k] = (stamp, number)
        claim[i] = start[1]
        mentions.add(act, a, w, start[1], k)
    return Grouping(np.frombuffer(claim, dtype=np.int64).copy(), ids)


def assign_claims(events: pd.DataFrame, window_days: int = 3,
                  articles: pd.DataFrame | Mapping[str, str] | None = None) -> pd.DataFrame:
    """Give each event a ``claim_id``. ``articles`` (a table with
    ``article_id``/``duplicate_of`` or a mapping copy -> original) marks
    syndicated copies, whose mentions join the original's claims."""
    events = events.copy()
    if events.empty:
        events["claim_id"] = pd.Series(dtype=str)
        return events
    grouping = group_claims(ClaimEvents.from_frame(events), duplicates_of(articles), window_days)
    ids = np.array(grouping.ids + [""], dtype=object)
    events["claim_id"] = ids[grouping.claim]
    return events


@dataclass
class ClaimSummary:
    """Per claim, in ``claims.csv`` order: its number, its first mention (the
    event row that gives its fields and example sentence), first and last
    dates, mentions, and the range of its articles in ``pair_article``
    (positions in the sorted ``article_ids``)."""
    claim: np.ndarray
    first_row: np.ndarray
    first_date: np.ndarray      # positions in ``dates`` (-1: none)
    last_date: np.ndarray
    n_mentions: np.ndarray
    pair_start: np.ndarray
    pair_end: np.ndarray
    pair_article: np.ndarray
    dates: list
    article_ids: list

    @property
    def n_articles(self) -> np.ndarray:
        return self.pair_end - self.pair_start

    def date_values(self, ranks: np.ndarray) -> list:
        return [self.dates[r] if r >= 0 else np.nan for r in ranks.tolist()]

    def articles(self, rows: slice) -> list[str]:
        """The ``articles`` cell (ids joined with ``;``) of the claims ``rows``."""
        ids = self.article_ids
        return [";".join(ids[a] for a in self.pair_article[start:end].tolist())
                for start, end in zip(self.pair_start[rows].tolist(), self.pair_end[rows].tolist())]


def summarise_claims(claim: np.ndarray, ids: Sequence[str], date_rank: np.ndarray,
                     dates: Sequence, article_rank: np.ndarray, article_ids: Sequence[str],
                     sentence_rank: np.ndarray) -> ClaimSummary:
    """Per-claim aggregates of events given as ranks (positions in sorted
    order of their distinct values; a missing date is -1 and sorts last).
    ``dates`` and ``article_ids`` are those distinct values, sorted."""
    rows = np.flatnonzero(claim >= 0)
    missing = np.iinfo(np.int64).max
    when = np.where(date_rank < 0, missing, date_rank)
    order = rows[np.lexsort((sentence_rank[rows], article_rank[rows], when[rows], claim[rows]))]
    del when
    number = claim[order]
    starts = np.flatnonzero(np.r_[True, number[1:] != number[:-1]]) if len(order) else order
    n_mentions = np.diff(np.r_[starts, len(order)])
    first_row = order[starts]
    numbers = number[starts]
    dated = date_rank[order]
    last = np.maximum.reduceat(dated, starts) if len(order) else dated
    del order, number, dated
    # distinct (claim, article) pairs, in article order within each claim
    pairs = np.unique(claim[rows] * len(article_ids) + article_rank[rows])
    pair_claim, pair_article = np.divmod(pairs, max(len(article_ids), 1))
    pair_start = np.searchsorted(pair_claim, numbers)
    pair_end = np.r_[pair_start[1:], len(pairs)].astype(pair_start.dtype)
    first_rank = date_rank[first_row]
    id_rank = _Codes()
    for c in numbers.tolist():
        id_rank.code(ids[c])
    output = np.lexsort((id_rank.ranks(), np.where(first_rank < 0, missing, first_rank)))
    return ClaimSummary(claim=numbers[output], first_row=first_row[output],
                        first_date=first_rank[output], last_date=last[output],
                        n_mentions=n_mentions[output], pair_start=pair_start[output],
                        pair_end=pair_end[output], pair_article=pair_article,
                        dates=list(dates), article_ids=list(article_ids))


def summarise(events: ClaimEvents, grouping: Grouping) -> ClaimSummary:
    """Per-claim aggregates of grouped events (see :func:`summarise_claims`)."""
    date_rank, dates = events.dates.sorted_codes()
    article_rank, article_ids = events.articles.sorted_codes()
    sentence_rank, _ = events.sentence_ids.sorted_codes()
    return summarise_claims(grouping.claim, grouping.ids, date_rank[_as_numpy(events.date)], dates,
                            article_rank[_as_numpy(events.article)], article_ids,
                            sentence_rank[_as_numpy(events.sentence)])


def key_fields(events: ClaimEvents, rows: np.ndarray) -> dict[str, list]:
    """Actor, actor name, event type, target and topics of the events ``rows``."""
    keys = [events.keys.values[k] for k in _as_numpy(events.key)[rows].tolist()]
    return {c: [k[j] for k in keys] for j, c in enumerate(KEY_COLUMNS)}


def summary_frame(summary: ClaimSummary, ids: Sequence[str], fields: Mapping[str, Sequence],
                  rows: slice = slice(None)) -> pd.DataFrame:
    """``claims.csv`` rows of ``summary`` (a slice of them): ``fields`` gives
    actor, actor_name, event_type, target, topics and example_sentence of each
    claim, in the summary's order."""
    claim = summary.claim[rows].tolist()
    data = {"claim_id": [ids[c] for c in claim]}
    data.update({c: list(fields[c]) for c in KEY_COLUMNS})
    data.update(first_date=summary.date_values(summary.first_date[rows]),
                last_date=summary.date_values(summary.last_date[rows]),
                n_mentions=summary.n_mentions[rows].tolist(),
                n_articles=summary.n_articles[rows].tolist(),
                articles=summary.articles(rows), example_sentence=list(fields["example_sentence"]))
    return pd.DataFrame(data, columns=CLAIM_COLUMNS)


def _factor(values: pd.Series) -> tuple[np.ndarray, list]:
    codes, uniques = pd.factorize(values, sort=True)
    return codes.astype(np.int64), list(uniques)


def claims_table(events: pd.DataFrame) -> pd.DataFrame:
    """One row per distinct claim with its first date, mentions and articles."""
    if events.empty:
        return pd.DataFrame(columns=CLAIM_COLUMNS)
    ids = events["claim_id"].astype(str)
    claim, names = _factor(ids.where(ids != "", None))
    if not names:
        return pd.DataFrame(columns=CLAIM_COLUMNS)
    date_rank, dates = _factor(events["event_date"])
    article_rank, article_ids = _factor(events["article_id"].astype(str))
    sentence_rank, _ = _factor(events["sentence_id"])
    summary = summarise_claims(claim, names, date_rank, dates, article_rank, article_ids,
                               sentence_rank)
    first = events.iloc[summary.first_row]
    fields = {c: first[c].tolist() for c in KEY_COLUMNS}
    fields["example_sentence"] = first["sentence"].tolist()
    return summary_frame(summary, names, fields)
