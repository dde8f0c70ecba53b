"""Every file a user may drop into the raw folder is either processed or
skipped with a reason: never a crash, never a silent drop. The bad-input
corpus (the ``bad_input`` fixture) is built in a temporary folder from the
seed articles."""
from __future__ import annotations

import builtins
import io
from pathlib import Path

import pandas as pd
import pytest

from ultimatum.ingest.reader import MANIFEST_NAME, MAX_FILE_MB, NO_DATE, data_quality, file_counts, ingest
from ultimatum.schema import ARTICLE_COLUMNS, SKIPPED_COLUMNS


@pytest.fixture(scope="module")
def bad_corpus(tmp_path_factory, bad_input) -> Path:
    return bad_input.build(tmp_path_factory.mktemp("bad") / "raw folder")


def _opened_while(work) -> tuple[object, set[str]]:
    """What ``work()`` returns, and the names of the files it opened."""
    opened: set[str] = set()

    def watch(original):
        def watched(*args, **kwargs):
            target = args[0] if args else None  # a path (the Path itself for its methods), or a descriptor
            if isinstance(target, (str, Path)):
                opened.add(Path(target).name)
            return original(*args, **kwargs)
        return watched

    with pytest.MonkeyPatch.context() as patch:
        for owner, name in ((Path, "open"), (Path, "read_bytes"), (Path, "read_text"),
                            (builtins, "open"), (io, "open")):
            patch.setattr(owner, name, watch(getattr(owner, name)))
        result = work()
    return result, opened


@pytest.fixture(scope="module")
def ingested(bad_corpus: Path):
    """The bad corpus ingested, with the names of the files ingest opened."""
    return _opened_while(lambda: ingest(bad_corpus))


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


def test_unreadable_files_are_skipped_with_their_reason(ingested, bad_input) -> None:
    result, _ = ingested
    skipped = result.skipped
    assert _reason(skipped, "empty.txt") == "empty file (0 bytes)"
    assert _reason(skipped, "whitespace only.txt") == "no text (only whitespace)"
    assert _reason(skipped, bad_input.RANDOM_NAME).startswith("not text")
    assert f"larger than the {MAX_FILE_MB} MB limit" in _reason(skipped, bad_input.HUGE_NAME)
    assert "unsupported file type '.pdf'" in _reason(skipped, "notes.pdf")
    missing = _reason(skipped, bad_input.MISSING_NAME)
    assert missing.startswith("manifest.csv") and "not in the folder" in missing


def test_huge_file_is_skipped_without_being_read(ingested, bad_input) -> None:
    """Its size alone rules it out: its bytes are never read, so a file of any
    size costs no more than its size check."""
    result, opened = ingested
    assert bad_input.LATIN1_NAME in opened and bad_input.HTML_NAME in opened  # the watch sees reads
    assert bad_input.HUGE_NAME not in opened
    huge_mb = bad_input.HUGE_BYTES / 1024 / 1024
    assert f"file is {huge_mb:.1f} MB" in _reason(result.skipped, bad_input.HUGE_NAME)


def test_legacy_encodings_are_decoded(ingested, bad_input) -> None:
    articles = ingested[0].articles
    latin = _row(articles, bad_input.LATIN1_NAME)
    for word in ("Genève", "Sergueï", "Élysée", "naïve"):
        assert word in latin["title"] + latin["body"], word
    utf16 = _row(articles, bad_input.UTF16_NAME)
    for word in ("Kraków", "Zürich", "Łódź", "Gdańsk"):
        assert word in utf16["body"], word
    assert "\ufeff" not in utf16["title"] + utf16["body"]
    assert utf16["published"] == "2021-12-14" and utf16["date_source"] == "dateline"


def test_impossible_manifest_date_keeps_the_inferred_one(ingested, bad_input) -> None:
    latin = _row(ingested[0].articles, bad_input.LATIN1_NAME)
    assert (latin["published"], latin["date_source"]) == ("2022-01-10", "dateline")
    assert latin["outlet"] == "Reuters"  # the rest of the manifest row still applies
    assert bad_input.IMPOSSIBLE_DATE in latin["problems"] and "manifest.csv" in latin["problems"]


def test_saved_web_page_keeps_the_story_only(ingested, bad_input) -> None:
    page = _row(ingested[0].articles, bad_input.HTML_NAME)
    text = page["title"] + page["body"]
    assert page["title"] == "NATO rejects Russian demands for security guarantees"
    assert "Stoltenberg" in page["body"] and page["n_sentences"] >= 10
    for marker in ("SCRIPT_MARKER", "SCRIPT2_MARKER", "STYLE_MARKER", "NAV_MARKER",
                   "ASIDE_MARKER", "FOOTER_MARKER", "Celebrity", "function f()"):
        assert marker not in text, marker
    assert (page["published"], page["date_source"]) == ("2022-01-12", "url")
    assert page["url"].startswith("https://news.example.org/")


