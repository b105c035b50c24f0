"""regtui's HTTP: its own request, answer, header and error types, and two clients that speak them.

The registry checks, the rate-limit reading and the mirror tests speak only these types
(client.py says which client sends). The lean client (lean.py, with http11.py) needs nothing
beyond asyncio and ssl; the httpx one (over_httpx.py) is imported only when it is chosen.
"""

from regtui.core.wire.client import Client, basic_authorization, lean_chosen, lean_transport, new_client, preload
from regtui.core.wire.errors import (
    ConnectError,
    ConnectTimeout,
    DeadlineExceeded,
    DecodingError,
    HTTPError,
    InvalidURL,
    LocalProtocolError,
    NetworkError,
    PoolTimeout,
    ProtocolError,
    ProxyError,
    ReadError,
    ReadTimeout,
    RemoteProtocolError,
    ResponseTooLarge,
    TimeoutException,
    TransportError,
    UnsupportedProtocol,
    WriteError,
    WriteTimeout,
    human_size,
)
from regtui.core.wire.model import MAX_BODY, Headers, Request, Response, json_body, json_object
from regtui.core.wire.url import URL

__all__ = [
    "MAX_BODY",
    "URL",
    "Client",
    "ConnectError",
    "ConnectTimeout",
    "DecodingError",
    "DeadlineExceeded",
    "HTTPError",
    "Headers",
    "InvalidURL",
    "LocalProtocolError",
    "NetworkError",
    "PoolTimeout",
    "ProtocolError",
    "ProxyError",
    "ReadError",
    "ReadTimeout",
    "RemoteProtocolError",
    "Request",
    "Response",
    "ResponseTooLarge",
    "TimeoutException",
    "TransportError",
    "UnsupportedProtocol",
    "WriteError",
    "WriteTimeout",
    "basic_authorization",
    "human_size",
    "json_body",
    "json_object",
    "lean_chosen",
    "lean_transport",
    "new_client",
    "preload",
]
