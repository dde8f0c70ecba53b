"""The package's shape: stages as subpackages with small modules, no import
cycle, and a lexicon that refuses what the code cannot read."""
from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ultimatum.extract import cues
from ultimatum.extract.cues import LexiconError
from ultimatum.extract.registry import CHECKS, MARKERS, known_requirements

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "ultimatum"
MAX_LINES = 500


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def _imports(path: Path, name: str, modules: dict[str, Path]) -> set[str]:
    """Modules of the package that ``path`` imports when it is imported (not
    imports inside functions or under TYPE_CHECKING), with the packages those
    are in (their ``__init__`` runs first)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            for alias in node.names:
                full = f"{base}.{alias.name}"
                found.add(full if full in modules else base)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    # importing a module runs its packages' __init__ first: ultimatum.a.b imports ultimatum.a
    found |= {".".join(m.split(".")[:k]) for m in set(found) for k in range(2, m.count(".") + 1)}
    return {m for m in found if m in modules and m != name and not name.startswith(m + ".")}


def test_no_module_is_over_500_lines() -> None:
    long = {str(p.relative_to(PACKAGE)): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long


def test_the_stages_are_subpackages() -> None:
    for stage in ("ingest", "nlp", "extract", "learn", "claims", "runtime", "report", "evaluate", "export"):
        assert (PACKAGE / stage / "__init__.py").is_file(), stage
    assert not (PACKAGE / "io.py").exists()  # it shadowed the standard library's io


def test_no_import_cycle() -> None:
    modules = _modules()
    graph = {name: _imports(path, name, modules) for name, path in modules.items()}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycle = stack[stack.index(nxt):] + [nxt]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name)
    assert graph["ultimatum.extract.requirements"]  # the walk did read imports


_IMPORT_EACH = """
import importlib, sys
bad = []
for name in sys.argv[1:]:
    for loaded in [m for m in sys.modules if m.split(".")[0] == "ultimatum"]:
        del sys.modules[loaded]
    try:
        importlib.import_module(name)
    except Exception as exc:
        bad.append(f"{name}: {exc!r}")
print("\\n".join(bad))
"""


def test_every_module_imports_on_its_own() -> None:
    # a notebook may start with any module: none may depend on another having been imported first
    done = subprocess.run([sys.executable, "-c", _IMPORT_EACH, *sorted(_modules())],
                          check=False, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""


def test_every_requirement_in_the_lexicon_is_registered() -> None:
    used = {r for by_word in cues.cue_index() for group in by_word.values() for c in group for r in c.requires}
    assert used <= known_requirements()
    assert not set(CHECKS) & set(MARKERS)
    assert "speaker_or_party" in MARKERS  # listed in cues.csv, read by the actor step as the default


def test_an_unknown_requirement_is_refused_with_file_line_and_name(tmp_path: Path, monkeypatch) -> None:
    import ultimatum.lexicon as lexicon
    copy = tmp_path / "lexicon"
    shutil.copytree(lexicon.LEXICON_DIR, copy, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    with open(copy / "cues.csv", "a", encoding="utf-8") as fh:
        fh.write("glower,ACCUSE,,verb;speaker_or_partty,a typo in a requirement\n")
    line = len((copy / "cues.csv").read_text(encoding="utf-8").splitlines())
    monkeypatch.setattr(lexicon, "LEXICON_DIR", copy)
    cues.cue_index.cache_clear()
    try:
        with pytest.raises(LexiconError) as err:
            cues.cue_index()
    finally:
        monkeypatch.undo()
        cues.cue_index.cache_clear()
    message = str(err.value)
    assert str(copy / "cues.csv") in message and f"line {line}" in message
    assert "'speaker_or_partty'" in message and "glower" in message
