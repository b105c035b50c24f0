"""Waiting in Pilot tests for the app's workers and screens (shared by the tests/ui modules)."""

from __future__ import annotations

from typing import Any


async def settle(pilot: Any) -> None:
    """Every worker done but a write flow's, which waits on its modal on purpose."""
    for _ in range(100):
        await pilot.pause()
        if all(w.is_finished or w.group == "write" for w in pilot.app.workers):
            break
        await pilot.pause(0.02)
    await pilot.pause()


async def done(pilot: Any) -> None:
    """After the last answer: the write flow and the reload it starts are done."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def screen(pilot: Any, kind: type) -> Any:
    """The app's screen once it is a ``kind`` (a modal the flow opens); an AssertionError if it never is."""
    for _ in range(200):
        if isinstance(pilot.app.screen, kind):
            return pilot.app.screen
        await pilot.pause(0.02)
    raise AssertionError(f"no {kind.__name__}")
