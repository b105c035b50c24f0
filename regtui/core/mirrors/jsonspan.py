"""Edit one top-level value of a JSON document in place, leaving every other byte alone.

daemon.json files are written by hand with every formatting habit there is; re-serialising
would reflow all of them. So regtui finds the text span of the one value it changes and
replaces just that, in the style the value already had (one line or one item per line).
Callers parse the result again to prove it means what they intended.
"""

from __future__ import annotations

import json

_WS = " \t\r\n"


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text, self.pos = text, 0

    def ws(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in _WS:
            self.pos += 1

    def string(self) -> str:
        start = self.pos
        self.pos += 1
        while self.text[self.pos] != '"':
            self.pos += 2 if self.text[self.pos] == "\\" else 1
        self.pos += 1
        value: str = json.loads(self.text[start : self.pos])
        return value

    def value(self) -> tuple[int, int]:
        start = self.pos
        ch = self.text[self.pos]
        if ch == '"':
            self.string()
        elif ch in "[{":
            depth = 0
            while True:
                ch = self.text[self.pos]
                if ch == '"':
                    self.string()
                    continue
                if ch in "[{":
                    depth += 1
                elif ch in "]}":
                    depth -= 1
                self.pos += 1
                if depth == 0:
                    break
        else:
            while self.pos < len(self.text) and self.text[self.pos] not in ",}] \t\r\n":
                self.pos += 1
        return start, self.pos


def members(text: str) -> list[tuple[str, int, int]]:
    """(key, value start, value end) of each top-level member. The text must be valid JSON."""
    scanner = _Scanner(text)
    scanner.ws()
    if text[scanner.pos : scanner.pos + 1] != "{":
        return []
    scanner.pos += 1
    found: list[tuple[str, int, int]] = []
    while True:
        scanner.ws()
        if text[scanner.pos] == "}":
            return found
        key = scanner.string()
        scanner.ws()
        scanner.pos += 1  # the colon
        scanner.ws()
        start, end = scanner.value()
        found.append((key, start, end))
        scanner.ws()
        if text[scanner.pos] == ",":
            scanner.pos += 1


def value_span(text: str, key: str) -> tuple[int, int] | None:
    return next(((s, e) for k, s, e in members(text) if k == key), None)


def _line_indent(text: str, pos: int) -> str:
    start = text.rfind("\n", 0, pos) + 1
    return _leading_blanks(text[start:])


def _leading_blanks(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def _string(value: str) -> str:
    """A JSON string as people write it; escaped when it holds a lone surrogate (no UTF-8 form)."""
    text = json.dumps(value, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(value)
    return text


def render_array(values: list[str], like: str | None, base_indent: str, unit: str) -> str:
    """An array of strings in the style of ``like`` (the array text it replaces)."""
    items = [_string(v) for v in values]
    if not items:
        return "[]"
    if like is not None and "\n" not in like.strip():
        separator = ", " if (", " in like or len(json.loads(like)) < 2) else ","
        inner = like.strip()[1:-1]
        pad = " " if inner.startswith(" ") and inner.endswith(" ") else ""
        return f"[{pad}{separator.join(items)}{pad}]"
    item_indent, close_indent = base_indent + unit, base_indent
    if like is not None and "\n" in like:
        lines = [ln for ln in like.splitlines()[1:] if ln.strip()]
        if len(lines) >= 2:
            item_indent = _leading_blanks(lines[0])
        close_indent = _leading_blanks(like.splitlines()[-1])
    return "[\n" + ",\n".join(item_indent + i for i in items) + "\n" + close_indent + "]"


def indent_unit(text: str) -> str:
    """The indentation of the first member line (docker and most editors: two spaces or a tab)."""
    found = members(text)
    indent = _line_indent(text, found[0][1]) if found else ""
    return indent or "  "


def set_array(text: str, key: str, values: list[str]) -> str:
    """``text`` with top-level ``key`` set to the array ``values``; the key is added if missing."""
    if not text.strip():
        return json.dumps({key: values}, indent=2) + "\n"
    unit = indent_unit(text)
    span = value_span(text, key)
    if span is not None:
        start, end = span
        return text[:start] + render_array(values, text[start:end], _line_indent(text, start), unit) + text[end:]
    found = members(text)
    rendered = render_array(values, None, unit, unit)
    if found:
        end = found[-1][2]
        return text[:end] + f",\n{unit}{json.dumps(key)}: {rendered}" + text[end:]
    open_brace = text.index("{")
    close = text.rindex("}")
    return text[: open_brace + 1] + f"\n{unit}{json.dumps(key)}: {rendered}\n" + text[close:]
