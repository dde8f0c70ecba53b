"""The event extractor on sentences written for these tests (codebook sections 1-6)."""
from __future__ import annotations

import datetime as dt

import pytest

from ultimatum.dates import event_date_mentions, infer_year, week_start, weekday_before
from ultimatum.extract import (EVENT_COLUMNS, article_units, candidate_sentence, extract_article,
                               extract_doc, extract_events, parser_model)

PUBLISHED = "2022-01-12"  # a Wednesday


def events(body: str, published: str = PUBLISHED) -> list[dict]:
    return extract_article({"article_id": "t", "body": body, "published": published})


def triples(body: str, published: str = PUBLISHED) -> set[tuple[str, str, str]]:
    return {(r["actor"], r["event_type"], r["target"]) for r in events(body, published)}


def test_subject_and_object_give_actor_and_target():
    assert triples("Moscow urged Washington to join a moratorium on deploying missiles in Europe.") == \
        {("RUS", "DEMAND", "USA")}


def test_that_clause_subject_is_the_target():
    assert ("RUS", "DEMAND", "NATO") in triples("Russia demanded that NATO rescind its promise to Georgia.")


def test_dative_is_the_target_of_an_offer():
    assert triples("NATO offered Russia a series of meetings on arms control.") == {("NATO", "OFFER", "RUS")}


def test_conjoined_subjects_give_one_row_each():
    rows = triples("Washington and Kyiv have categorically ruled out the proposal.")
    assert {(a, t) for a, t, _ in rows} == {("USA", "REJECT"), ("UKR", "REJECT")}


def test_passive_agent_and_group_alias():
    rows = events("The demand for a written guarantee has been rejected by the West.")
    assert {(r["actor"], r["event_type"], r["group_alias"]) for r in rows} == \
        {("USA", "REJECT", "the West"), ("NATO", "REJECT", "the West")}


def test_possessive_without_apostrophe_is_an_alias():
    rows = triples("Russias foreign ministry urged the alliance to halt its expansion.")
    assert rows == {("RUS", "DEMAND", "NATO")}


def test_quote_speaker_is_the_actor():
    rows = triples('"We are ready to sit down," Stoltenberg told reporters.')
    assert {(a, t) for a, t, _ in rows} == {("NATO", "OFFER")}


def test_quote_over_two_sentences_is_attributed_to_its_speaker():
    body = ('"The talks are useful. But we reject any limits on who may join the alliance," '
            "the Pentagon said on Tuesday.")
    rows = events(body)
    reject = [r for r in rows if r["event_type"] == "REJECT"]
    assert [r["actor"] for r in reject] == ["USA"]


def test_unattributed_quote_paragraph_continues_the_previous_speaker():
    body = ('"Every nation has the right to choose its own path," Stoltenberg told reporters.\n\n'
            '"We cannot accept that Moscow wants a sphere of influence."')
    rows = [r for r in events(body) if r["sentence_id"] == 1]
    assert ("NATO", "REJECT") in {(r["actor"], r["event_type"]) for r in rows}


def test_pronoun_subject_resolves_to_the_previous_speaker():
    body = ("Deputy Foreign Minister Sergei Ryabkov said the talks had been difficult.\n\n"
            "He then urged NATO to withdraw its forces from Romania.")
    assert ("RUS", "DEMAND", "NATO") in triples(body)


@pytest.mark.parametrize("sentence", [
    "Stoltenberg said Russia needed time to consider the offer, but did not reject it out of hand.",
    "Russia denies planning any attack on its neighbour.",
    "If they refuse, the situation will get worse.",
    "The United States and NATO hoped Russia would accept the proposals.",
    "In 2008, NATO offered Georgia a path to membership.",
    "Did Moscow reject the proposal?",
])
def test_negated_hypothetical_denied_and_background_acts_are_not_events(sentence):
    assert events(sentence) == []


def test_negated_concession_is_a_rejection():
    assert {(a, t) for a, t, _ in triples("Russia could not accept the proposals of the United States.")} == \
        {("RUS", "REJECT")}


def test_mobilisation_reported_in_an_accusation_is_kept():
    rows = {(a, t) for a, t, _ in triples("Kyiv accuses Russia of massing tens of thousands of troops on its border.")}
    assert rows == {("UKR", "ACCUSE"), ("RUS", "MOBILIZE")}


def test_journalists_are_never_actors():
    assert events("Reporters and experts urged the alliance to act quickly.") == []


def test_other_parties_keep_their_name():
    rows = events("France and Germany rejected the proposal on Monday.")
    assert {(r["actor"], r["actor_name"]) for r in rows} == {("OTHER", "France"), ("OTHER", "Germany")}


def test_relative_dates_resolve_against_publication():
    rows = events("Russia rejected the proposal on Monday.")
    assert rows[0]["event_date"] == "2022-01-10" and rows[0]["event_date_source"] == "relative"
    rows = events("NATO rejected the demands on 7 January.")
    assert rows[0]["event_date"] == "2022-01-07" and rows[0]["event_date_source"] == "explicit"
    rows = events("NATO rejected the demands.")
    assert rows[0]["event_date"] == PUBLISHED and rows[0]["event_date_source"] == "published"


def test_topics_and_rule_explain_the_row():
    row = events("Russia demanded legally binding security guarantees that NATO will not expand eastward.")[0]
    assert set(row["topics"].split(";")) >= {"LEGAL_GUARANTEES", "NATO_ENLARGEMENT"}
    assert "demand" in row["rule"] and "actor" in row["rule"]


def test_weights_and_roles_come_from_the_event_types_table():
    row = events("Moscow threatened Kyiv with military means.")[0]
    assert (row["event_type"], row["role"], row["weight"]) == ("THREATEN", "signal", -4.4)


def test_event_table_has_the_codebook_columns():
    table = extract_events(__import__("pandas").DataFrame(
        [{"article_id": "a", "body": "NATO rejected the demands.", "published": PUBLISHED}]))
    assert list(table.columns) == EVENT_COLUMNS and len(table) == 1


def test_per_sentence_parsing_gives_the_same_rows_as_the_article():
    body = ('Russia demanded that NATO rescind its promise. The weather was cold.\n\n'
            '"We are ready to sit down," Stoltenberg told reporters. "We hope Russia is too."')
    article = {"article_id": "t", "body": body, "published": PUBLISHED}
    units = article_units(article)
    assert not candidate_sentence("The weather was cold.")
    nlp = parser_model()
    rows = []
    for unit in reversed(units):  # any order, one sentence at a time
        rows = extract_doc(nlp(unit.text), unit) + rows
    assert sorted(map(str, rows)) == sorted(map(str, extract_article(article)))


def test_date_helpers():
    wed = dt.date(2022, 1, 12)
    assert weekday_before("Wednesday", wed) == wed
    assert weekday_before("Monday", wed) == dt.date(2022, 1, 10)
    assert weekday_before("Thursday", wed) == dt.date(2022, 1, 6)
    assert week_start(wed) == dt.date(2022, 1, 10) and week_start(wed, 1) == dt.date(2022, 1, 3)
    assert infer_year(12, 7, wed) == dt.date(2021, 12, 7)
    found = {m.text: m.date for m in event_date_mentions("the previous day and last week", wed)}
    assert found == {"the previous day": dt.date(2022, 1, 11), "last week": dt.date(2022, 1, 3)}
