"""The raw folder's ``manifest.csv``: what the user knows about each file
(``file,url,outlet,published,evidence``), overriding what ingest infers.

A manifest is the user's own typing, so none of its mistakes stops a run:
a row with a day that does not exist or an ambiguous date is reported and
its date ignored, a file named twice uses its first row, a row naming a file
that is not in the folder is reported, and a manifest that cannot be read at
all is reported and ignored."""
from __future__ import annotations

import csv
import io
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
    reader = csv.DictReader(io.StringIO(normalize_text(text)))
    try:
        rows = [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        return ignored(f"not a readable CSV ({exc})")
    columns = [c.strip() for c in (reader.fieldnames or [])]
    if "file" not in columns:
        return ignored(f"needs a 'file' column (has: {', '.join(columns) or 'nothing'})")
    manifest = Manifest({}, {}, {}, [])
    for line, row in rows:
        row = {(k or "").strip(): (v if isinstance(v, str) else "").strip() for k, v in row.items()}
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


def apply_manifest(row: dict, entry: dict[str, str], line: int) -> tuple[dict, list[str]]:
    """Manifest values override inferred ones; an invalid date is reported and ignored."""
    problems: list[str] = []
    for col in ("url", "outlet"):
        if entry.get(col):
            row[col] = entry[col]
    value = entry.get("published", "")
    if value:
        date = dates.parse_manifest_date(value)
        if date is None:
            kept = f"{row['published']} from the {row['date_source']}" if row["published"] else "no date"
            problems.append(f"manifest.csv line {line}: published '{value}' is not a real "
                            f"YYYY-MM-DD date; ignored (kept {kept})")
        else:
            row["published"], row["date_source"] = date.isoformat(), "manifest"
    if not row["published"] and entry.get("url"):
        date = dates.date_from_url(entry["url"])
        if date:
            row["published"], row["date_source"] = date.isoformat(), "url"
    return row, problems
