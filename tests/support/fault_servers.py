"""Servers on 127.0.0.1 that misbehave the way real networks and proxies do, for the check ladder.

Each is a plain socket server in a thread, so the misbehaviour is exact: never answering,
resetting the connection, an HTML page, a broken WWW-Authenticate, a body with no end,
TLS with an expired certificate or one for another host.
"""

from __future__ import annotations

import socket
import ssl
import struct
import threading
import time
from dataclasses import dataclass, field


def http_answer(status: str, headers: dict[str, str], body: bytes = b"") -> bytes:
    head = f"HTTP/1.1 {status}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    return (head + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode() + body


UNAUTHORIZED_JSON = b'{"errors":[{"code":"UNAUTHORIZED","message":"authentication required","detail":null}]}'

BEHAVIOURS = {
    "500": http_answer(
        "500 Internal Server Error",
        {"Content-Type": "application/json"},
        b'{"errors":[{"code":"UNKNOWN","message":"unknown error","detail":"storage driver failed"}]}',
    ),
    "html": http_answer("200 OK", {"Content-Type": "text/html"}, b"<html><body>Welcome to nginx!</body></html>"),
    "garbage-challenge": http_answer(
        "401 Unauthorized",
        {"Content-Type": "application/json", "WWW-Authenticate": 'Bearer realm="https://unterminated'},
        UNAUTHORIZED_JSON,
    ),
    "open": http_answer(
        "200 OK", {"Content-Type": "application/json", "Docker-Distribution-Api-Version": "registry/2.0"}, b"{}"
    ),
}


@dataclass
class FaultServer:
    """``behaviour``: slow | reset | oversize | one of BEHAVIOURS. ``tls``: a server SSLContext."""

    behaviour: str
    tls: ssl.SSLContext | None = None
    delay: float = 0.0
    sock: socket.socket = field(default_factory=socket.socket)
    stopping: bool = False
    answer: bytes = b""  # for behaviour "custom": the exact bytes to send

    @property
    def port(self) -> int:
        return self.sock.getsockname()[1]

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> FaultServer:
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.1)
        threading.Thread(target=self._serve, daemon=True).start()
        return self

    def _serve(self) -> None:
        while not self.stopping:
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        try:
            if self.tls is not None:
                conn = self.tls.wrap_socket(conn, server_side=True)
            conn.settimeout(5)
            conn.recv(65536)  # the request (or the TLS handshake was the point)
            if self.delay:
                time.sleep(self.delay)
            if self.behaviour == "slow":
                time.sleep(30)
            elif self.behaviour == "reset":
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            elif self.behaviour == "oversize":
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n")
                chunk = b"x" * 65536
                for _ in range(64):  # 4 MiB, more than any registry ping answer
                    conn.sendall(chunk)
            else:
                conn.sendall(self.answer if self.behaviour == "custom" else BEHAVIOURS[self.behaviour])
        except (OSError, ssl.SSLError):
            pass
        finally:
            conn.close()

    def close(self) -> None:
        self.stopping = True
        self.sock.close()
