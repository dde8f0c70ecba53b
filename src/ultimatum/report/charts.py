"""Charts of the report (matplotlib, one style file, one colour per party).

Each chart function draws a figure from counted tables; :func:`save` writes it
to ``figures/NAME.svg`` and ``figures/NAME.png`` and returns the SVG text for
inlining. Titles state the finding, a footnote gives source and n. SVG output
is deterministic (fixed hash salt, no date), so two runs give identical files."""
from __future__ import annotations

import io
import re
import textwrap
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from ultimatum.runtime.atomic import write_text_atomic

NONE_COLOUR = "#D9D9D9"
SEVERAL_COLOUR = "#4D4D4D"
SVG_METADATA = {"Date": None, "Creator": None, "Format": None, "Type": None}
WIDTH = 6.7  # inches: the text width of an A4 page with 18 mm margins


@dataclass
class Chart:
    """A saved chart: its name, title, inline SVG and file paths."""
    name: str
    title: str
    svg: str
    paths: dict[str, Path]


def use_style(path: str | Path) -> None:
    """Apply the report's matplotlib style (and a fixed SVG hash salt, text
    kept as text) to every chart drawn from now on, as in a notebook."""
    plt.style.use(str(path))
    matplotlib.rcParams.update({"svg.hashsalt": "ultimatum", "svg.fonttype": "none"})


@contextmanager
def style(path: str | Path) -> Iterator[None]:
    """Apply the report's matplotlib style (and a fixed SVG hash salt)."""
    with plt.style.context(str(path)), matplotlib.rc_context({"svg.hashsalt": "ultimatum",
                                                              "svg.fonttype": "none"}):
        yield


def _frame(title: str, footnote: str, height: float) -> tuple[Figure, Axes]:
    fig, ax = plt.subplots(figsize=(WIDTH, height), layout="constrained")
    _decorate(fig, title, footnote)
    return fig, ax


def _decorate(fig: Figure, title: str, footnote: str) -> None:
    # wrapped to the figure's width: a wider title would widen the saved figure, which the page then shrinks
    fig.suptitle("\n".join(textwrap.wrap(title, 78)), x=0.01, ha="left", fontsize=10.5, fontweight="bold")
    fig.text(0.01, -0.01, "\n".join(textwrap.wrap(footnote, 125)), ha="left", va="top",
             fontsize=7, color="#555555", transform=fig.transFigure)


def _empty(ax: Axes, message: str) -> None:
    ax.set_axis_off()
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=10, color="#666666",
            transform=ax.transAxes)


def _integer_ticks(axis: Axis) -> None:
    """Ticks at whole numbers only (a linear axis's default locator is a MaxNLocator)."""
    locator = axis.get_major_locator()
    if isinstance(locator, MaxNLocator):
        locator.set_params(integer=True)


def _height(n_rows: int, base: float = 1.3, per_row: float = 0.34) -> float:
    return max(2.0, base + per_row * n_rows)


def stacked_barh(table: pd.DataFrame, row_labels: Callable[[str], str],
                 colours: Callable[[str], str], legend_labels: Callable[[str], str],
                 title: str, footnote: str, xlabel: str, legend_title: str,
                 empty_message: str) -> Figure:
    """Horizontal bars, one per row of ``table``, stacked by its columns;
    the first row is drawn on top. Totals are written at the bar ends."""
    table = table.loc[table.sum(axis=1) > 0] if not table.empty else table
    fig, ax = _frame(title, footnote, _height(len(table)))
    if table.empty or table.to_numpy().sum() == 0:
        _empty(ax, empty_message)
        return fig
    table = table.loc[:, table.sum(axis=0) > 0]
    y = np.arange(len(table))[::-1]
    left = np.zeros(len(table))
    for col in table.columns:
        vals = table[col].to_numpy(dtype=float)
        ax.barh(y, vals, left=left, color=colours(col), label=legend_labels(col),
                edgecolor="white", linewidth=0.6, height=0.68)
        left += vals
    for yi, total in zip(y, left):
        ax.annotate(f"{int(total)}", (total, yi), xytext=(3, 0), textcoords="offset points",
                    va="center", ha="left", fontsize=8, color="#333333")
    ax.set_yticks(y, [row_labels(r) for r in table.index])
    ax.set_xlim(0, left.max() * 1.12 + 0.5)
    _integer_ticks(ax.xaxis)
    ax.set_xlabel(xlabel)
    ax.tick_params(axis="y", length=0)
    ax.legend(title=legend_title, loc="upper left", bbox_to_anchor=(1.0, 1.0), borderaxespad=0.3)
    return fig


