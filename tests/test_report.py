"""The report's structure: every section and chart present, the prose numbers
equal to the tables', nothing fetched from the network, clean pagination.

The report is built once per session from a small hand-made set of processed
tables (the ``hand_made`` fixture: several parties and targets, multi-valued
targets and topics, an OTHER party, repeated claims, an event dated outside
the window), so the expected numbers are computed here independently with
plain pandas."""
from __future__ import annotations

import itertools
import os
import re
import xml.etree.ElementTree as ET
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from ultimatum.report import accuracy, export, notebooks, provenance
from ultimatum.report.assemble import assemble
from ultimatum.report.config import ConfigError, load_config


class _Collector(HTMLParser):
    """Keyed values, sections, charts, evidence rows and every attribute of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self.sections: dict[str, bool] = {}
        self.charts: dict[str, bool] = {}
        self.attrs: list[tuple[str, str, str]] = []
        self.tags: list[str] = []
        self._key: str | None = None
        self._section: str | None = None
        self._chart: str | None = None
        self.evidence_rows = 0
        self.style_text = ""
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        for name, value in attrs:
            self.attrs.append((tag, name, value or ""))
        if "data-key" in a:
            self._key = a["data-key"]
            self.values[self._key] = ""
        if tag == "section" and "id" in a:
            self._section = a["id"]
            self.sections[a["id"]] = False
        if tag == "h2" and self._section:
            self.sections[self._section] = True
        if tag == "figure" and "data-chart" in a:
            self._chart = a["data-chart"]
            self.charts[self._chart] = False
        if tag == "svg" and self._chart:
            self.charts[self._chart] = True
        if tag == "div" and a.get("class") == "ev":
            self.evidence_rows += 1
        if tag == "style":
            self._in_style = True

    def handle_endtag(self, tag):
        if tag in ("span", "td", "a"):
            self._key = None
        if tag == "figure":
            self._chart = None
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._key is not None:
            self.values[self._key] += data
        if self._in_style:
            self.style_text += data


def _num(text: str) -> float:
    return float(text.strip())


#: The charts the report notebook draws.
CHARTS = ["demands", "demand_topics", "responses", "matrix", "timeline", "claims", "demand_response"]


def _read(html: str) -> _Collector:
    page = _Collector()
    page.feed(html)
    return page


def render(processed: Path, out: Path, root: Path, pdf: bool = False, **params) -> tuple[str, _Collector]:
    """The report notebook run on ``processed`` into ``out``: its HTML, read."""
    paths = notebooks.render_report(processed, out, extra=params, notebooks=root / "notebooks", pdf=pdf)
    html = paths["html"].read_text(encoding="utf-8")
    return html, _read(html)


@pytest.fixture(scope="session")
def processed(tmp_path_factory, hand_made) -> Path:
    folder = hand_made.write(tmp_path_factory.mktemp("processed"))
    articles = pd.read_csv(folder / "articles.csv", dtype=str, keep_default_na=False)
    articles.loc[0, "url"] = "https://wire.example/2021/12/17/russia-sets-out-demands"
    articles.to_csv(folder / "articles.csv", index=False)
    return folder


@pytest.fixture(scope="session")
def built(processed: Path, tmp_path_factory, root: Path):
    """One report build from the notebook, reused by every structure test."""
    out = tmp_path_factory.mktemp("report")
    html, page = render(processed, out, root, pdf=True)
    return out, assemble(processed, load_config()), html, page


@pytest.fixture(scope="session")
def report_sections(root: Path) -> list[tuple[str, str]]:
    return export.sections(nbformat.read(str(root / "notebooks" / notebooks.REPORT_NOTEBOOK), as_version=4))


@pytest.fixture(scope="session")
def expected(processed: Path) -> dict:
    """The numbers, computed here without the report's code."""
    ev = pd.read_csv(processed / "events.csv", dtype=str, keep_default_na=False)
    ev = ev[ev["event_date"] >= "2021-10-01"]  # the 2008 background date falls outside the window
    dem = ev[ev["event_type"] == "DEMAND"]
    resp = ev[ev["event_type"].isin(["REJECT", "OFFER", "ACCEPT"])]
    by_party = dem["actor"].value_counts()
    return {
        "events": ev, "mentions": len(ev), "claims": ev["claim_id"].nunique(),
        "demands": len(dem), "top_demander": by_party.idxmax(), "top_n": int(by_party.max()),
        "responses": len(resp), "by_type": resp["event_type"].value_counts().to_dict(),
        "signals": ev[ev["event_type"].isin(["THREATEN", "ACCUSE", "MOBILIZE"])]["event_type"].value_counts().to_dict(),
        "responses_to_rus": int(resp["target"].str.split(";").map(lambda t: "RUS" in t).sum()),
    }


