"""Full garbage collections run when no one types (ui/gcpause.py), never later than a bound.

The policy is driven by a clock and a count given by the test; the app test runs the real
collector and looks at what ``gc.callbacks`` saw. No timing is asserted."""

from __future__ import annotations

import gc
import subprocess
import sys
from collections.abc import Iterator

import pytest

from regtui.ui import gcpause
from regtui.ui.gcpause import AT_MOST, IDLE, PENDING_MAX, PENDING_MIN, SPACING, IdleCollector
from tests.ui.apps import demo_app


class Fake:
    """A clock the test moves, and generation 2's count as the test sets it."""

    def __init__(self) -> None:
        self.now = 100.0
        self.count = 0
        self.collected = 0

    def collect(self) -> None:
        self.collected += 1
        self.count = 0  # as gc.collect(2) leaves it


@pytest.fixture
def fake() -> Fake:
    return Fake()


@pytest.fixture
def schedule(fake: Fake) -> IdleCollector:
    return IdleCollector(clock=lambda: fake.now, count=lambda: fake.count, collect=fake.collect)


def test_nothing_to_collect_means_no_collection_however_long_the_pause(fake: Fake, schedule: IdleCollector) -> None:
    fake.count = PENDING_MIN
    for _ in range(10):
        fake.now += AT_MOST
        assert schedule.tick() is None
    assert fake.collected == 0


def test_a_pause_in_the_typing_runs_the_full_collection(fake: Fake, schedule: IdleCollector) -> None:
    fake.now += SPACING
    fake.count = PENDING_MIN + 1
    schedule.input_seen()
    fake.now += IDLE / 2
    assert schedule.tick() is None  # a key came just now: wait
    assert fake.collected == 0
    fake.now += IDLE
    assert schedule.tick() == "idle"
    assert fake.collected == 1
    assert schedule.collections == ["idle"]


def test_idle_collections_are_spaced(fake: Fake, schedule: IdleCollector) -> None:
    fake.now += SPACING
    fake.count = PENDING_MIN + 1
    fake.now += IDLE
    assert schedule.tick() == "idle"
    fake.count = PENDING_MIN + 1  # garbage piles up again at once
    fake.now += SPACING / 2
    assert schedule.tick() is None
    fake.now += SPACING / 2
    assert schedule.tick() == "idle"
    assert fake.collected == 2


def test_typing_without_a_pause_cannot_put_the_collection_off_past_the_bound(
    fake: Fake, schedule: IdleCollector
) -> None:
    fake.count = PENDING_MIN + 1
    whys = []
    for _ in range(int(AT_MOST / 0.05) + 2):  # a key every 50 ms, a look every 50 ms
        fake.now += 0.05
        schedule.input_seen()
        whys.append(schedule.tick())
    assert whys.count("forced") == 1
    assert set(whys) == {None, "forced"}
    assert fake.collected == 1


def test_a_large_count_is_collected_at_once_even_while_typing(fake: Fake, schedule: IdleCollector) -> None:
    fake.count = PENDING_MAX - 1
    schedule.input_seen()
    assert schedule.tick() is None
    fake.count = PENDING_MAX
    assert schedule.tick() == "forced"
    assert fake.collected == 1


@pytest.fixture
def full_collections() -> Iterator[list[int]]:
    """The generations of the collections gc.callbacks reports while the test runs."""
    seen: list[int] = []

    def note(phase: str, info: dict[str, int]) -> None:
        if phase == "stop":
            seen.append(info["generation"])

    gc.callbacks.append(note)
    yield seen
    gc.callbacks.remove(note)


async def test_the_app_holds_back_automatic_full_collections_and_runs_one_when_idle(
    full_collections: list[int],
) -> None:
    before = gc.get_threshold()
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        schedule = app.gc_schedule
        assert schedule is not None
        assert gc.get_threshold() == (before[0], before[1], gcpause.OUT_OF_REACH)
        schedule.last_input = -1.0
        await pilot.press("down")
        assert schedule.last_input > -1.0  # a key counts as typing
        for _ in range(PENDING_MIN + 1):
            gc.collect(1)  # each one adds 1 to generation 2's count, as an automatic one would
        assert gc.get_count()[2] > PENDING_MIN
        full_collections.clear()
        schedule.last_input = schedule.last_full = -1000.0  # nobody typed for a long while
        assert schedule.tick() == "idle"
        assert 2 in full_collections
        assert gc.get_count()[2] == 0
    assert gc.get_threshold() == before  # given back when the app ends
    assert app.gc_schedule is None


# A fresh process: the start holds the collector off, the first mount turns it on again.
START = """
import asyncio, gc
from regtui.ui.launch import build_app

async def main():
    app = build_app(demo=True)
    held = not gc.isenabled()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        print(held, gc.isenabled(), gc.get_freeze_count() > 0)

asyncio.run(main())
"""


def test_the_start_holds_the_collector_off_until_the_first_mount() -> None:
    done = subprocess.run([sys.executable, "-c", START], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True", "True"]


def test_a_held_collector_comes_back_on_release_and_only_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gcpause, "_frozen", False)  # as in a process whose app has not mounted yet
    monkeypatch.setattr(gcpause, "HOLD_AT_MOST", 3600.0)  # the safety timer stays out of the test
    monkeypatch.setattr(gcpause, "_hold", None)
    assert gc.isenabled()
    try:
        gcpause.hold_until_mount()
        assert not gc.isenabled()
        timer = gcpause._hold
        assert timer is not None
        gcpause.release_hold()
        assert gc.isenabled()
        assert timer.finished.is_set()  # the safety timer is cancelled
        gc.disable()  # someone else's choice later on: a second release leaves it alone
        gcpause.release_hold()
        assert not gc.isenabled()
    finally:
        gc.enable()
