"""Target resolution (codebook section 4) on sentences written for these tests:
who is asked, refused, offered to, warned, accused or massed against."""
from __future__ import annotations

import pytest

from ultimatum.extract.events import extract_article
from ultimatum.extract.targets import aggressor_of, target_words

#: These tests specify the rules; the classifier on top of them is tested in test_learn.py.
pytestmark = pytest.mark.usefixtures("rules_only")


def target_of(body: str, actor: str, event_type: str) -> str:
    rows = extract_article({"article_id": "t", "body": body, "published": "2022-01-19"})
    found = [r["target"] for r in rows if r["actor"] == actor and r["event_type"] == event_type]
    assert found, f"no {actor} {event_type} row in {rows!r}"
    return found[0]


@pytest.mark.parametrize("body, actor, event_type, target", [
    # DEMAND: the party asked
    ("The Kremlin pressed Washington to answer its proposals in writing.", "RUS", "DEMAND", "USA"),
    ("Lavrov insisted that the alliance withdraw its battalions from the Baltic states.", "RUS", "DEMAND", "NATO"),
    ("Moscow made new demands of the alliance on Tuesday.", "RUS", "DEMAND", "NATO"),
    ("Moscow called on the United States and its allies to halt drills near its borders.", "RUS", "DEMAND", "NATO;USA"),
    ("Kyiv requested additional air defence systems from Germany.", "UKR", "DEMAND", "OTHER"),
    # REJECT: the owner of the rejected demand or proposal
    ("Washington dismissed the Kremlin's call for a halt to enlargement.", "USA", "REJECT", "RUS"),
    ("The alliance turned down the Russian plan on Thursday.", "NATO", "REJECT", "RUS"),
    ("Germany rejected the demand for a Russian veto over future enlargement.", "OTHER", "REJECT", "RUS"),
    ("Moscow's latest request was rejected by the European Union on Friday.", "EU", "REJECT", "RUS"),
    ("Poland pressed for tougher sanctions, but Hungary rejected the idea.", "OTHER", "REJECT", "OTHER"),
    # OFFER: the party offered to or talked with
    ("Berlin offered Moscow a new round of talks on arms control.", "OTHER", "OFFER", "RUS"),
    ("The Pentagon said it was prepared to hold further consultations with Russia.", "USA", "OFFER", "RUS"),
    ("Paris proposed to address Russia's concerns about missile deployments.", "OTHER", "OFFER", "RUS"),
    # THREATEN: the party warned, or the subject of the condition
    ("Britain warned Moscow of crippling sanctions.", "OTHER", "THREATEN", "RUS"),
    ("The EU said Russia would face severe consequences if Moscow invaded.", "EU", "THREATEN", "RUS"),
    # ACCUSE: the accused
    ("Moscow accused Kyiv of provoking the conflict.", "RUS", "ACCUSE", "UKR"),
    # MOBILIZE: the party forces are massed against
    ("Russia massed thousands of troops near Ukraine in December.", "RUS", "MOBILIZE", "UKR"),
    ("Russia has moved tanks to its border with Ukraine.", "RUS", "MOBILIZE", "UKR"),
    # ACCEPT: whose proposal is accepted
    ("Kyiv welcomed a French proposal for new talks.", "UKR", "ACCEPT", "OTHER"),
])
def test_target_by_construction(body, actor, event_type, target):
    assert target_of(body, actor, event_type) == target


def test_the_actor_is_never_its_own_target():
    assert target_of("NATO urged its allies to increase defence spending.", "NATO", "DEMAND") == ""


@pytest.mark.parametrize("body, actor, event_type, target", [
    # Ukraine is where the weapons would go, Belarus where the troops arrive: neither is a
    # party asked, refused or massed against, so the sentence is silent and the article's
    # standing direction gives the target (codebook section 4, rule 2)
    ("Hungary refused to send weapons to Ukraine.", "OTHER", "REJECT", "RUS"),
    ("Russian troops began arriving in Belarus for exercises.", "RUS", "MOBILIZE", "UKR"),
])
def test_a_silent_sentence_takes_its_target_from_the_article(body, actor, event_type, target):
    rows = extract_article({"article_id": "t", "body": body, "published": "2022-01-19"})
    row = next(r for r in rows if r["actor"] == actor and r["event_type"] == event_type)
    assert row["target"] == target
    assert "target: article (standing direction)" in row["rule"]


def test_an_earlier_sentence_of_the_article_gives_the_target():
    body = ("Russia demanded that Washington rule out NATO enlargement. "
            "The Kremlin also insisted on written guarantees.")
    rows = extract_article({"article_id": "t", "body": body, "published": "2022-01-19"})
    later = [r for r in rows if r["sentence_id"] == 1 and r["actor"] == "RUS" and r["event_type"] == "DEMAND"]
    assert later and later[0]["target"] == "USA"
    assert "target: article (earlier in the article)" in later[0]["rule"]


def test_a_passive_subject_of_the_demanded_clause_is_not_the_party_asked():
    target = target_of("Russia demanded that Ukraine never be admitted to the alliance.", "RUS", "DEMAND")
    assert "UKR" not in target.split(";")


def test_word_classes_and_conventions_are_data():
    assert "border" in target_words("border") and "near" in target_words("near")
    assert aggressor_of("UKR") == "RUS" and aggressor_of("EU") == ""
    assert target_words("no such class") == frozenset()


def test_an_alleged_invasion_of_ukraine_targets_its_alleged_aggressor():
    from ultimatum.extract.events import extract_article
    rows = extract_article({"article_id": "t", "body": "Britain said Russia was planning to invade Ukraine.",
                            "published": "2022-01-12"})
    assert [(r["actor"], r["event_type"], r["target"]) for r in rows] == [("OTHER", "ACCUSE", "RUS")]
