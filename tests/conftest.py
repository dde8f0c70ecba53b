"""Shared fixtures: project paths, the seed corpus, the gold sets, the command
line, and the corpora and tables several test modules build.

Test modules never import one another nor this file: what they share is
reached through the fixtures below (a fixture may return a helper function
or a namespace of names)."""
from __future__ import annotations

import csv
import os
import random
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from ultimatum.ingest.reader import MANIFEST_NAME
from ultimatum.pipeline import TABLE_FILES
from ultimatum.runtime.unchanged import RECORD_NAME

ROOT = Path(__file__).resolve().parents[1]
GOLD_SETS_CSV = ROOT / "tests" / "gold" / "sets.csv"

# Progress bars and similar interactive output stay quiet in tests.
os.environ.setdefault("ULTIMATUM_QUIET", "1")


def _stray_files(out: Path) -> list[str]:
    """Files under ``out`` that are neither one of the tables (nor the record
    of the run that wrote them), nor a cache entry, nor a lock: what a run
    left behind."""
    tables = {(out / name).resolve() for name in TABLE_FILES}
    record = (out / TABLE_FILES[0]).resolve().parent / RECORD_NAME
    return sorted(str(p.relative_to(out)) for p in out.rglob("*")
                  if p.is_file() and not p.is_symlink() and p.resolve() not in tables and p.resolve() != record
                  and ".cache" not in p.relative_to(out).parts[:1] and not p.name.endswith("lock"))


@pytest.fixture(scope="session")
def stray():
    """``stray(out)``: the files a run left behind in the output folder ``out``."""
    return _stray_files


def _forget_tables(out: Path) -> None:
    """Remove the record of the tables in ``out``, so that the next run
    extracts (through the cache) instead of keeping them as they are."""
    record = (out / TABLE_FILES[0]).resolve().parent / RECORD_NAME
    assert record.is_file(), f"{out}: no record of its tables"
    record.unlink()


@pytest.fixture(scope="session")
def forget_tables():
    """``forget_tables(out)``: the next run into ``out`` extracts through its cache."""
    return _forget_tables


@pytest.fixture()
def seed_copies(tmp_path: Path, raw_dir: Path):
    """``seed_copies(n)``: the first ``n`` seed articles (no manifest) copied
    into ``tmp_path/raw``, a folder of their own to change."""
    def copy(n: int) -> Path:
        folder = tmp_path / "raw"
        folder.mkdir()
        for path in sorted(raw_dir.glob("*.txt"))[:n]:
            shutil.copy(path, folder / path.name)
        return folder
    return copy


@pytest.fixture()
def three_seeds(seed_copies) -> Path:
    """Three seed articles (no manifest) in a folder of their own, to change."""
    return seed_copies(3)


@pytest.fixture(scope="session")
def root() -> Path:
    """The project's top folder."""
    return ROOT


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    """The seed articles with their manifest."""
    return ROOT / "data" / "raw"


# --- the command line ---------------------------------------------------------

CLI = [sys.executable, "-m", "ultimatum.cli"]


def _run_cli(*args: str, env: dict | None = None, timeout: int = 600, cwd=None) -> subprocess.CompletedProcess:
    """Run ``ultimatum ARGS...`` in a subprocess (in folder ``cwd``), as a user
    would, and capture its output as text."""
    return subprocess.run([*CLI, *args], check=False, capture_output=True, text=True, timeout=timeout, env=env,
                          cwd=cwd)


@pytest.fixture(scope="session")
def run_cli():
    """``run_cli(*args, env=None, timeout=600, cwd=None)``: the ``ultimatum`` command in a
    subprocess, its output captured as text."""
    return _run_cli


@pytest.fixture(scope="session")
def cli_command() -> list[str]:
    """The argument list that starts the ``ultimatum`` command (for ``Popen``)."""
    return list(CLI)


# --- gold sets ----------------------------------------------------------------

ARTICLE_SUFFIXES = {".txt", ".html", ".htm"}


@dataclass(frozen=True)
class GoldSet:
    """One row of ``tests/gold/sets.csv``, its paths resolved against the
    project's top folder (``listed`` keeps the articles folder as written)."""

    name: str
    articles: Path
    gold: Path
    role: str
    description: str
    listed: str

    def article_files(self) -> list[Path]:
        """The files of the articles folder that ingest reads as articles."""
        if not self.articles.is_dir():
            return []
        return sorted(p for p in self.articles.iterdir()
                      if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES)


