"""Navigation a k9s or lazygit user expects, on every table (issue 10, item 3), driven with Pilot."""

from __future__ import annotations

import json
from pathlib import Path

from textual.widgets import Input

from regtui.app.real import RealWorkstation
from regtui.core.docker_config import encode_auth
from regtui.ui.app import RegTUI
from regtui.ui.screens.action_menu import ActionMenu
from regtui.ui.screens.confirm import ConfirmModal
from regtui.ui.widgets.checks_pane import ChecksPane
from regtui.ui.widgets.columns import sort_key
from regtui.ui.widgets.filter_bar import FilterBar
from regtui.ui.widgets.mirrors_pane import MirrorsPane
from regtui.ui.widgets.nav_table import NavTable
from regtui.ui.widgets.registries_table import RegistriesTable
from tests.ui.apps import demo_app

SIZE = (100, 30)
DEMO_ROWS = ["docker.io", "ghcr.io", "registry.example.com:5000", "quay.io"]


async def settle(pilot) -> None:  # noqa: ANN001
    others = [w for w in pilot.app.workers if w.group != "write"]
    if others:
        await pilot.app.workers.wait_for_complete(others)
    await pilot.pause()


def shown(table: NavTable) -> list[str]:
    """The first cell of each row shown, top to bottom."""
    return [str(table.get_row(row.key)[0]) for row in table.ordered_rows]


async def until(pilot, condition) -> None:  # noqa: ANN001
    """Wait (bounded) for what a worker or a message does a few frames later on a loaded machine."""
    for _ in range(300):
        await settle(pilot)
        if condition():
            return
        await pilot.pause(0.01)
    assert condition()


def column(table: NavTable, index: int) -> list[str]:
    return [str(table.get_row_at(i)[index]) for i in range(table.row_count)]


async def test_j_k_g_G_home_end_move_the_cursor_on_every_table() -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for tab in ("1", "2", "3"):
            await pilot.press(tab)
            await settle(pilot)
            table = app.focused
            assert isinstance(table, NavTable) and table.row_count >= 3, tab
            last = table.row_count - 1
            await pilot.press("j", "j")
            assert table.cursor_row == 2, tab
            await pilot.press("k")
            assert table.cursor_row == 1, tab
            await pilot.press("G")
            assert table.cursor_row == last, tab
            await pilot.press("g")
            assert table.cursor_row == 0, tab
            await pilot.press("end")
            assert table.cursor_row == last, tab
            await pilot.press("home")
            assert table.cursor_row == 0, tab
            await pilot.press("pagedown")
            assert table.cursor_row == last, tab
            await pilot.press("pageup")
            assert table.cursor_row == 0, tab


async def test_slash_filters_the_rows_enter_keeps_and_esc_clears(docker_dir: Path) -> None:
    """Against a real config.json: the filtered row is the one the keys act on."""
    auths = {h: {"auth": encode_auth("alice", "pw")} for h in ("ghcr.io", "quay.io", "registry.gitlab.com")}
    (docker_dir / "config.json").write_text(json.dumps({"auths": auths}))
    app = RegTUI(RealWorkstation())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.query_one(RegistriesTable)
        await pilot.press("slash")
        assert isinstance(app.focused, FilterBar)
        await pilot.press(*"QUAY")
        assert shown(table) == ["quay.io"]
        await pilot.press("enter")
        assert app.focused is table and app.screen.query_one(FilterBar).value == "QUAY"
        await pilot.press("d")  # the keys act on the one row left
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal) and "quay.io" in app.screen.title_text
        await pilot.press("escape")
        await pilot.press("escape")  # on the table: clears the filter
        assert shown(table) == ["ghcr.io", "quay.io", "registry.gitlab.com"]
        assert not app.screen.query(FilterBar)
        await pilot.press("slash", *"nothing-matches")
        assert shown(table) == [] and table.total_rows == 3
        await pilot.press("escape")  # in the input: clears too
        assert len(shown(table)) == 3 and app.focused is table


