"""Distinct claims (codebook section 7)."""
from __future__ import annotations

import pandas as pd

from ultimatum.claims import CLAIM_COLUMNS, assign_claims, claims_table
from ultimatum.extract import EVENT_COLUMNS


def event(article, sid, date, sentence="NATO rejected the demands.", actor="NATO", etype="REJECT",
          target="RUS", topics="NATO_ENLARGEMENT"):
    row = dict.fromkeys(EVENT_COLUMNS, "")
    row.update(article_id=article, sentence_id=sid, sentence=sentence, actor=actor, actor_name=actor,
               event_type=etype, target=target, topics=topics, event_date=date)
    return row


def test_same_act_within_days_is_one_claim_and_later_act_another():
    events = pd.DataFrame([event("a", 0, "2022-01-12"), event("b", 3, "2022-01-13", "The alliance rejected them."),
                           event("c", 1, "2022-01-30", "NATO again rejected Moscow's demands.")])
    out = assign_claims(events)
    assert out["claim_id"].iloc[0] == out["claim_id"].iloc[1] != out["claim_id"].iloc[2]
    table = claims_table(out)
    assert list(table.columns) == CLAIM_COLUMNS
    first = table.iloc[0]
    assert (first["n_mentions"], first["n_articles"], first["articles"], first["first_date"]) == \
        (2, 2, "a;b", "2022-01-12")


def test_different_actor_type_or_target_are_different_claims():
    events = pd.DataFrame([event("a", 0, "2022-01-12"), event("a", 0, "2022-01-12", actor="USA"),
                           event("a", 1, "2022-01-12", etype="OFFER"), event("a", 2, "2022-01-12", target="")])
    assert assign_claims(events)["claim_id"].nunique() == 4


def test_syndicated_wording_joins_the_claim_despite_other_fields():
    text = "NATO firmly rejected Russia's demand that the alliance halt its expansion on Wednesday."
    events = pd.DataFrame([event("a", 0, "2022-01-12", text),
                           event("b", 5, "2022-01-20", text, topics="")])
    out = assign_claims(events)
    assert out["claim_id"].nunique() == 1


def test_copies_join_the_originals_claims_and_never_open_new_ones():
    original = event("orig", 0, "2022-01-12")
    copy = event("copy", 0, "2022-01-12", "NATO flatly rejected the demands.", topics="")
    lonely = event("copy", 1, "2022-01-12", "Ukraine accepted it.", actor="UKR", etype="ACCEPT")
    articles = pd.DataFrame({"article_id": ["orig", "copy"], "duplicate_of": ["", "orig"]})
    out = assign_claims(pd.DataFrame([copy, original, lonely]), articles=articles)
    ids = dict(zip(zip(out["article_id"], out["sentence_id"]), out["claim_id"]))
    assert ids[("copy", 0)] == ids[("orig", 0)]
    assert ids[("copy", 1)] == ""
    assert len(claims_table(out)) == 1


def test_claim_ids_are_stable_across_runs_and_row_order():
    rows = [event("a", 0, "2022-01-12"), event("b", 1, "2022-01-20", actor="RUS", etype="DEMAND")]
    one = assign_claims(pd.DataFrame(rows)).sort_values("article_id")["claim_id"].tolist()
    two = assign_claims(pd.DataFrame(rows[::-1])).sort_values("article_id")["claim_id"].tolist()
    assert one == two and all(c.startswith("C") for c in one)


def test_empty_events_give_empty_claims():
    out = assign_claims(pd.DataFrame(columns=EVENT_COLUMNS))
    assert out.empty and claims_table(out).empty
