"""Short garbage-collector pauses for the TUI.

A full (generation 2) collection walks every object the process holds: after Textual, rich
and regtui's modules are imported and the screen is built, that is a few hundred thousand
objects, and one pass stopped the event loop for 100-135 ms while checks ran (measured with
``gc.callbacks``; bench/tui_keys_during_checks.py). ``gc.freeze()`` moves what exists at the
first mount (modules, classes, the widget tree: objects that live as long as the app) out of
the collector's reach, so a full pass walks only what was made since: 20-30 ms. It is done once
per process; cycles made later are collected as before.
"""

from __future__ import annotations

import gc

_done = False


def freeze_startup_objects() -> None:
    global _done
    if not _done:
        _done = True
        gc.freeze()
