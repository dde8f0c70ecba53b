"""The registry of cue requirements: each name a cue may list in the
``requires`` column of ``lexicon/cues.csv`` is registered here, either as a
check on the parse (:func:`requirement`) or as a marker that a later step
reads (:func:`marker`). The lexicon refuses any other name when it is loaded."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ultimatum.extract.requirements import CueContext

Check = Callable[["CueContext"], bool]

#: Requirement name -> the check a cue's parse must pass.
CHECKS: dict[str, Check] = {}
#: Requirement name -> what the marker tells the steps that read it.
MARKERS: dict[str, str] = {}


def requirement(*names: str) -> Callable[[Check], Check]:
    """Register a check under one or more requirement names."""
    def register(check: Check) -> Check:
        for name in names:
            if name in CHECKS or name in MARKERS:
                raise ValueError(f"cue requirement {name!r} registered twice")
            CHECKS[name] = check
        return check
    return register


def marker(name: str, meaning: str) -> None:
    """Register a requirement name that checks nothing on the parse itself but
    is read by a later step (the choice of actor, negation)."""
    if name in CHECKS or name in MARKERS:
        raise ValueError(f"cue requirement {name!r} registered twice")
    MARKERS[name] = meaning


def known_requirements() -> frozenset[str]:
    """Every registered requirement name, checks and markers."""
    return frozenset(CHECKS) | frozenset(MARKERS)
