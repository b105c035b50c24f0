"""regtui's own clients over TLS (core/wire/lean.py for check, blocking.py for ratelimit), against a
loopback server with a test CA: verified with that CA, refused without it, and a server that
accepts the connection but never answers the handshake is cut at the deadline."""

from __future__ import annotations

import socket
import ssl
import threading
import time
from collections.abc import Iterator

import pytest
import trustme

from regtui.core import wire
from regtui.core.wire.blocking import BlockingClient, run_blocking
from regtui.core.wire.lean import LeanClient

ANSWER = b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{"tls": true}'


class TlsServer:
    """HTTPS on 127.0.0.1 in a thread; ``stall``: accept, then never answer the handshake."""

    def __init__(self, ca: trustme.CA, stall: bool = False) -> None:
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ca.issue_cert("127.0.0.1").configure_cert(self.context)
        self.stall, self.held = stall, []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            if self.stall:
                self.held.append(conn)
                continue
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        try:
            with self.context.wrap_socket(conn, server_side=True) as tls:
                data = b""
                while chunk := tls.recv(4096):
                    data += chunk
                    while b"\r\n\r\n" in data:  # one answer per request: keep-alive
                        _, data = data.split(b"\r\n\r\n", 1)
                        tls.sendall(ANSWER)
        except OSError:
            pass

    def close(self) -> None:
        self.listener.close()
        for conn in self.held:
            conn.close()


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA(organization_name="regtui wire test CA")


@pytest.fixture(scope="module")
def server(ca: trustme.CA) -> Iterator[TlsServer]:
    running = TlsServer(ca)
    yield running
    running.close()


def trusting(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ca.configure_trust(context)
    return context


async def test_the_lean_client_verifies_with_the_ca_and_refuses_without(ca: trustme.CA, server: TlsServer) -> None:
    url = f"https://127.0.0.1:{server.port}/v2/"
    async with LeanClient(5, verify=trusting(ca)) as client:
        for _ in range(2):
            assert (await client.get(url)).json() == {"tls": True}
    async with LeanClient(5) as client:  # the system's CAs: not this test CA
        with pytest.raises(wire.ConnectError, match="certificate verify failed"):
            await client.get(url)


def test_the_blocking_client_verifies_with_the_ca_and_refuses_without(ca: trustme.CA, server: TlsServer) -> None:
    url = f"https://127.0.0.1:{server.port}/v2/"
    client = BlockingClient(5, verify=trusting(ca))
    for _ in range(2):  # the second over the kept-alive connection
        assert run_blocking(client.get(url)).json() == {"tls": True}
    client.close()
    with pytest.raises(wire.ConnectError, match="certificate verify failed"):
        run_blocking(BlockingClient(5).get(url))


def test_a_stalled_handshake_ends_at_the_deadline(ca: trustme.CA) -> None:
    stalled = TlsServer(ca, stall=True)
    try:
        start = time.monotonic()
        with pytest.raises(wire.DeadlineExceeded):
            run_blocking(BlockingClient(0.5, verify=trusting(ca)).get(f"https://127.0.0.1:{stalled.port}/"))
        assert time.monotonic() - start < 1.5
    finally:
        stalled.close()


async def test_a_stalled_handshake_ends_at_the_deadline_lean(ca: trustme.CA) -> None:
    stalled = TlsServer(ca, stall=True)
    try:
        start = time.monotonic()
        with pytest.raises(wire.DeadlineExceeded):
            async with LeanClient(0.5, verify=trusting(ca)) as client:
                await client.get(f"https://127.0.0.1:{stalled.port}/")
        assert time.monotonic() - start < 1.5
    finally:
        stalled.close()
