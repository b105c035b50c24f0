"""Every modal fits at 80x24 and 60x20: its buttons are on screen and on top, and a long body
scrolls instead of pushing them off."""

from __future__ import annotations

import pytest
from textual.containers import VerticalScroll
from textual.widgets import Button

from regtui.ui.screens.confirm import ConfirmModal
from regtui.ui.screens.field import FieldModal
from regtui.ui.screens.help import HelpScreen
from regtui.ui.screens.login import LoginModal
from tests.ui.apps import demo_app

SIZES = [(80, 24), (60, 20), (120, 36)]
MODALS = {
    "remove-mirror": (("3", "x"), ConfirmModal, ("cancel", "confirm")),
    "toggle-mirror": (("3", "down", "space"), ConfirmModal, ("cancel", "confirm")),
    "logout": (("down", "d"), ConfirmModal, ("cancel", "confirm")),
    "login": (("l",), LoginModal, ("cancel", "login")),
    "add-mirror": (("3", "a"), None, ("cancel", "add")),
    "help": (("question_mark",), HelpScreen, ()),
    "mirror-test-image": (("3", "i"), FieldModal, ("cancel", "save")),
    "mirror-edit-url": (("3", "E"), FieldModal, ("cancel", "save")),
    "mirror-undo": (("3", "u"), ConfirmModal, ("cancel", "confirm")),
    "mirror-move": (("3", "shift+down"), ConfirmModal, ("cancel", "confirm")),
}


async def _settle(pilot) -> None:  # noqa: ANN001
    others = [w for w in pilot.app.workers if w.group != "write"]
    if others:
        await pilot.app.workers.wait_for_complete(others)
    await pilot.pause()


def _on_top(app, widget) -> bool:  # noqa: ANN001
    """The widget lies inside the screen and its middle cell is drawn by it (not clipped, not covered)."""
    region = widget.region
    inside = region.x >= 0 and region.y >= 0 and region.right <= app.size.width and region.bottom <= app.size.height
    return inside and region.area > 0 and app.screen.get_widget_at(*region.center)[0] is widget


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", list(MODALS))
async def test_every_modal_fits(name: str, size: tuple[int, int]) -> None:
    keys, kind, buttons = MODALS[name]
    app = demo_app()
    async with app.run_test(size=size) as pilot:
        await _settle(pilot)
        for key in keys:
            await pilot.press(key)
            await _settle(pilot)
        await pilot.pause()
        if kind is not None:
            assert isinstance(app.screen, kind)
        for button_id in buttons:
            button = app.screen.query_one(f"#{button_id}", Button)
            assert _on_top(app, button), f"{name} at {size}: {button_id} at {button.region} is not fully visible"
        for scroll in app.screen.query(VerticalScroll):
            assert scroll.region.bottom <= size[1] and scroll.region.right <= size[0]


async def test_a_long_diff_scrolls_between_the_title_and_the_buttons() -> None:
    from rich.text import Text

    from regtui.app.demo import DemoWorkstation
    from regtui.ui.app import RegTUI

    body = Text("\n".join(f"+ line {i}" for i in range(80)))
    app = RegTUI(DemoWorkstation())
    async with app.run_test(size=(60, 20)) as pilot:
        await _settle(pilot)
        app.push_screen(ConfirmModal("A long change", body))
        await pilot.pause()
        scroll = app.screen.query_one(VerticalScroll)
        assert scroll.max_scroll_y > 60 and scroll.region.bottom <= 20
        assert _on_top(app, app.screen.query_one("#confirm", Button))
        scroll.scroll_end(animate=False)
        await pilot.pause()
        assert scroll.scroll_y == scroll.max_scroll_y
