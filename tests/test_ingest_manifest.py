"""A manifest.csv typed by hand: a row that does not parse is reported with
its line and the rows that parse still apply; a date outside any plausible
range is reported, not used."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ultimatum.ingest.reader import file_counts, ingest

ARTICLE = ("Russia demands guarantees\n\nRussia demanded legally binding guarantees that NATO will "
           "not expand, the foreign ministry said.\n")


def _folder(tmp_path: Path, manifest: str, names: list[str]) -> Path:
    folder = tmp_path / "raw"
    folder.mkdir()
    for name in names:
        (folder / name).write_text(ARTICLE.replace("guarantees", f"guarantees ({name})"), encoding="utf-8")
    (folder / "manifest.csv").write_text(manifest, encoding="utf-8")
    return folder


def _by_file(articles: pd.DataFrame) -> dict[str, dict]:
    return {r["file"]: r for r in articles.to_dict("records")}


def test_unbalanced_quote_is_reported_by_line_and_later_rows_apply(tmp_path: Path) -> None:
    manifest = ("file,url,outlet,published,evidence\n"
                "a.txt,,Reuters,2021-12-11,byline\n"
                'b.txt,,"Detroit News,2021-12-17,url\n'
                "c.txt,,Euromaidan Press,2021-12-18,footer\n"
                'd.txt,,,2022-01-12,"reports the council as ""today"""\n')
    result = ingest(_folder(tmp_path, manifest, ["a.txt", "b.txt", "c.txt", "d.txt"]))
    rows = _by_file(result.articles)
    assert (rows["a.txt"]["published"], rows["a.txt"]["outlet"]) == ("2021-12-11", "Reuters")
    assert (rows["c.txt"]["published"], rows["c.txt"]["date_source"]) == ("2021-12-18", "manifest")
    assert rows["c.txt"]["outlet"] == "Euromaidan Press"
    assert (rows["d.txt"]["published"], rows["d.txt"]["date_source"]) == ("2022-01-12", "manifest")
    assert "\n" not in rows["b.txt"]["outlet"] and "c.txt" not in rows["b.txt"]["outlet"]
    assert rows["b.txt"]["date_source"] != "manifest"
    reasons = [r for f, r in zip(result.skipped["file"], result.skipped["reason"]) if f == "manifest.csv"]
    assert len(reasons) == 1 and reasons[0].startswith("manifest.csv: line 3: unbalanced quote"), reasons
    assert "b.txt" in reasons[0]
    assert file_counts(result.articles, result.skipped)["manifest_problems"] == 1


def test_a_quoted_value_over_two_lines_is_still_one_row(tmp_path: Path) -> None:
    manifest = ("file,url,outlet,published,evidence\n"
                'a.txt,,Reuters,2021-12-11,"byline under the title;\n'
                'the scrape date above it is not the date"\n'
                "b.txt,,AP,2021-12-17,dateline\n")
    result = ingest(_folder(tmp_path, manifest, ["a.txt", "b.txt"]))
    rows = _by_file(result.articles)
    assert (rows["a.txt"]["published"], rows["b.txt"]["published"]) == ("2021-12-11", "2021-12-17")
    assert result.skipped.empty and set(result.articles["problems"]) == {""}


def test_manifest_dates_outside_any_plausible_range_are_flagged(tmp_path: Path) -> None:
    manifest = ("file,url,outlet,published,evidence\n"
                "a.txt,,Reuters,1999-12-11,typo for 2021\n"
                "b.txt,https://example.org/2021/12/20/story,,2099-02-02,typo for 2022\n"
                "c.txt,,,2022-01-12,fine\n")
    result = ingest(_folder(tmp_path, manifest, ["a.txt", "b.txt", "c.txt"]))
    rows = _by_file(result.articles)
    a, b, c = rows["a.txt"], rows["b.txt"], rows["c.txt"]
    assert "manifest.csv line 2: published '1999-12-11'" in a["problems"]
    assert "manifest.csv line 3: published '2099-02-02'" in b["problems"]
    assert "outside" in a["problems"] and "outside" in b["problems"]
    assert a["date_source"] != "manifest" and a["published"] != "1999-12-11"
    assert (b["published"], b["date_source"]) == ("2021-12-20", "url")  # the URL's date is kept
    assert (c["published"], c["problems"]) == ("2022-01-12", "")


def test_unbalanced_quote_in_the_header_ignores_the_manifest(tmp_path: Path) -> None:
    manifest = 'file,url,"outlet,published,evidence\na.txt,,Reuters,2021-12-11,byline\n'
    result = ingest(_folder(tmp_path, manifest, ["a.txt"]))
    assert list(result.skipped["reason"]) == [
        "manifest.csv: line 1: unbalanced quote in the header; manifest ignored"]
    assert list(result.articles["date_source"]) == [""]


def test_a_manifest_date_in_numbers_alone_is_reported_as_not_yyyy_mm_dd() -> None:
    from ultimatum.ingest.manifest import apply_manifest
    row = {"published": "2022-01-19", "date_source": "text", "url": "", "outlet": ""}
    for value, problem in (("01/02/2022", "is not YYYY-MM-DD (a date in numbers alone is not guessed"),
                           ("2022/02/24", "is not YYYY-MM-DD (a date in numbers alone is not guessed"),
                           ("2022-02-30", "is not a real YYYY-MM-DD date")):
        kept, problems = apply_manifest(dict(row), {"published": value}, 3)
        assert kept["published"] == "2022-01-19"
        assert len(problems) == 1 and problems[0].startswith(f"manifest.csv line 3: published '{value}' {problem}")
        assert problems[0].endswith("; ignored (kept 2022-01-19 from the text)")
