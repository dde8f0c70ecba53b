"""Accuracy: scoring extracted events against hand-made gold annotations
(:mod:`~ultimatum.evaluate.score`), the project's gold sets and results file
(:mod:`~ultimatum.evaluate.sets`), and putting back the texts of the
real-article sets (:mod:`~ultimatum.evaluate.texts`)."""
from ultimatum.evaluate.score import GOLD_COLUMNS, canonical_name, format_report, read_gold, score, sentences_match
from ultimatum.evaluate.sets import RESULTS_FILE, evaluate_gold_sets, gold_set_info, merge_results, read_results

__all__ = ["GOLD_COLUMNS", "RESULTS_FILE", "canonical_name", "evaluate_gold_sets", "format_report",
           "gold_set_info", "merge_results", "read_gold", "read_results", "score", "sentences_match"]
