"""regtui check and regtui login against real registries and misbehaving servers on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from regtui.cli import main
from regtui.core.docker_config import encode_auth
from tests.support.fault_servers import FaultServer
from tests.support.realparts import REGISTRY_PASSWORD, REGISTRY_USER, Registry


def check(*args: str) -> tuple[int, dict]:
    result = CliRunner().invoke(main, ["check", "--json", *args], catch_exceptions=False)
    return result.exit_code, json.loads(result.stdout)


def only(data: dict) -> dict:
    [result] = data["results"]
    return result


def steps(result: dict) -> dict[str, dict]:
    return {s["step"]: s for s in result["steps"]}


def save_auth(
    docker_dir: Path, host: str, user: str = REGISTRY_USER, password: str = REGISTRY_PASSWORD, **extra: str
) -> None:
    entry = {"auth": encode_auth(user, password), **extra}
    (docker_dir / "config.json").write_text(json.dumps({"auths": {host: entry}}))


# -- htpasswd over HTTP --------------------------------------------------------------------------
def test_basic_registry_every_outcome(registry: Registry, image: str, docker_dir: Path) -> None:
    code, data = check(registry.host)
    result = only(data)
    assert code == 1 and result["cause"] == "not-logged-in" and "regtui login" in result["fix"]
    assert [s["status"] for s in result["steps"]][:4] == ["ok", "ok", "skip", "ok"]  # DNS TCP (no TLS) ping

    save_auth(docker_dir, registry.host, password="wrong")
    code, data = check(registry.host)
    assert code == 1 and only(data)["cause"] == "bad-credentials"

    save_auth(docker_dir, registry.host)
    code, data = check(registry.host, "--repo", "regtui/hello:v1")
    result = only(data)
    assert code == 0 and result["healthy"] and result["auth_scheme"] == "basic" and result["username"] == "regtui"
    assert steps(result)["repository"]["detail"].startswith("regtui may pull regtui/hello:v1 (sha256:")
    assert all(s["ms"] >= 0 for s in result["steps"])
    assert REGISTRY_PASSWORD not in json.dumps(data)

    code, data = check(registry.host, "--repo", "regtui/absent")
    assert code == 1 and only(data)["cause"] == "not-found"


def test_no_registry_named_checks_every_known_one(registry: Registry, image: str, docker_dir: Path) -> None:
    save_auth(docker_dir, registry.host)
    code, data = check()
    assert code == 0 and [r["registry"] for r in data["results"]] == [registry.host]


# -- HTTPS with a private CA ---------------------------------------------------------------------
def test_untrusted_ca_is_classified_and_certs_d_fixes_it(
    tls_registry: Registry, test_ca, certs_d: Path, docker_dir: Path, loopback_secure: None
) -> None:
    save_auth(docker_dir, tls_registry.host)
    code, data = check(tls_registry.host)
    result = only(data)
    assert code == 1 and result["cause"] == "untrusted-cert"
    assert f"{certs_d}/{tls_registry.host}/ca.crt" in result["fix"]
    assert "regtui test CA" in steps(result)["tls"]["detail"]

    (certs_d / tls_registry.host).mkdir()
    test_ca.cert_pem.write_to_path(str(certs_d / tls_registry.host / "ca.crt"))
    code, data = check(tls_registry.host)
    result = only(data)
    assert code == 0, result
    assert result["endpoint"] == f"https://{tls_registry.host}"
    assert "ca.crt" in steps(result)["tls"]["detail"]


def test_insecure_flag_accepts_an_untrusted_certificate_with_a_warning(
    tls_registry: Registry, certs_d: Path, docker_dir: Path
) -> None:
    save_auth(docker_dir, tls_registry.host)
    code, data = check(tls_registry.host, "--insecure")
    assert code == 0 and steps(only(data))["tls"]["status"] == "warn"


# -- token auth ----------------------------------------------------------------------------------
def test_token_registry_bearer_path(token_registry: Registry, token_server, docker_dir: Path) -> None:
    code, data = check(token_registry.host)  # no credentials: anonymous access (test_anonymous_real.py)
    assert code == 0 and steps(only(data))["anonymous-v2"]["cause"] == "anonymous"
    assert "Bearer realm=" in steps(only(data))["challenge"]["detail"]

    save_auth(docker_dir, token_registry.host)
    code, data = check(token_registry.host, "--repo", "regtui/hello:v1")
    result = only(data)
    assert code == 0, result
    assert result["auth_scheme"] == "bearer" and "token issued via GET" in steps(result)["credentials"]["detail"]

    save_auth(docker_dir, token_registry.host, password="wrong")
    code, data = check(token_registry.host)
    result = only(data)
    assert code == 1 and result["cause"] == "bad-credentials"
    assert "incorrect username or password" in steps(result)["credentials"]["detail"]


def test_a_user_who_may_not_pull_a_repository(token_registry: Registry, docker_dir: Path) -> None:
    save_auth(docker_dir, token_registry.host, user="regtui-ro", password="ro-s3cret")
    code, data = check(token_registry.host, "--repo", "regtui/hello:v1")
    assert code == 0
    code, data = check(token_registry.host, "--repo", "private/secret:v1")
    result = only(data)
    assert code == 1 and result["cause"] == "denied"
    assert "regtui-ro may not pull private/secret" in steps(result)["repository"]["detail"]
    assert "insufficient_scope" in steps(result)["repository"]["detail"]


def test_login_keeps_the_identity_token_and_check_uses_the_post_grant(
    token_registry: Registry, token_server, docker_dir: Path
) -> None:
    result = CliRunner().invoke(
        main,
        ["login", token_registry.host, "-u", "regtui", "--password-stdin", "--store", "file"],
        input=REGISTRY_PASSWORD + "\n",
        catch_exceptions=False,
    )
    assert result.exit_code == 0 and "as an identity token" in result.output
    entry = json.loads((docker_dir / "config.json").read_text())["auths"][token_registry.host]
    assert entry["identitytoken"].startswith("rt-") and entry["auth"] == encode_auth("regtui", "")
    assert any("client_id=['regtui']" in line for line in token_server.log)
    code, data = check(token_registry.host)
    assert code == 0 and "token issued via POST" in steps(only(data))["credentials"]["detail"]
    assert token_server.log[-1].startswith("POST grant=refresh_token") or any(
        "POST grant=refresh_token" in line for line in token_server.log[-3:]
    )


def test_post_grant_falls_back_to_get(token_registry: Registry, token_server, docker_dir: Path) -> None:
    """A token server without OAuth2 (404 to POST): the identity token goes in a GET instead."""
    refresh = token_server._new_refresh("regtui")
    (docker_dir / "config.json").write_text(
        json.dumps({"auths": {token_registry.host: {"auth": encode_auth("regtui", ""), "identitytoken": refresh}}})
    )
    token_server.oauth = False
    try:
        code, data = check(token_registry.host)
    finally:
        token_server.oauth = True
    assert code == 0 and "token issued via GET" in steps(only(data))["credentials"]["detail"]


def test_a_revoked_identity_token(token_registry: Registry, docker_dir: Path) -> None:
    (docker_dir / "config.json").write_text(
        json.dumps({"auths": {token_registry.host: {"auth": encode_auth("regtui", ""), "identitytoken": "rt-revoked"}}})
    )
    code, data = check(token_registry.host)
    result = only(data)
    assert code == 1 and result["cause"] == "bad-credentials"
    assert "unknown or revoked refresh token" in steps(result)["credentials"]["detail"]


def test_clock_skew_is_named(token_registry: Registry, token_server, docker_dir: Path) -> None:
    """The token's times are an hour off this machine's clock: the registry rejects the token."""
    save_auth(docker_dir, token_registry.host)
    token_server.clock_shift = -3600
    try:
        code, data = check(token_registry.host)
    finally:
        token_server.clock_shift = 0
    result = only(data)
    assert code == 1 and result["cause"] == "clock-skew" and "timedatectl" in result["fix"]
    assert steps(result)["credentials"]["status"] == "warn"


# -- servers that misbehave ----------------------------------------------------------------------
@pytest.fixture
def fault(request) -> Iterator[FaultServer]:
    server = FaultServer(request.param).start()
    yield server
    server.close()


@pytest.mark.parametrize(
    ("fault", "step", "cause"),
    [
        ("slow", "tls", "timeout"),
        ("reset", "ping", "reset"),
        ("500", "ping", "server-error"),
        ("html", "ping", "not-registry"),
        ("oversize", "ping", "not-registry"),
        ("garbage-challenge", "challenge", "bad-challenge"),
    ],
    indirect=["fault"],
)
def test_fault_servers_are_classified(fault: FaultServer, step: str, cause: str, certs_d: Path) -> None:
    code, data = check(fault.host, "--timeout", "1.5")
    result = only(data)
    assert code == 1
    failed = result["steps"][-1]
    assert (failed["step"], failed["status"], failed["cause"]) == (step, "fail", cause)
    assert failed["fix"]


def _tls_fault(test_ca, tmp_path: Path, leaf) -> FaultServer:
    import ssl

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    cert, key = tmp_path / "c.pem", tmp_path / "k.pem"
    leaf.cert_chain_pems[0].write_to_path(str(cert))
    leaf.private_key_pem.write_to_path(str(key))
    context.load_cert_chain(cert, key)
    return FaultServer("open", tls=context).start()


def _trust(certs_d: Path, server: FaultServer, test_ca) -> None:
    (certs_d / server.host).mkdir()
    test_ca.cert_pem.write_to_path(str(certs_d / server.host / "ca.crt"))


@pytest.mark.parametrize(
    ("name", "expired", "code", "cause", "detail"),
    [
        ("127.0.0.1", True, 1, "expired-cert", "the certificate expired on "),
        ("registry.other.example", False, 1, "wrong-host", "the certificate is for registry.other.example"),
        ("127.0.0.1", False, 0, None, "issued by"),
    ],
    ids=["expired", "another-host", "good"],
)
def test_tls_certificates(
    test_ca,
    tmp_path: Path,
    certs_d: Path,
    loopback_secure: None,
    name: str,
    expired: bool,
    code: int,
    cause: str | None,
    detail: str,
) -> None:
    """A TLS server whose CA is trusted (in certs.d), so the certificate itself is what is judged."""
    import datetime as dt

    past = dt.datetime.now(dt.UTC) - dt.timedelta(days=3)
    window = {"not_before": past - dt.timedelta(days=30), "not_after": past} if expired else {}
    server = _tls_fault(test_ca, tmp_path, test_ca.issue_cert(name, **window))
    try:
        _trust(certs_d, server, test_ca)
        exit_code, data = check(server.host)
    finally:
        server.close()
    result = only(data)
    assert (exit_code, result["cause"]) == (code, cause)
    assert detail in steps(result)["tls"]["detail"]
    if expired:
        assert past.date().isoformat() in steps(result)["tls"]["detail"]
    if code == 0:
        assert result["auth_scheme"] is None and steps(result)["challenge"]["status"] == "skip"


def test_refused_port() -> None:
    from tests.support.realparts import free_port

    code, data = check(f"127.0.0.1:{free_port()}")
    assert code == 1 and only(data)["cause"] == "refused"


def test_a_registry_that_hangs_after_the_handshake(test_ca, tmp_path: Path, certs_d: Path) -> None:
    import ssl

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    test_ca.issue_cert("127.0.0.1").configure_cert(context)
    server = FaultServer("slow", tls=context).start()
    try:
        _trust(certs_d, server, test_ca)
        code, data = check(server.host, "--timeout", "1")
    finally:
        server.close()
    failed = only(data)["steps"][-1]
    assert code == 1 and (failed["step"], failed["cause"]) == ("ping", "timeout")


async def test_a_fast_local_clock_is_a_warning_when_the_registry_still_accepts(token_registry: Registry) -> None:
    """This machine's clock an hour ahead: the registry (on the right time) still accepts the token."""
    import time

    from regtui.core.registry.clients import RegistryClients
    from regtui.core.registry.probe import check_registry
    from regtui.core.registry.token import Secret

    clients = RegistryClients()
    result = await check_registry(
        token_registry.host,
        lookup=lambda k: Secret(REGISTRY_USER, REGISTRY_PASSWORD),
        clients=clients,
        now=lambda: time.time() + 3600,
    )
    await clients.aclose()
    credentials = next(s for s in result.steps if s.name == "credentials")
    assert result.healthy and credentials.status == "warn" and credentials.cause == "clock-skew"
    assert re.search(r"clock is \+360[01] s off", credentials.detail)  # iat is whole seconds


