"""Applying the event classifier to a parsed sentence at extraction time:
the rules' rows and the classifier's decisions become the sentence's rows,
each explained in ``rule`` (the cue and pattern, or the model and its score)."""
from __future__ import annotations

from typing import Any

from ultimatum.extract.sentence import Sentence
from ultimatum.learn.decide import model_target, sentence_date, veto
from ultimatum.learn.features import hashed, sentence_examples
from ultimatum.learn.model import EventModel
from ultimatum.schema import TOPIC_TYPES, event_type_table


def apply_model(sent: Sentence, rule_rows: list[dict[str, Any]], model: EventModel) -> list[dict[str, Any]]:
    """The sentence's rows: with a ``union`` model the rules' rows and the
    model's extra ones; with ``hybrid`` or ``model`` the model's decision on
    every candidate (a rule row it confirms is kept as the rules gave it).
    A rule row whose actor is no candidate of the model is always kept."""
    info = event_type_table()
    examples = sentence_examples(sent, rule_rows)
    keys = {cand.key for cand, _, _ in examples}
    out = [r for r in rule_rows if model.variant == "union" or (r["actor"], r["actor_name"]) not in keys]
    for cand, with_rules, without in examples:
        vetoed: str | None = None  # asked only when the model would add a row
        probs = model.probabilities(hashed(with_rules if model.uses_rules else without))
        for k, etype in enumerate(model.types):
            rule = next((r for r in rule_rows if (r["actor"], r["actor_name"]) == cand.key
                         and r["event_type"] == etype), None)
            chosen = probs[k] >= model.thresholds[k]
            if model.variant == "union" and rule is not None:
                continue  # kept above
            if not chosen:
                continue
            if rule is not None:
                out.append(rule)
                continue
            if etype in sent.refused:
                continue
            if vetoed is None:
                vetoed = veto(sent, cand)
            if vetoed:
                continue
            target, how = model_target(sent, cand, etype)
            date, source = sentence_date(sent)
            route = "+".join(sorted(cand.routes))
            out.append({
                "article_id": sent.unit.article_id, "sentence_id": sent.unit.sentence_id, "sentence": sent.unit.text,
                "actor": cand.party.code, "actor_name": cand.party.name, "group_alias": cand.party.group_alias,
                "event_type": etype, "role": info[etype]["role"], "target": target,
                "topics": sent.topics if etype in TOPIC_TYPES else "",
                "event_date": date, "event_date_source": source, "published": sent.unit.published,
                "weight": float(info[etype]["weight"]),
                "rule": (f"model {model.name} p={probs[k]:.2f} -> {etype}; actor: candidate ({route}); "
                         f"target: {how or 'none'}; date: {source}"),
                "claim_id": "",
            })
    return out
