"""Charts: deterministic SVG, the configured party colours, a title and a
source note on each, unique ids when several are inlined in one page."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from ultimatum.report import charts, figures, render
from ultimatum.report.config import load_config


@pytest.fixture(scope="module")
def data(tmp_path_factory, hand_made):
    return render.assemble(hand_made.write(tmp_path_factory.mktemp("p")), load_config())


@pytest.fixture(scope="module")
def made(data, tmp_path_factory):
    return figures.make_charts(data, tmp_path_factory.mktemp("figures"))


@pytest.mark.slow
def test_svg_output_is_deterministic(data, made, tmp_path: Path) -> None:
    first = made
    second = figures.make_charts(data, tmp_path / "two")
    for name in figures.CHARTS:
        assert first[name].paths["svg"].read_bytes() == second[name].paths["svg"].read_bytes(), name
        assert "<dc:date>" not in first[name].svg


def test_each_chart_states_title_and_source(data, made) -> None:
    for name, chart in made.items():
        svg = chart.paths["svg"].read_text(encoding="utf-8")
        assert chart.title and chart.title == data.titles[name]
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
        svg = figures.make_charts(data, tmp_path / "mine", only=["demands"])["demands"].paths["svg"].read_text().lower()
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
    empty = render.assemble(hand_made.write(tmp_path / "p", events=[]), load_config())
    made = figures.make_charts(empty, tmp_path / "figs")
    assert set(made) == set(figures.CHARTS)
    assert "No demands" in made["demands"].paths["svg"].read_text()
    assert "No dated events" in made["timeline"].paths["svg"].read_text()


def test_timeline_numbers_the_milestones(data, made, tmp_path: Path, hand_made) -> None:
    svg = made["timeline"].paths["svg"].read_text()
    for k in range(1, len(data.milestones) + 1):
        assert f"({k})" in svg  # the key under the chart
    off = render.assemble(hand_made.write(tmp_path / "p2"), load_config(show_milestones=False))
    svg_off = figures.make_charts(off, tmp_path / "off", only=["timeline"])["timeline"].paths["svg"].read_text()
    assert "Milestones:" not in svg_off


def test_style_file_is_applied(tmp_path: Path) -> None:
    import matplotlib.pyplot as plt
    cfg = load_config()
    with charts.style(cfg.style):
        assert plt.rcParams["font.family"] == ["DejaVu Sans"]
        assert plt.rcParams["svg.hashsalt"] == "ultimatum"
