"""Domain knowledge kept as data: loaders for the files in ``lexicon/``."""
from __future__ import annotations

import csv
import hashlib
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

LEXICON_DIR = Path(str(resources.files("ultimatum") / "lexicon"))


def lexicon_path(name: str) -> Path:
    """Path of a lexicon data file shipped with the package."""
    return LEXICON_DIR / name


def numbered_rows(name: str, folder: Path | None = None) -> list[tuple[int, dict[str, str]]]:
    """Rows of a CSV lexicon file (or of the data file ``name`` in ``folder``)
    with the line number each starts on (for error messages); lines starting
    with '#' are comments."""
    with open(lexicon_path(name) if folder is None else folder / name, encoding="utf-8", newline="") as fh:
        numbered = [(n, line) for n, line in enumerate(fh, start=1) if not line.lstrip().startswith("#")]
    reader = csv.DictReader(line for _, line in numbered)
    rows = []
    for row in reader:  # line_num counts the lines read so far, so multi-line fields stay right
        rows.append((numbered[reader.line_num - 1][0], dict(row)))
    return rows


def read_rows(name: str, folder: Path | None = None) -> list[dict[str, str]]:
    """Rows of a CSV lexicon file (or of ``name`` in ``folder``); lines
    starting with '#' are comments."""
    return [row for _, row in numbered_rows(name, folder)]


@lru_cache(maxsize=1)
def boilerplate_rules() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(action, compiled pattern) pairs for cutting page boilerplate."""
    return tuple((row["action"], re.compile(row["pattern"], re.I))
                 for row in read_rows("boilerplate.csv"))


def lexicon_fingerprint() -> str:
    """Hash of every lexicon file: changes whenever domain knowledge changes."""
    digest = hashlib.sha256()
    for path in sorted(LEXICON_DIR.iterdir()):
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
