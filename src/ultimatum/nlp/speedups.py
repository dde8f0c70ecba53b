"""Faster equivalents of spaCy components that run on every token: the
attribute ruler, the rule lemmatizer and the sentencizer. Each gives exactly
the annotations of the original (``tests/test_speedups.py`` checks them token
by token); they only avoid creating a Python object per token.

Each is a subclass of spaCy's own component, registered as a component
factory (``@Language.factory``), and goes into a pipeline the supported way:
``nlp.add_pipe(SENTENCIZER)``, or :func:`index_attribute_ruler` and
:func:`array_lemmatizer`, which call ``nlp.replace_pipe`` with the old
component's config and carry its data over through the public API (the
ruler's ``patterns`` into ``add_patterns``, the lemmatizer's ``lookups`` into
``initialize``).

The attribute ruler: en_core_web_sm maps fine-grained tags to POS and
morphology with 179 Matcher rules, almost all of one token. spaCy's Matcher
tries every rule at every token, which costs about as much as the parser
itself. Here every token test of a rule is decided once per distinct (lower
form, tag, dependency, is-space) combination and remembered; a rule using
anything else (operators, other attributes) still goes through a Matcher. The
matches are the ruler's own (same tuples, same order: later rules take
precedence), and the ruler's own ``set_annotations`` writes them.

The lemmatizer: spaCy's rule lemmatizer already remembers the lemma of each
(word, POS, morphology); here that lookup happens on arrays and the lemmas
are written back in one call, so only words not seen before reach it.

The sentencizer: the same scan for sentence-final punctuation, over arrays of
word ids instead of Token objects."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any, cast

from spacy.attrs import DEP, IS_PUNCT, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.lang.en.lemmatizer import EnglishLemmatizer
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler, Lemmatizer, Sentencizer
from spacy.pipeline.attributeruler import MatcherPatternType
from spacy.tokens import Doc
from thinc.api import Model
from thinc.types import Ints2d

#: Factory names of the components of this module.
ATTRIBUTE_RULER = "ultimatum_attribute_ruler"
LEMMATIZER = "ultimatum_lemmatizer"
ENGLISH_LEMMATIZER = "ultimatum_english_lemmatizer"
SENTENCIZER = "ultimatum_sentencizer"

#: Token attributes a one-token rule may test, in the order of the signature.
_ATTRS = ("LOWER", "TAG", "DEP", "IS_SPACE")
_ARRAY_ATTRS = [LOWER, TAG, DEP, IS_SPACE]
#: Distinct signatures remembered before the memory is cleared.
MAX_REMEMBERED = 200_000

Signature = tuple[str, str, str, bool]
Test = Callable[[Signature], bool]
#: A Matcher pattern: one dict of attribute tests per token.
TokenPatterns = list[dict[str, Any]]


def _value_test(position: int, spec: Any) -> Test | None:
    """A test of one attribute as the Matcher reads it, or None if ``spec``
    uses a feature this index does not handle."""
    if isinstance(spec, bool) or isinstance(spec, str):
        return lambda sig: sig[position] == spec
    if isinstance(spec, dict) and len(spec) == 1:
        (op, arg), = spec.items()
        if op == "IN" and isinstance(arg, list):
            allowed = frozenset(arg)
            return lambda sig: sig[position] in allowed
        if op == "NOT_IN" and isinstance(arg, list):
            refused = frozenset(arg)
            return lambda sig: sig[position] not in refused
        if op == "REGEX" and isinstance(arg, str) and position < 3:
            pattern = re.compile(arg)

            def search(sig: Signature) -> bool:
                value = sig[position]  # one of the text attributes
                return isinstance(value, str) and bool(pattern.search(value))
            return search
    return None


def _token_test(token_pattern: dict[str, Any]) -> Test | None:
    """One Matcher token pattern as a test of a signature (None: not indexable)."""
    tests = []
    for attr, spec in token_pattern.items():
        if attr not in _ATTRS:
            return None
        test = _value_test(_ATTRS.index(attr), spec)
        if test is None:
            return None
        tests.append(test)
    return lambda sig: all(t(sig) for t in tests)


def _pattern_tests(pattern: TokenPatterns) -> list[Test] | None:
    """One test per token of a Matcher pattern (None: empty or not indexable)."""
    tests = [_token_test(token) for token in pattern]
    indexed = [t for t in tests if t is not None]
    return indexed if pattern and len(indexed) == len(tests) else None


class IndexedMatch:
    """The match step of an ``AttributeRuler`` (``ruler.match(doc)``), indexed:
    the same sorted match tuples, for the rules the ruler has now."""

    def __init__(self, ruler: AttributeRuler) -> None:
        strings = ruler.vocab.strings
        self._strings = strings
        #: (rule index, match id, pattern number, one test per token) of indexed patterns
        self._patterns: list[tuple[int, int, int, list[Test]]] = []
        self._matcher = Matcher(ruler.vocab)
        for i, rule in enumerate(ruler.patterns):
            # spaCy types a rule as a dict of unions; "patterns" is always a list of patterns
            patterns = cast(list[TokenPatterns], rule["patterns"])
            tests = [_pattern_tests(p) for p in patterns]
            indexed = [t for t in tests if t is not None]
            if patterns and len(indexed) == len(patterns):
                match_id = strings.add(str(i))
                self._patterns.extend((i, match_id, n, p) for n, p in enumerate(indexed))
            else:
                self._matcher.add(str(i), patterns)
        self._remembered: dict[tuple[int, ...], tuple[list[tuple[int, int, int, int]], frozenset]] = {}

    def _tests_passed(self, key: tuple[int, ...]) -> tuple[list[tuple[int, int, int, int]], frozenset]:
        """For one token signature: the patterns that can start here (rule,
        match id, pattern number, length), and the (pattern, position) tests
        it passes after the first token."""
        lower, tag, dep, space = key
        sig = (self._strings[lower], self._strings[tag], self._strings[dep], bool(space))
        starts = [(i, match_id, n, len(tests)) for i, match_id, n, tests in self._patterns
                  if tests[0](sig)]
        later = frozenset((i, n, k) for i, _, n, tests in self._patterns
                          for k in range(1, len(tests)) if tests[k](sig))
        return starts, later

    def __call__(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        found: set[tuple[int, int, int, int]] = set()
        if len(doc):
            remembered = self._remembered
            info = []
            for row in doc.to_array(_ARRAY_ATTRS).tolist():
                key = tuple(row)
                passed = remembered.get(key)
                if passed is None:
                    if len(remembered) >= MAX_REMEMBERED:
                        remembered.clear()
                    passed = remembered[key] = self._tests_passed(key)
                info.append(passed)
            size = len(info)
            for j, (starts, _) in enumerate(info):
                for i, match_id, n, length in starts:
                    if length == 1 or (j + length <= size and all(
                            (i, n, k) in info[j + k][1] for k in range(1, length))):
                        found.add((i, match_id, j, j + length))
        if len(self._matcher):
            strings = self._strings
            found.update((int(strings[m]), m, s, e)
                         for m, s, e in self._matcher(doc, allow_missing=True, as_spans=False))
        return sorted(found)


class IndexedAttributeRuler(AttributeRuler):
    """An ``AttributeRuler`` whose match step is an :class:`IndexedMatch` (built
    on first use, and again after rules are added or cleared)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._index: IndexedMatch | None = None

    def add(self, patterns: Iterable[MatcherPatternType], attrs: dict, index: int = 0) -> None:
        super().add(patterns, attrs, index)
        self._index = None

    def clear(self) -> None:
        super().clear()
        self._index = None

    def match(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        if self._index is None:
            self._index = IndexedMatch(self)
        return self._index(doc)


@Language.factory(ATTRIBUTE_RULER,
                  default_config={"validate": False,
                                  "scorer": {"@scorers": "spacy.attribute_ruler_scorer.v1"}})
def make_indexed_attribute_ruler(nlp: Language, name: str, validate: bool,
                                 scorer: Callable | None) -> IndexedAttributeRuler:
    """An empty :class:`IndexedAttributeRuler` (the ``attribute_ruler`` factory's settings)."""
    return IndexedAttributeRuler(nlp.vocab, name, validate=validate, scorer=scorer)


def _settings(nlp: Language, name: str) -> dict[str, Any]:
    """The config of component ``name`` without its factory name."""
    return {key: value for key, value in nlp.config["components"][name].items() if key != "factory"}


def index_attribute_ruler(nlp: Language, name: str = "attribute_ruler") -> bool:
    """Replace the model's attribute ruler with an :class:`IndexedAttributeRuler`
    holding the same rules, in the same order; False when the model has none."""
    if name not in nlp.pipe_names:
        return False
    ruler = nlp.get_pipe(name)
    if isinstance(ruler, IndexedAttributeRuler):
        return True
    if not isinstance(ruler, AttributeRuler):
        return False
    indexed = nlp.replace_pipe(name, ATTRIBUTE_RULER, config=_settings(nlp, name))
    assert isinstance(indexed, IndexedAttributeRuler)
    indexed.add_patterns(ruler.patterns)
    return True


class ArraySentencizer(Sentencizer):
    """A ``Sentencizer`` whose ``predict`` scans arrays of word ids (same guesses)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._punct_ids: set[int] = set()

    def predict(self, docs: list[Doc]) -> list[list[bool]]:
        """``Sentencizer.predict`` on arrays (same guesses)."""
        punct = self._punct_ids
        if docs and not punct:
            strings = docs[0].vocab.strings
            punct = self._punct_ids = {strings.add(c) for c in self.punct_chars}
        guesses = []
        for doc in docs:
            n = len(doc)
            doc_guesses = [False] * n
            if n:
                start = 0
                seen_period = False
                doc_guesses[0] = True
                for i, (orth, is_punct) in enumerate(doc.to_array([ORTH, IS_PUNCT]).tolist()):
                    in_punct_chars = orth in punct
                    if seen_period and not is_punct and not in_punct_chars:
                        doc_guesses[start] = True
                        start = i
                        seen_period = False
                    elif in_punct_chars:
                        seen_period = True
                if start < n:
                    doc_guesses[start] = True
            guesses.append(doc_guesses)
        return guesses


@Language.factory(SENTENCIZER, assigns=["token.is_sent_start", "doc.sents"],
                  default_config={"punct_chars": None, "overwrite": False,
                                  "scorer": {"@scorers": "spacy.senter_scorer.v1"}},
                  default_score_weights={"sents_f": 1.0, "sents_p": 0.0, "sents_r": 0.0})
def make_array_sentencizer(nlp: Language,  # noqa: ARG001 (spaCy passes every factory nlp)
                           name: str, punct_chars: list[str] | None, overwrite: bool,
                           scorer: Callable | None) -> ArraySentencizer:
    """An :class:`ArraySentencizer` (the ``sentencizer`` factory's settings)."""
    return ArraySentencizer(name, punct_chars=punct_chars, overwrite=overwrite, scorer=scorer)


class ArrayLemmatizer(Lemmatizer):
    """A rule ``Lemmatizer`` whose ``__call__`` looks lemmas up on arrays:
    the same lemmas."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._array_memo: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc: Doc) -> Doc:
        if not self._validated:
            self._validate_tables()
        if not len(doc):
            return doc
        strings = doc.vocab.strings
        remembered = self._array_memo
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA])
        # thinc types a slice of an integer array as floats; this is the LEMMA column, uint64
        lemmas = cast(Ints2d, rows[:, 3:4].copy())
        changed = False
        for i, (orth, pos, morph, lemma) in enumerate(rows.tolist()):
            if self.overwrite or lemma == 0:
                key = (orth, pos, morph)
                value = remembered.get(key)
                if value is None:
                    if len(remembered) >= MAX_REMEMBERED:
                        remembered.clear()
                    value = remembered[key] = strings.add(self.lemmatize(doc[i])[0])
                lemmas[i, 0] = value
                changed = True
        if changed:
            doc.from_array([LEMMA], lemmas)
        return doc


class ArrayEnglishLemmatizer(ArrayLemmatizer, EnglishLemmatizer):
    """:class:`ArrayLemmatizer` with the English rules (``is_base_form``)."""


_LEMMATIZER_CONFIG = {"model": None, "mode": "rule", "overwrite": False,
                      "scorer": {"@scorers": "spacy.lemmatizer_scorer.v1"}}


@Language.factory(LEMMATIZER, assigns=["token.lemma"], default_config=_LEMMATIZER_CONFIG,
                  default_score_weights={"lemma_acc": 1.0})
def make_array_lemmatizer(nlp: Language, model: Model | None, name: str, mode: str, overwrite: bool,
                          scorer: Callable | None) -> ArrayLemmatizer:
    """An :class:`ArrayLemmatizer` without tables (``initialize`` gives them)."""
    return ArrayLemmatizer(nlp.vocab, model, name, mode=mode, overwrite=overwrite, scorer=scorer)


@Language.factory(ENGLISH_LEMMATIZER, assigns=["token.lemma"], default_config=_LEMMATIZER_CONFIG,
                  default_score_weights={"lemma_acc": 1.0})
def make_array_english_lemmatizer(nlp: Language, model: Model | None, name: str, mode: str,
                                  overwrite: bool, scorer: Callable | None) -> ArrayEnglishLemmatizer:
    """An :class:`ArrayEnglishLemmatizer` without tables (``initialize`` gives them)."""
    return ArrayEnglishLemmatizer(nlp.vocab, model, name, mode=mode, overwrite=overwrite, scorer=scorer)


#: The factory of the array version of each lemmatizer class that has one.
_ARRAY_LEMMATIZERS: dict[type[Lemmatizer], str] = {Lemmatizer: LEMMATIZER, EnglishLemmatizer: ENGLISH_LEMMATIZER}


def array_lemmatizer(nlp: Language, name: str = "lemmatizer") -> bool:
    """Replace the model's rule lemmatizer with the array version of its class
    (:class:`ArrayLemmatizer`, :class:`ArrayEnglishLemmatizer`), with the same
    settings and lookup tables; False when it has none (or one in another
    mode, or of a class without an array version)."""
    if name not in nlp.pipe_names:
        return False
    lemmatizer = nlp.get_pipe(name)
    if isinstance(lemmatizer, ArrayLemmatizer):
        return True
    if not isinstance(lemmatizer, Lemmatizer) or lemmatizer.mode != "rule":
        return False
    factory = _ARRAY_LEMMATIZERS.get(type(lemmatizer))
    if factory is None:
        return False
    array = nlp.replace_pipe(name, factory, config=_settings(nlp, name))
    assert isinstance(array, ArrayLemmatizer)
    array.initialize(lookups=lemmatizer.lookups)
    return True
