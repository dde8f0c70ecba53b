"""Ingest on the seed articles (with and without their manifest) and on the
odd cases of a user's folder: encodings, saved pages, manifest mistakes."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from ultimatum.ingest.decoding import NotText, decode
from ultimatum.ingest.reader import MAX_WORDS, NO_DATE, IngestError, file_counts, html_to_text, ingest, quality_note
from ultimatum.runtime.atomic import write_csv_atomic

SEED_DATES = {  # what the text itself says, without the manifest (codebook section 6)
    "000_297a64520f119ff2": ("2021-12-11", "header"),   # not the 2024 scrape date above the title
    "001_5fe37ef5f4ed5af7": ("2021-12-17", "url"),
    "002_77f9ceeab26834db": ("", ""),
    "003_3478608d93cf0d0b": ("", ""),
    "004_ed864e143e290726": ("", ""),
}
ARTICLE = ("Russia demands guarantees\n\nMOSCOW, Dec 17, 2021 (Reuters) - Russia demanded "
           "legally binding guarantees that NATO will not expand, the foreign ministry said.\n")


@pytest.fixture(scope="module")
def seeds(raw_dir: Path):
    return ingest(raw_dir)


@pytest.fixture(scope="module")
def seeds_without_manifest(tmp_path_factory, raw_dir: Path):
    folder = tmp_path_factory.mktemp("nomanifest")
    for path in raw_dir.glob("*.txt"):
        shutil.copy(path, folder / path.name)
    return ingest(folder)


def test_seed_dates_from_text_alone(seeds_without_manifest) -> None:
    articles = seeds_without_manifest.articles.set_index("article_id")
    assert set(articles.index) == set(SEED_DATES)
    for article_id, expected in SEED_DATES.items():
        row = articles.loc[article_id]
        assert (row["published"], row["date_source"]) == expected, article_id
        assert (NO_DATE in row["problems"]) == (expected[0] == ""), article_id


def test_manifest_overrides_inferred_values(seeds, raw_dir: Path) -> None:
    manifest = pd.read_csv(raw_dir / "manifest.csv", dtype=str, keep_default_na=False)
    articles = seeds.articles.set_index("file")
    assert seeds.skipped.empty
    for entry in manifest.to_dict("records"):
        row = articles.loc[entry["file"]]
        assert row["published"] == entry["published"] and row["date_source"] == "manifest"
        if entry["outlet"]:
            assert row["outlet"] == entry["outlet"]
        assert row["problems"] == "" and row["duplicate_of"] == ""
    assert file_counts(seeds.articles, seeds.skipped)["read"] == 5
    assert quality_note(file_counts(seeds.articles, seeds.skipped)) == ""


def test_seed_boilerplate_is_cut(seeds) -> None:
    bodies = seeds.articles.set_index("article_id")["body"]
    assert "Cookie" not in bodies["002_77f9ceeab26834db"]
    assert "supported by the International Renaissance" not in bodies["002_77f9ceeab26834db"]
    assert "Back to top" not in bodies["004_ed864e143e290726"]
    assert "Related Articles" not in bodies["004_ed864e143e290726"]
    title = seeds.articles.set_index("article_id").loc["000_297a64520f119ff2", "title"]
    assert title not in bodies["000_297a64520f119ff2"]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be",
                                      "utf-32", "latin-1", "cp1252"])
def test_decode_encodings(encoding: str) -> None:
    text = ("Réunion à Genève: “Russia’s demands” were rejected, said the Élysée. "
            "Sergueï Riabkov insisted; the Zürich café société stayed naïve.\n") * 3
    if encoding == "latin-1":
        text = text.replace("“", '"').replace("”", '"').replace("’", "'")
    raw = text.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):
        assert not raw.startswith((b"\xff\xfe", b"\xfe\xff"))  # no byte-order mark
    assert decode(raw) == text


def test_decode_rejects_binary() -> None:
    for raw in (bytes(range(256)) * 8, b"\x00" * 100, b"%PDF-1.7\n\x00\x01\x02binary",
                b"\x89PNG\r\n\x1a\n" + bytes(range(32)) * 20):
        with pytest.raises(NotText):
            decode(raw)


def test_html_date_is_never_a_copyright_year() -> None:
    page = ("<html><head><title>Talks end</title></head><body><article><h1>Talks end</h1>"
            + "<p>NATO and Russia ended their talks in Brussels without agreement on the demands "
              "for security guarantees, officials said after the meeting.</p>" * 6
            + "</article><footer>© 2022 Example Media</footer></body></html>")
    text, meta = html_to_text(page)
    assert "NATO and Russia ended" in text
    assert meta["date"] == ""


def _folder(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    folder = tmp_path / "raw"
    folder.mkdir()
    for name, content in files.items():
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


def test_same_stem_gives_distinct_article_ids(tmp_path: Path) -> None:
    page = f"<html><body><article><p>{ARTICLE * 3}</p></article></body></html>"
    folder = _folder(tmp_path, {"story.txt": ARTICLE, "story.html": page})
    articles = ingest(folder).articles
    assert sorted(articles["article_id"]) == ["story", "story.txt"]
    assert articles["article_id"].is_unique


def test_hidden_files_subfolders_and_html_named_txt(tmp_path: Path) -> None:
    page = ("<!DOCTYPE html><html><head><title>Russia demands guarantees</title>"
            "<script>var SCRIPT_MARKER = 1;</script></head><body><article>"
            + "".join(f"<p>Russia made demand number {i}: legally binding guarantees that NATO "
                      "will not expand, the foreign ministry said in Moscow.</p>" for i in range(5))
            + "</article></body></html>")
    folder = _folder(tmp_path, {".DS_Store": b"\x00\x00\x00\x01Bud1", "page.txt": page,
                                "a.txt": ARTICLE})
    (folder / "page_files").mkdir()
    result = ingest(folder)
    reasons = dict(zip(result.skipped["file"], result.skipped["reason"]))
    assert reasons[".DS_Store"] == "hidden file"
    assert reasons["page_files"].startswith("a folder")
    body = result.articles.set_index("article_id").loc["page", "body"]
    assert "SCRIPT_MARKER" not in body and "<p>" not in body and "demand number 4" in body
    assert file_counts(result.articles, result.skipped)["read"] == 4


def test_one_line_file_is_skipped_as_title_only(tmp_path: Path) -> None:
    result = ingest(_folder(tmp_path, {"headline.txt": "Russia demands guarantees\n"}))
    assert list(result.skipped["reason"]) == ["no article text: only a title or header lines"]


def test_a_text_that_opens_with_its_lede_keeps_it(tmp_path: Path) -> None:
    lede = "Russian President Vladimir Putin on Saturday expressed concern about NATO drills."
    short = "He spoke to a television channel."
    long_lede = ("Russia on Friday demanded legally binding guarantees that NATO will not expand "
                 "east, publishing two draft treaties and saying the talks should start at once "
                 "in Geneva with the United States and its allies.")
    files = {"dated.txt": f"Last update: December 11, 2021\n\n{lede}\n\n{short}\n",
             "long.txt": f"{long_lede}\n\n{short}\n",
             "titled.txt": f"Putin warns NATO over drills\n\n{lede}\n\n{short}\n"}
    rows = ingest(_folder(tmp_path, files)).articles.set_index("file")
    for name in ("dated.txt", "long.txt"):  # no title line: every line is the article's
        assert rows.loc[name, "title"] == "" and rows.loc[name, "body"].endswith(short)
    assert rows.loc["dated.txt", "body"].startswith(lede)
    assert rows.loc["long.txt", "body"].startswith(long_lede)
    assert rows.loc["titled.txt", "title"] == "Putin warns NATO over drills"
    assert rows.loc["titled.txt", "body"] == f"{lede}\n\n{short}"


def test_manifest_problems_never_stop_the_run(tmp_path: Path) -> None:
    manifest = ("file,url,outlet,published,evidence\n"
                "a.txt,,Reuters,17/12/2021,ambiguous day and month\n"
                "a.txt,,AP,2021-12-18,second row for the same file\n"
                ",,,,\n"
                ",,Orphan Outlet,2021-12-01,row without a file\n"
                "b.txt,https://example.org/2021/12/20/story,,,url only\n"
                "gone.txt,,,2021-12-01,not in the folder\n")
    undated = ARTICLE.replace("MOSCOW, Dec 17, 2021 (Reuters) - ", "")
    folder = _folder(tmp_path, {"manifest.csv": manifest, "a.txt": ARTICLE,
                                "b.txt": undated.replace("Russia demanded", "Moscow insisted on")})
    result = ingest(folder)
    a = result.articles.set_index("file").loc["a.txt"]
    assert (a["published"], a["date_source"], a["outlet"]) == ("2021-12-17", "dateline", "Reuters")
    assert "17/12/2021" in a["problems"] and "line 3" in a["problems"]
    b = result.articles.set_index("file").loc["b.txt"]
    assert (b["published"], b["date_source"]) == ("2021-12-20", "url")
    reasons = list(result.skipped["reason"])
    assert any("line 5 has no file name" in r for r in reasons)
    assert any("gone.txt" == f for f in result.skipped["file"])
    counts = file_counts(result.articles, result.skipped)
    assert (counts["read"], counts["processed"], counts["skipped"]) == (2, 2, 0)
    assert counts["manifest_problems"] == 4


@pytest.mark.parametrize("manifest", [b"\x00\x01\x02\x03" * 50, "url,outlet\nx,y\n"])
def test_unusable_manifest_is_reported_and_ignored(tmp_path: Path, manifest) -> None:
    folder = _folder(tmp_path, {"manifest.csv": manifest, "a.txt": ARTICLE})
    result = ingest(folder)
    assert list(result.articles["published"]) == ["2021-12-17"]
    assert list(result.skipped["file"]) == ["manifest.csv"]
    assert result.skipped["reason"][0].endswith("manifest ignored")


def test_folder_level_problems_raise(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="no such folder"):
        ingest(tmp_path / "nothing here")
    (tmp_path / "empty").mkdir()
    with pytest.raises(IngestError, match="empty"):
        ingest(tmp_path / "empty")


def test_collection_over_the_word_limit_is_skipped(tmp_path: Path) -> None:
    words = " ".join(f"word{i % 977}" for i in range(MAX_WORDS + 1))
    result = ingest(_folder(tmp_path, {"collection.txt": f"All articles of 2021\n\n{words}\n"}))
    assert result.articles.empty
    assert "word limit for one article" in result.skipped["reason"][0]


def test_undecodable_file_name_gives_valid_utf8_tables(tmp_path: Path) -> None:
    folder = _folder(tmp_path, {})
    with open(os.fsencode(folder) + b"/d\xe9claration.txt", "wb") as fh:  # a Latin-1 name
        fh.write(ARTICLE.encode())
    result = ingest(folder)
    assert list(result.articles["article_id"]) == ["d\ufffdclaration"]
    out = tmp_path / "articles.csv"
    write_csv_atomic(result.articles, out)
    assert "d\ufffdclaration" in out.read_bytes().decode("utf-8")
