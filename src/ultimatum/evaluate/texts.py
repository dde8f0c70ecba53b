"""Putting back the texts of the real-article gold sets.

Published articles are not the project's to redistribute, so
``tests/gold/real/manifest.csv`` holds, for each article, its URL, outlet,
publication date, split, and fingerprints of the annotated text instead of the
text: hashes of its first and last eight words (which mark where the
annotated excerpt starts and ends on the page) and a SHA-256 of the whole
file. The headline is given when the annotator wrote it (the excerpt had
none). :func:`restore` rebuilds ``texts/<split>/<article_id>.txt`` with an
ingest ``manifest.csv`` beside them, either from a folder of copies
(``--from``: checked against the SHA-256), or from a folder of saved pages
(``--pages``), or by fetching each URL, cutting the excerpt out of the page's
text. Pages change after annotation (a caption or a "Read more" line added,
a paragraph repeated), so the cut tries every place the excerpt's first and
last words occur and every way of leaving out up to three of its paragraphs,
and keeps the one whose SHA-256 is the annotated text's.

Where no page can be had, :func:`rebuild` (``--from-gold``) writes an
approximation from the committed annotations alone: the gold rows'
sentences in their order, the no-event sentences spread among them.
A text already there and byte for byte the annotated one is kept by every
way; one that a run could not put back is removed, so no stale text is
scored. ``status.csv`` beside the split folders says how each text was had,
and the evaluator marks scores measured on rebuilt texts."""
from __future__ import annotations

import csv
import hashlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

REAL_DIR = Path("tests") / "gold" / "real"
TEXTS_DIRNAME = "texts"
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                         "\u2013": "-", "\u2014": "-", "\u2026": "..."})
_WORD = re.compile(r"[a-z0-9]+")
SHINGLE = 8
#: Paragraphs of a page the annotated excerpt may have left out (captions, links).
MAX_DROPPED = 3
#: Above this many paragraphs in a cut, leaving some out is not tried (too many ways).
MAX_PARAGRAPHS = 60


#: How each text was had (article_id, split, status, detail), beside the split folders.
STATUS_FILE = "status.csv"
#: The status of a text rebuilt from the annotations (:func:`rebuild`), and
#: the ``texts`` of a set scored on such texts in the results file.
REBUILT = "rebuilt"
#: The ``texts`` of a set scored on the articles as annotated.
FULL = "full"
#: The real sets' annotation files a rebuild reads, beside the manifest.
NO_EVENT_FILE = "no_event.csv"
ANNOTATION_FILES = ("dev_gold.csv", "test_gold.csv", NO_EVENT_FILE)


@dataclass(frozen=True)
class Restored:
    """What happened to one article: ``exact`` (the annotated text, byte for
    byte), ``differs`` (cut from the page, but not byte-identical: scores may
    shift slightly), ``rebuilt`` (from the annotated sentences alone,
    :func:`rebuild`) or ``missing`` (with the reason)."""
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


def cut_excerpts(page: str, start_hash: str, end_hash: str) -> list[str]:
    """Every part of ``page`` from eight words hashing to ``start_hash`` to
    eight words hashing to ``end_hash`` (paragraphs separated by a blank
    line), first occurrences first; empty when either is not on the page."""
    spans = word_spans(page)
    words = [w for w, _, _ in spans]
    hashes = [shingle_hash(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)]
    starts = [i for i, h in enumerate(hashes) if h == start_hash]
    ends = [i for i, h in enumerate(hashes) if h == end_hash]
    out = []
    for first in starts:
        for end in (e for e in ends if e >= first):
            excerpt = page[spans[first][1]:spans[end + SHINGLE - 1][2]]
            paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n|\n", excerpt)]
            out.append("\n\n".join(p for p in paragraphs if p))
    return out


