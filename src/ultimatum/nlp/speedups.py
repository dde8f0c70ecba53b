"""Faster equivalents of spaCy steps that run on every token: the matching
and annotation steps of ``attribute_ruler``, the rule lemmatizer and the sentencizer's
boundary search. Each gives
exactly the annotations of the original (``tests/test_speedups.py`` checks
them token by token); they only avoid creating a Python object per token.

The attribute ruler: en_core_web_sm maps fine-grained tags to POS and
morphology with 179 Matcher rules, almost all of one token. spaCy's Matcher
tries every rule at every token, which costs about as much as the parser
itself. Here every token test of a rule is decided once per distinct (lower
form, tag, dependency, is-space) combination and remembered; a rule using
anything else (operators, other attributes) still goes through a Matcher. The
matches are the ruler's own (same tuples, same order: later rules take
precedence), and each is written with the ruler's own ``set_token_attrs``
call on its token, without the Span the ruler makes per match.

The lemmatizer: spaCy's rule lemmatizer already remembers the lemma of each
(word, POS, morphology); here that lookup happens on arrays and the lemmas
are written back in one call, so only words not seen before reach it.

The sentencizer: the same scan for sentence-final punctuation, over arrays of
word ids instead of Token objects."""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from spacy.attrs import DEP, IS_PUNCT, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler, Lemmatizer, Sentencizer
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

#: Token attributes a one-token rule may test, in the order of the signature.
_ATTRS = ("LOWER", "TAG", "DEP", "IS_SPACE")
_ARRAY_ATTRS = [LOWER, TAG, DEP, IS_SPACE]
#: Distinct signatures remembered before the memory is cleared.
MAX_REMEMBERED = 200_000

Signature = tuple[str, str, str, bool]
Test = Callable[[Signature], bool]


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
            return lambda sig: bool(pattern.search(sig[position]))
    return None


def _token_test(token_pattern: dict) -> Test | None:
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


class IndexedMatch:
    """Drop-in for ``AttributeRuler.match``: the same sorted match tuples."""

    def __init__(self, ruler: AttributeRuler) -> None:
        strings = ruler.vocab.strings
        self._strings = strings
        #: (rule index, match id, pattern number, one test per token) of indexed patterns
        self._patterns: list[tuple[int, int, int, list[Test]]] = []
        self._matcher = Matcher(ruler.vocab)
        for i, rule in enumerate(ruler.patterns):
            patterns = rule["patterns"]
            tests = [[_token_test(token) for token in p] for p in patterns]
            if patterns and all(p and all(t is not None for t in p) for p in tests):
                match_id = strings.add(str(i))
                self._patterns.extend((i, match_id, n, p) for n, p in enumerate(tests))
            else:
                self._matcher.add(str(i), patterns)
        self._remembered: dict[tuple[int, ...], tuple[list, frozenset]] = {}

    def _tests_passed(self, key: tuple[int, ...]) -> tuple[list, frozenset]:
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


def _direct_set_annotations(self: AttributeRuler, doc: Doc,
                            matches: list[tuple[int, int, int, int]]) -> None:
    """``AttributeRuler.set_annotations`` without a Span per match: the same
    ``set_token_attrs`` calls, in the same order, on ``doc[i]`` directly."""
    indices, attrs = self.indices, self.attrs
    for rule, _, start, end in matches:
        index = indices[rule]
        at = start + index if index >= 0 else end + index
        if not start <= at < end:  # the ruler's own step raises its own error
            AttributeRuler.set_annotations(self, doc, matches)
            return
        set_token_attrs(doc[at], attrs[rule])


def index_attribute_ruler(nlp: Language, name: str = "attribute_ruler") -> bool:
    """Give the model's attribute ruler the indexed match step and the direct
    annotation step; False when the model has none."""
    if name not in nlp.pipe_names:
        return False
    ruler = nlp.get_pipe(name)
    if not isinstance(ruler, AttributeRuler):
        return False
    ruler.match = IndexedMatch(ruler)  # type: ignore[method-assign]
    ruler.set_annotations = _direct_set_annotations.__get__(ruler)  # type: ignore[method-assign]
    return True


def _array_predict(self: Sentencizer, docs: list[Doc]) -> list[list[bool]]:
    """``Sentencizer.predict`` on arrays (same guesses)."""
    punct: set[int] = getattr(self, "_punct_ids", set())
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


def array_sentencizer(sentencizer: Sentencizer) -> Sentencizer:
    """Give a sentencizer the array-based boundary search; returns it."""
    sentencizer.predict = _array_predict.__get__(sentencizer)  # type: ignore[method-assign]
    return sentencizer


class ArrayLemmatizer(Lemmatizer):
    """A rule ``Lemmatizer`` whose ``__call__`` looks lemmas up on arrays:
    the same lemmas. :func:`array_lemmatizer` mixes it into the model's own
    lemmatizer class (English has its own ``is_base_form``)."""

    _array_memo: dict[tuple[int, int, int], int]

    def __call__(self, doc: Doc) -> Doc:
        if not self._validated:
            self._validate_tables()
        if not len(doc):
            return doc
        strings = doc.vocab.strings
        remembered = self._array_memo
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = rows[:, 3].copy()
        changed = False
        for i, (orth, pos, morph, lemma) in enumerate(rows.tolist()):
            if self.overwrite or lemma == 0:
                key = (orth, pos, morph)
                value = remembered.get(key)
                if value is None:
                    if len(remembered) >= MAX_REMEMBERED:
                        remembered.clear()
                    value = remembered[key] = strings.add(self.lemmatize(doc[i])[0])
                lemmas[i] = value
                changed = True
        if changed:
            doc.from_array([LEMMA], lemmas.reshape(-1, 1))
        return doc


_ARRAY_CLASSES: dict[type, type] = {}


def array_lemmatizer(nlp: Language, name: str = "lemmatizer") -> bool:
    """Make the model's rule lemmatizer an :class:`ArrayLemmatizer` (keeping
    its language's own rules); False when it has none (or one in another mode)."""
    if name not in nlp.pipe_names:
        return False
    lemmatizer = nlp.get_pipe(name)
    if not isinstance(lemmatizer, Lemmatizer) or lemmatizer.mode != "rule":
        return False
    cls = type(lemmatizer)
    if not issubclass(cls, ArrayLemmatizer):
        array_cls = _ARRAY_CLASSES.get(cls)
        if array_cls is None:
            array_cls = _ARRAY_CLASSES[cls] = type(f"Array{cls.__name__}", (ArrayLemmatizer, cls), {})
        lemmatizer.__class__ = array_cls
    lemmatizer._array_memo = {}
    return True
