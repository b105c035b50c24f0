"""Text a server (or any untrusted source) sent, made safe to store in a result and print.

A registry can put terminal control sequences in an error message, a token-server detail, a
realm or a header: ``ESC ] 0 ;`` sets the window title, ``ESC ] 52`` writes the clipboard,
``ESC [ 32 m`` recolours output to fake a success (ECMA-48). ``printable`` removes every C0
control but tab (and newline where the field is multi-line by design), DEL, every C1 control
(U+0080–U+009F: 8-bit CSI/OSC), and the Unicode bidi overrides that reorder what is shown
(CVE-2021-42574). Nothing else changes.
"""

from __future__ import annotations

_STRIP = dict.fromkeys([*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A)])
del _STRIP[0x09]
_STRIP_KEEP_NEWLINE = {k: v for k, v in _STRIP.items() if k != 0x0A}


def printable(text: object, *, multiline: bool = False) -> str:
    """``text`` as a string without control characters (see the module doc)."""
    value = text if isinstance(text, str) else str(text)
    return value.translate(_STRIP_KEEP_NEWLINE if multiline else _STRIP)


def printable_or_none(text: object | None) -> str | None:
    return None if text is None else printable(text)
