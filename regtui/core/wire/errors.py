"""What can go wrong with an HTTP exchange, as regtui's code catches it, whichever client sent it.

The classes are named as httpx names its own (``ReadTimeout``, ``ConnectError`` ...): a
message that shows ``type(exc).__name__`` reads the same over the lean client (client.py's
``LeanClient``) and over httpx (over_httpx.py maps each httpx exception to its namesake here).
"""

from __future__ import annotations


class HTTPError(Exception):
    """Any failure of a request: the base of everything here except InvalidURL."""


class TransportError(HTTPError):
    """The exchange itself failed: connecting, sending, reading, or the server's framing."""


class TimeoutException(TransportError):
    pass


class ConnectTimeout(TimeoutException):
    pass


class ReadTimeout(TimeoutException):
    pass


class WriteTimeout(TimeoutException):
    pass


class PoolTimeout(TimeoutException):
    pass


class DeadlineExceeded(TimeoutException):
    """The whole request (connect to last byte) did not finish within the deadline."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        super().__init__(f"no complete answer within {seconds:g} s (connect to last byte)")


class NetworkError(TransportError):
    pass


class ConnectError(NetworkError):
    pass


class ReadError(NetworkError):
    pass


class WriteError(NetworkError):
    pass


class CloseError(NetworkError):
    pass


class ProtocolError(TransportError):
    pass


class LocalProtocolError(ProtocolError):
    """The request itself cannot be sent as it is (a header value with a line break in it)."""


class RemoteProtocolError(ProtocolError):
    """The server's answer is not HTTP/1.1 as RFC 9112 frames it."""


class ProxyError(TransportError):
    pass


class UnsupportedProtocol(TransportError):
    pass


class DecodingError(HTTPError):
    """The body cannot be decoded (an unknown or corrupt Content-Encoding)."""


class TooManyRedirects(HTTPError):
    pass


def human_size(size: int) -> str:
    return f"{size >> 20} MiB" if size >= 1 << 20 and not size % (1 << 20) else f"{size >> 10} KiB"


class ResponseTooLarge(DecodingError):
    """The body is larger than the cap; reading stopped there."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        super().__init__(f"the answer is larger than {human_size(cap)}")


class InvalidURL(ValueError):
    """A URL that does not parse (RFC 3986): not an HTTPError, as httpx's is not."""
