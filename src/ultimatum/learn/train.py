"""Train the event classifier and choose the extractor by measurement.

``python -m ultimatum.learn.train`` (``make train``):

1. builds (sentence, candidate party) examples from the real development set
   and the project's written sets (``tests/gold/sets.csv``; the real test set
   is never read here);
2. compares, by cross-validation over the real development articles (each
   fold's articles held out of training, the written sets always in it):
   the rules alone; the classifier alone (no rule features); the classifier
   deciding with the rules' rows as features (hybrid); and the rules' rows
   plus the classifier's extra rows (union); each with and without the
   parser's token vectors beside the hashed words (:data:`SETTINGS`);
3. writes the winner's model to ``learn/model/weights.npz`` with its scores
   in ``learn/model/metrics.json`` (the data card reads them).

Deterministic: fixed folds, liblinear solver, sorted inputs."""
from __future__ import annotations

import argparse
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ultimatum.evaluate.errors import error_kinds, error_table
from ultimatum.evaluate.score import score
from ultimatum.evaluate.sets import gold_set_info, party_count_error, texts_kind, texts_present
from ultimatum.evaluate.texts import FULL
from ultimatum.learn.dataset import Example, build
from ultimatum.learn.decide import ADD, KEEP_RULE, added_row, chosen_types, keep
from ultimatum.learn.features import N_FEATURES, to_matrix
from ultimatum.learn.model import MODEL_DIR, WEIGHTS_FILE, EventModel
from ultimatum.schema import EVENT_TYPES

FOLDS = 6
THRESHOLDS = tuple(round(x, 2) for x in np.arange(0.15, 0.80, 0.05))
#: Bars for a second event type of one candidate (0: none beyond the threshold).
SECOND_GRID = (0.0, 0.6, 0.7, 0.8, 0.9)
VARIANTS = ("rules", "model", "hybrid", "union")
DEV_SET = "real_dev"
NEVER = {"real_test"}


#: Settings compared by cross-validation: (rules' rows among the features, C,
#: weight of the parser's token vectors; 0: not read).
SETTINGS = ((False, 16.0, 0.0), (False, 16.0, 0.25),
            (True, 4.0, 0.25), (True, 16.0, 0.0), (True, 16.0, 0.25), (True, 16.0, 0.5))

#: How token vectors are put beside the hashed words: (mean, scale); a vector
#: enters the matrix as ``(v - mean) / scale``.
Scaling = tuple[np.ndarray, np.ndarray]


def context_scaling(examples: list[Example], weight: float) -> Scaling | None:
    """Standardise each token-vector column, then shrink the whole vector to
    ``weight`` of the L2 norm a hashed row has (1), so one weight decides how
    much the vectors count against the words; None when they are not read."""
    if not weight:
        return None
    vectors = np.vstack([e.context for e in examples]).astype(np.float64)
    return vectors.mean(axis=0), (vectors.std(axis=0) + 1e-6) * np.sqrt(vectors.shape[1]) / weight


def _stacked(words: list[Any], examples: list[Example], scaling: Scaling | None) -> Any:
    """Hashed rows (blocks stacked in order) beside the examples' scaled token
    vectors, as :func:`_matrix` builds them; cross-validation hashes every
    example once and slices its rows per fold."""
    from scipy.sparse import csr_matrix, hstack, vstack
    rows = words[0] if len(words) == 1 else vstack(words).tocsr()
    if scaling is None:
        return rows
    mean, scale = scaling
    vectors = (np.vstack([e.context for e in examples]).astype(np.float64) - mean) / scale
    return hstack([rows, csr_matrix(vectors)]).tocsr()


def _words(examples: list[Example], rules: bool) -> Any:
    """The examples' hashed rows, with or without the rules' rows among the features."""
    return to_matrix([e.row if rules else e.row_without_rules for e in examples])


def _matrix(examples: list[Example], rules: bool, scaling: Scaling | None = None) -> Any:
    return _stacked([_words(examples, rules)], examples, scaling)


def _labels(examples: list[Example]) -> np.ndarray:
    return np.array([[t in e.labels for t in EVENT_TYPES] for e in examples], dtype=bool)


