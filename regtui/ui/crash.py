"""What the TUI does with an exception nobody expected: never print a frame's local variables.

Textual's own handler renders a rich Traceback with ``show_locals=True``; the locals of a login
are the password, the ``auth=(user, password)`` tuple of the token request and the text of
config.json. Here a worker's exception becomes an error notification and the app keeps running;
any other one still ends the app (its state is unknown), with a traceback that has no locals.
Mixed into RegTUI.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.app import App

    _AppBase = App[None]  # the mixin is only ever mixed into RegTUI, an App[None]
else:
    _AppBase = object

_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
MAX_SHOWN = 300


def describe(error: BaseException) -> str:
    """The exception's type and message, one line, bounded, without terminal controls."""
    message = _CONTROLS.sub(" ", str(error)).strip()
    if len(message) > MAX_SHOWN:
        message = message[:MAX_SHOWN] + "…"
    name = type(error).__name__
    return f"{name}: {message}" if message else name


class CrashGuard(_AppBase):
    """Needs the App API (notify, console, bell, ``_exit_renderables``)."""

    unexpected_errors: list[BaseException]  # set by RegTUI.__init__

    reraise_unexpected = False
    """Tests set this so ``run_test`` re-raises the first unexpected error when it ends."""

    def _handle_exception(self, error: Exception) -> None:
        from textual.worker import WorkerFailed

        if isinstance(error, WorkerFailed):
            cause = error.error
            self.unexpected_errors.append(cause)
            if self.reraise_unexpected and self._exception is None and isinstance(cause, Exception):
                self._exception = cause  # run_test raises it at the end; the app itself goes on
            self.notify(
                f"{describe(cause)}\nregtui kept running; what was being done did not finish.",
                title="unexpected error",
                severity="error",
                markup=False,
                timeout=15,
            )
            return
        super()._handle_exception(error)

    def _fatal_error(self) -> None:
        """Textual's, without ``show_locals``: the app ends, and no variable's value is printed."""
        import rich
        from rich.segment import Segments
        from rich.traceback import Traceback

        self.bell()
        traceback = Traceback(show_locals=False, width=None, suppress=[rich])
        self._exit_renderables.append(Segments(self.console.render(traceback, self.console.options)))
        self._close_messages_no_wait()
