"""Deterministic apps for snapshot tests: injected data, no clock, no files."""

from __future__ import annotations

from regtui.core.errors import ConfigError
from regtui.ui.app import RegTUI
from regtui.ui.services import Services, demo_registries


def demo_app() -> RegTUI:
    return RegTUI(Services(demo_registries, source="demo data"))


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
