"""Throughput and memory of `ultimatum extract` against what a user would run
instead: `nlp.pipe` of the same spaCy model over the same texts.

One command measures everything, each phase in a fresh process (peak memory
summed over the process and its children, sampled every 50 ms):

  fair       ``nlp.pipe(texts, n_process=W, batch_size=32)``, NER off, W =
             our workers; parsing time only (its process start is measured
             on a tiny text and taken off)
  old        plain ``nlp.pipe(texts)``, every component, one process (the
             yardstick of earlier runs), on the first --old-articles
  cli        ``ultimatum extract RAW --out NEW_FOLDER`` as a user runs it the
             first time, whole process (interpreter start, model loading)
  warm       the same command again on the unchanged folder
  dask       ``ultimatum extract --engine dask`` (a LocalCluster of W workers)

on two corpora: ``seeds`` (articles of sentences sampled from the seed
articles) and ``mixed`` (half of the articles from the seeds, half news on
other subjects built from benchmarks/offtopic.csv: many distinct sentences,
most of them without an event).

    python benchmarks/bench_extract.py                    # 1,000 and 10,000 articles, both corpora
    python benchmarks/bench_extract.py --articles 200 --corpora seeds --phases fair,cli
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "data" / "raw"
WORD = re.compile(r"\w+")
START, END = dt.date(2021, 11, 1), dt.date(2022, 2, 28)
OFFTOPIC = Path(__file__).resolve().parent / "offtopic.csv"
CORPORA = ("seeds", "mixed")


# --------------------------------------------------------------------------- corpus

def seed_sentences() -> tuple[list[str], list[int]]:
    """Every sentence of the seed articles, and each seed's sentence count."""
    from ultimatum.extract.events import article_units
    from ultimatum.ingest.reader import ingest
    pool: list[str] = []
    lengths: list[int] = []
    for article in ingest(SEEDS).articles.to_dict("records"):
        sents = [u.text for u in article_units(article) if len(WORD.findall(u.text)) >= 4]
        pool.extend(sents)
        lengths.append(len(sents))
    return pool, lengths


def offtopic_slots() -> dict[str, list[str]]:
    """The pieces of benchmarks/offtopic.csv by slot."""
    import csv
    slots: dict[str, list[str]] = {}
    with open(OFFTOPIC, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(line for line in fh if not line.startswith("#")):
            slots.setdefault(row["slot"], []).append(row["text"])
    return slots


def offtopic_sentence(rng: random.Random, slots: dict[str, list[str]]) -> str:
    """One news sentence on another subject (about 1.8 million combinations)."""
    pick = {k: rng.choice(v) for k, v in slots.items()}
    return f"{pick['subject']} {pick['predicate']} {pick['place']} {pick['time']}, {pick['coda']}"


def build_corpus(folder: Path, n: int, seed: int, kind: str = "seeds") -> None:
    """Write ``n`` synthetic articles into ``folder``: as long as the seeds
    (sentence counts drawn between the shortest and longest seed); for
    ``mixed``, every other article (at random) is news on other subjects."""
    pool, lengths = seed_sentences()
    slots = offtopic_slots()
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    days = (END - START).days
    for k in range(n):
        count = rng.randint(min(lengths), max(lengths))
        if kind == "mixed" and rng.random() < 0.5:
            sents = [offtopic_sentence(rng, slots) for _ in range(count)]
        else:
            sents = [rng.choice(pool) for _ in range(count)]
        date = START + dt.timedelta(days=rng.randint(0, days))
        title = " ".join(WORD.findall(rng.choice(pool))[:12])
        paragraphs, i = [], 0
        while i < len(sents):
            step = rng.randint(1, 3)
            paragraphs.append(" ".join(sents[i:i + step]))
            i += step
        text = f"{title}\n\n{date:%B} {date.day}, {date.year}\n\n" + "\n\n".join(paragraphs) + "\n"
        (folder / f"synth_{k:05d}.txt").write_text(text, encoding="utf-8")


def corpus_texts(folder: Path, limit: int | None = None) -> list[str]:
    """Article texts of the corpus, in file order (the first ``limit``)."""
    files = sorted(folder.glob("*.txt"))[:limit]
    return [p.read_text(encoding="utf-8") for p in files]


# --------------------------------------------------------------------------- measuring

class PeakMemory:
    """Peak resident memory (bytes) of this process and all its descendants."""

    def __init__(self, pid: int | None = None, interval: float = 0.05) -> None:
        import psutil
        self._proc = psutil.Process(pid or os.getpid())
        self._interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        import psutil
        total = 0
        procs = [self._proc]
        try:
            procs += self._proc.children(recursive=True)
        except psutil.Error:
            pass
        for p in procs:
            try:
                total += p.memory_info().rss
            except psutil.Error:
                pass
        self.peak = max(self.peak, total)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self._interval)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()



