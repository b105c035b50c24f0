"""What ``y`` copies: the selected row with what the pane says about it (its fix, its error)."""

from __future__ import annotations

from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from regtui.ui.widgets.nav_table import NavTable


def _own_text(node: object) -> str | None:
    copy = getattr(node, "copy_text", None)
    return copy() if callable(copy) else None


def selection_text(screen: Screen[object], focused: Widget | None) -> str | None:
    """The screen's or the pane's own ``copy_text()`` when it has one; otherwise the focused
    table's row (tab-separated) and, under it, the text of the pane's ``*-detail`` widget."""
    own = _own_text(screen)
    if own is not None:
        return own
    for node in focused.ancestors_with_self if focused is not None else ():
        own = _own_text(node)
        if own is not None:
            return own
    if not isinstance(focused, NavTable) or focused.cursor_key is None:
        return None
    row = focused.row_text(focused.cursor_key)
    pane = focused.parent
    details = [w for w in pane.query(Static) if (w.id or "").endswith("-detail")] if isinstance(pane, Widget) else []
    detail = "\n".join(str(w.render()).rstrip() for w in details if w.display)
    return row + (f"\n{detail}" if detail else "")
