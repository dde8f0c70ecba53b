"""Ingest: one clean row per article from a folder of raw files.

Reads ``.txt`` and ``.html``/``.htm`` files in any common encoding, cuts page
boilerplate (banners, trailers, repeated titles), finds title, outlet, URL and
publication date, lets a ``manifest.csv`` in the folder override what the text
does not say, and flags duplicates and syndicated copies (:mod:`ultimatum.ingest.dedupe`).

Every entry of the folder is accounted for: it is either a row of
``articles`` or a row of ``skipped`` with its reason, and a problem that does
not stop a file from being read (no date anywhere, a manifest date that does
not exist) is written in the article's ``problems`` column. Only a missing or
empty folder raises :class:`IngestError`. Decoding bytes is in
:mod:`ultimatum.ingest.decoding`, the manifest in :mod:`ultimatum.ingest.manifest`."""
from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from ultimatum.ingest import pubdates as dates
from ultimatum.ingest.decoding import NotText, decode_with_notes
from ultimatum.ingest.dedupe import fingerprint, flag_copies
from ultimatum.ingest.manifest import MANIFEST_NAME, MANIFEST_PREFIX, apply_manifest, manifest_key, read_manifest
from ultimatum.ingest.sitename import site_name
from ultimatum.ingest.textnorm import normalize_text, word_count
from ultimatum.lexicon import boilerplate_rules
from ultimatum.schema import ARTICLE_COLUMNS, PROBLEM_SEP, SKIPPED_COLUMNS

if TYPE_CHECKING:
    import pandas as pd  # loaded where tables are made: a worker reading files never loads pandas

TEXT_SUFFIXES = {".txt"}
HTML_SUFFIXES = {".html", ".htm"}
HEADER_LINES = 8
#: Largest file read as one article. News articles are a few kB and saved web
#: pages a few MB; anything bigger is a dump or a book, and reading it would
#: take minutes of parsing for no article.
MAX_FILE_MB = 10
#: Most words in one article (after HTML is stripped). The longest news
#: features have some 10,000; a text ten times longer is a collection.
MAX_WORDS = 100_000
#: Problem noted when no date is found (the article is still processed).
NO_DATE = "no publication date found: add it in manifest.csv (events get no date)"
#: Key of what decoding repaired in a row read from a file (never a column).
DECODING_NOTES = "_decoding_notes"

_WORD = re.compile(r"\w+")
_URL_LINE = re.compile(r"^\s*(https?://\S+)\s*$")
_AGENCY = re.compile(r"\((Reuters|AP|AFP|Bloomberg|Interfax|TASS)\)")
_HTML_START = re.compile(r"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html[\s>]|head[\s>])", re.I | re.S)
_TAG = re.compile(r"<[a-zA-Z!/][^>]*>")
#: A line ending as prose does (a full stop, perhaps inside a quote or
#: bracket), not as a headline does (no stop, or "?" and "!").
_PROSE_END = re.compile(r"[^.]\.[\"”’')\]]*\s*$")
#: Fewest words of a line that ends in a full stop and is read as the lede,
#: not the title ("Russia warns NATO." stays a title).
LEDE_MIN_WORDS = 8


class IngestError(Exception):
    """A problem with the raw folder as a whole (missing, or nothing in it)."""


class Skip(Exception):
    """A file that is not read as an article; the message is the reason."""


@dataclass
class Ingested:
    """Articles read from a folder, and the files that were not."""
    articles: pd.DataFrame
    skipped: pd.DataFrame


def looks_like_html(text: str) -> bool:
    """True for a saved web page (starts with a doctype, <html> or <head>)."""
    return bool(_HTML_START.match(text[:2000]))


def html_to_text(html: str) -> tuple[str, dict[str, str]]:
    """Main text and metadata (title, url, date, sitename) of an HTML page.

    Scripts, styles, navigation, sidebars and footers are left out by
    trafilatura. ``sitename`` is the site's declared name or its address's
    host (:func:`ultimatum.ingest.sitename.site_name`), never a part of the
    title. Dates come only from the page's structured metadata and URL,
    never from a guess on its visible text (a copyright year is not a date)."""
    import json

    import trafilatura
    tree = trafilatura.load_html(html)
    site = site_name(tree) if tree is not None else ""
    extracted = trafilatura.extract(html, output_format="json", with_metadata=True,
                                    include_comments=False, include_tables=False,
                                    favor_precision=True,
                                    date_extraction_params={"extensive_search": False,
                                                            "original_date": True})
    if not extracted:
        return "", {}
    data = json.loads(extracted)
    meta = {"title": data.get("title") or "",
            "url": data.get("url") or data.get("source") or "",
            "date": data.get("date") or "",
            "sitename": site}
    return data.get("text") or "", meta


