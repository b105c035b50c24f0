"""mypy (strict for regtui.core, default checking elsewhere) and the import-linter layer contracts.

Both are configured in pyproject.toml; running them here means the README's test command
checks types and layering along with behaviour. docs/architecture.md explains the layers.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _run(*argv: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_mypy_finds_no_error() -> None:
    # The cache (pyproject's cache_dir, under .venv) keeps a warm run under a second.
    result = _run(sys.executable, "-m", "mypy", "--no-error-summary", "regtui")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_import_contracts_hold() -> None:
    result = _run(str(BIN / "lint-imports"), "--no-cache")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 kept, 0 broken" in result.stdout, result.stdout
