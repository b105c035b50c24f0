"""ConfirmModal: show what will change (a diff, a list) and ask before doing it."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from regtui.ui.safe import plain, sanitized


def diff_text(diff: str) -> Text:
    text = Text()
    for line in diff.splitlines():
        style = (
            "green"
            if line.startswith("+")
            else "red"
            if line.startswith("-")
            else "dim"
            if line.startswith("@@")
            else ""
        )
        text.append(line + "\n", style=style)
    return text


class ConfirmModal(ModalScreen[bool]):
    CLEARS_TOASTS = True  # its buttons are where toasts sit (ui/memory.py)
    BINDINGS = [
        Binding("escape,q", "dismiss(False)", "Cancel"),  # q cancels here: it must not quit with a dialog open
        Binding("y", "dismiss(True)", "Yes", show=False),
    ]
    # The title and the buttons are docked, so however long the body and however small the
    # terminal, they stay on screen and only the body scrolls.
    DEFAULT_CSS = """
    ConfirmModal { align: center middle; }
    ConfirmModal > Vertical { width: 90%; max-width: 110; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1; }
    ConfirmModal #confirm-title { dock: top; text-style: bold; padding: 1 0 0 0; }
    ConfirmModal VerticalScroll { height: auto; max-height: 100%; margin: 1 0 0 0; }
    ConfirmModal Horizontal { dock: bottom; height: auto; align-horizontal: right; }
    ConfirmModal Button { margin-left: 2; }
    """

    def __init__(self, title: str, body: Text | str, confirm: str = "Write") -> None:
        super().__init__()
        self.title_text, self.body, self.confirm = title, body, confirm

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(plain(self.title_text), id="confirm-title")
            with VerticalScroll():
                body = sanitized(self.body) if isinstance(self.body, Text) else plain(self.body)
                yield Static(body, id="confirm-body")
            with Horizontal():
                yield Button("Cancel", id="cancel")
                yield Button(self.confirm, id="confirm", variant="warning")

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm")
