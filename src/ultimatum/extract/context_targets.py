"""Targets from the article's context (codebook section 4, rule 2).

When a sentence names no target, the article usually makes it plain: the
party the same actor aimed the same kind of act at earlier in the article
("Russia handed the drafts to the US ... The drafts also demand ..."), or
else the crisis's standing direction for that actor and act, kept as data
in ``lexicon/context_targets.csv`` (Russia's demands go to the US and NATO,
a Western warning targets Russia, troops massed near Ukraine target Ukraine).
``rule`` says which of the two gave the target."""
from __future__ import annotations

from functools import lru_cache

from ultimatum.extract.actors import Party
from ultimatum.extract.nominal import ArticleMemory
from ultimatum.lexicon import lexicon_path, numbered_rows
from ultimatum.schema import EVENT_TYPES, PARTY_CODES

CONTEXT_FILE = "context_targets.csv"


@lru_cache(maxsize=1)
def default_targets() -> dict[tuple[str, str], tuple[str, ...]]:
    """(actor key, event type) -> target codes; the actor key is a party code
    or ``OTHER:<name>``."""
    table: dict[tuple[str, str], tuple[str, ...]] = {}
    for line, row in numbered_rows(CONTEXT_FILE):
        actors = [a.strip() for a in row["actor"].split(";") if a.strip()]
        types = [t.strip() for t in row["event_type"].split(";") if t.strip()]
        codes = tuple(c for c in row["target"].split(";") if c)
        where = f"{lexicon_path(CONTEXT_FILE)}, line {line}"
        bad = [a for a in actors if a.split(":", 1)[0] not in PARTY_CODES] + \
            [t for t in types if t not in EVENT_TYPES] + [c for c in codes if c not in PARTY_CODES]
        if bad or not codes:
            raise ValueError(f"{where}: unknown party or event type {', '.join(map(repr, bad))}")
        for actor in actors:
            for etype in types:
                table[(actor, etype)] = codes
    return table


def standing_target(party: Party, event_type: str) -> tuple[str, ...]:
    """The table's target for this actor and act (a row for the named other
    state wins over the one for its code)."""
    table = default_targets()
    for key in ((f"{party.code}:{party.name}", event_type), (party.code, event_type)):
        if key in table:
            return table[key]
    return ()


def context_target(party: Party, event_type: str, memory: ArticleMemory, sentence_id: int) -> tuple[str, str]:
    """(target codes joined by ';', how) for an act whose sentence names no
    target: the article's earlier target for the same actor and act, else the
    standing one; never the actor itself."""
    earlier = memory.latest_target(sentence_id, party, event_type)
    how = "article (earlier in the article)"
    if not earlier:
        earlier, how = standing_target(party, event_type), "article (standing direction)"
    codes = sorted(set(earlier) - {party.code} if party.code != "OTHER" else set(earlier))
    return (";".join(codes), how) if codes else ("", "")
