"""Every file a user may drop into the raw folder is either processed or
skipped with a reason: never a crash, never a silent drop. The bad-input
corpus is built here, in a temporary folder, from the seed articles."""
from __future__ import annotations

import random
import shutil
import time
from pathlib import Path

import pandas as pd
import pytest

from cli_runner import run_cli
from ultimatum.ingest.reader import MANIFEST_NAME, MAX_FILE_MB, NO_DATE, data_quality, file_counts, ingest
from ultimatum.schema import ARTICLE_COLUMNS, SKIPPED_COLUMNS

SEED_003 = "003_3478608d93cf0d0b"

LATIN1_NAME = "latin1 export.txt"
LATIN1_TEXT = """Russia presses NATO at Genève talks

GENEVA, Jan 10, 2022 (Reuters) - Russia demanded that NATO stop its expansion, Deputy Foreign \
Minister Sergueï Riabkov told reporters after talks at the Palais des Nations in Genève.

The United States rejected the demand as a non-starter, a diplomat said in Genève, while the \
Élysée urged both sides to keep talking. Critics called the proposals naïve.
"""
UTF16_NAME = "utf16 export.txt"
UTF16_TEXT = """Poland warns of Russian troop build-up

WARSAW, Dec 14, 2021 (Reuters) - Poland accused Russia of massing troops near Ukraine, the foreign \
minister said in Kraków, and urged NATO allies in Zürich and Łódź to prepare sanctions.

Officials in Gdańsk said Russia wants guarantees that NATO will not expand.
"""
NODATE_NAME = "no date anywhere.txt"
NODATE_TEXT = """Allies weigh Russian proposals

NATO allies said they were studying the Russian proposals on security guarantees. The alliance \
rejected any idea of spheres of influence in Europe, and Ukraine urged its partners to stand firm.

Officials said talks could follow in the new year.
"""
ACCENTED_TEXT = """NATO answers Moscow in writing

BRUSSELS, Jan 26, 2022 (Reuters) - NATO sent Russia its written answers, offering talks on \
missile deployments and exercises while rejecting any veto on Ukraine joining the alliance.
"""
ACCENTED_NAME = "Déclaration de l’OTAN — réponse.txt"
CYRILLIC_NAME = "Заявление МИД России.txt"
HTML_NAME = "saved page.html"
HUGE_NAME = "huge dump.txt"
DUPLICATE_NAME = "copy of 003.txt"
SYNDICATED_NAME = "syndicated 003.txt"
MISSING_NAME = "never saved.txt"
RANDOM_NAME = "random bytes.txt"
IMPOSSIBLE_DATE = "2022-02-30"


