"""Near-identical wording (token-set Jaccard >= ``SAME_WORDING``), and the
search for the first earlier mention of an act whose wording is
near-identical, which does not scan every earlier mention.

Sentences are sets of word ids, and a mention is compared word by word only
with earlier mentions that pass filters no similar pair can fail (bounds in
exact fractions, a little below the threshold): they share one of the rarest
words of each sentence (the prefix filter of the AllPairs similarity join),
their sizes are close enough, and they do not differ by too many words,
counting their *singletons* (words of no other event's sentence) and the bits
in which their parity masks differ. The plain scan's claims come out, in
about linear time on sentences that differ; many variants of one sentence
that miss the threshold against each other still cost a cheap check per pair
of variants."""
from __future__ import annotations

from array import array
from collections.abc import Iterator
from fractions import Fraction
from typing import TypeVar

import numpy as np

from ultimatum.claims.codes import WORD, ClaimEvents, as_numpy

#: Token-set Jaccard above which two sentences are the same wording.
SAME_WORDING = 0.9
#: The candidate filters use a threshold a little below ``SAME_WORDING`` (by
#: far more than float rounding moves a ratio), in exact fractions: every
#: pair whose float Jaccard passes is a candidate.
_FILTER = Fraction(SAME_WORDING).limit_denominator(1000) - Fraction(1, 10**9)


def _wording(text: str) -> frozenset[str]:
    """The words of a sentence, as compared for near-identical wording."""
    return frozenset(WORD.findall(str(text).lower()))


def _similar(a: frozenset[str], b: frozenset[str]) -> bool:
    """Near-identical wordings (the definition; the search below computes it on word ids)."""
    return bool(a) and bool(b) and len(a & b) / len(a | b) >= SAME_WORDING


def _similar_sizes(overlap: int, size_a: int, size_b: int) -> bool:
    """``_similar`` of two sets given their sizes and the size of their intersection."""
    return size_a > 0 and size_b > 0 and overlap / (size_a + size_b - overlap) >= SAME_WORDING


def _min_overlap(size: int) -> int:
    """Smallest intersection a set of ``size`` words shares with any set similar to it."""
    return -(-_FILTER.numerator * size // _FILTER.denominator)


_Count = TypeVar("_Count", int, np.ndarray)


def _max_difference(total: _Count) -> _Count:
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


class WordingIndex:
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
        starts = as_numpy(self.start)
        uses = np.bincount(as_numpy(events.wording), minlength=len(starts) - 1)
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

    def _blocks(self) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
        """Word ids a block at a time, with the wordings they belong to and
        where each wording's words start and end in the block."""
        flat, starts = as_numpy(self.words), as_numpy(self.start)
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


class Mentions:
    """Mentions that opened or joined a claim by their key (the only ones a
    later mention can join by wording), for the search of near-identical
    wordings: per act (actor, actor name, event type), by each of the rarest
    words of their wording and their count of singletons; and by act and
    article for the articles that have syndicated copies."""

    def __init__(self, index: WordingIndex, originals: set[int]) -> None:
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
