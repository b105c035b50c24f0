"""What a person sees, tab by tab and state by state (pytest-textual-snapshot)."""

from __future__ import annotations

from textual.pilot import Pilot

from tests.ui.apps import demo_app, empty_app, malformed_app

SIZE = (100, 30)


async def settle(pilot: Pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_registries_tab(snap_compare) -> None:
    """Four registries; docker.io highlighted, its detail says where the secret lives and that all is well."""
    assert snap_compare(demo_app(), run_before=settle, terminal_size=SIZE)


def test_registry_with_a_failing_helper(snap_compare) -> None:
    """The third row highlighted: the detail shows the helper's own D-Bus error in red."""

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("down", "down")

    assert snap_compare(demo_app(), run_before=run_before, terminal_size=SIZE)


def test_no_registries(snap_compare) -> None:
    """An empty table and a hint to log in."""
    assert snap_compare(empty_app(), run_before=settle, terminal_size=SIZE)


def test_malformed_config(snap_compare) -> None:
    """A red box naming the file, line and column, and the fix; no table."""
    assert snap_compare(malformed_app(), run_before=settle, terminal_size=SIZE)
