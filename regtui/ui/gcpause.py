"""Full garbage collections out of the way of keys.

A full (generation 2) collection walks every tracked object the process holds and stops every
thread while it runs. ``gc.freeze()`` at the first mount moves what exists then (modules,
classes, the widget tree: objects that live as long as the app) out of its walk, which took a
full pass from 100-135 ms to 20-45 ms while checks ran. That pass still landed among the keys
(bench/tui_keys_during_checks.py, timed with ``gc.callbacks``): 18-93 ms in one key.

So, while the app runs, CPython never starts a full collection by itself, and regtui runs one
when nobody is typing. In CPython (Modules/gcmodule.c, ``collect_generations``), a collection
starts when an allocation makes generation 0's count exceed its threshold; it collects the
oldest generation whose count exceeds its threshold, where generation 2's count is the number
of generation-1 collections since the last full one (and a full one also waits until the objects
promoted since then reach a quarter of the long-lived ones). Raising generation 2's threshold
out of reach leaves the young collections (well under a few ms) as they are and stops the
automatic full ones. :class:`IdleCollector` then runs ``gc.collect(2)`` itself:

- when generation 2's count has passed CPython's own threshold (10: there is something to
  collect), no key, click or mouse move came for ``IDLE`` seconds, and the last full collection
  was at least ``SPACING`` seconds ago;
- and in any case, typing or not, once generation 2's count reaches ``PENDING_MAX`` (ten times
  CPython's threshold: what a full collection may free cannot grow without bound) or the
  collection has waited ``AT_MOST`` seconds with something to collect.

The thresholds are given back when the app ends.

Before that, from ``build_app`` to the first mount, the collector is off (``hold_until_mount``):
the start makes about 70,000 objects the collector tracks, nearly all living as long as the app (modules,
classes, the widget tree, 200 rows); CPython's ~150 young collections over them (23-49 ms by
``gc.callbacks``) freed about 1,900 objects; holding them off saves 7-15 ms of CPU before the
first frame (bench/tui_first_frame.py). What the start left for the collector is frozen with
the rest at the first mount (a few thousand objects, once). Should the app never mount, the
collector comes back on its own after ``HOLD_AT_MOST`` seconds.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual import events
    from textual.app import App

    _AppBase = App[None]  # the mixin is only ever mixed into RegTUI, an App[None]
else:
    _AppBase = object

IDLE = 0.4  # s without input: the user is reading, not typing
SPACING = 1.0  # s at least between two full collections made while idle
AT_MOST = 10.0  # s a full collection may wait for a pause, once there is something to collect
PENDING_MIN = 10  # generation 2's count must exceed this (CPython's default threshold)
PENDING_MAX = 100  # ... and once it reaches this, collect whatever the user is doing
TICK = 0.2  # s between looks
OUT_OF_REACH = 1 << 30  # generation 2's threshold while the app runs
HOLD_AT_MOST = 10.0  # s the collector stays off for a start that never mounts

_frozen = False
_hold: threading.Timer | None = None


def hold_until_mount() -> None:
    """Turn the collector off for the start (if it is on): the first mount turns it on again."""
    global _hold
    if gc.isenabled() and not _frozen and _hold is None:
        gc.disable()
        _hold = threading.Timer(HOLD_AT_MOST, release_hold)
        _hold.daemon = True
        _hold.start()


def release_hold() -> None:
    global _hold
    hold, _hold = _hold, None
    if hold is not None:
        hold.cancel()
        gc.enable()


def freeze_startup_objects() -> None:
    """Move what exists now out of every later collection's walk (once per process), then let
    the collector run again if the start held it off."""
    global _frozen
    if not _frozen:
        _frozen = True
        gc.freeze()
    release_hold()


class IdleCollector:
    """When to run the full collections (see the module's docstring); the clock and the
    collector's count and collect are the process's own unless a test gives others."""

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        count: Callable[[], int] = lambda: gc.get_count()[2],
        collect: Callable[[], object] = lambda: gc.collect(2),
    ) -> None:
        self._clock, self._count, self._collect = clock, count, collect
        now = clock()
        self.last_input = now
        self.last_full = now
        self.pending_since: float | None = None
        """When generation 2's count first passed PENDING_MIN since the last full collection."""
        self.collections: list[str] = []
        """Why each full collection ran: "idle" or "forced" (for tests and the bench)."""

    def input_seen(self) -> None:
        self.last_input = self._clock()

    def tick(self) -> str | None:
        """Run a full collection if it is time; say why ("idle", "forced") or None."""
        pending = self._count()
        now = self._clock()
        if pending <= PENDING_MIN:
            self.pending_since = None
            return None
        if self.pending_since is None:
            self.pending_since = now
        if pending >= PENDING_MAX or now - self.pending_since >= AT_MOST:
            why = "forced"
        elif now - self.last_input >= IDLE and now - self.last_full >= SPACING:
            why = "idle"
        else:
            return None
        self._collect()
        self.last_full, self.pending_since = self._clock(), None
        self.collections.append(why)
        return why


class QuietCollection(_AppBase):
    """Mixed into RegTUI: call ``start_quiet_collection`` at the first mount."""

    gc_schedule: IdleCollector | None = None

    def start_quiet_collection(self) -> None:
        freeze_startup_objects()
        if self.gc_schedule is not None or not gc.isenabled():
            return
        threshold = gc.get_threshold()
        self._gc_threshold = threshold
        gc.set_threshold(threshold[0], threshold[1], OUT_OF_REACH)
        self.gc_schedule = IdleCollector()
        self.set_interval(TICK, self.gc_schedule.tick, name="regtui-gc")

    async def on_event(self, event: events.Event) -> None:
        from textual.events import InputEvent  # not at import: launch imports this module before Textual

        if self.gc_schedule is not None and isinstance(event, InputEvent):
            self.gc_schedule.input_seen()
        await super().on_event(event)

    def _on_unmount(self) -> None:
        if self.gc_schedule is not None:
            self.gc_schedule = None
            gc.set_threshold(*self._gc_threshold)
