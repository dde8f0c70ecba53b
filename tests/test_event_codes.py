"""The event types' PLOVER and CAMEO codes and Goldstein weights are those of
``lexicon/event_types.csv``, wherever they are shown."""
from __future__ import annotations

from pathlib import Path

from ultimatum.schema import EVENT_TYPES, event_type_table


def test_the_codebook_table_shows_the_lexicon_codes(root: Path) -> None:
    shown = {}
    for line in (root / "CODEBOOK.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells[0] in EVENT_TYPES and len(cells) == 7:
            shown[cells[0]] = (cells[4], cells[5], float(cells[6]))
    table = event_type_table()
    assert shown == {t: (r["plover"], r["cameo"], float(r["weight"])) for t, r in table.items()}


def test_codes_follow_cameo_and_plover() -> None:
    table = event_type_table()
    roots = {t: r["cameo"][:2] for t, r in table.items()}
    # CAMEO roots: 10 DEMAND, 12 REJECT, 03 intent to cooperate, 08 YIELD, 13 THREATEN, 11 DISAPPROVE, 15 force posture
    assert roots == {"DEMAND": "10", "REJECT": "12", "OFFER": "03", "ACCEPT": "08", "THREATEN": "13",
                     "ACCUSE": "11", "MOBILIZE": "15"}
    # PLOVER's conversion table (CAMEO2PLOVER-2021.txt) for those roots
    assert {t: r["plover"] for t, r in table.items()} == {
        "DEMAND": "REQUEST", "REJECT": "REJECT", "OFFER": "AGREE", "ACCEPT": "CONCEDE", "THREATEN": "THREATEN",
        "ACCUSE": "ACCUSE", "MOBILIZE": "MOBILIZE"}