# --------------------------------------------------------------------------- phases

def machine() -> dict:
    """Core count, CPU model, memory and load: what the figures depend on."""
    import psutil
    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    from ultimatum.runtime.engines import available_cores
    return {"cores": available_cores(), "cpu": cpu,
            "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
            "load_before": [round(x, 2) for x in os.getloadavg()],
            "python": platform.python_version()}




def _words(texts: list[str]) -> int:
    return sum(len(WORD.findall(t)) for t in texts)


def phase_fair(corpus: Path, limit: int | None, workers: int) -> dict:
    """nlp.pipe as a user would run it: NER off, one process per worker, batches of 32."""
    import spacy

    from ultimatum.nlp.model import model_name
    texts = corpus_texts(corpus, limit)
    with PeakMemory() as mem:
        nlp = spacy.load(model_name(), disable=["ner"])
        t0 = time.perf_counter()  # starting the worker processes and loading their models
        list(nlp.pipe(["Start."] * workers, n_process=workers, batch_size=1))
        start_seconds = time.perf_counter() - t0
        t0 = time.perf_counter()
        tokens = sum(len(doc) for doc in nlp.pipe(texts, n_process=workers, batch_size=32))
        total = time.perf_counter() - t0
    return {"articles": len(texts), "words": _words(texts), "tokens": tokens,
            "seconds": max(total - start_seconds, 1e-9), "start_seconds": start_seconds,
            "peak_bytes": mem.peak}


def phase_old(corpus: Path, limit: int | None) -> dict:
    """The earlier yardstick: every component, default settings, one process."""
    from ultimatum.nlp.model import load_model
    texts = corpus_texts(corpus, limit)
    with PeakMemory() as mem:
        nlp = load_model()
        t0 = time.perf_counter()
        tokens = sum(len(doc) for doc in nlp.pipe(texts))
        seconds = time.perf_counter() - t0
    return {"articles": len(texts), "words": _words(texts), "tokens": tokens, "seconds": seconds,
            "peak_bytes": mem.peak}


def run_cli(corpus: Path, out: Path, extra: list[str]) -> dict:
    """`ultimatum extract` in a subprocess, timed from launch to exit."""
    cmd = [sys.executable, "-m", "ultimatum.cli", "extract", str(corpus), "--out", str(out),
           "--no-progress", *extra]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with PeakMemory(proc.pid) as mem:
        stdout, stderr = proc.communicate()
    seconds = time.perf_counter() - t0
    if proc.returncode:
        raise SystemExit(f"ultimatum extract failed:\n{stderr[-2000:]}")
    texts = corpus_texts(corpus)
    return {"articles": len(texts), "words": _words(texts), "seconds": seconds,
            "peak_bytes": mem.peak, "summary": stdout.strip()}


def event_share(out: Path) -> float:
    """Share of the corpus's sentences that carry an event (from the tables written)."""
    import pandas as pd
    events = pd.read_csv(out / "events.csv", usecols=["article_id", "sentence_id"], dtype=str)
    articles = pd.read_csv(out / "articles.csv", usecols=["n_sentences"])
    return len(events.drop_duplicates()) / max(int(articles["n_sentences"].sum()), 1)


def same_events(a: Path, b: Path) -> bool:
    """Do two runs' events.csv hold the same rows?"""
    return (a / "events.csv").read_bytes() == (b / "events.csv").read_bytes()


def run_phase(args: list[str]) -> dict:
    """Run a yardstick in a fresh interpreter (clean peak-memory accounting)."""
    proc = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=False)
    if proc.returncode:
        raise SystemExit(f"phase {args} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def measure(kind: str, sizes: list[int], phases: set[str], args: argparse.Namespace, work: Path,
            workers: int) -> dict:
    """Every phase asked for on one corpus kind, at every size."""
    out: dict = {"corpus": kind, "runs": {}}
    for n in sizes:
        corpus = work / f"{kind}-{n}"
        build_corpus(corpus, n, args.seed, kind)
        runs: dict = {"load": os.getloadavg()[0]}
        if "fair" in phases and n == sizes[0]:
            runs["fair"] = run_phase(["--phase", "fair", "--corpus", str(corpus), "--limit",
                                      str(min(args.fair_articles, n)), "--workers", str(workers)])
            print(f"  {kind} {n}: fair yardstick {runs['fair']['words'] / runs['fair']['seconds']:.0f} words/s",
                  flush=True)
        if "old" in phases and n == sizes[0]:
            runs["old"] = run_phase(["--phase", "old", "--corpus", str(corpus), "--limit",
                                     str(min(args.old_articles, n))])
            print(f"  {kind} {n}: old yardstick {runs['old']['words'] / runs['old']['seconds']:.0f} words/s",
                  flush=True)
        extra = ["--workers", str(workers)]
        if "cli" in phases:
            runs["cli"] = run_cli(corpus, work / f"out-{kind}-{n}", extra)
            runs["cli"]["event_share"] = event_share(work / f"out-{kind}-{n}")
            print(f"  {kind} {n}: ultimatum extract {runs['cli']['seconds']:.1f} s, "
                  f"{runs['cli']['peak_bytes'] / 2**20:.0f} MiB", flush=True)
            if "warm" in phases and n == sizes[0]:
                runs["warm"] = run_cli(corpus, work / f"out-{kind}-{n}", extra)
                print(f"  {kind} {n}: warm rerun {runs['warm']['seconds']:.1f} s", flush=True)
        if "dask" in phases and n == sizes[0] and kind == args.dask_corpus:
            runs["dask"] = run_cli(corpus, work / f"dask-{kind}-{n}", [*extra, "--engine", "dask"])
            if "cli" in runs:
                runs["dask"]["same_events"] = same_events(work / f"out-{kind}-{n}", work / f"dask-{kind}-{n}")
            print(f"  {kind} {n}: dask {runs['dask']['seconds']:.1f} s", flush=True)
        shutil.rmtree(corpus, ignore_errors=True)
        out["runs"][n] = runs
    return out


