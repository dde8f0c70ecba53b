"""The data dictionary describes every column of the tables and export files,
in their order, with an example of its type, and the published page is the
one generated from it: it cannot drift from the code."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from ultimatum import dictionary
from ultimatum.export.records import CAMEO_COLUMNS, PLOVER_FIELDS
from ultimatum.export.writer import FORMATS
from ultimatum.schema import CLAIM_DTYPES, TABLE_COLUMNS

FILES = {**{f"{name}.csv": columns for name, columns in TABLE_COLUMNS.items()},
         FORMATS["plover"]: PLOVER_FIELDS, FORMATS["cameo"]: CAMEO_COLUMNS}


def test_every_column_of_every_file_in_order() -> None:
    assert set(dictionary.FILES) == set(FILES)
    for name, columns in FILES.items():
        assert [c.name for c in dictionary.of_file(name)] == columns, name


def test_meanings_and_examples_fit_their_types() -> None:
    for c in dictionary.columns():
        assert c.meaning.strip() and c.meaning.rstrip().endswith("."), (c.file, c.name)
        if not c.example:
            continue
        if c.type == "integer":
            int(c.example)
        elif c.type == "number":
            float(c.example)
        elif c.type == "date":
            dt.date.fromisoformat(c.example)
        elif c.type in ("list", "object"):
            assert isinstance(json.loads(c.example), list if c.type == "list" else dict), c.name
        elif c.type in ("code", "codes"):
            assert " " not in c.example, c.name


def test_types_agree_with_the_schema() -> None:
    assert dictionary.dtypes("claims.csv") == CLAIM_DTYPES


def test_the_published_dictionary_is_generated_from_the_data(root: Path) -> None:
    page = root / "docs" / "DATA_DICTIONARY.md"
    assert page.read_text(encoding="utf-8") == dictionary.render(), \
        "regenerate it: python -m ultimatum.dictionary docs/DATA_DICTIONARY.md"


def test_an_unknown_type_is_refused_with_the_line(tmp_path: Path, monkeypatch) -> None:
    text = dictionary.DICTIONARY_PATH.read_text(encoding="utf-8").replace(
        "skipped.csv,file,text,", "skipped.csv,file,txet,")
    copy = tmp_path / "data_dictionary.csv"
    copy.write_text(text, encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), start=1) if "txet" in row)
    monkeypatch.setattr(dictionary, "DICTIONARY_PATH", copy)
    dictionary.columns.cache_clear()
    try:
        with pytest.raises(dictionary.DictionaryError, match=rf"data_dictionary.csv: line {line}: unknown type 'txet'"):
            dictionary.columns()
    finally:
        monkeypatch.undo()
        dictionary.columns.cache_clear()
