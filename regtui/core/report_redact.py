"""Make a report safe to paste into a ticket: user names masked, URL credentials dropped, controls stripped.

The report holds no secret by construction (it never reads a password into its document);
this pass is the second line: every string of the finished document goes through it, so a
user name quoted inside a server's message or a path is masked too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from regtui.core.credentials.model import TOKEN_USERNAME
from regtui.core.safetext import printable

# userinfo in any URL (a proxy URL, a mirror written by hand): RFC 3986 section 3.2.1 deprecates
# passwords there, but they are still found in HTTPS_PROXY.
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/?#@\s]+@")


_NOT_NAMES = {"root", TOKEN_USERNAME}  # root owns system files: that is the point; <token>: docker's marker


def mask(name: str) -> str:
    """``alice`` -> ``a***e``; short names give nothing away: ``***``."""
    return f"{name[0]}***{name[-1]}" if len(name) >= 5 else "***"


class Redactor:
    """Replaces each known user name, as a whole word, in every string it is given."""

    def __init__(self, names: Iterable[Any], show_users: bool = False) -> None:
        unique = {n for n in names if isinstance(n, str) and n.strip() and n not in _NOT_NAMES}
        self.show_users = show_users
        self._names = sorted(unique, key=len, reverse=True)
        self._pattern = (
            None
            if show_users or not self._names
            else re.compile(
                # not inside a longer name, host or path segment; a trailing full stop is fine
                r"(?<![\w@.-])(" + "|".join(re.escape(n) for n in self._names) + r")(?![\w@-]|\.\w)",
                re.IGNORECASE,
            )
        )

    def text(self, value: str) -> str:
        value = _USERINFO.sub(r"\1***@", printable(value, multiline=True))  # controls and bidi overrides out
        if self._pattern is not None:
            value = self._pattern.sub(lambda m: mask(m.group(0)), value)
        return value

    def walk(self, data: object) -> object:
        """A copy of a JSON-shaped document with every string value (not key names) redacted."""
        if isinstance(data, str):
            return self.text(data)
        if isinstance(data, dict):
            return {key: self.walk(value) for key, value in data.items()}
        if isinstance(data, list | tuple):
            return [self.walk(value) for value in data]
        return data
