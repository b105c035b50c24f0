"""FilterBar: the ``/`` input above a table; typing filters its rows, Enter keeps, Esc clears."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Input

from regtui.ui.widgets.nav_table import NavTable


class FilterBar(Input):
    BINDINGS = [Binding("escape", "clear_filter", "Clear filter", id="regtui.filter-clear")]
    DEFAULT_CSS = """
    FilterBar { height: 1; border: none; padding: 0 1; background: $boost; }
    FilterBar:focus { border: none; background: $primary 20%; }
    """

    def __init__(self, table: NavTable) -> None:
        super().__init__(placeholder="filter rows · enter keeps · esc clears", classes="filter-bar")
        self.table = table

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.table.filter_rows(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value:
            self.action_clear_filter()
        else:
            self.table.focus()

    def action_clear_filter(self) -> None:
        self.table.filter_rows("")
        self.table.focus()
        self.remove()
