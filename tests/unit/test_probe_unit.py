"""The ladder's logic with injected parts: DNS failure, local clock skew, streaming results."""

from __future__ import annotations

import socket
import time

import pytest

from regtui.core.registry.clients import RegistryClients
from regtui.core.registry.probe import CheckOptions, check_many, check_registry
from regtui.core.registry.target import target_for
from tests.support.fault_servers import FaultServer


async def no_such_host(host: str, port: int) -> list[str]:
    raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")


async def test_dns_failure_is_classified_without_any_lookup() -> None:
    """The resolver is injected: no made-up name ever reaches real DNS."""
    clients = RegistryClients()
    result = await check_registry("registry.invalid", lookup=lambda k: None, clients=clients, resolve=no_such_host)
    await clients.aclose()
    assert [s.name for s in result.steps] == ["dns"]
    assert result.failure.cause == "dns" and "Name or service not known" in result.failure.detail


async def test_results_stream_as_they_finish_and_a_slow_one_delays_no_other(certs_d) -> None:
    slow, fast = FaultServer("slow").start(), FaultServer("open").start()
    slow_host, fast_host = slow.host, fast.host
    clients = RegistryClients(timeout=2.0)
    started, seen = time.perf_counter(), []
    try:
        async for result in check_many(
            [slow_host, fast_host], lookup=lambda k: None, clients=clients, options=CheckOptions(timeout=2.0)
        ):
            seen.append((result.registry, time.perf_counter() - started))
    finally:
        await clients.aclose()
        slow.close()
        fast.close()
    assert [name for name, _ in seen] == [fast_host, slow_host]
    assert seen[0][1] < 1.0 <= seen[1][1]


@pytest.fixture
def certs_d(tmp_path, monkeypatch):
    monkeypatch.setenv("REGTUI_DOCKER_CERTS_D", str(tmp_path / "certs.d"))
    monkeypatch.setenv("REGTUI_DAEMON_JSON", str(tmp_path / "daemon.json"))
    return tmp_path / "certs.d"


@pytest.mark.parametrize(
    ("name", "scheme", "http_allowed", "reason"),
    [
        ("127.0.0.1:5000", "https", True, "loopback"),
        ("localhost:5000", "https", True, "loopback"),
        ("10.1.2.3:5000", "https", True, "insecure-registries: 10.0.0.0/8"),
        ("reg.example.com", "https", True, "insecure-registries: reg.example.com"),
        ("other.example.com:443", "https", False, ""),
    ],
)
def test_plain_http_only_where_allowed(name: str, scheme: str, http_allowed: bool, reason: str) -> None:
    target = target_for(name, insecure_list=["10.0.0.0/8", "reg.example.com"])
    assert (target.scheme, target.http_allowed, target.http_reason) == (scheme, http_allowed, reason)
    assert target_for("other.example.com", insecure=True, insecure_list=[]).http_reason == "--insecure"


def test_hub_uses_the_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REGTUI_HUB_REGISTRY_URL", "http://127.0.0.1:9")
    target = target_for("docker.io")
    assert (target.registry, target.host, target.port, target.scheme) == ("docker.io", "127.0.0.1", 9, "http")


def test_clock_skew_from_token_times() -> None:
    from regtui.core.registry.token import clock_skew

    assert clock_skew({"iat": 1000}, now=4600) == 3600
    assert clock_skew({"nbf": 5000}, now=4600) == -400
    assert clock_skew({}, now=1) is None