def clean_lines(text: str) -> list[str]:
    """Non-empty lines with boilerplate dropped and trailers cut off."""
    out: list[str] = []
    rules = boilerplate_rules()
    for line in normalize_text(text).split("\n"):
        if not line:
            continue
        if any(action == "cut_after" and pat.search(line) for action, pat in rules):
            break
        if any(action == "drop_line" and pat.search(line) and len(line.split()) < 250
               for action, pat in rules):
            continue
        out.append(line)
    return out


def _outlet_from(url: str, lines: list[str]) -> str:
    for line in lines[:HEADER_LINES + 2]:
        m = _AGENCY.search(line)
        if m:
            return m.group(1)
    host = urlparse(url).netloc if url else ""
    return host[4:] if host.startswith("www.") else host


def _reads_as_lede(line: str) -> bool:
    """Is a short first line a sentence of the article, not its title? A
    text that starts with its lede ("Russian President Vladimir Putin on
    Saturday expressed concern about NATO drills.") would otherwise lose the
    lede, and its events, as a title."""
    return len(line.split()) >= LEDE_MIN_WORDS and bool(_PROSE_END.search(line))


def parse_text(article_id: str, text: str, meta: dict[str, str] | None = None) -> dict:
    """One article row from cleaned text (no manifest applied)."""
    meta = meta or {}
    lines = clean_lines(text)
    url = meta.get("url", "")
    title_index: int | None = None
    header_meta: set[int] = set()
    looked = False  # only the first line that is no URL or date may be the title
    for i, line in enumerate(lines[:HEADER_LINES]):
        m = _URL_LINE.match(line)
        if m:
            url = url or m.group(1)
            header_meta.add(i)
        elif dates.is_date_line(line):
            header_meta.add(i)
        elif not looked:
            looked = True
            if len(line.split()) <= 30 and not _reads_as_lede(line):
                title_index = i
    if meta.get("title"):  # a web page's own title: its first line only if it repeats it
        title_index = next((i for i, line in enumerate(lines[:HEADER_LINES])
                            if line == meta["title"] and i not in header_meta), None)
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


def count_sentences(row: dict) -> int:
    """Sentences of an article's body that hold a letter: its sentence units
    as extraction splits them (:func:`ultimatum.extract.attribution.sentence_units`),
    so a run counts them from the units it extracts from, not by a second split."""
    from ultimatum.extract.attribution import sentence_count, sentence_units
    return sentence_count(sentence_units(row))


# --- files ------------------------------------------------------------------

