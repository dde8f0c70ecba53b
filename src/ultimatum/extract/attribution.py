"""Sentences of an article and the small context each needs: who is speaking.

An article body is cut into paragraphs and sentences with a rule-based splitter
(no parser), and a text-only pass records, for every sentence, what its
extraction may need from outside it:

* ``quote_speaker``: the parties speaking the quoted words in the sentence,
  also when the attribution sits in a later sentence of the quote ("..." ...
  "...," Stoltenberg said) or in the paragraph introducing it (... said:),
  or when a quote paragraph continues an earlier speaker;
* ``he``/``it``: the parties of the most recent person / body that spoke, for
  pronoun subjects ("he said", "it said");
* ``reported_by``: the speaker of the sentence before, for a warning or
  rebuff that continues reported speech without naming its speaker again;
* ``names``: surnames the article has tied to a party ("Russian negotiator
  Ivan Petrov" ... "Petrov said");
* ``memory``: the demands and offers extracted from the article's earlier
  sentences and their subjects (shared by the article's units; extraction
  fills it in article order), for anaphoric demands ("The demands would also
  preclude ...") and a sentence-initial "it" ("It wants NATO to ...").

Everything here reads text only, so it is cheap and can run over every
sentence, while only candidate sentences are parsed."""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from spacy.attrs import IDX, IS_SPACE, LENGTH, SENT_START
from spacy.tokens import Doc

from ultimatum.extract.actors import Alias, Party, learn_names, match_aliases, parties_of
from ultimatum.extract.nominal import ArticleMemory
from ultimatum.extract.prefilter import candidate_sentence
from ultimatum.extract.wordclasses import word_class
from ultimatum.nlp.model import sentencizer

_OPEN = {"\u201c": 1, "\u00ab": 1, "\u201e": 1}
_CLOSE = {"\u201d": 1, "\u00bb": 1}
_PARAGRAPH = re.compile(r"\n\s*\n|\n")
#: Longest text split into sentences at once (spaCy refuses a text over its
#: ``max_length``, a million characters); a longer paragraph is cut into pieces.
MAX_PARAGRAPH_CHARS = 100_000
#: Longest sentence that can hold an event: a longer one is no prose (a
#: pasted image, a table, text without sentence ends) and is never parsed.
MAX_SENTENCE_CHARS = 10_000
_QUOTE_MARK = re.compile("[\"" + "".join(_OPEN) + "".join(_CLOSE) + "]")


@dataclass
class SentenceUnit:
    """One sentence of one article with the explicit context its extraction
    uses. Extraction reads only ``text`` (parsed) and these fields."""
    article_id: str
    sentence_id: int
    text: str
    published: str
    quote_spans: tuple[tuple[int, int], ...] = ()
    quote_speaker: tuple[Party, ...] = ()
    he: tuple[Party, ...] = ()
    it: tuple[Party, ...] = ()
    names: dict[str, Alias] = field(default_factory=dict)
    #: speaker of the sentence just before, when this one reports nobody's words itself
    reported_by: tuple[Party, ...] = ()
    #: parties the sentence just before names (an actor this one may leave unnamed)
    before: tuple[Party, ...] = ()
    #: demands and offers of the article's earlier sentences (shared by its units)
    memory: ArticleMemory = field(default_factory=ArticleMemory, repr=False, compare=False)
    #: may a party act here: one is named in this or an earlier sentence of the
    #: article, or speaks or is referred back to (``sentence_units`` sets it)
    party_seen: bool = True

    @cached_property
    def candidate(self) -> bool:
        """Can the sentence hold an event at all? Every event has a party for
        actor: named in the sentence, or reached through the article's earlier
        sentences (a speaker, "he", "it", an earlier demand), so without any
        party so far, none; else it holds a cue word
        (``prefilter.candidate_sentence``). Asked before parsing."""
        return self.party_seen and len(self.text) <= MAX_SENTENCE_CHARS and candidate_sentence(self.text)

    def in_quote(self, char: int) -> bool:
        """True when the character offset lies inside quoted words."""
        return _inside(char, self.quote_spans)


