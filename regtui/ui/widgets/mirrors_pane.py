"""MirrorsPane: every runtime's mirrors in try order; space toggles, a adds, x removes, t tests."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from regtui.core.mirrors.model import Mirror, MirrorHealth, MirrorSet
from regtui.ui.messages import ActionRequested
from regtui.ui.safe import cell, plain, sanitized


def row_key(mirror_set: MirrorSet, mirror: Mirror) -> str:
    return f"{mirror_set.runtime}|{mirror_set.source}|{mirror.url}"


class MirrorsPane(Vertical):
    BINDINGS = [
        Binding("space", "request('toggle')", "On/off", id="regtui.mirror-toggle"),
        Binding("a", "request('add-mirror')", "Add", id="regtui.mirror-add"),
        Binding("x", "request('remove-mirror')", "Remove", id="regtui.mirror-remove"),
        Binding("t", "request('test-mirrors')", "Test", id="regtui.mirror-test"),
    ]
    DEFAULT_CSS = """
    MirrorsPane #mirrors-table { height: 1fr; }
    MirrorsPane #mirror-detail { height: auto; max-height: 10; border-top: solid $primary-darken-2; padding: 0 1; }
    MirrorsPane #mirrors-errors { display: none; color: $error; padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, tuple[MirrorSet, Mirror]] = {}
        self.health: dict[str, MirrorHealth] = {}

    def compose(self) -> ComposeResult:
        yield Static("", id="mirrors-errors")
        yield DataTable(id="mirrors-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="mirror-detail")

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("Runtime", "For", "#", "State", "Mirror", "Health")

    def show(self, sets: list[MirrorSet], errors: list[str]) -> None:
        errors_widget = self.query_one("#mirrors-errors", Static)
        errors_widget.update(plain("\n".join(errors)))
        errors_widget.display = bool(errors)
        table = self.query_one(DataTable)
        keep = table.cursor_row
        table.clear()
        self.rows.clear()
        for mirror_set in sets:
            for position, mirror in enumerate(mirror_set.mirrors, 1):
                key = row_key(mirror_set, mirror)
                self.rows[key] = (mirror_set, mirror)
                state = Text("on", style="green") if mirror.enabled else Text("off", style="dim")
                table.add_row(
                    cell(mirror_set.runtime, "bold"),
                    cell(mirror_set.registry),
                    Text(str(position)),
                    state,
                    cell(mirror.url),
                    self._health_cell(mirror.url),
                    key=key,
                )
        if table.row_count:
            table.move_cursor(row=min(keep, table.row_count - 1))
        self._show_selected()

    def _health_cell(self, url: str) -> Text:
        health = self.health.get(url)
        if health is None:
            return Text("")
        if health.healthy:
            return Text(f"ok {health.manifest_ms or health.ping_ms or 0:.0f} ms", style="green")
        return cell(health.cause or "failing", "red")

    def show_health(self, results: list[MirrorHealth]) -> None:
        self.health = {r.url: r for r in results}
        table = self.query_one(DataTable)
        health_column = list(table.columns)[5]
        for key, (_, mirror) in self.rows.items():
            table.update_cell(key, health_column, self._health_cell(mirror.url), update_width=True)
        self._show_selected()

    @property
    def selected(self) -> tuple[MirrorSet, Mirror] | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        return self.rows.get(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def _show_selected(self) -> None:
        detail = self.query_one_optional("#mirror-detail", Static)
        chosen = self.selected
        if detail is None:
            return
        if chosen is None:
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
        health = self.health.get(mirror.url)
        if health is not None:
            text.append(f"\nhealth: {health.detail}", style="green" if health.healthy else "red")
        for warning in mirror_set.warnings:
            text.append(f"\n! {warning}", style="yellow")
        detail.update(sanitized(text))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_selected()

    def action_request(self, action: str) -> None:
        self.post_message(ActionRequested(action, self.selected))