def _gold_sets() -> list[GoldSet]:
    with open(GOLD_SETS_CSV, encoding="utf-8", newline="") as fh:
        return [GoldSet(row["name"], ROOT / row["articles"], ROOT / row["gold"], row.get("role", ""),
                        row.get("description", ""), row["articles"])
                for row in csv.DictReader(fh)]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test (or fixture) asking for ``listed_gold_set`` runs once per row of
    sets.csv, so that a set listed later is covered without touching the tests."""
    if "listed_gold_set" in metafunc.fixturenames:
        sets = _gold_sets()
        metafunc.parametrize("listed_gold_set", sets, ids=[s.name for s in sets], indirect=True,
                             scope="session")


@pytest.fixture(scope="session")
def listed_gold_set(request) -> GoldSet:
    """A gold set listed in sets.csv (see ``pytest_generate_tests``); skipped
    when its articles are not in this checkout (some sets keep their texts
    outside git)."""
    gold_set: GoldSet = request.param
    if not gold_set.articles.is_dir():
        pytest.skip(f"gold set {gold_set.name}: articles folder {gold_set.listed} is missing")
    if not gold_set.article_files():
        pytest.skip(f"gold set {gold_set.name}: articles folder {gold_set.listed} holds no articles")
    return gold_set


# --- copies of a seed article -------------------------------------------------

#: The seed article that the tests of duplicates copy and reprint.
SEED_003 = "003_3478608d93cf0d0b"


def _syndicated_copy(text: str) -> str:
    """The same story as another outlet runs it: own header, a few words changed."""
    lines = text.split("\n")
    body = "\n".join(lines[1:])
    for old, new in (("little progress", "scant progress"), ("deadlocked", "stuck"),
                     ("Alliance Secretary-General", "NATO chief"), ("afterwards", "later"),
                     ("fundamental right", "basic right"), ("figure out", "establish")):
        assert old in body, old
        body = body.replace(old, new, 1)
    return "NATO rebuffs Moscow's security demands\n\n" + body + "\nThis story first ran elsewhere.\n"


@pytest.fixture(scope="session")
def seed_003() -> str:
    """The article id of the seed article that copies are made of."""
    return SEED_003


@pytest.fixture(scope="session")
def seed_003_text(raw_dir: Path) -> str:
    """The text of that seed article."""
    return (raw_dir / f"{SEED_003}.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def syndicated_copy():
    """``syndicated_copy(text)``: seed 003 as another outlet runs it."""
    return _syndicated_copy


@pytest.fixture(scope="session")
def seeds_with_copies(raw_dir: Path):
    """``seeds_with_copies(folder)``: the seeds copied into ``folder`` with a
    syndicated copy of seed 003 published a day later (``syndicated.txt``) and
    an exact reprint of it (``reprint.txt``); returns the folder."""
    def make(folder: Path) -> Path:
        shutil.copytree(raw_dir, folder, dirs_exist_ok=True)
        text = (raw_dir / f"{SEED_003}.txt").read_text(encoding="utf-8")
        (folder / "syndicated.txt").write_text(_syndicated_copy(text), encoding="utf-8")
        (folder / "reprint.txt").write_text(text, encoding="utf-8")
        with open(folder / MANIFEST_NAME, "a", encoding="utf-8") as fh:
            fh.write("syndicated.txt,,Other Outlet,2022-01-13,reprinted a day later\n")
        return folder
    return make


# --- the bad-input corpus -----------------------------------------------------

_LATIN1_TEXT = """Russia presses NATO at Genève talks

GENEVA, Jan 10, 2022 (Reuters) - Russia demanded that NATO stop its expansion, Deputy Foreign \
Minister Sergueï Riabkov told reporters after talks at the Palais des Nations in Genève.

The United States rejected the demand as a non-starter, a diplomat said in Genève, while the \
Élysée urged both sides to keep talking. Critics called the proposals naïve.
"""
_UTF16_TEXT = """Poland warns of Russian troop build-up

WARSAW, Dec 14, 2021 (Reuters) - Poland accused Russia of massing troops near Ukraine, the foreign \
minister said in Kraków, and urged NATO allies in Zürich and Łódź to prepare sanctions.

Officials in Gdańsk said Russia wants guarantees that NATO will not expand.
"""
_NODATE_TEXT = """Allies weigh Russian proposals

