"""Command line: ``ultimatum extract``, ``ultimatum report``, ``ultimatum evaluate``."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from .ingest import IngestError


def _fail(message: str) -> None:
    click.echo(f"ultimatum: error: {message}", err=True)
    sys.exit(2)


def _check_raw(raw_dir: str) -> Path:
    path = Path(raw_dir)
    if not path.exists():
        _fail(f"{raw_dir}: no such folder")
    if not path.is_dir():
        _fail(f"{raw_dir}: not a folder")
    return path


@click.group()
@click.version_option(package_name="ultimatum")
def main() -> None:
    """Demands, responses and escalation signals in the Russia-NATO crisis."""


@main.command()
@click.argument("raw_dir")
@click.option("--out", "out_dir", required=True, help="Folder for articles/events/claims CSVs.")
def extract(raw_dir: str, out_dir: str) -> None:
    """Extract events from every article in RAW_DIR into OUT_DIR."""
    from .pipeline import run_extract
    raw = _check_raw(raw_dir)
    try:
        result = run_extract(raw, out_dir)
    except IngestError as exc:
        _fail(str(exc))
    if result.articles.empty:
        _fail(f"{raw_dir}: no readable articles ({result.summary()})")
    click.echo(result.summary())


@main.command()
@click.option("--raw", "raw_dir", required=True, help="Folder of raw articles.")
@click.option("--out", "out_dir", required=True, help="Folder for the report.")
@click.option("--processed", "processed_dir", default=None,
              help="Folder for the CSV tables (default: OUT/data).")
def report(raw_dir: str, out_dir: str, processed_dir: str | None) -> None:
    """Run the notebooks and render OUT/report.html and OUT/report.pdf."""
    from .ingest import ingest
    from .notebooks import run_notebooks
    raw = _check_raw(raw_dir)
    try:
        if ingest(raw).articles.empty:
            _fail(f"{raw_dir}: no readable articles")
    except IngestError as exc:
        _fail(str(exc))
    processed = Path(processed_dir) if processed_dir else Path(out_dir) / "data"
    run_notebooks(raw, processed, out_dir)
    click.echo(f"report written to {Path(out_dir) / 'report.html'} and {Path(out_dir) / 'report.pdf'}")


if __name__ == "__main__":  # pragma: no cover
    main()