@pytest.mark.slow
def test_every_section_present_with_heading(built, report_sections) -> None:
    _, _, html, page = built
    assert len(report_sections) >= 10
    for sid, _ in report_sections:
        assert page.sections.get(sid), f"section {sid} missing or without heading"
        assert f'href="#{sid}"' in html, f"section {sid} not in the contents"
    assert "title" in page.sections
    paragraphs = [re.sub(r"<[^>]+>", "", p) for p in re.findall(r"<p[^>]*>(.*?)</p>", html, re.S)]
    long = [p for p in paragraphs if len(p) > 80]
    assert len(long) == len(set(long)), "a paragraph is said twice"


@pytest.mark.slow
def test_every_chart_inline_and_written_as_svg_and_png(built) -> None:
    out, _, _, page = built
    for name in CHARTS:
        assert page.charts.get(name), f"chart {name} not inlined"
        svg = out / "figures" / f"{name}.svg"
        png = out / "figures" / f"{name}.png"
        assert ET.parse(svg).getroot().tag.endswith("svg")
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.slow
def test_prose_numbers_equal_independent_counts(built, expected, hand_made) -> None:
    _, _, _, page = built
    v = page.values
    assert _num(v["corpus.articles"]) == len(hand_made.ARTICLES)
    assert _num(v["corpus.outlets"]) == 2  # one article names no outlet
    assert _num(v["corpus.mentions"]) == expected["mentions"]
    assert _num(v["corpus.claims"]) == expected["claims"]
    assert _num(v["demands.total"]) == expected["demands"]
    assert v["demands.top_party"] == "Russia" and expected["top_demander"] == "RUS"
    assert _num(v["demands.top_n"]) == expected["top_n"]
    assert _num(v["demands.top_share"]) == round(100 * expected["top_n"] / expected["demands"])
    assert _num(v["responses.total"]) == expected["responses"]
    for t in ("REJECT", "OFFER", "ACCEPT"):
        assert _num(v[f"responses.{t}"]) == expected["by_type"].get(t, 0)
    for t in ("THREATEN", "ACCUSE", "MOBILIZE"):
        assert _num(v[f"signals.{t}"]) == expected["signals"].get(t, 0)
    assert _num(v["responses.to_top_demander"]) == expected["responses_to_rus"]
    assert _num(v["title.mentions"]) == expected["mentions"]


@pytest.mark.slow
def test_prose_numbers_equal_the_report_tables(built, expected) -> None:
    _, _, _, page = built
    v = page.values
    assert _num(v["demands.RUS.mentions"]) == _num(v["demands.top_n"])
    assert _num(v["demands.total.mentions"]) == _num(v["demands.total"])
    for t in ("REJECT", "OFFER", "ACCEPT"):
        assert _num(v[f"responses.total.{t}"]) == _num(v[f"responses.{t}"])
    assert _num(v["quality.total.events"]) == _num(v["corpus.mentions"])
    assert _num(v["claims.total.mentions"]) == _num(v["corpus.mentions"])
    assert _num(v["claims.total.claims"]) == _num(v["corpus.claims"])
    assert _num(v["coverage.outside_window.n"]) == 1
    assert page.evidence_rows == expected["mentions"]
    assert _num(v["demand_targets.several"]) == 1  # the demand of NATO and the United States
    # the top target of Russia's demands in the prose is the largest cell of its table row
    top_target = {"NATO": "NATO", "United States": "USA"}[v["demands.top_target"]]
    assert _num(v[f"demand_targets.RUS.{top_target}"]) == _num(v["demands.top_target_n"])
    index_cells = [_num(x) for k, x in v.items() if re.fullmatch(r"escalation\.[\d-]+\.index", k)]
    assert _num(v["escalation.peak"]) == max(index_cells)


