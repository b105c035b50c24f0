"""Deterministic apps for snapshot and Pilot tests: injected data, no clock, no files."""

from __future__ import annotations

from dataclasses import replace
from typing import TypeVar

from regtui.app.demo import DemoWorkstation
from regtui.core.errors import ConfigError
from regtui.ui.app import RegTUI

W = TypeVar("W")


def override(workstation: W, **changes: object) -> W:
    """``workstation`` with some use cases replaced (``login=fake``) and its session's
    ``read_only``, ``demo`` or ``source`` changed."""
    session = {k: changes.pop(k) for k in ("read_only", "demo", "source") if k in changes}
    if session:
        workstation.session = replace(workstation.session, **session)  # type: ignore[attr-defined]
    for name, fake in changes.items():
        assert callable(getattr(workstation, name)), f"{name} is not a use case of the workstation"
        setattr(workstation, name, fake)
    return workstation


def demo_app(**changes: object) -> RegTUI:
    """The demo data, drawn as the app draws real data (no DEMO marker: ``demo=True`` adds it)."""
    return RegTUI(override(DemoWorkstation(), **{"demo": False, **changes}))


def rows_app(load: object, source: str) -> RegTUI:
    """An app whose registries are ``load()``'s."""
    return demo_app(list_registries=load, source=source)


def empty_app() -> RegTUI:
    return rows_app(lambda: [], "/home/user/.docker/config.json (not found)")


def malformed_app() -> RegTUI:
    def load():
        raise ConfigError(
            "is not valid JSON: Expecting ',' delimiter",
            path="/home/user/.docker/config.json",
            line=7,
            column=3,
            fix="fix the file by hand (regtui never rewrites a file it cannot parse)",
        )

    return rows_app(load, "/home/user/.docker/config.json")