def read_text_file(path: Path) -> tuple[str, list[str]]:
    """A raw file's text and what decoding it repaired (for ``problems``),
    or :class:`Skip` with the reason it cannot be one."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise Skip(f"cannot be read ({exc.strerror or exc})") from exc
    if size == 0:
        raise Skip("empty file (0 bytes)")
    if size > MAX_FILE_MB * 1024 * 1024:
        raise Skip(f"file is {size / 1024 / 1024:.1f} MB, larger than the {MAX_FILE_MB} MB "
                   "limit for one article (split it into articles)")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise Skip(f"cannot be read ({exc.strerror or exc})") from exc
    try:
        text, notes = decode_with_notes(raw)
    except NotText as exc:
        raise Skip(str(exc)) from exc
    if not text.strip():
        raise Skip("no text (only whitespace)")
    return text, notes


def read_article(path: Path, article_id: str | None = None) -> dict:
    """Parse one raw file into an article row (without manifest or counts);
    :class:`Skip` says why a file is not an article. What decoding repaired
    travels as ``row[DECODING_NOTES]`` (a list), for the ``problems`` column."""
    text, notes = read_text_file(path)
    meta: dict[str, str] = {}
    is_html = path.suffix.lower() in HTML_SUFFIXES
    if is_html and not _TAG.search(text[:100_000]):
        is_html = False  # a text file named .html
    if not is_html and looks_like_html(text):
        is_html = True   # a saved web page named .txt
    if is_html:
        text, meta = html_to_text(text)
        if not text.strip():
            raise Skip("no article text found in the HTML page")
    n_words = word_count(text)
    if n_words > MAX_WORDS:
        raise Skip(f"{n_words:,} words, more than the {MAX_WORDS:,}-word limit for one article "
                   "(split it into articles)")
    row = parse_text(article_id or path.stem, text, meta)
    if not row["body"].strip():
        raise Skip("no article text after removing boilerplate" if not row["title"]
                   else "no article text: only a title or header lines")
    row[DECODING_NOTES] = notes
    return row


def _skip_reason(path: Path) -> str | None:
    """Why a folder entry is not even opened, or None to read it."""
    if path.is_dir():
        return "a folder: only files directly inside the raw folder are read"
    if path.name.startswith("."):
        return "hidden file"
    if not path.is_file():
        return "not a regular file"
    suffix = path.suffix.lower()
    if suffix not in TEXT_SUFFIXES | HTML_SUFFIXES:
        return (f"unsupported file type '{suffix or 'none'}' "
                f"(reads {', '.join(sorted(TEXT_SUFFIXES | HTML_SUFFIXES))})")
    return None


def file_name(path: Path) -> str:
    """A file's name as text that is valid UTF-8: bytes of a name that is not
    (a name made on a Latin-1 system) become U+FFFD."""
    return os.fsencode(path.name).decode("utf-8", "replace")


def _stem(name: str) -> str:
    return Path(name).stem


def _article_ids(paths: list[Path]) -> dict[Path, str]:
    """File name without extension; the full name when another file has the same stem."""
    ids: dict[Path, str] = {}
    seen: set[str] = set()
    for path in paths:
        name = file_name(path)
        article_id = _stem(name) if _stem(name) not in seen else name
        while article_id in seen:  # two names that differ only in undecodable bytes
            article_id += "_"
        seen.add(article_id)
        ids[path] = article_id
    return ids


FINGERPRINT = "_fingerprint"  # travels with a row from the worker, never a column


def read_file(item: tuple[Path, str]) -> dict | Exception:
    """One file's article row with its word count and fingerprint (its
    sentences are counted by extraction, ``n_sentences`` is 0 here), or the
    exception reading it raised (module-level so that ``ingest(mapper=...)``
    can run it in workers)."""
    path, article_id = item
    try:
        row = read_article(path, article_id)
    except Exception as exc:  # re-raised by ingest() in the parent
        return exc
    row["n_sentences"], row["n_words"] = 0, len(_WORD.findall(row["body"]))
    row[FINGERPRINT] = fingerprint(row["body"])
    return row


def read_counted(item: tuple[Path, str]) -> dict | Exception:
    """:func:`read_file` with the body's sentences counted (:func:`count_sentences`)."""
    row = read_file(item)
    if isinstance(row, dict):
        row["n_sentences"] = count_sentences(row)
    return row


def _empty(raw_dir: Path) -> str:
    return f"{raw_dir}: the folder is empty (no .txt, .html or .htm files)"


def folder_entries(raw_dir: Path, nonempty: bool = False) -> list[Path]:
    """The entries of the raw folder but its manifest, by name; IngestError
    when it is missing or cannot be listed (or, with ``nonempty``, holds none)."""
    if not raw_dir.is_dir():
        raise IngestError(f"{raw_dir}: no such folder")
    try:
        entries = sorted((p for p in raw_dir.iterdir() if p.name != MANIFEST_NAME), key=lambda p: p.name)
    except OSError as exc:
        raise IngestError(f"{raw_dir}: cannot list the folder ({exc.strerror or exc})") from exc
    if nonempty and not entries:
        raise IngestError(_empty(raw_dir))
    return entries


def ingest(raw_dir: str | Path, mapper: Callable = map, count: bool = True) -> Ingested:
    """Read every article in ``raw_dir``; report every entry that is not one.
    ``mapper`` (like ``map``, in order) may read the files in parallel. With
    ``count`` False, ``n_sentences`` is left 0 for the caller to fill in
    (extraction counts the sentence units it splits anyway)."""
    raw_dir = Path(raw_dir)
    entries = folder_entries(raw_dir)
    manifest = read_manifest(raw_dir)
    readable = [p for p in entries if _skip_reason(p) is None]
    ids = _article_ids(readable)
    rows: list[dict] = []
    fingerprints: list = []
    skipped: list[dict] = list(manifest.skipped)
    read = dict(zip(readable, mapper(read_counted if count else read_file, [(p, ids[p]) for p in readable])))
    for path in entries:
        reason = _skip_reason(path)
        if reason is None:
            try:
                row = read[path]
                if isinstance(row, Exception):
                    raise row
            except Skip as exc:
                reason = str(exc)
            except Exception as exc:  # one bad file never stops the run
                reason = f"could not be processed ({type(exc).__name__}: {exc})"
        if reason is not None:
            skipped.append({"file": file_name(path), "reason": reason})
            continue
        key = manifest_key(file_name(path))
        problems = list(row.pop(DECODING_NOTES, []))
        problems.extend(manifest.article_problems.get(key, []))
        if ids[path] != _stem(file_name(path)):
            problems.append(f"article_id is not the file name without extension: another "
                            f"file is named '{_stem(file_name(path))}'")
        if key in manifest.entries:
            row, found = apply_manifest(row, manifest.entries[key], manifest.lines[key])
            problems.extend(found)
        if not row["published"]:
            problems.append(NO_DATE)
        row["file"] = file_name(path)
        row["problems"] = PROBLEM_SEP.join(problems)
        fingerprints.append(row.pop(FINGERPRINT))
        rows.append(row)
    present = {manifest_key(file_name(p)) for p in entries}
    for name in sorted(set(manifest.entries) - present):
        skipped.append({"file": name, "reason": f"{MANIFEST_PREFIX}line {manifest.lines[name]} "
                                                "names this file, which is not in the folder"})
    if not entries and not skipped:
        raise IngestError(_empty(raw_dir))
    import pandas as pd
    articles = flag_copies(pd.DataFrame(rows, columns=ARTICLE_COLUMNS),
                           fingerprints=fingerprints)[ARTICLE_COLUMNS]
    exact = articles["duplicate_kind"] == "exact"  # no events of theirs are dated
    articles.loc[exact, "problems"] = [
        PROBLEM_SEP.join(p for p in cell.split(PROBLEM_SEP) if p != NO_DATE)
        for cell in articles.loc[exact, "problems"]]
    skipped_df = pd.DataFrame(skipped, columns=SKIPPED_COLUMNS)
    return Ingested(articles.reset_index(drop=True), skipped_df.reset_index(drop=True))


