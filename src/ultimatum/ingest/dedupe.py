"""Duplicates and syndicated copies among ingested articles.

Two files are *exact* duplicates when their bodies fold to the same text
(:func:`ultimatum.ingest.textnorm.fold`: case, typography and spacing ignored). A
file is a *near* copy (the same story syndicated by another outlet, a few
words changed) when the Jaccard similarity of the sets of word 5-gram
shingles of the two bodies is at least ``NEAR_THRESHOLD``. Candidate pairs come
from MinHash signatures with locality-sensitive banding, so the cost grows
with the number of articles, not its square; every candidate is then checked
with the exact Jaccard similarity.

Copies form groups; each group's *original* is its earliest published member
(undated last, then by article id). Every other member gets
``duplicate_of`` = the original's article id (always a row that is itself not
a duplicate) and ``duplicate_kind``: ``exact`` when its text repeats another
member's word for word (it adds nothing, so its events are not extracted), or
``near`` (its events are extracted and counted as mentions of the original's
claims). Hashing uses ``zlib.crc32`` and fixed seeds: results never depend on
the process or the machine."""
from __future__ import annotations

import hashlib
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ultimatum.ingest.textnorm import fold

if TYPE_CHECKING:
    import pandas as pd  # the tables are the caller's: a worker reading files never loads pandas

SHINGLE_WORDS = 5
NEAR_THRESHOLD = 0.8
NUM_PERM = 128
BANDS = 32  # 32 bands of 4 rows: pairs at 0.8 are candidates with probability > 0.9999999
_RNG = np.random.default_rng(20211217)
_A = _RNG.integers(0, 2**64 - 1, NUM_PERM, dtype=np.uint64, endpoint=True) | np.uint64(1)
_B = _RNG.integers(0, 2**64 - 1, NUM_PERM, dtype=np.uint64, endpoint=True)
_BASE = np.uint64(1_000_003)
_CHUNK = 8192


def shingles(text: str, size: int = SHINGLE_WORDS, folded: bool = False) -> np.ndarray:
    """Sorted unique 32-bit hashes of the word ``size``-grams of the folded
    text (a text shorter than ``size`` words is one shingle); ``folded`` says
    ``text`` is already :func:`fold`-ed. Words are hashed once (crc32) and
    combined per n-gram with a polynomial hash, vectorised."""
    toks = (text if folded else fold(text)).split()
    if not toks:
        return np.empty(0, dtype=np.uint64)
    words = np.fromiter((zlib.crc32(t.encode()) for t in toks), dtype=np.uint64, count=len(toks))
    size = min(size, len(words))
    n = len(words) - size + 1
    grams = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(size):
            grams = grams * _BASE + words[k:k + n]
        folded32 = (grams ^ (grams >> np.uint64(32))) & np.uint64(0xFFFFFFFF)
    return np.unique(folded32)


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """|a & b| / |a | b| of two sorted unique hash arrays (0.0 for two empty ones)."""
    if not len(a) and not len(b):
        return 0.0
    inter = len(np.intersect1d(a, b, assume_unique=True))
    return inter / (len(a) + len(b) - inter)


def minhash(shingle_hashes: np.ndarray) -> np.ndarray:
    """MinHash signature (``NUM_PERM`` values) of a shingle set, with
    multiply-shift hashing ((a*x + b) mod 2**64) >> 32 for each permutation."""
    if not len(shingle_hashes):
        return np.full(NUM_PERM, np.iinfo(np.uint64).max, dtype=np.uint64)
    signature = np.full(NUM_PERM, np.iinfo(np.uint64).max, dtype=np.uint64)
    x = shingle_hashes.astype(np.uint64)
    for start in range(0, len(x), _CHUNK):  # bounded memory for book-length texts
        with np.errstate(over="ignore"):
            hashed = (np.outer(x[start:start + _CHUNK], _A) + _B) >> np.uint64(32)
        np.minimum(signature, hashed.min(axis=0), out=signature)
    return signature