def _inside(char: int, spans: Sequence[tuple[int, int]]) -> bool:
    """Does the character offset lie in one of the (start, end) ranges?"""
    return any(a <= char < b for a, b in spans)


@lru_cache(maxsize=1)
def _speech_forms() -> frozenset[str]:
    """Inflected forms of the verbs of saying, lowercase."""
    forms = {"said", "says", "saying", "told", "tells", "telling", "wrote", "writes", "according"}
    for lemma in word_class("speech"):
        stem = lemma[:-1] if lemma.endswith("e") else lemma
        forms.update({lemma, lemma + "s", stem + "ed", stem + "ing", lemma + "d"})
        if lemma.endswith("y"):
            forms.update({lemma[:-1] + "ied", lemma[:-1] + "ies"})
    return frozenset(forms)


def _is_speech_word(word: str) -> bool:
    """Is the word a form of a verb of saying (any letter case)?"""
    return word.lower() in _speech_forms()


def _quote_spans(text: str, open_at_start: bool) -> tuple[list[tuple[int, int]], bool]:
    """Quoted character ranges of a sentence and whether a quote is still open
    at its end. Straight quotes toggle; curly and guillemet quotes open/close."""
    spans: list[tuple[int, int]] = []
    inside, start = open_at_start, 0
    for mark in _QUOTE_MARK.finditer(text):
        i, ch = mark.start(), mark.group()
        if ch == '"':
            if inside:
                spans.append((start, i + 1))
                inside = False
            else:
                inside, start = True, i
        elif ch in _OPEN and not inside:
            inside, start = True, i
        elif ch in _CLOSE and inside:
            spans.append((start, i + 1))
            inside = False
    if inside:
        spans.append((start, len(text)))
    return spans, inside


_BOUNDARY = {",", ":", ";", "\u2013", "\u2014", "-", "(", ")", '"', "\u201c", "\u201d"}
_PRONOUNS = {"he": "he", "she": "he", "it": "it"}
_FIRST_PERSON = {"we", "i", "our"}


def _narration_speaker(tokens: list[tuple[str, int]], quoted: set[int], names: dict[str, Alias],
                       he: tuple[Party, ...], it: tuple[Party, ...]) -> tuple[tuple[Party, ...], str]:
    """Speaker of a sentence's narration: parties named next to a verb of
    saying ("Stoltenberg said", "said US envoy Wendy Sherman", "Russia's envoy
    to the OSCE, Ivan Petrov, said"), or a resolved he/she/it.
    Returns (parties, kind: person/body/'')."""
    words = [t for t, _ in tokens]
    titles = word_class("title")

    def kind_of(window: list[str], spans: Sequence[tuple[int, int, Alias]]) -> str:
        if any(a.kind == "person" for _, _, a in spans):
            return "person"
        lowered = {w.lower() for w in window}
        if lowered & word_class("body_noun") and not lowered & word_class("person_title") and not any(
                w[:1].isupper() and k not in {j for a, b, _ in spans for j in range(a, b)}
                and w.lower() not in titles | word_class("body_noun") | {"the"} for k, w in enumerate(window)):
            return "body"  # "the foreign ministry in Moscow said" -> "it"
        covered = {k for a, b, _ in spans for k in range(a, b)}
        if any(w.lower() in titles or (w[:1].isupper() and k not in covered and w.lower() != "the")
               for k, w in enumerate(window)):
            return "person"
        return "body"

    for i, (word, offset) in enumerate(tokens):
        if offset in quoted or not _is_speech_word(word):
            continue
        near = [w.lower() for w in words[max(0, i - 1):i] + words[i + 1:i + 2]]
        if near and near[0] in ("he", "she") and he:
            return he, "person"
        if near and near[0] == "it" and it:
            return it, "body"
        if near and near[0] == "and":  # "Russia demanded ... and said": the sentence's subject
            first = match_aliases([w for w, o in tokens[:i] if o not in quoted], names)
            if first:
                alias = first[0][2]
                return tuple(parties_of([alias])), "person" if alias.kind == "person" else "body"
        end = i - 1 if i > 1 and words[i - 1] == "," and words[i - 2][:1].isupper() else i
        lo = end  # "Russia's envoy to the OSCE, Ivan Petrov, said": skip the comma closing the name
        while lo > 0 and words[lo - 1] not in _BOUNDARY and tokens[lo - 1][1] not in quoted and end - lo < 12:
            lo -= 1
        window = words[lo:end]
        spans = match_aliases(window, names)
        if not spans and window and lo > 1 and words[lo - 1] == "," and all(w[:1].isupper() or w == "." for w in window):
            # appositive name: "Russia's envoy to the OSCE, Ivan Petrov, said"
            lo2 = lo - 1
            while lo2 > 0 and words[lo2 - 1] not in _BOUNDARY and i - lo2 < 16:
                lo2 -= 1
            head = words[lo2:lo - 1]
            cut = next((k for k, w in enumerate(head) if w in ("to", "for", "with", "at", "on")), len(head))
            window = head[:cut] + window
            spans = match_aliases(window, names)
        if not spans and i + 1 < len(words) and (words[i + 1][:1].isupper() or words[i + 1].lower() in titles):
            hi = i + 1
            while hi < len(words) and words[hi] not in _BOUNDARY and tokens[hi][1] not in quoted and hi - i < 9:
                hi += 1
            window = words[i + 1:hi]
            spans = match_aliases(window, names)
        if spans:
            return tuple(parties_of(a for _, _, a in spans)), kind_of(window, spans)
        # "said the spokesperson", "the ministry said": the person or body named before
        before = words[max(0, i - 4):i]
        before = before[max((k for k, w in enumerate(before) if w.lower() == "the"), default=len(before)):]
        after = words[i + 1:i + 5]
        after = after[:next((k for k, w in enumerate(after) if w in _BOUNDARY), len(after))]
        for side in (before, after):
            nouns = {w.lower() for w in side[1:] if w[:1].isalpha()}
            if side and side[0].lower() == "the" and nouns and nouns <= titles | word_class("body_noun"):
                if nouns & word_class("person_title"):
                    if he:
                        return he, "person"
                elif it:
                    return it, "body"
    return (), ""


