"""Extraction: event mentions from article texts (codebook sections 1-6).

Reading order: :mod:`~ultimatum.extract.attribution` splits an article into
sentence units; :mod:`~ultimatum.extract.cues` finds cues, checked by the
registered :mod:`~ultimatum.extract.requirements`; :mod:`~ultimatum.extract.events`
turns each surviving cue into rows, with actors (:mod:`~ultimatum.extract.actor_roles`),
targets (:mod:`~ultimatum.extract.targets`), topics and event dates;
:mod:`~ultimatum.extract.fastpath` runs it over many articles."""
from ultimatum.extract import phrasing_requirements as _phrasing  # noqa: F401  (registers more cue checks)
from ultimatum.extract import requirements as _requirements  # noqa: F401  (registers the cue checks)
from ultimatum.extract.events import (
    article_units,
    candidate_sentence,
    extract_article,
    extract_doc,
    extract_events,
    parser_model,
    usable_sentence,
)

__all__ = ["article_units", "candidate_sentence", "extract_article", "extract_doc", "extract_events",
           "parser_model", "usable_sentence"]