def html_page(body_paragraphs: list[str]) -> str:
    """A saved news page: scripts, styles, navigation, sidebar, footer."""
    paras = "\n".join(f"<p>{p}</p>" for p in body_paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>NATO rejects Russian demands | World News</title>
<meta property="og:url" content="https://news.example.org/world/2022/01/12/nato-rejects-demands">
<style>body {{ font-family: serif; }} .nav {{ color: red; }} STYLE_MARKER {{ }}</style>
<script>var tracker = "SCRIPT_MARKER"; function f() {{ return 1; }}</script>
</head><body>
<nav class="nav"><ul><li><a href="/">Home</a></li><li><a href="/world">World NAV_MARKER</a></li>
<li><a href="/sport">Sport</a></li></ul></nav>
<header><div class="menu">Menu Subscribe Login</div></header>
<main><article><h1>NATO rejects Russian demands for security guarantees</h1>
{paras}
</article></main>
<aside><h3>Most read</h3><ul><li><a href="/a">Celebrity news ASIDE_MARKER</a></li></ul></aside>
<footer>Copyright 2023 Example Media. FOOTER_MARKER</footer>
<script>document.write("SCRIPT2_MARKER");</script></body></html>
"""


def syndicated_copy(text: str) -> str:
    """The same story as another outlet runs it: own header, a few words changed."""
    lines = text.split("\n")
    body = "\n".join(lines[1:])
    for old, new in (("little progress", "scant progress"), ("deadlocked", "stuck"),
                     ("Alliance Secretary-General", "NATO chief"), ("afterwards", "later"),
                     ("fundamental right", "basic right"), ("figure out", "establish")):
        assert old in body, old
        body = body.replace(old, new, 1)
    return "NATO rebuffs Moscow's security demands\n\n" + body + "\nThis story first ran elsewhere.\n"


def build_bad_corpus(folder: Path, raw_dir: Path, huge: bool = True) -> Path:
    """The issue's bad-input corpus, next to copies of the seed articles."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in sorted(raw_dir.glob("*.txt")):
        shutil.copy(path, folder / path.name)
    seed = (raw_dir / f"{SEED_003}.txt").read_text(encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "whitespace only.txt").write_text("  \n\t\n   \r\n", encoding="utf-8")
    (folder / RANDOM_NAME).write_bytes(random.Random(7).randbytes(4096))
    (folder / LATIN1_NAME).write_bytes(LATIN1_TEXT.encode("latin-1"))
    (folder / UTF16_NAME).write_bytes(UTF16_TEXT.encode("utf-16"))  # with BOM
    if huge:
        chunk = ("Filler line of a database dump, not an article. " * 20 + "\n").encode()
        with open(folder / HUGE_NAME, "wb") as fh:
            for _ in range(50 * 1024 * 1024 // len(chunk) + 1):
                fh.write(chunk)
    paragraphs = [p for p in seed.split("\n\n")[1:] if p.strip() and p.strip() != "Leave a Comment"]
    (folder / HTML_NAME).write_text(html_page(paragraphs[:12]), encoding="utf-8")
    (folder / DUPLICATE_NAME).write_text(seed, encoding="utf-8")
    (folder / SYNDICATED_NAME).write_text(syndicated_copy(seed), encoding="utf-8")
    (folder / NODATE_NAME).write_text(NODATE_TEXT, encoding="utf-8")
    (folder / ACCENTED_NAME).write_text(ACCENTED_TEXT, encoding="utf-8")
    (folder / CYRILLIC_NAME).write_text(
        "Moscow insists on guarantees\n\nMOSCOW, Dec 21, 2021 (Reuters) - Russia insisted that "
        "NATO give legally binding guarantees, Lavrov said.\n", encoding="utf-8")
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    manifest = (raw_dir / MANIFEST_NAME).read_text(encoding="utf-8").rstrip("\n")
    manifest += (f"\n{LATIN1_NAME},,Reuters,{IMPOSSIBLE_DATE},no such day"
                 f"\n{MISSING_NAME},,,2022-01-05,a file the user forgot to save"
                 f"\n{SYNDICATED_NAME},,Other Outlet,2022-01-13,reprinted a day later\n")
    (folder / MANIFEST_NAME).write_text(manifest, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def bad_corpus(tmp_path_factory, raw_dir: Path) -> Path:
    return build_bad_corpus(tmp_path_factory.mktemp("bad") / "raw folder", raw_dir)


@pytest.fixture(scope="module")
def ingested(bad_corpus: Path):
    started = time.perf_counter()
    result = ingest(bad_corpus)
    return result, time.perf_counter() - started


def _row(articles: pd.DataFrame, file: str) -> dict:
    rows = articles[articles["file"] == file].to_dict("records")
    assert len(rows) == 1, f"{file}: {len(rows)} article rows"
    return rows[0]


def _reason(skipped: pd.DataFrame, file: str) -> str:
    rows = skipped[skipped["file"] == file]["reason"].tolist()
    assert len(rows) == 1, f"{file}: {rows}"
    return rows[0]


def test_every_file_is_accounted_for_once(bad_corpus: Path, ingested) -> None:
    result, _ = ingested
    in_folder = {p.name for p in bad_corpus.iterdir()} - {MANIFEST_NAME}
    processed = list(result.articles["file"])
    skipped_files = [f for f, r in zip(result.skipped["file"], result.skipped["reason"])
                     if not r.startswith("manifest.csv")]
    assert sorted(processed + skipped_files) == sorted(in_folder)
    assert not set(processed) & set(skipped_files)
    assert list(result.articles.columns) == ARTICLE_COLUMNS
    assert list(result.skipped.columns) == SKIPPED_COLUMNS
    assert result.skipped["reason"].str.len().min() > 5
    counts = file_counts(result.articles, result.skipped)
    assert counts["read"] == len(in_folder)
    assert counts["processed"] + counts["skipped"] == counts["read"]


def test_unreadable_files_are_skipped_with_their_reason(ingested) -> None:
    result, _ = ingested
    skipped = result.skipped
    assert _reason(skipped, "empty.txt") == "empty file (0 bytes)"
    assert _reason(skipped, "whitespace only.txt") == "no text (only whitespace)"
    assert _reason(skipped, RANDOM_NAME).startswith("not text")
    assert f"larger than the {MAX_FILE_MB} MB limit" in _reason(skipped, HUGE_NAME)
    assert "unsupported file type '.pdf'" in _reason(skipped, "notes.pdf")
    missing = _reason(skipped, MISSING_NAME)
    assert missing.startswith("manifest.csv") and "not in the folder" in missing


def test_huge_file_is_skipped_within_seconds(ingested) -> None:
    _, seconds = ingested
    assert seconds < 20, f"ingesting the bad corpus took {seconds:.1f} s"


def test_legacy_encodings_are_decoded(ingested) -> None:
    articles = ingested[0].articles
    latin = _row(articles, LATIN1_NAME)
    for word in ("Genève", "Sergueï", "Élysée", "naïve"):
        assert word in latin["title"] + latin["body"], word
    utf16 = _row(articles, UTF16_NAME)
    for word in ("Kraków", "Zürich", "Łódź", "Gdańsk"):
        assert word in utf16["body"], word
    assert "\ufeff" not in utf16["title"] + utf16["body"]
    assert utf16["published"] == "2021-12-14" and utf16["date_source"] == "dateline"


def test_impossible_manifest_date_keeps_the_inferred_one(ingested) -> None:
    latin = _row(ingested[0].articles, LATIN1_NAME)
    assert (latin["published"], latin["date_source"]) == ("2022-01-10", "dateline")
    assert latin["outlet"] == "Reuters"  # the rest of the manifest row still applies
    assert IMPOSSIBLE_DATE in latin["problems"] and "manifest.csv" in latin["problems"]


def test_saved_web_page_keeps_the_story_only(ingested) -> None:
    page = _row(ingested[0].articles, HTML_NAME)
    text = page["title"] + page["body"]
    assert page["title"] == "NATO rejects Russian demands for security guarantees"
    assert "Stoltenberg" in page["body"] and page["n_sentences"] >= 10
    for marker in ("SCRIPT_MARKER", "SCRIPT2_MARKER", "STYLE_MARKER", "NAV_MARKER",
                   "ASIDE_MARKER", "FOOTER_MARKER", "Celebrity", "function f()"):
        assert marker not in text, marker
    assert (page["published"], page["date_source"]) == ("2022-01-12", "url")
    assert page["url"].startswith("https://news.example.org/")


def test_undated_article_is_processed_and_reported(ingested) -> None:
    result = ingested[0]
    nodate = _row(result.articles, NODATE_NAME)
    assert nodate["published"] == "" and nodate["date_source"] == ""
    assert nodate["n_words"] > 30 and NO_DATE in nodate["problems"]
    quality = data_quality(result.articles, result.skipped)
    assert ((quality["file"] == NODATE_NAME) & (quality["detail"] == NO_DATE)).any()


def test_file_names_with_spaces_and_non_ascii_letters(ingested) -> None:
    articles = ingested[0].articles
    for name in (ACCENTED_NAME, CYRILLIC_NAME, LATIN1_NAME):
        assert _row(articles, name)["article_id"] == Path(name).stem
    assert _row(articles, CYRILLIC_NAME)["published"] == "2021-12-21"


def test_copies_are_flagged(ingested) -> None:
    articles = ingested[0].articles
    dup, syn = _row(articles, DUPLICATE_NAME), _row(articles, SYNDICATED_NAME)
    assert (dup["duplicate_of"], dup["duplicate_kind"]) == (SEED_003, "exact")
    assert (syn["duplicate_of"], syn["duplicate_kind"]) == (SEED_003, "near")
    assert syn["outlet"] == "Other Outlet"
    originals = articles[articles["duplicate_of"] == ""]
    assert SEED_003 in set(originals["article_id"])
    assert (articles["duplicate_kind"] != "").sum() == 2  # no other file is a copy


def test_data_quality_lists_every_skipped_file(ingested) -> None:
    result = ingested[0]
    quality = data_quality(result.articles, result.skipped)
    listed = quality[quality["status"] == "skipped"]
    assert sorted(listed["file"]) == sorted(result.skipped["file"])
    assert set(quality[quality["status"] == "duplicate"]["file"]) == {DUPLICATE_NAME}
    assert set(quality[quality["status"] == "near copy"]["file"]) == {SYNDICATED_NAME}


@pytest.mark.slow
def test_extract_cli_on_bad_corpus(bad_corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = run_cli("extract", str(bad_corpus), "--out", str(out))
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 1, proc.stdout
    in_folder = len(list(bad_corpus.iterdir())) - 1
    articles = pd.read_csv(out / "articles.csv", dtype=str, keep_default_na=False)
    skipped = pd.read_csv(out / "skipped.csv", dtype=str, keep_default_na=False)
    n_skip = in_folder - len(articles)
    assert lines[0].startswith(f"read {in_folder} files: {len(articles)} processed, {n_skip} skipped; ")
    assert "1 exact duplicate" in lines[0] and "1 near copy" in lines[0]
    assert len(skipped) == n_skip + 1  # and the manifest row naming a missing file
    for name in ("articles.csv", "skipped.csv", "events.csv", "claims.csv"):
        (out / name).read_bytes().decode("utf-8")  # valid UTF-8
    events = pd.read_csv(out / "events.csv", dtype=str, keep_default_na=False)
    dup_id = Path(DUPLICATE_NAME).stem
    assert dup_id not in set(events["article_id"]), "an exact duplicate's events were counted"
    assert set(events["article_id"]) <= set(articles["article_id"])
    undated = events[events["article_id"] == Path(NODATE_NAME).stem]
    assert len(undated) > 0, "an article without a date still gives events"
    assert set(undated["published"]) == {""} and set(undated["event_date"]) == {""}