NATO allies said they were studying the Russian proposals on security guarantees. The alliance \
rejected any idea of spheres of influence in Europe, and Ukraine urged its partners to stand firm.

Officials said talks could follow in the new year.
"""
_ACCENTED_TEXT = """NATO answers Moscow in writing

BRUSSELS, Jan 26, 2022 (Reuters) - NATO sent Russia its written answers, offering talks on \
missile deployments and exercises while rejecting any veto on Ukraine joining the alliance.
"""


def _html_page(body_paragraphs: list[str]) -> str:
    """A saved news page: scripts, styles, navigation, sidebar, footer."""
    paras = "\n".join(f"<p>{p}</p>" for p in body_paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>NATO rejects Russian demands | World News</title>
<meta property="og:url" content="https://news.example.org/world/2022/01/12/nato-rejects-demands">
<style>body {{ font-family: serif; }} .nav {{ color: red; }} STYLE_MARKER {{ }}</style>
<script>var tracker = "SCRIPT_MARKER"; function f() {{ return 1; }}</script>
</head><body>
<nav class="nav"><ul><li><a href="/">Home</a></li><li><a href="/world">World NAV_MARKER</a></li>
<li><a href="/sport">Sport</a></li></ul></nav>
<header><div class="menu">Menu Subscribe Login</div></header>
<main><article><h1>NATO rejects Russian demands for security guarantees</h1>
{paras}
</article></main>
<aside><h3>Most read</h3><ul><li><a href="/a">Celebrity news ASIDE_MARKER</a></li></ul></aside>
<footer>Copyright 2023 Example Media. FOOTER_MARKER</footer>
<script>document.write("SCRIPT2_MARKER");</script></body></html>
"""


