"""Running the `ultimatum` command line in a subprocess, as a user would."""
from __future__ import annotations

import subprocess
import sys

CLI = [sys.executable, "-m", "ultimatum.cli"]


def run_cli(*args: str, env: dict | None = None, timeout: int = 600, cwd=None) -> subprocess.CompletedProcess:
    """Run ``ultimatum ARGS...`` (in folder ``cwd``) and capture its output as text."""
    return subprocess.run([*CLI, *args], check=False, capture_output=True, text=True, timeout=timeout, env=env, cwd=cwd)
