"""Navigation states as a person sees them (issue 10, items 3 and 9), at 100x30, 80x24 and 60x20."""

from __future__ import annotations

import pytest

from tests.ui.apps import demo_app
from tests.ui.test_snapshots import keys

SIZES = [(80, 24), (60, 20)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_filtered_registries(snap_compare, size: tuple[int, int]) -> None:
    """`/` then "io": a filter line above the table, three rows left (registry.example.com:5000 hidden)."""
    assert snap_compare(demo_app(), run_before=keys("slash", "i", "o"), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_row_action_menu(snap_compare, size: tuple[int, int]) -> None:
    """Enter on ghcr.io: a small menu titled "ghcr.io: actions" with l, d, m, c, each with its name."""
    assert snap_compare(demo_app(), run_before=keys("down", "enter"), terminal_size=size)


def test_sorted_checks_reversed(snap_compare) -> None:
    """The Checks tab sorted by Verdict, reversed (S after s s): "Verdict ▼" in the header, healthy first
    and the cursor on it;
    the summary line reads 1 healthy · 3 failing · 0 running · c/C: check one/all."""
    assert snap_compare(demo_app(), run_before=keys("2", "s", "s", "S"), terminal_size=(100, 30))


def _with_messages():  # noqa: ANN202
    from datetime import datetime

    app = demo_app()
    app.clock = lambda: datetime(2026, 11, 30, 9, 15, 0)
    return app


@pytest.mark.parametrize("size", [*SIZES, (100, 30)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_message_log(snap_compare, size: tuple[int, int]) -> None:
    """L after an error and a note: a table of messages (newest first, 09:15:00), the selected
    error below in full, every line of its fix; the footer says esc closes and y copies."""

    async def run_before(pilot) -> None:  # noqa: ANN001
        from regtui.core.errors import ConfigError

        error = ConfigError("is not valid JSON", path="/etc/docker/daemon.json", line=3, fix="fix the file\nthen r")
        pilot.app.notify(error.render(), title="no change written", severity="error", markup=False)
        pilot.app.notify("report written to /tmp/regtui-report.md (user names masked)", markup=False)
        await keys("L", "j")(pilot)
        pilot.app.clear_notifications()  # the toasts would cover the log
        await pilot.pause()

    assert snap_compare(_with_messages(), run_before=run_before, terminal_size=size)


@pytest.mark.parametrize("size", [*SIZES, (100, 30)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_status_line_and_ladder(snap_compare, size: tuple[int, int]) -> None:
    """Checks tab after every tab was read: the status line counts registries, plaintext, failing,
    mirrors off and pulls left; ghcr.io's ladder wraps under its detail column, its fix under "fix:"."""
    assert snap_compare(demo_app(), run_before=keys("3", "4", "2", "j"), terminal_size=size)


@pytest.mark.parametrize("size", [*SIZES, (100, 30)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_rate_limit_over_time(snap_compare, size: tuple[int, int]) -> None:
    """Rate limit tab: both cards, "read at 09:15:00 · auto-refresh off (a: on)", a sparkline of
    eight readings (seven made up earlier, 200 down to 187) and its caption."""
    assert snap_compare(_with_messages(), run_before=keys("4"), terminal_size=size)


def kept_app():  # noqa: ANN201
    """Every demo registry's result from earlier runs: most this morning, one the day before."""
    from regtui.app import demo_data
    from regtui.core.check_history import as_kept

    kept = [  # as a later run reads them back: no detail, user or fix
        as_kept(r, "2026-11-29T18:40:00+01:00" if i == 1 else "2026-11-30T08:02:00+01:00")
        for i, r in enumerate(demo_data.CHECKS)
    ]
    return demo_app(kept_checks=lambda: (kept, ""))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_kept_results_on_the_registries_tab(snap_compare, size: tuple[int, int]) -> None:
    """At start, the Latency column holds the earlier runs' times, dimmed (a ✗ where one failed)."""
    assert snap_compare(kept_app(), run_before=keys(), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_kept_results_on_the_checks_tab(snap_compare, size: tuple[int, int]) -> None:
    """The Checks tab shows them dimmed, not checked again; the summary says how many come from an
    earlier run and when; the detail of the selected one says "checked 08:02, in an earlier run"."""
    assert snap_compare(kept_app(), run_before=keys("2"), terminal_size=size)
