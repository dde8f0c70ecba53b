"""The pre-parse filter: can a sentence hold an event at all? Asked of raw
text, before parsing, so that only such sentences are parsed.

Extraction reads a sentence (rules and classifier) only when its parse holds
a cue (:func:`reads_sentence`): a lexicon cue found on a token's lemma or
lowercase form, or a word of the nominal vocabulary. This filter is a
superset of that test, derived at load time from the same data, never a hand-kept list:

* every word of ``lexicon/cues.csv`` and ``lexicon/nominal.csv`` in each
  inflected form whose lemma the model's rule lemmatizer can give as that word
  (its suffix rules and exception tables inverted, and the attribute ruler's
  lemmas), matched as a whole token of spaCy's English tokenizer;
* a phrase cue only in full: all its words, contiguous;
* a verb-and-particle cue ("rule +out") only with its particle among the
  three tokens after it, where the parse looks for it.

So "bank", "price", "warm" and "Saturday" are no cues, and a sentence that
this filter drops never yields an event: ``tests/test_fastpath.py`` checks
it against parsing every sentence on every gold set."""
from __future__ import annotations

import importlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import srsly
from spacy.lookups import Lookups
from spacy.parts_of_speech import IDS as UNIVERSAL_POS_IDS
from spacy.strings import StringStore
from spacy.tokens import Token

from ultimatum.extract.cues import CueMatch, cue_index
from ultimatum.extract.nominal import mention_nouns
from ultimatum.extract.nominal import words as nominal_words
from ultimatum.nlp.model import model_name, sentencizer


def model_data_dir() -> Path:
    """The folder of the installed model's data (config.cfg, lemmatizer/ ...)."""
    module = importlib.import_module(model_name())
    package = Path(str(module.__file__)).parent
    return next(p for p in sorted(package.iterdir()) if (p / "config.cfg").is_file())


@lru_cache(maxsize=1)
def _lemma_tables() -> tuple[dict[str, frozenset[tuple[str, str]]], dict[str, dict[str, set[str]]], dict[str, set[str]]]:
    """The rule lemmatizer's tables, by part of speech: its suffix rules
    (old, new), its exceptions inverted (lemma -> forms); and the forms the
    attribute ruler gives a lemma whatever the part of speech."""
    data = model_data_dir()
    lookups = Lookups().from_disk(data / "lemmatizer" / "lookups")
    strings = StringStore()
    names = {strings.add(pos.lower()): pos.lower() for pos in UNIVERSAL_POS_IDS if pos}

    def pos_name(key: str | int) -> str:
        return key if isinstance(key, str) else names.get(key, str(key))
    rules = {pos_name(pos): frozenset((old, new) for old, new in table)
             for pos, table in lookups.get_table("lemma_rules").items()}
    exceptions: dict[str, dict[str, set[str]]] = {}
    for pos, table in lookups.get_table("lemma_exc").items():
        inverted = exceptions.setdefault(pos_name(pos), {})
        for form, lemmas in table.items():
            for lemma in lemmas:
                inverted.setdefault(lemma.lower(), set()).add(form.lower())
    ruled: dict[str, set[str]] = {}
    patterns = data / "attribute_ruler" / "patterns"
    for entry in srsly.read_msgpack(patterns) if patterns.is_file() else []:
        lemma = str(entry.get("attrs", {}).get("LEMMA", "")).lower()
        for pattern in entry.get("patterns", []) if lemma else []:
            for spec in pattern:
                for key in ("LOWER", "ORTH", "TEXT", "NORM"):
                    value = spec.get(key)
                    values = value.get("IN", []) if isinstance(value, dict) else [value]
                    ruled.setdefault(lemma, set()).update(str(v).lower() for v in values if isinstance(v, str))
    return rules, exceptions, ruled


def inflections(lemma: str, pos: Iterable[str] | None = None) -> frozenset[str]:
    """Every lowercase word the model's lemmatizer may give ``lemma`` as the
    lemma of (the word itself included), for a word of a part of speech in
    ``pos`` (spaCy's ``VERB``, ``NOUN`` ...; None: any). A part of speech
    without tables (``AUX``, ``PROPN``) keeps the word as its lemma."""
    lemma = lemma.lower()
    rules, exceptions, ruled = _lemma_tables()
    out = {lemma} | ruled.get(lemma, set())
    for name in (rules.keys() | exceptions.keys()) if pos is None else {p.lower() for p in pos}:
        out |= exceptions.get(name, {}).get(lemma, set())
        for old, new in rules.get(name, ()):
            if lemma.endswith(new) and len(lemma) > len(new):
                out.add(lemma[:len(lemma) - len(new)] + old)
    return frozenset(out)


@dataclass(frozen=True)
class CueWords:
    """The filter's vocabulary: words that are a cue on their own, heads
    that need a particle after them, phrases by the forms of their first word."""
    single: frozenset[str]
    particles: dict[str, frozenset[str]]
    phrases: dict[str, tuple[tuple[frozenset[str], ...], ...]]


def _forms(words: Iterable[str]) -> set[str]:
    return {form for word in words for form in inflections(word)}


@lru_cache(maxsize=1)
def cue_words() -> CueWords:
    """The vocabulary of :func:`candidate_tokens`, from the lexicon files."""
    singles, phrases = cue_index()
    single = _forms(nominal_words() | mention_nouns())
    particles: dict[str, set[str]] = {}
    for cues in singles.values():
        for cue in cues:
            if not cue.particle:
                single |= inflections(cue.words[cue.head])
                continue
            for form in inflections(cue.words[cue.head]):
                particles.setdefault(form, set()).add(cue.particle.lower())
    by_first: dict[str, list[tuple[frozenset[str], ...]]] = {}
    for cues in phrases.values():
        for cue in cues:
            shape = tuple(inflections(w) for w in cue.words)
            for form in shape[0]:
                by_first.setdefault(form, []).append(shape)
    return CueWords(frozenset(single), {k: frozenset(v) for k, v in particles.items()},
                    {k: tuple(v) for k, v in by_first.items()})


#: How far after its head a particle may stand (``cues.find_cues`` reads it from the parse within this).
PARTICLE_REACH = 3


def candidate_tokens(lowers: Sequence[str]) -> bool:
    """Can a sentence of these lowercase tokens hold an event? (Some token
    is a cue word, a particle cue's head with its particle close after, or
    the first word of a phrase cue found in full.)"""
    words = cue_words()
    n = len(lowers)
    for i, low in enumerate(lowers):
        if low in words.single:
            return True
        wanted = words.particles.get(low)
        if wanted and any(x in wanted for x in lowers[i + 1:i + 1 + PARTICLE_REACH]):
            return True
        for shape in words.phrases.get(low, ()):
            if i + len(shape) <= n and all(lowers[i + k] in forms for k, forms in enumerate(shape)):
                return True
    return False


def candidate_sentence(text: str) -> bool:
    """Cheap test on raw text (tokenised, not parsed): can this sentence hold
    an event at all? A sentence for which it is False never yields one."""
    return candidate_tokens([t.lower_ for t in sentencizer().make_doc(text)])


def reads_sentence(tokens: Sequence[Token], cues: Sequence[CueMatch]) -> bool:
    """Does extraction read this parsed sentence? Yes when a lexicon cue was
    found in it (``cues``, before their requirements are checked), or a word
    of the nominal vocabulary stands in it. The classifier was trained on
    such sentences; fed every sentence, it also adds rows to sentences
    without any cue."""
    if cues:
        return True
    nominal = nominal_words() | mention_nouns()
    return any(t.lower_ in nominal or t.lemma_.lower() in nominal for t in tokens)
