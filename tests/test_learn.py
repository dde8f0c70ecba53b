"""The event classifier shipped with the package: chosen by measurement,
small, deterministic, every row it adds explained, and held to the
codebook's vetoes the parse states."""
from __future__ import annotations

import json
import re
from dataclasses import replace

import numpy as np
import pytest

from ultimatum.extract.events import extract_article
from ultimatum.learn.features import N_FEATURES, hashed, to_matrix
from ultimatum.learn.model import MODEL_DIR, WEIGHTS_FILE, EventModel, read_model, shipped_model
from ultimatum.learn.train import F1_TIE, VARIANTS, choose
from ultimatum.schema import EVENT_TYPES

_MODEL_RULE = re.compile(r"^model (\S+) p=(\d\.\d\d) -> ([A-Z]+); actor: candidate \(([a-z +]+)\); target: (.+); date: ")


def _rows(body: str, published: str = "2022-01-19") -> list[dict]:
    return extract_article({"article_id": "t", "body": body, "published": published})


def _parsed(body: str) -> list[tuple[object, list[dict]]]:
    """(Sentence, the rules' rows) of each sentence of ``body`` the rules read."""
    from ultimatum.extract.events import article_units, parser_model, rule_rows
    nlp = parser_model()
    out = []
    for unit in article_units({"article_id": "t", "body": body, "published": "2022-01-19"}):
        sent, rows = rule_rows(nlp(unit.text), unit)
        if sent is not None:
            out.append((sent, rows))
    return out


def _context(model: EventModel) -> np.ndarray | None:
    """Token vectors for a model that reads them (a fixed draw), else None."""
    if not model.uses_vectors:
        return None
    assert model.context_weights is not None
    return np.random.default_rng(0).normal(size=model.context_weights.shape[1]).astype(np.float32)


_TWO_SENTENCES = ("Russia demanded that NATO pull back its forces, and Washington said it rejected the demand. "
                  "\"We will not allow it,\" Blinken told reporters, warning Moscow of severe sanctions.")


def test_the_shipped_model_is_the_one_cross_validation_chose() -> None:
    metrics = json.loads((MODEL_DIR / "metrics.json").read_text())
    best = {metrics["cross_validation"][v]["setting"]: metrics["cross_validation"][v] for v in VARIANTS}
    assert metrics["chosen"] == choose(best, list(best))  # the best F1, or within F1_TIE of it the closest counts
    top = max(m["f1"] for m in best.values())
    assert best[metrics["chosen"]]["f1"] >= top - F1_TIE
    model = shipped_model()
    assert model is not None and model.variant == metrics["model"]["variant"]
    assert model.types == tuple(EVENT_TYPES)
    assert np.allclose(model.thresholds, metrics["model"]["threshold"])
    assert model.second == metrics["model"]["second"]
    assert model.uses_vectors == (metrics["model"]["vectors"] > 0) and f" v={metrics['model']['vectors']} " in metrics["chosen"]
    if model.uses_vectors:  # read four ways from the installed parser's vectors
        from ultimatum.extract.events import parser_model
        assert model.context_weights is not None
        assert model.context_weights.shape == (len(EVENT_TYPES), 4 * parser_model()("Russia.").tensor.shape[1])
    assert metrics["chosen"].endswith(f"s={model.second}")
    assert (MODEL_DIR / WEIGHTS_FILE).stat().st_size < 50 * 2 ** 20


def test_saved_and_read_models_score_alike(tmp_path) -> None:
    model = shipped_model()
    assert model is not None
    model.save(tmp_path / "m.npz")
    again = read_model(tmp_path / "m.npz")
    row = hashed(["p=RUS", "subj_of=demand", "cue=DEMAND", "w=guarantee"])
    context = _context(model)
    assert np.allclose(model.probabilities(row, context), again.probabilities(row, context), atol=1e-6)
    assert again.uses_vectors == model.uses_vectors


