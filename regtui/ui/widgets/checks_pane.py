"""ChecksPane: the check ladder of every registry, filled in live as each check finishes."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import DataTable, Static

from regtui.core.registry.model import FAIL, OK, SKIP, WARN, CheckResult
from regtui.ui.messages import ActionRequested
from regtui.ui.safe import cell, sanitized

_MARK = {OK: ("✓", "green"), FAIL: ("✗", "bold red"), WARN: ("!", "yellow"), SKIP: ("-", "dim")}


def _verdict(result: CheckResult | None) -> Text:
    if result is None:
        return Text("checking…", style="dim italic")
    return Text("healthy", style="green") if result.healthy else Text("failing", style="bold red")


def ladder(result: CheckResult) -> Text:
    """Every step with its time; the failing one with its cause and fix."""
    text = Text()
    text.append(result.registry, style="bold")
    text.append(f" · {result.endpoint} · {result.ms:.0f} ms", style="dim")
    for step in result.steps:
        mark, style = _MARK.get(step.status, ("?", ""))
        text.append(f"\n{mark} ", style=style)
        text.append(f"{step.title:<26}", style="bold" if step.status == FAIL else "")
        text.append(f"{step.ms:7.1f} ms  ", style="dim")
        text.append(step.detail)
        if step.status in (FAIL, WARN) and step.fix:
            text.append(f"\n    cause: {step.cause}", style=style)
            text.append("\n    fix: ", style="dim")
            text.append(step.fix, style="italic")
    return sanitized(text)


class ChecksPane(Vertical):
    BINDINGS = [Binding("c", "request('check-all')", "Check all", id="regtui.check-all")]
    DEFAULT_CSS = """
    ChecksPane #checks-table { height: 1fr; }
    ChecksPane #check-detail-scroll { height: 1fr; border-top: solid $primary-darken-2; padding: 0 1; }
    ChecksPane #checks-hint { color: $text-muted; padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.results: dict[str, CheckResult] = {}

    def compose(self) -> ComposeResult:
        yield Static("c: check every registry · results appear as each one finishes", id="checks-hint")
        yield DataTable(id="checks-table", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="check-detail-scroll"):
            yield Static("", id="check-detail")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("Registry")
        # Fixed: "checking…" is replaced as results arrive, and an auto width would depend on timing.
        table.add_column("Verdict", width=len("checking…"))
        table.add_columns("Failing step", "Cause", "Time")

    def start(self, names: list[str]) -> None:
        """Rows for every registry about to be checked, marked as pending."""
        self.results.clear()
        table = self.query_one(DataTable)
        table.clear()
        for name in names:
            table.add_row(cell(name, "bold"), _verdict(None), "", "", "", key=name)
        self.query_one("#check-detail", Static).update(Text("checking…", style="dim italic"))

    def add(self, result: CheckResult) -> None:
        self.results[result.registry] = result
        table = self.query_one(DataTable)
        failure = result.failure
        cells = (
            _verdict(result),
            cell(failure.title if failure else ""),
            cell(failure.cause if failure else "", "red"),
            Text(f"{result.ms:.0f} ms"),
        )
        if result.registry not in table.rows:
            table.add_row(cell(result.registry, "bold"), *cells, key=result.registry)
        else:
            for column, value in zip(list(table.columns)[1:], cells, strict=True):
                # Only widen: a narrower cell made DataTable measure the whole column again, for
                # each result (50 results: 2,500 measurements in one frame). Columns never shrink
                # during a run; start() clears them.
                wider = value.cell_len > table.columns[column].content_width
                table.update_cell(result.registry, column, value, update_width=wider)
        self._show_selected()

    def _show_selected(self) -> None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        result = self.results.get(key) if key is not None else None
        detail = self.query_one_optional("#check-detail", Static)
        if detail is not None:
            detail.update(ladder(result) if result else Text("checking…", style="dim italic"))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_selected()

    def action_request(self, action: str) -> None:
        self.post_message(ActionRequested(action))
