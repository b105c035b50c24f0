"""What a person sees, tab by tab, modal by modal, and in the error states (pytest-textual-snapshot)."""

from __future__ import annotations

from textual.pilot import Pilot

from regtui.app.workstation import MirrorListing, RateLimitReading
from regtui.core.errors import ConfigError
from regtui.core.ratelimit import RateLimitStatus
from tests.ui.apps import demo_app, empty_app, malformed_app

SIZE = (100, 30)


async def settle(pilot: Pilot) -> None:
    # A write flow waits on its modal on purpose: settle everything else. (An empty list would wait forever.)
    # A lazily mounted tab starts its worker a frame or two later, so look again until none is left:
    # on a loaded machine a single look missed the rate-limit read and caught its loading state.
    quiet = 0
    for _ in range(50):
        await pilot.pause()
        others = [w for w in pilot.app.workers if w.group != "write" and not w.is_finished]
        quiet = 0 if others else quiet + 1
        if quiet == 2:
            break
        if others:
            await pilot.app.workers.wait_for_complete(others)
    for field in pilot.app.screen.query("Input"):
        field.cursor_blink = False


def keys(*pressed: str):  # noqa: ANN201
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        for key in pressed:
            await pilot.press(key)
            await settle(pilot)

    return run_before


def test_registries_tab(snap_compare) -> None:
    """Four registries; docker.io highlighted, its detail says where the secret lives and that all is well."""
    assert snap_compare(demo_app(), run_before=settle, terminal_size=SIZE)


def test_registry_with_a_failing_helper(snap_compare) -> None:
    """The third row highlighted: the detail shows the helper's own D-Bus error in red."""
    assert snap_compare(demo_app(), run_before=keys("down", "down"), terminal_size=SIZE)


def test_no_registries(snap_compare) -> None:
    """An empty table and a hint to log in."""
    assert snap_compare(empty_app(), run_before=settle, terminal_size=SIZE)


def test_malformed_config(snap_compare) -> None:
    """A red box naming the file, line and column, and the fix; no table."""
    assert snap_compare(malformed_app(), run_before=settle, terminal_size=SIZE)


def test_checks_tab(snap_compare) -> None:
    """One healthy registry and three failing ones; ghcr.io's ladder below with its cause and fix."""
    assert snap_compare(demo_app(), run_before=keys("2", "down"), terminal_size=SIZE)


def test_checks_untrusted_certificate(snap_compare) -> None:
    """The TLS failure: the fix names /etc/docker/certs.d/registry.example.com:5000/ca.crt."""
    assert snap_compare(demo_app(), run_before=keys("2", "down", "down"), terminal_size=SIZE)


def test_mirrors_tab(snap_compare) -> None:
    """Docker (one on, one off), containerd and podman mirrors in try order, with the activation step."""
    assert snap_compare(demo_app(), run_before=keys("3"), terminal_size=SIZE)


def test_mirror_toggle_shows_the_diff_first(snap_compare) -> None:
    """Space on the disabled mirror: a modal with the daemon.json diff and what activates it."""
    assert snap_compare(demo_app(), run_before=keys("3", "down", "space"), terminal_size=SIZE)


def test_mirror_health(snap_compare) -> None:
    """After t: mirror.gcr.io ok with its latency, the corp cache unreachable."""
    assert snap_compare(demo_app(), run_before=keys("3", "t"), terminal_size=SIZE)


def test_mirrors_with_a_broken_file(snap_compare) -> None:
    """A malformed daemon.json is named with its line; the other runtimes are still listed."""
    from regtui.app import demo_data

    broken = ConfigError("is not valid JSON: Expecting value", path="/etc/docker/daemon.json", line=3, column=5)
    app = demo_app(list_mirrors=lambda: MirrorListing(demo_data.MIRRORS[1:], [broken]))
    assert snap_compare(app, run_before=keys("3"), terminal_size=SIZE)


def test_rate_limit_tab(snap_compare) -> None:
    """Anonymous 23 of 100 and logged in 187 of 200, gauges, 6-hour window, sources; no reset time invented."""
    assert snap_compare(demo_app(), run_before=keys("4"), terminal_size=SIZE)


def test_rate_limit_exhausted_and_not_logged_in(snap_compare) -> None:
    """Exhausted in red with its fix; the logged-in card says why it is empty."""

    async def read():
        return RateLimitReading(
            RateLimitStatus(
                "anonymous",
                "exhausted",
                None,
                100,
                0,
                21600,
                ("100;w=21600",),
                "203.0.113.7",
                429,
                "pull rate limit reached (429 toomanyrequests)",
                "wait for pulls to leave the window, log in, or pull through a mirror",
            ),
            None,
            "not logged in to Docker Hub",
        )

    assert snap_compare(demo_app(read_ratelimit=read), run_before=keys("4"), terminal_size=SIZE)


def test_login_modal(snap_compare) -> None:
    """l on quay.io: the login form, registry filled in, password field masked."""
    assert snap_compare(demo_app(), run_before=keys("down", "down", "down", "l"), terminal_size=SIZE)


def test_help(snap_compare) -> None:
    """? shows every key, per tab."""
    assert snap_compare(demo_app(), run_before=keys("question_mark"), terminal_size=SIZE)


def test_read_only(snap_compare) -> None:
    """--read-only: the subtitle says so; the footer offers no Log in, Log out or Migrate, and d does nothing."""
    app = demo_app(read_only=True)
    assert snap_compare(app, run_before=keys("d"), terminal_size=SIZE)


def test_registries_with_auth_json_rows(snap_compare) -> None:
    """docker's config.json rows, then podman/skopeo's auth.json rows: File and Read by columns; the
    auth.json quay.io row highlighted, its detail says docker reads config.json's and the migrate fix."""
    from tests.ui.apps import auth_json_app

    assert snap_compare(auth_json_app(), run_before=keys("down", "down", "down"), terminal_size=(120, 30))
