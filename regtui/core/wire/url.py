"""URL parsing and normalisation as RFC 3986 has it: what regtui sends is what httpx would send.

A trimmed copy of httpx's ``_urlparse.py`` (httpx 0.28, BSD-3-Clause, Copyright © 2019 Encode
OSS Ltd.): the same validation (control characters, IPv4/IPv6 literals, ports, paths) and the
same percent-encoding, so a URL either client accepts, the other accepts too, and one it refuses
is an InvalidURL either way. A host name outside ASCII is encoded by the ``idna`` package
(IDNA 2008, as httpx does), imported only then.
"""

from __future__ import annotations

import ipaddress
import re
from typing import NamedTuple
from urllib.parse import parse_qsl, urlencode

from regtui.core.wire.errors import InvalidURL

MAX_URL_LENGTH = 65536
UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
SUB_DELIMS = "!$&'()*+,;="
_PERCENT_ENCODED = re.compile("%[A-Fa-f0-9]{2}")


def _safe(excluded: tuple[int, ...]) -> str:
    return "".join(chr(i) for i in range(0x20, 0x7F) if i not in excluded)


# The WHATWG URL standard's percent-encode sets (https://url.spec.whatwg.org/#percent-encoded-bytes).
_QUERY_EXCLUDED = (0x20, 0x22, 0x23, 0x3C, 0x3E)
_PATH_EXCLUDED = (*_QUERY_EXCLUDED, 0x3F, 0x60, 0x7B, 0x7D)
FRAG_SAFE = _safe((0x20, 0x22, 0x3C, 0x3E, 0x60))
QUERY_SAFE = _safe(_QUERY_EXCLUDED)
PATH_SAFE = _safe(_PATH_EXCLUDED)
USERINFO_SAFE = _safe((*_PATH_EXCLUDED, 0x2F, 0x3B, 0x3D, 0x40, 0x5B, 0x5C, 0x5D, 0x5E, 0x7C))

_URL = re.compile(
    r"(?:(?P<scheme>([a-zA-Z][a-zA-Z0-9+.-]*)?):)?"
    r"(?://(?P<authority>[^/?#]*))?"
    r"(?P<path>[^?#]*)"
    r"(?:\?(?P<query>[^#]*))?"
    r"(?:#(?P<fragment>.*))?"
)
_AUTHORITY = re.compile(r"(?:(?P<userinfo>.*)@)?(?P<host>(\[.*\]|[^:@]*)):?(?P<port>.*)?")
_IPV4_STYLE = re.compile(r"^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$")
_IPV6_STYLE = re.compile(r"^\[.*\]$")
_DEFAULT_PORTS = {"ftp": 21, "http": 80, "https": 443, "ws": 80, "wss": 443}


