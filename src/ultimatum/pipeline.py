"""The extraction pipeline as one call: ingest a raw folder, extract events,
group distinct claims and write the tables atomically."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .claims import assign_claims, claims_table
from .extract import extract_events
from .ingest import Ingested, ingest
from .io import write_csv_atomic


@dataclass
class ExtractResult:
    """Tables produced by one extraction run."""
    articles: pd.DataFrame
    skipped: pd.DataFrame
    events: pd.DataFrame
    claims: pd.DataFrame

    def summary(self) -> str:
        """One line: files read, processed, skipped; events and claims found."""
        n_proc, n_skip = len(self.articles), len(self.skipped)
        return (f"read {n_proc + n_skip} files: {n_proc} processed, {n_skip} skipped; "
                f"{len(self.events)} events, {len(self.claims)} distinct claims")


def extract_from_articles(ingested: Ingested) -> ExtractResult:
    """Events and claims for already ingested articles."""
    events = assign_claims(extract_events(ingested.articles))
    return ExtractResult(ingested.articles, ingested.skipped, events, claims_table(events))


def write_tables(result: ExtractResult, out_dir: str | Path) -> dict[str, Path]:
    """Write articles, skipped, events and claims CSVs into ``out_dir``."""
    out_dir = Path(out_dir)
    return {name: write_csv_atomic(getattr(result, name), out_dir / f"{name}.csv")
            for name in ("articles", "skipped", "events", "claims")}


def run_extract(raw_dir: str | Path, out_dir: str | Path) -> ExtractResult:
    """Ingest ``raw_dir``, extract, and write the tables into ``out_dir``."""
    result = extract_from_articles(ingest(raw_dir))
    write_tables(result, out_dir)
    return result