def annotated_text(row: dict[str, str], page: str, title: str) -> tuple[str, bool] | None:
    """The annotated text of the manifest ``row`` rebuilt from a page's text
    and title, and whether it is byte for byte the annotated one (its SHA-256);
    None when the excerpt is not on the page. Tries every cut, then the cuts
    with up to :data:`MAX_DROPPED` paragraphs left out."""
    bodies = cut_excerpts(page, row["body_start"], row["body_end"])
    if not bodies:
        return None
    titles = [row["headline"]] if row.get("headline") else list(dict.fromkeys([title, title.lstrip("•·-* ").strip()]))

    def exact(body: str) -> str | None:
        for heading in titles:
            text = f"{heading}\n\n{body}\n"
            if hashlib.sha256(text.encode()).hexdigest() == row["sha256"]:
                return text
        return None
    for body in bodies:
        if (text := exact(body)) is not None:
            return text, True
    for dropped in range(1, MAX_DROPPED + 1):
        for body in bodies:
            paragraphs = body.split("\n\n")
            if len(paragraphs) > MAX_PARAGRAPHS or len(paragraphs) <= dropped:
                continue
            for left_out in combinations(range(len(paragraphs)), dropped):
                kept = "\n\n".join(p for i, p in enumerate(paragraphs) if i not in left_out)
                if (text := exact(kept)) is not None:
                    return text, True
    return f"{titles[0]}\n\n{bodies[0]}\n", False


