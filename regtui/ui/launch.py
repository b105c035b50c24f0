"""Start the TUI from the CLI."""

from __future__ import annotations

from regtui.ui.app import RegTUI
from regtui.ui.services import demo_services, real_services


def run_tui(*, config_dir: str | None, read_only: bool, demo: bool) -> None:
    services = demo_services(read_only) if demo else real_services(config_dir, read_only)
    RegTUI(services).run()
