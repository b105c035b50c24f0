"""MirrorsPane: every runtime's mirrors in try order; space toggles, a adds, x removes, t tests."""

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
from regtui.ui.widgets.nav_table import NavTable
from regtui.ui.writes import allowed

if TYPE_CHECKING:  # the pane is built at start (mounted after the first frame): no mirror model yet
    from regtui.core.mirrors.model import Mirror, MirrorHealth, MirrorSet


def row_key(mirror_set: MirrorSet, mirror: Mirror) -> str:
    """One row per (runtime, file, registry, URL): the same URL mirroring two registries, or in
    two runtimes, is two rows with two results."""
    return f"{mirror_set.runtime}|{mirror_set.source}|{mirror_set.registry}|{mirror.url}"


class MirrorsPane(Vertical):
    BINDINGS = [
        Binding("space", "switch", "On/off", id="regtui.mirror-toggle"),
        Binding("a", "add", "Add", id="regtui.mirror-add"),
        Binding("x", "remove", "Remove", id="regtui.mirror-remove"),
        Binding("t", "test", "Test", id="regtui.mirror-test"),
    ]

    class ToggleRequested(MirrorRequest):
        """space: switch the selected mirror off, or back on."""

    class AddRequested(MirrorRequest):
        """a: add a mirror (the form starts from the selected row's runtime and registry)."""

    class RemoveRequested(MirrorRequest):
        """x: remove the selected mirror."""

    class TestRequested(Message):
        """t: test every switched-on mirror."""

    class Ready(Message):
        """Mounted (the tab mounts lazily, when first shown): the app fills it in."""

    DEFAULT_CSS = """
    MirrorsPane #mirrors-table { height: 1fr; }
    MirrorsPane #mirror-detail { height: auto; max-height: 10; border-top: solid $primary-darken-2; padding: 0 1; }
    MirrorsPane #mirrors-errors { display: none; color: $error; padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, tuple[MirrorSet, Mirror]] = {}
        self.health: dict[str, MirrorHealth] = {}
        """Test results by row key; a row switched off has none (it is not tested)."""
        self.errors: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static("", id="mirrors-errors")
        yield NavTable(id="mirrors-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="mirror-detail")

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("Runtime", "For", "#", "State", "Mirror", "Health")
        self.post_message(self.Ready())

    def show(self, sets: list[MirrorSet], errors: list[str]) -> None:
        errors_widget = self.query_one("#mirrors-errors", Static)
        errors_widget.update(plain("\n".join(errors)))
        errors_widget.display = bool(errors)
        self.errors = errors
        table = self.query_one(DataTable)
        keep = table.cursor_row
        table.clear()
        self.rows.clear()
        for mirror_set in sets:
            for position, mirror in enumerate(mirror_set.mirrors, 1):
                key = row_key(mirror_set, mirror)
                self.rows[key] = (mirror_set, mirror)
                if not mirror.enabled:
                    self.health.pop(key, None)  # switched off since the test: its result no longer holds
                state = Text("on", style="green") if mirror.enabled else Text("off", style="dim")
                table.add_row(
                    cell(mirror_set.runtime, "bold"),
                    cell(mirror_set.registry),
                    Text(str(position)),
                    state,
                    cell(mirror.url),
                    self._health_cell(key),
                    key=key,
                )
        if table.row_count:
            table.move_cursor(row=min(keep, table.row_count - 1))
        self._show_selected()

    def _health_cell(self, key: str) -> Text:
        health = self.health.get(key)
        if health is None:
            enabled = key in self.rows and self.rows[key][1].enabled
            return Text("" if enabled else "not tested", style="dim")
        if health.healthy:
            return Text(f"ok {health.manifest_ms or health.ping_ms or 0:.0f} ms", style="green")
        return cell(health.cause or "failing", "red")

    def show_health(self, results: dict[str, MirrorHealth]) -> None:
        self.health = dict(results)
        table = self.query_one(DataTable)
        health_column = list(table.columns)[5]
        for key in self.rows:
            table.update_cell(key, health_column, self._health_cell(key), update_width=True)
        self._show_selected()

    def _selected_key(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    @property
    def selected(self) -> tuple[MirrorSet, Mirror] | None:
        return self.rows.get(self._selected_key() or "")

    def _show_selected(self) -> None:
        detail = self.query_one_optional("#mirror-detail", Static)
        chosen = self.selected
        if detail is None:
            return
        if chosen is None:
            if self.errors:  # the file is broken, not empty: the error above says which and where
                detail.update(Text("No mirrors listed: fix the file named above, then r to reload.", style="dim"))
            else:
                detail.update(Text("No mirrors configured. a: add one", style="dim"))
            return
        mirror_set, mirror = chosen
        text = Text()
        text.append(f"{mirror.url}", style="bold")
        text.append(
            f" · {mirror_set.runtime} mirror of {mirror_set.registry} · falls back to "
            f"{mirror_set.upstream or 'the registry itself'}",
            style="dim",
        )
        text.append(f"\nfile: {mirror_set.source}", style="dim")
        text.append(f"\nafter a change: {mirror_set.activation}", style="dim")
        health = self.health.get(self._selected_key() or "")
        if health is not None:
            text.append(f"\nhealth: {health.detail}", style="green" if health.healthy else "red")
        elif not mirror.enabled:
            text.append("\nhealth: not tested (switched off)", style="dim")
        for warning in mirror_set.warnings:
            text.append(f"\n! {warning}", style="yellow")
        detail.update(sanitized(text))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_selected()

    WRITES = frozenset({"switch", "add", "remove"})

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
