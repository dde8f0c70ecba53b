"""The codes an export gives a party and an event, read from the data files
next to this module (each cites its sources): CAMEO and PLOVER actor codes
(``actors.csv``), PLOVER quad, mode and context of a category
(``plover.csv``) and of a topic (``topics.csv``), and GDELT's quad class of a
CAMEO root (``quad_classes.csv``). The event type's CAMEO code, Goldstein
value and PLOVER category are the lexicon's (``lexicon/event_types.csv``)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ultimatum.lexicon import read_rows
from ultimatum.schema import event_type_table

DATA_DIR = Path(__file__).parent


@dataclass(frozen=True)
class Entity:
    """A party as an export codes it: the codebook's code, a name, CAMEO and PLOVER codes."""
    party: str
    name: str
    cameo: str
    plover: str


@dataclass(frozen=True)
class EventCodes:
    """What an export says of an event type: its CAMEO code and the codes
    derived from it, its Goldstein value, and its PLOVER category's fields."""
    event_type: str
    cameo: str
    goldstein: float
    quad_class: int
    plover: str
    plover_quad: int
    mode: tuple[str, ...]
    context: tuple[str, ...]
    topic_mode: bool

    @property
    def root(self) -> str:
        """The CAMEO root: the code's first two digits."""
        return self.cameo[:2]

    @property
    def base(self) -> str:
        """GDELT's EventBaseCode: three digits of a four-digit code, else the code."""
        return self.cameo[:3]


def _split(cell: str) -> tuple[str, ...]:
    return tuple(v for v in cell.split(";") if v)


@lru_cache(maxsize=1)
def _actors() -> dict[tuple[str, str], tuple[str, str]]:
    return {(r["party"], r["name"]): (r["cameo"], r["plover"]) for r in read_rows("actors.csv", DATA_DIR)}


@lru_cache(maxsize=1)
def party_names() -> dict[str, str]:
    """The name of each single party code, as ``lexicon/parties.csv`` gives it (first alias)."""
    names: dict[str, str] = {}
    for row in read_rows("parties.csv"):
        if row["code"] != "OTHER" and ";" not in row["code"]:
            names.setdefault(row["code"], row["name"])
    return names


def entity(party: str, name: str = "") -> Entity:
    """``party`` (an actor named ``name``, or a target the tables do not name)
    with its codes; an OTHER party that ``actors.csv`` does not list gets none."""
    table = _actors()
    cameo, plover = table.get((party, ""), table.get((party, name), ("", "")))
    return Entity(party, name or party_names().get(party, ""), cameo, plover)


@lru_cache(maxsize=1)
def topic_codes() -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """Topic -> (PLOVER contexts, REQUEST/REJECT modes)."""
    return {r["topic"]: (_split(r["context"]), _split(r["mode"])) for r in read_rows("topics.csv", DATA_DIR)}


def _quad_class(root: str) -> int:
    for row in read_rows("quad_classes.csv", DATA_DIR):
        if int(row["root_from"]) <= int(root) <= int(row["root_to"]):
            return int(row["quad_class"])
    raise ValueError(f"CAMEO root {root!r} is not in quad_classes.csv")


@lru_cache(maxsize=1)
def event_codes() -> dict[str, EventCodes]:
    """Every event type's codes, by type."""
    plover = {r["plover"]: r for r in read_rows("plover.csv", DATA_DIR)}
    out = {}
    for event_type, row in event_type_table().items():
        category = plover[row["plover"]]
        out[event_type] = EventCodes(
            event_type=event_type, cameo=row["cameo"], goldstein=float(row["weight"]),
            quad_class=_quad_class(row["cameo"][:2]), plover=row["plover"],
            plover_quad=int(category["quad_code"]), mode=_split(category["mode"]),
            context=_split(category["context"]), topic_mode=category["topic_mode"] == "yes")
    return out


def _union(*groups: tuple[str, ...]) -> list[str]:
    return list(dict.fromkeys(v for group in groups for v in group))


def plover_mode_context(codes: EventCodes, topics: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """PLOVER modes and contexts of an event of ``codes`` about ``topics``:
    the category's, then those of its topics (modes only where the category
    takes them from topics), each once."""
    of_topics = [topic_codes()[t] for t in topics]
    modes = _union(codes.mode, *(m for _, m in of_topics)) if codes.topic_mode else list(codes.mode)
    return modes, _union(codes.context, *(c for c, _ in of_topics))
