"""HangingText: lines that wrap under their own text, not back at the left edge.

A ladder step's detail, a ``fix:`` or a ``cause:`` line that is wider than the pane continues
under where its text began (its hanging indent), so a narrow terminal keeps the structure.
"""

from __future__ import annotations

from rich.console import Console
from rich.text import Text
from textual.widgets import Static

Line = tuple[Text, int]
"""A line and the column its continuation lines start at."""

NARROWEST = 24
"""Below this many columns for the text, a continuation starts at a 4-column indent instead."""


def hang(line: Text, width: int, indent: int, console: Console) -> list[Text]:
    """``line`` cut to ``width``; every piece after the first starts ``indent`` columns in."""
    if width <= 0 or line.cell_len <= width:
        return [line]
    if width - indent < NARROWEST:
        indent = min(4, max(width - NARROWEST, 0))
    pieces: list[Text] = []
    rest = line
    while True:
        room = width if not pieces else width - indent
        if rest.cell_len <= room or room <= 0:
            break
        head = rest.wrap(console, room, overflow="fold")[0]
        pieces.append(head if not pieces else Text(" " * indent) + head)
        rest = rest[len(head.plain) :]
        stripped = len(rest.plain) - len(rest.plain.lstrip(" "))
        rest = rest[stripped:]
        if not rest.plain:
            return pieces
    pieces.append(rest if not pieces else Text(" " * indent) + rest)
    return pieces


def joined(lines: list[Line]) -> Text:
    """The lines as one Text, unwrapped (for copying)."""
    return Text("\n").join(line for line, _ in lines)


class HangingText(Static):
    """A Static of lines with hanging indents, wrapped again whenever its width changes."""

    def __init__(self, lines: list[Line] | None = None, **kwargs: object) -> None:
        super().__init__("", markup=False, **kwargs)  # type: ignore[arg-type]
        self.lines: list[Line] = lines or []

    def show(self, lines: list[Line]) -> None:
        self.lines = lines
        self.refresh(layout=True)

    def render(self) -> Text:
        width = self.content_region.width or self.size.width
        console = self.app.console
        out: list[Text] = []
        for line, indent in self.lines:
            for part in line.split("\n"):
                out.extend(hang(part, width, indent, console))
        return Text("\n").join(out)
