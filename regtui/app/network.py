"""The network stack, imported off the event loop."""

from __future__ import annotations


def _import_network_stack(*modules: str) -> None:
    import importlib

    from regtui.core.wire import preload

    for name in modules:
        importlib.import_module(name)
    preload()


async def network_stack(*modules: str) -> None:
    """Import the network modules in a thread, once, so the event loop that draws the screen never
    waits on them (the check ladder and the lean client: ~10 ms; with httpx, for the mirror tests
    and the report: 100 ms and more); the later imports are lookups."""
    import asyncio  # here, not at the top: the app layer's sync use cases never load it

    await asyncio.to_thread(_import_network_stack, *modules)
