"""The shapes of the typed requests a pane posts to the app, which owns the workstation and acts.

Each pane nests its own messages (``RegistriesPane.LoginRequested``, ``MirrorsPane.TestRequested``
...), subclasses of these, so a handler names exactly what it answers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from regtui.core.credentials.resolve import RegistryStatus
    from regtui.core.mirrors.model import Mirror, MirrorSet


class RegistryRequest(Message):
    """Act on the selected registry row (None: there is none)."""

    def __init__(self, status: RegistryStatus | None) -> None:
        super().__init__()
        self.status = status


class MirrorRequest(Message):
    """Act on the selected mirror row (None: there is none)."""

    def __init__(self, row: tuple[MirrorSet, Mirror] | None) -> None:
        super().__init__()
        self.row = row
