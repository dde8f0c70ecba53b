"""Progress bars for long work: shown on an interactive terminal, silent in CI,
in tests, in notebooks and whenever output is not a terminal."""
from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tqdm import tqdm

#: Set any of these (to a non-empty value) to silence progress bars.
QUIET_VARIABLES = ("ULTIMATUM_QUIET", "CI", "PYTEST_CURRENT_TEST")


def progress_enabled(requested: bool | None = None) -> bool:
    """Whether to draw a bar: ``requested`` wins when given, otherwise only on
    a terminal outside CI, tests and Jupyter kernels (papermill)."""
    if requested is not None:
        return requested
    if any(os.environ.get(name) for name in QUIET_VARIABLES):
        return False
    if "ipykernel" in sys.modules or "papermill" in sys.modules:
        return False
    stream = sys.stderr
    return bool(stream is not None and hasattr(stream, "isatty") and stream.isatty())


def progress_bar(total: int | None, desc: str, unit: str = "article",
                 enabled: bool | None = None) -> tqdm:
    """A tqdm bar on stderr (a silent one when disabled); use as a context manager."""
    from tqdm import tqdm
    return tqdm(total=total, desc=desc, unit=unit, disable=not progress_enabled(enabled),
                file=sys.stderr, dynamic_ncols=True, smoothing=0.1)