def test_undated_article_is_processed_and_reported(ingested, bad_input) -> None:
    result = ingested[0]
    nodate = _row(result.articles, bad_input.NODATE_NAME)
    assert nodate["published"] == "" and nodate["date_source"] == ""
    assert nodate["n_words"] > 30 and NO_DATE in nodate["problems"]
    quality = data_quality(result.articles, result.skipped)
    assert ((quality["file"] == bad_input.NODATE_NAME) & (quality["detail"] == NO_DATE)).any()


def test_file_names_with_spaces_and_non_ascii_letters(ingested, bad_input) -> None:
    articles = ingested[0].articles
    for name in (bad_input.ACCENTED_NAME, bad_input.CYRILLIC_NAME, bad_input.LATIN1_NAME):
        assert _row(articles, name)["article_id"] == Path(name).stem
    assert _row(articles, bad_input.CYRILLIC_NAME)["published"] == "2021-12-21"


def test_copies_are_flagged(ingested, bad_input) -> None:
    articles = ingested[0].articles
    dup, syn = _row(articles, bad_input.DUPLICATE_NAME), _row(articles, bad_input.SYNDICATED_NAME)
    assert (dup["duplicate_of"], dup["duplicate_kind"]) == (bad_input.SEED_003, "exact")
    assert (syn["duplicate_of"], syn["duplicate_kind"]) == (bad_input.SEED_003, "near")
    assert syn["outlet"] == "Other Outlet"
    originals = articles[articles["duplicate_of"] == ""]
    assert bad_input.SEED_003 in set(originals["article_id"])
    assert (articles["duplicate_kind"] != "").sum() == 2  # no other file is a copy


def test_data_quality_lists_every_skipped_file(ingested, bad_input) -> None:
    result = ingested[0]
    quality = data_quality(result.articles, result.skipped)
    listed = quality[quality["status"] == "skipped"]
    assert sorted(listed["file"]) == sorted(result.skipped["file"])
    assert set(quality[quality["status"] == "duplicate"]["file"]) == {bad_input.DUPLICATE_NAME}
    assert set(quality[quality["status"] == "near copy"]["file"]) == {bad_input.SYNDICATED_NAME}


@pytest.mark.slow
def test_extract_cli_on_bad_corpus(bad_corpus: Path, tmp_path: Path, bad_input, run_cli) -> None:
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
    dup_id = Path(bad_input.DUPLICATE_NAME).stem
    assert dup_id not in set(events["article_id"]), "an exact duplicate's events were counted"
    assert set(events["article_id"]) <= set(articles["article_id"])
    undated = events[events["article_id"] == Path(bad_input.NODATE_NAME).stem]
    assert len(undated) > 0, "an article without a date still gives events"
    assert set(undated["published"]) == {""} and set(undated["event_date"]) == {""}


@pytest.mark.slow
def test_a_line_of_a_million_characters_does_not_stop_the_run(raw_dir: Path, tmp_path: Path, run_cli) -> None:
    import base64
    import random
    import shutil
    folder = tmp_path / "raw"
    shutil.copytree(raw_dir, folder)
    blob = base64.b64encode(random.Random(5).randbytes(900_000)).decode()  # 1.2 million characters
    (folder / "pasted image.txt").write_text(
        "Russia presses NATO\n\nMOSCOW, Jan 10, 2022 (Reuters) - Russia demanded that NATO rescind its "
        f"promise, the foreign ministry said.\n\ndata:image/png;base64,{blob}\n\n"
        "NATO rejected the Russian demand for guarantees, Stoltenberg said.\n", encoding="utf-8")
    out = tmp_path / "out"
    proc = run_cli("extract", str(folder), "--out", str(out), "--no-cache")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr
    articles = pd.read_csv(out / "articles.csv", dtype=str, keep_default_na=False)
    skipped = pd.read_csv(out / "skipped.csv", dtype=str, keep_default_na=False)
    seeds = {p.stem for p in raw_dir.glob("*.txt")}
    assert seeds < set(articles["article_id"])  # the other files are processed
    events = pd.read_csv(out / "events.csv", dtype=str, keep_default_na=False)
    assert seeds <= set(events["article_id"])
    if "pasted image" in set(articles["article_id"]):  # processed: its prose is read
        mine = events[events["article_id"] == "pasted image"]
        assert {"DEMAND", "REJECT"} <= set(mine["event_type"])
    else:  # or skipped, with a reason
        assert skipped.loc[skipped["file"] == "pasted image.txt", "reason"].str.strip().ne("").all()
        assert (skipped["file"] == "pasted image.txt").sum() == 1
