"""A minimal blocking D-Bus client for the session bus, written on the stdlib's C modules.

It exists for ``docker-credential-regtui get``, which runs on every pull: a general D-Bus
library costs that path more to import (~45 ms for jeepney, which pulls in ``socket`` and
``enum``) than the few round trips it makes. This module imports ``_socket`` and ``_struct``
only. It speaks exactly what the Secret Service reads need:

- addresses ``unix:path=`` and ``unix:abstract=`` (D-Bus Specification, "Server Addresses");
- SASL ``EXTERNAL`` authentication ("Authentication Protocol");
- method calls and their replies ("Message Protocol"), their values marshalled by
  dbus_marshal.py ("Marshaling").

Everything from the bus is treated as hostile: sizes, nesting and time are bounded, and any
malformed input is a ``DBusError``.
"""

from __future__ import annotations

import _socket
import _struct
import os
import time

from regtui.core.credentials.dbus_marshal import DBusError as DBusError  # re-exported: callers catch it here
from regtui.core.credentials.dbus_marshal import Reader as _Reader
from regtui.core.credentials.dbus_marshal import Writer as _Writer
from regtui.core.credentials.dbus_marshal import split_signature as _split

# ``typing`` stays out of the helper's hot path: mypy treats any ``TYPE_CHECKING`` as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

TIMEOUT = 5.0
MAX_MESSAGE = 1 << 22  # 4 MiB; the spec's own limit is 128 MiB, a secret read needs a few KiB
_METHOD_CALL, _METHOD_RETURN, _ERROR = 1, 2, 3


def socket_addresses(address: str) -> list[str]:
    """The Unix socket addresses in a D-Bus address list (abstract ones start with NUL)."""
    found = []
    for entry in address.split(";"):
        transport, _, params = entry.partition(":")
        if transport != "unix":
            continue
        keys = {}
        for pair in params.split(","):
            name, _, value = pair.partition("=")
            keys[name] = _unescape(value)
        if "path" in keys:
            found.append(keys["path"])
        elif "abstract" in keys:
            found.append("\0" + keys["abstract"])
    return found


def _unescape(value: str) -> str:
    parts = value.split("%")
    out = parts[0]
    for part in parts[1:]:
        out += chr(int(part[:2], 16)) + part[2:]
    return out


class Connection:
    """One authenticated connection to the session bus. Use as a context manager."""

    def __init__(self, address: str | None = None, timeout: float = TIMEOUT) -> None:
        address = address if address is not None else os.environ.get("DBUS_SESSION_BUS_ADDRESS", "")
        self.deadline = time.monotonic() + timeout
        self.serial = 0
        self.sock = None
        for target in socket_addresses(address):
            sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
            try:
                sock.settimeout(timeout)
                sock.connect(target)
            except OSError:
                sock.close()
                continue
            self.sock = sock
            break
        if self.sock is None:
            raise DBusError("no reachable unix: address in DBUS_SESSION_BUS_ADDRESS")
        self._buffer = b""
        try:
            uid = str(os.getuid()).encode().hex().encode()
            self.sock.sendall(b"\0AUTH EXTERNAL " + uid + b"\r\n")
            line = self._read_line()
            if not line.startswith(b"OK "):
                raise DBusError("the session bus refused EXTERNAL authentication")
            self.sock.sendall(b"BEGIN\r\n")
            self.send("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "Hello")
        except (OSError, ValueError) as exc:
            self.close()
            raise DBusError(f"the session bus failed: {exc}") from None

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None

    def _recv(self, n: int) -> bytes:
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise DBusError("the session bus did not answer in time")
        self.sock.settimeout(remaining)  # type: ignore[union-attr]
        chunk = self.sock.recv(n)  # type: ignore[union-attr]
        if not chunk:
            raise DBusError("the session bus closed the connection")
        return chunk

    def _read_line(self) -> bytes:
        while b"\r\n" not in self._buffer:
            if len(self._buffer) > 4096:
                raise DBusError("the session bus sent an over-long authentication line")
            self._buffer += self._recv(4096)
        line, _, self._buffer = self._buffer.partition(b"\r\n")
        return line

    def _read_exact(self, n: int) -> bytes:
        while len(self._buffer) < n:
            self._buffer += self._recv(max(65536, n - len(self._buffer)))
        data, self._buffer = self._buffer[:n], self._buffer[n:]
        return data

    def send(
        self, destination: str, path: str, interface: str, member: str, signature: str = "", body: tuple[Any, ...] = ()
    ) -> int:
        """Send one method call without waiting; returns its serial (replies come in order)."""
        self.serial += 1
        fields = [(1, ("o", path)), (2, ("s", interface)), (3, ("s", member)), (6, ("s", destination))]
        if signature:
            fields.append((8, ("g", signature)))
        payload = _Writer()
        for t, value in zip(_split(signature), body, strict=True):
            payload.write(t, value)
        head = _Writer()
        head.buf += b"l" + bytes((_METHOD_CALL, 0, 1)) + _struct.pack("<II", len(payload.buf), self.serial)
        head.write("a(yv)", fields)
        head.pad(8)
        try:
            self.sock.sendall(bytes(head.buf + payload.buf))  # type: ignore[union-attr]
        except OSError as exc:
            raise DBusError(f"the session bus failed: {exc}") from None
        return self.serial

    def reply(self, serial: int) -> tuple[Any, ...]:
        """The body of the reply to ``serial``; signals and other replies are skipped."""
        while True:
            try:
                fixed = self._read_exact(16)
            except OSError as exc:
                raise DBusError(f"the session bus failed: {exc}") from None
            endian = {b"l": "<", b"B": ">"}.get(fixed[:1])
            if endian is None:
                raise DBusError("the session bus sent a message in an unknown byte order")
            kind = fixed[1]
            body_len, _, fields_len = _struct.unpack(endian + "III", fixed[4:16])
            head_len = 16 + fields_len + (-(16 + fields_len) % 8)
            if head_len + body_len > MAX_MESSAGE:
                raise DBusError("the session bus sent an oversized message")
            data = fixed + self._read_exact(head_len + body_len - 16)
            fields = dict(_Reader(data, endian, 12).read("a(yv)"))
            if kind not in (_METHOD_RETURN, _ERROR) or fields.get(5, (None, None))[1] != serial:
                continue
            signature = fields.get(8, ("g", ""))[1]
            body = _Reader(data[head_len:], endian)
            values = tuple(body.read(t) for t in _split(signature))
            if kind == _ERROR:
                name = fields.get(4, ("s", "unknown error"))[1]
                detail = values[0] if values and isinstance(values[0], str) else ""
                raise DBusError(f"{name}: {detail}".rstrip(": "))
            return values

    def call(
        self, destination: str, path: str, interface: str, member: str, signature: str = "", body: tuple[Any, ...] = ()
    ) -> tuple[Any, ...]:
        return self.reply(self.send(destination, path, interface, member, signature, body))
