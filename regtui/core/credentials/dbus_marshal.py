"""The D-Bus wire format: signatures, and values marshalled to and from bytes.

D-Bus Specification, "Type System" and "Marshaling (Wire Format)", for the types
``y b n q i u x t d s o g a ( ) { } v h``. Everything read is hostile: sizes and nesting are
bounded, and malformed input is a ``DBusError``. Imports ``_struct`` only (the credential
helper's ``get`` path; dbus_wire.py says why).
"""

from __future__ import annotations

import _struct

# ``typing`` stays out of the helper's hot path: mypy treats any ``TYPE_CHECKING`` as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

MAX_DEPTH = 32
_FIXED = {"y": ("B", 1), "b": ("I", 4), "n": ("h", 2), "q": ("H", 2), "i": ("i", 4), "u": ("I", 4)}
_FIXED.update({"x": ("q", 8), "t": ("Q", 8), "d": ("d", 8), "h": ("I", 4)})
_ALIGN = {"s": 4, "o": 4, "g": 1, "a": 4, "(": 8, "{": 8, "v": 1}
_BASIC = frozenset("ybnqiuxtdhsog")


class DBusError(Exception):
    """The bus could not be reached, refused us, answered with an error, or sent nonsense."""


def _align_of(code: str) -> int:
    return _FIXED[code][1] if code in _FIXED else _ALIGN[code]


def _type_end(sig: str, pos: int, depth: int = 0, in_array: bool = False) -> int:
    """The index just past the single complete type that starts at ``sig[pos]``."""
    if depth > MAX_DEPTH or pos >= len(sig):
        raise DBusError("malformed D-Bus signature")
    code = sig[pos]
    if code == "a":
        return _type_end(sig, pos + 1, depth + 1, in_array=True)
    if code in "({":
        close = ")" if code == "(" else "}"
        members, pos = [], pos + 1
        while pos < len(sig) and sig[pos] != close:
            end = _type_end(sig, pos, depth + 1)
            members.append(sig[pos:end])
            pos = end
        if pos >= len(sig) or not members:
            raise DBusError("malformed D-Bus signature")
        if code == "{" and (not in_array or len(members) != 2 or members[0] not in _BASIC):
            raise DBusError("malformed D-Bus signature (dict entry)")
        return pos + 1
    if code in _FIXED or code in "sogv":
        return pos + 1
    raise DBusError(f"unsupported D-Bus type {code!r}")


def split_signature(sig: str) -> list[str]:
    types, pos = [], 0
    while pos < len(sig):
        end = _type_end(sig, pos)
        types.append(sig[pos:end])
        pos = end
    return types


class Writer:
    def __init__(self, endian: str = "<") -> None:
        self.buf = bytearray()
        self.e = endian

    def pad(self, n: int) -> None:
        self.buf += b"\0" * (-len(self.buf) % n)

    def write(self, t: str, value: Any) -> None:
        """Append ``value`` encoded as D-Bus type ``t``; the signature, not Python, says what it is."""
        code = t[0]
        if code in _FIXED:
            fmt, size = _FIXED[code]
            self.pad(size)
            self.buf += _struct.pack(self.e + fmt, value)
        elif code in "so":
            data = value.encode()
            self.pad(4)
            self.buf += _struct.pack(self.e + "I", len(data)) + data + b"\0"
        elif code == "g":
            data = value.encode()
            self.buf += bytes((len(data),)) + data + b"\0"
        elif code == "v":
            inner, inner_value = value
            self.write("g", inner)
            self.write(inner, inner_value)
        elif code == "(":
            self.pad(8)
            for member, item in zip(split_signature(t[1:-1]), value, strict=True):
                self.write(member, item)
        elif code == "a":
            self.pad(4)
            at = len(self.buf)
            self.buf += b"\0\0\0\0"
            element = t[1:]
            self.pad(_align_of(element[0]))
            start = len(self.buf)
            if element[0] == "{":
                key_t, value_t = split_signature(element[1:-1])
                for key, item in value.items():
                    self.pad(8)
                    self.write(key_t, key)
                    self.write(value_t, item)
            else:
                for item in value:
                    self.write(element, item)
            self.buf[at : at + 4] = _struct.pack(self.e + "I", len(self.buf) - start)
        else:
            raise DBusError(f"unsupported D-Bus type {code!r}")


class Reader:
    def __init__(self, data: bytes, endian: str, pos: int = 0) -> None:
        self.data, self.e, self.pos = data, endian, pos

    def pad(self, n: int) -> None:
        self.pos += -self.pos % n

    def take(self, n: int) -> bytes:
        if n < 0 or self.pos + n > len(self.data):
            raise DBusError("truncated D-Bus message")
        chunk = self.data[self.pos : self.pos + n]
        self.pos += n
        return chunk

    def read(self, t: str, depth: int = 0) -> Any:
        if depth > MAX_DEPTH:
            raise DBusError("D-Bus value nested too deeply")
        code = t[0]
        if code in _FIXED:
            fmt, size = _FIXED[code]
            self.pad(size)
            (value,) = _struct.unpack(self.e + fmt, self.take(size))
            return bool(value) if code == "b" else value
        if code in "so":
            self.pad(4)
            (length,) = _struct.unpack(self.e + "I", self.take(4))
            raw = self.take(length + 1)[:-1]
        elif code == "g":
            (length,) = self.take(1)
            raw = self.take(length + 1)[:-1]
        if code in "sog":
            try:
                return raw.decode("utf-8", "strict")
            except UnicodeDecodeError:
                raise DBusError("a D-Bus string is not UTF-8") from None
        if code == "v":
            inner = self.read("g", depth)
            if len(split_signature(inner)) != 1:
                raise DBusError("a D-Bus variant must hold one type")
            return inner, self.read(inner, depth + 1)
        if code == "(":
            self.pad(8)
            return tuple(self.read(member, depth + 1) for member in split_signature(t[1:-1]))
        if code == "a":
            self.pad(4)
            (length,) = _struct.unpack(self.e + "I", self.take(4))
            element = t[1:]
            self.pad(_align_of(element[0]))
            end = self.pos + length
            if end > len(self.data):
                raise DBusError("truncated D-Bus message")
            if element == "y":
                return self.take(length)
            if element[0] == "{":
                key_t, value_t = split_signature(element[1:-1])
                pairs = {}
                while self.pos < end:
                    self.pad(8)
                    key = self.read(key_t, depth + 1)
                    pairs[key] = self.read(value_t, depth + 1)
                return pairs
            items = []
            while self.pos < end:
                items.append(self.read(element, depth + 1))
            return items
        raise DBusError(f"unsupported D-Bus type {code!r}")
