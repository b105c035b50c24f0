"""The anonymous rungs of the ladder with httpx.MockTransport: what the token endpoint and the
registry may answer to a client without credentials, and what regtui makes of each answer."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import httpx
import pytest

from regtui.core.registry.auth_steps import AuthContext, run_auth_steps
from regtui.core.registry.model import CheckResult
from regtui.core.registry.ping import PingAnswer
from regtui.core.registry.probe import Ladder
from regtui.core.registry.repository_step import split_reference
from regtui.core.registry.target import target_for
from regtui.core.registry.token import Secret
from regtui.core.wire.over_httpx import HttpxClient

REGISTRY = "127.0.0.1:5000"
ENDPOINT = f"http://{REGISTRY}"
BEARER = f'Bearer realm="{ENDPOINT}/token",service="reg.test"'
DIGEST = "sha256:" + "cd" * 32

Handler = Callable[[httpx.Request], httpx.Response]


def registry(token: Handler, v2: int = 200, manifest: int = 200, v2_error: str = "") -> tuple[Handler, list]:
    """A registry at ENDPOINT whose token endpoint is ``token``; every request is recorded."""
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/token":
            return token(request)
        challenge = {"WWW-Authenticate": BEARER + (f',error="{v2_error}"' if v2_error else "")}
        if request.url.path == "/v2/":
            return httpx.Response(v2, headers=challenge if v2 != 200 else {})
        if "/manifests/" in request.url.path:
            headers = {"Docker-Content-Digest": DIGEST} if manifest == 200 else challenge
            return httpx.Response(manifest, headers=headers)
        return httpx.Response(404)

    return handle, seen


def token_json(body: object, status: int = 200) -> Handler:
    return lambda request: httpx.Response(status, json=body)


async def run(
    handler: Handler,
    *,
    repo: str | None = None,
    name: str = REGISTRY,
    challenge: str | None = BEARER,
    secret: Secret | None = None,
) -> CheckResult:
    ladder = Ladder()
    answer = PingAnswer(401 if challenge else 200, (challenge,) if challenge else (), "registry/2.0", None)
    async with HttpxClient(httpx.AsyncClient(transport=httpx.MockTransport(handler)), 10) as client:
        context = AuthContext(target_for(name), ENDPOINT, client, answer, lambda key: secret, repo, time.time)
        user, scheme = await run_auth_steps(ladder, context)
    return CheckResult(name, ENDPOINT, tuple(ladder.steps), scheme, user)


def step(result: CheckResult, name: str):  # noqa: ANN201
    [found] = [s for s in result.steps if s.name == name]
    return found


async def test_the_token_request_is_docker_s_anonymous_one() -> None:
    handler, seen = registry(token_json({"token": "anon", "expires_in": 60}))
    result = await run(handler, repo="team/app:1.2")
    [token_request] = [r for r in seen if r.url.path == "/token"]
    assert "authorization" not in token_request.headers
    assert token_request.url.params.get_list("service") == ["reg.test"]
    assert token_request.url.params.get_list("scope") == ["repository:team/app:pull"]
    assert "account" not in token_request.url.params
    [head] = [r for r in seen if "/manifests/" in r.url.path]
    assert head.method == "HEAD" and head.url.path == "/v2/team/app/manifests/1.2"
    assert head.headers["authorization"] == "Bearer anon"
    assert result.healthy and result.anonymous and result.username is None
    assert step(result, "repository").detail == f"anonymous pull of team/app:1.2 allowed ({DIGEST})"
    anonymous = step(result, "anonymous").detail
    assert anonymous == "anonymous token for repository:team/app:pull issued via GET; expires in 60 s"


@pytest.mark.parametrize("status", [401, 403])
async def test_a_token_endpoint_that_refuses_anonymous_means_log_in(status: int) -> None:
    handler, seen = registry(token_json({"details": "login required"}, status))
    for repo in (None, "team/app"):
        result = await run(handler, repo=repo)
        failure = result.failure
        assert failure.name == "anonymous" and failure.cause == "not-logged-in"
        said = f"({status}: login required)"
        assert failure.detail == f"not logged in, and the token server refuses anonymous tokens {said}"
        assert failure.fix == f"regtui login {REGISTRY} -u USER"
        assert not [r for r in seen if "/manifests/" in r.url.path]  # nothing is tried without a token


@pytest.mark.parametrize(
    ("body", "cause"),
    [
        ({"access_token": ""}, "token-endpoint"),  # a token answer without a token
        ({"expires_in": 60}, "token-endpoint"),
        (["not", "an", "object"], "token-endpoint"),
        ({"token": "x" * (65 << 10)}, "token-endpoint"),  # larger than any real token
    ],
)
async def test_a_token_answer_without_a_usable_token(body: object, cause: str) -> None:
    handler, _ = registry(token_json(body))
    result = await run(handler, repo="team/app")
    assert not result.healthy and result.failure.name == "anonymous" and result.failure.cause == cause
    assert result.failure.fix


async def test_a_token_endpoint_that_fails_is_not_a_login_problem() -> None:
    handler, _ = registry(lambda request: httpx.Response(500, text="boom"))
    result = await run(handler)
    assert result.failure.cause == "token-endpoint" and "500" in result.failure.detail


async def test_an_unreachable_token_endpoint() -> None:
    def token(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    handler, _ = registry(token)
    result = await run(handler)
    assert result.failure.cause == "token-unreachable"


async def test_anonymous_token_without_a_repository_is_a_warning() -> None:
    handler, seen = registry(token_json({"token": "anon"}))
    result = await run(handler)
    assert result.healthy and result.anonymous
    note = step(result, "anonymous-v2")
    assert (note.status, note.cause) == ("warn", "anonymous")
    assert note.detail == "200: not logged in; anonymous access possible (no repository named to test)"
    assert note.title == "GET /v2/ (anonymous token)"
    [token_request] = [r for r in seen if r.url.path == "/token"]
    assert "scope" not in token_request.url.params
    assert result.to_json()["anonymous"] is True and result.to_json()["healthy"] is True


@pytest.mark.parametrize(
    ("error", "cause"), [("invalid_token", "token-rejected"), ("insufficient_scope", "not-logged-in")]
)
async def test_a_registry_that_refuses_the_anonymous_token_at_v2(error: str, cause: str) -> None:
    # The mock answers /v2/ with 401 both to the anonymous ping (not replayed here) and to the token.
    handler, _ = registry(token_json({"token": "anon"}), v2=401, v2_error=error)
    result = await run(handler)
    assert result.failure.name == "anonymous-v2" and result.failure.cause == cause
    assert f"error={error}" in result.failure.detail


async def test_denied_and_absent_repositories() -> None:
    handler, _ = registry(token_json({"token": "anon"}), manifest=401, v2_error="insufficient_scope")
    result = await run(handler, repo="team/private")
    failure = result.failure
    assert failure.cause == "anonymous-denied"
    assert failure.detail == (
        "denied: anonymous pull of team/private is not allowed, or team/private does not exist "
        "(error=insufficient_scope): log in"
    )
    assert failure.fix == f"log in as a user who may pull team/private: regtui login {REGISTRY} -u USER"

    handler, _ = registry(token_json({"token": "anon"}), manifest=404)
    result = await run(handler, repo="team/app:nope")
    assert result.failure.cause == "not-found"  # the token granted the pull: the tag is what is missing


async def test_basic_auth_has_no_anonymous_access() -> None:
    handler, seen = registry(token_json({"token": "never"}))
    result = await run(handler, repo="team/app", challenge='Basic realm="reg"')
    assert result.failure.name == "credentials" and result.failure.cause == "not-logged-in"
    assert not seen and not result.anonymous


async def test_an_open_registry_pulls_without_a_token() -> None:
    handler, seen = registry(token_json({"token": "never"}))
    result = await run(handler, repo="team/app", challenge=None)
    assert result.healthy and not result.anonymous
    assert [r.url.path for r in seen] == ["/v2/team/app/manifests/latest"]
    assert "authorization" not in seen[0].headers

    handler, _ = registry(token_json({"token": "never"}), manifest=401)
    result = await run(handler, repo="team/app", challenge=None)
    assert result.failure.cause == "anonymous-denied"


async def test_hub_names_are_normalised_like_docker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REGTUI_HUB_REGISTRY_URL", ENDPOINT)
    handler, seen = registry(token_json({"token": "anon"}))
    result = await run(handler, repo="alpine", name="docker.io")
    assert result.healthy
    assert [r.url.path for r in seen if "/manifests/" in r.url.path] == ["/v2/library/alpine/manifests/latest"]
    assert json.loads(json.dumps(result.to_json()))["anonymous"] is True


@pytest.mark.parametrize(
    ("repo", "key", "expected"),
    [
        ("team/app", REGISTRY, ("team/app", "latest")),
        ("team/app:1.0", REGISTRY, ("team/app", "1.0")),
        (f"team/app@{DIGEST}", REGISTRY, ("team/app", DIGEST)),
        ("alpine", "https://index.docker.io/v1/", ("library/alpine", "latest")),
        ("alpine:3", "https://index.docker.io/v1/", ("library/alpine", "3")),
        ("bitnami/redis", "https://index.docker.io/v1/", ("bitnami/redis", "latest")),
        ("alpine", REGISTRY, ("alpine", "latest")),  # only Hub has library/
    ],
)
def test_split_reference(repo: str, key: str, expected: tuple[str, str]) -> None:
    assert split_reference(repo, key) == expected


async def test_a_stored_identity_token_without_an_account_is_not_anonymous() -> None:
    handler, seen = registry(token_json({"access_token": "for-the-user"}))
    result = await run(handler, repo="team/app", secret=Secret(None, None, "rt-stored"))
    assert result.healthy and not result.anonymous
    assert step(result, "repository").detail == f"the stored identity token may pull team/app:latest ({DIGEST})"
    assert all(r.method == "POST" for r in seen if r.url.path == "/token")  # the refresh-token grant, no anonymous GET


async def test_a_manifest_refusing_the_token_itself_is_not_a_permission_problem() -> None:
    handler, _ = registry(token_json({"token": "anon"}), manifest=401, v2_error="invalid_token")
    result = await run(handler, repo="team/app")
    assert result.failure.cause == "token-rejected" and "rootcertbundle" in result.failure.fix
    assert result.failure.detail == (
        "the registry rejected the token for team/app (error=invalid_token): "
        "the registry does not accept its token server's tokens"
    )