def heatmap(table: pd.DataFrame, row_labels: Callable[[str], str], col_labels: Callable[[str], str],
            title: str, footnote: str, xlabel: str, ylabel: str, empty_message: str) -> Figure:
    """Counts of a rows x columns table as shaded cells with their numbers."""
    fig, ax = _frame(title, footnote, _height(len(table), base=1.8, per_row=0.42))
    if table.empty or table.to_numpy().sum() == 0:
        _empty(ax, empty_message)
        return fig
    data = table.to_numpy(dtype=float)
    # pcolormesh, not imshow: cells stay vector shapes in SVG and PDF
    ax.pcolormesh(np.arange(data.shape[1] + 1) - 0.5, np.arange(data.shape[0] + 1) - 0.5, data,
                  cmap="Blues", vmin=0, vmax=max(data.max(), 1) * 1.15, edgecolors="white", linewidth=1.5)
    ax.set_xlim(-0.5, data.shape[1] - 0.5)
    ax.set_ylim(data.shape[0] - 0.5, -0.5)
    for (i, j), v in np.ndenumerate(data):
        ax.text(j, i, f"{int(v)}" if v else "·", ha="center", va="center", fontsize=8.5,
                color="white" if v > data.max() * 0.6 else "#222222")
    ax.set_xticks(range(data.shape[1]), ["\n".join(textwrap.wrap(col_labels(c), 12))
                                         for c in table.columns])
    ax.xaxis.set_ticks_position("top")
    ax.xaxis.set_label_position("top")
    ax.set_yticks(range(data.shape[0]), [row_labels(r) for r in table.index])
    ax.set_xlabel(xlabel, labelpad=6)
    ax.set_ylabel(ylabel, labelpad=6)
    ax.grid(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    ax.tick_params(length=0)
    return fig


def grouped_barh(table: pd.DataFrame, row_labels: Callable[[str], str], colours: dict[str, str],
                 title: str, footnote: str, xlabel: str, empty_message: str) -> Figure:
    """Side-by-side horizontal bars per row, one per column (e.g. mentions, claims)."""
    fig, ax = _frame(title, footnote, _height(len(table), per_row=0.45))
    if table.empty or table.to_numpy().sum() == 0:
        _empty(ax, empty_message)
        return fig
    y = np.arange(len(table))[::-1].astype(float)
    h = 0.8 / len(table.columns)
    for k, col in enumerate(table.columns):
        vals = table[col].to_numpy(dtype=float)
        pos = y + 0.4 - h * (k + 0.5)
        ax.barh(pos, vals, height=h * 0.92, color=colours[col], label=col)
        for p, v in zip(pos, vals):
            ax.annotate(f"{int(v)}", (v, p), xytext=(3, 0), textcoords="offset points",
                        va="center", fontsize=7.5, color="#333333")
    ax.set_yticks(y, [row_labels(r) for r in table.index])
    ax.set_xlim(0, table.to_numpy().max() * 1.12 + 0.5)
    _integer_ticks(ax.xaxis)
    ax.set_xlabel(xlabel)
    ax.tick_params(axis="y", length=0)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), borderaxespad=0.3)
    return fig