async def test_a_filter_survives_a_reload_and_keeps_the_latency() -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.query_one(RegistriesTable)
        await pilot.press("slash", *"io", "enter")
        await pilot.press("C")  # check all, from the Registries tab
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert shown(table) == ["docker.io", "ghcr.io", "quay.io"]
        await pilot.press("escape")
        assert shown(table) == DEMO_ROWS
        assert "ms" in str(table.get_cell("registry.example.com:5000", list(table.columns)[5]))  # the hidden row's too


async def test_s_cycles_the_sort_column_S_reverses_and_a_header_click_sorts() -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.query_one(RegistriesTable)
        await pilot.press("down")  # the cursor stays on ghcr.io whatever the order
        await pilot.press("s")
        assert table.sort_column == "Registry"
        assert shown(table) == sorted(DEMO_ROWS)
        assert str(table.ordered_columns[0].label) == "Registry ▲"
        await pilot.press("S")
        assert shown(table) == sorted(DEMO_ROWS, reverse=True)
        assert str(table.ordered_columns[0].label) == "Registry ▼"
        assert table.cursor_key == "ghcr.io"
        await pilot.press("s")
        assert table.sort_column == "User" and str(table.ordered_columns[1].label) == "User ▲"
        status_x = sum(c.get_render_width(table) for c in table.ordered_columns[:3]) + 2
        await pilot.click(RegistriesTable, offset=(status_x, 0))
        await pilot.pause()
        assert table.sort_column == "Status"
        statuses = column(table, 3)
        assert statuses == sorted(statuses, key=sort_key)
        await pilot.click(RegistriesTable, offset=(status_x, 0))
        await pilot.pause()
        assert table.sort_reverse
        await pilot.press("r")  # a reload keeps the order
        await settle(pilot)
        assert table.sort_column == "Status" and column(table, 3) == sorted(statuses, key=sort_key, reverse=True)


def test_durations_sort_by_time_and_empty_cells_last() -> None:
    cells = ["12.3 s", "950 ms", "–", "310 ms ✗", "1.0 s"]
    assert sorted(cells, key=sort_key) == ["310 ms ✗", "950 ms", "1.0 s", "12.3 s", "–"]
    assert sorted(["reg10", "reg9", "Reg1"], key=sort_key) == ["Reg1", "reg9", "reg10"]


async def test_enter_opens_the_row_actions_and_runs_the_chosen_one() -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "enter")
        await pilot.pause()
        menu = app.screen
        assert isinstance(menu, ActionMenu) and "ghcr.io" in menu.title_text
        assert [a.key for a in menu.actions] == ["l", "d", "m", "f", "c"]
        await pilot.press("down", "enter")  # the second entry: log out
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal) and "ghcr.io" in app.screen.title_text
        await pilot.press("escape")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("c")  # the action's own key works in the menu too
        await settle(pilot)
        assert app.query_one("TabbedContent").active == "checks"
        await pilot.press("3")
        await until(pilot, lambda: app.focused is not None and app.query_one(MirrorsPane) in app.focused.ancestors)
        await pilot.press("enter")
        await pilot.pause()
        assert [a.key for a in app.screen.actions] == [
            *("space", "a", "x", "t", "E", "shift+up", "shift+down", "u", "e", "c", "i")
        ]
        await pilot.press("escape")
        assert isinstance(app.focused, NavTable) and app.focused.parent is app.query_one(MirrorsPane)


