"""The footer shows whole keys only, at every size, on every tab; every key of the Mirrors pane is
reachable: in the footer, or else in the command palette (by name, with its key) and the help."""

from __future__ import annotations

import re

import pytest
from textual.widgets._footer import FooterKey

from regtui.ui.screens.help import HELP
from regtui.ui.widgets.footer import FittingFooter
from regtui.ui.widgets.mirrors_pane import MirrorsPane
from tests.ui.apps import demo_app
from tests.ui.test_snapshots import keys, settle

SIZES = [(120, 36), (80, 24), (60, 20)]
TABS = {"1": "registries", "2": "checks", "3": "mirrors", "4": "ratelimit"}


def footer_keys(app) -> list[FooterKey]:  # noqa: ANN001
    return list(app.query_one(FittingFooter).query(FooterKey))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_no_key_is_cut_and_help_is_always_there(size: tuple[int, int]) -> None:
    app = demo_app()
    async with app.run_test(size=size) as pilot:
        for tab in TABS:
            await pilot.press(tab)
            await settle(pilot)
            await pilot.pause(0.1)
            shown = footer_keys(app)
            palette = [k for k in shown if k.has_class("-command-palette")]
            assert len(palette) == 1, tab
            for key in shown:
                text = f"{key.key_display} {key.description}"
                assert key.region.width >= len(text) + 2, (tab, text, key.region)  # whole, with its spaces
                assert key.region.right <= size[0], (tab, text)
                if key is not palette[0]:
                    assert key.region.right <= palette[0].region.x, (tab, text, "under the palette key")
            assert "Help" in [k.description for k in shown], tab


async def test_the_mirrors_footer_keeps_the_essential_keys_at_80_columns() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        await pilot.pause(0.1)
        assert [k.key_display for k in footer_keys(app)] == ["space", "a", "x", "t", "u", "q", "?", "^p"]


async def test_every_mirrors_key_is_in_the_footer_or_the_palette_and_the_help() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        shown = {k.key for k in footer_keys(app)}
        in_footer = {b.action for b in MirrorsPane.BINDINGS if b.key in shown}
        commands = {c.title: c.help for c in app.get_system_commands(app.screen)}
        section = HELP.split("[b]Mirrors[/b]")[1].split("[b]")[0]
        for binding in MirrorsPane.BINDINGS:
            assert binding.action in in_footer or f"Mirror: {binding.description}" in commands, binding
            assert re.search(rf"(^|\s){re.escape(binding.key)}(\s|,|$)", section), binding.key
        assert commands["Mirror: Move down"] == "⇧↓ on the Mirrors tab"


async def test_a_palette_command_runs_the_mirrors_hidden_key() -> None:
    """ctrl+p, "Mirror: Test image", enter: the test image form opens, as i does."""
    from regtui.ui.screens.field import FieldModal
    from tests.ui.waits import screen

    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause(0.2)
        await pilot.press(*"Mirror: Test image")
        await pilot.pause(0.5)
        await pilot.press("enter")
        form = await screen(pilot, FieldModal)
        assert form.TITLE_TEXT == "Test image for mirrors of docker.io"


