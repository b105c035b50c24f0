"""Requests, answers and headers as regtui's HTTP code handles them, and the body's bounds.

Every body is read through a cap (``MAX_BODY``, 1 MiB: a registry's /v2/, token and error
answers are a few KiB), counted after decompression, so a large or compressed body costs no
memory beyond the cap. Compression is not asked for; a server that sends gzip or deflate anyway
is inflated in bounded steps (``Inflater``).
"""

from __future__ import annotations

import json
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, Mapping
from typing import Any, overload

from regtui import __version__
from regtui.core.wire.errors import DecodingError, ResponseTooLarge
from regtui.core.wire.url import URL

USER_AGENT = f"regtui/{__version__}"
MAX_BODY = 1 << 20
HeaderItems = Mapping[str, str] | Iterable[tuple[str, str]]


def json_body(data: bytes | str) -> object:
    """Parse a server's JSON; any failure (deep nesting, a huge number, bad UTF-8) is a ValueError."""
    try:
        return json.loads(data)
    except RecursionError as exc:
        raise ValueError("JSON nested too deeply") from exc


def json_object(data: bytes | str) -> dict[str, Any]:
    """A server's JSON object; {} when the JSON is another kind of value. Bad JSON is a ValueError."""
    value = json_body(data)
    return value if isinstance(value, dict) else {}


class Headers:
    """Case-insensitive, multi-valued, in order. ``get``/``[]`` join repeated fields with ", "
    (RFC 9110 §5.3), ``get_list`` keeps them apart."""

    __slots__ = ("_items",)

    def __init__(self, items: HeaderItems | Headers | None = None) -> None:
        if items is None:
            self._items: list[tuple[str, str]] = []
        elif isinstance(items, Headers):
            self._items = list(items._items)
        elif isinstance(items, Mapping):
            self._items = [(str(k), str(v)) for k, v in items.items()]
        else:
            self._items = [(str(k), str(v)) for k, v in items]

    @classmethod
    def from_raw(cls, raw: list[tuple[bytes, bytes]]) -> Headers:
        """A server's header bytes: ASCII, else UTF-8, else Latin-1 for all of them, as httpx decodes."""
        for encoding in ("ascii", "utf-8"):
            try:
                return cls([(k.decode(encoding), v.decode(encoding)) for k, v in raw])
            except UnicodeDecodeError:
                continue
        return cls([(k.decode("iso-8859-1"), v.decode("iso-8859-1")) for k, v in raw])

    def get_list(self, name: str) -> list[str]:
        key = name.lower()
        return [v for k, v in self._items if k.lower() == key]

    @overload
    def get(self, name: str) -> str | None: ...
    @overload
    def get(self, name: str, default: str) -> str: ...
    @overload
    def get(self, name: str, default: str | None) -> str | None: ...
    def get(self, name: str, default: str | None = None) -> str | None:
        values = self.get_list(name)
        return ", ".join(values) if values else default

    def __getitem__(self, name: str) -> str:
        values = self.get_list(name)
        if not values:
            raise KeyError(name)
        return ", ".join(values)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and any(k.lower() == name.lower() for k, _ in self._items)

    def __setitem__(self, name: str, value: str) -> None:
        """Replace every field of that name (the first keeps its place)."""
        key, found = name.lower(), False
        items = []
        for k, v in self._items:
            if k.lower() != key:
                items.append((k, v))
            elif not found:
                items.append((name, value))
                found = True
        if not found:
            items.append((name, value))
        self._items = items

    def __delitem__(self, name: str) -> None:
        if name not in self:
            raise KeyError(name)
        self.pop(name)

    def pop(self, name: str, default: str | None = None) -> str | None:
        value = self.get(name, default)
        key = name.lower()
        self._items = [(k, v) for k, v in self._items if k.lower() != key]
        return value

    def items(self) -> list[tuple[str, str]]:
        return list(self._items)

    def __iter__(self) -> Iterator[str]:
        return iter([k for k, _ in self._items])

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"Headers({[k for k, _ in self._items]!r})"  # names only: values may be secrets


class Request:
    """One request, its URL parsed and its headers complete (Host included)."""

    __slots__ = ("method", "url", "headers", "content")

    def __init__(self, method: str, url: URL, headers: Headers, content: bytes = b"") -> None:
        self.method, self.url, self.headers, self.content = method, url, headers, content

    def __repr__(self) -> str:
        return f"<Request {self.method} {self.url.scheme}://{self.url.netloc}{self.url.path}>"


class Response:
    """A status, headers and a body read within the client's bounds (``content``; ``aread`` for a
    streamed one, ``aclose`` to give it up unread)."""

    def __init__(
        self,
        status_code: int,
        headers: Headers,
        request: Request,
        *,
        reason: bytes = b"",
        content: bytes | None = None,
        stream: AsyncIterator[bytes] | None = None,
        close: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self.status_code, self.headers, self.request = status_code, headers, request
        self.reason_phrase = reason.decode("ascii", errors="ignore")
        self._content, self._stream, self._close = content, stream, close

    @property
    def content(self) -> bytes:
        if self._content is None:
            raise RuntimeError("the body was not read: await aread() first")
        return self._content

    def json(self) -> object:
        return json_body(self.content)

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")

    async def aread(self) -> bytes:
        if self._content is None:
            chunks = []
            try:
                if self._stream is not None:
                    async for chunk in self._stream:
                        chunks.append(chunk)
            finally:
                await self.aclose()
            self._content = b"".join(chunks)
        return self._content

    async def aclose(self) -> None:
        close, self._close = self._close, None
        if close is not None:
            await close()

    def __repr__(self) -> str:
        return f"<Response [{self.status_code}]>"


class Inflater:
    """gzip or deflate, inflated at most ``room`` bytes at a time (zlib's max_length)."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self.zlib = zlib.decompressobj(zlib.MAX_WBITS | 16 if encoding in ("gzip", "x-gzip") else zlib.MAX_WBITS)
        self.started = False

    def feed(self, data: bytes, room: int) -> bytes:
        """At most ``room + 1`` bytes: one more than fits tells the caller the cap is passed."""
        out = bytearray()
        while data and len(out) <= room:
            try:
                out += self.zlib.decompress(data, room + 1 - len(out))
            except zlib.error:
                if self.encoding != "deflate" or self.started:
                    raise
                self.zlib = zlib.decompressobj(-zlib.MAX_WBITS)  # raw deflate, as some servers send it
                self.started = True
                continue
            self.started = True
            data = self.zlib.unconsumed_tail
        return bytes(out)


def inflater_for(headers: Headers) -> Inflater | None:
    """The answer's Content-Encoding, taken off the headers (the body is inflated within the cap)."""
    encoding = (headers.get("content-encoding") or "").strip().lower()
    if not encoding or encoding == "identity":
        return None
    if encoding not in ("gzip", "x-gzip", "deflate"):
        raise DecodingError(f"unsupported Content-Encoding {encoding[:40]!r}")
    headers.pop("content-encoding")
    return Inflater(encoding)


async def bounded(chunks: AsyncIterator[bytes], inflater: Inflater | None, cap: int) -> AsyncIterator[bytes]:
    """The body's chunks, inflated, until more than ``cap`` bytes: then ResponseTooLarge."""
    total = 0
    async for data in chunks:
        chunk = data
        if inflater is not None:
            try:
                chunk = inflater.feed(data, cap - total)
            except zlib.error as exc:
                raise DecodingError(f"a corrupt compressed body: {exc}") from None
        total += len(chunk)
        if total > cap:
            raise ResponseTooLarge(cap)
        if chunk:
            yield chunk
