"""HTTP/1.1 framing (RFC 9112): the request's bytes, the answer's head and body, read from a ``Reader``
(asyncio streams in lean.py, a blocking socket in blocking.py; nothing here imports asyncio).

Every byte is the server's: the head (status line and headers) is bounded (``MAX_HEAD``), a
chunk size is read as at most 16 hex digits, a body is handed on in reads of at most 64 KiB
whatever the framing says, and every malformed answer is a RemoteProtocolError.
"""

from __future__ import annotations

from typing import Protocol

from regtui.core.wire.errors import LocalProtocolError, ReadError, RemoteProtocolError, UnsupportedProtocol
from regtui.core.wire.model import Request

MAX_HEAD = 64 * 1024  # status line and headers together
MAX_HEADERS = 256
READ = 64 * 1024
RawHeaders = list[tuple[bytes, bytes]]
_HEAD_TOO_LONG = f"the answer's headers are larger than {MAX_HEAD >> 10} KiB"
_TOKEN = frozenset(b"!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


class NoAnswer(RemoteProtocolError):
    """The connection closed before a single byte of the answer."""


class LineTooLong(Exception):
    """No line end within the reader's limit (``MAX_HEAD``)."""


class Truncated(Exception):
    """The connection ended before the line did; ``partial`` is what came."""

    def __init__(self, partial: bytes) -> None:
        super().__init__("the connection ended in the middle of a line")
        self.partial = partial


class Reader(Protocol):
    async def readuntil(self, separator: bytes) -> bytes:
        """Up to and with ``separator``; LineTooLong or Truncated otherwise."""
        ...

    async def read(self, n: int) -> bytes:
        """At most ``n`` bytes; b"" at the end of the stream."""
        ...


def connection_key(request: Request) -> tuple[str, str, int]:
    """(scheme, host, port): what a kept connection may serve again; an URL no client can send to
    (neither http nor https, no host) is refused here."""
    url = request.url
    if url.scheme not in ("http", "https"):
        raise UnsupportedProtocol(f"the URL {url.scheme}:// is neither http nor https")
    if not url.host:
        raise LocalProtocolError("the URL names no host")
    return (url.scheme, url.host, url.effective_port or 0)


def request_bytes(request: Request) -> bytes:
    """The request line, the headers and the body. A header that would split the request (a line
    break or NUL in a value a server sent, such as a token) is refused, never sent; its value
    is not quoted (it may be a secret)."""
    head = [request.method.encode("ascii"), b" ", request.url.target.encode("ascii"), b" HTTP/1.1\r\n"]
    for name, value in request.headers.items():
        raw_name, raw_value = name.encode("ascii"), value.encode("ascii")
        if not raw_name or not set(raw_name) <= _TOKEN:
            raise LocalProtocolError(f"illegal header name {name[:40]!r}")
        if b"\r" in raw_value or b"\n" in raw_value or b"\0" in raw_value:
            raise LocalProtocolError(f"illegal header value in {name}: a line break or NUL")
        head += [raw_name, b": ", raw_value, b"\r\n"]
    return b"".join([*head, b"\r\n", request.content])


async def read_line(reader: Reader, budget: int, too_long: str = _HEAD_TOO_LONG) -> bytes:
    try:
        line = await reader.readuntil(b"\n")
    except LineTooLong:
        raise RemoteProtocolError(too_long) from None
    except Truncated as exc:
        if not exc.partial and budget == MAX_HEAD:
            raise NoAnswer("the server closed the connection without sending a response") from None
        raise RemoteProtocolError("the server closed the connection in the middle of the answer's headers") from None
    if len(line) > budget:
        raise RemoteProtocolError(too_long)
    return line.rstrip(b"\r\n")


async def read_head(reader: Reader) -> tuple[bytes, int, bytes, RawHeaders]:
    """(version, status, reason, headers) of the final answer: 1xx interim answers are skipped."""
    budget = MAX_HEAD
    while True:
        status_line = await read_line(reader, budget)
        budget -= len(status_line)
        version, _, rest = status_line.partition(b" ")
        code, _, reason = rest.partition(b" ")
        if version not in (b"HTTP/1.1", b"HTTP/1.0") or len(code) != 3 or not code.isdigit():
            raise RemoteProtocolError(f"not an HTTP/1.1 status line: {status_line[:60]!r}")
        headers: RawHeaders = []
        while line := await read_line(reader, budget):
            budget -= len(line) + 2
            if line[:1] in (b" ", b"\t") and headers:  # obsolete line folding (RFC 9112 §5.2)
                name, value = headers.pop()
                headers.append((name, value + b" " + line.strip()))
                continue
            name, colon, value = line.partition(b":")
            if not colon or not name or name != name.strip() or len(headers) >= MAX_HEADERS:
                raise RemoteProtocolError(f"a malformed header line: {line[:60]!r}")
            headers.append((name, value.strip(b" \t")))
        status = int(code)
        if not 100 <= status < 200 or status == 101:
            return version, status, reason, headers


def closes_after(request: Request, version: bytes, headers: RawHeaders) -> bool:
    """Whether the connection ends with this exchange (RFC 9112 9.3: HTTP/1.0, or ``Connection:
    close`` from either side), so it is not kept for the next request."""
    return (
        version != b"HTTP/1.1"
        or any(k.lower() == b"connection" and b"close" in v.lower() for k, v in headers)
        or "close" in (request.headers.get("connection") or "").lower()
    )


def framing(method: str, status: int, headers: RawHeaders) -> tuple[str, int]:
    """("none" | "length" | "chunked" | "close", length), as RFC 9112 §6.3 orders it."""
    if method == "HEAD" or status in (204, 304):
        return "none", 0
    codings = [v.strip().lower() for k, v in headers if k.lower() == b"transfer-encoding"]
    if codings:
        return ("chunked" if codings[-1].split(b",")[-1].strip() == b"chunked" else "close"), 0
    lengths = {v.strip() for k, v in headers if k.lower() == b"content-length"}
    if not lengths:
        return "close", 0
    if len(lengths) != 1 or not next(iter(lengths)).isdigit() or len(next(iter(lengths))) > 18:
        raise RemoteProtocolError("a missing, repeated or malformed Content-Length")
    return "length", int(next(iter(lengths)))


class Body:
    """The answer's body, one read at a time (``next``: b"" at its end), as its framing says."""

    def __init__(self, reader: Reader, how: str, length: int) -> None:
        self.reader, self.how = reader, how
        self.size = self.left = length  # the body's length, or the current chunk's
        self.complete = how == "none"
        self.in_chunk = False
        self.to_the_close = how == "close"

    async def next(self) -> bytes:
        if self.complete:
            return b""
        try:
            if self.how == "close":
                data = await self.reader.read(READ)
                self.complete = not data
                return data
            if self.how == "chunked" and not self.left and not await self._next_chunk():
                self.complete = True
                return b""
            if not self.left:  # "length", all of it read
                self.complete = True
                return b""
            data = await self.reader.read(min(READ, self.left))
        except OSError as exc:  # ssl.SSLError is one too
            raise ReadError(str(exc) or type(exc).__name__) from exc
        if not data:
            raise RemoteProtocolError(
                f"the server closed the connection before the whole body: {self.size - self.left} of {self.size} bytes"
            )
        self.left -= len(data)
        return data

    async def _next_chunk(self) -> bool:
        """Read up to the next chunk's data; False after the last chunk (and its trailers)."""
        if self.in_chunk and await read_line(self.reader, 2, "a chunk longer than its size"):
            raise RemoteProtocolError("a chunk longer than its size")
        line = await read_line(self.reader, 1024, "a malformed chunk size line")
        digits = line.split(b";", 1)[0].strip()
        if not digits or len(digits) > 16 or digits.strip(b"0123456789abcdefABCDEF"):
            raise RemoteProtocolError(f"a malformed chunk size: {line[:40]!r}")
        self.size = self.left = int(digits, 16)
        self.in_chunk = True
        if self.size:
            return True
        budget = MAX_HEAD
        while trailer := await read_line(self.reader, budget):  # trailers: read, not used
            budget -= len(trailer) + 2
        return False
