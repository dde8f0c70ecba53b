"""The faster equivalents in ``ultimatum.nlp.speedups`` (and the bulk model that
uses them) annotate every token exactly as spaCy's own components do, on the
articles of every gold set listed in tests/gold/sets.csv (the slow token by
token comparisons on the first articles of each)."""
from __future__ import annotations

import pytest
import spacy

from ultimatum.extract import events as extract
from ultimatum.extract.attribution import _paragraph_cells
from ultimatum.nlp.model import bulk_model, load_model, sentencizer
from ultimatum.nlp.speedups import ArrayLemmatizer, IndexedAttributeRuler, IndexedMatch, index_attribute_ruler

#: Contractions and informal spellings hit the ruler's multi-token rules.
ODD_LINES = [
    "Ain't gonna happen, y'all. I'd've said nothin' if he wasn't there.",
    "Gotta go. C'mon, let's see: there's no way, is there?",
    "NATO'S CHIEF SAID NO.  Russia's envoy -- \"we won't\" -- walked out...",
    "   ", "", "?!", "1 2 3", "Mr. Putin met Mr. Biden on Dec. 7 (by video).",
]


def _annotations(doc) -> list[tuple]:
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.is_sent_start)
            for t in doc]


@pytest.fixture(scope="module")
def texts(listed_gold_set) -> list[str]:
    """The texts of one gold set's article files, and the odd lines."""
    files = listed_gold_set.article_files()
    return [p.read_text(encoding="utf-8", errors="replace") for p in files] + ODD_LINES


#: Articles per set, spread over the set, whose every token the two slow
#: tests below compare. (``tests/test_fastpath.py`` checks the events of the
#: faster components on every set's candidate sentences, whole.)
ARTICLES_PER_SET = 20


@pytest.fixture(scope="module")
def sample(texts) -> list[str]:
    """Articles spread over one gold set, and the odd lines."""
    articles = texts[:-len(ODD_LINES)]
    return articles[::max(1, -(-len(articles) // ARTICLES_PER_SET))] + ODD_LINES


@pytest.mark.slow
def test_indexed_ruler_finds_the_rulers_own_matches(sample) -> None:
    nlp = load_model()
    ruler = nlp.get_pipe("attribute_ruler")
    indexed = IndexedMatch(ruler)
    with nlp.select_pipes(enable=["tok2vec", "tagger", "parser"]):
        docs = list(nlp.pipe(sample))
    total = 0
    for doc in docs:
        expected = ruler.match(doc)
        assert indexed(doc) == expected, doc.text[:60]
        total += len(expected)
    assert total > len(docs)  # the rules do fire


@pytest.mark.slow
def test_bulk_model_annotates_like_the_shipped_model(sample) -> None:
    keep = extract.REQUIRED_PIPES
    bulk = bulk_model(keep)
    assert isinstance(bulk.get_pipe("lemmatizer"), ArrayLemmatizer)
    assert isinstance(bulk.get_pipe("attribute_ruler"), IndexedAttributeRuler)
    assert set(bulk.pipe_names) == set(keep)
    shipped = load_model()
    sentences = [s.text for text in sample for s in sentencizer()(text).sents] + ODD_LINES
    with shipped.select_pipes(enable=list(keep)):
        expected = [_annotations(d) for d in shipped.pipe(sentences)]
    # twice: the second pass reads the lookups remembered by the first
    for _ in range(2):
        assert [_annotations(d) for d in bulk.pipe(sentences, batch_size=64)] == expected
    assert [_annotations(bulk(s)) for s in sentences[:50]] == expected[:50]


def test_array_sentencizer_splits_like_spacys(texts) -> None:
    plain = spacy.blank("en")
    plain.add_pipe("sentencizer")
    for text in texts:
        for piece in (text, text[:80], text.replace(".", "!!")):
            assert [s.text for s in sentencizer()(piece).sents] == [s.text for s in plain(piece).sents]


def test_faster_ruler_reports_a_target_outside_its_match_as_spacy_does() -> None:
    errors = []
    for faster in (False, True):
        nlp = spacy.blank("en")
        nlp.add_pipe("attribute_ruler").add([[{"ORTH": "a"}]], {"POS": "NOUN"}, index=2)
        if faster:
            assert index_attribute_ruler(nlp)
        with pytest.raises(ValueError, match="E1001") as raised:
            nlp("a b")
        errors.append(str(raised.value))
    assert errors[0] == errors[1]


def test_paragraph_cells_read_tokens_and_sentences_like_iterating_the_doc(texts) -> None:
    split = sentencizer()
    for text in texts:
        for paragraph in (p for p in text.split("\n") if p.strip()):
            doc = split(paragraph)
            cells, bounds = _paragraph_cells(doc, paragraph)
            assert cells == [(t.text, t.idx, t.is_space) for t in doc]
            assert bounds == [(s.start, s.end) for s in doc.sents]
