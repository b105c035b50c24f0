"""The ``regtui`` console script. A bare ``regtui`` goes straight to the TUI, before click and the
CLI are imported (~40 ms of the first frame); anything else goes to the click group."""

from __future__ import annotations

import sys


def main() -> None:
    if len(sys.argv) == 1:
        from regtui.core.errors import RegtuiError
        from regtui.ui.launch import run_tui

        try:
            run_tui(config_dir=None, read_only=False, demo=False)
        except RegtuiError as exc:
            sys.stderr.write(f"regtui: {exc.render()}\n")
            sys.exit(exc.exit_code)
        return
    from regtui.cli import main as cli

    cli()
