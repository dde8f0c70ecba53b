"""Shared fixtures: project paths and the seed corpus."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Progress bars and similar interactive output stay quiet in tests.
os.environ.setdefault("ULTIMATUM_QUIET", "1")


@pytest.fixture(scope="session")
def root() -> Path:
    """The project's top folder."""
    return ROOT


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    """The seed articles with their manifest."""
    return ROOT / "data" / "raw"