@pytest.mark.slow
def test_html_is_self_contained(built) -> None:
    _, _, html, page = built
    assert "script" not in page.tags and "link" not in page.tags and "img" not in page.tags
    for tag, name, value in page.attrs:
        if tag == "a" and name == "href" and value.startswith("https://wire.example/"):
            continue  # an article's address in the evidence appendix: a link to follow, never fetched
        if name in ("src", "href", "xlink:href", "data", "poster", "srcset"):
            assert value.startswith("#"), f"<{tag} {name}={value!r}> points outside the page"
    for match in re.findall(r"url\(\s*['\"]?([^)'\"]*)", html):
        assert match.startswith("#"), f"url({match}) is not an in-page reference"
    assert "@import" not in page.style_text and "@font-face" not in page.style_text
    assert not re.search(r"src\s*=\s*['\"]?(https?:)?//", html)
    assert "<pre" not in html and "jp-InputArea" not in html  # no code


@pytest.mark.slow
def test_pdf_paginates_cleanly(built, report_sections) -> None:
    out, _, html, _ = built
    assert (out / "report.pdf").read_bytes().startswith(b"%PDF")
    document = export.html_pdf(html)
    assert len(document.pages) >= 3
    where: dict[int, set[int]] = {}
    elements = {}
    for number, page in enumerate(document.pages):
        stack = [page._page_box]
        while stack:
            box = stack.pop()
            el = getattr(box, "element", None)
            if el is not None:
                where.setdefault(id(el), set()).add(number)
                elements[id(el)] = el
            stack.extend(getattr(box, "children", []) or [])
    figure_ids = [k for k, el in elements.items() if el.tag == "figure"]
    assert len(figure_ids) == len(CHARTS)
    for k in figure_ids:
        assert len(where[k]) == 1, f"chart {elements[k].get('id')} is cut across pages"
    following = {}
    for parent in list(elements.values()):
        kids = list(parent)
        following.update({id(a): b for a, b in itertools.pairwise(kids)})
    headings = 0
    for k, el in elements.items():
        if el.tag == "table" and "counts" in (el.get("class") or ""):
            assert len(where[k]) == 1, "a small table is cut across pages"
        nxt = following.get(k)
        if el.tag in ("h2", "h3") and nxt is not None and id(nxt) in where:
            headings += 1
            assert min(where[id(nxt)]) == max(where[k]), f"heading {el.text!r} left alone"
    assert headings >= len(report_sections)
    css = (Path(export.__file__).parent / "templates" / "report.css").read_text()
    assert "counter(page)" in css and "target-counter" in css
    # a chart is drawn at its own size (it is no wider than the text), so its notes stay legible
    for name in CHARTS:
        width = ET.parse(out / "figures" / f"{name}.svg").getroot().get("width")
        assert width.endswith("pt") and float(width[:-2]) <= 499, f"{name} is {width} wide"


@pytest.mark.slow
def test_milestones_only_where_the_corpus_covers_them(built, processed: Path) -> None:
    _, data, html, _ = built
    # no milestone's article is among the hand-made ones: each drawn falls on a day with events,
    # and its table says that the article it cites is not in this corpus
    assert list(data.milestones["date"]) == ["2021-12-17", "2022-01-10", "2022-01-26", "2022-02-02"]
    assert not data.milestones["article_in_corpus"].any()
    assert html.count('class="milestones"') == 1 and html.count(" (not in this corpus)") == 4
    demands = assemble(processed, load_config(event_types="DEMAND")).milestones  # none on 26 January
    assert list(demands["date"]) == ["2021-12-17", "2022-01-10", "2022-02-02"]
    every = assemble(processed, load_config(event_types="DEMAND", milestones_beyond_corpus=True)).milestones
    assert list(every["date"]) == ["2021-12-17", "2022-01-10", "2022-01-26", "2022-02-02"]


