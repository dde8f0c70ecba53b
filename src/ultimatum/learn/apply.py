"""Applying the event classifier to a parsed sentence at extraction time:
the rules' rows and the classifier's decisions become the sentence's rows,
each explained in ``rule`` (the cue and pattern, or the model and its score)."""
from __future__ import annotations

from typing import Any

import numpy as np

from ultimatum.extract.sentence import Sentence
from ultimatum.learn.decide import ADD, KEEP_RULE, added_row, chosen_types, keep, model_target, sentence_date, veto
from ultimatum.learn.features import context_vector, hashed_examples, sentence_vectors
from ultimatum.learn.model import EventModel


def apply_model(sent: Sentence, rule_rows: list[dict[str, Any]], model: EventModel) -> list[dict[str, Any]]:
    """The sentence's rows, each (party, event type) decided by :func:`keep`:
    the rules' row where it is kept, a row the classifier adds unless the
    parse vetoes it. A rule row whose actor is no candidate is always kept."""
    examples = hashed_examples(sent, rule_rows, model.uses_rules)
    keys = {cand.key for cand, _ in examples}
    by_type = {(r["actor"], r["actor_name"], r["event_type"]): r for r in rule_rows}
    out = [r for r in rule_rows if (r["actor"], r["actor_name"]) not in keys]
    unit = sent.unit
    sentence_part = sentence_vectors(sent) if model.uses_vectors and examples else None
    probabilities = np.array([
        model.probabilities(features, None if sentence_part is None else context_vector(sent, cand, sentence_part))
        for cand, features in examples]).reshape(
        len(examples), len(model.types))
    chosen = chosen_types(probabilities, model.thresholds, model.second)
    for (cand, _), probs, picked in zip(examples, probabilities, chosen, strict=True):
        vetoed: str | None = None  # asked only when the model would add a row
        for k, etype in enumerate(model.types):
            rule = by_type.get((*cand.key, etype))
            what = keep(model.variant, rule is not None, bool(picked[k]))
            if rule is not None and what == KEEP_RULE:
                out.append(rule)
                continue
            if what != ADD or etype in sent.refused:
                continue
            if vetoed is None:
                vetoed = veto(sent, cand)
            if vetoed:
                continue
            target, how = model_target(sent, cand, etype)
            date, source = sentence_date(sent)
            base = {"article_id": unit.article_id, "sentence_id": unit.sentence_id, "sentence": unit.text,
                    "actor": cand.party.code, "actor_name": cand.party.name,
                    "group_alias": cand.party.group_alias, "published": unit.published}
            out.append(added_row(base, etype, target, sent.topics, date, source,
                                 f"model {model.name} p={probs[k]:.2f} -> {etype}; actor: candidate "
                                 f"({'+'.join(sorted(cand.routes))}); target: {how or 'none'}; date: {source}"))
    return out
