"""Throughput and memory of `ultimatum extract`, against plain `nlp.pipe`.

Builds a synthetic corpus of N articles from the seed articles (sentences
sampled at random, in paragraphs, each article with a title and a dateline
between November 2021 and February 2022), then measures, each in a fresh
process so that peak memory is that phase's own:

  yardstick   plain ``nlp.pipe`` of the same spaCy model (every component,
              default settings, one process) over the same article texts
  extract     the extraction pipeline called in-process
              (``pipeline.run_extract``: ingest, fast path on every core,
              claims, tables written; cache off)
  cli         ``ultimatum extract RAW --out OUT --no-cache`` as a user runs it

Reported per phase: words, articles, seconds, words/s, articles/s and the
peak resident memory of the process tree (sampled every 50 ms; worker
processes included), plus each phase's speed relative to the yardstick.

    python benchmarks/bench_extract.py --articles 1000
    python benchmarks/bench_extract.py --articles 10000 --yardstick-articles 1000

``--yardstick-articles M`` runs the yardstick over the first M articles only
(its words/s do not depend on corpus size; this saves most of an hour at
10,000 articles). ``--json FILE`` appends the results as one JSON line.
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


def build_corpus(folder: Path, n: int, seed: int) -> None:
    """Write ``n`` synthetic articles into ``folder``: as long as the seeds
    (sentence counts drawn between the shortest and longest seed)."""
    pool, lengths = seed_sentences()
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    days = (END - START).days
    for k in range(n):
        count = rng.randint(min(lengths), max(lengths))
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


def phase_yardstick(corpus: Path, limit: int | None) -> dict:
    """Plain nlp.pipe, full model, default settings, one process."""
    from ultimatum.nlp.model import load_model
    texts = corpus_texts(corpus, limit)
    with PeakMemory() as mem:
        t0 = time.perf_counter()
        nlp = load_model()
        loaded = time.perf_counter()
        tokens = sum(len(doc) for doc in nlp.pipe(texts))
        done = time.perf_counter()
    return {"articles": len(texts), "words": sum(len(WORD.findall(t)) for t in texts),
            "tokens": tokens, "seconds": done - loaded, "load_seconds": loaded - t0,
            "peak_bytes": mem.peak}


def phase_extract(corpus: Path, out: Path, workers: int | None) -> dict:
    """The pipeline in-process: ingest, fast path, claims, tables (no cache)."""
    from ultimatum.pipeline import run_extract
    texts = corpus_texts(corpus)
    with PeakMemory() as mem:
        t0 = time.perf_counter()
        result = run_extract(corpus, out, workers=workers, use_cache=False, progress=False)
        done = time.perf_counter()
    s = result.stats
    return {"articles": len(texts), "words": sum(len(WORD.findall(t)) for t in texts),
            "seconds": done - t0, "extract_seconds": s.seconds, "peak_bytes": mem.peak,
            "events": len(result.events), "workers": s.workers, "sentences": s.sentences,
            "parsed_sentences": s.parsed_sentences}


def phase_cli(corpus: Path, out: Path, workers: int | None) -> dict:
    """`ultimatum extract` in a subprocess, as a user runs it."""
    cmd = [sys.executable, "-m", "ultimatum.cli", "extract", str(corpus), "--out", str(out),
           "--no-cache", "--no-progress"] + (["--workers", str(workers)] if workers else [])
    texts = corpus_texts(corpus)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with PeakMemory(proc.pid) as mem:
        stdout, stderr = proc.communicate()
    seconds = time.perf_counter() - t0
    if proc.returncode:
        raise SystemExit(f"ultimatum extract failed:\n{stderr[-2000:]}")
    return {"articles": len(texts), "words": sum(len(WORD.findall(t)) for t in texts),
            "seconds": seconds, "peak_bytes": mem.peak, "summary": stdout.strip()}


def run_phase(name: str, args: argparse.Namespace, corpus: Path, out: Path) -> dict:
    """Run one phase in a fresh interpreter (clean peak-memory accounting)."""
    cmd = [sys.executable, __file__, "--phase", name, "--corpus", str(corpus), "--out-dir", str(out)]
    if args.workers:
        cmd += ["--workers", str(args.workers)]
    if name == "yardstick" and args.yardstick_articles:
        cmd += ["--yardstick-articles", str(args.yardstick_articles)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode:
        raise SystemExit(f"phase {name} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------- report

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


def table(results: dict[str, dict]) -> str:
    """The results as a fixed-width table."""
    base = results["yardstick"]["words"] / results["yardstick"]["seconds"]
    lines = [f"{'phase':<10} {'articles':>8} {'words':>10} {'seconds':>8} {'words/s':>8} "
             f"{'articles/s':>10} {'peak MiB':>8} {'x nlp.pipe':>10}"]
    for name, r in results.items():
        wps = r["words"] / r["seconds"]
        lines.append(f"{name:<10} {r['articles']:>8} {r['words']:>10} {r['seconds']:>8.1f} "
                     f"{wps:>8.0f} {r['articles'] / r['seconds']:>10.2f} "
                     f"{r['peak_bytes'] / 2**20:>8.0f} {wps / base:>10.2f}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000, help="synthetic articles (default 1000)")
    parser.add_argument("--seed", type=int, default=20211217, help="random seed of the corpus")
    parser.add_argument("--workers", type=int, default=None, help="worker processes (default: cores)")
    parser.add_argument("--yardstick-articles", type=int, default=None,
                        help="run nlp.pipe over the first M articles only (default: all)")
    parser.add_argument("--phases", default="yardstick,extract,cli",
                        help="comma-separated phases to run (default: all three)")
    parser.add_argument("--keep", type=Path, default=None, help="build the corpus here and keep it")
    parser.add_argument("--json", type=Path, default=None, help="append results to this JSON-lines file")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out-dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.phase:  # child process: one measurement, one JSON line on stdout
        if args.phase == "yardstick":
            res = phase_yardstick(args.corpus, args.yardstick_articles)
        elif args.phase == "extract":
            res = phase_extract(args.corpus, args.out_dir, args.workers)
        else:
            res = phase_cli(args.corpus, args.out_dir, args.workers)
        print(json.dumps(res))
        return

    info = machine()
    work = Path(tempfile.mkdtemp(prefix="ultimatum-bench-"))
    corpus = args.keep or work / "raw"
    try:
        t0 = time.perf_counter()
        if not (corpus.is_dir() and len(list(corpus.glob("*.txt"))) == args.articles):
            if corpus.exists():
                shutil.rmtree(corpus)
            build_corpus(corpus, args.articles, args.seed)
        print(f"corpus: {args.articles} articles ({time.perf_counter() - t0:.0f} s to build); "
              f"{info['cores']} cores, {info['cpu']}, load {info['load_before']}", flush=True)
        results: dict[str, dict] = {}
        for name in args.phases.split(","):
            results[name] = run_phase(name, args, corpus, work / f"out-{name}")
            r = results[name]
            print(f"  {name}: {r['words'] / r['seconds']:.0f} words/s, "
                  f"{r['peak_bytes'] / 2**20:.0f} MiB peak", flush=True)
        if "yardstick" in results:
            print(table(results))
        if "extract" in results:
            e = results["extract"]
            print(f"extract: {e['events']} events; parsed {e['parsed_sentences']} of "
                  f"{e['sentences']} sentences with {e['workers']} worker(s)")
        if args.json:
            with open(args.json, "a", encoding="utf-8") as fh:
                fh.write(json.dumps({"articles": args.articles, "seed": args.seed,
                                     "machine": info, "results": results}) + "\n")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
