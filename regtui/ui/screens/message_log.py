"""MessageLogScreen: every notification since regtui started, timestamped, errors in full.

Toasts go away after a few seconds; this keeps them. ``L`` (or "Messages" in the palette)
opens it; the table navigates and filters like every other; ``y`` copies the selected message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Static

from regtui.ui.safe import cell, plain
from regtui.ui.widgets.nav_table import NavTable

_STYLE = {"error": "bold red", "warning": "yellow", "information": ""}


@dataclass(frozen=True)
class LoggedMessage:
    at: datetime
    severity: str
    title: str
    message: str

    @property
    def text(self) -> str:
        """The message in full, as copied: time, level, title, then every line."""
        head = f"{self.at:%H:%M:%S} {self.severity}" + (f" {self.title}" if self.title else "")
        return f"{head}\n{self.message}"


class MessageLogScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,L,q", "dismiss(None)", "Close", id="regtui.log-close"),
        Binding("y", "app.copy", "Copy", id="regtui.log-copy"),  # a modal screen hides the app's keys
    ]
    DEFAULT_CSS = """
    MessageLogScreen { align: center middle; }
    MessageLogScreen > Vertical { width: 100%; height: 100%; border: thick $primary; background: $surface; }
    MessageLogScreen #log-title { text-style: bold; padding: 0 1; }
    MessageLogScreen #log-table { height: 1fr; }
    MessageLogScreen #log-detail-scroll { height: auto; max-height: 50%; border-top: solid $primary-darken-2;
        padding: 0 1; }
    """

    def __init__(self, messages: list[LoggedMessage]) -> None:
        super().__init__()
        self.messages = messages

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                f"Messages ({len(self.messages)}) · y copy · / filter · esc close",
                id="log-title",
                markup=False,
            )
            yield NavTable(id="log-table", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="log-detail-scroll"):
                yield Static("", id="log-detail")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(NavTable)
        table.add_column("Time", width=len("00:00:00"))
        table.add_column("Level", width=len("information"))
        table.add_column("Message")
        for index, logged in reversed(list(enumerate(self.messages))):  # newest first
            first = " · ".join(p for p in (logged.title, logged.message.splitlines()[0] if logged.message else "") if p)
            table.add_row(
                Text(f"{logged.at:%H:%M:%S}"),
                Text(logged.severity, style=_STYLE.get(logged.severity, "")),
                cell(first),
                key=str(index),
            )
        if not self.messages:
            self.query_one("#log-detail", Static).update(Text("No messages yet.", style="dim"))
        table.focus()
        self._show_selected()

    @property
    def selected(self) -> LoggedMessage | None:
        key = self.query_one(NavTable).cursor_key
        return self.messages[int(key)] if key is not None else None

    def _show_selected(self) -> None:
        chosen = self.selected
        if chosen is not None:
            text = plain(chosen.text)
            text.stylize(_STYLE.get(chosen.severity, ""), 0, len(chosen.text.split("\n", 1)[0]))
            self.query_one("#log-detail", Static).update(text)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_selected()

    def copy_text(self) -> str | None:
        chosen = self.selected
        return chosen.text if chosen else None
