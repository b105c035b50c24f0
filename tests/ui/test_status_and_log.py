"""The status line, the message log, y (copy) and lines that wrap under their own text
(issue 10, items 4, 6 and 9), driven with Pilot against the demo data and real files."""

from __future__ import annotations

import json
from pathlib import Path

from rich.console import Console
from rich.text import Text
from textual.widgets import Static

from regtui.app.real import RealWorkstation
from regtui.core.docker_config import encode_auth
from regtui.core.errors import ConfigError
from regtui.ui.app import RegTUI
from regtui.ui.screens.message_log import MessageLogScreen
from regtui.ui.widgets.hanging import HangingText, hang
from regtui.ui.widgets.nav_table import NavTable
from tests.ui.apps import demo_app
from tests.ui.test_navigation import settle, until

SIZE = (100, 30)


def status(app: RegTUI) -> str:
    return str(app.query_one("#status-line", Static).render())


async def test_the_status_line_counts_what_each_tab_has_read() -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert status(app) == "4 registries · 1 plaintext"
        await pilot.press("2")
        await until(pilot, lambda: "failing" in status(app))
        assert status(app) == "4 registries · 1 plaintext · 3 failing"
        await pilot.press("3")
        await until(pilot, lambda: "mirror" in status(app))
        await pilot.press("4")
        await until(pilot, lambda: "pulls" in status(app))
        assert status(app) == "4 registries · 1 plaintext · 3 failing · 1 mirror off · 187/200 pulls left"


async def test_the_status_line_from_a_real_config(docker_dir: Path) -> None:
    auths = {"ghcr.io": {"auth": encode_auth("alice", "pw")}, "quay.io": {}}
    (docker_dir / "config.json").write_text(json.dumps({"auths": auths}))
    app = RegTUI(RealWorkstation())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert status(app) == "2 registries · 1 plaintext"


async def test_the_message_log_keeps_every_notification_in_full_and_y_copies_one() -> None:
    async def failing_report():  # noqa: ANN202
        raise ConfigError("could not write the report", path="/tmp/r.md", fix="free some space\nthen try again")

    app = demo_app(write_report=failing_report)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.write_report()
        await settle(pilot)
        app.notify("a [b]markup[/b] lookalike", markup=False)
        await pilot.press("L")
        await pilot.pause()
        log = app.screen
        assert isinstance(log, MessageLogScreen)
        table = log.query_one(NavTable)
        levels = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
        assert levels == ["information", "error", "information"]  # newest first
        await pilot.press("j")
        detail = str(log.query_one("#log-detail", Static).render())
        assert "error no report written" in detail and "free some space\nthen try again" in detail
        await pilot.press("y")
        assert app.clipboard.endswith("free some space\nthen try again")
        assert app.clipboard.split("\n")[0].endswith(" error no report written")
        await pilot.press("slash", *"markup")
        assert table.row_count == 1
        await pilot.press("escape", "escape")
        assert not isinstance(app.screen, MessageLogScreen)
        assert app.message_log[-1].message.startswith("copied ")


async def test_y_copies_the_row_with_its_fix_and_the_checks_ladder() -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "y")
        copied = app.clipboard
        assert copied.startswith("ghcr.io\talice\tfile\tlogged in\tplaintext")
        assert "regtui migrate ghcr.io" in copied
        await pilot.press("2")
        await until(pilot, lambda: bool(app.query_one("ChecksPane").results))
        await pilot.press("j", "y")
        assert app.clipboard.startswith("ghcr.io · https://ghcr.io")
        assert "cause: bad-credentials" in app.clipboard and "fix: log in again: regtui login ghcr.io" in app.clipboard


def test_a_wrapped_fix_line_hangs_under_its_text() -> None:
    console = Console(width=200)
    line = Text("    fix: put the registry's CA in /etc/docker/certs.d/registry.example.com:5000/ca.crt and retry")
    pieces = [p.plain for p in hang(line, 40, len("    fix: "), console)]
    assert pieces[0].startswith("    fix: put") and len(pieces) > 2
    assert all(p.startswith(" " * 9) and not p.startswith(" " * 10) for p in pieces[1:])
    assert all(len(p) <= 40 for p in pieces)
    assert "".join(pieces).replace(" ", "") == line.plain.replace(" ", "")  # nothing lost (a long path folds)
    narrow = [p.plain for p in hang(Text("x" * 10 + " " + "word " * 20), 30, 26, console)]
    assert all(p.startswith("    ") for p in narrow[1:])  # too little room left: a 4-column indent


async def test_the_checks_ladder_wraps_under_its_columns_at_60_columns() -> None:
    app = demo_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await until(pilot, lambda: bool(app.query_one("ChecksPane").results))
        await pilot.press("j", "j")
        shown = str(app.query_one("#check-detail", HangingText).render()).splitlines()
    fix = next(i for i, line in enumerate(shown) if line.startswith("    fix: "))
    assert shown[fix + 1].startswith(" " * 9) and shown[fix + 1].strip()
    assert all(len(line) <= 60 for line in shown)