def report(results: list[dict], info: dict) -> str:
    """The figures as a Markdown table (each ratio: our whole process against
    the yardstick's parsing time, words per second)."""
    lines = [f"{info['cores']} cores ({info['cpu']}), load average {info['load_before']} at the start",
             "", "| corpus | articles | run | seconds | words/s | peak MiB | × fair | × old | load |",
             "|---|---:|---|---:|---:|---:|---:|---:|---:|"]
    for res in results:
        first = next(iter(res["runs"].values()))
        fair = first.get("fair")
        old = first.get("old")
        for runs in res["runs"].values():
            for name in ("fair", "old", "cli", "warm", "dask"):
                r = runs.get(name)
                if not r:
                    continue
                wps = r["words"] / r["seconds"]
                x_fair = f"{wps / (fair['words'] / fair['seconds']):.2f}" if fair else ""
                x_old = f"{wps / (old['words'] / old['seconds']):.2f}" if old else ""
                lines.append(f"| {res['corpus']} | {r['articles']:,} | {name} | {r['seconds']:.1f} | {wps:,.0f} | "
                             f"{r['peak_bytes'] / 2**20:,.0f} | {x_fair} | {x_old} | {runs['load']:.2f} |")
    lines.append("")
    for res in results:
        for n, runs in res["runs"].items():
            if "cli" in runs:
                lines.append(f"- {res['corpus']}, {n:,} articles: {runs['cli']['event_share']:.0%} of sentences "
                             f"carry an event; {runs['cli']['summary']}")
            if "dask" in runs and "cli" in runs:
                lines.append(f"- {res['corpus']}, {n:,} articles: dask / local speed "
                             f"{runs['cli']['seconds'] / runs['dask']['seconds']:.2f}, same events: "
                             f"{runs['dask'].get('same_events')}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", default="1000,10000", help="corpus sizes (default 1000,10000)")
    parser.add_argument("--corpora", default=",".join(CORPORA), help="seeds, mixed or both (default)")
    parser.add_argument("--phases", default="fair,old,cli,warm,dask", help="phases to run (default: all)")
    parser.add_argument("--seed", type=int, default=20211217, help="random seed of the corpora")
    parser.add_argument("--workers", type=int, default=None, help="worker processes (default: cores)")
    parser.add_argument("--fair-articles", type=int, default=1000, help="articles the fair yardstick parses")
    parser.add_argument("--old-articles", type=int, default=200, help="articles the old yardstick parses")
    parser.add_argument("--dask-corpus", default="seeds", help="corpus the dask engine runs on")
    parser.add_argument("--json", type=Path, default=None, help="append the results to this JSON-lines file")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--limit", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    from ultimatum.runtime.engines import available_cores
    workers = args.workers or available_cores()
    if args.phase:  # child process: one measurement, one JSON line on stdout
        res = phase_fair(args.corpus, args.limit, workers) if args.phase == "fair" else phase_old(args.corpus, args.limit)
        print(json.dumps(res))
        return
    info = machine()
    sizes = sorted(int(x) for x in args.articles.split(","))
    phases = set(args.phases.split(","))
    print(f"{info['cores']} cores, {info['cpu']}, load {info['load_before']}; {workers} workers", flush=True)
    work = Path(tempfile.mkdtemp(prefix="ultimatum-bench-"))
    try:
        results = [measure(kind, sizes, phases, args, work, workers) for kind in args.corpora.split(",")]
        info["load_after"] = [round(x, 2) for x in os.getloadavg()]
        print(report(results, info))
        if args.json:
            with open(args.json, "a", encoding="utf-8") as fh:
                fh.write(json.dumps({"seed": args.seed, "machine": info, "workers": workers,
                                     "results": results}) + "\n")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
