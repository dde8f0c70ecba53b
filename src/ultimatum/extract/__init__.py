"""Extraction: event mentions from article texts (codebook sections 1-6).

Reading order: :mod:`~ultimatum.extract.attribution` splits an article into
sentence units; :mod:`~ultimatum.extract.cues` finds cues, checked by the
registered :mod:`~ultimatum.extract.requirements`; :mod:`~ultimatum.extract.events`
turns each surviving cue into rows, with actors (:mod:`~ultimatum.extract.actor_roles`),
targets (:mod:`~ultimatum.extract.targets`), topics and event dates;
:mod:`~ultimatum.extract.fastpath` runs it over many articles."""
from importlib import import_module
from typing import TYPE_CHECKING, Any

from ultimatum.extract import phrasing_requirements as _phrasing  # noqa: F401  (registers more cue checks)
from ultimatum.extract import requirements as _requirements  # noqa: F401  (registers the cue checks)

if TYPE_CHECKING:  # what the lazy names are, for type checkers
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


def __getattr__(name: str) -> Any:
    """The names of :mod:`~ultimatum.extract.events`, read from it when first
    asked for: ``events`` applies the classifier (:mod:`ultimatum.learn`),
    whose modules read this package's, so this package does not import
    ``events`` when it is imported."""
    if name in __all__:
        return getattr(import_module("ultimatum.extract.events"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
