"""ui/offloop.py: a producer on a loop of its own, in a thread; its items handed over in batches."""

from __future__ import annotations

import asyncio
import threading

import pytest

from regtui.ui.offloop import in_batches


async def test_every_item_in_order_in_fewer_batches_than_items() -> None:
    async def produce():  # noqa: ANN202
        for i in range(200):
            if i % 20 == 0:
                await asyncio.sleep(0.01)
            yield i

    batches = [batch async for batch in in_batches(produce, interval=0.05)]
    assert [i for batch in batches for i in batch] == list(range(200))
    assert 1 < len(batches) < 20


async def test_the_producer_runs_on_another_thread_and_loop() -> None:
    seen: list[tuple[int, asyncio.AbstractEventLoop]] = []

    async def produce():  # noqa: ANN202
        seen.append((threading.get_ident(), asyncio.get_running_loop()))
        yield 1

    assert [b async for b in in_batches(produce)] == [[1]]
    assert seen[0][0] != threading.get_ident() and seen[0][1] is not asyncio.get_running_loop()


async def test_an_error_in_the_producer_is_raised_after_the_items_before_it() -> None:
    async def produce():  # noqa: ANN202
        yield "a"
        raise ValueError("the producer failed")

    got: list[str] = []
    with pytest.raises(ValueError, match="the producer failed"):
        async for batch in in_batches(produce):
            got += batch
    assert got == ["a"]


async def test_leaving_early_cancels_the_producer() -> None:
    ended = threading.Event()

    async def produce():  # noqa: ANN202
        try:
            yield 1
            await asyncio.sleep(30)
            yield 2
        finally:
            ended.set()

    async for batch in in_batches(produce):
        assert batch == [1]
        break
    assert await asyncio.to_thread(ended.wait, 5)
