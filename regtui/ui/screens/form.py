"""FormModal: the shared shape of regtui's small forms (fields, an error line, Cancel and a button)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from regtui.ui.safe import plain

T = TypeVar("T")


class FormModal(ModalScreen[T | None], Generic[T]):
    """Subclasses compose, inside a Vertical, their fields in a ``VerticalScroll(classes="form-fields")``
    (with the ``.form-error`` Static last), then a Horizontal of buttons; and implement ``submit``.
    Escape or Cancel dismiss with None; enter in a field or the main button calls ``submit``."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]
    CLEARS_TOASTS = True  # its buttons are where toasts sit (ui/memory.py)
    DEFAULT_CSS = """
    FormModal { align: center middle; }
    FormModal > Vertical { width: 70; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 2; }
    /* The fields scroll; the buttons are docked, so both stay on screen at 60x20. */
    FormModal .form-fields { height: auto; max-height: 100%; }
    FormModal .form-fields Select { height: 3; }  /* auto comes out 0 inside a scroll of auto height */
    FormModal Label { margin-top: 0; color: $text-muted; }
    FormModal .form-error { color: $error; height: auto; }
    FormModal Horizontal { dock: bottom; height: auto; align-horizontal: right; }
    FormModal Button { margin-left: 2; }
    """
    TITLE_TEXT = ""
    submit: Callable[[], None]  # every form defines it: read the fields, then dismiss or fail

    def on_mount(self) -> None:
        self.query_one(Vertical).border_title = self.TITLE_TEXT
        self._fit_fields()

    def on_resize(self) -> None:
        self._fit_fields()

    def _fit_fields(self) -> None:
        """The fields scroll in what the screen leaves beside the border and the docked buttons: a
        max-height of 100% would let their last lines (the error) sit under the buttons."""
        buttons = self.query_one(Horizontal).outer_size.height or 3
        self.query_one(".form-fields").styles.max_height = max(3, self.size.height - buttons - 2)

    def on_input_submitted(self) -> None:
        self.submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "cancel":
            self.dismiss(None)
        else:
            self.submit()

    def fail(self, message: str) -> None:
        error = self.query_one(".form-error", Static)
        error.update(plain(message))
        if message:  # once laid out at its new height: all of it in view, above the buttons
            self.call_after_refresh(error.scroll_visible, animate=False)
