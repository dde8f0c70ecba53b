"""Scoring against gold, and the extractor's accuracy on both gold sets."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from ultimatum.cli import main
from ultimatum.evaluate import evaluate_gold_sets, score, sentences_match

GOLD = pd.DataFrame([
    {"article_id": "a", "sentence": "Russia demanded that NATO rescind the pledge.", "actor": "RUS",
     "actor_name": "Russia", "event_type": "DEMAND", "target": "NATO", "topics": "NATO_ENLARGEMENT",
     "event_date": "2022-01-12"},
    {"article_id": "a", "sentence": "France and Germany rejected it.", "actor": "OTHER",
     "actor_name": "France", "event_type": "REJECT", "target": "", "topics": "", "event_date": "2022-01-12"},
    {"article_id": "a", "sentence": "France and Germany rejected it.", "actor": "OTHER",
     "actor_name": "Germany", "event_type": "REJECT", "target": "", "topics": "", "event_date": "2022-01-12"},
])


def test_perfect_prediction_scores_one():
    result = score(GOLD, GOLD.copy())
    assert (result["precision"], result["recall"], result["f1"]) == (1.0, 1.0, 1.0)
    assert result["target_exact"] == result["topic_jaccard"] == result["date_accuracy"] == 1.0


def test_sentences_align_despite_small_splitting_differences():
    assert sentences_match("Russia demanded that NATO rescind the pledge.",
                           "MOSCOW (Reuters) - Russia demanded that NATO rescind the pledge.") > 0
    assert sentences_match("Russia demanded guarantees.", "NATO rejected the plan.") == 0


def test_errors_are_counted_per_field():
    pred = GOLD.copy()
    pred.loc[0, "sentence"] = "MOSCOW - Russia demanded that NATO rescind the pledge."
    pred.loc[0, "target"] = "NATO;USA"
    pred.loc[0, "topics"] = "NATO_ENLARGEMENT;LEGAL_GUARANTEES"
    pred.loc[2, "actor_name"] = "Italy"  # wrong OTHER party
    result = score(GOLD, pred)
    assert (result["tp"], result["fp"], result["fn"]) == (2, 1, 1)
    assert result["target_exact"] == 0.5 and result["topic_jaccard"] == 0.75
    table = result["per_party"].set_index(["actor", "event_type"])
    assert table.loc[("OTHER", "REJECT"), "gold"] == 2 and table.loc[("RUS", "DEMAND"), "predicted"] == 1


def test_mentions_are_counted_per_article():
    gold = pd.concat([GOLD, GOLD.assign(article_id="b")], ignore_index=True)
    pred = pd.concat([GOLD.iloc[:2], GOLD.assign(article_id="b", event_type="ACCUSE")], ignore_index=True)
    result = score(gold, pred)
    assert result["by_article"] == {"a": (2, 0, 1), "b": (0, 3, 3)}
    assert sum(t for t, _, _ in result["by_article"].values()) == result["tp"]


def test_bootstrap_intervals_resample_articles():
    from ultimatum.evaluate.intervals import bootstrap_intervals, interval_columns
    uneven = {f"a{i}": (i % 5, 2, (3 * i) % 4) for i in range(40)}
    tp, fp, fn = (sum(c[k] for c in uneven.values()) for k in range(3))
    f1 = 2 * tp / (2 * tp + fp + fn)
    once = bootstrap_intervals(uneven)
    assert once == bootstrap_intervals(uneven) and list(once) == interval_columns()  # the same on every run
    assert once["f1_low"] < f1 < once["f1_high"] and once["recall_low"] < tp / (tp + fn) < once["recall_high"]
    more = bootstrap_intervals({f"{k}-{j}": v for k, v in uneven.items() for j in range(10)})
    assert more["f1_high"] - more["f1_low"] < (once["f1_high"] - once["f1_low"]) / 2  # ten times the articles
    alike = bootstrap_intervals({f"a{i}": (3, 1, 1) for i in range(10)})
    assert alike["f1_low"] == alike["f1_high"] == pytest.approx(0.75)  # articles alike: nothing to move
    assert all(v != v for v in bootstrap_intervals({"a": (3, 1, 1)}).values())  # one article: NaN


def test_evaluate_command_prints_the_scores(tmp_path):
    gold, events = tmp_path / "gold.csv", tmp_path / "events.csv"
    GOLD.to_csv(gold, index=False)
    GOLD.iloc[:2].to_csv(events, index=False)
    result = CliRunner().invoke(main, ["evaluate", "--gold", str(gold), "--events", str(events)])
    assert result.exit_code == 0, result.output
    assert "precision      1.000" in result.output and "recall         0.667" in result.output
    assert "per party" in result.output


def test_evaluate_command_refuses_events_of_other_articles(tmp_path):
    gold, events = tmp_path / "gold.csv", tmp_path / "events.csv"
    GOLD.to_csv(gold, index=False)
    GOLD.assign(article_id="another").to_csv(events, index=False)
    result = CliRunner().invoke(main, ["evaluate", "--gold", str(gold), "--events", str(events)])
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1
    assert f"{events}: no article in it is one of {gold}" in result.output
    GOLD.iloc[:0].to_csv(events, index=False)  # no events at all: scored, recall 0
    result = CliRunner().invoke(main, ["evaluate", "--gold", str(gold), "--events", str(events)])
    assert result.exit_code == 0 and "recall         0.000" in result.output, result.output


def test_evaluate_command_names_a_missing_file(tmp_path):
    result = CliRunner().invoke(main, ["evaluate", "--gold", str(tmp_path / "nope.csv"),
                                       "--events", str(tmp_path / "nope.csv")])
    assert result.exit_code != 0 and "nope.csv" in result.output


#: The sets whose accuracy floors are checked here. Every listed set is
#: extracted by ``tests/test_fastpath.py``, which also checks that
#: ``results.csv`` holds what its events score; it is not extracted again here.
FLOORED = ["seeds", "synthetic"]


@pytest.fixture(scope="module")
def measured(root) -> pd.DataFrame:
    return evaluate_gold_sets(root, names=[*FLOORED, "heldout"]).set_index("gold_set")


@pytest.mark.slow
@pytest.mark.parametrize("gold_set", FLOORED)
def test_extractor_accuracy_on_gold(measured, gold_set):
    row = measured.loc[gold_set]
    assert row["f1"] >= 0.85, f"{gold_set}: F1 {row['f1']:.3f} (P {row['precision']:.3f}, R {row['recall']:.3f})"
    assert row["target_exact"] >= 0.80, f"{gold_set}: target exact {row['target_exact']:.3f}"
    assert row["n_articles"] > 0 and row["gold_mentions"] == row["tp"] + row["fn"] > 50


def test_every_listed_gold_set_with_texts_is_scored(root, monkeypatch):
    """``evaluate_gold_sets`` measures every listed set whose texts are here,
    each with its own articles and gold (the measuring itself is checked
    above; here each set is scored against no events, which keeps the gold's
    count and costs no parse)."""
    from ultimatum.evaluate import sets
    from ultimatum.evaluate.sets import gold_set_info, texts_present

    def unparsed(info, nlp=None):
        gold = sets.read_gold(info["gold"])
        result = score(gold, pd.DataFrame())
        return {"n_articles": gold["article_id"].nunique(), "gold_mentions": result["tp"] + result["fn"],
                **{k: result[k] for k in ("precision", "recall", "f1", "tp", "fp", "fn",
                                          "target_exact", "topic_jaccard", "date_accuracy")},
                "party_count_error": 0.0}
    monkeypatch.setattr(sets, "measure_set", unparsed)
    measured = evaluate_gold_sets(root).set_index("gold_set")
    listing = gold_set_info(root)
    present = {name for name, info in listing.items() if texts_present(info["articles"])}
    assert sorted(measured.index) == sorted(present)
    assert {"seeds", "synthetic", "dev_wire", "heldout", "styles", "styles2", "styles3"} <= present
    assert set(measured["role"]) <= {"development", "test"}
    assert (measured["gold_mentions"] > 50).all() and (measured["recall"] == 0).all()
    assert (measured["n_articles"] > 0).all()


def test_a_set_without_its_texts_is_skipped_and_its_results_kept(tmp_path):
    from ultimatum.evaluate.sets import RESULT_COLUMNS, evaluate_gold_sets, merge_results
    gold_dir = tmp_path / "tests" / "gold"
    gold_dir.mkdir(parents=True)
    (gold_dir / "g.csv").write_text("article_id,sentence,actor,event_type\na,Russia demanded talks.,RUS,DEMAND\n")
    (gold_dir / "sets.csv").write_text("name,articles,gold,source,role,description\n"
                                       "absent,tests/gold/texts,tests/gold/g.csv,real,test,x\n")
    measured = evaluate_gold_sets(tmp_path)
    assert measured.empty and list(measured.columns) == RESULT_COLUMNS
    previous = pd.DataFrame([{c: 0 for c in RESULT_COLUMNS} | {"gold_set": "absent", "f1": 0.5}])
    merged = merge_results(previous, measured, ["absent"])
    assert merged["f1"].tolist() == [0.5]


@pytest.mark.slow
def test_unseen_articles_do_not_regress(measured):
    """The held-out set is not a tuning target; this floor only catches a
    change that breaks extraction on articles the rules were not refined on."""
    row = measured.loc["heldout"]
    assert row["f1"] >= 0.60, f"heldout: F1 {row['f1']:.3f}"
    assert row["date_accuracy"] >= 0.90, f"heldout: date accuracy {row['date_accuracy']:.3f}"


def test_other_parties_compare_by_party_not_spelling():
    gold = pd.DataFrame([{"article_id": "a", "sentence": "Britain urged Russia to pull back its troops.",
                          "actor": "OTHER", "actor_name": "United Kingdom", "event_type": "DEMAND",
                          "target": "RUS", "topics": "", "event_date": ""}])
    events = gold.assign(actor_name="Britain")
    assert score(gold, events)["f1"] == 1.0
    assert score(gold, events.assign(actor_name="France"))["f1"] == 0.0


def test_the_results_file_keeps_the_real_sets(root):
    """The real sets' rows stay in the results file even where their texts
    are absent (whether each row is current: ``tests/test_fastpath.py``)."""
    from ultimatum.evaluate.sets import RESULTS_FILE, read_results
    saved = read_results(root / RESULTS_FILE).set_index("gold_set")
    assert {"real_test", "real_dev", "seeds", "synthetic"} <= set(saved.index)
    assert (saved.loc[["real_test", "real_dev"], "n_articles"] > 20).all()


def test_errors_are_counted_by_kind():
    from ultimatum.evaluate.errors import ACTOR_WRONG, TARGET_WRONG, error_kinds, error_table
    pred = GOLD.copy()
    pred.loc[0, "target"] = "USA"  # matched, wrong target
    pred.loc[2, "actor_name"] = "Italy"  # the rejection given to another party
    extra = GOLD.iloc[[0]].assign(event_type="THREATEN")  # spurious
    kinds = error_kinds(score(GOLD, pd.concat([pred, extra], ignore_index=True)))
    assert kinds[TARGET_WRONG] == 1 and kinds[ACTOR_WRONG] == 1 and kinds["spurious THREATEN"] == 1
    assert kinds["missed REJECT"] == 0 and kinds["spurious REJECT"] == 0
    missed = error_kinds(score(GOLD, GOLD.iloc[[0]]))
    assert missed["missed REJECT"] == 2
    assert error_table(missed, kinds)[0] == ("missed REJECT", 2, 0)


def test_evaluate_prints_on_which_texts_each_set_was_scored(root, tmp_path: Path) -> None:
    """The table ``ultimatum evaluate`` prints, and the results file, say
    whether a set was scored on its texts as annotated or rebuilt ones."""
    results = tmp_path / "results.csv"
    out = CliRunner().invoke(main, ["evaluate", "--root", str(root), "--set", "synthetic", "--results", str(results)])
    assert out.exit_code == 0, out.output
    header, row = out.output.splitlines()[:2]
    assert header.split()[-1] == "texts" and row.split()[0] == "synthetic" and row.split()[-1] == "full"
    assert pd.read_csv(results).set_index("gold_set").loc["synthetic", "texts"] == "full"
