"""A file's byte-level habits that an edit must keep: a UTF-8 byte order mark, CRLF line ends.

dockerd accepts daemon.json with a BOM (moby/moby daemon/config/config.go strips it), and
files edited on Windows keep CRLF. Edits work on the plain text (no BOM, LF); ``restore``
puts the habits back, so lines regtui adds end the way the file's other lines do.
"""

from __future__ import annotations

from dataclasses import dataclass

BOM = "\ufeff"


@dataclass(frozen=True)
class Style:
    bom: bool = False
    crlf: bool = False

    def restore(self, text: str) -> str:
        if self.crlf:
            text = text.replace("\n", "\r\n")
        return (BOM + text) if self.bom else text


def split(text: str) -> tuple[str, Style]:
    """(text without BOM, with LF line ends; the style to restore). Mixed line ends stay as they are."""
    bom = text.startswith(BOM)
    if bom:
        text = text[1:]
    newlines = text.count("\n")
    crlf = newlines > 0 and text.count("\r\n") == newlines
    if crlf:
        text = text.replace("\r\n", "\n")
    return text, Style(bom, crlf)
