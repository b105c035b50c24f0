"""The core never imports textual, rich or click (DESIGN.md §1)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import regtui.core


def test_core_modules_import_no_ui_or_cli_framework() -> None:
    modules = [m.name for m in pkgutil.walk_packages(regtui.core.__path__, "regtui.core.")]
    code = (
        f"import sys\nfor m in {modules!r}: __import__(m)\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'rich', 'click'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
    assert len(modules) > 8


def test_the_stylesheet_ships_with_the_package() -> None:
    from importlib.resources import files

    assert files("regtui.ui").joinpath("regtui.tcss").is_file()
