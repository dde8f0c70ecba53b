"""``ultimatum export``: the events of a folder of tables written as
PLOVER-style JSON lines (``events.plover.jsonl``) and as a CAMEO-coded
tab-separated table (``events.cameo.tsv``).

The tables are checked first: a missing or unreadable table, or an event
with a type, party or topic the codebook does not define, stops the export
with one line naming the file (and the row), before anything is written.
The files are then written in full to temporary files and renamed into
place together, so a failed export leaves the previous files as they were.
A cell of the TSV that a spreadsheet would run as a formula gets a leading
quote, as in the tables (``ultimatum.read_table(path, sep="\\t")`` removes it)."""
from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ultimatum.export.codes import event_codes, topic_codes
from ultimatum.export.records import CAMEO_COLUMNS, EVENT_FIELDS, Article, cameo_rows, codes_of, event_id, plover_record
from ultimatum.runtime.atomic import StagedTables
from ultimatum.schema import PARTY_CODES
from ultimatum.tables import TableError, read_table, tables_folder

#: Export formats and the file each writes.
FORMATS = {"plover": "events.plover.jsonl", "cameo": "events.cameo.tsv"}
#: Events turned into records at a time.
CHUNK_ROWS = 5_000


class ExportError(ValueError):
    """The export cannot be written; the message names the path and says why."""


@dataclass
class Exported:
    """What one export wrote: each format's file, the events, and the CAMEO rows."""
    paths: dict[str, Path]
    n_events: int
    n_cameo_rows: int

    def summary(self) -> str:
        """One line for the command line."""
        files = ", ".join(str(p) for p in self.paths.values())
        rows = f" ({self.n_cameo_rows} CAMEO rows, one per recipient)" if "cameo" in self.paths else ""
        return f"exported {self.n_events} events{rows} to {files}"


def _first_bad(values: pd.Series, ok: set[str], split: bool) -> tuple[int, str] | None:
    """Position and value of the first cell (or code of a ``;`` cell) not in ``ok``."""
    for k, cell in enumerate(values.tolist()):
        for value in codes_of(cell) if split else [cell]:
            if value not in ok:
                return k, value
    return None


def check_events(events: pd.DataFrame, shown: Path) -> None:
    """:class:`TableError` naming ``shown`` and the row when an event's type,
    parties or topics are not the codebook's."""
    checks = [("event_type", set(event_codes()), False, "event type"),
              ("actor", set(PARTY_CODES), False, "party"),
              ("target", set(PARTY_CODES), True, "party"),
              ("topics", set(topic_codes()), True, "topic")]
    for column, ok, split, what in checks:
        bad = _first_bad(events[column], ok, split)
        if bad is not None:
            raise TableError(f"{shown}: row {bad[0] + 1}: {column}: unknown {what} {bad[1]!r} "
                             f"(known: {', '.join(sorted(ok))})")


def _numbered(events: pd.DataFrame) -> list[str]:
    """Each row's event id (its number counts the rows of its sentence before it)."""
    seen: dict[tuple[str, int], int] = {}
    ids = []
    for article_id, sentence_id in zip(events["article_id"].tolist(), events["sentence_id"].tolist()):
        n = seen[article_id, sentence_id] = seen.get((article_id, sentence_id), 0) + 1
        ids.append(event_id(article_id, sentence_id, n))
    return ids


def _chunks(events: pd.DataFrame, ids: list[str], articles: dict[str, Article]) -> Iterator[
        tuple[list[dict], list[str], list[Article]]]:
    for start in range(0, len(events), CHUNK_ROWS):
        rows = events.iloc[start:start + CHUNK_ROWS].to_dict("records")
        yield rows, ids[start:start + CHUNK_ROWS], [articles.get(r["article_id"], Article()) for r in rows]


def _json_line(record: dict) -> str:
    # U+2028/U+2029 are line breaks to some readers: escaped, the record stays on one line
    text = json.dumps(record, ensure_ascii=False)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029") + "\n"


def _plover_lines(events: pd.DataFrame, ids: list[str], articles: dict[str, Article]) -> Iterable[str]:
    for rows, eids, arts in _chunks(events, ids, articles):
        yield "".join(_json_line(plover_record(r, e, a)) for r, e, a in zip(rows, eids, arts))


class _CameoChunks:
    """The CAMEO table in chunks, counting its rows as they are made."""

    def __init__(self, events: pd.DataFrame, ids: list[str], articles: dict[str, Article]) -> None:
        self.events, self.ids, self.articles = events, ids, articles
        self.rows = 0

    def __iter__(self) -> Iterator[pd.DataFrame]:
        yield pd.DataFrame(columns=CAMEO_COLUMNS)  # the header, even with no events
        for rows, eids, arts in _chunks(self.events, self.ids, self.articles):
            table = [out for r, e, a in zip(rows, eids, arts) for out in cameo_rows(r, e, a)]
            self.rows += len(table)
            yield pd.DataFrame(table, columns=CAMEO_COLUMNS)


def _out_folder(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out}: not a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"{out}: cannot create the folder ({exc.strerror or exc})") from None
    if not os.access(out, os.W_OK | os.X_OK):
        raise ExportError(f"{out}: not writable")


def export_events(processed: str | os.PathLike, out: str | os.PathLike,
                  formats: Sequence[str] | None = None) -> Exported:
    """Write the events of the tables in ``processed`` into ``out`` in each
    of ``formats`` (default: every one of :data:`FORMATS`)."""
    chosen = list(dict.fromkeys(formats or FORMATS))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown:
        raise ExportError(f"unknown export format {', '.join(map(repr, unknown))} (known: {', '.join(FORMATS)})")
    processed, out = Path(processed), Path(out)
    source = tables_folder(processed)
    events = read_table(processed, "events", EVENT_FIELDS, source)
    check_events(events, processed / "events.csv")
    table = read_table(processed, "articles", ["article_id", "url", "title", "outlet"], source)
    articles = {a: Article(u, t, o) for a, u, t, o in table.itertuples(index=False, name=None)}
    ids = _numbered(events)
    _out_folder(out)
    paths = {f: out / FORMATS[f] for f in chosen}
    cameo = _CameoChunks(events, ids, articles)
    with StagedTables() as staged:
        if "plover" in paths:
            staged.add_text(paths["plover"], _plover_lines(events, ids, articles))
        if "cameo" in paths:
            staged.add(paths["cameo"], cameo, sep="\t")
        staged.commit()
    return Exported(paths, len(events), cameo.rows)