def read_manifest(real_dir: Path) -> list[dict[str, str]]:
    """The real-article manifest's rows."""
    with open(real_dir / "manifest.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def page_text(html: str) -> tuple[str, str]:
    """(text, title) of a web page's HTML, through trafilatura."""
    import trafilatura
    text = trafilatura.extract(html, include_comments=False, include_tables=False) or ""
    meta = trafilatura.extract_metadata(html)
    return text, (meta.title if meta and meta.title else "")


def _fetch_page(url: str) -> tuple[str, str]:
    """(text, title) of the page at ``url``."""
    import trafilatura
    html = trafilatura.fetch_url(url)
    if not html:
        raise OSError("could not download the page")
    return page_text(html)


def saved_pages(folder: str | Path) -> Callable[[dict[str, str]], tuple[str, str]]:
    """A page source reading ``<article_id>.html`` (or ``.htm``) saved from the
    article's URL, or ``<article_id>.txt`` holding the page's text with its
    title on the first line, anywhere below ``folder``."""
    files = {p.stem: p for p in sorted(Path(folder).rglob("*")) if p.suffix in (".html", ".htm", ".txt")}

    def read(row: dict[str, str]) -> tuple[str, str]:
        path = files.get(row["article_id"])
        if path is None:
            raise OSError("no saved page in the pages folder")
        raw = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix != ".txt":
            return page_text(raw)
        first = next((line.strip() for line in raw.splitlines() if line.strip()), "")
        return raw, first
    return read


def _write_ingest_manifest(folder: Path, rows: list[dict[str, str]]) -> None:
    with open(folder / "manifest.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["file", "url", "outlet", "published", "evidence"])
        for row in rows:
            writer.writerow([f"{row['article_id']}.txt", row["url"], row["outlet"], row["published"], row["evidence"]])


def restore(real_dir: str | Path = REAL_DIR, source: str | Path | None = None,
            fetch: Callable[[str], tuple[str, str]] = _fetch_page,
            pages: str | Path | None = None) -> list[Restored]:
    """Write the texts of every article in ``real_dir/manifest.csv`` to
    ``real_dir/texts/<split>/``: from the folder ``source`` (exact copies
    named ``<article_id>.txt``, any layout below it), or cut out of pages
    saved in the folder ``pages`` (:func:`saved_pages`), or else cut out of
    each URL's page fetched from the web."""
    real_dir = Path(real_dir)
    copies = {p.stem: p for p in Path(source).rglob("*.txt")} if source is not None else None
    get_page = saved_pages(pages) if pages is not None else (lambda row: fetch(row["url"]))
    return _write_texts(real_dir, lambda row, folder: _restore_one(row, folder, copies, get_page))


def _is_annotated(path: Path, row: dict[str, str]) -> bool:
    """Whether ``path`` holds the annotated text itself (its SHA-256)."""
    return path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == row["sha256"]


def _write_texts(real_dir: Path, one: Callable[[dict[str, str], Path], Restored]) -> list[Restored]:
    """Put back every article of the manifest in its split's folder with
    ``one`` (a text already there byte for byte is kept; one that could not
    be had is removed), then write each folder's ingest manifest and
    ``status.csv``."""
    rows = read_manifest(real_dir)
    done: list[Restored] = []
    for split in sorted({r["split"] for r in rows}):
        folder = real_dir / TEXTS_DIRNAME / split
        folder.mkdir(parents=True, exist_ok=True)
        own = [r for r in rows if r["split"] == split]
        for row in own:
            target = folder / f"{row['article_id']}.txt"
            got = Restored(row["article_id"], "exact", "already there") if _is_annotated(target, row) \
                else one(row, folder)
            if got.status == "missing":
                target.unlink(missing_ok=True)  # an earlier run's text is not what this run could have
            done.append(got)
        _write_ingest_manifest(folder, [r for r in own if (folder / f"{r['article_id']}.txt").is_file()])
    _write_status(real_dir, rows, done)
    return done


def _write_status(real_dir: Path, rows: list[dict[str, str]], done: list[Restored]) -> None:
    split_of = {r["article_id"]: r["split"] for r in rows}
    with open(real_dir / TEXTS_DIRNAME / STATUS_FILE, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["article_id", "split", "status", "detail"])
        for d in done:
            writer.writerow([d.article_id, split_of[d.article_id], d.status, d.detail])


def rebuilt_articles(folder: Path) -> set[str]:
    """The articles of a split folder whose texts were rebuilt from the
    annotations (:func:`rebuild`), as ``status.csv`` beside it records."""
    status = folder.parent / STATUS_FILE
    if not status.is_file():
        return set()
    with open(status, encoding="utf-8", newline="") as fh:
        return {r["article_id"] for r in csv.DictReader(fh) if r.get("status") == REBUILT}


def _sentences(path: Path) -> dict[str, list[str]]:
    """Article id -> the distinct sentences of an annotation file, in its order."""
    out: dict[str, dict[str, None]] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            out.setdefault(r["article_id"], {})[r["sentence"]] = None
    return {aid: list(sentences) for aid, sentences in out.items()}


def rebuild(real_dir: str | Path = REAL_DIR) -> list[Restored]:
    """Write ``real_dir/texts/<split>/`` from the annotations alone, when the
    published texts cannot be had: the headline, or the outlet's name
    (headlines are not annotated), then, a paragraph each, the distinct
    sentences of the article's gold rows in their order, with the sentences
    of ``no_event.csv`` spread evenly among them (the annotators listed the
    two apart, so their interleaving is not known). The sentences annotators
    passed over (4% of the development texts' words, 12% of the test texts')
    are absent, so scores on these texts approximate those on the published
    ones. Raises FileNotFoundError naming an annotation file that is absent."""
    real_dir = Path(real_dir)
    gold = [_sentences(real_dir / name) for name in ANNOTATION_FILES[:2]]
    quiet = _sentences(real_dir / NO_EVENT_FILE)

    def one(row: dict[str, str], folder: Path) -> Restored:
        aid = row["article_id"]
        events = [s for by_article in gold for s in by_article.get(aid, [])]
        seen = set(events)
        others = [s for s in quiet.get(aid, []) if s not in seen]
        if not events and not others:
            return Restored(aid, "missing", "no annotated sentence to rebuild it from")
        placed = sorted([((i + 0.5) / len(events), 0, s) for i, s in enumerate(events)]
                        + [((i + 0.5) / len(others), 1, s) for i, s in enumerate(others)])
        (folder / f"{aid}.txt").write_text((row.get("headline") or row["outlet"]) + "\n\n"
                                           + "\n\n".join(s for _, _, s in placed) + "\n", encoding="utf-8")
        return Restored(aid, REBUILT, f"{len(events) + len(others)} sentences")
    return _write_texts(real_dir, one)


def _restore_one(row: dict[str, str], folder: Path, copies: dict[str, Path] | None,
                 get_page: Callable[[dict[str, str]], tuple[str, str]]) -> Restored:
    """One article's text: its copy from ``copies`` (a folder of copies was
    given), else cut out of the page ``get_page`` gives."""
    aid = row["article_id"]
    target = folder / f"{aid}.txt"
    if copies is not None:
        copy = copies.get(aid)
        if copy is None:
            return Restored(aid, "missing", "not in the source folder")
        data = copy.read_bytes()
        if hashlib.sha256(data).hexdigest() != row["sha256"]:
            return Restored(aid, "missing", f"{copy.name} is not the annotated text (SHA-256 differs)")
        target.write_bytes(data)
        return Restored(aid, "exact")
    try:
        page, title = get_page(row)
    except OSError as exc:
        return Restored(aid, "missing", f"{row['url']}: {exc}")
    found = annotated_text(row, page, title)
    if found is None:
        return Restored(aid, "missing", f"{row['url']}: the annotated excerpt is not on the page any more")
    text, exact = found
    target.write_text(text, encoding="utf-8")
    return Restored(aid, "exact" if exact else "differs")
