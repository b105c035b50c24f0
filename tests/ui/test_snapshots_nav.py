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
