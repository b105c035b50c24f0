"""Run a stream of results off the UI's event loop and hand them over in batches.

"Check all" runs dozens of checks at once; their HTTP parsing, TLS handshakes and JSON run in
Python, and on the TUI's own event loop they queue in front of every key press. Here the
producer runs on an event loop of its own, in a thread, and the UI receives what has arrived
as one list, at most one list per ``interval``: one table update (one layout, one frame) for
many results instead of one per result. The first result is handed over as soon as it arrives.

Each batch costs the UI one redraw of every visible row of the tables it touches (Textual's
DataTable drops all its cached rows on any cell update): 20-40 ms for the Registries table. When
results trickle in (50 registries answering over 1.5 s), a batch every 50 ms kept the UI's
thread busy most of the time: keys during the checks took a median of 35 ms. One every 200 ms:
a median of 12-15 ms, and a fifth less CPU (bench/tui_keys_during_checks.py, BENCH_SPREAD=1).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import AsyncIterator, Callable
from typing import Generic, TypeVar

T = TypeVar("T")

INTERVAL = 0.2  # s: a batch is never older than this


class _Feed(Generic[T]):
    """What the thread hands over; touched only on the consumer's loop (call_soon_threadsafe)."""

    def __init__(self) -> None:
        self.items: list[T] = []
        self.error: BaseException | None = None
        self.arrived = asyncio.Event()
        self.finished = False

    def add(self, item: T) -> None:
        self.items.append(item)
        self.arrived.set()

    def end(self, error: BaseException | None) -> None:
        self.error, self.finished = error, True
        self.arrived.set()


def _post(loop: asyncio.AbstractEventLoop, callback: Callable[..., object], *args: object) -> None:
    with contextlib.suppress(RuntimeError):  # the consumer's loop has closed (the app quit)
        loop.call_soon_threadsafe(callback, *args)


async def in_batches(
    make: Callable[[], AsyncIterator[T]], *, interval: float = INTERVAL, name: str = "regtui-offloop"
) -> AsyncIterator[list[T]]:
    """The items of ``make()``, produced on a loop in a thread of its own, in batches.

    Leaving the ``async for`` early (or being cancelled) cancels the producer; its clients
    close on its own loop. An exception in the producer is raised here after the items before it.
    """
    consumer = asyncio.get_running_loop()
    feed: _Feed[T] = _Feed()
    stop = threading.Event()
    handle: list[tuple[asyncio.AbstractEventLoop, asyncio.Task[None]]] = []

    async def produce() -> None:
        task = asyncio.current_task()
        assert task is not None
        handle.append((asyncio.get_running_loop(), task))
        if stop.is_set():  # the consumer left before this loop started
            return
        async for item in make():
            _post(consumer, feed.add, item)

    def run() -> None:
        error: BaseException | None = None
        try:
            asyncio.run(produce())
        except asyncio.CancelledError:
            pass
        except BaseException as exc:  # handed to the consumer, which raises it
            error = exc
        finally:
            _post(consumer, feed.end, error)

    thread = threading.Thread(target=run, name=name, daemon=True)
    thread.start()
    try:
        while True:
            await feed.arrived.wait()
            feed.arrived.clear()
            if feed.items:
                batch, feed.items = feed.items, []
                yield batch
            if feed.finished and not feed.items:
                break
            await asyncio.sleep(interval)  # what arrives meanwhile goes in the next batch
        if feed.error is not None:
            raise feed.error
    finally:
        if not feed.finished:
            stop.set()  # seen by a producer that has not started; the others are cancelled
            for loop, task in list(handle):
                _post(loop, task.cancel)
