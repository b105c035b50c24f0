"""The blocking client: HTTP/1.1 on plain sockets, for a process with nothing else to do.

``regtui ratelimit`` sends two requests, one after the other, and exits. asyncio, and what it
imports (logging, concurrent.futures, subprocess ...), costs more than those requests take
(bench/RESULTS.md, session 9), so this client needs no event loop. It has the lean client's
shape (client.py) and bounds: a deadline from connect to the last byte (each socket operation
waits at most what is left of it), the framing of http11.py, the body cap after inflating,
keep-alive per (scheme, host, port), TLS from the same contexts. Its ``send`` is a coroutine that
never suspends: ``run_blocking`` drives regtui's async code over it without a loop.
"""

from __future__ import annotations

import select
import socket
import time
from collections.abc import AsyncIterator, Coroutine
from typing import TYPE_CHECKING, Any, TypeVar, cast

from regtui.core.wire.client import Client
from regtui.core.wire.errors import (
    ConnectError,
    DeadlineExceeded,
    ReadError,
    WriteError,
)
from regtui.core.wire.http11 import (
    MAX_HEAD,
    READ,
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

if TYPE_CHECKING:
    import ssl  # imported for the first https:// request only: a plain-HTTP reading needs no TLS (~5 ms)

T = TypeVar("T")
_Key = tuple[str, str, int]


def run_blocking(coroutine: Coroutine[Any, Any, T]) -> T:
    """The coroutine's result, driven without an event loop: it may await only what never suspends
    (this module's client, and regtui's code over it)."""
    try:
        coroutine.send(None)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]
    coroutine.close()
    raise RuntimeError("a coroutine run without an event loop waited on one")


class _Conn:
    """A socket and what has been received on it and not yet read, within one request's deadline."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock, self.buffer = sock, bytearray()
        self.deadline, self.seconds = 0.0, 0.0

    def _recv(self) -> bytes:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise DeadlineExceeded(self.seconds)
        self.sock.settimeout(left)
        try:
            return self.sock.recv(READ)
        except TimeoutError:
            raise DeadlineExceeded(self.seconds) from None

    async def readuntil(self, separator: bytes) -> bytes:
        start = 0
        while True:
            found = self.buffer.find(separator, start)
            if found >= 0:
                if found >= MAX_HEAD:
                    raise LineTooLong
                line = bytes(self.buffer[: found + len(separator)])
                del self.buffer[: found + len(separator)]
                return line
            if len(self.buffer) > MAX_HEAD:
                raise LineTooLong
            start = max(0, len(self.buffer) - len(separator) + 1)
            data = self._recv()
            if not data:
                partial = bytes(self.buffer)
                self.buffer.clear()
                raise Truncated(partial)
            self.buffer += data

    async def read(self, n: int) -> bytes:
        if not self.buffer:
            data = self._recv()
            if len(data) <= n:
                return data
            self.buffer += data
        chunk = bytes(self.buffer[:n])
        del self.buffer[:n]
        return chunk

    def usable(self) -> bool:
        """Idle and still open: nothing to read (a readable idle socket is closed, or out of step)."""
        if self.buffer:
            return False
        try:
            readable, _, _ = select.select([self.sock], [], [], 0)
        except (OSError, ValueError):
            return False
        return not readable

    def drop(self) -> None:
        self.sock.close()


class BlockingClient(Client):
    """``verify`` as LeanClient takes it: a context, False (not verified), None (the system's CAs)."""

    def __init__(
        self, deadline: float, max_body: int = MAX_BODY, *, verify: ssl.SSLContext | bool | None = None
    ) -> None:
        super().__init__(deadline, max_body)
        self.verify = verify
        self._context: ssl.SSLContext | None = None
        self._idle: dict[_Key, _Conn] = {}

    def _ssl(self) -> ssl.SSLContext:
        if self._context is None:
            from regtui.core.trust import client_context  # ssl loads with the first https:// request

            self._context = client_context(self.verify)
        return self._context

    async def send(self, request: Request, *, stream: bool = False) -> Response:
        key = connection_key(request)
        deadline = time.monotonic() + self.deadline
        data = request_bytes(request)
        conn = self._idle.pop(key, None)
        if conn is not None and not conn.usable():
            conn.drop()
            conn = None
        reused = conn is not None
        while True:
            if conn is None:
                conn = self._connect(key, deadline)
            conn.deadline, conn.seconds = deadline, self.deadline
            try:
                version, status, reason, raw = await self._round_trip(conn, data)
                break
            except (WriteError, NoAnswer):
                conn.drop()
                if not reused:
                    raise
                conn, reused = None, False  # an idle connection the server had closed: once more, fresh
            except BaseException:
                conn.drop()
                raise
        closes = closes_after(request, version, raw)
        headers = Headers.from_raw(raw)
        try:
            how, length = framing(request.method, status, raw)
            inflater = inflater_for(headers)
        except BaseException:
            conn.drop()
            raise
        body = Body(conn, how, length)
        kept = conn

        async def close() -> None:
            if body.complete and not body.to_the_close and not closes and key not in self._idle:
                self._idle[key] = kept
            else:
                kept.drop()

        async def chunks() -> AsyncIterator[bytes]:
            while data := await body.next():
                yield data

        response = Response(
            status, headers, request, reason=reason, stream=bounded(chunks(), inflater, self.max_body), close=close
        )
        if not stream:
            await response.aread()
        return response

    def _connect(self, key: _Key, deadline: float) -> _Conn:
        scheme, host, port = key
        left = deadline - time.monotonic()
        name = host.encode("ascii")  # the URL's host is ASCII; bytes spare the idna codec (see tls.ascii_name)
        try:
            sock = socket.create_connection((cast(str, name), port), timeout=left)  # getaddrinfo takes bytes
        except TimeoutError:
            raise DeadlineExceeded(self.deadline) from None
        except OSError as exc:
            raise ConnectError(str(exc) or type(exc).__name__) from exc
        if scheme == "https":
            try:
                sock = self._ssl().wrap_socket(sock, server_hostname=name)  # the handshake, within the timeout
            except TimeoutError:
                sock.close()
                raise DeadlineExceeded(self.deadline) from None
            except (OSError, ValueError) as exc:  # ssl.SSLError is an OSError; CertificateError both
                sock.close()
                raise ConnectError(str(exc) or type(exc).__name__) from exc
        return _Conn(sock)

    async def _round_trip(self, conn: _Conn, data: bytes) -> tuple[bytes, int, bytes, list[tuple[bytes, bytes]]]:
        try:
            left = conn.deadline - time.monotonic()
            if left <= 0:
                raise DeadlineExceeded(conn.seconds)
            conn.sock.settimeout(left)
            conn.sock.sendall(data)
        except TimeoutError:
            raise DeadlineExceeded(conn.seconds) from None
        except OSError as exc:  # ssl.SSLError is one too
            raise WriteError(str(exc) or type(exc).__name__) from exc
        try:
            return await read_head(conn)
        except OSError as exc:  # ssl.SSLError is one too
            raise ReadError(str(exc) or type(exc).__name__) from exc

    def close(self) -> None:
        for conn in self._idle.values():
            conn.drop()
        self._idle.clear()

    async def aclose(self) -> None:
        self.close()
