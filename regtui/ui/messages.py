"""Messages that cross the app: a pane asks, the app (which owns the workstation) acts."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class ActionRequested(Message):
    """A pane asks the app to do ``action`` (login, logout, migrate, check, toggle, ...) on ``target``."""

    action: str
    target: object = None
