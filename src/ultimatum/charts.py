"""Charts of the report (matplotlib), saved as SVG and PNG."""
from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402


def bar_party_types(counts: pd.DataFrame, figures_dir: str | Path, n_events: int) -> dict[str, Path]:
    """Stacked bars of event mentions per party; returns the SVG and PNG paths."""
    figures_dir = Path(figures_dir)
    figures_dir.mkdir(parents=True, exist_ok=True)
    fig, ax = plt.subplots(figsize=(7, 3.5))
    if not counts.empty:
        counts.plot.barh(stacked=True, ax=ax)
    ax.set_title("Event mentions per party")
    ax.set_xlabel(f"mentions (n = {n_events})")
    fig.tight_layout()
    paths = {}
    for ext in ("svg", "png"):
        paths[ext] = figures_dir / f"party_types.{ext}"
        fig.savefig(paths[ext], **({"metadata": {"Date": None}} if ext == "svg" else {"dpi": 150}))
    plt.close(fig)
    return paths
