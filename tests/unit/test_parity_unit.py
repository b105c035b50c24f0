"""Where credentials go, and redirect rules, with injected parts (no network, no DNS)."""

from __future__ import annotations

import httpx
import pytest

from regtui.core.registry.challenge import Challenge
from regtui.core.registry.exposure import exposure_step
from regtui.core.registry.probe import Ladder
from regtui.core.registry.redirects import RedirectError, is_domain_or_subdomain, send_following
from regtui.core.registry.target import target_for
from regtui.core.registry.token import Secret
from regtui.core.wire.over_httpx import HttpxClient

SECRET = Secret("alice", "canary-pw-123")


def _sent_to(registry: str, scheme: str, realm: str | None, endpoint: str) -> list:
    ladder = Ladder()
    challenge = Challenge(scheme, {"realm": realm} if realm else {})
    exposure_step(ladder, target_for(registry, insecure_list=[]), challenge, endpoint, SECRET)
    return [(s.status, s.cause, s.detail) for s in ladder.steps]


def test_clear_text_to_another_machine_is_a_warning() -> None:
    [(status, cause, detail)] = _sent_to(
        "registry.example.com", "bearer", "http://auth.example.com/token", "https://registry.example.com"
    )
    assert (status, cause) == ("warn", "cleartext-credentials")
    assert detail.startswith("your password goes in clear text to http://auth.example.com/token")
    assert "credentials go to the token server auth.example.com, beside registry.example.com" in detail


def test_basic_over_http_to_a_remote_registry_is_a_warning() -> None:
    [(status, cause, detail)] = _sent_to("10.1.2.3:5000", "basic", None, "http://10.1.2.3:5000")
    assert (status, cause) == ("warn", "cleartext-credentials")
    assert detail == "your password goes in clear text to http://10.1.2.3:5000/v2/"


@pytest.mark.parametrize(
    ("registry", "realm", "expected"),
    [
        ("registry-1.docker.io", "https://auth.docker.io/token", [("ok", "")]),  # Docker Hub's own
        ("registry.gitlab.com", "https://gitlab.com/jwt/auth", [("ok", "")]),
        ("ghcr.io", "https://ghcr.io/token", []),  # same host, HTTPS: nothing to say
        ("registry.example.co.uk", "https://auth.other.co.uk/token", [("warn", "foreign-realm")]),
        ("registry.example.com", "https://auth.other.host/token", [("warn", "foreign-realm")]),
        ("registry.example.com", "https://user:pw@evil.example.net/t?x=1", [("warn", "foreign-realm")]),
        ("registry.example.com", "http://127.0.0.1:0x50/token", []),  # does not parse: the token step says so
    ],
)
def test_a_realm_elsewhere(registry: str, realm: str, expected: list) -> None:
    found = _sent_to(registry, "bearer", realm, f"https://{registry}")
    assert [(status, cause) for status, cause, _ in found] == expected
    for _, _, detail in found:
        assert "pw@" not in detail and "x=1" not in detail


def test_domain_or_subdomain_as_go() -> None:
    assert is_domain_or_subdomain("auth.example.com", "example.com")
    assert is_domain_or_subdomain("example.com", "example.com")
    assert not is_domain_or_subdomain("badexample.com", "example.com")
    assert not is_domain_or_subdomain("example.com", "auth.example.com")
    assert not is_domain_or_subdomain("127.0.0.2", "127.0.0.1")


def _chain(hops: dict[str, tuple[int, str]], seen: list) -> HttpxClient:
    def answer(request: httpx.Request) -> httpx.Response:
        seen.append((str(request.url.copy_with(query=None)), request.method, request.headers.get("authorization")))
        status, location = hops.get(str(request.url.copy_with(query=None)), (200, ""))
        if location:
            return httpx.Response(status, headers={"Location": location})
        return httpx.Response(200, json={"token": "t"})

    return HttpxClient(httpx.AsyncClient(transport=httpx.MockTransport(answer)), 10)


async def test_credentials_are_dropped_for_the_rest_of_the_chain_once_another_host_is_reached() -> None:
    seen: list = []
    hops = {
        "https://a.example/token": (302, "https://sub.a.example/token"),
        "https://sub.a.example/token": (302, "https://b.example/token"),
        "https://b.example/token": (302, "https://a.example/final"),
    }
    async with _chain(hops, seen) as client:
        followed = await send_following(client, "GET", "https://a.example/token", authorization="Basic x")
    assert [auth for _, _, auth in seen] == ["Basic x", "Basic x", None, None]
    assert followed.withheld_at == "b.example" and len(followed.trail) == 3


async def test_no_credentials_after_a_downgrade_to_http() -> None:
    seen: list = []
    async with _chain({"https://a.example/token": (301, "http://a.example/token")}, seen) as client:
        followed = await send_following(client, "GET", "https://a.example/token", authorization="Basic x")
    assert [auth for _, _, auth in seen] == ["Basic x", None] and followed.withheld_at == "a.example"


async def test_303_turns_a_post_into_a_get_and_307_keeps_it() -> None:
    seen: list = []
    hops = {"https://a.example/token": (303, "/other"), "https://a.example/other": (307, "/last")}
    async with _chain(hops, seen) as client:
        await send_following(client, "POST", "https://a.example/token", data={"k": "v"}, body_is_secret=True)
    assert [method for _, method, _ in seen] == ["POST", "GET", "GET"]


async def test_a_secret_body_dropped_by_a_303_is_reported_as_withheld() -> None:
    seen: list = []
    async with _chain({"https://a.example/token": (303, "https://b.example/token")}, seen) as client:
        followed = await send_following(client, "POST", "https://a.example/token", data={"k": "v"}, body_is_secret=True)
    assert followed.withheld_at == "b.example" and [m for _, m, _ in seen] == ["POST", "GET"]


async def test_a_redirect_to_a_non_http_scheme_stops() -> None:
    seen: list = []
    async with _chain({"https://a.example/token": (302, "file:///etc/passwd")}, seen) as client:
        with pytest.raises(RedirectError, match="not HTTP"):
            await send_following(client, "GET", "https://a.example/token")
