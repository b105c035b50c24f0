"""Text from files and servers, made safe to draw: never parsed as markup, no terminal controls.

Every string regtui did not write itself (a registry name from config.json, a server's error,
a path) reaches the screen as a ``rich.text.Text`` (never a markup string), and its C0/C1
control characters are replaced one for one, so an ``ESC ] 0 ;`` cannot set the window title
and the spans of a styled Text stay where they were.
"""

from __future__ import annotations

import re

from rich.text import Text

_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # tab and newline are kept
_LINE_BREAKS = re.compile(r"[\t\n]")
REPLACEMENT = "\N{REPLACEMENT CHARACTER}"


def clean(value: object) -> str:
    return _CONTROLS.sub(REPLACEMENT, str(value))


def one_line(value: object) -> str:
    """For a table cell: controls replaced, tabs and newlines become spaces."""
    return _LINE_BREAKS.sub(" ", clean(value))


def plain(value: object, style: str = "") -> Text:
    """A Text of untrusted content: shown exactly, never interpreted as markup."""
    return Text(clean(value), style=style)


def cell(value: object, style: str = "") -> Text:
    """For a table cell: one line, cut with … when its column is narrowed to fit the screen."""
    return Text(one_line(value), style=style, no_wrap=True, overflow="ellipsis")


def sanitized(text: Text) -> Text:
    """The same Text with its controls replaced (one character for one: the styles keep their place)."""
    cleaned = clean(text.plain)
    if cleaned != text.plain:
        text = text.copy()
        text.plain = cleaned
    return text
