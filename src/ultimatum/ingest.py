"""Ingest: one clean row per article from a folder of raw files.

Reads ``.txt`` and ``.html``/``.htm`` files, cuts page boilerplate (banners,
trailers, repeated titles), finds title, outlet, URL and publication date, and
lets a ``manifest.csv`` in the folder override what the text does not say.
Every file is either an article row or a row of ``skipped`` with its reason."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd

from . import dates
from .lexicon import boilerplate_rules
from .nlp import sentencizer

ARTICLE_COLUMNS = ["article_id", "title", "outlet", "url", "published", "date_source",
                   "body", "n_sentences", "n_words"]
SKIPPED_COLUMNS = ["file", "reason"]
MANIFEST_COLUMNS = ["file", "url", "outlet", "published", "evidence"]
TEXT_SUFFIXES = {".txt"}
HTML_SUFFIXES = {".html", ".htm"}
MANIFEST_NAME = "manifest.csv"
HEADER_LINES = 8

_URL_LINE = re.compile(r"^\s*(https?://\S+)\s*$")
_AGENCY = re.compile(r"\((Reuters|AP|AFP|Bloomberg|Interfax|TASS)\)")


class IngestError(Exception):
    """A problem with the raw folder as a whole (missing, empty, bad manifest)."""


@dataclass
class Ingested:
    """Articles read from a folder, and the files that were not."""
    articles: pd.DataFrame
    skipped: pd.DataFrame


def decode(raw: bytes) -> str:
    """Bytes to text: BOM-marked UTF-8/UTF-16 first, then UTF-8, then a detector."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes
    best = from_bytes(raw).best()
    if best is None:
        raise ValueError("not text in any known encoding")
    return str(best)


def html_to_text(html: str) -> tuple[str, dict[str, str]]:
    """Main text and metadata (title, url, date, sitename) of an HTML page."""
    import json

    import trafilatura
    extracted = trafilatura.extract(html, output_format="json", with_metadata=True,
                                    include_comments=False, include_tables=False,
                                    favor_precision=True)
    if not extracted:
        return "", {}
    data = json.loads(extracted)
    meta = {k: (data.get(k) or "") for k in ("title", "url", "date", "sitename")}
    return data.get("text") or "", meta


def clean_lines(text: str) -> list[str]:
    """Non-empty lines with boilerplate dropped and trailers cut off."""
    out: list[str] = []
    rules = boilerplate_rules()
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = re.sub(r"[ \t\u00a0]+", " ", line).strip()
        if not line:
            continue
        if any(action == "cut_after" and pat.search(line) for action, pat in rules):
            break
        if any(action == "drop_line" and pat.search(line) and len(line.split()) < 250
               for action, pat in rules):
            continue
        out.append(line)
    return out


def read_manifest(raw_dir: Path) -> pd.DataFrame:
    """The folder's manifest (empty if there is none), validated."""
    path = raw_dir / MANIFEST_NAME
    if not path.exists():
        return pd.DataFrame(columns=MANIFEST_COLUMNS)
    try:
        manifest = pd.read_csv(path, dtype=str, keep_default_na=False)
    except Exception as exc:  # pandas raises several parser errors
        raise IngestError(f"{path}: not a readable CSV ({exc})") from exc
    if "file" not in manifest.columns:
        raise IngestError(f"{path}: needs a 'file' column (has {', '.join(manifest.columns)})")
    for col in MANIFEST_COLUMNS:
        if col not in manifest.columns:
            manifest[col] = ""
    return manifest[MANIFEST_COLUMNS]


def _outlet_from(url: str, lines: list[str]) -> str:
    for line in lines[:HEADER_LINES + 2]:
        m = _AGENCY.search(line)
        if m:
            return m.group(1)
    host = urlparse(url).netloc if url else ""
    return host[4:] if host.startswith("www.") else host


