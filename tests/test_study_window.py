"""Articles published before the crisis: an act and the answer to it are
treated alike (both kept, dated as the article says), what such an article
dates years earlier is background as anywhere, and the report says which
articles fall outside the study window and leaves their events out of its
findings."""
from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from ultimatum.extract.events import extract_article
from ultimatum.ingest.pubdates import study_window
from ultimatum.pipeline import run_extract
from ultimatum.report.assemble import assemble
from ultimatum.report.notebooks import render_report

OLD_STORY = """Russia presses NATO on missile deployments

MOSCOW, March 1, 2018 (Reuters) - Russia demanded on Thursday that NATO halt the deployment of missiles in Europe, the foreign ministry said.

NATO rejected the demand, a spokesperson said.

In 2008, NATO offered Georgia a path to membership.
"""
PLAIN = ("Russia demanded on Thursday that NATO halt the deployment of missiles in Europe, the foreign ministry "
         "said.\n\nNATO rejected the demand, a spokesperson said.\n\n"
         "In 2008, NATO offered Georgia a path to membership.")


def _acts(published: str) -> set[tuple[str, str, int, str]]:
    rows = extract_article({"article_id": "a", "published": published, "body": PLAIN})
    return {(r["actor"], r["event_type"], r["sentence_id"], r["event_date"]) for r in rows}


def test_an_article_older_than_the_crisis_keeps_the_demand_and_its_answer() -> None:
    acts = _acts("2018-03-01")
    assert ("RUS", "DEMAND", 0, "2018-03-01") in acts   # "on Thursday": the article's own news
    assert ("NATO", "REJECT", 1, "2018-03-01") in acts  # the answer to it
    assert not any(sentence == 2 for _, _, sentence, _ in acts)  # 2008: background in 2018 too


def test_a_crisis_article_still_drops_pre_crisis_background() -> None:
    acts = _acts("2022-01-14")
    assert ("RUS", "DEMAND", 0, "2022-01-13") in acts and ("NATO", "REJECT", 1, "2022-01-14") in acts
    assert not any(sentence == 2 for _, _, sentence, _ in acts)
    background = extract_article({"article_id": "b", "published": "2022-01-14", "body":
                                  "Russia demanded on 15 September 2021 that NATO halt its drills."})
    assert background == []  # before the crisis start, in an article of the crisis


def _extracted(tmp_path: Path, raw_dir: Path | None) -> Path:
    folder = tmp_path / "raw"
    if raw_dir is not None:
        shutil.copytree(raw_dir, folder)
    else:
        folder.mkdir()
    (folder / "old_story.txt").write_text(OLD_STORY, encoding="utf-8")
    (folder / "older_story.txt").write_text(OLD_STORY.replace("March 1, 2018", "June 4, 2019"), encoding="utf-8")
    out = tmp_path / "out"
    run_extract(folder, out, use_cache=False)
    return out


def _findings(processed: Path, out: Path, root: Path) -> str:
    """The key findings of the report notebook run on ``processed``, as text."""
    html = render_report(processed, out, notebooks=root / "notebooks", pdf=False)["html"].read_text()
    section = html[html.index('id="key-findings"'):]
    return re.sub(r"<[^>]+>", "", section[:section.index("</ul>")])


@pytest.mark.slow
def test_report_says_which_articles_fall_outside_the_study_window(tmp_path: Path, raw_dir: Path,
                                                                   root: Path) -> None:
    processed = _extracted(tmp_path, raw_dir)
    d = assemble(processed)
    start, end = study_window()
    assert d.window[0] >= start and d.window[1] <= end  # not stretched back to 2018
    assert set(d.outside["article_id"]) >= {"old_story", "older_story"}
    assert not set(d.events["article_id"]) & {"old_story", "older_story"}
    text = _findings(processed, tmp_path / "report", root)
    assert "2 of the 7 articles were published outside the study window" in text and "1 October 2021" in text
    peak = re.search(r"peak of [\d.]+ on (\d+ \w+ \d{4})", text)
    assert peak and "2018" not in peak.group(1)


@pytest.mark.slow
def test_report_on_old_articles_only_says_so(tmp_path: Path, root: Path) -> None:
    processed = _extracted(tmp_path, None)
    d = assemble(processed)
    assert d.window[0] is not None and d.window[0] < dt.date(2021, 1, 1)  # their own dates, said to be so
    text = _findings(processed, tmp_path / "report", root)
    assert "All 2 articles were published outside the study window" in text


def test_old_articles_give_their_demands_and_the_answers(tmp_path: Path) -> None:
    folder = tmp_path / "old"
    folder.mkdir()
    (folder / "old_story.txt").write_text(OLD_STORY, encoding="utf-8")
    (folder / "older_story.txt").write_text(OLD_STORY.replace("March 1, 2018", "June 4, 2019"), encoding="utf-8")
    events = run_extract(folder, tmp_path / "out", use_cache=False).events
    for kind in ("DEMAND", "REJECT"):
        assert set(events.loc[events["event_type"] == kind, "article_id"]) == {"old_story", "older_story"}, kind
