"""Putting back the real gold sets' texts: from exact copies (checked by
SHA-256), from saved pages or fetched pages that changed after annotation
(a caption added, the opening repeated), and saying which could not be had."""
from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from ultimatum.cli import main
from ultimatum.evaluate.texts import REAL_DIR, Restored, annotated_text, fingerprints, restore
from ultimatum.evaluate.texts import rebuild as rebuild_texts

BODY = ("Russia handed the United States draft treaties on Friday, demanding that NATO rule out "
        "any further expansion to the east.\n\n"
        "Washington said it was ready to discuss the proposals with its allies but rejected any veto "
        "over Ukraine's future membership.\n\n"
        "The Kremlin said it expected an answer within weeks and warned of a military response.")
OTHER = ("Ukraine's foreign minister said Kyiv would not accept any deal made over its head.\n\n"
         "He called on the European Union to prepare sanctions before any new attack.\n\n"
         "Brussels said the sanctions were ready and would be severe.")
FIELDS = ["article_id", "split", "url", "outlet", "published", "evidence", "headline",
          "body_start", "body_end", "n_words", "sha256"]


def _row(aid: str, split: str, title: str, body: str, headline: str = "") -> dict[str, str]:
    start, end, n = fingerprints(body)
    text = f"{headline or title}\n\n{body}\n"
    return {"article_id": aid, "split": split, "url": f"https://news.example/{aid}", "outlet": "Example News",
            "published": "2021-12-17", "evidence": "page date", "headline": headline, "body_start": start,
            "body_end": end, "n_words": str(n), "sha256": hashlib.sha256(text.encode()).hexdigest()}


@pytest.fixture()
def project(tmp_path: Path) -> tuple[Path, list[dict[str, str]]]:
    rows = [_row("a1", "dev", "Russia hands over draft treaties", BODY),
            _row("a2", "test", "Kyiv rejects deals over its head", OTHER, headline="Kyiv: no deal over our head")]
    real = tmp_path / REAL_DIR
    real.mkdir(parents=True)
    _write_csv(real / "manifest.csv", FIELDS, rows)
    return tmp_path, rows


