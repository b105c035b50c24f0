"""The core never imports textual, rich or click (docs/architecture.md; the import-linter
contracts in pyproject.toml state the same and more).

httpx imports click and rich itself when they are installed (for its own `httpx` command,
httpx/_main.py), so the runtime check measures what the core adds beyond ``import httpx``,
and a source check proves no core module names them.
"""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import regtui.core

FORBIDDEN = {"textual", "rich", "click"}


def _loaded_after(statement: str) -> set[str]:
    # A None entry in sys.modules is an import blocked on purpose (regtui.core blocks httpx._main).
    code = f"import sys\n{statement}\nprint(sorted({{m.split('.')[0] for m, v in sys.modules.items() if v}}))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return set(ast.literal_eval(out.strip()))


def core_modules() -> list[str]:
    return [m.name for m in pkgutil.walk_packages(regtui.core.__path__, "regtui.core.")]


def test_no_core_source_imports_a_ui_or_cli_framework() -> None:
    for path in Path(regtui.core.__path__[0]).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            bad = {n.split(".")[0] for n in names} & (FORBIDDEN | {"regtui"}) - {"regtui"}
            assert not bad, f"{path} imports {bad}"
            assert not any(n.startswith(("regtui.ui", "regtui.cli")) for n in names), path


def test_importing_the_core_loads_nothing_beyond_what_httpx_loads() -> None:
    modules = core_modules()
    assert len(modules) > 8
    baseline = _loaded_after("import httpx")
    loaded = _loaded_after("\n".join(f"import {m}" for m in modules))
    assert (loaded - baseline) & FORBIDDEN == set()


def test_credentials_core_loads_no_framework_at_all() -> None:
    """The credential code (and so the helper) does not even load httpx."""
    modules = [m for m in core_modules() if ".credentials." in m or m.endswith(("docker_config", "fileio"))]
    assert _loaded_after("\n".join(f"import {m}" for m in modules)) & (FORBIDDEN | {"httpx"}) == set()


def test_the_stylesheet_ships_with_the_package() -> None:
    from importlib.resources import files

    assert files("regtui.ui").joinpath("regtui.tcss").is_file()


def test_help_and_version_import_no_subcommand() -> None:
    """`regtui --help` lists every command without importing one (httpx alone is ~85 ms)."""
    for flag in ("--help", "--version"):
        code = (
            "import sys\nfrom regtui.cli import main\ntry:\n"
            f"    main(['{flag}'])\nexcept SystemExit:\n    pass\n"
            "names = [m for m, v in sys.modules.items() if v]\n"
            "print('MODULES', sorted(m for m in names if m.startswith(('regtui', 'httpx', 'tomlkit'))))"
        )
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
        loaded = ast.literal_eval(out.split("MODULES", 1)[1].strip())
        assert not [m for m in loaded if m.startswith(("httpx", "tomlkit", "regtui.core.registry"))], (flag, loaded)
        assert "regtui.cli.check" not in loaded


def test_help_lists_each_command_with_its_own_short_help() -> None:
    """SHORT_HELP mirrors each command's docstring, so the fast listing never drifts."""
    import importlib

    from regtui.cli import COMMANDS, SHORT_HELP

    assert set(SHORT_HELP) == set(COMMANDS)
    for name, target in COMMANDS.items():
        module, _, attr = target.partition(":")
        command = getattr(importlib.import_module(module), attr)
        assert command.get_short_help_str(limit=1000) == SHORT_HELP[name], name


def test_httpx_loads_without_its_command_line_client() -> None:
    """regtui.core blocks httpx._main (click, rich, pygments), which regtui never runs."""
    loaded = _loaded_after("import regtui.core.registry.probe\nimport httpx\nassert httpx.AsyncClient")
    assert not loaded & {"rich", "pygments", "click"}, loaded
