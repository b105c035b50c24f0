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
    from regtui.ui.services import demo_services, real_services  # the core only: no Textual yet

    services = demo_services(read_only) if demo else real_services(config_dir, read_only)
    services = services.with_preload()
    from regtui.ui.app import RegTUI

    return RegTUI(services)


def run_tui(*, config_dir: str | None, read_only: bool, demo: bool) -> None:
    build_app(config_dir=config_dir, read_only=read_only, demo=demo).run()