def test_runtime_scores_equal_the_training_matrix() -> None:
    """The runtime normalises a feature row as the training matrix does."""
    model = shipped_model()
    assert model is not None
    rows = [hashed(["p=USA", "dep=nsubj", "h=warn", "w=warn", "w=warn", "cue=THREATEN"]), hashed(["p=RUS"]), {}]
    x = to_matrix(rows)
    context = _context(model)
    vectors = 0.0
    if context is not None:
        assert model.context_weights is not None and model.context_mean is not None and model.context_scale is not None
        vectors = model.context_weights @ ((context - model.context_mean) / model.context_scale)
    expected = 1.0 / (1.0 + np.exp(-(x @ model.weights.T + model.bias + vectors)))
    for row, want in zip(rows, expected):
        assert np.allclose(model.probabilities(row, context), want)
    assert all(0 <= j < N_FEATURES for j in hashed(["anything", "at all"]))


def test_every_row_the_model_adds_is_explained_and_deterministic() -> None:
    body = ("Russian tanks gathered at the border as Moscow pressed its case. "
            "Washington said the drafts contained non-starters, and Kyiv accused Moscow of stoking the war in the east.")
    first, second = _rows(body), _rows(body)
    assert first == second
    model = shipped_model()
    assert model is not None
    for row in first:
        m = _MODEL_RULE.match(row["rule"])
        if m is None:
            assert row["rule"].startswith("cue '")  # the rules' row, as the rules gave it
            continue
        k = model.types.index(m.group(3))
        assert m.group(1) == model.name and float(m.group(2)) >= model.thresholds[k] - 0.005
        assert m.group(3) == row["event_type"]


def test_rows_of_an_undated_article_carry_no_date_and_no_source(raw_dir) -> None:
    body = sorted(raw_dir.glob("*.txt"))[0].read_text(encoding="utf-8")
    rows = extract_article({"article_id": "t", "body": body, "published": ""})
    assert any(_MODEL_RULE.match(r["rule"]) for r in rows), "the classifier should add a row here"
    assert all(r["event_date_source"] == "" for r in rows if r["event_date"] == "")
    assert all(r["event_date_source"] in ("explicit", "relative") for r in rows if r["event_date"])


@pytest.mark.parametrize("body", [
    "In 2008, NATO offered Georgia a path to membership.",
    "Did Moscow reject the proposal?",
    "If Russia invades, Washington will impose sanctions on Russian banks and President Putin.",
])
def test_the_model_adds_nothing_the_parse_vetoes(body: str) -> None:
    assert not [r for r in _rows(body) if r["rule"].startswith("model ")]


def test_the_model_adds_no_act_the_rules_refused_in_the_sentence() -> None:
    """Negated acts are no events (codebook section 3), whoever reads them;
    hypothetical and pre-crisis ones are the vetoes' (the test above)."""
    assert _rows("Russia did not accept the offer but did not reject it either.") == []
    assert not [r for r in _rows("NATO has not deployed any new troops to the Baltic states.")
                if r["event_type"] == "MOBILIZE"]


@pytest.mark.parametrize(("body", "refused"), [
    ("Russia did not reject the proposal.", {"REJECT"}),
    ("NATO has not deployed any new troops to the Baltic states.", {"MOBILIZE"}),
    # a hypothetical or pre-crisis cue is one party's act set aside, not the type barred from the sentence
    ("The US tried to persuade Russia to pull back the troops it has massed at the border.", set()),
    ("Russia threatened Ukraine in 2014, and Kyiv now accuses Moscow of massing troops.", set()),
])
def test_only_a_negated_cue_bars_its_type_from_the_sentence(body: str, refused: set[str]) -> None:
    """Cross-validated on the real development set, barring the model from
    every type whose cue was set aside for any reason cost recall (F1 0.622
    against 0.629 when only negation bars it)."""
    (sent, _), = _parsed(body)
    assert sent.refused == refused


