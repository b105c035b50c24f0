"""A lean HTTP/1.1 transport for httpx, on asyncio streams: no httpcore, h11 or anyio.

``regtui check`` and ``regtui ratelimit`` are short processes that send a handful of requests;
importing httpcore, h11 and anyio's asyncio backend for them cost more than the requests
(``python -X importtime``: about 35 ms of a 185 ms check; bench/RESULTS.md). This transport
speaks HTTP/1.1 (RFC 9112) itself. Only the wire is here; everything else stays where it was:
the deadline and the body cap (core/http.py wraps this transport's streams exactly as
httpcore's), redirects (never followed), headers, and proxies: httpx mounts its own transports
for proxied URLs (HTTPS_PROXY, NO_PROXY), so this one only ever opens direct connections.

Every byte is the server's: the head (status line and headers) is bounded (``MAX_HEAD``), a
chunk size is read as at most 16 hex digits, a body is handed on in reads of at most 64 KiB
whatever the framing says, and every malformed answer is an httpx.RemoteProtocolError.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator

import httpx

MAX_HEAD = 64 * 1024  # status line and headers together
MAX_HEADERS = 256
READ = 64 * 1024
_Key = tuple[str, str, int]


class _Conn:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    def usable(self) -> bool:
        return not self.reader.at_eof() and not self.writer.transport.is_closing()

    def drop(self) -> None:
        self.writer.transport.abort()  # never wait on a peer to take our close


class _NoAnswer(httpx.RemoteProtocolError):
    """The connection closed before a single byte of the answer."""


def _protocol_error(what: str, request: httpx.Request) -> httpx.RemoteProtocolError:
    return httpx.RemoteProtocolError(what, request=request)


_HEAD_TOO_LONG = f"the answer's headers are larger than {MAX_HEAD >> 10} KiB"


async def _line(conn: _Conn, request: httpx.Request, budget: int, too_long: str = _HEAD_TOO_LONG) -> bytes:
    try:
        line = await conn.reader.readuntil(b"\n")
    except asyncio.LimitOverrunError:
        raise _protocol_error(too_long, request) from None
    except asyncio.IncompleteReadError as exc:
        if not exc.partial and budget == MAX_HEAD:
            raise _NoAnswer("the server closed the connection without sending a response", request=request) from None
        raise _protocol_error(
            "the server closed the connection in the middle of the answer's headers", request
        ) from None
    if len(line) > budget:
        raise _protocol_error(too_long, request)
    return line.rstrip(b"\r\n")


async def _read_head(conn: _Conn, request: httpx.Request) -> tuple[bytes, int, bytes, list[tuple[bytes, bytes]]]:
    budget = MAX_HEAD
    while True:  # 1xx interim answers (100 Continue, 103 Early Hints) are skipped
        status_line = await _line(conn, request, budget)
        budget -= len(status_line)
        version, _, rest = status_line.partition(b" ")
        code, _, reason = rest.partition(b" ")
        if version not in (b"HTTP/1.1", b"HTTP/1.0") or len(code) != 3 or not code.isdigit():
            raise _protocol_error(f"not an HTTP/1.1 status line: {status_line[:60]!r}", request)
        headers: list[tuple[bytes, bytes]] = []
        while line := await _line(conn, request, budget):
            budget -= len(line) + 2
            if line[:1] in (b" ", b"\t") and headers:  # obsolete line folding (RFC 9112 §5.2)
                name, value = headers.pop()
                headers.append((name, value + b" " + line.strip()))
                continue
            name, colon, value = line.partition(b":")
            if not colon or not name or name != name.strip() or len(headers) >= MAX_HEADERS:
                raise _protocol_error(f"a malformed header line: {line[:60]!r}", request)
            headers.append((name, value.strip(b" \t")))
        status = int(code)
        if not 100 <= status < 200 or status == 101:
            return version, status, reason, headers


def _framing(request: httpx.Request, status: int, headers: list[tuple[bytes, bytes]]) -> tuple[str, int]:
    """("none" | "length" | "chunked" | "close", length), as RFC 9112 §6.3 orders it."""
    if request.method == "HEAD" or status in (204, 304):
        return "none", 0
    codings = [v.strip().lower() for k, v in headers if k.lower() == b"transfer-encoding"]
    if codings:
        return ("chunked" if codings[-1].split(b",")[-1].strip() == b"chunked" else "close"), 0
    lengths = {v.strip() for k, v in headers if k.lower() == b"content-length"}
    if not lengths:
        return "close", 0
    if len(lengths) != 1 or not next(iter(lengths)).isdigit() or len(next(iter(lengths))) > 18:
        raise _protocol_error("a missing, repeated or malformed Content-Length", request)
    return "length", int(next(iter(lengths)))


class _Body(httpx.AsyncByteStream):
    def __init__(
        self,
        transport: LeanTransport,
        key: _Key,
        conn: _Conn,
        request: httpx.Request,
        framing: str,
        length: int,
        reuse: bool,
    ) -> None:
        self.transport, self.key, self.conn, self.request = transport, key, conn, request
        self.framing, self.length, self.reuse = framing, length, reuse
        self.complete = framing == "none"

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            if self.framing == "length":
                async for data in self._exactly(self.length):
                    yield data
            elif self.framing == "chunked":
                async for data in self._chunked():
                    yield data
            elif self.framing == "close":
                while data := await self.conn.reader.read(READ):
                    yield data
                self.reuse = False
            self.complete = True
        except (OSError, ssl.SSLError) as exc:
            raise httpx.ReadError(str(exc) or type(exc).__name__, request=self.request) from exc

    async def _exactly(self, size: int) -> AsyncIterator[bytes]:
        received = 0
        while received < size:
            data = await self.conn.reader.read(min(READ, size - received))
            if not data:
                raise _protocol_error(
                    f"the server closed the connection before the whole body: {received} of {size} bytes",
                    self.request,
                )
            received += len(data)
            yield data

    async def _chunked(self) -> AsyncIterator[bytes]:
        while True:
            line = await _line(self.conn, self.request, 1024, "a malformed chunk size line")
            digits = line.split(b";", 1)[0].strip()
            if not digits or len(digits) > 16 or digits.strip(b"0123456789abcdefABCDEF"):
                raise _protocol_error(f"a malformed chunk size: {line[:40]!r}", self.request)
            size = int(digits, 16)
            if size == 0:
                budget = MAX_HEAD
                while trailer := await _line(self.conn, self.request, budget):  # trailers: read, not used
                    budget -= len(trailer) + 2
                return
            async for data in self._exactly(size):
                yield data
            if await _line(self.conn, self.request, 2, "a chunk longer than its size"):
                raise _protocol_error("a chunk longer than its size", self.request)

    async def aclose(self) -> None:
        conn, self.conn = self.conn, None  # type: ignore[assignment]
        if conn is None:
            return
        if self.complete and self.reuse and conn.usable():
            self.transport.give_back(self.key, conn)
        else:
            conn.drop()


class LeanTransport(httpx.AsyncBaseTransport):
    """HTTP/1.1 over asyncio streams, keep-alive per (scheme, host, port); ``verify`` as httpx takes it."""

    def __init__(self, verify: ssl.SSLContext | bool = True, max_idle: int = 32) -> None:
        self.verify, self.max_idle = verify, max_idle
        self._context: ssl.SSLContext | None = verify if isinstance(verify, ssl.SSLContext) else None
        self._idle: dict[_Key, list[_Conn]] = {}

    def _ssl(self) -> ssl.SSLContext:
        if self._context is None:
            if self.verify:
                from regtui.core.trust import system_context

                self._context = system_context()
            else:  # as httpx's verify=False: encrypted, not authenticated
                self._context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
                self._context.check_hostname = False
                self._context.verify_mode = ssl.CERT_NONE
        return self._context

    def give_back(self, key: _Key, conn: _Conn) -> None:
        idle = self._idle.setdefault(key, [])
        if len(idle) < self.max_idle:
            idle.append(conn)
        else:
            conn.drop()

    async def _connect(self, request: httpx.Request, key: _Key) -> _Conn:
        scheme, host, port = key
        timeout = request.extensions.get("timeout", {}).get("connect")
        try:
            async with asyncio.timeout(timeout):
                reader, writer = await asyncio.open_connection(
                    host,
                    port,
                    ssl=self._ssl() if scheme == "https" else None,
                    server_hostname=host if scheme == "https" else None,
                    limit=MAX_HEAD,
                )
        except TimeoutError:
            raise httpx.ConnectTimeout(
                f"no connection to {host}:{port} within {timeout:g} s", request=request
            ) from None
        except (OSError, ssl.SSLError, ssl.CertificateError) as exc:
            raise httpx.ConnectError(str(exc) or type(exc).__name__, request=request) from exc
        return _Conn(reader, writer)

    def _pooled(self, key: _Key) -> _Conn | None:
        idle = self._idle.get(key) or []
        while idle:
            conn = idle.pop()
            if conn.usable():
                return conn
            conn.drop()
        return None

    async def _exchange(
        self, conn: _Conn, request: httpx.Request, data: bytes
    ) -> tuple[bytes, int, bytes, list[tuple[bytes, bytes]]]:
        try:
            conn.writer.write(data)
            await conn.writer.drain()
        except (OSError, ssl.SSLError) as exc:
            raise httpx.WriteError(str(exc) or type(exc).__name__, request=request) from exc
        try:
            return await _read_head(conn, request)
        except (OSError, ssl.SSLError) as exc:
            conn.drop()
            raise httpx.ReadError(str(exc) or type(exc).__name__, request=request) from exc
        except BaseException:
            conn.drop()
            raise

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        if url.scheme not in ("http", "https"):
            raise httpx.UnsupportedProtocol(f"the URL {url.scheme}:// is neither http nor https", request=request)
        key = (url.scheme, url.host, url.port or (443 if url.scheme == "https" else 80))
        body = await request.aread()
        head = [request.method.encode("ascii"), b" ", url.raw_path, b" HTTP/1.1\r\n"]
        chunked = False
        for name, value in request.headers.raw:
            chunked = chunked or (name.lower() == b"transfer-encoding" and b"chunked" in value.lower())
            head += [name, b": ", value, b"\r\n"]
        if chunked:  # the body was gathered above: send it as one chunk
            body = (f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\n\r\n") if body else b"0\r\n\r\n"
        data = b"".join([*head, b"\r\n", body])
        conn = self._pooled(key)
        reused = conn is not None
        while True:
            if conn is None:
                conn = await self._connect(request, key)
            try:
                version, status, reason, headers = await self._exchange(conn, request, data)
                break
            except (httpx.WriteError, _NoAnswer):
                conn.drop()
                if not reused:
                    raise
                conn, reused = None, False  # an idle connection the server had closed: once more, fresh
        try:
            framing, length = _framing(request, status, headers)
        except httpx.RemoteProtocolError:
            conn.drop()
            raise
        closes = version != b"HTTP/1.1" or any(
            k.lower() == b"connection" and b"close" in v.lower() for k, v in [*headers, *request.headers.raw]
        )
        stream = _Body(self, key, conn, request, framing, length, reuse=not closes)
        return httpx.Response(
            status,
            headers=headers,
            stream=stream,
            extensions={"http_version": b"HTTP/1.1", "reason_phrase": reason},
        )

    async def aclose(self) -> None:
        for idle in self._idle.values():
            for conn in idle:
                conn.drop()
        self._idle.clear()
