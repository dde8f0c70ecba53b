"""From classifier scores to event rows: which (party, event type) pairs of a
sentence become rows, and what target and date a row the rules did not give
gets. Shared by training (to score a choice end to end) and extraction."""
from __future__ import annotations

from ultimatum.extract.conditions import _hypothetical, _precrisis
from ultimatum.extract.context_targets import context_target
from ultimatum.extract.sentence import Sentence
from ultimatum.learn.features import Candidate


def model_target(sent: Sentence, cand: Candidate, event_type: str) -> tuple[str, str]:
    """(target codes, how) for a row the classifier adds: the article's context
    (codebook section 4, rule 2). Chosen by cross-validation on the real
    development set: the parties a sentence names as objects gave the
    codebook's target for 0.68 of such rows, the article's context for 0.79."""
    return context_target(cand.party, event_type, sent.unit.memory, sent.unit.sentence_id)


def sentence_date(sent: Sentence) -> tuple[str, str]:
    """The date a row the rules did not give takes: the sentence's first full
    date mention (not a bare year or month), else the publication date."""
    for mention, _ in sent.date_roots:
        if mention.date is not None and not mention.year_only and not mention.month_only \
                and mention.date >= sent.background_before:
            return mention.date.isoformat(), mention.source
    return sent.unit.published, "published"


def veto(sent: Sentence, cand: Candidate) -> str:
    """Why no row the classifier proposes for this party may stand ('' when
    none): the codebook's vetoes that the parse states and a classifier
    trained on a few thousand sentences does not learn reliably: a question,
    an act under a condition ("if Russia invades"), an act dated before the
    crisis ("in 2008 NATO promised"). Asked of the verb governing the party's
    mention. Negation and hedges are left to the classifier: "cannot
    satisfy us" and "would not escalate" are a rejection and a concession."""
    if sent.question_end is not None:
        return "question"
    anchors = [t.head for t in cand.tokens if t.head.i != t.i] or [t for t in sent.tokens if t.dep_ == "ROOT"][:1]
    for anchor in anchors:
        if _hypothetical(anchor, sent) == "conditional":
            return "conditional"
        if _precrisis(anchor, sent.date_roots, sent.background_before):
            return "pre-crisis"
    return ""
