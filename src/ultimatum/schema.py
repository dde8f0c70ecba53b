"""The facts every stage shares, defined once: party codes, event types and
their roles, the study's start, and the columns and types of the four tables
a run writes (codebook sections 2, 3 and 8).

Event types, roles, codes and weights are data (``lexicon/event_types.csv``);
this module reads them once and names the groups the code asks for."""
from __future__ import annotations

import datetime as dt
from functools import lru_cache

from ultimatum.lexicon import read_rows

#: Party codes of the codebook (section 2), in the order tables list them.
PARTY_CODES: tuple[str, ...] = ("RUS", "NATO", "USA", "UKR", "EU", "OTHER")


@lru_cache(maxsize=1)
def event_type_table() -> dict[str, dict[str, str]]:
    """``lexicon/event_types.csv`` by type: role, PLOVER and CAMEO codes, weight."""
    return {row["event_type"]: row for row in read_rows("event_types.csv")}


#: The codebook's event types, in its order (lists, so that pandas selects columns by them).
EVENT_TYPES: list[str] = list(event_type_table())
#: Event types by role: demands, responses to them, and escalation signals.
DEMAND_TYPES: list[str] = [t for t, r in event_type_table().items() if r["role"] == "demand"]
RESPONSE_TYPES: list[str] = [t for t, r in event_type_table().items() if r["role"] == "response"]
SIGNAL_TYPES: list[str] = [t for t, r in event_type_table().items() if r["role"] == "signal"]
#: Types whose rows carry topics (codebook section 5: what a demand or a response is about).
TOPIC_TYPES: frozenset[str] = frozenset(DEMAND_TYPES + RESPONSE_TYPES)

#: Acts dated before this are background to the crisis, not events of it.
CRISIS_START = dt.date(2021, 10, 1)

#: An empty target or topic in the tables.
NONE = ""

#: ``articles.csv`` (the article table ingest hands on).
ARTICLE_COLUMNS: list[str] = ["article_id", "title", "outlet", "url", "published", "date_source",
                              "body", "n_sentences", "n_words", "duplicate_of", "duplicate_kind",
                              "file", "problems"]
#: Between the problems of one article in its ``problems`` column.
PROBLEM_SEP: str = " | "
#: ``skipped.csv``: files that are not articles, with the reason.
SKIPPED_COLUMNS: list[str] = ["file", "reason"]
#: ``events.csv`` (codebook section 8).
EVENT_COLUMNS: list[str] = ["article_id", "sentence_id", "sentence", "actor", "actor_name", "group_alias",
                            "event_type", "role", "target", "topics", "event_date", "event_date_source",
                            "published", "weight", "rule", "claim_id"]
#: ``claims.csv`` (codebook section 7).
CLAIM_COLUMNS: list[str] = ["claim_id", "actor", "actor_name", "event_type", "target", "topics",
                            "first_date", "last_date", "n_mentions", "n_articles", "articles",
                            "example_sentence"]
#: The four tables a run writes (``NAME.csv``), in the order they are written, with their columns;
#: ``data_dictionary.csv`` says what each column holds.
TABLE_COLUMNS: dict[str, list[str]] = {"articles": ARTICLE_COLUMNS, "skipped": SKIPPED_COLUMNS,
                                       "events": EVENT_COLUMNS, "claims": CLAIM_COLUMNS}
#: Columns that are not text, by table; every other column is text.
CLAIM_DTYPES: dict[str, str] = {"n_mentions": "int64", "n_articles": "int64"}