def _solve(x: Any, y: np.ndarray, c: float) -> tuple[np.ndarray, float] | None:
    """One type's logistic regression (weights, bias); None when fewer than two
    examples carry the type. liblinear's primal solver for an L2 logistic
    regression draws no random numbers, and the seed is fixed in case a
    solver that does is ever chosen, so the order of the fits changes nothing."""
    from sklearn.linear_model import LogisticRegression
    if y.sum() < 2:
        return None
    clf = LogisticRegression(C=c, solver="liblinear", class_weight="balanced", max_iter=1000, random_state=0)
    clf.fit(x, y)
    return clf.coef_[0], float(clf.intercept_[0])


def _fit_many(problems: list[tuple[Any, np.ndarray]], c: float) -> list[tuple[np.ndarray, np.ndarray]]:
    """(weights types x columns, biases) for each (matrix, labels) problem. The
    (problem, type) fits share a pool of one thread per core (liblinear lets
    go of the GIL), so the cores stay busy however unequal the fits are; each
    fit is alone, so the results are those of fitting one after another."""
    from concurrent.futures import ThreadPoolExecutor

    from sklearn.linear_model import LogisticRegression  # noqa: F401  (imported once, before the threads)

    from ultimatum.runtime.engines import available_cores
    jobs = [(i, k) for i in range(len(problems)) for k in range(len(EVENT_TYPES))]
    with ThreadPoolExecutor(max_workers=max(1, min(len(jobs), available_cores()))) as pool:
        solved = list(pool.map(lambda job: _solve(problems[job[0]][0], problems[job[0]][1][:, job[1]], c), jobs))
    out = []
    for i, (x, _) in enumerate(problems):
        weights, bias = np.zeros((len(EVENT_TYPES), x.shape[1])), np.full(len(EVENT_TYPES), -10.0)
        for k in range(len(EVENT_TYPES)):
            one = solved[i * len(EVENT_TYPES) + k]
            if one is not None:
                weights[k], bias[k] = one
        out.append((weights, bias))
    return out


def fit(examples: list[Example], rules: bool, c: float, vectors: float = 0.0
        ) -> tuple[np.ndarray, np.ndarray, Scaling | None]:
    """(weights types x columns, biases, token-vector scaling) of one logistic
    regression per type, the types fitted in parallel threads."""
    scaling = context_scaling(examples, vectors)
    (weights, bias), = _fit_many([(_matrix(examples, rules, scaling), _labels(examples))], c)
    return weights, bias, scaling


def probabilities(examples: list[Example], weights: np.ndarray, bias: np.ndarray, rules: bool,
                  scaling: Scaling | None = None) -> np.ndarray:
    return _logistic(_matrix(examples, rules, scaling), weights, bias)


def _logistic(x: Any, weights: np.ndarray, bias: np.ndarray) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-(x @ weights.T + bias))))


def rows_for(examples: list[Example], decide: np.ndarray | None, variant: str) -> pd.DataFrame:
    """Event rows a variant gives, decided as extraction decides them
    (:func:`~ultimatum.learn.decide.keep`); ``decide`` is examples x types."""
    rows = []
    for i, e in enumerate(examples):
        base = {"article_id": e.article_id, "sentence_id": e.sentence_id, "sentence": e.sentence,
                "actor": e.actor, "actor_name": e.actor_name, "group_alias": e.group_alias, "published": e.published}
        for k, etype in enumerate(EVENT_TYPES):
            rule = e.rule_rows.get(etype)
            what = keep(variant, rule is not None, decide is not None and bool(decide[i, k]))
            if what == KEEP_RULE:
                rows.append(rule)
            elif what == ADD and not e.veto and etype not in e.refused:
                rows.append(added_row(base, etype, e.fallback[etype]["target"], e.topics, e.event_date,
                                      e.event_date_source, ""))
    return pd.DataFrame(rows)


