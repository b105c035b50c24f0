"""FieldModal: one text field (a mirror's URL, a test image), with what it is for and an error line.

The flow that opens it checks the answer; on a mistake it opens the form again with the text
typed and the error, so nothing typed is lost.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Static

from regtui.ui.safe import plain
from regtui.ui.screens.form import FormModal


class FieldModal(FormModal[str]):
    DEFAULT_CSS = """
    FieldModal .field-hint { color: $text-muted; height: auto; margin-top: 1; }
    """

    def __init__(  # noqa: PLR0913 - each is one visible part of the form
        self,
        title: str,
        label: str,
        value: str = "",
        *,
        hint: str = "",
        button: str = "Save",
        error: str = "",
        placeholder: str = "",
    ) -> None:
        super().__init__()
        self.TITLE_TEXT = title
        self.label, self.value, self.hint = label, value, hint
        self.button, self.error, self.placeholder = button, error, placeholder

    def compose(self) -> ComposeResult:
        with Vertical():
            with VerticalScroll(classes="form-fields"):
                if self.hint:
                    yield Static(plain(self.hint), classes="field-hint")
                yield Label(plain(self.label))
                yield Input(self.value, placeholder=self.placeholder, id="field-input")
                yield Static(plain(self.error), classes="form-error")
            with Horizontal():
                yield Button("Cancel", id="cancel")
                yield Button(self.button, id="save", variant="primary")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(Vertical).border_title = plain(self.TITLE_TEXT)
        self.query_one("#field-input", Input).focus()

    def submit(self) -> None:
        value = self.query_one("#field-input", Input).value.strip()
        if not value:
            self.fail(f"missing: {self.label.lower()}")
            return
        self.dismiss(value)