def test_a_plain_http_registry_where_http_is_not_allowed(certs_d: Path) -> None:
    """Not loopback, not insecure: HTTPS meets plain HTTP and the fix names insecure-registries."""
    from regtui.core.registry.probe import Ladder, _tls
    from regtui.core.registry.target import Target

    server = FaultServer("open").start()
    try:
        target = Target(server.host, server.host, "127.0.0.1", server.port, "https", http_allowed=False)
        ladder = Ladder()
        assert asyncio.run(_tls(ladder, target, "127.0.0.1", 2.0, insecure=False)) is None
    finally:
        server.close()
    [step] = ladder.steps
    assert (step.status, step.cause) == ("fail", "plain-http")
    assert '"insecure-registries"' in step.fix and "--insecure" in step.fix


def test_an_unreachable_token_endpoint(docker_dir: Path) -> None:
    from tests.support.fault_servers import http_answer
    from tests.support.realparts import free_port

    dead = free_port()
    server = FaultServer("custom").start()
    server.answer = http_answer(
        "401 Unauthorized",
        {
            "WWW-Authenticate": f'Bearer realm="http://127.0.0.1:{dead}/token",service="x"',
            "Docker-Distribution-Api-Version": "registry/2.0",
        },
    )
    try:
        save_auth(docker_dir, server.host)
        code, data = check(server.host)
    finally:
        server.close()
    result = only(data)
    assert code == 1 and result["cause"] == "token-unreachable"
    assert f"127.0.0.1:{dead}/token" in steps(result)["credentials"]["detail"]


