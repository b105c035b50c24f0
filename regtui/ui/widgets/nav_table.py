"""NavTable: the DataTable every pane uses, with the keys a k9s or lazygit user expects.

j/k, g/G, Home/End, PageUp/PageDown move the cursor; ``s`` cycles the sort column and ``S``
reverses it (a header click sorts by that column, a second click reverses); Enter asks for the
row's action menu. ``filter_rows`` shows only the rows containing a text. The table keeps
every row it was given, shown or not, so a filter or sort never loses a row and the panes
fill it as they always did (add_row, update_cell, clear).
"""

from __future__ import annotations

from itertools import count
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey

from regtui.ui.widgets.columns import ARROWS, base_label, fitted, plain, sort_key

if TYPE_CHECKING:
    from regtui.ui.widgets.filter_bar import FilterBar

_keys = count(1)


def _label(text: str) -> Text:
    return Text(text, no_wrap=True, overflow="ellipsis")


class NavTable(DataTable[Any]):
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="regtui.down"),
        Binding("k", "cursor_up", "Up", show=False, id="regtui.up"),
        Binding("g,home", "scroll_top", "First row", show=False, id="regtui.first"),
        Binding("G,end", "scroll_bottom", "Last row", show=False, id="regtui.last"),
        Binding("s", "cycle_sort", "Sort", show=False, id="regtui.sort"),
        Binding("S", "reverse_sort", "Reverse sort", show=False, id="regtui.sort-reverse"),
        Binding("enter", "menu", "Actions", show=False, id="regtui.menu"),
        Binding("slash", "filter", "Filter", show=False, id="regtui.filter"),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="regtui.filter-clear"),
    ]

    UNCUT: frozenset[str] = frozenset()
    """Labels of the columns fitting never cuts (their cells are short and their end matters)."""

    class MenuRequested(Message):
        """Enter on a row: the app shows the actions that apply to it."""

        def __init__(self, table: NavTable) -> None:
            super().__init__()
            self.table = table

    def __init__(self, **kwargs: Any) -> None:
        self._model: dict[str, list[Any]] = {}
        """Every row, shown or filtered out, in the order the pane added them."""
        super().__init__(**kwargs)
        self.filter_text = ""
        self.sort_column: str | None = None
        """The sorted column's label (labels survive ``clear(columns=True)``; keys do not)."""
        self.sort_reverse = False
        self._sort_pending = False
        self._natural: dict[Any, int | None] = {}
        """Each column's width as the pane asked for it (None: as wide as its cells)."""
        self._fit_pending = False

    # -- the pane fills the table as it would a DataTable ----------------------------------------
    def add_row(self, *cells: Any, height: int | None = 1, key: str | None = None, label: Any = None) -> RowKey:
        key = key if key is not None else f"regtui-row-{next(_keys)}"
        self._model[key] = list(cells)
        if not self._matches(cells):
            return RowKey(key)
        row_key = super().add_row(*cells, height=height, key=key, label=label)
        self._schedule_sort()
        return row_key

    def update_cell(self, row_key: RowKey | str, column_key: Any, value: Any, *, update_width: bool = False) -> None:
        key = row_key.value if isinstance(row_key, RowKey) else row_key
        cells = self._model.get(key or "")
        index = list(self.columns).index(column_key) if column_key in self.columns else -1
        if cells is not None and index >= 0:
            cells.extend([""] * (index + 1 - len(cells)))
            cells[index] = value
        if key in self.rows:
            super().update_cell(row_key, column_key, value, update_width=update_width)
            self._schedule_sort()

    def remove_row(self, row_key: RowKey | str) -> None:
        key = row_key.value if isinstance(row_key, RowKey) else row_key
        self._model.pop(key or "", None)
        if key in self.rows:
            super().remove_row(row_key)

    def clear(self, columns: bool = False) -> NavTable:
        self._model.clear()
        super().clear(columns)
        return self

    def has_row(self, key: str) -> bool:
        """The pane gave this row (it may be filtered out)."""
        return key in self._model

    @property
    def total_rows(self) -> int:
        """Rows the pane gave, shown or filtered out."""
        return len(self._model)

    def row_text(self, key: str) -> str:
        """The row as a line of text (for copying): its cells, tab-separated."""
        return "\t".join(plain(c) for c in self._model.get(key, [])).rstrip("\t")

    @property
    def cursor_key(self) -> str | None:
        if not self.row_count:
            return None
        return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value

    # -- fit: every column stays on screen, the long ones truncated -----------------------------
    def add_column(self, label: Any, *, width: int | None = None, key: str | None = None, default: Any = None) -> Any:
        label = _label(label) if isinstance(label, str) else label  # a narrowed column's header ends in …
        column_key = super().add_column(label, width=width, key=key, default=default)
        self._natural[column_key] = width
        self._schedule_fit()
        return column_key

    def on_resize(self) -> None:
        self._schedule_fit()

    async def _on_idle(self, event: events.Idle) -> None:
        """DataTable measures changed cells when idle; refit when a column's content width moved."""
        before = [c.content_width for c in self.ordered_columns]
        await super()._on_idle(event)
        if [c.content_width for c in self.ordered_columns] != before:
            self.fit_columns()

    def _schedule_fit(self) -> None:
        if not self._fit_pending:
            self._fit_pending = True
            self.call_after_refresh(self.fit_columns)

    def fit_columns(self) -> None:
        """Narrow the widest columns (their cells end in …) until every column fits the width."""
        self._fit_pending = False
        columns = self.ordered_columns
        room = self.scrollable_content_region.width - 2 * self.cell_padding * len(columns)
        if not columns or room <= 0:
            return
        natural = [self._natural.get(c.key) or c.content_width for c in columns]
        uncut = frozenset(i for i, c in enumerate(columns) if base_label(c.label) in self.UNCUT)
        for column, width, want in zip(columns, natural, fitted(natural, room, uncut=uncut), strict=True):
            auto = self._natural.get(column.key) is None and want == width
            if column.auto_width != auto or (not auto and column.width != want):
                column.auto_width, column.width = auto, want
                self._require_update_dimensions = True
        if self._require_update_dimensions:
            self._clear_caches()  # rows drawn at the old widths are cached: drop them, or rows disagree
        self.refresh()

    # -- filter ----------------------------------------------------------------------------------
    def _matches(self, cells: tuple[Any, ...] | list[Any]) -> bool:
        needle = self.filter_text.casefold()
        return not needle or any(needle in plain(c).casefold() for c in cells)

    def filter_rows(self, text: str) -> None:
        """Show only the rows with ``text`` in a cell (any case); an empty text shows them all."""
        if text == self.filter_text:
            return
        self.filter_text = text
        keep = self.cursor_key
        self._redraw_rows()
        self._resort(keep)

    def _redraw_rows(self) -> None:
        """Show the model's rows that pass the filter, in the model's order."""
        DataTable.clear(self)
        for key, cells in self._model.items():
            if self._matches(cells):
                DataTable.add_row(self, *cells, key=key)

    def order_rows(self, keys: list[str]) -> None:
        """Put these rows first, in this order (the others keep theirs, after them)."""
        wanted = [k for k in keys if k in self._model]
        order = wanted + [k for k in self._model if k not in set(wanted)]
        if order == list(self._model):
            return
        self._model = {k: self._model[k] for k in order}
        row = self.cursor_row  # a correction of the order, not a sort: the cursor keeps its place
        self._redraw_rows()
        self._resort(None)
        if self.row_count:
            self.move_cursor(row=min(row, self.row_count - 1), animate=False)

    def _bar(self) -> FilterBar | None:
        from regtui.ui.widgets.filter_bar import FilterBar

        parent = self.parent
        bars = parent.query_children(FilterBar) if parent is not None else None
        return next((b for b in bars if b.table is self), None) if bars else None

    def action_filter(self) -> None:
        """Open (or go back to) the filter input right above the table."""
        from regtui.ui.widgets.filter_bar import FilterBar

        bar = self._bar()
        if bar is None and isinstance(self.parent, Widget):
            bar = FilterBar(self)
            self.parent.mount(bar, before=self)
        if bar is not None:
            bar.focus()

    def action_clear_filter(self) -> None:
        bar = self._bar()
        if bar is not None:
            bar.action_clear_filter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_filter":
            return self._bar() is not None  # otherwise escape means what it means around the table
        return True

    # -- sort ------------------------------------------------------------------------------------
    def action_cycle_sort(self) -> None:
        labels = [base_label(c.label) for c in self.ordered_columns]
        if not labels:
            return
        now = labels.index(self.sort_column) if self.sort_column in labels else -1
        self.sort_by(labels[(now + 1) % len(labels)], reverse=False)

    def action_reverse_sort(self) -> None:
        if self.sort_column is None and self.ordered_columns:
            self.sort_column = base_label(self.ordered_columns[0].label)
        self.sort_by(self.sort_column or "", reverse=not self.sort_reverse)

    def sort_by(self, label: str, reverse: bool = False) -> None:
        self.sort_column, self.sort_reverse = label, reverse
        self._resort(self.cursor_key)

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        label = base_label(event.label)
        self.sort_by(label, reverse=not self.sort_reverse if label == self.sort_column else False)

    def _schedule_sort(self) -> None:
        if self.sort_column is not None and not self._sort_pending:
            self._sort_pending = True
            self.call_later(self._resort_later)

    def _resort_later(self) -> None:
        self._resort(self.cursor_key)

    def _resort(self, keep: str | None) -> None:
        """Order the shown rows by the sort column; the cursor stays on its row."""
        self._sort_pending = False
        column = next((c for c in self.ordered_columns if base_label(c.label) == self.sort_column), None)
        for each in self.ordered_columns:
            name = base_label(each.label)
            shown = name + (ARROWS[self.sort_reverse] if each is column else "")
            if plain(each.label) != shown:
                each.label = _label(shown)
                if not each.auto_width and each.width < len(shown):
                    each.width = len(shown)
                self._require_update_dimensions = True
        if column is not None:
            self.sort(column.key, key=sort_key, reverse=self.sort_reverse)
        if keep is not None and keep in self.rows:
            self.move_cursor(row=self.get_row_index(keep), animate=False)
        self.refresh()

    def action_menu(self) -> None:
        if self.row_count:
            self.post_message(self.MenuRequested(self))
