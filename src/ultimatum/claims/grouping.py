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
Jaccard >= ``SAME_WORDING``).

That search is in ``wording.py``; what grouping reads of each event, as small
codes, in ``codes.py``; the rows of ``claims.csv`` in ``summary.py``."""
from __future__ import annotations

import hashlib
from array import array
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ultimatum.claims.codes import ClaimEvents, Codes, as_numpy
from ultimatum.claims.wording import Mentions, WordingIndex


def _claim_id(key: tuple[str, ...], first_date: object, article_id: str, sentence_id: object) -> str:
    """``C`` and a hash of the claim's fields and first mention (its date, a
    Timestamp or NaT, and its sentence id, as they print)."""
    text = "|".join(key) + f"|{first_date}|{article_id}|{sentence_id}"
    return "C" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def duplicates_of(articles: pd.DataFrame | Mapping[str, str] | None) -> dict[str, str]:
    """Syndicated copy -> original article id, from an article table (its
    ``duplicate_of`` column) or a mapping."""
    if articles is None:
        return {}
    pairs: Iterable[tuple[str, str]]
    if isinstance(articles, pd.DataFrame):
        if "duplicate_of" not in articles.columns:
            return {}
        pairs = zip(articles["article_id"].astype(str), articles["duplicate_of"].fillna("").astype(str))
    else:
        pairs = ((str(k), str(v or "")) for k, v in articles.items())
    return {a: d for a, d in pairs if d and d != a}


@dataclass
class Grouping:
    """Claim of each event (``claim[i]`` indexes ``ids``; -1 for none)."""
    claim: np.ndarray
    ids: list[str]


def _processing_order(events: ClaimEvents, is_copy: np.ndarray, stamps: list) -> np.ndarray:
    """Events in the order they are grouped: originals before copies, then by
    date (unparsed last), article, sentence, actor, event type; ties keep row order."""
    never = np.iinfo(np.int64).max
    when = np.array([never if s is pd.NaT else s.value for s in stamps], dtype=np.int64)
    actors, types = Codes(), Codes()
    key_actor = np.array([actors.code(k[0]) for k in events.keys.values], dtype=np.int64)
    key_type = np.array([types.code(k[2]) for k in events.keys.values], dtype=np.int64)
    key, article = as_numpy(events.key), as_numpy(events.article)
    return np.lexsort((types.ranks()[key_type][key], actors.ranks()[key_actor][key],
                       events.sentence_ids.ranks()[as_numpy(events.sentence)],
                       events.articles.ranks()[article], when[as_numpy(events.date)],
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
    act_codes = Codes()
    act_of_key = [act_codes.code(k[:3]) for k in events.keys.values]
    mentions = Mentions(WordingIndex(events), {o for o in original if o >= 0})
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