async def test_c_checks_the_selection_and_keeps_the_others_results_C_checks_all() -> None:
    checked: list[list[str]] = []
    demo_check = demo_app().workstation.check

    async def check(names: list[str]):  # noqa: ANN202
        checked.append(list(names))
        async for result in demo_check(names):
            yield result

    app = demo_app(check=check)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        pane = app.query_one(ChecksPane)
        assert checked == [DEMO_ROWS] and set(pane.results) == set(DEMO_ROWS)
        before = dict(pane.results)
        await pilot.press("j", "c")
        await settle(pilot)
        assert checked[-1] == ["ghcr.io"]
        assert set(pane.results) == set(DEMO_ROWS)
        assert all(pane.results[n] is before[n] for n in DEMO_ROWS if n != "ghcr.io")
        await pilot.press("C")
        await settle(pilot)
        assert checked[-1] == DEMO_ROWS
        assert "1 healthy · 3 failing · 0 running" in str(app.query_one("#checks-summary").render())
        await pilot.press("1", "c")  # c on the Registries tab: the same meaning
        await settle(pilot)
        assert checked[-1] == ["docker.io"] and set(pane.results) == set(DEMO_ROWS)


async def test_c_on_a_real_loopback_registry_keeps_the_other_rows(docker_dir: Path) -> None:
    from tests.support.fault_servers import FaultServer

    good, bad = FaultServer("open").start(), FaultServer("reset").start()
    good_host, bad_host = good.host, bad.host
    (docker_dir / "config.json").write_text(json.dumps({"auths": {good.host: {}, bad.host: {}}}))
    try:
        app = RegTUI(RealWorkstation())
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("2")
            await settle(pilot)
            pane = app.query_one(ChecksPane)
            first = dict(pane.results)
            table = pane.query_one(NavTable)
            table.move_cursor(row=table.get_row_index(good.host))
            await pilot.press("c")
            await settle(pilot)
            summary = str(app.query_one("#checks-summary").render())
    finally:
        good.close()
        bad.close()
    assert first[good_host].healthy and not first[bad_host].healthy
    assert pane.results[bad_host] is first[bad_host] and pane.results[good_host] is not first[good_host]
    assert summary.startswith("1 healthy · 1 failing · 0 running")


async def test_tab_from_the_filter_goes_back_to_the_table_and_its_keys() -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"ghcr")
        assert isinstance(app.focused, Input)
        await pilot.press("tab")
        assert isinstance(app.focused, RegistriesTable)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal) and "ghcr.io" in app.screen.title_text


def test_columns_are_cut_to_fit_and_the_first_last() -> None:
    from regtui.ui.widgets.columns import fitted

    assert fitted([10, 5, 8], 30) == [10, 5, 8]
    assert fitted([25, 12, 30, 9], 40) == [16, 8, 8, 8]
    assert sum(fitted([25, 12, 30, 9, 20, 7, 11, 10], 44)) <= 44 and fitted([25, 12, 30, 9, 20, 7, 11, 10], 44)[0] == 16


async def test_every_column_stays_on_screen_at_60_columns() -> None:
    app = demo_app()
    async with app.run_test(size=(60, 20)) as pilot:
        for tab in ("1", "2", "3"):
            await pilot.press(tab)
            await settle(pilot)
            table = app.focused
            assert isinstance(table, NavTable)
            await until(pilot, lambda t=table: sum(c.get_render_width(t) for c in t.ordered_columns) <= t.size.width)
            assert table.max_scroll_x == 0, tab


async def test_the_repository_field_is_checks_repo() -> None:
    """Typing a repository in the Checks tab and Enter checks every registry with --repo."""
    asked: list[tuple[list[str], str | None]] = []
    demo_check = demo_app().workstation.check

    async def check(names: list[str], **options: object):  # noqa: ANN202
        asked.append((list(names), options.get("repo")))  # type: ignore[arg-type]
        async for result in demo_check(names):
            yield result

    app = demo_app(check=check)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert asked == [(DEMO_ROWS, None)]
        app.query_one("#checks-repo", Input).focus()
        await pilot.press(*"library/alpine", "enter")
        await settle(pilot)
        assert asked[-1] == (DEMO_ROWS, "library/alpine")
        assert isinstance(app.focused, NavTable)
        await pilot.press("j", "c")  # c keeps the repository too
        await settle(pilot)
        assert asked[-1] == (["ghcr.io"], "library/alpine")
