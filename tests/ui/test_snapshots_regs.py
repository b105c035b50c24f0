"""The Registries pane's forms and states (issue 10 items 1, 2, 8; issue 11) at 80x24 and 60x20."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from regtui.app.workstation import StoreOption
from regtui.core.errors import RegtuiError
from tests.ui.apps import auth_json_app, demo_app
from tests.ui.test_snapshots import keys, settle

SIZES = [(80, 24), (60, 20)]
IDS = [f"{w}x{h}" for w, h in SIZES]


async def _refused(*args: object, **options: object) -> object:
    raise RegtuiError(
        "login to quay.io failed at credentials: the token server refused the credentials (401: unauthorized)",
        fix="check the user name and the password or token",
    )


def login_typed(*pressed: str):  # noqa: ANN201
    """Open the form on quay.io, type a user and a password, then press ``pressed``."""

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("down", "down", "down", "l")
        for _ in range(100):
            if type(pilot.app.screen).__name__ == "LoginModal":
                break
            await pilot.pause(0.02)
        await pilot.press(*"bob", "tab", *"s3cret")
        for key in pressed:
            await pilot.press(key)
            await pilot.pause(0.1)
        await settle(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_login_refused_inside_the_form(snap_compare, size: tuple[int, int]) -> None:
    """The login form stays open after a refusal: user bob and the masked password still there, and
    in red at the bottom "✗ failed at: …" with the server's answer and the fix; buttons on screen."""
    assert snap_compare(demo_app(login=_refused), run_before=login_typed("enter"), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_login_without_a_keyring(snap_compare, size: tuple[int, int]) -> None:
    """No OS keyring: a yellow line under Store says so and why; the selector offers the file only."""
    stores = [
        StoreOption("keyring", "OS keyring (docker-credential-regtui)", False, "no OS keyring is available here"),
        StoreOption("file", "the file itself, in plaintext (warned first)"),
    ]
    assert snap_compare(demo_app(login_stores=lambda: stores), run_before=login_typed(), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_login_plaintext_warning(snap_compare, size: tuple[int, int]) -> None:
    """Store = plaintext and enter: the warning (UNENCRYPTED, press again) in the form; the button
    now reads "Store in plaintext"; nothing was written."""
    stores = [StoreOption("file", "the file itself, in plaintext (warned first)")]
    app = demo_app(login_stores=lambda: stores)
    assert snap_compare(app, run_before=login_typed("enter"), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_auth_json_rows_small(snap_compare, size: tuple[int, int]) -> None:
    """docker's and the auth.json rows at a small size, the auth.json quay.io row selected."""
    assert snap_compare(auth_json_app(), run_before=keys("down", "down", "down"), terminal_size=size)


def test_read_only_footer(snap_compare) -> None:
    """--read-only: the footer shows Check (no Log in, Log out, Migrate); the header says read-only."""
    assert snap_compare(demo_app(read_only=True), run_before=settle, terminal_size=(100, 30))


def test_demo_header(snap_compare) -> None:
    """--demo: the header's subtitle says DEMO: made-up data, nothing stored."""
    assert snap_compare(demo_app(demo=True), run_before=settle, terminal_size=(100, 30))


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_ca_directory_modal(snap_compare, size: tuple[int, int]) -> None:
    """f on the untrusted-certificate check: the CA's directory /etc/docker/certs.d/registry.example.com:5000/
    in bold, the command that puts a CA there, Close and Copy the path on screen."""
    assert snap_compare(demo_app(), run_before=keys("2", "down", "down", "f"), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_fix_menu(snap_compare, size: tuple[int, int]) -> None:
    """f on a row with two problems (plaintext in a file others may read): a menu of the two fixes."""
    from tests.ui.apps import fix_menu_app

    assert snap_compare(fix_menu_app(), run_before=keys("f"), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_dangling_helper_removal_shows_the_diff(snap_compare, size: tuple[int, int]) -> None:
    """f on quay.io, whose helper is not installed: the entries removed, then config.json's diff in
    red and green (the credHelpers line, quay.io's {} entry; ghcr.io's auth redacted in the
    context); Cancel and Remove on screen."""
    from tests.ui.apps import dangling_app

    assert snap_compare(dangling_app(), run_before=keys("f"), terminal_size=size)
