"""The one way regtui builds an HTTP client: explicit timeouts, a User-Agent, no redirects."""

from __future__ import annotations

import httpx

from regtui import __version__

USER_AGENT = f"regtui/{__version__}"


def new_client(timeout: float = 15.0, **kwargs: object) -> httpx.AsyncClient:
    """15 s by default, as docker uses for ping and login (reference/domain.md §3.1)."""
    return httpx.AsyncClient(
        timeout=httpx.Timeout(timeout), headers={"User-Agent": USER_AGENT}, follow_redirects=False, **kwargs
    )
