"""The lean client: HTTP/1.1 on asyncio streams, keep-alive per (scheme, host, port); no httpx.

``regtui check``, ``regtui ratelimit`` and the TUI's checks send a handful of requests; importing
httpx, httpcore, h11 and anyio for them cost more than the requests (``python -X importtime``;
bench/RESULTS.md). The framing is http11.py; the bounds are the ones every regtui client keeps
(client.py): a deadline from connect to the last byte, a body cap counted after inflating. It
opens direct connections only: with a proxy variable set, ``new_client`` chooses httpx.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator

from regtui.core.wire.client import Client
from regtui.core.wire.errors import (
    ConnectError,
    DeadlineExceeded,
    ReadError,
    WriteError,
)
from regtui.core.wire.http11 import (
    MAX_HEAD,
    Body,
    LineTooLong,
    NoAnswer,
    Truncated,
    closes_after,
    connection_key,
    framing,
    read_head,
    request_bytes,
)
from regtui.core.wire.model import MAX_BODY, Headers, Request, Response, bounded, inflater_for

_Key = tuple[str, str, int]


class _Reader:
    """An asyncio StreamReader as http11.py reads (its own exceptions, not asyncio's)."""

    def __init__(self, stream: asyncio.StreamReader) -> None:
        self.stream = stream

    async def readuntil(self, separator: bytes) -> bytes:
        try:
            return await self.stream.readuntil(separator)
        except asyncio.LimitOverrunError:
            raise LineTooLong from None
        except asyncio.IncompleteReadError as exc:
            raise Truncated(exc.partial) from None

    async def read(self, n: int) -> bytes:
        return await self.stream.read(n)


class _Conn:
    def __init__(self, stream: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.stream, self.reader, self.writer = stream, _Reader(stream), writer

    def usable(self) -> bool:
        return not self.stream.at_eof() and not self.writer.transport.is_closing()

    def drop(self) -> None:
        self.writer.transport.abort()  # never wait on a peer to take our close


class LeanClient(Client):
    """``verify``: a TLS context; False: encrypted, not verified; None: the system's CAs (core/trust.py),
    loaded when the first https:// request goes out."""

    def __init__(
        self,
        deadline: float,
        max_body: int = MAX_BODY,
        *,
        verify: ssl.SSLContext | bool | None = None,
        max_idle: int = 32,
    ) -> None:
        super().__init__(deadline, max_body)
        self.verify, self.max_idle = verify, max_idle
        self._context: ssl.SSLContext | None = None
        self._idle: dict[_Key, list[_Conn]] = {}

    def _ssl(self) -> ssl.SSLContext:
        if self._context is None:
            from regtui.core.trust import client_context

            self._context = client_context(self.verify)
        return self._context

    async def send(self, request: Request, *, stream: bool = False) -> Response:
        deadline = asyncio.get_running_loop().time() + self.deadline
        try:
            async with asyncio.timeout_at(deadline):
                key, conn, status, reason, raw, closes = await self._exchange(request)
        except TimeoutError:
            raise DeadlineExceeded(self.deadline) from None
        headers = Headers.from_raw(raw)
        try:
            how, length = framing(request.method, status, raw)
            inflater = inflater_for(headers)
        except BaseException:
            conn.drop()
            raise
        body = Body(conn.reader, how, length)

        async def close() -> None:
            if body.complete and not body.to_the_close and not closes and conn.usable():
                self._give_back(key, conn)
            else:
                conn.drop()

        async def chunks() -> AsyncIterator[bytes]:
            while True:
                try:
                    async with asyncio.timeout_at(deadline):
                        data = await body.next()
                except TimeoutError:
                    raise DeadlineExceeded(self.deadline) from None
                if not data:
                    return
                yield data

        response = Response(
            status, headers, request, reason=reason, stream=bounded(chunks(), inflater, self.max_body), close=close
        )
        if not stream:
            await response.aread()
        return response

    async def _exchange(self, request: Request) -> tuple[_Key, _Conn, int, bytes, list[tuple[bytes, bytes]], bool]:
        key = connection_key(request)
        data = request_bytes(request)
        conn = self._pooled(key)
        reused = conn is not None
        while True:
            if conn is None:
                conn = await self._connect(key)
            try:
                version, status, reason, raw = await self._round_trip(conn, data)
                break
            except (WriteError, NoAnswer):
                conn.drop()
                if not reused:
                    raise
                conn, reused = None, False  # an idle connection the server had closed: once more, fresh
            except BaseException:  # the deadline, or anything else: the connection is in an unknown state
                conn.drop()
                raise
        closes = closes_after(request, version, raw)
        return key, conn, status, reason, raw, closes

    async def _connect(self, key: _Key) -> _Conn:
        scheme, host, port = key
        try:
            reader, writer = await asyncio.open_connection(
                host,
                port,
                ssl=self._ssl() if scheme == "https" else None,
                server_hostname=host.encode("ascii") if scheme == "https" else None,  # see tls.ascii_name
                limit=MAX_HEAD,
            )
        except (OSError, ssl.SSLError, ssl.CertificateError) as exc:
            raise ConnectError(str(exc) or type(exc).__name__) from exc
        return _Conn(reader, writer)

    async def _round_trip(self, conn: _Conn, data: bytes) -> tuple[bytes, int, bytes, list[tuple[bytes, bytes]]]:
        try:
            conn.writer.write(data)
            await conn.writer.drain()
        except (OSError, ssl.SSLError) as exc:
            raise WriteError(str(exc) or type(exc).__name__) from exc
        try:
            return await read_head(conn.reader)
        except (OSError, ssl.SSLError) as exc:
            raise ReadError(str(exc) or type(exc).__name__) from exc

    def _pooled(self, key: _Key) -> _Conn | None:
        idle = self._idle.get(key) or []
        while idle:
            conn = idle.pop()
            if conn.usable():
                return conn
            conn.drop()
        return None

    def _give_back(self, key: _Key, conn: _Conn) -> None:
        idle = self._idle.setdefault(key, [])
        if len(idle) < self.max_idle:
            idle.append(conn)
        else:
            conn.drop()

    async def aclose(self) -> None:
        for idle in self._idle.values():
            for conn in idle:
                conn.drop()
        self._idle.clear()
