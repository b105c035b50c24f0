"""MirrorsPane: every runtime's mirrors in try order, each row with its own health.

space toggles, a adds, x removes, shift+up/down reorder, E edits the URL, u undoes the last
change, e opens the file in $EDITOR, t (or C) tests every mirror that is on, c the selected one,
i names the image a registry's mirrors are tested with.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Static

from regtui.ui.messages import MirrorRequest
from regtui.ui.safe import cell, plain, sanitized
from regtui.ui.state import TuiState
from regtui.ui.state import mirror_row_key as row_key
from regtui.ui.widgets import mirror_detail
from regtui.ui.widgets.nav_table import NavTable
from regtui.ui.writes import allowed

if TYPE_CHECKING:  # the pane is built at start (mounted after the first frame): no mirror model yet
    from regtui.core.mirrors.model import Mirror, MirrorSet


class MirrorsPane(Vertical):
    BINDINGS = [
        Binding("space", "switch", "On/off", id="regtui.mirror-toggle"),
        Binding("a", "add", "Add", id="regtui.mirror-add"),
        Binding("x", "remove", "Remove", id="regtui.mirror-remove"),
        Binding("t", "test", "Test", id="regtui.mirror-test"),
        Binding("E", "edit_url", "Edit URL", show=False, id="regtui.mirror-edit-url"),
        Binding("shift+up", "move(-1)", "Move up", key_display="⇧↑", show=False, id="regtui.mirror-up"),
        Binding("shift+down", "move(1)", "Move down", key_display="⇧↓", show=False, id="regtui.mirror-down"),
        Binding("u", "undo", "Undo", id="regtui.mirror-undo"),
        Binding("e", "editor", "$EDITOR", show=False, id="regtui.mirror-editor"),
        Binding("c", "test_one", "Test this", show=False, id="regtui.mirror-test-one"),
        Binding("i", "image", "Test image", show=False, id="regtui.mirror-image"),
        Binding("C", "test", "Test all", show=False, id="regtui.mirror-test-all"),
    ]
    MENU = ("edit_url", "move(-1)", "move(1)", "editor", "test_one", "image")
    """Keys kept out of the footer (it has room for the essential ones at 80 columns) that are
    still in the row's menu (Enter); the palette and the help list them too."""

    class ToggleRequested(MirrorRequest):
        """space: switch the selected mirror off, or back on."""

    class AddRequested(MirrorRequest):
        """a: add a mirror (the form starts from the selected row's runtime and registry)."""

    class RemoveRequested(MirrorRequest):
        """x: remove the selected mirror."""

    class TestRequested(Message):
        """t (or C): test every switched-on mirror."""

    class TestOneRequested(MirrorRequest):
        """c: test the selected mirror only."""

    class ImageRequested(MirrorRequest):
        """i: name the image the selected row's registry is tested with."""

    class EditUrlRequested(MirrorRequest):
        """E: change the selected mirror's URL in place."""

    class MoveRequested(MirrorRequest):
        """shift+up / shift+down: the selected mirror ``step`` places later (-1: earlier)."""

        def __init__(self, row: tuple[MirrorSet, Mirror] | None, step: int) -> None:
            super().__init__(row)
            self.step = step

    class UndoRequested(MirrorRequest):
        """u: undo regtui's last change to the selected row's runtime (any runtime when no row)."""

    class EditorRequested(MirrorRequest):
        """e: open the selected row's file in $EDITOR."""

    class Ready(Message):
        """Mounted (the tab mounts lazily, when first shown): the app fills it in."""

    DEFAULT_CSS = """
    MirrorsPane #mirrors-table { height: 1fr; }
    MirrorsPane #mirror-detail { height: auto; max-height: 45%; border-top: solid $primary-darken-2; padding: 0 1; }
    MirrorsPane #mirrors-errors { display: none; color: $error; padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, tuple[MirrorSet, Mirror]] = {}
        self.state = TuiState()
        """The app's state, as last shown (health, test images, the files read)."""

    def compose(self) -> ComposeResult:
        yield Static("", id="mirrors-errors")
        yield NavTable(id="mirrors-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="mirror-detail")

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("Runtime", "For", "#", "State", "Mirror", "Health")
        self.post_message(self.Ready())

    def row_name(self, key: str) -> str:
        """A row as the user reads it: its URL, runtime and registry (the row menu's title)."""
        row = self.rows.get(key)
        return f"{row[1].url} ({row[0].runtime}, {row[0].registry})" if row else key

    def show(self, state: TuiState, select: str | None = None) -> None:
        """Draw the mirrors the app read; the cursor stays on its row number, or goes to ``select``."""
        self.state = state
        errors_widget = self.query_one("#mirrors-errors", Static)
        errors_widget.update(plain("\n".join(state.mirror_errors)))
        errors_widget.display = bool(state.mirror_errors)
        table = self.query_one(DataTable)
        keep = table.cursor_row
        table.clear()
        self.rows.clear()
        for mirror_set in state.mirror_sets or []:
            for position, mirror in enumerate(mirror_set.mirrors, 1):
                key = row_key(mirror_set, mirror)
                self.rows[key] = (mirror_set, mirror)
                if not mirror.enabled:
                    state.mirror_health.pop(key, None)  # switched off since the test: no longer holds
                on = Text("on", style="green") if mirror.enabled else Text("off", style="dim")
                table.add_row(
                    cell(mirror_set.runtime, "bold"),
                    cell(mirror_set.registry),
                    Text(str(position)),
                    on,
                    cell(mirror.url),
                    self._health_cell(key),
                    key=key,
                )
        if table.row_count:
            row = table.get_row_index(select) if select is not None and select in table.rows else keep
            table.move_cursor(row=min(row, table.row_count - 1))
        self._show_selected()

    def _health_cell(self, key: str) -> Text:
        if key in self.rows and not self.rows[key][1].enabled:
            return Text("off", style="dim")
        health = self.state.mirror_health.get(key)
        if health is None:
            return Text("no image", style="yellow") if key in self.state.mirror_untested else Text("")
        if health.healthy:
            return Text(f"ok {health.manifest_ms or health.ping_ms or 0:.0f} ms", style="green")
        return cell(health.cause or "failing", "red")

    def show_health(self, state: TuiState) -> None:
        """The health column (and the detail) again, from the app's state."""
        self.state = state
        self._refresh_health()

    def _refresh_health(self) -> None:
        table = self.query_one(DataTable)
        health_column = list(table.columns)[5]
        for key in self.rows:
            table.update_cell(key, health_column, self._health_cell(key), update_width=True)
        self._show_selected()

    def selected_key(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    @property
    def selected(self) -> tuple[MirrorSet, Mirror] | None:
        return self.rows.get(self.selected_key() or "")

    def _show_selected(self) -> None:
        detail = self.query_one_optional("#mirror-detail", Static)
        if detail is None:
            return
        key = self.selected_key() or ""
        chosen = self.rows.get(key)
        if chosen is None:
            detail.update(sanitized(mirror_detail.empty(self.state.mirror_errors, self.state.mirror_sources)))
            return
        mirror_set, mirror = chosen
        text = mirror_detail.describe(
            mirror_set,
            mirror,
            self.state.mirror_health.get(key),
            self.state.mirror_images.get(mirror_set.registry, ""),
            key in self.state.mirror_untested,
        )
        detail.update(sanitized(text))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_selected()

    WRITES = frozenset({"switch", "add", "remove", "edit_url", "move", "undo", "editor"})

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return allowed(self, action, self.WRITES)  # --read-only: no write key in the footer

    def action_switch(self) -> None:
        self.post_message(self.ToggleRequested(self.selected))

    def action_add(self) -> None:
        self.post_message(self.AddRequested(self.selected))

    def action_remove(self) -> None:
        self.post_message(self.RemoveRequested(self.selected))

    def action_test(self) -> None:
        self.post_message(self.TestRequested())

    def action_test_one(self) -> None:
        self.post_message(self.TestOneRequested(self.selected))

    def action_image(self) -> None:
        self.post_message(self.ImageRequested(self.selected))

    def action_edit_url(self) -> None:
        self.post_message(self.EditUrlRequested(self.selected))

    def action_move(self, step: int) -> None:
        self.post_message(self.MoveRequested(self.selected, step))

    def action_undo(self) -> None:
        self.post_message(self.UndoRequested(self.selected))

    def action_editor(self) -> None:
        self.post_message(self.EditorRequested(self.selected))
