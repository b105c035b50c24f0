"""LazyPane: a hidden tab's pane that is built, not only mounted, after the first frame.

Textual's ``Lazy`` defers the mount of a widget that already exists, so the widget's module (and
the Textual widgets it uses) still loads before the first frame. ``LazyPane`` takes a factory
instead and calls it after the first refresh, in the same place ``Lazy`` mounts
(textual/lazy.py): the Checks, Mirrors and Rate limit panes cost the start nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.widget import Widget


class LazyPane(Widget):
    DEFAULT_CSS = """
    LazyPane {
        display: none;
    }
    """

    def __init__(self, build: Callable[[], Widget]) -> None:
        super().__init__()
        self._build = build

    async def mount_composed_widgets(self, widgets: list[Widget]) -> None:
        parent = self.parent
        if not isinstance(parent, Widget):
            return

        async def mount() -> None:
            await parent.mount(self._build(), after=self)
            await self.remove()

        self.call_after_refresh(mount)