def load_sets(sets: Mapping[str, dict[str, Any]]) -> tuple[dict[str, list[Example]], dict[str, pd.DataFrame]]:
    """Examples and gold of every listed set (``gold_set_info``) with texts, but the test set."""
    examples, golds = {}, {}
    for name, info in sets.items():
        if name in NEVER or info["role"] == "test" or not texts_present(info["articles"]):
            continue
        ex, gold = build(info["articles"], info["gold"])
        examples[name], golds[name] = ex, gold
        print(f"{name}: {len(ex)} candidates, {sum(bool(e.labels) for e in ex)} with events", flush=True)
    return examples, golds


def hashed_once(dev: list[Example], written: list[Example], rules: bool) -> tuple[Any, Any]:
    """The hashed rows of the development and the written examples, built once
    for every fold and setting."""
    return _words(dev, rules), _words(written, rules)


def out_of_fold(dev: list[Example], written: list[Example], fold_of: dict[str, int], rules: bool, c: float,
                vectors: float, hashed_rows: tuple[Any, Any] | None = None) -> np.ndarray:
    """Each development example's probabilities (examples x types) from the
    model fitted without its fold's articles (the written sets always in
    training): what :func:`fit` and :func:`probabilities` give fold by fold,
    with every fold's fits run side by side."""
    dev_words, written_words = hashed_rows or hashed_once(dev, written, rules)
    problems, tests = [], []
    for f in sorted(set(fold_of.values())):
        train_idx = [i for i, e in enumerate(dev) if fold_of[e.article_id] != f]
        test_idx = [i for i, e in enumerate(dev) if fold_of[e.article_id] == f]
        train = [dev[i] for i in train_idx] + written
        scaling = context_scaling(train, vectors)
        problems.append((_stacked([dev_words[train_idx], written_words], train, scaling), _labels(train)))
        tests.append((_stacked([dev_words[test_idx]], [dev[i] for i in test_idx], scaling), test_idx))
    oof = np.zeros((len(dev), len(EVENT_TYPES)))
    for (w, b), (x, test_idx) in zip(_fit_many(problems, c), tests):
        oof[test_idx] = _logistic(x, w, b)
    return oof


def cross_validate(examples: dict[str, list[Example]], golds: dict[str, pd.DataFrame]) -> dict[str, Any]:
    """Out-of-fold probabilities on the real development set for each setting,
    and the end-to-end score of every variant at every threshold."""
    dev = examples[DEV_SET]
    articles = sorted({e.article_id for e in dev})
    fold_of = {a: i % FOLDS for i, a in enumerate(articles)}
    written = [e for name, ex in examples.items() if name != DEV_SET for e in ex]
    gold = golds[DEV_SET]
    results: dict[str, Any] = {"rules": {"f1": score(gold, rows_for(dev, None, "rules"))}}
    hashed_rows = {rules: hashed_once(dev, written, rules) for rules in (False, True)}
    for rules, c, vectors in SETTINGS:
        oof = out_of_fold(dev, written, fold_of, rules, c, vectors, hashed_rows[rules])
        variants = ("hybrid", "union") if rules else ("model",)
        for variant in variants:
            for t in THRESHOLDS:
                for second in SECOND_GRID:
                    if second and second <= t:
                        continue  # the same rows as no bar
                    decided = chosen_types(oof, np.full(len(EVENT_TYPES), t), second)
                    s = score(gold, rows_for(dev, decided, variant))
                    results[f"{variant} C={c} v={vectors} t={t} s={second}"] = {"f1": s}
        print(f"rules features={rules} C={c} vectors={vectors} done", flush=True)
    return results


_ADDED = (" Where the model adds a row, `rule` names the model and its probability, the target "
          "comes from the article's context and the date from the sentence; it adds nothing to a "
          "question, a conditional (\"if Russia invades\") or a pre-crisis act.")
#: What each variant does with the rules' rows and the model's decisions (the data card).
HOW_ROWS_COME_OUT = {
    "rules": "the rules' rows alone; no model is shipped.",
    "model": "the model, reading no rules, decides every (party, event type) of a sentence; a "
             "rule's row stands only where the model confirms it." + _ADDED,
    "hybrid": "the model decides every (party, event type) of a sentence; where it confirms a "
              "rule's row, the rule's row (target, date, `rule`) is kept, and a rule's row it does "
              "not confirm is dropped." + _ADDED,
    "union": "every rule's row is kept, and the model adds the (party, event type) pairs of a "
             "sentence the rules missed." + _ADDED,
}