def parse_text(article_id: str, text: str, meta: dict[str, str] | None = None) -> dict:
    """One article row from cleaned text (no manifest applied)."""
    meta = meta or {}
    lines = clean_lines(text)
    url = meta.get("url", "")
    title_index: int | None = None
    header_meta: set[int] = set()
    for i, line in enumerate(lines[:HEADER_LINES]):
        m = _URL_LINE.match(line)
        if m:
            url = url or m.group(1)
            header_meta.add(i)
        elif dates.is_date_line(line):
            header_meta.add(i)
        elif title_index is None and len(line.split()) <= 30:
            title_index = i
    title = meta.get("title") or (lines[title_index] if title_index is not None else "")
    body_lines = [line for i, line in enumerate(lines)
                  if i not in header_meta and i != title_index and line != title]
    published, source = dates.publication_date(lines[:HEADER_LINES], title_index, body_lines, url)
    if published is None and meta.get("date"):
        published = dates.parse_date(meta["date"])
        source = "header" if published else ""
    body = "\n\n".join(body_lines)
    return {
        "article_id": article_id,
        "title": title,
        "outlet": meta.get("sitename") or _outlet_from(url, lines),
        "url": url,
        "published": published.isoformat() if published else "",
        "date_source": source,
        "body": body,
    }


def _count(body: str) -> tuple[int, int]:
    doc = sentencizer()(body[:1_000_000])
    return sum(1 for s in doc.sents if any(t.is_alpha for t in s)), len(re.findall(r"\w+", body))


def _apply_manifest(row: dict, entry: dict[str, str], file: str) -> dict:
    for col in ("url", "outlet"):
        if entry.get(col):
            row[col] = entry[col]
    if entry.get("published"):
        try:
            row["published"] = dt.date.fromisoformat(entry["published"].strip()).isoformat()
            row["date_source"] = "manifest"
        except ValueError as exc:
            raise IngestError(f"manifest.csv: row for {file}: published "
                              f"'{entry['published']}' is not a YYYY-MM-DD date") from exc
    return row


def read_article(path: Path) -> dict:
    """Parse one raw file into an article row (without manifest or counts)."""
    text = decode(path.read_bytes())
    meta: dict[str, str] = {}
    if path.suffix.lower() in HTML_SUFFIXES:
        text, meta = html_to_text(text)
    return parse_text(path.stem, text, meta)


def ingest(raw_dir: str | Path) -> Ingested:
    """Read every article in ``raw_dir``; report every file that is not one."""
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise IngestError(f"{raw_dir}: no such folder")
    manifest = read_manifest(raw_dir)
    entries = {row["file"]: row for row in manifest.to_dict("records")}
    rows: list[dict] = []
    skipped: list[dict] = []
    files = sorted(p for p in raw_dir.iterdir() if p.is_file() and p.name != MANIFEST_NAME
                   and not p.name.startswith("."))
    for path in files:
        suffix = path.suffix.lower()
        if suffix not in TEXT_SUFFIXES | HTML_SUFFIXES:
            skipped.append({"file": path.name, "reason": f"unsupported file type '{suffix or 'none'}'"})
            continue
        try:
            row = read_article(path)
        except (ValueError, UnicodeError) as exc:
            skipped.append({"file": path.name, "reason": f"unreadable: {exc}"})
            continue
        if not row["body"].strip():
            skipped.append({"file": path.name, "reason": "no article text after removing boilerplate"})
            continue
        if path.name in entries:
            row = _apply_manifest(row, entries[path.name], path.name)
        row["n_sentences"], row["n_words"] = _count(row["body"])
        rows.append(row)
    for name in sorted(set(entries) - {p.name for p in files}):
        skipped.append({"file": name, "reason": "named in manifest.csv but not in the folder"})
    if not rows and not skipped:
        raise IngestError(f"{raw_dir}: no articles (.txt, .html, .htm) in the folder")
    articles = pd.DataFrame(rows, columns=ARTICLE_COLUMNS)
    return Ingested(articles, pd.DataFrame(skipped, columns=SKIPPED_COLUMNS))
