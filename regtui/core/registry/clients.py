"""HTTP clients for registry checks: one per TLS trust setting, shared by every registry."""

from __future__ import annotations

import ssl

from regtui.core.registry.tls import build_context
from regtui.core.wire import Client, lean_chosen


class RegistryClients:
    """Hands out clients (core/wire); a test passes an httpx ``transport`` to route everything through a mock."""

    def __init__(self, timeout: float = 10.0, transport: object = None) -> None:
        self.timeout = timeout
        self.transport = transport
        self._clients: dict[object, Client] = {}

    def get(self, certs_name: str, *, verify: bool = True) -> Client:
        context: ssl.SSLContext | bool = build_context(certs_name)[0] if verify else False
        key = id(context) if verify else "no-verify"
        client = self._clients.get(key)
        if client is None:
            # Every request has a deadline (connect to last byte) and a capped body (core/wire/client.py).
            # The lean client when this process chose it and no proxy variable is set; httpx otherwise.
            if self.transport is None and lean_chosen():
                from regtui.core.wire.lean import LeanClient

                client = LeanClient(self.timeout, verify=context)
            else:
                client = _httpx_client(self.timeout, context, self.transport)
            self._clients[key] = client
        return client

    async def aclose(self) -> None:
        for client in self._clients.values():
            await client.aclose()
        self._clients.clear()


def _httpx_client(timeout: float, context: ssl.SSLContext | bool, transport: object) -> Client:
    """httpx reads the proxy variables itself (unless given a transport: a test's mock)."""
    import httpx

    from regtui.core.http import BoundedClient, client_options
    from regtui.core.wire.over_httpx import HttpxClient

    inner = BoundedClient(
        **client_options(timeout),  # type: ignore[arg-type]
        verify=context,
        transport=transport,
        limits=httpx.Limits(max_connections=None, max_keepalive_connections=32),
    )
    return HttpxClient(inner, timeout)