@pytest.mark.slow
def test_empty_event_table_still_renders(tmp_path: Path, hand_made, root: Path, report_sections) -> None:
    html, page = render(hand_made.write(tmp_path / "p", events=[]), tmp_path / "out", root)
    assert all(page.sections.get(sid) for sid, _ in report_sections)
    assert all(page.charts.get(name) for name in CHARTS)
    assert _num(page.values["corpus.mentions"]) == 0
    assert "No demands" in html and "No events in the selected data" in html


def test_settings_override_window_and_types(processed: Path, hand_made) -> None:
    cfg = load_config(date_from="2022-01-01", event_types="DEMAND,REJECT", show_milestones="false")
    data = assemble(processed, cfg)
    assert set(data.events["event_type"]) == {"DEMAND", "REJECT"}
    assert data.events["date"].min() >= pd.Timestamp("2022-01-01")
    assert data.milestones.empty
    wanted = [e for e in hand_made.EVENTS if e[4] in ("DEMAND", "REJECT") and e[7] >= "2022-01-01"]
    assert len(data.events) == len(wanted)


def test_bad_settings_name_the_file_and_key(tmp_path: Path) -> None:
    bad = tmp_path / "mine.yaml"
    bad.write_text("date_form: 2022-01-01\n")
    with pytest.raises(ConfigError, match=r"mine\.yaml: date_form"):
        load_config(bad)
    bad.write_text("parties:\n  - {code: RUS, label: Russia, colour: red}\n")
    with pytest.raises(ConfigError, match=r"mine\.yaml: parties\[0\]\.colour: 'red' is not a colour"):
        load_config(bad)
    with pytest.raises(ConfigError, match="event_types: unknown type"):
        load_config(event_types="DEMAND,PRAISE")
    with pytest.raises(ConfigError, match="is not a date"):
        load_config(date_from="next week")


def test_milestones_are_supported_by_their_articles(root: Path) -> None:
    cfg = load_config()
    assert len(cfg.milestones) >= 4
    for m in cfg.milestones.itertuples():
        matches = list((root / "data" / "raw").glob(f"{m.article_id}.*"))
        assert matches, f"milestone {m.label}: article {m.article_id} not in data/raw"
        text = " ".join(matches[0].read_text(encoding="utf-8").split())
        for fragment in m.evidence.split(" ... "):
            assert fragment in text, f"milestone {m.label}: {fragment!r} not in {m.article_id}"


def test_accuracy_says_why_when_not_measured(processed: Path, tmp_path: Path) -> None:
    table, note = accuracy.read_accuracy(tmp_path)
    assert table is None and "tests/gold/results.csv" in note and "ultimatum evaluate" in note
    table, note = accuracy.read_accuracy(None)
    assert table is None and "--gold-root" in note
    assert accuracy.default_gold_root(tmp_path) is None
    data = assemble(processed, load_config(), table, note)
    assert provenance.accuracy_section(data) == f'<p class="none">{note}</p>'


def test_accuracy_is_read_from_the_results_file(processed: Path, tmp_path: Path) -> None:
    from ultimatum.evaluate.sets import RESULT_COLUMNS
    gold = tmp_path / "tests" / "gold"
    gold.mkdir(parents=True)
    (gold / "sets.csv").write_text("name,articles,gold,source,role,description\n")
    rows = [{"gold_set": "seeds", "source": "written", "role": "development", "n_articles": 5,
             "gold_mentions": 169, "precision": 0.945, "recall": 0.811, "f1": 0.873, "tp": 137, "fp": 8,
             "fn": 32, "target_exact": 0.854, "topic_jaccard": 0.9, "date_accuracy": 0.964,
             "party_count_error": 0.231, "measured": "2026-01-05", "code": "abc"},
            {"gold_set": "real_test", "source": "real", "role": "test", "n_articles": 24, "gold_mentions": 80,
             "precision": 0.7, "recall": 0.6, "f1": 0.646, "tp": 48, "fp": 20, "fn": 32, "target_exact": 0.8,
             "topic_jaccard": 0.7, "date_accuracy": "", "party_count_error": "", "measured": "2026-01-04",
             "code": "abc"}]
    pd.DataFrame(rows, columns=RESULT_COLUMNS).to_csv(gold / "results.csv", index=False)
    assert accuracy.default_gold_root(tmp_path) == tmp_path
    table, note = accuracy.read_accuracy(tmp_path)
    assert note == "" and list(table.columns) == accuracy.SHOWN_COLUMNS + accuracy.LEAD_COLUMNS
    assert list(table["gold_set"]) == ["seeds", "real_test"]
    html = provenance.accuracy_section(assemble(processed, load_config(), table, note))
    page = _Collector()
    page.feed(html)
    assert page.values["accuracy.seeds.f1"] == "0.87" and page.values["accuracy.real_test.recall"] == "0.60"
    assert page.values["accuracy.seeds.n_articles"] == "5" and page.values["accuracy.real_test.date_accuracy"] == ""
    assert "2026-01-05" in html and "party count error" not in html
    assert "f1 low" not in html and "95% interval" not in html  # rows measured before intervals were kept


