"""Wall time of `ultimatum report` on the seed articles, as a user meets it:

  cold      a new report folder and tables folder: every article extracted,
            every notebook run, the HTML rendered and the PDF laid out
  warm      the same command again, nothing changed: articles come from the
            cache, the notebooks run again, the PDF is the last one when the
            HTML is byte-identical
  edited    a narrative cell of the report notebook changed, then the same
            command: the PDF is laid out again

Each is the median of ``--runs`` runs (default 3), timed from launch to exit
of ``ultimatum report`` in a subprocess (interpreter start included); the
stage times come from the command's own ``--progress`` lines.

    python benchmarks/bench_report.py            # the seeds in data/raw
    python benchmarks/bench_report.py --runs 5
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STAGE = re.compile(r"\[\s*([\d.]+) s\] (.+?) \.\.\.")


def _run(cmd: list[str]) -> tuple[float, dict[str, float]]:
    """Wall seconds of ``cmd``, and the seconds each ``--progress`` stage took."""
    started = time.perf_counter()
    done = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - started
    marks = [(float(t), name) for t, name in STAGE.findall(done.stderr)]
    end = re.search(r"\[\s*([\d.]+) s\] done", done.stderr)
    stops = [t for t, _ in marks[1:]] + ([float(end.group(1))] if end else [])
    return wall, {name: round(stop - t, 1) for (t, name), stop in zip(marks, stops)}


def _edit(notebooks: Path, k: int) -> None:
    """Change the report notebook's first narrative cell (a reader's edit)."""
    path = notebooks / "03_report.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if c["cell_type"] == "markdown" and "".join(c["source"]).startswith("## "))
    cell["source"] = ["".join(cell["source"]) + f"\n\nEdited for the benchmark ({k}).\n"]
    path.write_text(json.dumps(nb, indent=1), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--raw", default=str(ROOT / "data" / "raw"), help="Folder of articles (default: the seeds).")
    parser.add_argument("--runs", type=int, default=3, help="Runs of each kind; the median is reported.")
    args = parser.parse_args()
    ultimatum = [sys.executable, "-m", "ultimatum.cli"]
    print(f"cores: {os.cpu_count()}, load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory(prefix="bench-report-") as tmp:
        notebooks = Path(tmp) / "notebooks"
        shutil.copytree(ROOT / "notebooks", notebooks)
        times: dict[str, list[tuple[float, dict[str, float]]]] = {"cold": [], "warm": [], "edited": []}
        for k in range(args.runs):
            out = Path(tmp) / f"report{k}"
            cmd = [*ultimatum, "report", "--raw", args.raw, "--out", str(out),
                   "--notebooks", str(notebooks), "--gold-root", str(ROOT), "--progress"]
            times["cold"].append(_run(cmd))
            times["warm"].append(_run(cmd))
            _edit(notebooks, k)
            times["edited"].append(_run(cmd))
        print("\n| run | wall s (median) | runs | stages (s, of the median run) |\n|---|---:|---|---|")
        for kind, runs in times.items():
            walls = [wall for wall, _ in runs]
            median = sorted(runs, key=lambda r: r[0])[len(runs) // 2]
            stages = "; ".join(f"{name} {secs}" for name, secs in median[1].items())
            print(f"| {kind} | {statistics.median(walls):.1f} | {', '.join(f'{w:.1f}' for w in walls)} | {stages} |")


if __name__ == "__main__":
    main()