class BadInput:
    """The bad-input corpus: copies of the seed articles next to every kind of
    file a user may drop into the raw folder; the names of those files."""

    SEED_003 = SEED_003
    LATIN1_NAME = "latin1 export.txt"
    UTF16_NAME = "utf16 export.txt"
    NODATE_NAME = "no date anywhere.txt"
    ACCENTED_NAME = "Déclaration de l’OTAN — réponse.txt"
    CYRILLIC_NAME = "Заявление МИД России.txt"
    HTML_NAME = "saved page.html"
    HUGE_NAME = "huge dump.txt"
    DUPLICATE_NAME = "copy of 003.txt"
    SYNDICATED_NAME = "syndicated 003.txt"
    MISSING_NAME = "never saved.txt"
    RANDOM_NAME = "random bytes.txt"
    IMPOSSIBLE_DATE = "2022-02-30"
    #: The size of the huge file: over the reader's limit for one article.
    HUGE_BYTES = 50 * 1024 * 1024

    def __init__(self, raw_dir: Path) -> None:
        self.raw_dir = raw_dir

    def build(self, folder: Path, huge: bool = True) -> Path:
        """Write the corpus into ``folder`` (created) and return it; ``huge``
        adds a file of :attr:`HUGE_BYTES`."""
        raw_dir = self.raw_dir
        folder.mkdir(parents=True, exist_ok=True)
        for path in sorted(raw_dir.glob("*.txt")):
            shutil.copy(path, folder / path.name)
        seed = (raw_dir / f"{SEED_003}.txt").read_text(encoding="utf-8")
        (folder / "empty.txt").write_bytes(b"")
        (folder / "whitespace only.txt").write_text("  \n\t\n   \r\n", encoding="utf-8")
        (folder / self.RANDOM_NAME).write_bytes(random.Random(7).randbytes(4096))
        (folder / self.LATIN1_NAME).write_bytes(_LATIN1_TEXT.encode("latin-1"))
        (folder / self.UTF16_NAME).write_bytes(_UTF16_TEXT.encode("utf-16"))  # with BOM
        if huge:
            chunk = ("Filler line of a database dump, not an article. " * 20 + "\n").encode()
            with open(folder / self.HUGE_NAME, "wb") as fh:
                for _ in range(self.HUGE_BYTES // len(chunk) + 1):
                    fh.write(chunk)
        paragraphs = [p for p in seed.split("\n\n")[1:] if p.strip() and p.strip() != "Leave a Comment"]
        (folder / self.HTML_NAME).write_text(_html_page(paragraphs[:12]), encoding="utf-8")
        (folder / self.DUPLICATE_NAME).write_text(seed, encoding="utf-8")
        (folder / self.SYNDICATED_NAME).write_text(_syndicated_copy(seed), encoding="utf-8")
        (folder / self.NODATE_NAME).write_text(_NODATE_TEXT, encoding="utf-8")
        (folder / self.ACCENTED_NAME).write_text(_ACCENTED_TEXT, encoding="utf-8")
        (folder / self.CYRILLIC_NAME).write_text(
            "Moscow insists on guarantees\n\nMOSCOW, Dec 21, 2021 (Reuters) - Russia insisted that "
            "NATO give legally binding guarantees, Lavrov said.\n", encoding="utf-8")
        (folder / "notes.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
        manifest = (raw_dir / MANIFEST_NAME).read_text(encoding="utf-8").rstrip("\n")
        manifest += (f"\n{self.LATIN1_NAME},,Reuters,{self.IMPOSSIBLE_DATE},no such day"
                     f"\n{self.MISSING_NAME},,,2022-01-05,a file the user forgot to save"
                     f"\n{self.SYNDICATED_NAME},,Other Outlet,2022-01-13,reprinted a day later\n")
        (folder / MANIFEST_NAME).write_text(manifest, encoding="utf-8")
        return folder


@pytest.fixture(scope="session")
def bad_input(raw_dir: Path) -> BadInput:
    """The bad-input corpus's builder (``bad_input.build(folder, huge=True)``)
    and the names of its files (``bad_input.LATIN1_NAME``, ...)."""
    return BadInput(raw_dir)


# --- hand-made processed tables -----------------------------------------------

_ARTICLES = [
    # article_id, title, outlet, published
    ("a1", "Russia sets out demands", "Wire One", "2021-12-17"),
    ("a2", "Talks end without progress", "Daily Two", "2022-01-12"),
    ("a3", "Answers leaked", "", "2022-02-02"),
]
# article, sentence, actor, actor_name, type, target, topics, event_date, date_source, claim
_EVENTS = [
    ("a1", 0, "RUS", "Russia", "DEMAND", "NATO", "NATO_ENLARGEMENT;LEGAL_GUARANTEES", "2021-12-17", "published", "C1"),
    ("a1", 1, "RUS", "Russia", "DEMAND", "NATO;USA", "FORCE_POSTURE", "2021-12-17", "published", "C2"),
    ("a1", 2, "RUS", "Russia", "THREATEN", "NATO", "", "2021-12-17", "published", "C3"),
    ("a1", 3, "UKR", "Ukraine", "ACCUSE", "RUS", "", "2021-12-16", "relative", "C4"),
    ("a1", 4, "RUS", "Russia", "DEMAND", "", "NATO_ENLARGEMENT", "2008-04-03", "explicit", "C5"),
    ("a2", 0, "RUS", "Russia", "DEMAND", "USA", "DIALOGUE", "2022-01-10", "explicit", "C6"),
    ("a2", 1, "NATO", "NATO", "REJECT", "RUS", "NATO_ENLARGEMENT", "2022-01-12", "published", "C7"),
    ("a2", 2, "NATO", "NATO", "REJECT", "RUS", "NATO_ENLARGEMENT", "2022-01-12", "published", "C7"),
    ("a2", 3, "USA", "United States", "REJECT", "RUS", "NATO_ENLARGEMENT", "2022-01-10", "relative", "C8"),
    ("a2", 4, "NATO", "NATO", "OFFER", "RUS", "DIALOGUE;ARMS_CONTROL", "2022-01-12", "published", "C9"),
    ("a2", 5, "RUS", "Russia", "MOBILIZE", "UKR", "", "2022-01-12", "published", "C10"),
    ("a2", 6, "RUS", "Russia", "DEMAND", "NATO", "NATO_ENLARGEMENT", "2022-01-12", "published", "C11"),
    ("a3", 0, "USA", "United States", "OFFER", "RUS", "MISSILES", "2022-01-26", "relative", "C12"),
    ("a3", 1, "UKR", "Ukraine", "ACCEPT", "USA", "MISSILES", "2022-02-02", "published", "C13"),
    ("a3", 2, "OTHER", "France", "OFFER", "", "DIALOGUE", "2022-02-02", "published", "C14"),
    ("a3", 3, "USA", "United States", "DEMAND", "RUS", "DE_ESCALATION", "2022-02-02", "published", "C15"),
    ("a3", 4, "EU", "European Union", "REJECT", "", "", "2022-02-02", "published", "C16"),
    ("a3", 5, "NATO", "NATO", "ACCUSE", "RUS", "", "2022-02-02", "published", "C17"),
]
_WEIGHTS = {"DEMAND": -5.0, "REJECT": -4.0, "OFFER": 4.0, "ACCEPT": 5.0, "THREATEN": -4.4,
            "ACCUSE": -2.0, "MOBILIZE": -7.2}
_ROLES = {"DEMAND": "demand", "REJECT": "response", "OFFER": "response", "ACCEPT": "response"}
_EVENT_TABLE_COLUMNS = ["article_id", "sentence_id", "sentence", "actor", "actor_name", "group_alias",
                        "event_type", "role", "target", "topics", "event_date", "event_date_source",
                        "published", "weight", "rule", "claim_id"]


class HandMade:
    """A small hand-made set of processed tables for the report: several
    parties and targets, multi-valued targets and topics, an OTHER party,
    repeated claims, an event dated outside the window."""

    #: (article_id, title, outlet, published)
    ARTICLES = _ARTICLES
    #: (article, sentence, actor, actor_name, type, target, topics, event_date, date_source, claim)
    EVENTS = _EVENTS

    @staticmethod
    def write(folder: Path, events: list[tuple] | None = None) -> Path:
        """articles.csv, events.csv (:attr:`EVENTS` unless ``events`` is given)
        and skipped.csv in ``folder`` (created); returns the folder."""
        events = _EVENTS if events is None else events
        folder.mkdir(parents=True, exist_ok=True)
        pd.DataFrame([{"article_id": a, "title": t, "outlet": o, "url": "", "published": p,
                       "date_source": "manifest", "body": f"{t}.", "n_sentences": 10, "n_words": 200}
                      for a, t, o, p in _ARTICLES]).to_csv(folder / "articles.csv", index=False)
        published = {a: p for a, _, _, p in _ARTICLES}
        rows = [{"article_id": a, "sentence_id": s, "sentence": f"Sentence {s} of {a}: {actor} {et.lower()}s.",
                 "actor": actor, "actor_name": name, "group_alias": "", "event_type": et,
                 "role": _ROLES.get(et, "signal"), "target": tgt, "topics": top, "event_date": date,
                 "event_date_source": src, "published": published[a], "weight": _WEIGHTS[et],
                 "rule": f"test:{et.lower()}", "claim_id": claim}
                for a, s, actor, name, et, tgt, top, date, src, claim in events]
        pd.DataFrame(rows, columns=_EVENT_TABLE_COLUMNS).to_csv(folder / "events.csv", index=False)
        pd.DataFrame([{"file": "broken.html", "reason": "no text after boilerplate removal"}]).to_csv(
            folder / "skipped.csv", index=False)
        return folder


@pytest.fixture(scope="session")
def hand_made() -> type[HandMade]:
    """The hand-made processed tables: ``hand_made.write(folder, events=None)``,
    ``hand_made.ARTICLES``, ``hand_made.EVENTS``."""
    return HandMade


@pytest.fixture
def rules_only(monkeypatch):
    """Extraction by the rules alone, without the shipped event classifier: the
    tests of the rules' own decisions (cues, vetoes, actors, targets) use it."""
    import ultimatum.extract.events as events
    monkeypatch.setattr(events, "shipped_model", lambda: None)


def _mixed_corpus(raw_dir: Path, folder: Path, n: int) -> Path:
    """The seeds plus ``n`` distinct articles mixed from their paragraphs."""
    shutil.copytree(raw_dir, folder)
    paragraphs = [p.strip() for path in sorted(raw_dir.glob("*.txt"))
                  for p in path.read_text(encoding="utf-8").split("\n\n")[1:]
                  if len(p.split()) > 25]
    for k in range(n):
        body = "\n\n".join(random.Random(k).sample(paragraphs, 10))
        (folder / f"mixed_{k:03d}.txt").write_text(
            f"Mixed report {k}\n\nBRUSSELS, Jan {1 + k % 28}, 2022 (Reuters) - Report {k}.\n\n{body}\n",
            encoding="utf-8")
    return folder


@pytest.fixture
def mixed_corpus(raw_dir: Path):
    """``mixed_corpus(folder, n)``: the seeds plus ``n`` distinct articles mixed
    from their paragraphs, big enough to stop a run in the middle."""
    return lambda folder, n: _mixed_corpus(raw_dir, folder, n)
