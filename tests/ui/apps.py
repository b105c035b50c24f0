"""Deterministic apps for snapshot and Pilot tests: injected data, no clock, no files."""

from __future__ import annotations

from dataclasses import replace

from regtui.core.errors import ConfigError
from regtui.ui.app import RegTUI
from regtui.ui.services import Services, demo_services


def demo_app(**changes: object) -> RegTUI:
    """The demo data, drawn as the app draws real data (no DEMO marker: ``demo=True`` adds it)."""
    return RegTUI(replace(demo_services(), **{"demo": False, **changes}))


def empty_app() -> RegTUI:
    return RegTUI(Services(lambda: [], source="/home/user/.docker/config.json (not found)"))


def malformed_app() -> RegTUI:
    def load():
        raise ConfigError(
            "is not valid JSON: Expecting ',' delimiter",
            path="/home/user/.docker/config.json",
            line=7,
            column=3,
            fix="fix the file by hand (regtui never rewrites a file it cannot parse)",
        )

    return RegTUI(Services(load, source="/home/user/.docker/config.json"))
