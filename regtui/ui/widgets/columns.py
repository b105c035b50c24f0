"""How NavTable orders and fits its columns: the sort key of a cell, the width of each column."""

from __future__ import annotations

import re
from typing import Any

from rich.text import Text

ARROWS = (" ▲", " ▼")
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s)\b")
_NUMBER = re.compile(r"(\d+)")


def plain(value: object) -> str:
    return value.plain if isinstance(value, Text) else str(value)


def sort_key(value: object) -> tuple[int, float, list[Any]]:
    """Durations by time (950 ms before 1.2 s), then text with its numbers in number order."""
    text = plain(value).strip()
    duration = _DURATION.match(text)
    if duration:
        number = float(duration.group(1)) * (1 if duration.group(2) == "ms" else 1000)
        return (0, number, [])
    if not text or text in ("-", "–"):
        return (2, 0.0, [])  # empty cells last
    parts = [int(p) if p.isdigit() else p.casefold() for p in _NUMBER.split(text)]
    return (1, 0.0, [(isinstance(p, str), p) for p in parts])


def base_label(label: Text | str) -> str:
    text = plain(label)
    for arrow in ARROWS:
        text = text.removesuffix(arrow)
    return text


FIRST_COLUMN_FLOOR = 16
"""The first column names the row (a registry, a runtime): it is cut last, and never below this."""


def fitted(widths: list[int], room: int, least: int = 4, uncut: frozenset[int] = frozenset()) -> list[int]:
    """Each column cut to a common width W, the largest that lets them all fit ``room`` (none below
    ``least``; the first never below FIRST_COLUMN_FLOOR; the columns ``uncut``, by index, never
    cut); the widths as they are when they fit."""
    if sum(widths) <= room or not widths:
        return list(widths)
    floor = min(widths[0], FIRST_COLUMN_FLOOR)

    def cut(cap: int) -> list[int]:
        return [w if i in uncut else max(min(w, cap), floor if i == 0 else min(w, least)) for i, w in enumerate(widths)]

    for cap in range(max(widths), least - 1, -1):
        if sum(cut(cap)) <= room:
            return cut(cap)
    return cut(least)