#: Settings whose F1 is within this of the best are equally good; among them the
#: one whose per-party counts come closest to the gold's wins (the report counts).
F1_TIE = 0.005


def summary(s: dict[str, Any]) -> dict[str, float]:
    out = {k: round(float(s[k]), 4) for k in ("precision", "recall", "f1", "target_exact", "date_accuracy")}
    out["party_count_error"] = round(party_count_error(s["per_party"]), 4)
    return out


def choose(table: dict[str, dict[str, float]], keys: list[str]) -> str:
    """The setting with the best F1, or among those within :data:`F1_TIE` of it
    the one with the smallest per-party count error."""
    top = max(table[k]["f1"] for k in keys)
    near = [k for k in keys if table[k]["f1"] >= top - F1_TIE]
    return min(near, key=lambda k: (table[k]["party_count_error"], -table[k]["f1"], k))


def event_model(weights: np.ndarray, bias: np.ndarray, scaling: Scaling | None, threshold: float,
                second: float, variant: str, c: float, vectors: float) -> EventModel:
    """The model :func:`fit` gave, as extraction reads it: the hashed words'
    weights apart from the token vectors' weights and their scaling."""
    mean, scale = scaling if scaling is not None else (None, None)
    return EventModel(tuple(EVENT_TYPES), weights[:, :N_FEATURES], bias, np.full(len(EVENT_TYPES), threshold),
                      f"{variant}-logreg-C{c}" + (f"-v{vectors}" if vectors else ""), variant, second,
                      context_weights=None if scaling is None else weights[:, N_FEATURES:],
                      context_mean=mean, context_scale=scale)


def setting(name: str) -> dict[str, float]:
    """The numbers of a setting's name ("hybrid C=16.0 t=0.45 s=0.7")."""
    return {k: float(v) for k, v in (part.split("=") for part in name.split()[1:])}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=".", help="project folder (tests/gold/sets.csv)")
    parser.add_argument("--out", default=str(MODEL_DIR), help="folder for weights.npz and metrics.json")
    args = parser.parse_args(argv)
    sets = gold_set_info(Path(args.root))
    examples, golds = load_sets(sets)
    if DEV_SET not in examples:
        raise SystemExit(f"{DEV_SET}: texts absent; run `ultimatum gold-texts` first")
    results = cross_validate(examples, golds)
    table = {k: summary(v["f1"]) for k, v in results.items()}
    best = {v: choose(table, [k for k in table if k.split()[0] == v]) for v in VARIANTS}
    winner = choose(table, list(best.values()))
    print(json.dumps({v: {"setting": best[v], **table[best[v]]} for v in VARIANTS}, indent=1))
    errors = error_table(error_kinds(results["rules"]["f1"]), error_kinds(results[winner]["f1"]))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    metrics: dict[str, Any] = {"cross_validation": {v: {"setting": best[v], **table[best[v]]} for v in VARIANTS},
                               "chosen": winner, "folds": FOLDS,
                               "errors": [{"kind": k, "rules": a, "chosen": b} for k, a, b in errors],
                               "training_sets": {n: {"candidates": len(e), "with_events": sum(bool(x.labels) for x in e),
                                                     "texts": texts_kind(sets[n], set(golds[n]["article_id"]))}
                                                 for n, e in examples.items()}}
    if winner.split()[0] != "rules":
        variant, numbers = winner.split()[0], setting(winner)
        c, vectors, t, second = numbers["C"], numbers.get("v", 0.0), numbers["t"], numbers["s"]
        rules = variant != "model"
        every = [e for ex in examples.values() for e in ex]
        w, b, scaling = fit(every, rules, c, vectors)
        model = event_model(w, b, scaling, t, second, variant, c, vectors)
        model.save(out / WEIGHTS_FILE)
        metrics["model"] = {"variant": variant, "C": c, "vectors": vectors, "threshold": t, "second": second,
                            "non_zero_weights": int(np.count_nonzero(w))}
    else:
        (out / WEIGHTS_FILE).unlink(missing_ok=True)
    (out / "metrics.json").write_text(json.dumps(metrics, indent=1, sort_keys=True) + "\n")
    (out / "CARD.md").write_text(card(metrics))
    print(f"chosen: {winner}")