def candidate_pairs(signatures: Sequence[np.ndarray], bands: int = BANDS) -> np.ndarray:
    """Index pairs (i < j) whose signatures agree on all rows of some band, as
    an array of shape (pairs, 2) sorted by i then j. Per band, signatures are
    sorted by the band's rows, and each run of equal ones gives its pairs."""
    n = len(signatures)
    if n < 2:
        return np.empty((0, 2), dtype=np.int64)
    sigs = np.asarray(signatures)
    rows = sigs.shape[1] // bands
    codes: list[np.ndarray] = []
    for band in range(bands):
        block = sigs[:, band * rows:(band + 1) * rows]
        order = np.lexsort(block.T[::-1])
        ranked = block[order]
        starts = np.flatnonzero(np.r_[True, (ranked[1:] != ranked[:-1]).any(axis=1)])
        sizes = np.diff(np.r_[starts, n])
        twos = starts[sizes == 2]  # most runs are pairs: all at once
        low = np.minimum(order[twos], order[twos + 1]).astype(np.int64)
        codes.append(low * n + np.maximum(order[twos], order[twos + 1]))
        for start, size in zip(starts[sizes > 2].tolist(), sizes[sizes > 2].tolist()):
            members = np.sort(order[start:start + size]).astype(np.int64)
            first, second = np.triu_indices(size, 1)
            codes.append(members[first] * n + members[second])
    unique = np.unique(np.concatenate(codes))
    return np.stack([unique // n, unique % n], axis=1)


@dataclass(frozen=True)
class Fingerprint:
    """What finding copies needs of one body: the hash of its folded text, its
    shingle set and MinHash signature. Computed where the file is read (in a
    worker process, in parallel), so the corpus-wide pass only compares."""
    digest: str
    shingles: np.ndarray
    signature: np.ndarray


def fingerprint(body: str) -> Fingerprint:
    """The :class:`Fingerprint` of one article body."""
    folded = fold(body)
    hashes = shingles(folded, folded=True).astype(np.uint32)  # 32-bit values: half the memory
    # minhash values are below 2**32 (an empty text's are all the largest value)
    signature = minhash(hashes).astype(np.uint32)
    return Fingerprint(hashlib.sha256(folded.encode()).hexdigest(), hashes, signature)


@dataclass(frozen=True)
class Copy:
    """One article found to copy another."""
    article_id: str
    duplicate_of: str
    kind: str  # "exact" or "near"
    similarity: float


def _order_key(published: str, article_id: str) -> tuple[int, str, str]:
    return (0 if published else 1, published or "", article_id)


def find_copies(articles: pd.DataFrame, threshold: float = NEAR_THRESHOLD,
                fingerprints: Sequence[Fingerprint] | None = None) -> list[Copy]:
    """Every article that duplicates or nearly copies an earlier one.
    ``fingerprints`` (one per row, in order) saves computing them here."""
    if articles.empty:
        return []
    ids = articles["article_id"].astype(str).tolist()
    published = articles["published"].fillna("").astype(str).tolist()
    if fingerprints is None:
        fingerprints = [fingerprint(body) for body in articles["body"].astype(str)]
    if len(fingerprints) != len(ids):
        raise ValueError(f"{len(fingerprints)} fingerprints for {len(ids)} articles")
    order = sorted(range(len(ids)), key=lambda i: _order_key(published[i], ids[i]))

    # Exact groups by folded text; the first of each (in order) represents it.
    rep_of: dict[int, int] = {}
    first_with: dict[str, int] = {}
    for i in order:
        rep_of[i] = first_with.setdefault(fingerprints[i].digest, i)
    reps = [i for i in order if rep_of[i] == i]

    # Near copies among representatives: MinHash candidates, exact Jaccard check.
    sets = {i: fingerprints[i].shingles for i in reps}
    sigs = [fingerprints[i].signature for i in reps]
    parent = {i: i for i in reps}
    rank = {i: k for k, i in enumerate(order)}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    similar: dict[tuple[int, int], float] = {}
    for x, y in candidate_pairs(sigs).tolist():
        i, j = reps[x], reps[y]
        small, large = sorted((len(sets[i]), len(sets[j])))
        if not large or small / large < threshold:
            continue  # the similarity is at most small / large
        sim = jaccard(sets[i], sets[j])
        if sim >= threshold:
            similar[(i, j)] = sim
            ri, rj = root(i), root(j)
            if ri != rj:
                first, second = (ri, rj) if rank[ri] < rank[rj] else (rj, ri)
                parent[second] = first

    copies: list[Copy] = []
    for i in order:
        original = root(rep_of[i])
        if i == original:
            continue
        if rep_of[i] != i:
            kind, sim = "exact", 1.0
        else:
            kind = "near"
            sim = similar.get((original, i)) or similar.get((i, original)) \
                or jaccard(sets[original], sets[i])
        copies.append(Copy(ids[i], ids[original], kind, round(sim, 3)))
    return sorted(copies, key=lambda c: c.article_id)


def flag_copies(articles: pd.DataFrame, threshold: float = NEAR_THRESHOLD,
                fingerprints: Sequence[Fingerprint] | None = None) -> pd.DataFrame:
    """``articles`` with ``duplicate_of`` and ``duplicate_kind`` filled in."""
    articles = articles.copy()
    articles["duplicate_of"] = ""
    articles["duplicate_kind"] = ""
    by_id = {c.article_id: c for c in find_copies(articles, threshold, fingerprints)}
    if by_id:
        ids = articles["article_id"].astype(str)
        articles["duplicate_of"] = [by_id[a].duplicate_of if a in by_id else "" for a in ids]
        articles["duplicate_kind"] = [by_id[a].kind if a in by_id else "" for a in ids]
    return articles


def articles_to_extract(articles: pd.DataFrame) -> pd.DataFrame:
    """Articles whose events are extracted: all but exact duplicates (their
    text repeats an article already read, so their events would only double count)."""
    if "duplicate_kind" not in articles.columns:
        return articles
    return articles[articles["duplicate_kind"] != "exact"].reset_index(drop=True)