# --- accounting -------------------------------------------------------------

def file_counts(articles: pd.DataFrame, skipped: pd.DataFrame) -> dict[str, int]:
    """How many files were read, processed and skipped, and what is worth a
    look: duplicates, near copies, undated articles, manifest problems."""
    import pandas as pd
    reasons = skipped["reason"].astype(str) if len(skipped) else pd.Series(dtype=str)
    manifest_rows = int(reasons.str.startswith(MANIFEST_PREFIX).sum())
    kind = articles["duplicate_kind"] if "duplicate_kind" in articles else pd.Series(dtype=str)
    problems = articles["problems"].astype(str) if "problems" in articles else pd.Series(dtype=str)
    undated = (articles["problems"].astype(str).str.contains(NO_DATE, regex=False)
               if "problems" in articles else articles["published"].fillna("").astype(str) == "")
    return {
        "read": len(articles) + len(skipped) - manifest_rows,
        "processed": len(articles),
        "skipped": len(skipped) - manifest_rows,
        "exact_duplicates": int((kind == "exact").sum()),
        "near_copies": int((kind == "near").sum()),
        "undated": int(undated.sum()),
        "manifest_problems": manifest_rows + sum(
            1 for cell in problems for p in cell.split(PROBLEM_SEP) if p.startswith("manifest.csv")),
    }


def quality_note(counts: dict[str, int]) -> str:
    """Short words on what the data-quality section lists ('' when nothing)."""
    parts = []
    for key, one, many in (("exact_duplicates", "exact duplicate", "exact duplicates"),
                           ("near_copies", "near copy", "near copies"),
                           ("undated", "article without a date", "articles without a date"),
                           ("manifest_problems", "manifest problem", "manifest problems")):
        n = counts.get(key, 0)
        if n:
            parts.append(f"{n} {one if n == 1 else many}")
    return ", ".join(parts)


def data_quality(articles: pd.DataFrame, skipped: pd.DataFrame) -> pd.DataFrame:
    """One row per file (or manifest row) that needs a reader's attention:
    ``file``, ``status`` (skipped, duplicate, near copy, problem) and ``detail``.
    This is the report's data-quality table."""
    import pandas as pd
    rows = [{"file": r["file"], "status": "skipped", "detail": r["reason"]}
            for r in skipped.to_dict("records")]
    for r in articles.to_dict("records"):
        name = r.get("file") or r["article_id"]
        if r.get("duplicate_kind") == "exact":
            rows.append({"file": name, "status": "duplicate",
                         "detail": f"same text as {r['duplicate_of']}; its events are not counted again"})
        elif r.get("duplicate_kind") == "near":
            rows.append({"file": name, "status": "near copy",
                         "detail": f"syndicated copy of {r['duplicate_of']}; its events are "
                                   "mentions of the same claims"})
        for problem in filter(None, str(r.get("problems") or "").split(PROBLEM_SEP)):
            rows.append({"file": name, "status": "problem", "detail": problem})
    order = {"skipped": 0, "duplicate": 1, "near copy": 2, "problem": 3}
    rows.sort(key=lambda r: (order[r["status"]], r["file"], r["detail"]))
    return pd.DataFrame(rows, columns=["file", "status", "detail"])
