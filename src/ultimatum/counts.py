"""Counts for the report: events per party and type."""
from __future__ import annotations

import pandas as pd

EVENT_TYPES = ["DEMAND", "REJECT", "OFFER", "ACCEPT", "THREATEN", "ACCUSE", "MOBILIZE"]


def party_type_counts(events: pd.DataFrame) -> pd.DataFrame:
    """Event mentions per actor (rows) and event type (columns)."""
    table = pd.crosstab(events["actor"], events["event_type"]) if len(events) else pd.DataFrame()
    return table.reindex(columns=EVENT_TYPES, fill_value=0)
