"""HTTP clients for registry checks: one per TLS trust setting, shared by every registry."""

from __future__ import annotations

import ssl

import httpx

from regtui.core.http import BoundedClient, client_options, lean_chosen, proxy_mounts, transport
from regtui.core.registry.tls import build_context


class RegistryClients:
    """Hands out AsyncClients; a test passes ``transport`` to route everything through a mock."""

    def __init__(self, timeout: float = 10.0, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.timeout = timeout
        self.transport = transport
        self._clients: dict[object, httpx.AsyncClient] = {}

    def get(self, certs_name: str, *, verify: bool = True) -> httpx.AsyncClient:
        context: ssl.SSLContext | bool = build_context(certs_name)[0] if verify else False
        key = id(context) if verify else "no-verify"
        client = self._clients.get(key)
        if client is None:
            # Every request has a deadline (connect to last byte) and a capped body: regtui/core/http.py.
            # The lean transport (core/lean_http.py) when this process chose it; given a transport,
            # httpx ignores the proxy variables, so they are mounted as httpx would.
            lean = self.transport is None and lean_chosen()
            client = BoundedClient(
                **client_options(self.timeout),  # type: ignore[arg-type]
                verify=context,
                transport=transport(context) if lean else self.transport,
                mounts=proxy_mounts(context) if lean else None,
                limits=httpx.Limits(max_connections=None, max_keepalive_connections=32),
            )
            self._clients[key] = client
        return client

    async def aclose(self) -> None:
        for client in self._clients.values():
            await client.aclose()
        self._clients.clear()