def test_readme_settings_example_loads(root: Path, tmp_path: Path) -> None:
    text = (root / "README.md").read_text(encoding="utf-8")
    section = text.split("## Adapting the charts", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```yaml\n(.*?)```", section, re.S)
    assert blocks, "the README shows no report.yaml example"
    mine = tmp_path / "my_report.yaml"
    mine.write_text(blocks[0], encoding="utf-8")
    cfg = load_config(mine)
    assert cfg.party_colour("RUS") == "#B2182B" and "THREATEN" not in cfg.event_types
    assert "-p " in section and "papermill" in section


@pytest.mark.slow
def test_ties_are_named_together_and_single_mentions_said_so(tmp_path: Path, hand_made, root: Path) -> None:
    tied = [("a1", 0, "RUS", "Russia", "DEMAND", "NATO", "DIALOGUE", "2021-12-17", "published", "C1"),
            ("a2", 0, "NATO", "NATO", "DEMAND", "RUS", "MISSILES", "2022-01-12", "published", "C2")]
    html, page = render(hand_made.write(tmp_path / "p", events=tied), tmp_path / "out", root,
                        event_types="DEMAND,REJECT,OFFER,ACCEPT")
    assert page.values["demands.top_party"] == "Russia and NATO"
    assert page.values["demands.top_topic"] == "Missiles and Talks"
    assert "Russia and NATO made the most demands" in (tmp_path / "out" / "figures" / "demands.svg").read_text()
    # nothing repeats: said so, not "reported 1 time in 1 article"
    assert "No claim was reported more than once" in html and "1 time" not in html
    # the signals were left out by the settings: said so, not "0 threats"
    assert "Escalation signals (threats, accusations and reports of mobilisation) are not counted" in html
    assert "0 threats" not in html


@pytest.mark.slow
def test_undated_corpus_is_counted_but_not_on_the_timeline(tmp_path: Path, hand_made, root: Path) -> None:
    processed = hand_made.write(tmp_path / "p")
    articles = pd.read_csv(processed / "articles.csv", dtype=str, keep_default_na=False)
    articles["published"] = ""
    articles.to_csv(processed / "articles.csv", index=False)
    events = pd.read_csv(processed / "events.csv", dtype=str, keep_default_na=False)
    events[["event_date", "published"]] = ""
    events.to_csv(processed / "events.csv", index=False)
    data = assemble(processed, load_config())
    assert len(data.events) == len(hand_made.EVENTS) and data.escalation.empty
    html, page = render(processed, tmp_path / "out", root)
    assert _num(page.values["corpus.mentions"]) == len(hand_made.EVENTS)
    assert "No dated events in the window" in (tmp_path / "out" / "figures" / "timeline.svg").read_text()
    assert f"{len(hand_made.EVENTS)}</a> events have no date" in html and "no publication date found" in html


@pytest.mark.slow
def test_title_page_describes_the_corpus_from_the_data(built) -> None:
    _, _, html, _ = built
    assert "3 articles from 2 named outlets, published 17 December 2021 – 2 February 2022" in html
    assert re.search(r"Events dated</dt>\s*<dd>16 December 2021 – 2 February 2022", html)


def test_evidence_limit_says_what_is_left_out(processed: Path, tmp_path: Path) -> None:
    data = assemble(processed, load_config(evidence_limit=5))
    html = provenance.evidence_section(data)
    assert html.count('class="ev"') == 5
    assert f"The first 5 of the {len(data.events)} events" in html


def test_accuracy_leads_with_the_real_test_set() -> None:
    from ultimatum.evaluate.sets import read_results
    table = read_results(Path(__file__).resolve().parents[1] / "tests" / "gold" / "results.csv")
    test_row = table[(table["source"] == "real") & (table["role"] == "test")].iloc[0]
    lead = provenance.honest_estimate(table)
    assert f"{int(test_row['n_articles'])} real published articles" in lead
    assert f"{test_row['recall']:.0%}" in lead and f"{test_row['precision']:.0%}" in lead
    assert f"F1 {test_row['f1']:.2f}" in lead and str(test_row["measured"]) in lead
    written_only = table[table["source"] == "written"]
    assert "No real test set was scored" in provenance.honest_estimate(written_only)
    assert "95% interval" in lead  # ranges, read from the results file like the scores
    assert f"95% interval {test_row['recall_low']:.0%}".rstrip("%") in lead
    assert f"F1 {test_row['f1']:.2f}; 95% interval {test_row['f1_low']:.2f}–{test_row['f1_high']:.2f}" in lead
    assert "95% interval" not in provenance.honest_estimate(table.assign(f1_low=float("nan")))
    for texts, said in (("rebuilt", True), ("full", False)):  # the lead says when the texts were rebuilt
        lead = provenance.honest_estimate(table.assign(texts=texts))
        assert ("rebuilt from the annotated sentences" in lead) is said


@pytest.mark.slow
def test_every_number_links_to_its_evidence(built) -> None:
    _, data, html, page = built
    ids = {value for tag, name, value in page.attrs if name == "id"}
    links = [value for tag, name, value in page.attrs if tag == "a" and name == "href" and value.startswith("#")]
    assert all(link[1:] in ids for link in links), "a link leads nowhere"
    # each count of the key findings and of the per-party tables is a link to its list of events
    for key in ("corpus.mentions", "demands.top_n", "responses.total", "signals.ACCUSE",
                "demands.RUS.mentions", "demand_targets.RUS.USA", "responses.NATO.REJECT",
                "responses_by_target.NATO>RUS.REJECT", "claims.total.mentions"):
        quoted = re.escape(escape(key))
        match = re.search(r'<a [^>]*data-key="' + quoted + r'" href="#([^"]+)"', html) or \
            re.search(r'data-key="' + quoted + r'"><a href="#([^"]+)"', html)
        assert match, f"{key} is not linked"
        if match.group(1) == "appendix-evidence":  # every event: the appendix itself
            assert _num(page.values[key]) == page.evidence_rows, key
            continue
        entry = re.search(r'<p class="why" id="[^"]*">(?:<span id="[^"]*"></span>)*<b>[^<]*</b> \((\d+)\)',
                          html[html.index(f'id="{match.group(1)}"') - 200:])
        assert entry and _num(entry.group(1)) == _num(page.values[key]), key
    # the list behind Russia's demands names exactly its events, each a link to its row
    rus = data.events[(data.events["actor"] == "RUS") & (data.events["event_type"] == "DEMAND")]
    entry = html[html.index('id="why-demands.RUS.mentions"'):].split("</p>", 1)[0]
    assert sorted(int(n) for n in re.findall(r'href="#ev-(\d+)"', entry)) == sorted(rus["eid"])
    # claim ids link to their mentions
    assert re.search(r'<a href="#why-claim.C7">C7</a>', html)


@pytest.mark.slow
def test_evidence_is_grouped_by_article_with_its_source(built) -> None:
    _, _, html, _ = built
    appendix = html[html.index('id="appendix-evidence"'):]
    a1 = appendix[appendix.index('id="art-a1"'):appendix.index('id="art-a2"')]
    assert "<h4>Russia sets out demands</h4>" in a1 and "Wire One · 2021-12-17" in a1
    assert '<a href="https://wire.example/2021/12/17/russia-sets-out-demands">' in a1
    assert "outlet not named" in appendix[appendix.index('id="art-a3"'):]


@pytest.mark.slow
def test_tables_name_parties_not_codes(built) -> None:
    _, _, html, _ = built
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", html)
    assert not [c for c in cells if re.fullmatch(r"[A-Z]+(;[A-Z]+)+", c.strip())], "codes in a table"
    assert "NATO and United States" in html  # the demand of both, in the evidence and the tables


def test_multi_valued_party_codes_read_as_names() -> None:
    cfg = load_config()
    assert cfg.party_label("NATO;USA") == "NATO and United States"
    assert cfg.party_label("RUS;NATO;USA") == "Russia, NATO and United States"
    assert cfg.party_label("") == "(none named)"


def test_report_reads_problems_with_the_separator_ingest_writes() -> None:
    from ultimatum.ingest import reader
    from ultimatum.schema import PROBLEM_SEP
    assert reader.PROBLEM_SEP == PROBLEM_SEP


def test_the_same_html_gives_the_same_pdf_bytes_at_any_time(monkeypatch) -> None:
    from fontTools.misc import timeTools
    from weasyprint.pdf import fonts
    monkeypatch.setattr(fonts, "harfbuzz_subset", None)  # fontTools saves the fonts, as without HarfBuzz-Subset
    page = "<html><body><h1>Demands</h1><p>Two demands, one answer.</p></body></html>"
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.setattr(timeTools.time, "time", lambda: 1.6e9)
    first = export.pdf_bytes(page)
    monkeypatch.setattr(timeTools.time, "time", lambda: 1.7e9)  # a later clock: subsets stamped with it before
    assert export.pdf_bytes(page) == first
    assert "SOURCE_DATE_EPOCH" not in os.environ  # the environment is left as it was
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1234567890")  # a user's own epoch is kept, and keys the layout
    key = export.layout_key(page)
    assert export.pdf_bytes(page) != first and os.environ["SOURCE_DATE_EPOCH"] == "1234567890"
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert export.layout_key(page) != key


def test_the_pdf_is_laid_out_again_only_when_its_html_changes(tmp_path: Path, monkeypatch) -> None:
    laid_out: list[str] = []
    real = export.html_pdf

    def counting(html_text: str):
        laid_out.append(html_text)
        return real(html_text)
    monkeypatch.setattr(export, "html_pdf", counting)
    page = "<html><body><h1>Demands</h1><p>Two demands, one answer.</p></body></html>"
    first, second, third = (tmp_path / name for name in ("first", "second", "third"))
    for folder in (first, second, third):
        folder.mkdir()
    export.write_pdf(page, first)
    export.write_pdf(page, second, previous=first)
    assert len(laid_out) == 1  # the same HTML: the first PDF is reused
    assert (second / "report.pdf").read_bytes() == (first / "report.pdf").read_bytes()
    with export._fixed_font_time():
        assert (second / "report.pdf").read_bytes() == real(page).write_pdf()  # what a fresh layout gives
    changed = page.replace("one answer", "no answer")
    export.write_pdf(changed, third, previous=second)
    assert laid_out[-1] == changed and len(laid_out) == 2
    assert (third / "report.pdf").read_bytes() != (second / "report.pdf").read_bytes()


def test_an_outlet_with_undated_articles_shows_its_dated_range_and_how_many_are_undated() -> None:
    from types import SimpleNamespace

    from ultimatum.report.tables import outlets
    articles = pd.DataFrame({"article_id": list("abcde"), "outlet": ["X", "X", "Y", "", "X"],
                             "published": ["2022-01-02", "", None, "2022-02-01", "2022-01-05"]})
    html = outlets(SimpleNamespace(articles=articles))
    assert "<td>2022-01-02 – 2022-01-05 (1 undated)</td>" in html
    assert "<td>Y</td><td class=\"n\">1</td><td>undated</td>" in html
    assert "<td>2022-02-01</td>" in html and "<td> – " not in html
