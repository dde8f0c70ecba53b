"""Distinct claims (codebook section 7)."""
from __future__ import annotations

import random
import warnings
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ultimatum.claims import grouping as claims
from ultimatum.claims.codes import KEY_COLUMNS, ClaimEvents
from ultimatum.claims.grouping import assign_claims
from ultimatum.claims.summary import claims_table, key_fields, summarise, summary_frame
from ultimatum.claims.wording import SAME_WORDING, _similar, _wording
from ultimatum.schema import CLAIM_COLUMNS, EVENT_COLUMNS


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


# --- the grouping equals the plain scan it replaces --------------------------
#
# The reference below is the straightforward algorithm (each event scans every
# earlier event of its act): it is the specification that the indexed
# grouping in ``ultimatum.claims`` must reproduce exactly.

def _sized_similar(a: frozenset[str], b: frozenset[str]) -> bool:
    """``_similar``, after the bound every similar pair meets: the Jaccard
    of two sets is at most the ratio of their sizes, and the float ratios
    keep that order (the sizes are exact, division is correctly rounded)."""
    return bool(a) and bool(b) and min(len(a), len(b)) / max(len(a), len(b)) >= SAME_WORDING \
        and _similar(a, b)


def reference_assign_claims(events: pd.DataFrame, window_days: int = 3,
                            articles: pd.DataFrame | None = None) -> pd.DataFrame:
    events = events.copy()
    if events.empty:
        events["claim_id"] = pd.Series(dtype=str)
        return events
    duplicate_of = claims.duplicates_of(articles)
    with warnings.catch_warnings():  # as the grouping does: each date alone when no format fits all
        warnings.simplefilter("ignore", UserWarning)
        dates = pd.to_datetime(events["event_date"], errors="coerce")
    order = events.assign(_d=dates, _copy=events["article_id"].astype(str).isin(duplicate_of)) \
        .sort_values(["_copy", "_d", "article_id", "sentence_id", "actor", "event_type"], kind="stable")
    claim_of: dict = {}
    open_claims: dict[tuple, tuple] = {}
    by_act: dict[tuple, list] = {}
    for idx, row in zip(order.index, order.to_dict("records")):
        key = tuple(str(row[c]) for c in KEY_COLUMNS)
        act = key[:3]
        wording = _wording(row["sentence"])
        article = str(row["article_id"])
        if row["_copy"]:
            original = duplicate_of[article]
            same = [c for c in by_act.get(act, []) if c[1] == original]
            best = next((c for c in same if _sized_similar(c[0], wording)), None) or \
                next((c for c in same if c[3] == key), None) or (same[0] if same else None)
            if best is None:
                start = open_claims.get(key)
                best_id = start[1] if start else ""
            else:
                best_id = best[2]
            claim_of[idx] = best_id
            continue
        syndicated = next((c for c in by_act.get(act, [])
                           if c[1] != article and _sized_similar(c[0], wording)), None)
        if syndicated is not None:
            claim_of[idx] = syndicated[2]
            continue
        start = open_claims.get(key)
        date = row["_d"]
        if start is None or pd.isna(date) or pd.isna(start[0]) or (date - start[0]).days > window_days:
            start = (date, claims._claim_id(key, date, article, row["sentence_id"]))
            open_claims[key] = start
        claim_of[idx] = start[1]
        by_act.setdefault(act, []).append((wording, article, start[1], key))
    events["claim_id"] = pd.Series(claim_of)
    events["claim_id"] = events["claim_id"].fillna("")
    return events


def reference_claims_table(events: pd.DataFrame) -> pd.DataFrame:
    if events.empty:
        return pd.DataFrame(columns=CLAIM_COLUMNS)
    rows = []
    for cid, g in events[events["claim_id"].astype(str) != ""].groupby("claim_id", sort=True):
        first = g.sort_values(["event_date", "article_id", "sentence_id"]).iloc[0]
        rows.append({
            "claim_id": cid, "actor": first["actor"], "actor_name": first["actor_name"],
            "event_type": first["event_type"], "target": first["target"], "topics": first["topics"],
            "first_date": g["event_date"].min(), "last_date": g["event_date"].max(),
            "n_mentions": len(g), "n_articles": g["article_id"].nunique(),
            "articles": ";".join(sorted(g["article_id"].astype(str).unique())),
            "example_sentence": first["sentence"],
        })
    if not rows:
        return pd.DataFrame(columns=CLAIM_COLUMNS)
    return pd.DataFrame(rows, columns=CLAIM_COLUMNS).sort_values(["first_date", "claim_id"]) \
        .reset_index(drop=True)


def compact_claims_table(events: pd.DataFrame, articles: pd.DataFrame | None) -> tuple[list, pd.DataFrame]:
    """Claim ids and claims table the way the pipeline makes them: from
    events added one row at a time, without the event table."""
    compact = ClaimEvents()
    for row in events.to_dict("records"):
        compact.add_row(row)
    grouping = claims.group_claims(compact, claims.duplicates_of(articles))
    ids = [grouping.ids[c] if c >= 0 else "" for c in grouping.claim.tolist()]
    summary = summarise(compact, grouping)
    fields = key_fields(compact, summary.first_row)
    fields["example_sentence"] = events["sentence"].iloc[summary.first_row].tolist()
    table = summary_frame(summary, grouping.ids, fields) if len(summary.claim) \
        else pd.DataFrame(columns=CLAIM_COLUMNS)
    return ids, table