def _pieces(paragraph: str) -> list[str]:
    """The paragraph in pieces of at most :data:`MAX_PARAGRAPH_CHARS`, cut
    after a sentence end, else at a space, else anywhere: spaCy takes no text
    over a million characters, and so long a paragraph is no prose (a pasted
    image, a table). A paragraph of ordinary length is its one piece."""
    pieces = []
    while len(paragraph) > MAX_PARAGRAPH_CHARS:
        window = paragraph[:MAX_PARAGRAPH_CHARS]
        cut = max(window.rfind(". "), window.rfind("? "), window.rfind("! ")) + 2
        if cut < MAX_PARAGRAPH_CHARS // 2:
            cut = window.rfind(" ") + 1
        if cut < MAX_PARAGRAPH_CHARS // 2:
            cut = MAX_PARAGRAPH_CHARS
        pieces.append(paragraph[:cut])
        paragraph = paragraph[cut:]
    pieces.append(paragraph)
    return [p for p in pieces if p.strip()]


def _paragraph_cells(doc: Doc, paragraph: str) -> tuple[list[tuple[str, int, bool]], list[tuple[int, int]]]:
    """A split paragraph's tokens as (text, character offset, is space) and
    its sentences as token ranges, read from arrays: the same as iterating
    ``doc`` and ``doc.sents``, without making a Token or Span object each."""
    rows = doc.to_array([IDX, LENGTH, IS_SPACE, SENT_START]).tolist()
    cells = [(paragraph[idx:idx + length], idx, bool(space)) for idx, length, space, _ in rows]
    starts = [i for i, row in enumerate(rows) if i == 0 or row[3] == 1]
    return cells, list(zip(starts, starts[1:] + [len(rows)]))


def sentence_count(units: Sequence[SentenceUnit]) -> int:
    """How many of an article's sentences hold a letter (``n_sentences``)."""
    return sum(1 for unit in units if any(ch.isalpha() for ch in unit.text))