def card(metrics: dict[str, Any]) -> str:
    """The model's data card, written from its metrics (never typed by hand)."""
    cv = metrics["cross_validation"]
    variant = metrics["chosen"].split()[0]
    lines = [
        "# The event classifier: data card",
        "",
        "Written by `make train` (`python -m ultimatum.learn.train`); do not edit by hand.",
        "",
        "**What it is.** One logistic regression per event type (scikit-learn, liblinear, balanced",
        "class weights) over hashed features (CRC-32 into 2^18 columns) of a (sentence, candidate",
        "party) pair: the party's place in the dependency parse (subject, owner, object, speaker,",
        "the words governing it), the sentence's lemmas, lemma pairs and cues, negation and mood,",
        "the same lemmas and cues seen from the party (joined with its role) and the words near",
        "its mentions, and, in the hybrid and the union, the rows the rules gave. Settings with `v` above 0",
        "also read the parser's own token vectors (spaCy's `tok2vec` output of the installed",
        "`en_core_web_sm`): averaged and max-pooled over the sentence, averaged over the tokens",
        "naming the party and over the words governing them, standardised and weighted `v`",
        "against the hashed words. A candidate is every party",
        "the sentence names (aliases, pronouns resolved to a party) or whose words it quotes,",
        "and, where no party is the subject of a verb, every party the sentence before names",
        "and the person or body that spoke last in the article.",
        "Nothing downloaded: `weights.npz` holds the non-zero weights, the token-vector weights",
        "and scaling, biases and thresholds as plain arrays (no pickle).",
        "",
        f"**How rows come out.** `{variant}`: " + HOW_ROWS_COME_OUT[variant],
        "",
        "**Which types a candidate gets.** Its most probable type when that probability is at",
        "least the threshold (`t` in a setting's name), and any other type only when its",
        "probability is also at least `s` (`s=0.0`: no bar beyond the threshold); a party",
        "seldom does two things in one sentence.",
        "",
        "**Trained on** (every gold set listed in `tests/gold/sets.csv` with its texts present,",
        "except the real test set, which no model or rule is tuned on):",
        "",
        "| set | texts | candidate pairs | with an event |",
        "|---|---|---|---|",
    ]
    for name, info in sorted(metrics["training_sets"].items()):
        lines.append(f"| {name} | {info.get('texts', FULL)} | {info['candidates']} | {info['with_events']} |")
    lines += ["", "Texts *rebuilt*: the published texts were not at hand, and the set's texts were rebuilt",
              "from its annotated sentences (`ultimatum gold-texts --from-gold`, `tests/gold/real/README.md`)."]
    lines += [
        "",
        f"**Chosen by** {metrics['folds']}-fold cross-validation over the real development articles",
        "(each fold's articles held out of training; the written sets always in it), scored end",
        "to end with the project's evaluator (sentence, actor and event type must match); among",
        f"settings within {F1_TIE} F1 of the best, the one whose per-party counts are closest to the gold's:",
        "",
        "| variant | best setting | precision | recall | F1 | target exact | date accuracy | per-party count error |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for variant in VARIANTS:
        s = cv[variant]
        lines.append(f"| {variant} | {s['setting']} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} "
                     f"| {s['target_exact']:.3f} | {s['date_accuracy']:.3f} | {s.get('party_count_error', 0):.2f} |")
    lines += ["", "**Errors on the real development set, by kind** (cross-validated): the rules alone against",
              f"the chosen {metrics['chosen']}.", "", "| failure kind | rules | chosen |", "|---|---|---|"]
    lines += [f"| {e['kind']} | {e['rules']} | {e['chosen']} |" for e in metrics.get("errors", [])]
    model = metrics.get("model")
    lines += ["", f"**Shipped:** {metrics['chosen']}" + (
        f" ({model['non_zero_weights']:,} non-zero weights)." if model else " (the rules alone; no model file)."),
        "", "The honest estimate of accuracy on new articles is the real test set's row in",
        "`tests/gold/results.csv` (written by `ultimatum evaluate`), not these figures.", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