async def test_read_only_palette_offers_no_mirror_write() -> None:
    app = demo_app(read_only=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert "Mirror: Test this" in titles
        assert not {"Mirror: Move up", "Mirror: Edit URL", "Mirror: Undo", "Mirror: On/off"} & titles


@pytest.mark.parametrize("size", [(80, 24), (60, 20)], ids=["80x24", "60x20"])
@pytest.mark.parametrize("tab", list(TABS), ids=list(TABS.values()))
def test_footer_snapshot(snap_compare, tab: str, size: tuple[int, int]) -> None:
    """Each tab's footer: whole keys, Help always, ^p palette on the right, nothing under it."""
    assert snap_compare(demo_app(), run_before=keys(tab), terminal_size=size)


async def test_a_narrow_registries_table_keeps_the_columns_that_matter_and_every_x() -> None:
    """At 60 columns Store and File go (the detail names both); Registry, User, Status, Issues,
    Latency and Read by stay, long cells end in …, and a slow failed check keeps its ✗. Wider,
    Store and File come back."""
    from rich.text import Text

    from tests.ui.apps import auth_json_app

    app = auth_json_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        table = app.query_one("RegistriesTable")
        labels = [str(c.label) for c in table.ordered_columns]
        assert labels == ["Registry", "User", "Status", "Issues", "Latency", "Read by"]
        table.set_latency("ghcr.io", 12_345, healthy=False)
        await pilot.pause(0.1)
        latency = next(c for c in table.ordered_columns if str(c.label) == "Latency")
        assert latency.width >= len("12.3 s ✗")
        line = "".join(s.text for s in table.render_line(table.get_row_index("ghcr.io") + 1))
        assert "12.3 s ✗" in line and "…" in line  # the ✗ whole; a long cell cut with …
        assert isinstance(table.get_row("ghcr.io")[0], Text)
        await pilot.resize_terminal(120, 36)
        await pilot.pause(0.2)
        assert [str(c.label) for c in table.ordered_columns] == [
            *("Registry", "User", "Store", "Status", "Issues", "Latency", "File", "Read by")
        ]
        assert "12.3 s ✗" in str(table.get_row("ghcr.io")[5])


async def test_a_dialog_with_buttons_first_clears_the_toasts_that_would_cover_them() -> None:
    """t says "testing 2 enabled mirrors…" in a toast at the bottom right; x's confirmation has its
    buttons there: the toast goes (from the screen under the dialog too), the log keeps it."""
    from textual.widgets._toast import Toast

    from regtui.ui.screens.confirm import ConfirmModal
    from tests.ui.waits import screen

    app = demo_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("t")
        await pilot.pause(0.2)
        base = app.screen
        assert list(base.query(Toast))
        await pilot.press("x")
        await screen(pilot, ConfirmModal)
        await pilot.pause(0.2)
        assert not list(base.query(Toast)) and not list(app.screen.query(Toast))
        assert any("testing" in m.message for m in app.message_log)


async def test_the_mirrors_row_menu_names_the_row_and_shows_shift_keys_as_arrows() -> None:
    """Enter on a mirror: the menu says which mirror (not regtui's row key) and lists every key,
    the ones the footer leaves out included; shift+up reads ⇧↑, so it fits the key column at 60x20."""
    from regtui.ui.screens.action_menu import ActionMenu
    from tests.ui.waits import screen

    app = demo_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("enter")
        menu = await screen(pilot, ActionMenu)
        assert menu.title_text == "https://mirror.gcr.io (docker, docker.io): actions"
        assert [a.shown or a.key for a in menu.actions] == [
            *("space", "a", "x", "t", "E", "⇧↑", "⇧↓", "u", "e", "c", "i")
        ]
        await pilot.press("shift+down")  # the key itself works in the menu
        from regtui.ui.screens.confirm import ConfirmModal

        confirm = await screen(pilot, ConfirmModal)
        assert confirm.title_text.startswith("move mirror https://mirror.gcr.io 1 place later")


async def test_q_in_a_confirmation_cancels_it_and_does_not_quit() -> None:
    from regtui.ui.screens.confirm import ConfirmModal
    from tests.ui.waits import screen

    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("x")
        await screen(pilot, ConfirmModal)
        await pilot.press("q")
        await pilot.pause(0.2)
        assert app.is_running and not isinstance(app.screen, ConfirmModal)


async def test_a_narrow_status_line_keeps_whole_counts() -> None:
    """At 60 columns, with every tab read, the counts that do not fit go whole (none cut to "· ")."""
    from regtui.ui.widgets.status_line import StatusLine, parts

    app = demo_app()
    async with app.run_test(size=(60, 20)) as pilot:
        for tab in "234":
            await pilot.press(tab)
            await settle(pilot)
        await pilot.pause(0.1)
        every = [p for p, _ in parts(app.state)]
        shown = str(app.query_one(StatusLine).render()).split(" · ")
        assert len(" · ".join(every)) > 58 and shown == every[: len(shown)] and len(shown) < len(every)