def test_among_settings_as_good_by_f1_the_closest_party_counts_win() -> None:
    from ultimatum.learn.train import choose
    table = {"hybrid t=0.4": {"f1": 0.579, "party_count_error": 0.18},
             "hybrid t=0.5": {"f1": 0.581, "party_count_error": 0.30},
             "hybrid t=0.6": {"f1": 0.560, "party_count_error": 0.05}}
    assert choose(table, list(table)) == "hybrid t=0.4"
    assert choose(table, ["hybrid t=0.5", "hybrid t=0.6"]) == "hybrid t=0.5"


@pytest.mark.parametrize("with_rules", [True, False])
def test_hashed_examples_are_the_whole_feature_list_hashed(with_rules: bool) -> None:
    """Hashing the sentence's features once and each candidate's after them
    gives what hashing the whole list gives: the same columns, counts and order."""
    from ultimatum.learn.features import candidates, hashed_examples, party_features, rule_features, sentence_features
    checked = 0
    for sent, rows in _parsed(_TWO_SENTENCES):
        any_types = {r["event_type"] for r in rows} if with_rules else set()
        want = []
        for cand in candidates(sent):
            own = {r["event_type"] for r in rows if (r["actor"], r["actor_name"]) == cand.key} if with_rules else set()
            want.append((cand.key, hashed(sentence_features(sent) + party_features(sent, cand)
                                        + rule_features(cand.party.code, own, any_types))))
        got = [(cand.key, row) for cand, row in hashed_examples(sent, rows, with_rules)]
        assert got == want
        assert [list(row) for _, row in got] == [list(row) for _, row in want]  # same order
        checked += len(got)
    assert checked >= 3


def test_hashed_pairs_give_the_row_without_rules_beside_it() -> None:
    """Training's one pass gives each candidate's row without the rules' rows
    (the sentence's and the party's features hashed) beside the row with them."""
    from ultimatum.learn.features import hashed_pairs, party_features, sentence_features
    changed = 0
    for sent, rows in _parsed(_TWO_SENTENCES):
        for cand, with_rules, without in hashed_pairs(sent, rows):
            assert without == hashed(sentence_features(sent) + party_features(sent, cand))
            changed += with_rules != without
    assert changed >= 2  # the rules' rows do change some rows


def test_the_sentence_words_are_seen_from_each_party() -> None:
    """In "Russia warned NATO against expanding" the warning's words and
    lemma pairs join the subject's role for Russia and another role for NATO,
    so the two parties no longer share every sentence feature; each party's
    near words are its own."""
    from ultimatum.learn.features import candidates, party_features, role
    (sent, _), = _parsed("Russia warned NATO against expanding further east on Tuesday.")
    by_code = {c.party.code: c for c in candidates(sent)}
    assert role(by_code["RUS"]) == "subj" and role(by_code["NATO"]) != "subj"
    rus, nato = (set(party_features(sent, by_code[code])) for code in ("RUS", "NATO"))
    assert "r=subj|w=warn" in rus and "r=subj|w=warn" not in nato
    assert f"r={role(by_code['NATO'])}|w=warn" in nato
    assert "near=warn" in rus and "near=expand" in nato and "near=expand" not in rus
    pairs = [f for f in rus if f.startswith("r=subj|b=")]
    assert pairs and not any(f.startswith("r=subj|b=") for f in nato)
    assert {f.split("|b=")[1] for f in pairs} == {f.split("|b=")[1] for f in nato if "|b=" in f}


def test_the_sentence_before_gives_candidates_only_where_no_party_is_subject() -> None:
    """"The exercises will involve tanks" leaves its actor to the sentence
    before; a sentence with a party for subject takes no one from it."""
    from ultimatum.learn.features import candidates
    body = ("Russia announced large-scale military exercises near the border with Ukraine on Tuesday. "
            "The drills will involve tanks, artillery and thousands of troops. "
            "NATO said it was watching closely.")
    routes = {sent.unit.sentence_id: {cand.key[0]: cand.routes for cand in candidates(sent)}
              for sent, _ in _parsed(body)}
    assert routes[1] == {"RUS": {"sentence before"}, "UKR": {"sentence before"}}
    assert list(routes[2]) == ["NATO"] and "sentence before" not in routes[2]["NATO"]
    assert all("sentence before" not in r for r in routes[0].values())


