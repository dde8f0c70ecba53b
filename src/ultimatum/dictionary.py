"""The data dictionary: what each column of the four tables and of the export
files holds (name, type, meaning, example), kept once, in
``data_dictionary.csv``. The column *names* are those of
:mod:`ultimatum.schema` and of :mod:`ultimatum.export.records` (a test keeps
them equal);
``docs/DATA_DICTIONARY.md`` is written from this file
(``python -m ultimatum.dictionary docs/DATA_DICTIONARY.md``), and
:mod:`ultimatum.tables` reads the tables back with its types."""
from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ultimatum.lexicon import numbered_rows

DICTIONARY_PATH = Path(__file__).with_name("data_dictionary.csv")
#: The types a column may have, and how a table holds it in memory (pandas dtype; text otherwise).
TYPES = ("text", "code", "codes", "date", "integer", "number", "list", "object")
DTYPES = {"integer": "int64", "number": "float64"}
#: The files the dictionary describes, in its order, with what one row (or record) of each is.
FILES = {
    "articles.csv": "One row per article read from the raw folder (duplicates included).",
    "skipped.csv": "One row per entry of the raw folder that is not an article, and per manifest row "
                   "that cannot be used.",
    "events.csv": "One row per event mention: a sentence, an actor and an event type (codebook sections 1 and 8).",
    "claims.csv": "One row per distinct claim: the mentions of one act grouped (codebook section 7).",
    "events.plover.jsonl": "`ultimatum export`: one PLOVER-style JSON record per line, one per row of "
                           "events.csv. Lists are JSON arrays; missing values are null or empty lists.",
    "events.cameo.tsv": "`ultimatum export`: a CAMEO-coded, tab-separated table with the column names "
                        "of GDELT's event table; one row per event and recipient (one row with empty "
                        "Actor2 columns when there is none).",
}


class DictionaryError(ValueError):
    """``data_dictionary.csv`` itself is wrong; the message names the line."""


@dataclass(frozen=True)
class Column:
    """One column of one file."""
    file: str
    name: str
    type: str
    meaning: str
    example: str


@lru_cache(maxsize=1)
def columns() -> tuple[Column, ...]:
    """Every column described, in file and column order; lines starting with '#' are comments."""
    found = []
    for line, row in numbered_rows(DICTIONARY_PATH.name, DICTIONARY_PATH.parent):
        column = Column(row["file"], row["column"], row["type"], row["meaning"], row["example"])
        if column.file not in FILES:
            raise DictionaryError(f"{DICTIONARY_PATH}: line {line}: unknown file {column.file!r}")
        if column.type not in TYPES:
            raise DictionaryError(f"{DICTIONARY_PATH}: line {line}: unknown type {column.type!r} "
                                  f"(known: {', '.join(TYPES)})")
        found.append(column)
    return tuple(found)


def of_file(name: str) -> list[Column]:
    """The columns of ``name`` (``events.csv``, ``events.cameo.tsv``, ...), in order."""
    return [c for c in columns() if c.file == name]


def dtypes(name: str) -> dict[str, str]:
    """pandas dtypes of the columns of ``name`` that are not text."""
    return {c.name: DTYPES[c.type] for c in of_file(name) if c.type in DTYPES}


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def render() -> str:
    """``docs/DATA_DICTIONARY.md``: one table per file."""
    out = ["# Data dictionary", "",
           "Every column of the tables `ultimatum extract` writes and of the files `ultimatum export` "
           "writes. Generated from `src/ultimatum/data_dictionary.csv` by "
           "`python -m ultimatum.dictionary docs/DATA_DICTIONARY.md`; edit that file, not this one.", "",
           "Types: *text*; *code*, one code of the codebook; *codes*, codes joined by `;`; *date*, "
           "`YYYY-MM-DD`; *integer*; *number*; *list* and *object*, JSON. An empty cell is a missing "
           "value. Read the tables with `ultimatum.read_tables(folder)`, which gives each column its "
           "type, or `ultimatum.read_table(path)`.", ""]
    for name, what in FILES.items():
        out += [f"## `{name}`", "", what, "", "| column | type | meaning | example |", "|---|---|---|---|"]
        for c in of_file(name):
            example = f"`{_cell(c.example)}`" if c.example else ""
            out.append(f"| `{c.name}` | {c.type} | {_cell(c.meaning)} | {example} |")
        out.append("")
    return "\n".join(out)


def main(argv: list[str]) -> int:
    """Write the rendered dictionary to the path given, or print it."""
    text = render()
    if argv:
        Path(argv[0]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main(sys.argv[1:]))
