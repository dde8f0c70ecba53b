"""No invented events on odd input: no crash and no events."""
from __future__ import annotations

import pytest

from ultimatum.extract.events import extract_article

_WIRE = ("Russia demanded that NATO rescind its promise and the alliance rejected the demand "
         "while Washington offered talks and Moscow warned of severe consequences")


def _run(body: str) -> list[dict]:
    return extract_article({"article_id": "odd", "body": body, "published": "2022-01-12"})


@pytest.mark.parametrize("body", [
    # a 2,000-word sentence
    " ".join([_WIRE] * 80) + ".",
    # text with no sentence ends at all
    " ".join([_WIRE] * 12),
    # all capitals
    "RUSSIA DEMANDED THAT NATO RESCIND ITS PROMISE. NATO REJECTED THE DEMAND AND WARNED OF SEVERE CONSEQUENCES.",
    # non-English text
    "Россия потребовала от НАТО отказаться от расширения. НАТО отвергло требования Москвы.",
    "La Russie a exigé que l'OTAN renonce à son élargissement. Washington a rejeté la demande.",
    # a list of names
    "Putin, Lavrov, Ryabkov, Stoltenberg, Biden, Blinken, Sherman, Zelensky, Kuleba, Macron, Scholz.",
    "\n".join(["NATO", "Russia", "United States", "Ukraine", "European Union", "OSCE"]),
    # empty and whitespace
    "", "   \n\n  ",
])
def test_odd_input_gives_no_events(body):
    assert _run(body) == []


def test_ordinary_prose_still_gives_events():
    # the control: the same words as a normal sentence are events
    assert _run("Russia demanded that NATO rescind its promise.")


@pytest.mark.parametrize("body", [
    # an anaphoric demand with nothing before it to refer to
    "The demands would also preclude new bases in the region.",
    "They included a halt to all exercises near the border.",
    # a build-up named without anyone to own it
    "The build-up continued for weeks.",
])
def test_anaphora_without_antecedent_gives_no_events(body):
    assert _run(body) == []


def test_context_does_not_leak_between_articles():
    first = _run("Russia demanded written guarantees from NATO.")
    second = _run("The demands would also preclude new bases in the region.")
    assert first and second == []


def _pasted_image(n_chars: int = 1_200_000) -> str:
    """A base64 image pasted into a story: one line longer than spaCy takes."""
    import base64
    import random
    blob = base64.b64encode(random.Random(3).randbytes(n_chars * 3 // 4)).decode()
    return "data:image/png;base64," + blob


def test_a_line_longer_than_spacy_takes_does_not_stop_extraction():
    body = (f"{_WIRE}.\n\n{_pasted_image()}\n\n"
            "NATO rejected the Russian demand for guarantees, Stoltenberg said.")
    rows = _run(body)
    assert {r["event_type"] for r in rows} >= {"DEMAND", "REJECT"}  # the prose around it is read
    assert all(len(r["sentence"]) < 1000 for r in rows)
