"""Event cues (codebook section 3): the cue lexicon, the grammar word classes,
finding cues in a parsed sentence (the text filter before parsing is
:mod:`ultimatum.extract.prefilter`).

All vocabulary is data: ``lexicon/cues.csv`` (cue -> event type),
``lexicon/event_types.csv`` (role, PLOVER, CAMEO, weight) and
``lexicon/grammar.csv`` (speech verbs, hedges, force nouns ...)."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Token

from ultimatum.extract.registry import known_requirements
from ultimatum.lexicon import lexicon_path, numbered_rows
from ultimatum.schema import event_type_table

CUES_FILE = "cues.csv"


@dataclass(frozen=True)
class Cue:
    """One row of cues.csv, parsed."""
    text: str                 # the cue as written in the lexicon
    event_type: str
    negated_type: str
    requires: frozenset[str]
    words: tuple[str, ...]    # lemmas of a contiguous phrase (single word: one item)
    head: int                 # index of the head word in ``words``
    particle: str             # "rule +out": the dependent word required on the head


@dataclass(frozen=True)
class CueMatch:
    """A cue found in a sentence: the head token index and the phrase span."""
    cue: Cue
    head: int
    start: int
    end: int


class LexiconError(ValueError):
    """A lexicon row the extractor cannot use; the message names the file, line and problem."""


def _parse_cue(row: dict[str, str], where: str = "cues.csv") -> Cue:
    text = row["cue"].strip()
    etype = row["event_type"].strip()
    if etype not in event_type_table():
        raise LexiconError(f"{where}: cue {text!r} has unknown event type {etype!r}")
    particle = ""
    words: tuple[str, ...]
    if " +" in text:
        head_word, particle = text.split(" +", 1)
        words, head = (head_word.strip(),), 0
    else:
        parts = text.split()
        head = next((i for i, w in enumerate(parts) if w.startswith("*")), 0)
        words = tuple(w.lstrip("*") for w in parts)
    requires = frozenset(x.strip() for x in row.get("requires", "").split(";") if x.strip())
    unknown = sorted(requires - known_requirements())
    if unknown:
        raise LexiconError(f"{where}: cue {text!r} has unknown requirement {', '.join(map(repr, unknown))} "
                           f"(known: {', '.join(sorted(known_requirements()))})")
    return Cue(text, etype, row.get("negated_type", "").strip(), requires, words, head, particle.strip())


@lru_cache(maxsize=1)
def cue_index() -> tuple[dict[str, list[Cue]], dict[str, list[Cue]]]:
    """(single-word and particle cues by head lemma, phrase cues by first word)."""
    singles: dict[str, list[Cue]] = defaultdict(list)
    phrases: dict[str, list[Cue]] = defaultdict(list)
    for line, row in numbered_rows(CUES_FILE):
        cue = _parse_cue(row, f"{lexicon_path(CUES_FILE)}, line {line}")
        if len(cue.words) == 1:
            singles[cue.words[0]].append(cue)
        else:
            phrases[cue.words[0]].append(cue)
    for bucket in (singles, phrases):
        for cues in bucket.values():
            cues.sort(key=lambda c: (-len(c.words), not c.particle, -len(c.requires)))
    return dict(singles), dict(phrases)


def _lemma(tok: Token) -> str:
    return tok.lemma_.lower()


def find_cues(doc: Doc | Sequence[Token]) -> list[CueMatch]:
    """Every cue occurrence in a parsed sentence, a Doc or its tokens (before
    checking requirements; several candidate cues may share a head token)."""
    singles, phrases = cue_index()
    found: list[CueMatch] = []
    covered: set[int] = set()
    tokens = doc if isinstance(doc, list) else list(doc)
    lowers = [t.lower_ for t in tokens]
    lemmas = [_lemma(t) for t in tokens]
    n_doc = len(tokens)
    for i, (lower, lemma) in enumerate(zip(lowers, lemmas)):
        cues = phrases.get(lower, []) + (phrases.get(lemma, []) if lemma != lower else [])
        for cue in cues:
            n = len(cue.words)
            if i + n <= n_doc and all(lowers[i + k] == w or lemmas[i + k] == w for k, w in enumerate(cue.words)):
                found.append(CueMatch(cue, i + cue.head, i, i + n))
                covered.add(i + cue.head)
    for tok, lower, lemma in zip(tokens, lowers, lemmas):
        if tok.i in covered:
            continue
        cands = singles.get(lemma, [])
        if lower != lemma:
            cands = cands + singles.get(lower, [])
        for cue in cands:
            if cue.particle:
                # the particle follows the verb closely ("ruled out", "ruled it out", "called on")
                if not any(c.lower_ == cue.particle and 0 < c.i - tok.i <= (1 if c.dep_ == "prep" else 3)
                           for c in tok.children) and not any(
                        m.lower_ == cue.particle and m.dep_ == "mark" and m.i == tok.i + 1
                        for c in tok.children if c.dep_ in ("advcl", "ccomp") for m in c.children):
                    continue  # "pressed for the sanctions to be agreed": "for" marks the clause
            found.append(CueMatch(cue, tok.i, tok.i, tok.i + 1))
    return found
