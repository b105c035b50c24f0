"""A crash never prints a secret: no frame's locals reach the terminal, and a worker's exception
becomes a notification while the app keeps running.

Each test types a canary password and asserts it appears nowhere the user (or a screen
recording, or a bug report) could see it.
"""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path

import pytest
from rich.console import Console
from textual.binding import Binding
from textual.widgets import Input

from regtui.core.docker_config import encode_auth
from regtui.ui.app import RegTUI
from regtui.ui.screens.login import LoginModal
from tests.support.fault_servers import UNAUTHORIZED_JSON, FaultServer, http_answer
from tests.support.pty_run import Terminal
from tests.ui.apps import demo_app

CANARY = "Canary-Pw-7f3a9e"
BAD_REALM = 'Bearer realm="http://127.0.0.1:0x50/token",service="registry"'


@pytest.fixture
def no_reraise(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(RegTUI, "reraise_unexpected", False)


def _capture_errors(app: RegTUI) -> io.StringIO:
    """What Textual prints to the terminal when the app ends (the crash report)."""
    buffer = io.StringIO()
    app.error_console = Console(file=buffer, width=160, force_terminal=False, color_system=None)
    return buffer


async def test_a_failing_worker_is_a_notification_and_the_app_goes_on(no_reraise: None) -> None:
    async def login(registry, username, password, store, **options):  # noqa: ANN001, ANN003, ANN202
        auth = (username, password)  # a local holding the secret, as the token request has
        raise RuntimeError(f"token server exploded for {registry} ({len(auth)} parts)")

    app = demo_app(login=login)
    printed = _capture_errors(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, LoginModal)
        app.screen.query_one("#login-password", Input).value = CANARY
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running and not isinstance(app.screen, LoginModal)
        [note] = [n for n in app._notifications if n.title == "unexpected error"]
        assert note.message.startswith("RuntimeError: token server exploded for docker.io")
        assert [type(e) for e in app.unexpected_errors] == [RuntimeError]
        await pilot.press("down")  # still answering keys
        await pilot.press("q")
    assert app.return_code == 0
    shown = printed.getvalue() + "".join(n.message for n in app._notifications)
    assert CANARY not in shown and "Traceback" not in printed.getvalue()


class _Crashes(RegTUI):
    BINDINGS = [Binding("z", "crash", "crash")]

    def action_crash(self) -> None:
        password = CANARY  # noqa: F841  (a local Textual's default handler would print)
        config_text = json.dumps({"auths": {"ghcr.io": {"auth": encode_auth("alice", CANARY)}}})  # noqa: F841
        raise RuntimeError("a bug in a key handler")


async def test_a_crash_outside_workers_ends_the_app_without_locals() -> None:
    from regtui.app.demo import DemoWorkstation

    app = _Crashes(DemoWorkstation())
    printed = _capture_errors(app)
    with pytest.raises(RuntimeError, match="a bug in a key handler"):
        async with app.run_test(size=(100, 30)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.press("z")
            await pilot.pause()
    report = printed.getvalue()
    assert "Traceback" in report and "RuntimeError: a bug in a key handler" in report
    assert CANARY not in report and encode_auth("alice", CANARY) not in report
    assert "password" not in report.replace("password = CANARY", "")  # the source line, not a value


def _bad_realm_registry(docker_dir: Path) -> tuple[FaultServer, str]:
    headers = {
        "Content-Type": "application/json",
        "Docker-Distribution-Api-Version": "registry/2.0",
        "WWW-Authenticate": BAD_REALM,
    }
    server = FaultServer("custom", answer=http_answer("401 Unauthorized", headers, UNAUTHORIZED_JSON)).start()
    (docker_dir / "config.json").write_text(json.dumps({"auths": {server.host: {"auth": encode_auth("alice", "x")}}}))
    return server, server.host


def _wait_for_any(terminal: Terminal, needles: tuple[str, ...], timeout: float = 30.0) -> str:
    import time

    end = time.monotonic() + timeout
    while time.monotonic() < end:
        for needle in needles:
            if needle in terminal.text:
                return needle
        terminal.type("", settle=0.2)
    raise AssertionError(f"none of {needles} appeared:\n{terminal.text[-3000:]}")


def test_real_regtui_login_against_a_bad_realm_prints_no_password(docker_dir: Path) -> None:
    """The reported case: `regtui`, l, a password, and a registry whose realm does not parse."""
    server, host = _bad_realm_registry(docker_dir)
    regtui = str(Path(sys.executable).parent / "regtui")
    try:
        with Terminal([regtui], dict(os.environ)) as terminal:
            terminal.wait_for(host)
            terminal.type("l", settle=1.0)
            terminal.wait_for("Password or access token")
            terminal.type(CANARY + "\r", settle=0.5)
            found = _wait_for_any(terminal, ("unexpected error", "failed at"))
            if found == "failed at":  # the refusal is shown inside the form, which stays open
                terminal.type("\x1b", settle=0.5)
            terminal.type("q")
            code = terminal.finish()
    finally:
        server.close()
    assert code == 0, terminal.text[-3000:]
    assert CANARY.encode() not in terminal.output and CANARY not in terminal.text
    assert "Traceback" not in terminal.text
    assert json.loads((docker_dir / "config.json").read_text())["auths"][host]["auth"] == encode_auth("alice", "x")


_FORCED = """
import sys
from textual.binding import Binding
from regtui.app.real import RealWorkstation
from regtui.ui.app import RegTUI

async def login(registry, username, password, store, **options):
    auth = (username, password)
    raise RuntimeError("injected failure in the login service")

class App(RegTUI):
    BINDINGS = [Binding("z", "crash", "crash")]
    def action_crash(self):
        password = sys.argv[1]
        raise RuntimeError("injected crash in a key handler")

workstation = RealWorkstation()
workstation.login = login
app = App(workstation)
app.run()
sys.exit(app.return_code or 0)
"""


def test_real_process_forced_crashes_print_no_password(docker_dir: Path) -> None:
    """Independent of any bug in the core: a failing service (the app goes on), then a failing key
    handler (the app ends with a traceback), in a real terminal. The canary is nowhere."""
    (docker_dir / "config.json").write_text(json.dumps({"auths": {"127.0.0.1:9": {"auth": encode_auth("al", "x")}}}))
    with Terminal([sys.executable, "-c", _FORCED, CANARY], dict(os.environ)) as terminal:
        terminal.wait_for("127.0.0.1:9")
        terminal.type("l", settle=1.0)
        terminal.wait_for("Password or access token")
        terminal.type(CANARY + "\r", settle=0.5)
        terminal.wait_for("injected failure in the login")
        terminal.type("z", settle=0.5)
        code = terminal.finish()
    assert code == 1
    assert "RuntimeError: injected crash in a key handler" in terminal.text
    assert CANARY.encode() not in terminal.output and CANARY not in terminal.text