def _write_csv(path: Path, fields: list[str], rows: list[dict[str, str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


def _changed_page(body: str) -> str:
    """The page as it reads later: menu lines, the opening paragraph twice,
    a caption inside the article, a link after it."""
    first, second, third = body.split("\n\n")
    return (f"Skip to content\nMenu\n\n{first}\n\n{first}\n\nPhoto: troops at the border (Reuters)\n\n"
            f"{second}\n\n{third}\n\nRead more: the crisis in ten charts")


def test_a_changed_page_still_gives_the_annotated_text_byte_for_byte(project) -> None:
    _, rows = project
    text, exact = annotated_text(rows[0], _changed_page(BODY), "Russia hands over draft treaties")
    assert exact
    assert hashlib.sha256(text.encode()).hexdigest() == rows[0]["sha256"]
    assert text == f"Russia hands over draft treaties\n\n{BODY}\n"


def test_a_page_without_the_excerpts_end_gives_nothing(project) -> None:
    _, rows = project
    assert annotated_text(rows[0], BODY.rsplit("\n\n", 1)[0], "Russia hands over draft treaties") is None


def test_restore_from_saved_pages_and_from_fetched_ones(project, tmp_path: Path) -> None:
    root, rows = project
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a1.txt").write_text("Russia hands over draft treaties\n" + _changed_page(BODY), encoding="utf-8")
    done = {d.article_id: d for d in restore(root / REAL_DIR, pages=pages)}
    assert done["a1"].status == "exact" and done["a2"].status == "missing"
    texts = root / REAL_DIR / "texts"
    assert hashlib.sha256((texts / "dev" / "a1.txt").read_bytes()).hexdigest() == rows[0]["sha256"]
    assert not (texts / "test" / "a2.txt").exists()
    for split, listed in (("dev", ["a1.txt"]), ("test", [])):  # the ingest manifests list the texts there
        with open(texts / split / "manifest.csv", encoding="utf-8", newline="") as fh:
            assert [r["file"] for r in csv.DictReader(fh)] == listed

    def fetch(url: str) -> tuple[str, str]:  # a2's page, with a title that is not the annotator's headline
        if url.endswith("/a2"):
            return _changed_page(OTHER), "Kyiv rejects deals over its head | Example News"
        raise OSError("could not download the page")
    done = {d.article_id: d for d in restore(root / REAL_DIR, fetch=fetch)}
    assert done["a2"].status == "exact"  # the manifest's headline is used
    assert done["a1"] == Restored("a1", "exact", "already there")  # not fetched again
    (texts / "dev" / "a1.txt").write_text("edited\n", encoding="utf-8")
    done = {d.article_id: d for d in restore(root / REAL_DIR, fetch=fetch)}
    assert done["a1"].status == "missing" and "could not download" in done["a1"].detail
    assert not (texts / "dev" / "a1.txt").exists()  # no text but the annotated one is left to be scored


def test_gold_texts_from_copies_checks_them_and_says_what_is_missing(project, tmp_path: Path) -> None:
    root, _ = project
    copies = tmp_path / "copies"
    copies.mkdir()
    (copies / "a1.txt").write_text(f"Russia hands over draft treaties\n\n{BODY}\n", encoding="utf-8")
    (copies / "a2.txt").write_text(f"Kyiv: no deal over our head\n\n{OTHER} Edited.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["gold-texts", "--root", str(root), "--from", str(copies)])
    assert result.exit_code == 0, result.output
    assert "a2: a2.txt is not the annotated text (SHA-256 differs)" in result.output
    assert "2 articles: 1 exact, 0 cut from the page with small differences, 1 missing" in result.output
    both = CliRunner().invoke(main, ["gold-texts", "--root", str(root), "--from", str(copies), "--pages", str(copies)])
    assert both.exit_code == 2 and "give one of them" in both.output


def _annotations(real: Path) -> None:
    """Gold rows and no-event sentences of a1 (out of order between the two
    files, as annotators list them apart); none of a2."""
    sentences = BODY.split("\n\n")
    gold = [{"article_id": "a1", "sentence": sentences[0], "actor": "RUS", "event_type": "DEMAND"},
            {"article_id": "a1", "sentence": sentences[0], "actor": "RUS", "event_type": "OFFER"},
            {"article_id": "a1", "sentence": sentences[2], "actor": "RUS", "event_type": "THREATEN"}]
    for name, rows in (("dev_gold.csv", gold), ("test_gold.csv", [])):
        _write_csv(real / name, ["article_id", "sentence", "actor", "event_type"], rows)
    _write_csv(real / "no_event.csv", ["article_id", "sentence", "reason"],
               [{"article_id": "a1", "sentence": sentences[1], "reason": "background"}])


def test_texts_rebuilt_from_the_annotations_are_marked_and_scored_as_rebuilt(project, tmp_path: Path) -> None:
    from ultimatum.evaluate.sets import read_results, score_set
    from ultimatum.evaluate.texts import FULL, REBUILT, rebuilt_articles
    root, rows = project
    real = root / REAL_DIR
    _annotations(real)
    result = CliRunner().invoke(main, ["gold-texts", "--root", str(root), "--from-gold"])
    assert result.exit_code == 0, result.output
    assert "a2: no annotated sentence to rebuild it from" in result.output
    assert "2 articles: 1 rebuilt from the annotated sentences, 1 missing" in result.output
    dev = real / "texts" / "dev"
    text = (dev / "a1.txt").read_text(encoding="utf-8")
    # the outlet for a title (no headline), then each distinct sentence once, a paragraph each
    assert text == f"Example News\n\n{BODY}\n"
    assert hashlib.sha256(text.encode()).hexdigest() != rows[0]["sha256"]
    assert rebuilt_articles(dev) == {"a1"}
    articles = pd.DataFrame({"article_id": ["a1"]})
    events = pd.DataFrame(columns=["article_id", "sentence", "actor", "actor_name", "event_type"])
    info = {"articles": dev, "gold": real / "dev_gold.csv"}
    assert score_set(info, articles, events)["texts"] == REBUILT
    # pages that cannot be had later: the rebuilt text is removed, not scored as a full one
    empty = tmp_path / "no_copies"
    empty.mkdir()
    assert {d.article_id: d.status for d in restore(real, source=empty)} == {"a1": "missing", "a2": "missing"}
    assert not (dev / "a1.txt").exists() and rebuilt_articles(dev) == set()
    # the published text is there: a rebuild keeps it
    (dev / "a1.txt").write_text(f"Russia hands over draft treaties\n\n{BODY}\n", encoding="utf-8")
    assert {d.article_id: d for d in rebuild_texts(real)}["a1"] == Restored("a1", "exact", "already there")
    assert score_set(info, articles, events)["texts"] == FULL
    # results files from before the column were measured on full texts
    old = tmp_path / "results.csv"
    old.write_text("gold_set,f1\nreal_test,0.6\n", encoding="utf-8")
    assert read_results(old)["texts"].tolist() == [FULL]
    both = CliRunner().invoke(main, ["gold-texts", "--root", str(root), "--from-gold", "--pages", str(real)])
    assert both.exit_code == 2 and "give one of them" in both.output
    (real / "no_event.csv").unlink()
    absent = CliRunner().invoke(main, ["gold-texts", "--root", str(root), "--from-gold"])
    assert absent.exit_code == 2 and "no_event.csv: no such file" in absent.output
