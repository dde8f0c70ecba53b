"""Distinct claims (codebook section 7): mentions of the same act share a
``claim_id``; ``claims.csv`` has one row per claim.

Two mentions are the same act when they have the same actor, event type,
target and topics and fall within ``window_days`` of the claim's first
mention, or when their sentences are near-identical wording (a syndicated
story) with the same actor and event type. Mentions in an article that is a
syndicated copy (``duplicate_of`` another article) join the original's claims
and never open a claim of their own. Claim ids are hashes of the claim's
defining fields and first mention, so they are stable across runs."""
from __future__ import annotations

import hashlib
import re
from typing import Mapping

import pandas as pd

CLAIM_COLUMNS = ["claim_id", "actor", "actor_name", "event_type", "target", "topics",
                 "first_date", "last_date", "n_mentions", "n_articles", "articles",
                 "example_sentence"]
KEY_COLUMNS = ["actor", "actor_name", "event_type", "target", "topics"]
#: Token-set Jaccard above which two sentences are the same wording.
SAME_WORDING = 0.9
_WORD = re.compile(r"\w+")


def _wording(text: str) -> frozenset[str]:
    return frozenset(_WORD.findall(str(text).lower()))


def _similar(a: frozenset[str], b: frozenset[str]) -> bool:
    return bool(a) and bool(b) and len(a & b) / len(a | b) >= SAME_WORDING


def _claim_id(key: tuple[str, ...], first_date, article_id: str, sentence_id) -> str:
    text = "|".join(key) + f"|{first_date}|{article_id}|{sentence_id}"
    return "C" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def _duplicates_of(articles: pd.DataFrame | Mapping[str, str] | None) -> dict[str, str]:
    if articles is None:
        return {}
    if isinstance(articles, pd.DataFrame):
        if "duplicate_of" not in articles.columns:
            return {}
        pairs = zip(articles["article_id"].astype(str), articles["duplicate_of"].fillna("").astype(str))
    else:
        pairs = ((str(k), str(v or "")) for k, v in articles.items())
    return {a: d for a, d in pairs if d and d != a}


def assign_claims(events: pd.DataFrame, window_days: int = 3,
                  articles: pd.DataFrame | Mapping[str, str] | None = None) -> pd.DataFrame:
    """Give each event a ``claim_id``. ``articles`` (a table with
    ``article_id``/``duplicate_of`` or a mapping copy -> original) marks
    syndicated copies, whose mentions join the original's claims."""
    events = events.copy()
    if events.empty:
        events["claim_id"] = pd.Series(dtype=str)
        return events
    duplicate_of = _duplicates_of(articles)
    dates = pd.to_datetime(events["event_date"], errors="coerce")
    order = events.assign(_d=dates, _copy=events["article_id"].astype(str).isin(duplicate_of)) \
        .sort_values(["_copy", "_d", "article_id", "sentence_id", "actor", "event_type"], kind="stable")
    claim_of: dict = {}
    open_claims: dict[tuple, tuple] = {}        # key -> (first date, claim id)
    by_act: dict[tuple, list] = {}              # (actor, name, type) -> [(wording, article, claim id)]
    for idx, row in order.iterrows():
        key = tuple(str(row[c]) for c in KEY_COLUMNS)
        act = key[:3]
        wording = _wording(row["sentence"])
        article = str(row["article_id"])
        if row["_copy"]:
            original = duplicate_of[article]
            same = [c for c in by_act.get(act, []) if c[1] == original]
            best = next((c for c in same if _similar(c[0], wording)), None) or \
                next((c for c in same if c[3] == key), None) or (same[0] if same else None)
            if best is None:
                start = open_claims.get(key)
                best_id = start[1] if start else ""
            else:
                best_id = best[2]
            claim_of[idx] = best_id
            continue
        syndicated = next((c for c in by_act.get(act, []) if c[1] != article and _similar(c[0], wording)), None)
        if syndicated is not None:
            claim_of[idx] = syndicated[2]
            continue
        start = open_claims.get(key)
        date = row["_d"]
        if start is None or pd.isna(date) or pd.isna(start[0]) or (date - start[0]).days > window_days:
            start = (date, _claim_id(key, date, article, row["sentence_id"]))
            open_claims[key] = start
        claim_of[idx] = start[1]
        by_act.setdefault(act, []).append((wording, article, start[1], key))
    events["claim_id"] = pd.Series(claim_of)
    events["claim_id"] = events["claim_id"].fillna("")
    return events


def claims_table(events: pd.DataFrame) -> pd.DataFrame:
    """One row per distinct claim with its first date, mentions and articles."""
    if events.empty:
        return pd.DataFrame(columns=CLAIM_COLUMNS)
    rows = []
    for cid, g in events[events["claim_id"].astype(str) != ""].groupby("claim_id", sort=True):
        first = g.sort_values(["event_date", "article_id", "sentence_id"]).iloc[0]
        rows.append({
            "claim_id": cid, "actor": first["actor"], "actor_name": first["actor_name"],
            "event_type": first["event_type"], "target": first["target"], "topics": first["topics"],
            "first_date": g["event_date"].min(), "last_date": g["event_date"].max(),
            "n_mentions": len(g), "n_articles": g["article_id"].nunique(),
            "articles": ";".join(sorted(g["article_id"].astype(str).unique())),
            "example_sentence": first["sentence"],
        })
    if not rows:
        return pd.DataFrame(columns=CLAIM_COLUMNS)
    return pd.DataFrame(rows, columns=CLAIM_COLUMNS).sort_values(["first_date", "claim_id"]).reset_index(drop=True)
