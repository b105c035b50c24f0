"""JSON read from a file or an environment variable, treated as hostile input.

Python's ``json`` raises RecursionError on deep nesting, a bare ValueError on integers
longer than ``sys.get_int_max_str_digits()``, accepts ``NaN``/``Infinity`` (RFC 8259 §6
has neither; Go's encoding/json, which docker uses, rejects them), turns ``1e400`` into
infinity (written back as ``Infinity``, which no JSON reader accepts) and keeps lone
UTF-16 surrogates (``"\\ud800"``) that cannot be written back as UTF-8. Each of these is a
ConfigError here, with the file, line and column, and a fix; never a traceback.
Stdlib only, and ``re`` is imported on the error paths only.
"""

from __future__ import annotations

import json
import sys
from os import PathLike
from typing import Any

from regtui.core.errors import ConfigError

MAX_DEPTH = 100
"""Nesting regtui accepts. Go's encoding/json stops at 10000; Python's parser recurses and
would hit the interpreter's recursion limit near 1000. Real config files nest a few levels."""


class _Rejected(ValueError):
    """Raised from a parser hook; ``token`` is what to look for to point at the line."""

    def __init__(self, what: str, token: str) -> None:
        super().__init__(what)
        self.what = what
        self.token = token


def _reject_constant(name: str) -> Any:
    raise _Rejected(f"`{name}` is not a JSON value (RFC 8259 has no NaN or Infinity)", name)


def _checked_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise _Rejected(f"the number {text[:40]} is too large to be read", text)
    return value


def line_col(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of ``index`` in ``text``."""
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


_STRING = r'"[^"\\]*(?:\\.[^"\\]*)*"'


def _deeper_than(data: Any, limit: int) -> bool:
    """Whether parsed ``data`` nests more than ``limit`` levels (iterative: no recursion)."""
    stack = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        children = node.values() if isinstance(node, dict) else node
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


def _too_deep_at(text: str, limit: int) -> int | None:
    """Where nesting first exceeds ``limit`` in the text (for the error message), or None."""
    import re

    depth = 0
    for match in re.finditer(_STRING + r"|[\[\]{}]", text):
        char = match.group()
        if char in "[{":
            depth += 1
            if depth > limit:
                return match.start()
        elif char in "]}":
            depth -= 1
    return None


def _find_token(text: str, token: str) -> int | None:
    """The first place ``token`` appears outside a JSON string (for a hook's error)."""
    import re

    pattern = re.compile(_STRING + "|(" + re.escape(token[:200]) + ")")
    for match in pattern.finditer(text):
        if match.group(1):
            return match.start(1)
    return None


def _find_long_integer(text: str) -> int | None:
    import re

    digits = sys.get_int_max_str_digits()
    for match in re.finditer(_STRING + rf"|(-?\d{{{digits + 1},}})", text):
        if match.group(1):
            return match.start(1)
    return None


def _find_lone_surrogate(text: str) -> int | None:
    import re

    pair = r"\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}"
    for match in re.finditer(pair + r"|(\\u[dD][89a-fA-F][0-9a-fA-F]{2})", text):
        if match.group(1):
            return match.start(1)
    return None


def _error(what: str, where: str | PathLike[str], text: str, index: int | None, fix: str) -> ConfigError:
    line, column = line_col(text, index) if index is not None else (None, None)
    return ConfigError(what, path=where, line=line, column=column, fix=fix)


def loads(text: str, where: str | PathLike[str], *, fix: str) -> Any:
    """Parse ``text`` (read from ``where``) or raise a ConfigError that says where and what to do."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:  # lone surrogates: how os.environ keeps bytes that are not UTF-8
        raise _error(f"is not UTF-8 text (bad character at offset {exc.start})", where, text, exc.start, fix) from exc
    deep = f"nests arrays or objects more than {MAX_DEPTH} levels deep"
    try:
        data = json.loads(text, parse_constant=_reject_constant, parse_float=_checked_float)
    except RecursionError as exc:
        raise _error(deep, where, text, _too_deep_at(text, MAX_DEPTH), fix) from exc
    except json.JSONDecodeError as exc:
        raise ConfigError(
            f"is not valid JSON: {exc.msg}", path=where, line=exc.lineno, column=exc.colno, fix=fix
        ) from exc
    except _Rejected as exc:
        raise _error(exc.what, where, text, _find_token(text, exc.token), fix) from exc
    except ValueError as exc:  # an integer longer than Python's digit limit
        what = f"holds a number of more than {sys.get_int_max_str_digits()} digits"
        raise _error(what, where, text, _find_long_integer(text), fix) from exc
    if (
        isinstance(data, (dict, list))
        and text.count("[") + text.count("{") > MAX_DEPTH
        and _deeper_than(data, MAX_DEPTH)
    ):
        raise _error(deep, where, text, _too_deep_at(text, MAX_DEPTH), fix)
    if "\\u" in text:
        try:
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError as exc:
            raise _error(
                "holds a \\u escape of half a UTF-16 surrogate pair, which is not text",
                where,
                text,
                _find_lone_surrogate(text),
                fix,
            ) from exc
    return data
