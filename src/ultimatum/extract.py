"""Event extraction (first, thin version): a cue verb whose grammatical subject
names a party gives one event row per party. Columns follow codebook section 8."""
from __future__ import annotations

from functools import lru_cache
from typing import Iterable, Mapping

import pandas as pd

from .lexicon import read_rows
from .nlp import load_model

EVENT_COLUMNS = ["article_id", "sentence_id", "sentence", "actor", "actor_name", "group_alias",
                 "event_type", "role", "target", "topics", "event_date", "event_date_source",
                 "published", "weight", "rule", "claim_id"]


@lru_cache(maxsize=1)
def _tables() -> tuple[dict, dict, dict]:
    aliases = {r["alias"].lower(): (r["code"], r["name"]) for r in read_rows("parties.csv")}
    cues = {r["lemma"]: r["event_type"] for r in read_rows("cues.csv")}
    types = {r["event_type"]: r for r in read_rows("event_types.csv")}
    return aliases, cues, types


def extract_article(article: Mapping, nlp=None) -> list[dict]:
    """Event rows of one article row (``article_id``, ``body``, ``published``)."""
    nlp = nlp or load_model()
    aliases, cues, types = _tables()
    rows: list[dict] = []
    doc = nlp(article["body"])
    for sid, sent in enumerate(doc.sents):
        for tok in sent:
            etype = cues.get(tok.lemma_.lower()) if tok.pos_ == "VERB" else None
            if not etype:
                continue
            for subj in (c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")):
                party = aliases.get(subj.text.lower())
                if not party:
                    continue
                rows.append({
                    "article_id": article["article_id"], "sentence_id": sid,
                    "sentence": sent.text.strip(), "actor": party[0], "actor_name": party[1],
                    "group_alias": "", "event_type": etype, "role": types[etype]["role"],
                    "target": "", "topics": "", "event_date": article["published"],
                    "event_date_source": "published", "published": article["published"],
                    "weight": float(types[etype]["weight"]),
                    "rule": f"cue:{tok.lemma_}/subject", "claim_id": "",
                })
    return rows


def extract_events(articles: pd.DataFrame, nlp=None) -> pd.DataFrame:
    """Event table for every article, in article and sentence order."""
    rows: list[dict] = []
    for article in articles.to_dict("records"):
        rows.extend(extract_article(article, nlp))
    return pd.DataFrame(rows, columns=EVENT_COLUMNS)
