"""Putting back the texts of the real-article gold sets.

Published articles are not the project's to redistribute, so
``tests/gold/real/manifest.csv`` holds, for each article, its URL, outlet,
publication date, split, and fingerprints of the annotated text instead of the
text: hashes of its first and last eight words (which mark where the
annotated excerpt starts and ends on the page) and a SHA-256 of the whole
file. The headline is given when the annotator wrote it (the excerpt had
none). :func:`restore` rebuilds ``texts/<split>/<article_id>.txt`` with an
ingest ``manifest.csv`` beside them, either from a folder of copies
(``--from``: checked against the SHA-256) or by fetching each URL and cutting
the excerpt out of the page's text."""
from __future__ import annotations

import csv
import hashlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REAL_DIR = Path("tests") / "gold" / "real"
TEXTS_DIRNAME = "texts"
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                         "\u2013": "-", "\u2014": "-", "\u2026": "..."})
_WORD = re.compile(r"[a-z0-9]+")
SHINGLE = 8


@dataclass(frozen=True)
class Restored:
    """What happened to one article: ``exact`` (the annotated text, byte for
    byte), ``differs`` (cut from the page, but not byte-identical: scores may
    shift slightly) or ``missing`` (with the reason)."""
    article_id: str
    status: str
    detail: str = ""


def _normal(text: str) -> str:
    return unicodedata.normalize("NFKC", text).translate(_QUOTES).lower()


def word_spans(text: str) -> list[tuple[str, int, int]]:
    """Normalised words of ``text`` with their character spans in it.
    NFKC may change lengths, so spans are found word by word on the original."""
    spans = []
    for match in re.finditer(r"\S+", text):
        for word in _WORD.findall(_normal(match.group(0))):
            spans.append((word, match.start(), match.end()))
    return spans


def shingle_hash(words: list[str]) -> str:
    """Fingerprint of a run of normalised words."""
    return hashlib.sha256(" ".join(words).encode()).hexdigest()[:16]


def fingerprints(body: str) -> tuple[str, str, int]:
    """(hash of the first eight words, hash of the last eight, word count) of a text."""
    words = [w for w, _, _ in word_spans(body)]
    return shingle_hash(words[:SHINGLE]), shingle_hash(words[-SHINGLE:]), len(words)


def cut_excerpt(page: str, start_hash: str, end_hash: str) -> str | None:
    """The part of ``page`` from the eight words hashing to ``start_hash`` to
    the eight words hashing to ``end_hash`` (paragraphs separated by a blank
    line), or None when either is not on the page."""
    spans = word_spans(page)
    words = [w for w, _, _ in spans]
    starts = [i for i in range(len(words) - SHINGLE + 1) if shingle_hash(words[i:i + SHINGLE]) == start_hash]
    if not starts:
        return None
    first = starts[0]
    ends = [i for i in range(first, len(words) - SHINGLE + 1) if shingle_hash(words[i:i + SHINGLE]) == end_hash]
    if not ends:
        return None
    last = ends[0] + SHINGLE - 1
    excerpt = page[spans[first][1]:spans[last][2]]
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n|\n", excerpt)]
    return "\n\n".join(p for p in paragraphs if p)


def read_manifest(real_dir: Path) -> list[dict[str, str]]:
    """The real-article manifest's rows."""
    with open(real_dir / "manifest.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _fetch_page(url: str) -> tuple[str, str]:
    """(text, title) of a web page, through trafilatura."""
    import trafilatura
    html = trafilatura.fetch_url(url)
    if not html:
        raise OSError("could not download the page")
    text = trafilatura.extract(html, include_comments=False, include_tables=False) or ""
    meta = trafilatura.extract_metadata(html)
    return text, (meta.title if meta and meta.title else "")


def _write_ingest_manifest(folder: Path, rows: list[dict[str, str]]) -> None:
    with open(folder / "manifest.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["file", "url", "outlet", "published", "evidence"])
        for row in rows:
            writer.writerow([f"{row['article_id']}.txt", row["url"], row["outlet"], row["published"], row["evidence"]])


def restore(real_dir: str | Path = REAL_DIR, source: str | Path | None = None,
            fetch: Callable[[str], tuple[str, str]] = _fetch_page) -> list[Restored]:
    """Write the texts of every article in ``real_dir/manifest.csv`` to
    ``real_dir/texts/<split>/``, from the folder ``source`` (files named
    ``<article_id>.txt``, any layout below it) or, without it, from the web."""
    real_dir = Path(real_dir)
    rows = read_manifest(real_dir)
    copies = {p.stem: p for p in Path(source).rglob("*.txt")} if source is not None else {}
    done: list[Restored] = []
    for split in sorted({r["split"] for r in rows}):
        folder = real_dir / TEXTS_DIRNAME / split
        folder.mkdir(parents=True, exist_ok=True)
        own = [r for r in rows if r["split"] == split]
        _write_ingest_manifest(folder, own)
        for row in own:
            done.append(_restore_one(row, folder, copies, source is not None, fetch))
    return done


def _restore_one(row: dict[str, str], folder: Path, copies: dict[str, Path], from_folder: bool,
                 fetch: Callable[[str], tuple[str, str]]) -> Restored:
    aid = row["article_id"]
    target = folder / f"{aid}.txt"
    if from_folder:
        copy = copies.get(aid)
        if copy is None:
            return Restored(aid, "missing", "not in the source folder")
        data = copy.read_bytes()
        if hashlib.sha256(data).hexdigest() != row["sha256"]:
            return Restored(aid, "missing", f"{copy.name} is not the annotated text (SHA-256 differs)")
        target.write_bytes(data)
        return Restored(aid, "exact")
    try:
        page, title = fetch(row["url"])
    except OSError as exc:
        return Restored(aid, "missing", f"{row['url']}: {exc}")
    body = cut_excerpt(page, row["body_start"], row["body_end"])
    if body is None:
        return Restored(aid, "missing", f"{row['url']}: the annotated excerpt is not on the page any more")
    text = f"{row['headline'] or title}\n\n{body}\n"
    target.write_text(text, encoding="utf-8")
    exact = hashlib.sha256(text.encode()).hexdigest() == row["sha256"]
    return Restored(aid, "exact" if exact else "differs")
