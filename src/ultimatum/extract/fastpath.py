"""The fast extraction path: event rows for a batch of articles, parsing only
the sentences that can carry an event, with only the components extraction
reads (and an indexed attribute ruler, see :mod:`ultimatum.nlp.speedups`), in
one ``nlp.pipe`` stream across the batch's articles.

It follows the contract of :mod:`ultimatum.extract.events`: a sentence's events
depend only on its own parse and its :class:`~ultimatum.extract.attribution.SentenceUnit`
(context found from text alone), and a sentence failing the pre-parse
filter (:mod:`ultimatum.extract.prefilter`), or ``usable_sentence`` for its
text and token count (known before parsing), yields none. So the rows equal
those of parsing every sentence with the full model; ``tests/test_fastpath.py``
checks it on every gold set. ``fast=False`` is that unoptimised path."""
from __future__ import annotations

import json
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ultimatum.extract import events as extract
from ultimatum.extract.attribution import MAX_SENTENCE_CHARS, SentenceUnit, sentence_count
from ultimatum.nlp.model import bulk_model, load_model

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

#: Sentences per ``nlp.pipe`` batch. Parsed shortest first, sentences of
#: similar length share a batch (about a quarter less parsing time than
#: batches in text order); beyond a few hundred sentences the network's
#: activations no longer fit the CPU caches and ``tok2vec`` slows down
#: (batches of 128 took 4-6 % less worker time than batches of 400).
BATCH_SIZE = 128

_PARSE_LOCK = threading.Lock()  # one parse at a time per process (threaded Dask workers)


@dataclass
class BatchResult:
    """Event rows per article of one batch, each article's sentence count
    (``n_sentences``, from the units split here), and how much was parsed."""
    rows: list[list[dict]] = field(default_factory=list)
    counts: list[int] = field(default_factory=list)
    sentences: int = 0
    parsed: int = 0


def disabled_pipes(pipe_names: Sequence[str]) -> list[str]:
    """Components of the model that extraction does not read."""
    return [name for name in pipe_names if name not in extract.REQUIRED_PIPES]


def normalise_rows(rows: list[dict]) -> list[dict]:
    """Rows as plain JSON values, so fresh and cached rows are the same objects."""
    return json.loads(json.dumps(rows, default=_plain, ensure_ascii=False))


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"event value of type {type(value).__name__} is not serialisable")


def to_parse(nlp: Language, units: Sequence[Sequence[SentenceUnit]], fast: bool = True, prefilter: bool = True
             ) -> tuple[list[tuple[int, SentenceUnit]], list[Doc], list[int]]:
    """The sentences :func:`extract_batch` parses, as (article index, unit) in
    article and sentence order, their tokens, and the order they are parsed in.

    Tokenised once here: on the fast path a sentence the extractor would refuse
    for its tokens alone (over-long run-on text, capitals, another script) is
    not parsed. Parsed shortest first (each sentence is parsed on its own, so
    the order changes no parse); extraction reads them back in article order."""
    todo = [(k, unit) for k, article_units in enumerate(units) for unit in article_units
            if (not fast or not prefilter or unit.candidate) and len(unit.text) <= MAX_SENTENCE_CHARS]
    words = [nlp.make_doc(unit.text) for _, unit in todo]
    if fast:
        kept = [i for i, (_, unit) in enumerate(todo) if extract.usable_sentence(unit.text, len(words[i]))]
        todo, words = [todo[i] for i in kept], [words[i] for i in kept]
    return todo, words, sorted(range(len(todo)), key=lambda i: len(todo[i][1].text))


def extract_batch(articles: Sequence[Mapping], fast: bool = True, prefilter: bool = True) -> BatchResult:
    """Event rows of each article, in article and sentence order.

    ``fast`` parses only the sentences ``extract_doc`` may read (those the
    pre-parse filter keeps, and usable prose for their tokens) with the
    components in ``extract.REQUIRED_PIPES``; otherwise every sentence with
    the full model. ``prefilter=False`` parses every usable sentence with the
    fast model (what the filter must not change)."""
    nlp = bulk_model(extract.REQUIRED_PIPES) if fast else load_model()
    units = [extract.article_units(article) for article in articles]
    todo, words, order = to_parse(nlp, units, fast, prefilter)
    parsed: list = [None] * len(todo)
    with _PARSE_LOCK:
        docs = nlp.pipe((words[i] for i in order), batch_size=BATCH_SIZE)
        for i, doc in zip(order, docs):
            parsed[i] = doc
        rows: list[list[dict]] = [[] for _ in articles]
        for (k, unit), doc in zip(todo, parsed):
            rows[k].extend(extract.extract_doc(doc, unit))
    return BatchResult([normalise_rows(r) for r in rows], [sentence_count(u) for u in units],
                       sum(len(u) for u in units), len(todo))