def sentence_units(article: Mapping) -> list[SentenceUnit]:
    """The sentences of one article (``article_id``, ``body``, ``published``)
    with their context, in order; ``sentence_id`` counts from 0."""
    body = str(article.get("body") or "")
    article_id = str(article["article_id"])
    published = str(article.get("published") or "")
    titles = word_class("title")
    names: dict[str, Alias] = {}
    he: tuple[Party, ...] = ()
    it: tuple[Party, ...] = ()
    units: list[SentenceUnit] = []
    own: list[tuple[Party, ...]] = []
    para_of: list[int] = []
    open_end: list[bool] = []
    named: list[bool] = []  # a party named in the sentence (as extraction matches aliases)
    named_last: tuple[Party, ...] = ()  # the parties the sentence before names
    split = sentencizer()
    memory = ArticleMemory()
    paragraphs = ((k, piece) for k, p in enumerate(p for p in _PARAGRAPH.split(body) if p.strip())
                  for piece in _pieces(p))
    still_open, last_index = False, -1
    for p_index, paragraph in paragraphs:
        if p_index != last_index:
            still_open, last_index = False, p_index
        cells, bounds = _paragraph_cells(split(paragraph), paragraph)
        for start, end in bounds:
            here = cells[start:end]
            raw = paragraph[here[0][1]:here[-1][1] + len(here[-1][0])]
            text = raw.strip()
            if not text:
                continue
            base = here[0][1] + len(raw) - len(raw.lstrip())
            spans, still_open = _quote_spans(text, still_open)
            quoted = {idx - base for _, idx, _ in here if _inside(idx - base, spans)} if spans else set()
            tokens = [(word, idx - base) for word, idx, space in here if not space]
            words = [t for t, _ in tokens]
            names.update(learn_names(words, titles, names))
            speaker, kind = _narration_speaker(tokens, quoted, names, he, it)
            if not speaker and text.rstrip().endswith(":"):
                first = match_aliases([t for t, o in tokens if o not in quoted], names)
                if words and words[0].lower() in ("he", "she") and he:
                    speaker = he  # "He listed things Russia should do:"
                elif first:
                    speaker = tuple(parties_of([first[0][2]]))
            if not spans and not speaker and words and words[0].lower() in _FIRST_PERSON and own and own[-1]:
                # a quotation without quote marks, continuing the previous speaker
                spans = [(0, len(text))]
            unit = SentenceUnit(article_id, len(units), text, published, tuple(spans),
                                he=he, it=it, names=dict(names), memory=memory)
            matched = match_aliases(words, names)
            named.append(bool(matched))
            unit.before, named_last = named_last, tuple(parties_of(a for _, _, a in matched))
            units.append(unit)
            own.append(speaker)
            para_of.append(p_index)
            open_end.append(still_open)
            if speaker:
                if kind == "person":
                    he = speaker
                elif kind == "body":
                    it = speaker
            else:  # "he" also refers back to a person named without speaking
                person = next((a for _, _, a in match_aliases(
                    [t for t, o in tokens if o not in quoted], names) if a.kind == "person"), None)
                if person is not None:
                    he = tuple(parties_of([person]))
            unit.quote_speaker = speaker  # provisional; resolved below
    # attribute quotes: own narration, else a later sentence of the same quote
    # in the paragraph, else the speaker before (intro with ':' or continuation)
    previous: tuple[Party, ...] = ()
    for i, unit in enumerate(units):
        if unit.quote_spans and not own[i]:
            speaker = ()
            j = i + 1
            while j < len(units) and para_of[j] == para_of[i] and not speaker:
                speaker = own[j]
                j += 1
            unit.quote_speaker = speaker or previous
        elif not unit.quote_spans:
            unit.quote_speaker = own[i]
        if i and not unit.quote_spans and not own[i] and para_of[i] - para_of[i - 1] <= 1:
            unit.reported_by = units[i - 1].quote_speaker or own[i - 1]
        if own[i]:
            previous = own[i]
        elif unit.quote_spans and unit.quote_speaker:
            previous = unit.quote_speaker
    seen = False
    for unit, name in zip(units, named):
        seen = seen or name or bool(unit.he or unit.it or unit.quote_speaker or unit.reported_by)
        unit.party_seen = seen
    return units
