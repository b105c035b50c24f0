"""The TUI while checks run: results in batches off the event loop, and a late focus that
cannot switch the tab the user is on."""

from __future__ import annotations

from textual.widgets import DataTable, TabbedContent

from regtui.core.registry.model import CheckResult, Step
from regtui.ui.widgets.checks_pane import ChecksPane
from regtui.ui.widgets.registries_pane import RegistriesPane
from tests.ui.apps import demo_app
from tests.ui.test_tui_bugs import settle

SIZE = (120, 36)


async def test_a_late_focus_in_a_hidden_tab_does_not_switch_tabs() -> None:
    # Pressing 2 then 1 quickly: the Checks pane, mounted lazily, was focused after the user had
    # gone back to Registries, and Textual then showed Checks again; the next keys went to it.
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        checks_table = app.query_one(ChecksPane).query_one(DataTable)
        checks_table.focus()  # what the Checks tab's focus worker does when it runs late
        await settle(pilot)
        assert app.query_one(TabbedContent).active == "registries"
        registries = app.query_one(RegistriesPane)
        assert app.focused is not None and registries in app.focused.ancestors
        table = registries.query_one(DataTable)
        row = table.cursor_row
        await pilot.press("down")
        await pilot.pause()
        assert table.cursor_row == row + 1


async def test_check_results_arrive_in_batches_from_another_thread() -> None:
    import threading

    names = [f"reg{i}.example" for i in range(40)]
    threads: set[int] = set()

    async def check(wanted: list[str]):  # noqa: ANN202
        for name in wanted:
            threads.add(threading.get_ident())
            yield CheckResult(name, f"https://{name}", (Step("ping", "ok", 1.0, "200"),), None, None, 1.0)

    app = demo_app(check=check)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        updates: list[str] = []
        await pilot.press("2")
        await settle(pilot)
        pane = app.query_one(ChecksPane)
        original = pane.add_many

        def add_many(results: list[CheckResult]) -> None:
            updates.extend(r.registry for r in results)
            original(results)

        pane.add_many = add_many  # type: ignore[method-assign]
        app.check_registries(names)
        await settle(pilot)
        assert updates == names  # every result, in the order the check produced them
        assert set(names) <= set(pane.results)  # the results of the tab's first check stay too
        assert threading.get_ident() not in threads  # the checks ran off the UI's thread


async def test_a_batch_of_results_shows_what_one_at_a_time_shows() -> None:
    # A batch redraws the summary and the detail once, not once per result (50 results in one
    # batch: 8-26 ms on the UI's thread before, 3.7-6.2 ms after; bench/tui_keys_during_checks.py).
    names = [f"reg{i}.example" for i in range(5)]
    results = [
        CheckResult(name, f"https://{name}", (Step("ping", "ok", 1.0, "200"),), None, None, float(i))
        for i, name in enumerate(names)
    ]
    shown = []
    for batched in (False, True):
        app = demo_app()
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("2")
            await settle(pilot)
            pane = app.query_one(ChecksPane)
            pane.start(names)
            if batched:
                pane.add_many(results)
            else:
                for result in results:
                    pane.add(result)
            await settle(pilot)
            table = pane.query_one(DataTable)
            rows = [tuple(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]
            shown.append((rows, str(pane.summary()), str(app.query_one("#check-detail").render())))
    assert shown[0] == shown[1]
    assert "0 running" in shown[1][1]


async def test_latencies_wait_while_the_cursor_moves_and_show_when_it_rests() -> None:
    """Drawing a latency re-renders every visible row of the Registries table, so while someone
    moves through it (a key in the last QUIET s) the checks' latencies wait, at most AT_MOST s;
    a table at rest shows them at once."""
    import time

    from regtui.ui.widgets.registries_table import RegistriesTable

    app = demo_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        table = app.query_one(RegistriesTable)
        first, second = (table.coordinate_to_cell_key((row, 0)).row_key.value or "" for row in (0, 1))
        latency = list(table.columns)[table.names.index("Latency")]

        table.set_latency(first, 12, healthy=True)  # at rest: drawn now
        assert str(table.get_cell(first, latency)).startswith("12")

        await pilot.press("j")  # moving: the next one waits
        table.set_latency(second, 34, healthy=False)
        assert "34" not in str(table.get_cell(second, latency))
        await pilot.pause(table.QUIET + 0.3)  # the cursor rested: drawn
        assert "34" in str(table.get_cell(second, latency)) and "✗" in str(table.get_cell(second, latency))

        table._last_move = time.monotonic()  # still moving, but it has waited AT_MOST: drawn
        table.set_latency(first, 56, healthy=True)
        table._undrawn_since = time.monotonic() - table.AT_MOST
        table._draw_timer = None
        table._draw_latencies()
        assert str(table.get_cell(first, latency)).startswith("56")
        await pilot.press("r")  # a reload rebuilds the rows with every latency known
        await settle(pilot)
        latency = list(table.columns)[table.names.index("Latency")]  # the columns were built again
        assert str(table.get_cell(first, latency)).startswith("56")
