"""The app owns what it knows (ui/state.py) and panes render it; panes ask through typed messages."""

from __future__ import annotations

from textual.widgets import DataTable

from regtui.ui.widgets.checks_pane import ChecksPane
from regtui.ui.widgets.mirrors_pane import MirrorsPane
from regtui.ui.widgets.registries_pane import RegistriesPane
from tests.ui.apps import demo_app

SIZE = (100, 30)


async def settle(pilot) -> None:  # noqa: ANN001
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_check_results_are_kept_by_the_app_and_shown_by_the_pane() -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.check_registries(["quay.io", "ghcr.io"])
        await settle(pilot)
        assert sorted(app.state.checks) == ["ghcr.io", "quay.io"] and app.state.checking == ["quay.io", "ghcr.io"]
        app._loaded.add("checks")  # shown as after `c`: no new run on first show
        await pilot.press("2")
        await settle(pilot)
        table = app.query_one(ChecksPane).query_one(DataTable)
        assert [str(table.get_row_at(i)[0]) for i in range(table.row_count)] == ["quay.io", "ghcr.io"]
        assert [str(table.get_row_at(i)[1]) for i in range(table.row_count)] == ["failing", "failing"]
        assert app.focused is table


async def test_mirrors_read_before_their_pane_exists_are_shown_and_tested_from_the_state() -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.reload_mirrors()
        await settle(pilot)
        assert app.state.mirror_sets is not None and len(app.state.enabled_mirrors()) == 3
        app.test_mirrors()  # the rows a test covers come from the state, not from the (unmounted) pane
        await settle(pilot)
        assert len(app.state.mirror_health) == 3
        app._loaded.add("mirrors")
        await pilot.press("3")
        await settle(pilot)
        table = app.query_one(MirrorsPane).query_one(DataTable)
        assert table.row_count == 4
        assert [str(table.get_row_at(i)[5]) for i in range(4)] == ["ok 48 ms", "off", "unreachable", "ok 20 ms"]


async def test_a_pane_that_mounts_late_is_filled_in_from_the_state() -> None:
    """A lazily mounted pane posts Ready; the app renders what it already knows into it."""
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        async for result in app.workstation.check(["ghcr.io"]):
            app.state.checks[result.registry] = result  # as if checked while the pane did not exist
        app.state.checking = ["ghcr.io"]
        pane = app.query_one(ChecksPane)
        pane.post_message(ChecksPane.Ready())
        await settle(pilot)
        table = pane.query_one(DataTable)
        assert [str(c) for c in table.get_row("ghcr.io")[:2]] == ["ghcr.io", "failing"]
        assert pane.results["ghcr.io"] is app.state.checks["ghcr.io"]


def test_pane_requests_are_typed_messages_nested_in_their_pane() -> None:
    assert RegistriesPane.LoginRequested.handler_name == "on_registries_pane_login_requested"
    assert MirrorsPane.ToggleRequested(None).row is None
    assert ChecksPane.CheckRequested("ghcr.io").registry == "ghcr.io"
    assert not hasattr(app_module(), "ActionRequested") and not hasattr(app_module().RegTUI, "_pane")


def app_module():  # noqa: ANN201
    import regtui.ui.app

    return regtui.ui.app
