"""Anonymous access: `regtui check` without stored credentials, against the real token registry
(distribution with token auth; the test issuer lets anonymous pull public/ only) and against the
loopback Hub stand-in that REGTUI_HUB_REGISTRY_URL points `regtui check docker.io` at."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from regtui.cli import main
from regtui.core.docker_config import encode_auth
from tests.conftest import require
from tests.support.fake_hub import FakeHub
from tests.support.realparts import Registry


def check(*args: str) -> tuple[int, dict, str]:
    result = CliRunner().invoke(main, ["check", "--json", *args], catch_exceptions=False)
    [only] = json.loads(result.stdout)["results"]
    return result.exit_code, only, CliRunner().invoke(main, ["check", *args]).stdout


def steps(result: dict) -> dict[str, dict]:
    return {s["step"]: s for s in result["steps"]}


def skopeo_anonymous(ref: str, tmp: Path) -> subprocess.CompletedProcess[str]:
    """What a real consumer makes of the same image with no credentials at all."""
    require("skopeo")
    empty = tmp / "empty-auth.json"
    empty.write_text('{"auths": {}}')
    return subprocess.run(
        ["skopeo", "inspect", "--raw", "--tls-verify=false", "--authfile", str(empty), f"docker://{ref}"],
        capture_output=True,
        text=True,
        timeout=60,
    )


# -- the token registry --------------------------------------------------------------------------
def test_a_repository_anonymous_may_pull(token_registry: Registry, docker_dir: Path, tmp_path: Path) -> None:
    code, result, text = check(token_registry.host, "--repo", "public/hello:v1")
    assert code == 0, result
    assert result["healthy"] and result["anonymous"] and result["username"] is None
    ladder = steps(result)
    assert ladder["credentials"]["status"] == "skip"
    assert ladder["anonymous"]["status"] == "ok"
    assert "repository:public/hello:pull" in ladder["anonymous"]["detail"]
    assert ladder["repository"]["status"] == "ok"
    assert ladder["repository"]["detail"].startswith("anonymous pull of public/hello:v1 allowed (sha256:")
    assert "anonymous pull of public/hello:v1 allowed" in text
    assert "(Bearer, anonymous)" in text.splitlines()[0]
    assert skopeo_anonymous(f"{token_registry.host}/public/hello:v1", tmp_path).returncode == 0


def test_a_repository_anonymous_may_not_pull(token_registry: Registry, docker_dir: Path, tmp_path: Path) -> None:
    code, result, text = check(token_registry.host, "--repo", "private/secret:v1")
    assert code == 1 and not result["healthy"] and result["anonymous"]
    assert result["cause"] == "anonymous-denied"
    assert result["fix"] == f"log in as a user who may pull private/secret: regtui login {token_registry.host} -u USER"
    repository = steps(result)["repository"]
    assert repository["status"] == "fail"
    assert repository["detail"].startswith("denied: anonymous pull of private/secret")
    assert "error=insufficient_scope" in repository["detail"]  # the registry's own word, from the real HEAD
    assert "fix: log in as a user who may pull private/secret" in text
    # skopeo agrees: the same image is refused without credentials.
    refused = skopeo_anonymous(f"{token_registry.host}/private/secret:v1", tmp_path)
    assert refused.returncode != 0 and "unauthorized" in refused.stderr.lower()


def test_no_repository_named_is_a_warning_not_a_failure(token_registry: Registry, docker_dir: Path) -> None:
    code, result, text = check(token_registry.host)
    assert code == 0, result
    assert result["healthy"] and result["anonymous"] and result["cause"] is None
    ladder = steps(result)
    assert ladder["anonymous"]["status"] == "ok"
    v2 = ladder["anonymous-v2"]
    assert v2["status"] == "warn" and v2["cause"] == "anonymous"
    assert v2["detail"] == "200: not logged in; anonymous access possible (no repository named to test)"
    assert f"regtui check {token_registry.host} --repo NAME" in v2["fix"]
    assert f"regtui login {token_registry.host} -u USER" in v2["fix"]
    assert "! GET /v2/ (anonymous token)" in text


def test_a_token_server_that_refuses_anonymous_means_log_in(
    token_registry: Registry, token_server, docker_dir: Path
) -> None:
    token_server.anonymous_tokens = False
    try:
        code, result, _ = check(token_registry.host)
        code_repo, with_repo, _ = check(token_registry.host, "--repo", "public/hello:v1")
    finally:
        token_server.anonymous_tokens = True
    for c, r in ((code, result), (code_repo, with_repo)):
        assert c == 1 and r["cause"] == "not-logged-in" and r["fix"] == f"regtui login {token_registry.host} -u USER"
        step = steps(r)["anonymous"]
        assert step["detail"] == (
            "not logged in, and the token server refuses anonymous tokens (401: incorrect username or password)"
        )
    assert "GET refused anonymous" in token_server.log


def test_an_anonymous_token_an_hour_off_is_clock_skew_not_denied(
    token_registry: Registry, token_server, docker_dir: Path
) -> None:
    """The registry rejects the token itself (invalid_token): the clock, not the login, is the fix."""
    token_server.clock_shift = -3600
    try:
        code, result, _ = check(token_registry.host, "--repo", "public/hello:v1")
        code_v2, at_v2, _ = check(token_registry.host)
    finally:
        token_server.clock_shift = 0
    assert code == 1 and result["cause"] == "clock-skew" and "timedatectl" in result["fix"]
    assert "error=invalid_token" in steps(result)["repository"]["detail"]
    assert code_v2 == 1 and at_v2["cause"] == "clock-skew" and steps(at_v2)["anonymous-v2"]["status"] == "fail"


def test_stored_credentials_are_used_rather_than_anonymous(token_registry: Registry, docker_dir: Path) -> None:
    entry = {"auth": encode_auth("regtui-ro", "ro-s3cret")}
    (docker_dir / "config.json").write_text(json.dumps({"auths": {token_registry.host: entry}}))
    code, result, _ = check(token_registry.host, "--repo", "public/hello:v1")
    assert result["username"] == "regtui-ro" and not result["anonymous"] and "anonymous" not in steps(result)
    # regtui-ro may pull regtui/ only: a login does not add anonymous grants, as the issuer decides.
    assert code == 1 and result["cause"] == "denied"


def test_basic_auth_without_credentials_stays_a_failure(registry: Registry, docker_dir: Path) -> None:
    code, result, _ = check(registry.host, "--repo", "regtui/hello:v1")
    assert code == 1 and result["cause"] == "not-logged-in" and not result["anonymous"]
    assert result["fix"] == f"regtui login {registry.host} -u USER"
    assert "Basic authentication has no anonymous access" in steps(result)["credentials"]["detail"]
    assert "repository" not in steps(result)


def test_an_open_registry_is_healthy_without_a_login(tmp_path: Path, docker_dir: Path) -> None:
    """A registry whose /v2/ answers 200 to anyone (no auth section at all) needs no login."""
    require("docker-registry")
    from tests.support.realparts import make_oci_layout, push_image

    reg = Registry(tmp_path / "open", auth_yaml="").start()
    try:
        push_image(make_oci_layout(tmp_path / "layout"), reg, repo="open/hello")
        code, result, _ = check(reg.host)
        code_repo, with_repo, _ = check(reg.host, "--repo", "open/hello:v1")
    finally:
        reg.close()
    assert code == 0 and result["healthy"] and result["auth_scheme"] is None
    assert steps(result)["credentials"]["status"] == "skip" and not result["anonymous"]
    assert not [s for s in result["steps"] if s["status"] in ("fail", "warn")]
    assert code_repo == 0 and steps(with_repo)["repository"]["detail"].startswith("anonymous pull of open/hello:v1")


# -- the loopback Hub stand-in -------------------------------------------------------------------
@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHub]:
    fake = FakeHub(public={"library/hello-world"}).start()
    monkeypatch.setenv("REGTUI_HUB_REGISTRY_URL", fake.url)
    monkeypatch.setenv("REGTUI_HUB_AUTH_URL", f"{fake.url}/token")
    yield fake
    fake.close()


def test_hub_official_image_pulls_anonymously(hub: FakeHub, docker_dir: Path) -> None:
    """`hello-world` on Hub is `library/hello-world`, as docker normalises it; HEAD only, no GET."""
    code, result, _ = check("docker.io", "--repo", "hello-world")
    assert code == 0, result
    assert result["registry"] == "docker.io" and result["endpoint"] == hub.url and result["anonymous"]
    assert steps(result)["repository"]["detail"] == (
        "anonymous pull of library/hello-world:latest allowed (sha256:" + "ab" * 32 + ")"
    )
    token_requests = [p for m, p in hub.requests if p.startswith("/token")]
    assert token_requests and all("service=registry.docker.io" in p for p in token_requests)
    assert any("scope=repository%3Alibrary%2Fhello-world%3Apull" in p for p in token_requests)
    assert ("HEAD", "/v2/library/hello-world/manifests/latest") in hub.requests
    assert not [r for r in hub.requests if r[0] == "GET" and "/manifests/" in r[1]]


def test_hub_private_or_absent_repository_is_denied(hub: FakeHub, docker_dir: Path) -> None:
    code, result, _ = check("docker.io", "--repo", "someone/private-thing:1.0")
    assert code == 1 and result["cause"] == "anonymous-denied"
    assert "error=insufficient_scope" in steps(result)["repository"]["detail"]
    assert result["fix"].endswith("regtui login docker.io -u USER")


def test_hub_without_a_repository_is_the_note(hub: FakeHub, docker_dir: Path) -> None:
    code, result, _ = check("docker.io")
    assert code == 0 and result["healthy"]
    assert steps(result)["anonymous-v2"]["status"] == "warn"
    assert "regtui check docker.io --repo NAME" in steps(result)["anonymous-v2"]["fix"]
