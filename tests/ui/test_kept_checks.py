"""Check results kept across runs: a real config.json naming a loopback registry that refuses
connections, regtui's real state directory ($REGTUI_CONFIG_DIR), two runs of the app."""

from __future__ import annotations

import json
from pathlib import Path

from regtui.app.real import RealWorkstation
from regtui.core.check_history import checks_path
from regtui.ui.app import RegTUI
from regtui.ui.widgets.checks_pane import ChecksPane
from regtui.ui.widgets.registries_table import RegistriesTable
from regtui.ui.widgets.status_line import StatusLine
from tests.support.realparts import free_port
from tests.ui.apps import FIXED_TIME
from tests.ui.waits import done, settle

SIZE = (120, 36)


def app_at(clock=FIXED_TIME) -> RegTUI:  # noqa: ANN001
    app = RegTUI(RealWorkstation())
    app.clock = lambda: clock
    return app


def latency_cell(app: RegTUI, key: str):  # noqa: ANN201
    table = app.query_one(RegistriesTable)
    return table.get_row(key)[table.names.index("Latency")]


async def test_results_of_an_earlier_run_show_dimmed_with_their_time_until_checked_again(docker_dir: Path) -> None:
    host = f"127.0.0.1:{free_port()}"  # nothing listens: the check fails at TCP connect, fast
    (docker_dir / "config.json").write_text(json.dumps({"auths": {host: {}}, "credHelpers": {host: "regtui"}}))
    first = app_at()
    async with first.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2", "C")
        await done(pilot)
        assert not first.state.checks[host].healthy
    kept = json.loads(checks_path().read_text())["checks"][host]
    assert kept["healthy"] is False and kept["at"].startswith("2026-11-30T09:15:00")
    assert kept["cause"] and {s["status"] for s in kept["steps"]} <= {"ok", "fail", "warn", "skip"}

    second = app_at(FIXED_TIME.replace(hour=17))
    async with second.run_test(size=SIZE) as pilot:
        await settle(pilot)
        cell = latency_cell(second, host)
        assert "✗" in cell.plain and "dim" in str(cell.style)  # an earlier run's: dimmed
        assert "1 failing (earlier run)" in str(second.query_one(StatusLine).render())
        await pilot.press("2")
        await settle(pilot)
        pane = second.query_one(ChecksPane)
        assert pane.earlier == {host: "checked 09:15"}
        assert "1 from an earlier run (checked 09:15)" in str(pane.summary())
        detail = str(pane.query_one("#check-detail").render())
        assert "checked 09:15, in an earlier run: c checks it again" in detail
        await pilot.press("c")
        await done(pilot)
        assert pane.earlier == {} and "earlier run" not in str(pane.summary())
        assert "dim" not in str(latency_cell(second, host).style)
        assert "(earlier run)" not in str(second.query_one(StatusLine).render())
    assert json.loads(checks_path().read_text())["checks"][host]["at"].startswith("2026-11-30T17:15:00")


async def test_a_broken_kept_file_costs_the_earlier_results_and_says_so_in_the_log(docker_dir: Path) -> None:
    (docker_dir / "config.json").write_text(json.dumps({"auths": {"127.0.0.1:9": {}}}))
    path = checks_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('{"checks": {"127.0.0.1:9": {"at": ')
    app = app_at()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.pause(0.2)
        assert app.state.checks == {}
        [logged] = [m for m in app.message_log if m.title == "earlier check results"]
        assert f"{path}:1:" in logged.message and "not valid JSON" in logged.message
        assert app.query_one(RegistriesTable).row_count == 1  # the app runs on
