"""``ultimatum export``: the events as PLOVER-style JSON lines and a CAMEO-coded
TSV, read back and checked against the codebook's codes; bad input stops it
with one line naming the file."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import ultimatum
from ultimatum.export import ExportError, export_events
from ultimatum.export.codes import entity, event_codes, party_names, topic_codes
from ultimatum.export.records import CAMEO_COLUMNS, PLOVER_FIELDS
from ultimatum.lexicon import read_rows
from ultimatum.runtime.atomic import write_csv_atomic
from ultimatum.schema import ARTICLE_COLUMNS, EVENT_COLUMNS, PARTY_CODES, event_type_table
from ultimatum.tables import TableError

URL = "https://www.example.org/2021/12/17/russia-demands"
# (article, sentence, actor, actor_name, event_type, target, topics, event_date)
EVENTS = [
    ("a1", 0, "RUS", "Russia", "DEMAND", "NATO;USA", "NATO_ENLARGEMENT;DIALOGUE", "2021-12-17"),
    ("a1", 0, "OTHER", "France", "DEMAND", "RUS", "DE_ESCALATION", "2021-12-17"),
    ("a1", 3, "NATO", "NATO", "REJECT", "RUS", "NATO_ENLARGEMENT", "2021-12-16"),
    ("a1", 4, "USA", "United States", "THREATEN", "RUS", "", "2021-12-17"),
    ("a1", 5, "RUS", "Russia", "ACCUSE", "UKR", "", "2021-12-17"),
    ("a1", 6, "USA", "United States", "OFFER", "RUS", "DIALOGUE", "2021-12-17"),
    ("=b2", 1, "RUS", "Russia", "ACCEPT", "", "", ""),
    ("=b2", 2, "RUS", "Russia", "MOBILIZE", "UKR", "", "2022-01-10"),
]


def _events(rows: list[tuple] = EVENTS) -> pd.DataFrame:
    if not rows:
        return pd.DataFrame(columns=EVENT_COLUMNS)
    table = pd.DataFrame([{
        "article_id": a, "sentence_id": s, "sentence": f"=Sentence {s} of {a}.", "actor": actor,
        "actor_name": name, "group_alias": "", "event_type": etype, "role": event_type_table()[etype]["role"],
        "target": target, "topics": topics, "event_date": date, "event_date_source": "published" if date else "",
        "published": date, "weight": float(event_type_table()[etype]["weight"]), "rule": "test",
        "claim_id": f"C{k:010d}"} for k, (a, s, actor, name, etype, target, topics, date) in enumerate(rows)])
    return table[EVENT_COLUMNS]


def _articles() -> pd.DataFrame:
    rows = [{"article_id": "a1", "title": "Russia demands", "outlet": "Example News", "url": URL},
            {"article_id": "=b2", "title": "Troops", "outlet": "", "url": ""}]
    return pd.DataFrame(rows).reindex(columns=ARTICLE_COLUMNS, fill_value="").assign(n_sentences=3, n_words=40)


@pytest.fixture
def processed(tmp_path: Path) -> Path:
    folder = tmp_path / "processed"
    write_csv_atomic(_events(), folder / "events.csv")
    write_csv_atomic(_articles(), folder / "articles.csv")
    return folder


def _plover(path: Path) -> dict[str, dict]:
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[-1] == ""
    return {r["id"]: r for r in map(json.loads, lines[:-1])}


def _cameo(path: Path) -> pd.DataFrame:
    return ultimatum.read_table(path, sep="\t", dtype=str, keep_default_na=False)


def test_plover_records_read_back_with_the_codebook_codes(processed: Path, tmp_path: Path) -> None:
    done = export_events(processed, tmp_path / "out", ["plover"])
    assert list(done.paths) == ["plover"] and done.n_events == len(EVENTS)
    records = _plover(done.paths["plover"])
    assert list(records) == ["a1-0-1", "a1-0-2", "a1-3-1", "a1-4-1", "a1-5-1", "a1-6-1", "=b2-1-1", "=b2-2-1"]
    demand = records["a1-0-1"]
    assert list(demand) == PLOVER_FIELDS
    assert demand["event"] == ["REQUEST"] and demand["cameo_code"][:2] == "10" and demand["quad_code"] == 3
    assert demand["actor"] == [{"code": "RUS", "identifier_text": "Russia", "party": "RUS"}]
    assert demand["recipient"] == [{"code": "IGO", "identifier_text": "NATO", "party": "NATO"},
                                   {"code": "USA", "identifier_text": "United States", "party": "USA"}]
    assert demand["mode"] == ["change", "meet"] and demand["context"] == ["military", "diplomatic"]
    assert demand["date"] == "2021-12-17" and demand["text"] == "=Sentence 0 of a1."
    assert demand["cite_info"]["url"] == URL and demand["cite_info"]["publication"] == "Example News"
    assert records["a1-0-2"]["actor"][0]["code"] == "FRA" and records["a1-0-2"]["mode"] == ["yield"]
    assert (records["a1-3-1"]["event"], records["a1-3-1"]["cameo_code"][:2]) == (["REJECT"], "12")
    assert (records["a1-4-1"]["event"], records["a1-4-1"]["cameo_code"][:2]) == (["THREATEN"], "13")
    accuse = records["a1-5-1"]
    assert (accuse["event"], accuse["cameo_code"][:2], accuse["mode"]) == (["ACCUSE"], "11", ["disapprove"])
    offer = records["a1-6-1"]
    assert (offer["event"], offer["cameo_code"], offer["context"], offer["quad_code"]) == (
        ["AGREE"], "03", ["diplomatic"], 1)
    accept = records["=b2-1-1"]
    assert accept["event"] == ["CONCEDE"] and accept["recipient"] == [] and accept["date"] is None
    assert accept["cite_info"]["url"] is None and accept["mode"] == []
    mobilize = records["=b2-2-1"]
    assert (mobilize["event"], mobilize["quad_code"], mobilize["context"]) == (["MOBILIZE"], 4, ["military"])
    assert {r["goldstein"] for r in records.values()} <= {float(r["weight"]) for r in event_type_table().values()}
    assert len(pd.read_json(done.paths["plover"], lines=True)) == len(EVENTS)


def test_cameo_rows_one_per_recipient_read_back(processed: Path, tmp_path: Path) -> None:
    done = export_events(processed, tmp_path / "out", ["cameo"])
    table = _cameo(done.paths["cameo"])
    assert list(table.columns) == CAMEO_COLUMNS
    assert len(table) == done.n_cameo_rows == len(EVENTS) + 1  # the DEMAND of NATO and the US: two rows
    demand = table[table["EventID"] == "a1-0-1"]
    assert list(demand["Actor2Code"]) == ["IGOWSTNAT", "USA"] and list(demand["Actor2Party"]) == ["NATO", "USA"]
    assert set(demand["EventRootCode"]) == {"10"} and set(demand["QuadClass"]) == {"3"}
    assert set(demand["SQLDATE"]) == {"20211217"} and set(demand["SOURCEURL"]) == {URL}
    roots = dict(zip(table["EventType"], table["EventRootCode"]))
    assert roots == {"DEMAND": "10", "REJECT": "12", "THREATEN": "13", "ACCUSE": "11", "OFFER": "03",
                     "ACCEPT": "08", "MOBILIZE": "15"}
    threaten = table[table["EventType"] == "THREATEN"].iloc[0]
    assert (threaten["EventCode"], threaten["EventBaseCode"], threaten["GoldsteinScale"]) == ("130", "130", "-4.4")
    quads = dict(zip(table["EventType"], table["QuadClass"]))
    assert (quads["OFFER"], quads["ACCEPT"], quads["MOBILIZE"]) == ("1", "2", "4")
    france = table[table["Actor1Name"] == "France"].iloc[0]
    assert (france["Actor1Code"], france["Actor1Party"], france["Actor2Code"]) == ("FRA", "OTHER", "RUS")
    accept = table[table["EventType"] == "ACCEPT"].iloc[0]
    assert (accept["Actor2Code"], accept["Actor2Party"], accept["SQLDATE"], accept["ArticleID"]) == ("", "", "", "=b2")
    raw = done.paths["cameo"].read_text(encoding="utf-8")
    assert "\t'=b2\t" in raw  # a spreadsheet does not run it; read_table gives the id back


def test_both_formats_by_default_and_an_empty_events_table(processed: Path, tmp_path: Path) -> None:
    write_csv_atomic(_events([]), processed / "events.csv")
    done = export_events(processed, tmp_path / "out")
    assert set(done.paths) == {"plover", "cameo"} and done.n_events == done.n_cameo_rows == 0
    assert done.paths["plover"].read_text(encoding="utf-8") == ""
    assert list(_cameo(done.paths["cameo"]).columns)[:3] == ["EventID", "SQLDATE", "Actor1Code"]


def _damage(processed: Path, how: str) -> Path:
    events = processed / "events.csv"
    if how == "missing":
        events.unlink()
    elif how == "empty":
        events.write_bytes(b"")
    elif how == "binary":
        events.write_bytes(b"\x00\xff\xfe" * 30)
    elif how == "columns":
        _events().drop(columns=["event_type", "target"]).to_csv(events, index=False)
    elif how == "type":
        _events().replace({"event_type": {"ACCUSE": "BLAME"}}).to_csv(events, index=False)
    elif how == "target":
        _events().replace({"target": {"UKR": "UKR;KYIV"}}).to_csv(events, index=False)
    elif how == "topic":
        _events().replace({"topics": {"DIALOGUE": "TALKS"}}).to_csv(events, index=False)
    elif how == "sentence_id":
        _events().astype({"sentence_id": str}).replace({"sentence_id": {"3": "three"}}).to_csv(events, index=False)
    return events


@pytest.mark.parametrize(("how", "problem"), [
    ("missing", "no such file"), ("empty", "empty file (no header row)"),
    ("binary", "not a CSV text file"), ("columns", "missing columns event_type, target"),
    ("type", "row 5: event_type: unknown event type 'BLAME'"), ("target", "row 5: target: unknown party 'KYIV'"),
    ("topic", "row 6: topics: unknown topic 'TALKS'"), ("sentence_id", "column sentence_id: 'three' is not a whole number"),
])
def test_bad_tables_stop_it_with_one_line_naming_the_file(processed: Path, tmp_path: Path, how: str,
                                                           problem: str) -> None:
    out = tmp_path / "out"
    export_events(processed, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    events = _damage(processed, how)
    with pytest.raises(TableError) as err:
        export_events(processed, out)
    message = str(err.value)
    assert message.startswith(f"{events}: ") and problem in message and "\n" not in message
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # the previous export stays whole


def test_a_missing_folder_an_unusable_out_or_format(processed: Path, tmp_path: Path) -> None:
    with pytest.raises(TableError, match=r"nowhere: no such folder"):
        export_events(tmp_path / "nowhere", tmp_path / "out")
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(ExportError, match=r"file: not a folder$"):
        export_events(processed, tmp_path / "file")
    with pytest.raises(ExportError, match=r"cannot create the folder"):
        export_events(processed, tmp_path / "file" / "out")
    with pytest.raises(ExportError, match=r"unknown export format 'gdelt'"):
        export_events(processed, tmp_path / "out", ["gdelt"])
    (processed / "articles.csv").unlink()
    with pytest.raises(TableError, match=r"articles.csv: no such file"):
        export_events(processed, tmp_path / "out")


def test_every_party_topic_and_event_type_has_its_codes() -> None:
    others = {row["name"] for row in read_rows("parties.csv") if row["code"] == "OTHER"}
    assert all(entity("OTHER", name).cameo and entity("OTHER", name).plover for name in others)
    assert entity("OTHER", "Atlantis").cameo == ""  # a name the table does not list gets no code
    for party in set(PARTY_CODES) - {"OTHER"}:
        e = entity(party)
        assert e.cameo and e.plover and e.name == party_names()[party]
    assert set(topic_codes()) == {row["topic"] for row in read_rows("topics.csv")}
    assert all(context for context, _ in topic_codes().values())
    codes = event_codes()
    assert set(codes) == set(event_type_table())
    assert {c.quad_class for c in codes.values()} <= {1, 2, 3, 4}
    assert all(c.plover_quad in (1, 2, 3, 4) for c in codes.values())


@pytest.mark.slow
def test_the_command_writes_both_files_or_one_line(processed: Path, tmp_path: Path, run_cli) -> None:
    done = run_cli("export", "--processed", str(processed), "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"exported {len(EVENTS)} events ({len(EVENTS) + 1} CAMEO rows")
    assert {p.name for p in (tmp_path / "out").iterdir()} == {"events.plover.jsonl", "events.cameo.tsv"}
    _damage(processed, "type")
    failed = run_cli("export", "--processed", str(processed), "--out", str(tmp_path / "out"), "--format", "cameo")
    assert failed.returncode == 2 and failed.stdout == ""
    assert failed.stderr.count("\n") == 1 and "events.csv: row 5: event_type: unknown event type" in failed.stderr
