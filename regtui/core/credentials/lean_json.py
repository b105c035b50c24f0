"""JSON for the credential helper's ``get`` path without importing ``json``.

``import json`` imports ``re`` and ``enum`` (~6 ms, a quarter of a whole ``get``). CPython's
``json`` is a thin layer over its C accelerator ``_json``; this calls the accelerator
directly, with the same strict parsing as ``json.loads``. Where ``_json`` is missing (other
interpreters) it falls back to ``json`` itself.
"""

from __future__ import annotations

try:
    from _json import encode_basestring_ascii as _quote
    from _json import make_scanner as _make_scanner
except ImportError:  # pragma: no cover - CPython always has it
    _make_scanner = None  # type: ignore[misc,assignment]  # the fallback below tests for None


class _Context:
    """The attributes json.decoder.JSONDecoder gives the C scanner."""

    strict = True
    object_hook = None
    object_pairs_hook = None
    parse_float = float
    parse_int = int
    memo: dict[str, object] = {}

    @staticmethod
    def parse_constant(name: str) -> object:
        raise ValueError(f"{name} is not JSON")


def loads(text: str) -> object:
    """Like ``json.loads``; raises ValueError (also for nesting too deep) on anything but one JSON value."""
    if _make_scanner is None:  # pragma: no cover
        import json

        try:
            return json.loads(text)
        except RecursionError:
            raise ValueError("JSON nested too deeply") from None
    context = _Context()
    context.memo = {}
    start = len(text) - len(text.lstrip(" \t\n\r"))
    try:
        # _Context duck-types the JSONDecoder attributes the C scanner reads.
        value, end = _make_scanner(context)(text, start)  # type: ignore[arg-type]
    except StopIteration:
        raise ValueError("not JSON") from None
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None
    if text[end:].strip(" \t\n\r"):
        raise ValueError("extra data after the JSON value")
    return value


def quote(value: str) -> str:
    """A JSON string literal, ASCII only (as ``json.dumps`` writes it)."""
    if _make_scanner is None:  # pragma: no cover
        import json

        return json.dumps(value)
    return _quote(value)
