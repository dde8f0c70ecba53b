"""Where one worker's time goes: each stage of the fast extraction path timed
apart, in one process on one core, over a benchmark corpus.

The stages are those of ``ultimatum.extract.fastpath.extract_batch``, on the
same sentences in the same order (``fastpath.to_parse``): reading the files
and splitting them into sentence units, choosing and tokenising the sentences
to parse, each component of the bulk spaCy pipeline, and the rules with the
event classifier (``extract_doc``). It says which part a
faster path would have to shrink; the whole process, against the yardstick,
is ``bench_extract.py``'s to measure.

    python benchmarks/stage_costs.py --articles 200 --corpora seeds,mixed
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_extract import CORPORA, build_corpus


def stage_seconds(folder: Path) -> dict[str, float | int]:
    """Seconds per stage over the articles in ``folder``, and the sentence counts."""
    from ultimatum.extract import events as extract
    from ultimatum.extract.fastpath import BATCH_SIZE, to_parse
    from ultimatum.ingest.reader import ingest
    from ultimatum.nlp.model import bulk_model
    from ultimatum.runtime.engines import single_threaded_blas

    single_threaded_blas()
    nlp = bulk_model(extract.REQUIRED_PIPES)
    out: dict[str, float | int] = {}
    start = time.perf_counter()
    articles = ingest(folder, count=False).articles.to_dict("records")
    reading = time.perf_counter() - start
    # lexicons and the classifier loaded before the stages that use them, on units of their own
    for unit in [unit for unit in extract.article_units(articles[0]) if unit.candidate][:1]:
        extract.extract_doc(nlp(unit.text), unit)
    start = time.perf_counter()
    units = [extract.article_units(article) for article in articles]
    out["reading, copy fingerprints, sentence units"] = reading + time.perf_counter() - start
    start = time.perf_counter()
    todo, words, order = to_parse(nlp, units)
    out["choosing and tokenising the sentences to parse"] = time.perf_counter() - start
    docs = [words[i] for i in order]
    for name, component in nlp.pipeline:
        start = time.perf_counter()
        docs = list(component.pipe(docs, batch_size=BATCH_SIZE))
        out[f"parse: {name}"] = time.perf_counter() - start
    parsed = dict(zip(order, docs, strict=True))
    start = time.perf_counter()
    for i, (_, unit) in enumerate(todo):
        extract.extract_doc(parsed[i], unit)
    out["rules and classifier"] = time.perf_counter() - start
    out["sentences"] = sum(len(u) for u in units)
    out["parsed"] = len(todo)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--corpora", default=",".join(CORPORA))
    parser.add_argument("--seed", type=int, default=20211217)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        for kind in args.corpora.split(","):
            folder = Path(work) / kind
            folder.mkdir()
            build_corpus(folder, args.articles, args.seed, kind)
            costs = stage_seconds(folder)
            seconds = {k: float(v) for k, v in costs.items() if k not in ("sentences", "parsed")}
            total = sum(seconds.values())
            print(f"\n{kind}: {args.articles} articles, {costs['sentences']} sentences, "
                  f"{costs['parsed']} parsed; {total:.1f} s on one core\n")
            print("| stage | seconds | share |\n|---|---:|---:|")
            for stage, s in seconds.items():
                print(f"| {stage} | {s:.1f} | {s / total:.0%} |")


if __name__ == "__main__":
    main()