def test_a_proxy_in_the_way_is_named(registry: Registry, docker_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.support.realparts import free_port

    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{free_port()}")
    monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{free_port()}")
    monkeypatch.delenv("NO_PROXY", raising=False)
    code, data = check(registry.host)
    result = only(data)
    assert code == 1 and result["cause"] == "proxy", result
    assert "proxy" in steps(result)["ping"]["detail"]
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    save_auth(docker_dir, registry.host)
    code, data = check(registry.host)
    assert code == 0 and "NO_PROXY (127.0.0.1) excludes" in steps(only(data))["tcp"]["detail"]


def test_insecure_login_to_an_untrusted_token_registry_over_tls(
    test_ca, token_server, tmp_path: Path, certs_d: Path, docker_dir: Path, loopback_secure: None
) -> None:
    """--insecure lets an untrusted certificate through for the check and for the offline-token request."""
    import trustme

    from tests.conftest import require

    require("docker-registry")
    other_ca = trustme.CA(organization_name="nobody trusts this CA")
    leaf = other_ca.issue_cert("127.0.0.1")
    certs = tmp_path / "tls"
    certs.mkdir()
    leaf.cert_chain_pems[0].write_to_path(str(certs / "server.pem"))
    leaf.private_key_pem.write_to_path(str(certs / "server.key"))
    reg = Registry(
        tmp_path / "reg", auth_yaml=token_server.registry_auth_yaml(), tls=(certs / "server.pem", certs / "server.key")
    ).start()
    try:
        refused = CliRunner().invoke(
            main, ["login", reg.host, "-u", "regtui", "--password-stdin", "--store", "file"], input=REGISTRY_PASSWORD
        )
        assert refused.exit_code == 1 and "untrusted CA" in refused.stderr
        result = CliRunner().invoke(
            main,
            ["login", reg.host, "-u", "regtui", "--password-stdin", "--store", "file", "--insecure"],
            input=REGISTRY_PASSWORD,
            catch_exceptions=False,
        )
    finally:
        reg.close()
    assert result.exit_code == 0, result.stderr
    assert "as an identity token" in result.output