class URL(NamedTuple):
    """A parsed URL in its canonical (ASCII, percent-encoded) form; ``str()`` gives it back."""

    scheme: str
    userinfo: str
    host: str  # an IPv6 address without its brackets
    port: int | None  # None: the scheme's default
    path: str
    query: str | None  # None: no "?" at all
    fragment: str | None

    @property
    def netloc(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host + (f":{self.port}" if self.port is not None else "")

    @property
    def target(self) -> str:
        """What goes on the request line: the path and the query (RFC 9112 §3.2.1 origin-form)."""
        return (self.path or "/") + (f"?{self.query}" if self.query is not None else "")

    @property
    def effective_port(self) -> int | None:
        return self.port if self.port is not None else _DEFAULT_PORTS.get(self.scheme)

    def __str__(self) -> str:
        authority = (f"{self.userinfo}@" if self.userinfo else "") + self.netloc
        return "".join(
            [
                f"{self.scheme}:" if self.scheme else "",
                f"//{authority}" if authority else "",
                self.path,
                f"?{self.query}" if self.query is not None else "",
                f"#{self.fragment}" if self.fragment is not None else "",
            ]
        )

    def with_params(self, params: list[tuple[str, str]]) -> URL:
        """The query's parameters updated by ``params`` (a name given replaces all its old values), as
        httpx merges ``params=`` into a URL."""
        merged: dict[str, list[str]] = {}
        for key, value in parse_qsl(self.query or "", keep_blank_values=True):
            merged.setdefault(key, []).append(value)
        given: dict[str, list[str]] = {}
        for key, value in params:
            given.setdefault(key, []).append(value)
        merged.update(given)
        items = [(key, value) for key, values in merged.items() for value in values]
        return self._replace(query=_quote(urlencode(items), QUERY_SAFE) if items else None)


def parse(url: str) -> URL:
    """Parse and normalise ``url``; InvalidURL says what is wrong with it."""
    if len(url) > MAX_URL_LENGTH:
        raise InvalidURL("URL too long")
    for index, char in enumerate(url):
        if char.isascii() and not char.isprintable():
            raise InvalidURL(f"Invalid non-printable ASCII character in URL, {char!r} at position {index}.")
    found = _URL.match(url)
    assert found is not None  # every group is optional: it always matches
    scheme = (found["scheme"] or "").lower()
    authority = _AUTHORITY.match(found["authority"] or "")
    assert authority is not None
    userinfo = _quote(authority["userinfo"] or "", USERINFO_SAFE)
    host = _encode_host(authority["host"] or "")
    port = _normalize_port(authority["port"], scheme)
    path = found["path"] or ""
    has_authority = userinfo != "" or host != "" or port is not None
    if has_authority and path and not path.startswith("/"):
        raise InvalidURL("For absolute URLs, path must be empty or begin with '/'")
    if not scheme and not has_authority:
        if path.startswith("//"):
            raise InvalidURL("Relative URLs cannot have a path starting with '//'")
        if path.startswith(":"):
            raise InvalidURL("Relative URLs cannot have a path starting with ':'")
    if scheme or has_authority:
        path = _normalize_path(path)
    query, fragment = found["query"], found["fragment"]
    return URL(
        scheme,
        userinfo,
        host,
        port,
        _quote(path, PATH_SAFE),
        None if query is None else _quote(query, QUERY_SAFE),
        None if fragment is None else _quote(fragment, FRAG_SAFE),
    )


def _encode_host(host: str) -> str:
    if not host:
        return ""
    if _IPV4_STYLE.match(host):
        try:
            ipaddress.IPv4Address(host)
        except ipaddress.AddressValueError:
            raise InvalidURL(f"Invalid IPv4 address: {host!r}") from None
        return host
    if _IPV6_STYLE.match(host):
        try:
            ipaddress.IPv6Address(host[1:-1])
        except ipaddress.AddressValueError:
            raise InvalidURL(f"Invalid IPv6 address: {host!r}") from None
        return host[1:-1]
    if host.isascii():
        return _quote(host.lower(), SUB_DELIMS + '"`{}%|\\')
    import idna  # only for a host name outside ASCII (IDNA 2008)

    try:
        return str(idna.encode(host.lower()).decode("ascii"))
    except idna.IDNAError:
        raise InvalidURL(f"Invalid IDNA hostname: {host!r}") from None


def _normalize_port(port: str | None, scheme: str) -> int | None:
    if port is None or port == "":
        return None
    try:
        number = int(port)
    except ValueError:
        raise InvalidURL(f"Invalid port: {port!r}") from None
    return None if number == _DEFAULT_PORTS.get(scheme) else number


def _normalize_path(path: str) -> str:
    """Drop "." and ".." segments (RFC 3986 §5.2.4)."""
    if "." not in path:
        return path
    components = path.split("/")
    if "." not in components and ".." not in components:
        return path
    output: list[str] = []
    for component in components:
        if component == ".":
            pass
        elif component == "..":
            if output and output != [""]:
                output.pop()
        else:
            output.append(component)
    return "/".join(output)


def _percent_encoded(string: str, safe: str) -> str:
    keep = UNRESERVED + safe
    if not string.rstrip(keep):
        return string
    return "".join(char if char in keep else "".join(f"%{b:02X}" for b in char.encode()) for char in string)


def _quote(string: str, safe: str) -> str:
    """Percent-encode ``string``, leaving its existing ``%xx`` escapes as they are (RFC 3986 §2.1)."""
    parts, position = [], 0
    for match in _PERCENT_ENCODED.finditer(string):
        if match.start() != position:
            parts.append(_percent_encoded(string[position : match.start()], safe))
        parts.append(match.group(0))
        position = match.end()
    if position != len(string):
        parts.append(_percent_encoded(string[position:], safe))
    return "".join(parts)
