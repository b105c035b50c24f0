"""Start the TUI from the CLI.

The first load of config.json (and the credential stores) starts in a thread before Textual
is imported, so it overlaps the ~100 ms of imports and the first frame already shows the
table (bench/tui_first_frame.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from regtui.ui.app import RegTUI


def build_app(*, config_dir: str | None = None, read_only: bool = False, demo: bool = False) -> RegTUI:
    from regtui.ui.gcpause import hold_until_mount

    hold_until_mount()  # no collection until the first mount: the start's objects all stay (ui/gcpause.py)
    from regtui.app import open_workstation, preload_registries  # the core only: no Textual yet

    # The lean HTTP/1.1 transport for checks and rate-limit readings: the TUI then never loads
    # httpcore, h11 or anyio, and "check all" leaves about half the cyclic garbage for the
    # collector to walk while keys arrive (bench/tui_keys_during_checks.py).
    workstation = open_workstation(config_dir, read_only=read_only, demo=demo, lean_http=True)
    preloaded = preload_registries(workstation)
    from regtui.ui.app import RegTUI

    return RegTUI(workstation, preloaded=preloaded)


def run_tui(*, config_dir: str | None, read_only: bool, demo: bool) -> None:
    build_app(config_dir=config_dir, read_only=read_only, demo=demo).run()
