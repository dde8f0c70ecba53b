"""From classifier scores to event rows: which (party, event type) pairs of a
sentence become rows, and what target and date a row the rules did not give
gets. Shared by training (to score a choice end to end) and extraction."""
from __future__ import annotations

from spacy.tokens import Token

from ultimatum.extract.actors import Party
from ultimatum.extract.context_targets import context_target
from ultimatum.extract.sentence import Sentence
from ultimatum.learn.features import Candidate

_OBJECT_DEPS = {"dobj", "pobj", "dative", "iobj"}


def sentence_target(sent: Sentence, cand: Candidate, event_type: str) -> tuple[str, str]:
    """(target codes, how) for a row the classifier adds: the other parties the
    sentence names as objects, else the article's context."""
    named: dict[tuple[str, str], Party] = {}
    for i, (_start, _end, alias) in sorted(sent.alias_at.items()):
        tok: Token = sent.tokens[i]
        if tok.dep_ in _OBJECT_DEPS or (tok.dep_ == "poss" and tok.head.dep_ in _OBJECT_DEPS):
            for p in getattr(alias, "parties", ()):
                if (p.code, p.name) != cand.key:
                    named.setdefault((p.code, p.name), p)
    codes = sorted({p.code for p in named.values()} - ({cand.party.code} if cand.party.code != "OTHER" else set()))
    if codes:
        return ";".join(codes), "sentence (object)"
    return context_target(cand.party, event_type, sent.unit.memory, sent.unit.sentence_id)
