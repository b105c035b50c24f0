"""WWW-Authenticate parsing (RFC 9110 §11.6.1; the Bearer challenge of the distribution token spec,
https://distribution.github.io/distribution/spec/auth/token/).

One header value may hold several challenges (``Basic realm="a", Bearer realm="b",service="c"``);
quoted values may contain commas and backslash escapes; scheme and parameter names are
case-insensitive. Any input either parses or raises ChallengeParseError: nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from regtui.core.errors import RegtuiError

_TCHAR = set("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_TOKEN68 = _TCHAR | set("/=")


class ChallengeParseError(RegtuiError):
    """The header is not a valid list of challenges."""


@dataclass(frozen=True)
class Challenge:
    scheme: str  # lower case: "bearer", "basic", ...
    params: dict[str, str] = field(default_factory=dict)
    token68: str | None = None

    @property
    def realm(self) -> str | None:
        return self.params.get("realm")

    @property
    def service(self) -> str | None:
        return self.params.get("service")

    @property
    def scope(self) -> str | None:
        return self.params.get("scope")

    @property
    def error(self) -> str | None:
        return self.params.get("error")


class _Reader:
    def __init__(self, text: str) -> None:
        self.text, self.pos = text, 0

    def fail(self, what: str) -> ChallengeParseError:
        shown = repr(self.text) if len(self.text) <= 300 else repr(self.text[:300]) + "…"
        return ChallengeParseError(f"WWW-Authenticate: {what} at character {self.pos + 1}: {shown}")

    def skip_ws(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in " \t":
            self.pos += 1

    def skip_separators(self) -> None:
        """Whitespace and empty list elements (``a, , b``) are allowed between items."""
        self.skip_ws()
        while self.peek() == ",":
            self.pos += 1
            self.skip_ws()

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def token(self, chars: set[str] = _TCHAR) -> str:
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos] in chars:
            self.pos += 1
        return self.text[start : self.pos]

    def quoted(self) -> str:
        self.pos += 1  # the opening quote
        out = []
        while self.pos < len(self.text):
            ch = self.text[self.pos]
            if ch == "\\":
                if self.pos + 1 >= len(self.text):
                    raise self.fail("a backslash at the end of a quoted string")
                out.append(self.text[self.pos + 1])
                self.pos += 2
            elif ch == '"':
                self.pos += 1
                return "".join(out)
            else:
                out.append(ch)
                self.pos += 1
        raise self.fail("an unterminated quoted string")

    def new_challenge_at(self, pos: int) -> bool:
        """Does a new challenge start at ``pos`` (just after a comma)? A token not followed by '='."""
        save = self.pos
        self.pos = pos
        self.skip_separators()
        name = self.token()
        self.skip_ws()
        starts = bool(name) and self.peek() != "="
        self.pos = save
        return starts


def parse_challenges(header: str) -> list[Challenge]:
    """Parse one WWW-Authenticate value into its challenges."""
    reader = _Reader(header)
    challenges: list[Challenge] = []
    while True:
        reader.skip_separators()
        if not reader.peek():
            break
        scheme = reader.token()
        if not scheme:
            raise reader.fail("expected an authentication scheme")
        params: dict[str, str] = {}
        token68 = None
        if reader.peek() in (" ", "\t"):
            reader.skip_ws()
            if reader.peek() not in ("", ","):
                params, token68 = _parse_params(reader)
        if reader.peek() not in ("", ","):
            raise reader.fail("expected ',' between challenges")
        challenges.append(Challenge(scheme.lower(), params, token68))
    if not challenges:
        raise ChallengeParseError(f"WWW-Authenticate holds no challenge: {header[:300]!r}")
    return challenges


def _parse_params(reader: _Reader) -> tuple[dict[str, str], str | None]:
    """auth-params (``a=b, c="d"``) or one token68 (``abc==``); stops before the next challenge."""
    start = reader.pos
    candidate = reader.token(_TOKEN68)
    reader.skip_ws()
    if candidate and reader.peek() in ("", ",") and "=" not in candidate.rstrip("="):
        return {}, candidate
    reader.pos = start
    params: dict[str, str] = {}
    while True:
        name = reader.token()
        if not name:
            raise reader.fail("expected a parameter name")
        reader.skip_ws()
        if reader.peek() != "=":
            raise reader.fail(f"expected '=' after {name!r}")
        reader.pos += 1
        reader.skip_ws()
        if reader.peek() == '"':
            value = reader.quoted()
        else:
            value = reader.token()
            if not value:
                raise reader.fail(f"expected a value for {name!r}")
        params[name.lower()] = value
        reader.skip_ws()
        if reader.peek() != "," or reader.new_challenge_at(reader.pos + 1):
            return params, None
        reader.skip_separators()
        if not reader.peek():
            return params, None


def pick(challenges: list[Challenge]) -> Challenge | None:
    """The challenge a registry client answers: Bearer before Basic, as containerd sorts them."""
    for scheme in ("bearer", "basic"):
        for challenge in challenges:
            if challenge.scheme == scheme:
                return challenge
    return None


def realm_problem(realm: str | None, registry_base: str) -> str | None:
    """Why a Bearer realm cannot be used as the token server's URL, or None when it can.

    The realm is resolved against the registry's URL (a relative realm is allowed, as regclient
    does); what results must be an http(s) URL with a host and a port in 1–65535.
    """
    from regtui.core.safetext import printable
    from regtui.core.wire import InvalidURL
    from regtui.core.wire.url import parse

    shown = printable(repr((realm or "")[:200]))
    try:
        url = urljoin(registry_base + "/", realm or "")
        parts = urlsplit(url)
        port = parts.port
        parse(url)
    except (ValueError, InvalidURL) as exc:
        return f"the token realm {shown} is not a valid URL ({printable(exc)})"
    if parts.scheme not in ("http", "https"):
        return f"the token realm {shown} is not an http(s) URL"
    if not parts.hostname:
        return f"the token realm {shown} names no host"
    if port == 0:
        return f"the token realm {shown} names port 0"
    return None