def test_the_last_speaker_is_a_candidate_where_no_party_is_subject() -> None:
    """A sentence that names no party and follows one that names none either
    may still be the last speaker's: the person ("he") or the body ("it")."""
    from ultimatum.learn.features import candidates
    for body, speaker, route in (
            ("Liz Truss said on Monday that Britain stood with Kyiv. The talks in Brussels ended late. "
             "Any incursion would be met with severe sanctions.", ("OTHER", "Britain"), "he"),
            ("The Kremlin said on Friday that it had sent its proposals. The talks in Brussels ended late. "
             "The drafts demand an end to enlargement.", ("RUS", "Russia"), "it")):
        found = {sent.unit.sentence_id: {cand.key: cand.routes for cand in candidates(sent)}
                 for sent, _ in _parsed(body)}
        assert found[2] == {speaker: {route}}
        assert all(route not in routes for routes in found[0].values())


def test_a_second_type_of_one_candidate_needs_the_higher_bar() -> None:
    from ultimatum.learn.decide import chosen_types
    thresholds = np.full(3, 0.45)
    probs = np.array([[0.50, 0.65, 0.10],   # the top type passes, the other is under the bar
                      [0.75, 0.72, 0.46],   # both over the bar; the third only over the threshold
                      [0.40, 0.30, 0.20]])  # nothing reaches the threshold
    got = chosen_types(probs, thresholds, 0.7)
    assert got.tolist() == [[False, True, False], [True, True, False], [False, False, False]]
    assert (chosen_types(probs, thresholds, 0.0) == (probs >= 0.45)).all()  # no bar: the threshold alone
    assert chosen_types(probs[1], thresholds, 0.7).shape == (1, 3)
    # the first type is the most probable of those at their own threshold
    assert chosen_types(np.array([0.6, 0.5]), np.array([0.8, 0.3]), 0.7).tolist() == [[False, True]]


def test_the_second_type_bar_is_saved_with_the_model(tmp_path) -> None:
    model = shipped_model()
    assert model is not None
    replace(model, second=0.8).save(tmp_path / "m.npz")
    assert read_model(tmp_path / "m.npz").second == 0.8


def test_extraction_applies_the_second_type_bar() -> None:
    from ultimatum.learn.apply import apply_model
    from ultimatum.learn.model import EventModel
    p = dict.fromkeys(EVENT_TYPES, 0.01) | {"DEMAND": 0.9, "THREATEN": 0.65}  # whatever the features
    bias = np.log([p[t] / (1 - p[t]) for t in EVENT_TYPES])
    model = EventModel(tuple(EVENT_TYPES), np.zeros((len(EVENT_TYPES), N_FEATURES)), bias,
                       np.full(len(EVENT_TYPES), 0.4), "fixed", "hybrid", 0.0)
    (sent, rules), = _parsed("Russia demanded that NATO stop its expansion.")
    both = {(r["actor"], r["event_type"]) for r in apply_model(sent, rules, model)}
    one = {(r["actor"], r["event_type"]) for r in apply_model(sent, rules, replace(model, second=0.7))}
    assert ("RUS", "THREATEN") in both and ("RUS", "DEMAND") in both
    assert ("RUS", "DEMAND") in one and not {t for _, t in one} - {"DEMAND"}


def _vector_model(width: int, seed: int = 0) -> EventModel:
    """The shipped model with random weights on token vectors of ``width``."""
    model = shipped_model()
    assert model is not None
    rng = np.random.default_rng(seed)
    return replace(model, context_weights=rng.normal(size=(len(EVENT_TYPES), width)),
                   context_mean=rng.normal(size=width), context_scale=rng.uniform(1, 3, size=width))