def timeline(by_party: pd.DataFrame, by_type: pd.DataFrame, escalation: pd.DataFrame,
             milestones: pd.DataFrame, party_label: Callable[[str], str],
             party_colour: Callable[[str], str], type_colours: dict[str, str],
             title: str, footnote: str, index_label: str) -> Figure:
    """Three panels on the events' own dates: mentions per day by party, by
    event type, and the escalation index; milestones as numbered lines."""
    if escalation.empty or by_party.empty or by_party.to_numpy().sum() == 0:
        fig, ax = _frame(title, footnote, 2.0)
        _empty(ax, "No dated events in the selected window")
        return fig
    fig, axes = plt.subplots(3, 1, figsize=(WIDTH, 6.2), sharex=True, layout="constrained",
                             gridspec_kw={"height_ratios": [1, 1, 1.1]})
    _decorate(fig, title, footnote)
    days = escalation.index
    for ax, table, colour, label, name in (
            (axes[0], by_party, party_colour, party_label, "Mentions per day\nby party"),
            (axes[1], by_type, lambda t: type_colours.get(t, NONE_COLOUR), lambda t: t.title(),
             "Mentions per day\nby event type")):
        bottom = np.zeros(len(days))
        for col in table.columns:
            vals = table[col].to_numpy(dtype=float)
            on = vals > 0
            if not on.any():
                continue
            ax.bar(days[on], vals[on], bottom=bottom[on], width=0.85, color=colour(col),
                   label=label(col), linewidth=0)
            bottom += vals
        ax.set_ylabel(name)
        _integer_ticks(ax.yaxis)
        ax.grid(axis="y")
        ax.grid(axis="x", visible=False)
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), borderaxespad=0.3)
    ax = axes[2]
    on = escalation["score"].to_numpy() != 0
    ax.bar(days[on], escalation["score"].to_numpy()[on], width=0.85, color="#BBBBBB",
           label="daily score", linewidth=0)
    ax.step(days, escalation["index"], where="mid", color="#222222", linewidth=1.4, label=index_label)
    ax.axhline(0, color="#666666", linewidth=0.6)
    ax.set_ylabel("Escalation\n(−Goldstein)")
    ax.grid(axis="y")
    ax.grid(axis="x", visible=False)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), borderaxespad=0.3)
    pad = pd.Timedelta(hours=18)
    ax.set_xlim(days[0] - pad, days[-1] + pad)
    _date_ticks(ax, days[0], days[-1])
    for k, (date, date_end) in enumerate(zip(milestones["date"], milestones["date_end"]), start=1):
        start = pd.Timestamp(date)
        end = pd.Timestamp(date_end) if date_end else None
        for a in axes:
            if end is not None:
                a.axvspan(start - pd.Timedelta(hours=12), end + pd.Timedelta(hours=12),
                          color="#F2E6C9", zorder=0, linewidth=0)
            else:
                a.axvline(start, color="#9A7B2F", linewidth=0.9, linestyle="--", zorder=0.5)
        axes[0].annotate(str(k), xy=(start, 1.0), xycoords=("data", "axes fraction"),
                         xytext=(0, 4), textcoords="offset points", ha="center", va="bottom",
                         fontsize=7.5, fontweight="bold", color="#6B5420",
                         bbox={"boxstyle": "circle,pad=0.18", "fc": "white", "ec": "#9A7B2F", "lw": 0.8})
    return fig


def date_ticks(first: pd.Timestamp, last: pd.Timestamp) -> list[tuple[pd.Timestamp, str]]:
    """Ticks of a date axis and their labels: the first day of each month
    (``Jan``), the first day shown when its month starts more than a week
    before the next (``6 Dec``), and the year under the first label and
    under each January; a window of six weeks or less is ticked weekly."""
    if (last - first).days <= 42:
        days = list(pd.date_range(first, last, freq="7D"))
        fmt = "%-d %b"
    else:
        days = list(pd.date_range(first.to_period("M").to_timestamp(), last, freq="MS"))
        days = [d for d in days if d >= first]
        if not days or (days[0] - first).days > 7:
            days.insert(0, first)
        fmt = "%b"
    ticks = []
    for k, day in enumerate(days):
        text = day.strftime("%b" if fmt == "%b" and day.day == 1 else "%-d %b")
        if k == 0 or ((day.month == 1 and (day.day <= 7 or fmt == "%b")) and days[k - 1].year != day.year):
            text += f"\n{day:%Y}"
        ticks.append((day, text))
    return ticks


def _date_ticks(ax: Axes, first: pd.Timestamp, last: pd.Timestamp) -> None:
    ticks = date_ticks(first, last)
    ax.set_xticks([mdates.date2num(t) for t, _ in ticks], [text for _, text in ticks])
    ax.xaxis.set_minor_locator(mdates.WeekdayLocator(byweekday=mdates.MO))


def _prefix_ids(svg: str, prefix: str) -> str:
    """Make the ids of an SVG unique in a page holding several charts."""
    ids = set(re.findall(r'\bid="([^"]+)"', svg))
    if not ids:
        return svg
    pattern = re.compile(r'(\bid="|url\(#|href="#)(' + "|".join(map(re.escape, sorted(ids, key=len, reverse=True))) + r')(?=["\)])')
    return pattern.sub(lambda m: f"{m.group(1)}{prefix}-{m.group(2)}", svg)


def save(fig: Figure, name: str, title: str, figures_dir: str | Path, dpi: int) -> Chart:
    """Write ``NAME.svg`` and ``NAME.png``; return the chart with inline SVG."""
    figures_dir = Path(figures_dir)
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata=SVG_METADATA)
    svg = buf.getvalue()
    png = io.BytesIO()
    fig.savefig(png, format="png", dpi=dpi, metadata={"Software": None})
    plt.close(fig)
    paths = {"svg": write_text_atomic(svg, figures_dir / f"{name}.svg"),
             "png": write_text_atomic(png.getvalue(), figures_dir / f"{name}.png")}
    inline = _prefix_ids(svg[svg.index("<svg"):], name)
    inline = inline.replace("<svg ", f'<svg role="img" aria-label="{_attr(title)}" ', 1)
    return Chart(name, title, inline, paths)


def _attr(text: str) -> str:
    return (text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
            .replace(">", "&gt;"))

