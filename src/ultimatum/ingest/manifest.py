"""The raw folder's ``manifest.csv``: what the user knows about each file
(``file,url,outlet,published,evidence``), overriding what ingest infers.

A manifest is the user's own typing, so none of its mistakes stops a run:
a row with a day that does not exist, an ambiguous date or a date outside any
plausible range is reported and its date ignored, a file named twice uses its
first row, a row naming a file that is not in the folder is reported, a row
with an unbalanced quote is reported by its line and ignored (the rows after
it still apply), and a manifest that cannot be read at all is reported and
ignored."""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ultimatum.ingest import pubdates as dates
from ultimatum.ingest.decoding import NotText, decode
from ultimatum.ingest.textnorm import normalize_text

MANIFEST_NAME = "manifest.csv"
MANIFEST_COLUMNS = ["file", "url", "outlet", "published", "evidence"]
#: Reason prefix of skipped rows that are manifest rows, not files of the folder.
MANIFEST_PREFIX = "manifest.csv: "
#: Manifest dates more than this many years before or after the study window
#: (config/study.yaml) are taken for typing mistakes ("2099", "1999").
PLAUSIBLE_YEARS = 5
#: Most lines one quoted value may run over ("evidence" with a line break).
MAX_VALUE_LINES = 20
#: A line that starts a manifest row: a file name the folder could hold, then a comma.
_ROW_START = re.compile(r'^\s*"?[^",\n]+\.(?:txt|html?)"?\s*,', re.I)


@dataclass
class Manifest:
    """Usable manifest rows by file name, and the problems found reading it."""
    entries: dict[str, dict[str, str]]
    lines: dict[str, int]
    article_problems: dict[str, list[str]]
    skipped: list[dict[str, str]]


def manifest_key(name: str) -> str:
    """A file name as the manifest and the folder are matched (NFC: macOS
    writes names decomposed, people type them composed)."""
    return unicodedata.normalize("NFC", name.strip())


def read_manifest(raw_dir: Path) -> Manifest:
    """The folder's manifest.csv (empty if there is none). A problem never
    stops the run: a file named twice uses its first row, a manifest that
    cannot be read is ignored; both are reported."""
    path = Path(raw_dir) / MANIFEST_NAME
    empty = Manifest({}, {}, {}, [])
    if not path.is_file():
        return empty

    def ignored(reason: str) -> Manifest:
        empty.skipped.append({"file": MANIFEST_NAME, "reason": f"{MANIFEST_PREFIX}{reason}; manifest ignored"})
        return empty

    try:
        text = decode(path.read_bytes())
    except (OSError, NotText) as exc:
        return ignored(str(exc))
    records, unbalanced = _records(normalize_text(text))
    if unbalanced and (not records or unbalanced[0][0] < records[0][0]):
        return ignored(f"line {unbalanced[0][0]}: unbalanced quote in the header")
    columns = [c.strip() for c in (records[0][1] if records else [])]
    if "file" not in columns:
        return ignored(f"needs a 'file' column (has: {', '.join(columns) or 'nothing'})")
    manifest = Manifest({}, {}, {}, [])
    for line, first in unbalanced:
        what = f"row for '{first}'" if first else "row"
        manifest.skipped.append({"file": MANIFEST_NAME, "reason": (
            f"{MANIFEST_PREFIX}line {line}: unbalanced quote (a value opened with \" is never closed); "
            f"{what} ignored")})
    for line, fields in records[1:]:
        row = {c: v.strip() for c, v in zip(columns, fields)}
        name = manifest_key(row.get("file", ""))
        if not name:
            if any(row.values()):
                manifest.skipped.append({"file": MANIFEST_NAME,
                                         "reason": f"{MANIFEST_PREFIX}line {line} has no file name; row ignored"})
            continue
        if name in manifest.entries:
            manifest.article_problems.setdefault(name, []).append(
                f"manifest.csv line {line} names this file again; used line {manifest.lines[name]}")
            continue
        manifest.entries[name] = {c: row.get(c, "") for c in MANIFEST_COLUMNS}
        manifest.lines[name] = line
    return manifest


def _fields(chunk: str) -> list[str] | None:
    """The values of one CSV record, or None while a quoted value is still
    open at its end. A misplaced quote inside a value is read as the csv
    module reads it."""
    try:
        rows = list(csv.reader(io.StringIO(chunk), strict=True))
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            return None
        rows = list(csv.reader(io.StringIO(chunk)))
    return [value for row in rows for value in row]


def _records(text: str) -> tuple[list[tuple[int, list[str]]], list[tuple[int, str]]]:
    """The manifest's CSV records with the line each starts on, and the lines
    that start a record whose quote is never closed (with what precedes its
    first comma). A quoted value may run over a few lines, never into a line
    that starts another row: one unbalanced quote costs its own row only."""
    lines = text.split("\n")
    records: list[tuple[int, list[str]]] = []
    unbalanced: list[tuple[int, str]] = []
    i = 0
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        j = i
        fields = _fields(lines[i])
        while fields is None and j + 1 < len(lines) and j - i < MAX_VALUE_LINES \
                and not _ROW_START.match(lines[j + 1]):
            j += 1
            fields = _fields("\n".join(lines[i:j + 1]))
        if fields is None:
            unbalanced.append((i + 1, lines[i].split(",", 1)[0].strip().strip('"').strip()))
        else:
            records.append((i + 1, fields))
        i = j + 1
    return records, unbalanced


def plausible_dates() -> tuple[dt.date, dt.date]:
    """First and last day a manifest date may name: the study window's years
    widened by :data:`PLAUSIBLE_YEARS` on each side."""
    start, end = dates.study_window()
    return dt.date(start.year - PLAUSIBLE_YEARS, 1, 1), dt.date(end.year + PLAUSIBLE_YEARS, 12, 31)


#: A date in numbers alone other than YYYY-MM-DD ("01/02/2022", "2022/02/24").
_NUMERIC_DAY = re.compile(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}[/.]\d{1,2}[/.]\d{1,2}")


def apply_manifest(row: dict, entry: dict[str, str], line: int) -> tuple[dict, list[str]]:
    """Manifest values override inferred ones; a date that is not a real day,
    or is outside :func:`plausible_dates`, is reported and ignored."""
    problems: list[str] = []
    for col in ("url", "outlet"):
        if entry.get(col):
            row[col] = entry[col]
    value = entry.get("published", "")
    unusable = ""
    if value:
        date = dates.parse_manifest_date(value)
        lo, hi = plausible_dates()
        if date is None and _NUMERIC_DAY.fullmatch(value.strip()):
            unusable = "is not YYYY-MM-DD (a date in numbers alone is not guessed: day and month can be read either way)"
        elif date is None:
            unusable = "is not a real YYYY-MM-DD date"
        elif not lo <= date <= hi:
            unusable = (f"is outside the plausible years {lo.year}-{hi.year} (the study window's, "
                        f"{PLAUSIBLE_YEARS} years either side)")
        else:
            row["published"], row["date_source"] = date.isoformat(), "manifest"
    if not row["published"] and entry.get("url"):
        date = dates.date_from_url(entry["url"])
        if date:
            row["published"], row["date_source"] = date.isoformat(), "url"
    if unusable:
        kept = f"{row['published']} from the {row['date_source']}" if row["published"] else "no date"
        problems.append(f"manifest.csv line {line}: published '{value}' {unusable}; ignored (kept {kept})")
    return row, problems
