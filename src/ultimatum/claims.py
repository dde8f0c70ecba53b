"""Distinct claims (codebook section 7): mentions of the same act share a
``claim_id``; ``claims.csv`` has one row per claim."""
from __future__ import annotations

import hashlib

import pandas as pd

CLAIM_COLUMNS = ["claim_id", "actor", "actor_name", "event_type", "target", "topics",
                 "first_date", "last_date", "n_mentions", "n_articles", "articles",
                 "example_sentence"]


def assign_claims(events: pd.DataFrame, window_days: int = 3) -> pd.DataFrame:
    """Give each event a claim_id: same actor, type, target and topics within
    ``window_days`` of the claim's first mention."""
    events = events.copy()
    if events.empty:
        events["claim_id"] = pd.Series(dtype=str)
        return events
    key_cols = ["actor", "actor_name", "event_type", "target", "topics"]
    dates = pd.to_datetime(events["event_date"], errors="coerce")
    order = events.assign(_d=dates).sort_values(["_d", "article_id", "sentence_id"], kind="stable")
    claim_of: dict[int, str] = {}
    open_claims: dict[tuple, tuple[pd.Timestamp, str]] = {}
    for idx, row in order.iterrows():
        key = tuple(str(row[c]) for c in key_cols)
        start = open_claims.get(key)
        if start is None or pd.isna(row["_d"]) or pd.isna(start[0]) or (row["_d"] - start[0]).days > window_days:
            digest = hashlib.sha1(("|".join(key) + str(row["_d"])).encode()).hexdigest()[:10]
            start = (row["_d"], f"C{digest}")
            open_claims[key] = start
        claim_of[idx] = start[1]
    events["claim_id"] = pd.Series(claim_of)
    return events


def claims_table(events: pd.DataFrame) -> pd.DataFrame:
    """One row per distinct claim with its first date, mentions and articles."""
    if events.empty:
        return pd.DataFrame(columns=CLAIM_COLUMNS)
    rows = []
    for cid, g in events.groupby("claim_id", sort=True):
        first = g.sort_values(["event_date", "article_id", "sentence_id"]).iloc[0]
        rows.append({
            "claim_id": cid, "actor": first["actor"], "actor_name": first["actor_name"],
            "event_type": first["event_type"], "target": first["target"], "topics": first["topics"],
            "first_date": g["event_date"].min(), "last_date": g["event_date"].max(),
            "n_mentions": len(g), "n_articles": g["article_id"].nunique(),
            "articles": ";".join(sorted(g["article_id"].unique())),
            "example_sentence": first["sentence"],
        })
    return pd.DataFrame(rows, columns=CLAIM_COLUMNS).sort_values(["first_date", "claim_id"]).reset_index(drop=True)
