"""What the app remembers of what it said: every notification, timestamped, for the message log
(L), and `y`, which copies the selection, a fix or an error."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from regtui.ui.copying import selection_text
from regtui.ui.safe import clean
from regtui.ui.screens.message_log import LoggedMessage, MessageLogScreen

if TYPE_CHECKING:
    from textual.app import App

    _AppBase = App[None]  # mixed into RegTUI only
else:
    _AppBase = object

MESSAGES_KEPT = 500


class MessageMemory(_AppBase):
    message_log: list[LoggedMessage]
    clock: Callable[[], datetime]

    def notify(self, message: str, *, title: str = "", **kwargs: Any) -> None:
        """Every notification's text without terminal controls (it often quotes a server); each
        one is also kept, timestamped, for the message log (L)."""
        message, title = clean(message), clean(title)
        severity = str(kwargs.get("severity", "information"))
        self.message_log.append(LoggedMessage(self.clock(), severity, title, message))
        del self.message_log[:-MESSAGES_KEPT]
        super().notify(message, title=title, **kwargs)

    def push_screen(self, screen: Any, *args: Any, **kwargs: Any) -> Any:
        """A dialog with buttons first clears the toasts: they sit over the bottom right corner,
        where its buttons are, and are drawn on the screen under it. Each is in the log (L)."""
        if getattr(screen, "CLEARS_TOASTS", False):
            self.clear_notifications()
        return super().push_screen(screen, *args, **kwargs)

    def action_messages(self) -> None:
        if not isinstance(self.screen, MessageLogScreen):
            self.push_screen(MessageLogScreen(list(self.message_log)))

    def action_copy(self) -> None:
        """y: the selected row, fix or error, to the clipboard (OSC 52: works over ssh too)."""
        text = selection_text(self.screen, self.focused)
        if not text:
            self.notify("nothing selected to copy", severity="warning", markup=False)
            return
        self.copy_to_clipboard(text)
        lines = text.count("\n") + 1
        self.notify(f"copied {lines} line{'s' if lines != 1 else ''} to the clipboard", markup=False, timeout=3)
