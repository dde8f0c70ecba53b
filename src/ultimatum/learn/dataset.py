"""Training examples: every (sentence, candidate party) pair of a gold set's
articles, with its features, the event types the gold gives that party in
that sentence, and what a row for it would carry (the rules' row where they
fired, else a target from the sentence or the article)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ultimatum.evaluate.score import _actor_key, canonical_name, read_gold, sentences_match
from ultimatum.extract.events import article_units, parser_model, rule_rows
from ultimatum.ingest.reader import ingest
from ultimatum.learn.decide import model_target, sentence_date, veto
from ultimatum.learn.features import context_vector, hashed_pairs, sentence_vectors
from ultimatum.schema import EVENT_TYPES


@dataclass
class Example:
    """One (sentence, candidate party) pair."""
    article_id: str
    sentence: str
    actor_key: str
    actor: str
    actor_name: str
    group_alias: str
    row: dict[int, float]
    row_without_rules: dict[int, float]
    labels: set[str]
    rule_rows: dict[str, dict[str, Any]]
    fallback: dict[str, dict[str, str]] = field(default_factory=dict)
    #: what a row the rules did not give carries besides its target
    sentence_id: int = 0
    published: str = ""
    event_date: str = ""
    event_date_source: str = ""
    topics: str = ""
    #: why the classifier may add no row for this party here ('' when it may)
    veto: str = ""
    #: event types the rules refused in the sentence (no added row of these)
    refused: frozenset[str] = frozenset()
    #: the parser's token vectors read for this party (:func:`context_vector`)
    context: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32))


def actor_key(code: str, name: str) -> str:
    """The evaluator's key for a party (other parties by canonical name)."""
    return f"OTHER:{canonical_name(name)}" if code == "OTHER" else code


def build(folder: Path, gold_path: Path | None, nlp: Any = None) -> tuple[list[Example], pd.DataFrame]:
    """Examples of every candidate sentence of the articles in ``folder``, and
    the gold rows of those articles (empty without ``gold_path``)."""
    nlp = nlp or parser_model()
    articles = ingest(folder).articles
    gold = read_gold(gold_path) if gold_path else pd.DataFrame(columns=["article_id", "sentence"])
    gold = gold[gold["article_id"].isin(set(articles["article_id"]))]
    examples: list[Example] = []
    for article in articles.to_dict("records"):
        if article.get("duplicate_kind") == "exact":
            continue
        units = [u for u in article_units(article) if u.candidate]
        own_gold = gold[gold["article_id"] == article["article_id"]]
        gold_sents = list(own_gold["sentence"].unique())
        for unit, doc in zip(units, nlp.pipe(u.text for u in units)):
            sent, rules = rule_rows(doc, unit)
            if sent is None:
                continue
            scored = [(sentences_match(unit.text, g), g) for g in gold_sents]
            best = max(scored, default=(0.0, None))
            rows = own_gold[own_gold["sentence"] == best[1]] if best[0] > 0 else own_gold.iloc[0:0]
            labels_by_key: dict[str, set[str]] = {}
            for _, g in rows.iterrows():
                labels_by_key.setdefault(_actor_key(g), set()).add(g["event_type"])
            sentence_part = sentence_vectors(sent)
            for cand, with_rules, without in hashed_pairs(sent, rules):
                key = actor_key(cand.party.code, cand.party.name)
                fallback = {}
                for etype in EVENT_TYPES:
                    target, how = model_target(sent, cand, etype)
                    fallback[etype] = {"target": target, "how": how}
                date, source = sentence_date(sent)
                examples.append(Example(
                    article["article_id"], unit.text, key, cand.party.code, cand.party.name, cand.party.group_alias,
                    with_rules, without, labels_by_key.get(key, set()),
                    {r["event_type"]: r for r in rules if (r["actor"], r["actor_name"]) == cand.key},
                    fallback, unit.sentence_id, unit.published, date, source, sent.topics, veto(sent, cand),
                    frozenset(sent.refused), context_vector(sent, cand, sentence_part)))
    return examples, gold