def assert_same_claims(events: pd.DataFrame, articles: pd.DataFrame | None = None) -> pd.DataFrame:
    expected = reference_assign_claims(events, articles=articles)
    got = assign_claims(events, articles=articles)
    pd.testing.assert_frame_equal(got, expected)
    expected_table = reference_claims_table(expected)
    pd.testing.assert_frame_equal(claims_table(got), expected_table)
    ids, table = compact_claims_table(events, articles)
    assert ids == expected["claim_id"].tolist()
    pd.testing.assert_frame_equal(table, expected_table)
    return expected


VOCABULARY = [f"w{k}" for k in range(60)]
BASES = [" ".join(VOCABULARY[k:k + n]) for k, n in
         [(0, 9), (5, 10), (10, 19), (12, 20), (30, 21), (2, 30), (40, 11), (0, 1)]]


@st.composite
def wordings(draw) -> str:
    """A base sentence, perhaps with a few words replaced, dropped, added,
    re-cased or punctuated: near-identical wordings on both sides of the
    similarity threshold (20 words with two added is exactly 0.9)."""
    if draw(st.integers(0, 12)) == 0:
        return draw(st.sampled_from(["", "...", "NATO", "— —"]))
    words = draw(st.sampled_from(BASES)).split()
    for _ in range(draw(st.integers(0, 3))):
        edit = draw(st.sampled_from(["replace", "drop", "add", "case"]))
        at = draw(st.integers(0, len(words) - 1)) if words else 0
        other = draw(st.sampled_from(VOCABULARY + ["x1", "x2", "x3"]))
        if edit == "replace" and words:
            words[at] = other
        elif edit == "drop" and len(words) > 1:
            del words[at]
        elif edit == "add":
            words.insert(at, other)
        elif words:
            words[at] = words[at].upper()
    return " ".join(words) + draw(st.sampled_from([".", "", "!", " (Reuters)."]))


ARTICLE_IDS = [f"a{k}" for k in range(6)]
DATES = ["2022-01-01", "2022-01-02", "2022-01-04", "2022-01-05", "2022-01-06", "2022-01-09",
         "2022-01-12", "", "sometime"]


@st.composite
def event_tables(draw) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Events in a few articles with shared and near-identical wordings, the
    same acts a few days apart (window edges), missing and unparseable
    dates, and some articles marked as syndicated copies of others."""
    rows = []
    for _ in range(draw(st.integers(0, 40))):
        actor = draw(st.sampled_from(["RUS", "NATO", "USA"]))
        rows.append(event(draw(st.sampled_from(ARTICLE_IDS)), draw(st.integers(0, 5)),
                          draw(st.sampled_from(DATES)), draw(wordings()), actor,
                          draw(st.sampled_from(["REJECT", "DEMAND"])),
                          draw(st.sampled_from(["", "RUS", "NATO;USA"])),
                          draw(st.sampled_from(["", "NATO_ENLARGEMENT", "A;B"]))))
        if draw(st.booleans()):
            rows[-1]["actor_name"] = actor.lower()
    copies = draw(st.dictionaries(st.sampled_from(ARTICLE_IDS), st.sampled_from(ARTICLE_IDS + ["zz"]),
                                  max_size=3))
    articles = pd.DataFrame({"article_id": ARTICLE_IDS,
                             "duplicate_of": [copies.get(a, "") for a in ARTICLE_IDS]})
    return pd.DataFrame(rows, columns=EVENT_COLUMNS), articles


@pytest.mark.slow
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(event_tables())
def test_indexed_grouping_equals_the_plain_scan(table) -> None:
    events, articles = table
    assert_same_claims(events, articles)
    assert_same_claims(events)


@pytest.mark.slow
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(wordings(), min_size=2, max_size=30), st.integers(0, 2**32 - 1))
def test_syndicated_wordings_join_the_first_similar_mention(sentences, seed) -> None:
    """One act, every sentence in its own article: only the wording decides."""
    rng = random.Random(seed)
    rows = [event(f"s{k:02d}", 0, rng.choice(DATES[:7]), text, topics=rng.choice(["", "A", "B"]))
            for k, text in enumerate(sentences)]
    assert_same_claims(pd.DataFrame(rows, columns=EVENT_COLUMNS))


def _gold_events(path: Path) -> pd.DataFrame:
    gold = pd.read_csv(path, dtype=str, keep_default_na=False)
    gold["sentence_id"] = gold.groupby("article_id")["sentence"].transform(
        lambda s: pd.factorize(s)[0])
    return gold.reindex(columns=EVENT_COLUMNS, fill_value="")


GOLD = sorted(Path(__file__).resolve().parent.glob("gold/**/*gold.csv"))


@pytest.mark.parametrize("path", GOLD, ids=[p.parent.name + "/" + p.name for p in GOLD])
def test_gold_events_group_as_the_plain_scan(path: Path) -> None:
    events = _gold_events(path)
    assert len(events) > 50
    assert_same_claims(events)
    ids = events["article_id"].unique()
    # the second article as a syndicated copy of the first, the third of an unknown one
    articles = pd.DataFrame({"article_id": ids[:3], "duplicate_of": ["", ids[0], "elsewhere"]})
    grouped = assert_same_claims(events, articles)
    copied = grouped["article_id"].isin(ids[1:3])
    assert set(grouped.loc[copied, "claim_id"]) - {""} <= set(grouped.loc[~copied, "claim_id"])


def test_all_gold_sets_together_as_one_corpus() -> None:
    events = pd.concat([_gold_events(p) for p in GOLD], ignore_index=True)
    # every sentence again in a second article a day later: a syndicated story
    again = events.assign(article_id=events["article_id"] + "_wire",
                          event_date=(pd.to_datetime(events["event_date"], errors="coerce")
                                      + pd.Timedelta(days=1)).dt.strftime("%Y-%m-%d").fillna(""))
    table = assert_same_claims(pd.concat([events, again], ignore_index=True))
    assert table["claim_id"].nunique() < len(events)