def test_token_vectors_are_those_of_the_sentence_alone() -> None:
    """A sentence's token vectors do not depend on what else was parsed in
    its batch (spaCy's shipped pipeline: exactly; the bulk pipeline, whose
    products go to numpy's BLAS: to within float noise), so a row the vectors
    decide is the same on every path."""
    from ultimatum.extract.events import parser_model
    from ultimatum.extract.sentence import Sentence
    from ultimatum.learn.features import candidates, context_vector
    (sent, _), = _parsed("Russia accused NATO of stoking the war in the east.")
    nlp = parser_model()
    others = ["The council met on Tuesday to discuss the new budget for the city's schools and roads."] * 5
    docs = list(nlp.pipe([*others[:2], sent.unit.text, *others[2:]], batch_size=4))
    again = Sentence(docs[2], sent.unit)
    width = sent.doc.tensor.shape[1]
    for cand, cand_again in zip(candidates(sent), candidates(again), strict=True):
        v = context_vector(sent, cand)
        assert v.shape == (4 * width,) and np.isfinite(v).all() and v.any()
        assert np.array_equal(v, context_vector(again, cand_again))
    from ultimatum.extract.events import REQUIRED_PIPES
    from ultimatum.nlp.model import bulk_model
    bulk = bulk_model(REQUIRED_PIPES)
    alone, batched = bulk(sent.unit.text), list(bulk.pipe([*others[:2], sent.unit.text, *others[2:]], batch_size=4))[2]
    for cand, cand_alone, cand_batched in zip(candidates(sent), candidates(Sentence(alone, sent.unit)),
                                              candidates(Sentence(batched, sent.unit)), strict=True):
        want = context_vector(sent, cand)
        assert np.allclose(context_vector(Sentence(alone, sent.unit), cand_alone), want, atol=1e-4)
        assert np.allclose(context_vector(Sentence(batched, sent.unit), cand_batched), want, atol=1e-4)
    named = {c.key[0]: context_vector(sent, c) for c in candidates(sent)}
    assert not np.array_equal(named["RUS"], named["NATO"])  # each party read where it stands


def test_a_model_with_token_vectors_scores_as_training_does(tmp_path) -> None:
    """Saved, read back and applied to one row, a model that reads token
    vectors gives what the training matrix (hashed words beside the scaled
    vectors) gives; without vectors it refuses to guess."""
    from ultimatum.learn.dataset import Example
    from ultimatum.learn.train import _matrix, probabilities
    width = 8
    model = _vector_model(width)
    model.save(tmp_path / "m.npz")
    again = read_model(tmp_path / "m.npz")
    assert again.uses_vectors and np.allclose(again.context_weights, model.context_weights)
    rng = np.random.default_rng(1)
    row = hashed(["p=RUS", "subj_of=accuse", "cue=ACCUSE"])
    examples = [Example("a", "s", "RUS", "RUS", "Russia", "", row, row, set(), {},
                        context=rng.normal(size=width).astype(np.float32)) for _ in range(3)]
    weights = np.hstack([model.weights, model.context_weights])
    want = probabilities(examples, weights, model.bias, True, (model.context_mean, model.context_scale))
    for e, p in zip(examples, want, strict=True):
        assert np.allclose(again.probabilities(e.row, e.context), p)
    assert not np.allclose(want[0], want[1])  # the vectors count
    assert _matrix(examples, True, (model.context_mean, model.context_scale)).shape[1] == N_FEATURES + width
    with pytest.raises(ValueError, match="token vectors"):
        again.probabilities(row)


