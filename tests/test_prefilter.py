"""The pre-parse filter: whole inflected cue words and phrase cues in full,
derived from the lexicon at load time. That it never drops a sentence that
yields an event (rules and classifier) on any gold set is proven in
``tests/test_fastpath.py`` (``test_the_filter_never_drops_a_sentence_that_yields_an_event``),
against the extraction of every set that module makes anyway."""
from __future__ import annotations

import pytest

from ultimatum.extract import cues, prefilter
from ultimatum.extract.fastpath import extract_batch


@pytest.mark.parametrize("text", [
    "The central bank raised its key rate on Saturday.",
    "Gas prices rose as a warm winter began.",
    "The stationery shop was busy and the bankers were upbeat.",
    "The weather would stay mild over the weekend.",
])
def test_words_that_only_begin_like_a_cue_are_no_cue(text: str) -> None:
    assert not prefilter.candidate_sentence(text)


@pytest.mark.parametrize("text", [
    "NATO denied those claims.",                         # deny -> denied (y -> ied)
    "Moscow sought guarantees.",                         # an irregular past
    "We've got to have guarantees, he said.",            # 've: have
    "Washington ruled it out.",                          # particle within reach
    "The proposals are a non-starter.",                  # a phrase cue, split by the tokenizer
    "The allies said no to the demand.",                 # the phrase 'say no'
])
def test_inflected_cue_words_and_phrases_in_full_are_cues(text: str) -> None:
    assert prefilter.candidate_sentence(text)


def test_phrase_cues_count_only_in_full() -> None:
    words = prefilter.cue_words()
    assert "wish" not in words.single  # only in "wish list"
    assert prefilter.candidate_sentence("Moscow sent its wish list.")
    assert not prefilter.candidate_sentence("Her best wishes went to the team.")
    # a particle cue needs its particle among the three tokens after its head
    heads = sorted(set(words.particles) - words.single)
    assert "turned" in heads
    assert prefilter.candidate_sentence("Kyiv turned the offer down.")
    assert not prefilter.candidate_sentence("The team turned the match around in the second half, down the wing.")


def test_forms_come_from_the_lemmatizers_tables() -> None:
    assert {"denied", "denies", "denying", "deny"} <= prefilter.inflections("deny")
    assert {"sought", "seeks", "seeking"} <= prefilter.inflections("seek")
    assert "'ve" in prefilter.inflections("have")


def test_every_cue_of_the_lexicon_is_found_in_its_own_words() -> None:
    singles, phrases = cues.cue_index()
    for cue in [c for group in (*singles.values(), *phrases.values()) for c in group]:
        words = list(cue.words) + ([cue.particle] if cue.particle else [])
        assert prefilter.candidate_tokens(words), cue.text


def test_the_vocabulary_is_read_from_the_lexicon(monkeypatch) -> None:
    """A cue added to cues.csv is a cue word at the next load, with its forms."""
    rows = cues.numbered_rows(cues.CUES_FILE)
    added = rows + [(9999, {"cue": "embargo", "event_type": "THREATEN", "negated_type": "", "requires": ""})]
    monkeypatch.setattr(cues, "numbered_rows", lambda name: added)
    for cached in (cues.cue_index, prefilter.cue_words):
        cached.cache_clear()
    try:
        assert prefilter.candidate_sentence("Washington embargoed the shipments.")
    finally:
        monkeypatch.undo()
        for cached in (cues.cue_index, prefilter.cue_words):
            cached.cache_clear()
    assert not prefilter.candidate_sentence("Washington embargoed the shipments.")


def test_no_sentence_is_a_candidate_before_a_party_appears() -> None:
    """Every event has a party for actor, named in its sentence or reached
    through the article's earlier sentences: until one is, nothing is parsed."""
    from ultimatum.extract.events import article_units
    body = ("The city council welcomed the plan and opened the new station on Tuesday.\n\n"
            "Organisers said they expected a record crowd.\n\n"
            "Russia demanded guarantees.\n\n"
            "The council welcomed the plan.")
    units = article_units({"article_id": "a", "published": "2021-12-17", "body": body})
    assert [prefilter.candidate_sentence(u.text) for u in units] == [True, True, True, True]
    assert [u.candidate for u in units] == [False, False, True, True]
    off_topic = {"article_id": "b", "published": "2021-12-17", "body": body.split("\n\nRussia")[0]}
    assert extract_batch([off_topic]).parsed == 0
