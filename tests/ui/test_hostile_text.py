"""Names and messages from files and servers are shown as text: never parsed as markup, never
passed to the terminal as control sequences (a registry named ``[/]`` used to crash the TUI)."""

from __future__ import annotations

import json
from pathlib import Path

from regtui.app.real import RealWorkstation
from regtui.app.workstation import MirrorListing, RateLimitReading
from regtui.core.docker_config import encode_auth
from regtui.core.errors import ConfigError
from regtui.core.mirrors.model import Mirror, MirrorHealth, MirrorSet
from regtui.core.ratelimit_model import RateLimitStatus
from regtui.core.registry.model import CheckResult, Step
from regtui.ui.app import RegTUI
from regtui.ui.screens.confirm import ConfirmModal
from regtui.ui.screens.login import LoginModal

HOSTILE = ("[/]", "[bold red]x", "\x1b]0;pwn\x07", "[link=https://evil]y")
ESCAPE_MARKS = ("\x1b", "&#27;", "&#x1b;", "\x07", "\x9b")


def _hostile_workstation(docker_dir: Path):  # noqa: ANN202
    from tests.ui.apps import override

    auths = {name: {"auth": encode_auth(f"user{name}", "pw")} for name in HOSTILE}
    (docker_dir / "config.json").write_text(json.dumps({"auths": auths}))
    bad = " ".join(HOSTILE)

    async def check(names):  # noqa: ANN001, ANN202
        for name in names:
            step = Step("ping", "fail", 1.0, bad, bad, f"fix {bad}")
            yield CheckResult(name, f"https://{name}", (step,), None, None, 3)

    async def ratelimit():  # noqa: ANN202
        status = RateLimitStatus("authenticated", "error", bad, None, None, None, (bad,), bad, None, bad, bad)
        return RateLimitReading(status, status, bad)

    sets = [
        MirrorSet("docker", bad, (Mirror(f"https://m.example/{bad}"),), Path(f"/etc/{bad}"), bad, bad, warnings=(bad,))
    ]
    error = ConfigError(f"is not valid JSON: {bad}", path=f"/etc/{bad}", line=1)

    async def health(mirror_sets):  # noqa: ANN001, ANN202
        return [MirrorHealth(f"https://m.example/{bad}", False, None, None, bad, bad)]

    return override(
        RealWorkstation(),
        check=check,
        read_ratelimit=ratelimit,
        list_mirrors=lambda: MirrorListing(sets, [error]),
        test_mirrors=health,
    )


def screen_text(app: RegTUI) -> str:
    """Every character on the screen (the modal and what is under it), without styles."""
    import io

    from rich.console import Console

    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True, record=True)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text(styles=False)


def _assert_clean(app: RegTUI) -> None:
    screen = screen_text(app)
    for mark in ESCAPE_MARKS:
        assert mark not in screen, f"{mark!r} reached the terminal"


async def test_hostile_names_everywhere_are_text(docker_dir: Path) -> None:
    app = RegTUI(_hostile_workstation(docker_dir))
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "[/]" in screen_text(app) and "[bold red]x" in screen_text(app)
        for _ in HOSTILE:
            await pilot.press("down")
            _assert_clean(app)
        await pilot.press("d")  # the logout confirmation names the registry
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        _assert_clean(app)
        await pilot.press("escape", "l")
        await pilot.pause()
        assert isinstance(app.screen, LoginModal)
        _assert_clean(app)
        await pilot.press("escape")
        for tab in ("2", "3", "4"):
            await pilot.press(tab)
            await app.workers.wait_for_complete()
            await pilot.pause()
            if tab == "3":
                await pilot.press("t")
                await app.workers.wait_for_complete()
                await pilot.pause()
            _assert_clean(app)
        assert "[bold red]x" in screen_text(app)
        app.notify("\x1b]52;c;cHduZWQ=\x07 [/] from a server", markup=False)
        await pilot.pause()
        assert all("\x1b" not in n.message for n in app._notifications)
    assert app.unexpected_errors == []