def test_a_trained_model_scores_as_its_training_matrix() -> None:
    """What ``make train`` fits and saves (:func:`event_model`) scores a
    candidate at extraction time exactly as cross-validation scored it."""
    from ultimatum.learn.dataset import Example
    from ultimatum.learn.train import event_model, fit, probabilities
    rng = np.random.default_rng(3)
    examples = []
    for i in range(60):
        etype = EVENT_TYPES[i % len(EVENT_TYPES)]
        row = hashed([f"cue={etype}", f"w=word{i % 5}", "p=RUS"])
        examples.append(Example("a", f"s{i}", "RUS", "RUS", "Russia", "", row, row, {etype} if i % 3 else set(), {},
                                context=rng.normal(size=12).astype(np.float32) + (i % 3)))
    for vectors in (0.0, 0.5):
        w, b, scaling = fit(examples, True, 4.0, vectors)
        model = event_model(w, b, scaling, 0.5, 0.7, "hybrid", 4.0, vectors)
        assert model.uses_vectors == bool(vectors) and model.weights.shape == (len(EVENT_TYPES), N_FEATURES)
        want = probabilities(examples, w, b, True, scaling)
        got = np.array([model.probabilities(e.row, e.context) for e in examples])
        assert np.allclose(got, want) and got.std() > 0.01


def test_cross_validation_fits_each_fold_as_fit_does() -> None:
    """``make train`` hashes every example once, slices the rows per fold and
    runs every fold's fits side by side: each held-out example gets exactly
    the probabilities that fitting its fold's training examples alone gives."""
    from ultimatum.learn.dataset import Example
    from ultimatum.learn.train import fit, out_of_fold, probabilities
    rng = np.random.default_rng(5)

    def example(article: str, i: int) -> Example:
        etype = EVENT_TYPES[i % len(EVENT_TYPES)]
        row = hashed([f"cue={etype}", f"w=word{i % 7}", f"p={'RUS' if i % 2 else 'USA'}"])
        return Example(article, f"s{i}", "RUS", "RUS", "Russia", "", row, hashed([f"w=word{i % 7}"]),
                       {etype} if i % 3 else set(), {}, context=rng.normal(size=8).astype(np.float32))
    dev = [example(f"d{i % 6}", i) for i in range(72)]
    written = [example("w", i) for i in range(40)]
    fold_of = {f"d{k}": k % 3 for k in range(6)}
    for rules, vectors in ((True, 0.0), (False, 0.5)):
        oof = out_of_fold(dev, written, fold_of, rules, 4.0, vectors)
        for f in range(3):
            held = [i for i, e in enumerate(dev) if fold_of[e.article_id] == f]
            w, b, scaling = fit([e for e in dev if fold_of[e.article_id] != f] + written, rules, 4.0, vectors)
            assert np.array_equal(oof[held], probabilities([dev[i] for i in held], w, b, rules, scaling))
        assert oof.std() > 0.01


def test_one_mention_outside_a_condition_is_enough_to_act() -> None:
    """A party named in the main clause acts, even when a pronoun in the
    if-clause also stands for it; a party named only under the condition does not."""
    from ultimatum.learn.decide import veto
    from ultimatum.learn.features import hashed_examples
    (sent, rows), = _parsed("Biden said Washington would respond firmly if he saw Russia attack.")
    vetoes = {cand.party.code: veto(sent, cand) for cand, _ in hashed_examples(sent, rows, True)}
    assert vetoes == {"USA": "", "RUS": "conditional"}
    # a party punished in the main clause still acts only under the condition
    (sent, rows), = _parsed("If Russia invades Ukraine, NATO will punish Russia severely.")
    vetoes = {cand.party.code: veto(sent, cand) for cand, _ in hashed_examples(sent, rows, True)}
    assert vetoes["RUS"] == "conditional"


def test_the_data_card_is_written_from_the_metrics_and_names_the_texts() -> None:
    """The committed card is what ``card`` writes from the committed metrics,
    and it says on which texts each training set was read (full or rebuilt)."""
    import json

    from ultimatum.learn.model import MODEL_DIR
    from ultimatum.learn.train import card
    metrics = json.loads((MODEL_DIR / "metrics.json").read_text(encoding="utf-8"))
    text = card(metrics)
    assert text == (MODEL_DIR / "CARD.md").read_text(encoding="utf-8")
    for name, info in metrics["training_sets"].items():
        assert f"| {name} | {info['texts']} | {info['candidates']} | {info['with_events']} |" in text
