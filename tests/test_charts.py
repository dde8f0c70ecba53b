"""Charts: deterministic SVG, the configured party colours, a title and a
source note on each, unique ids when several are inlined in one page."""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from ultimatum.report import charts, counts, figures
from ultimatum.report.assemble import assemble
from ultimatum.report.config import load_config

CHARTS = ["demands", "demand_topics", "responses", "matrix", "timeline", "claims"]


def make_charts(d, folder: Path, only: list[str] | None = None) -> dict[str, charts.Chart]:
    """The charts as the report notebook's cells draw them (titles shortened)."""
    cfg, label = d.cfg, d.cfg.party_label
    note = lambda n: figures.source_note(d, "event mentions", n)
    specs = {
        "demands": lambda: charts.stacked_barh(
            counts.targets_grouped(d.events, ["DEMAND"], cfg.party_codes), label,
            lambda t: figures.target_colour(cfg, t), lambda t: figures.target_label(cfg, t),
            "Russia made most of the demands", note(len(d.events)), "demand mentions", "addressed to",
            "No demands in the selected data"),
        "demand_topics": lambda: charts.stacked_barh(
            d.demand_topics.T.drop(index=[""], errors="ignore"), cfg.topic_label, cfg.party_colour, label,
            "Demands by topic", note(len(d.events)), "demand mentions", "demanded by", "No demand named a topic"),
        "responses": lambda: charts.stacked_barh(
            d.responses, label, lambda k: cfg.event_types.get(k, charts.NONE_COLOUR), str.title,
            "Rejections were the most common responses " * 3, note(len(d.events)), "response mentions",
            "response", "No responses in the selected data"),
        "matrix": lambda: charts.heatmap(d.matrix, label, label, "Who acted towards whom", note(len(d.events)),
                                         "Target", "Actor", "No events in the selected data"),
        "timeline": lambda: charts.timeline(
            d.daily_party, d.daily_type, d.escalation, d.milestones, label, cfg.party_colour, cfg.event_types,
            "No dated events in the window" if d.escalation.empty else "Escalation peaked",
            note(len(d.events)) + (" Milestones: " + "; ".join(
                f"({k}) {m.label}" for k, m in enumerate(d.milestones.itertuples(), 1)) if len(d.milestones) else ""),
            figures.index_label(cfg)),
        "claims": lambda: charts.grouped_barh(
            figures.claims_by_party(d), label, {"mentions": "#7F7F7F", "distinct claims": "#1F5AA6"},
            "Mentions and claims", note(len(d.events)), "count", "No events in the selected data"),
    }
    with charts.style(cfg.style):
        figs = {name: specs[name]() for name in only or CHARTS}
        return {name: charts.save(fig, name, fig._suptitle.get_text(), folder, cfg.png_dpi) for name, fig in figs.items()}


@pytest.fixture(scope="module")
def data(tmp_path_factory, hand_made):
    return assemble(hand_made.write(tmp_path_factory.mktemp("p")), load_config())


@pytest.fixture(scope="module")
def made(data, tmp_path_factory):
    return make_charts(data, tmp_path_factory.mktemp("figures"))


@pytest.mark.slow
def test_svg_output_is_deterministic(data, made, tmp_path: Path) -> None:
    first = made
    second = make_charts(data, tmp_path / "two")
    for name in CHARTS:
        assert first[name].paths["svg"].read_bytes() == second[name].paths["svg"].read_bytes(), name
        assert "<dc:date>" not in first[name].svg


def test_each_chart_states_title_and_source(data, made) -> None:
    for name, chart in made.items():
        svg = chart.paths["svg"].read_text(encoding="utf-8")
        assert chart.title
        words = re.sub(r"[^\w ]", " ", chart.title).split()[:3]
        assert all(w in svg for w in words), f"{name}: title not drawn"
        assert "Source:" in svg and "n = " in svg, f"{name}: no source note"


def test_party_colours_come_from_the_config(data, made, tmp_path: Path) -> None:
    svg = made["demands"].paths["svg"].read_text(encoding="utf-8").lower()
    # Russia's demands are addressed to NATO and the US: their colours fill the bars
    for code in ("NATO", "USA"):
        assert data.cfg.party_colour(code).lower() in svg
    cfg = load_config(parties=[{"code": "NATO", "label": "NATO", "colour": "#123456"},
                               {"code": "USA", "label": "US", "colour": "#654321"},
                               {"code": "RUS", "label": "Russia", "colour": "#ABCDEF"}])
    data.cfg = cfg
    try:
        svg = make_charts(data, tmp_path / "mine", only=["demands"])["demands"].paths["svg"].read_text().lower()
    finally:
        data.cfg = load_config()
    assert "#123456" in svg and "#654321" in svg


def test_inline_ids_are_unique_across_charts(made) -> None:
    seen: set[str] = set()
    for chart in made.values():
        ids = re.findall(r'\bid="([^"]+)"', chart.svg)
        assert not seen & set(ids)
        seen |= set(ids)
        for ref in re.findall(r'(?:url\(#|href="#)([^")]+)', chart.svg):
            assert ref in ids, f"{chart.name}: dangling reference #{ref}"


def test_empty_tables_give_a_message_not_a_crash(tmp_path: Path, hand_made) -> None:
    empty = assemble(hand_made.write(tmp_path / "p", events=[]), load_config())
    made = make_charts(empty, tmp_path / "figs")
    assert set(made) == set(CHARTS)
    assert "No demands" in made["demands"].paths["svg"].read_text()
    assert "No dated events" in made["timeline"].paths["svg"].read_text()


def test_timeline_numbers_the_milestones(data, made, tmp_path: Path, hand_made) -> None:
    svg = made["timeline"].paths["svg"].read_text()
    for k in range(1, len(data.milestones) + 1):
        assert f"({k})" in svg  # the key under the chart
    off = assemble(hand_made.write(tmp_path / "p2"), load_config(show_milestones=False))
    svg_off = make_charts(off, tmp_path / "off", only=["timeline"])["timeline"].paths["svg"].read_text()
    assert "Milestones:" not in svg_off


def test_style_file_is_applied(tmp_path: Path) -> None:
    import matplotlib.pyplot as plt
    cfg = load_config()
    with charts.style(cfg.style):
        assert plt.rcParams["font.family"] == ["DejaVu Sans"]
        assert plt.rcParams["svg.hashsalt"] == "ultimatum"


def test_a_long_title_wraps_instead_of_widening_the_chart(made) -> None:
    import xml.etree.ElementTree as ET
    for name, chart in made.items():  # the responses title is three sentences long
        width = ET.parse(chart.paths["svg"]).getroot().get("width")
        assert float(width.removesuffix("pt")) <= charts.WIDTH * 72 + 12, f"{name}: {width}"


def test_timeline_dates_name_every_month_and_the_year() -> None:
    ticks = lambda a, b: [text for _, text in charts.date_ticks(pd.Timestamp(a), pd.Timestamp(b))]
    assert ticks("2021-12-06", "2022-02-02") == ["6 Dec\n2021", "Jan\n2022", "Feb"]
    assert ticks("2021-11-01", "2022-02-24") == ["Nov\n2021", "Dec", "Jan\n2022", "Feb"]
    assert ticks("2022-01-05", "2022-01-30") == ["5 Jan\n2022", "12 Jan", "19 Jan", "26 Jan"]


def test_timeline_has_no_offset_label_below_the_axis(made) -> None:
    svg = made["timeline"].paths["svg"].read_text()
    assert "2022-Feb" not in svg and "Dec" in svg and "2021" in svg
