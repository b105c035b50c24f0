"""Bounded HTTP (a deadline per request, a capped body), the sanitiser, server JSON, bad realms,
rate-limit headers, and the check's safety net: each against a real loopback server or real bytes."""

from __future__ import annotations

import base64
import gzip
import json
import time
import zlib
from collections.abc import Iterator

import httpx
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from regtui.core import wire
from regtui.core.ratelimit_model import parse_policy_header
from regtui.core.registry.challenge import Challenge, realm_problem
from regtui.core.registry.clients import RegistryClients
from regtui.core.registry.model import Step
from regtui.core.registry.probe import CheckOptions, check_many, check_registry
from regtui.core.registry.token import Secret, clock_skew, jwt_claims, realm_url
from regtui.core.safetext import printable
from regtui.core.wire import DeadlineExceeded, ResponseTooLarge, json_body, new_client
from regtui.core.wire.blocking import BlockingClient, run_blocking
from tests.support import fuzz_examples
from tests.support.hostile_server import ESCAPES, Hostile, jwt


@pytest.fixture(scope="module")
def hostile() -> Iterator[Hostile]:
    server = Hostile().start()
    yield server
    server.close()


@pytest.fixture(params=["httpcore", "lean"])
def http_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The network tests run over both HTTP paths: httpcore's and regtui/core/lean_http.py's."""
    monkeypatch.setenv("REGTUI_HTTP", str(request.param))
    return str(request.param)


# -- the sanitiser -----------------------------------------------------------------------------------
def test_printable_strips_c0_c1_del_and_bidi_but_keeps_text() -> None:
    assert printable(ESCAPES) == "]0;pwned ]52;c;cHduZWQ= [32m✓ all good[0m 31m 0;c1"
    assert printable("a\tb\nc\x7fd\u202eé✓") == "a\tbcdé✓"
    assert printable("a\nb", multiline=True) == "a\nb"
    assert printable(42) == "42"


def test_a_step_never_stores_a_control_character() -> None:
    step = Step("ping", "fail", 0, detail="\x1b]0;pwned\x07x", cause="a\x9bb", fix="\x1b[32mok")
    assert (step.detail, step.cause, step.fix) == ("]0;pwnedx", "ab", "[32mok")


# -- server JSON ------------------------------------------------------------------------------------
@pytest.mark.parametrize("body", ["[" * 100_000, '{"a":' * 100_000, "9" * 5000, b"\xff\xfe{", '{"a": 1e99999'])
def test_json_body_turns_every_failure_into_value_error(body: str | bytes) -> None:
    with pytest.raises(ValueError):
        json_body(body)


def test_jwt_payloads_deep_or_huge_give_no_claims_and_no_skew() -> None:
    assert jwt_claims(jwt("[" * 40_000)) == {}
    claims = jwt_claims(jwt('{"iat":' + "9" * 4000 + "}"))
    assert clock_skew(claims) is None
    assert clock_skew({"iat": float("nan")}) is None and clock_skew({"iat": True}) is None
    assert clock_skew({"iat": 1000}, now=1060) == 60


# -- realms and rate-limit headers --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("realm", "problem"),
    [
        ("http://127.0.0.1:0x50/token", "not a valid URL"),
        ("http://[::1", "not a valid URL"),
        ("http://127.0.0.1:99999/t", "not a valid URL"),
        ("ftp://127.0.0.1/t", "not an http(s) URL"),
        ("http://:80/t", "names no host"),
        ("http://127.0.0.1:0/t", "port 0"),
        ("/token", None),
        ("https://127.0.0.1:5000/token", None),
    ],
)
def test_realm_problem(realm: str, problem: str | None) -> None:
    found = realm_problem(realm, "http://127.0.0.1:5000")
    assert (found is None) if problem is None else (problem in found)


def test_policy_header_with_5000_digits_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="5000 digits"):
        parse_policy_header("9" * 5000 + ";w=21600")
    with pytest.raises(ValueError):
        parse_policy_header("100;w=" + "9" * 5000)
    assert parse_policy_header("100;w=21600, 25;w=3600") == (100, 21600, ("100;w=21600", "25;w=3600"))


# -- the bounded client -------------------------------------------------------------------------------
async def test_a_dripping_body_is_cut_at_the_deadline(hostile: Hostile, http_path: str) -> None:
    async with new_client(0.8) as client:
        start = time.monotonic()
        with pytest.raises(DeadlineExceeded):
            await client.get(f"{hostile.url('drip')}/v2/")
        assert time.monotonic() - start < 1.5
        start = time.monotonic()
        with pytest.raises(wire.TimeoutException):  # streamed too: the deadline covers the body
            response = await client.send(client.build_request("GET", f"{hostile.url('drip')}/v2/"), stream=True)
            await response.aread()
        assert time.monotonic() - start < 1.5


async def test_bodies_are_capped_also_after_inflating(hostile: Hostile, http_path: str) -> None:
    async with new_client(10) as client:
        with pytest.raises(ResponseTooLarge):
            await client.get(f"{hostile.url('oversize-token')}/token")
        with pytest.raises(ResponseTooLarge):  # 100 MiB of zeros in ~100 KiB of gzip
            await client.get(f"{hostile.url('gzip-bomb')}/v2/")


def test_the_blocking_client_keeps_the_deadline_and_the_cap(hostile: Hostile) -> None:
    """regtui ratelimit's client (core/wire/blocking.py): no event loop, the same bounds."""
    client = BlockingClient(0.8)
    start = time.monotonic()
    with pytest.raises(DeadlineExceeded):
        run_blocking(client.get(f"{hostile.url('drip')}/v2/"))
    assert time.monotonic() - start < 1.5
    client = BlockingClient(10)
    with pytest.raises(ResponseTooLarge):
        run_blocking(client.get(f"{hostile.url('oversize-token')}/token"))
    with pytest.raises(ResponseTooLarge):  # 100 MiB of zeros in ~100 KiB of gzip
        run_blocking(client.get(f"{hostile.url('gzip-bomb')}/v2/"))
    assert json.loads(run_blocking(client.get(f"{hostile.url('normal')}/token")).content)["token"] == "tok"
    client.close()


@pytest.mark.parametrize(
    ("encoding", "pack"),
    [
        ("gzip", gzip.compress),
        ("deflate", zlib.compress),
        ("deflate", lambda d: zlib.compress(d)[2:-4]),  # raw deflate, as some servers send it
    ],
)
async def test_compressed_answers_within_the_cap_are_read(encoding: str, pack) -> None:  # noqa: ANN001
    body = json.dumps({"token": "t" * 5000}).encode()

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.headers["accept-encoding"] == "identity"
        return httpx.Response(200, headers={"Content-Encoding": encoding}, content=pack(body))

    async with new_client(5, transport=httpx.MockTransport(handler)) as client:
        assert json.loads((await client.get("http://127.0.0.1/token")).content) == {"token": "t" * 5000}


async def test_an_unknown_content_encoding_is_a_decoding_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Encoding": "br"}, content=b"\x00" * 10)

    async with new_client(5, transport=httpx.MockTransport(handler)) as client:
        with pytest.raises(wire.DecodingError, match="unsupported Content-Encoding"):
            await client.get("http://127.0.0.1/")


# -- the safety net and the run deadline ----------------------------------------------------------------
async def test_an_exception_in_one_registry_is_its_own_classified_failure(hostile: Hostile, http_path: str) -> None:
    good = [hostile.host("normal"), hostile.host("deep-jwt"), hostile.host("huge-jwt")]
    broken = hostile.host("negotiate")
    hostile.counts.clear()  # "negotiate" answers Bearer to the first anonymous /v2/ only

    def lookup(key: str) -> Secret:
        if key == broken:
            raise ZeroDivisionError("injected")
        return Secret("user", "password")

    results = [r async for r in check_many([*good, broken], lookup=lookup, options=CheckOptions(timeout=5))]
    by_name = {r.registry: r for r in results}
    assert sorted(by_name) == sorted([*good, broken])
    assert all(by_name[g].healthy for g in good)
    failure = by_name[broken].failure
    assert (failure.name, failure.cause) == ("credentials", "unexpected")
    assert "ZeroDivisionError" in failure.detail and failure.fix


def test_check_json_is_complete_when_one_registry_raises(
    hostile: Hostile, docker_dir, monkeypatch: pytest.MonkeyPatch, http_path: str
) -> None:
    from regtui.cli import main
    from regtui.core.registry import secrets

    hosts = [hostile.host("normal"), hostile.host("deep-json-error"), hostile.host("huge-jwt")]
    auth = base64.b64encode(b"user:password").decode()
    (docker_dir / "config.json").write_text(json.dumps({"auths": {h: {"auth": auth} for h in hosts}}))
    real = secrets.read_credential

    def exploding(config, key, **kwargs):  # noqa: ANN001, ANN003, ANN202
        if key == hosts[2]:
            raise KeyError("injected into one registry")
        return real(config, key, **kwargs)

    monkeypatch.setattr(secrets, "read_credential", exploding)
    result = CliRunner().invoke(main, ["check", "--json", "--timeout", "5"], catch_exceptions=False)
    assert result.exit_code == 1
    document = json.loads(result.output)
    causes = {r["registry"]: r["cause"] for r in document["results"]}
    assert causes == {hosts[0]: None, hosts[1]: "server-error", hosts[2]: "unexpected"}
    broken = next(r for r in document["results"] if r["registry"] == hosts[2])
    assert "KeyError" in json.dumps(broken)


async def test_a_run_of_many_is_bounded_as_a_whole(hostile: Hostile, http_path: str) -> None:
    names = [hostile.host("drip")] * 8
    timeout = 0.5
    start = time.monotonic()
    results = [
        r async for r in check_many(names, lookup=lambda _k: None, options=CheckOptions(timeout=timeout), concurrency=1)
    ]
    took = time.monotonic() - start
    assert len(results) == 8 and all(r.failure.cause == "timeout" for r in results)
    assert took < 4 * timeout + 1.0, took
    assert any("run's deadline" in r.failure.detail for r in results)


# -- properties: every server string either parses or is a classified answer, never an exception -----
@settings(max_examples=fuzz_examples(300))
@given(st.text(max_size=200))
def test_printable_leaves_no_control_character(text: str) -> None:
    out = printable(text)
    assert not any(ord(c) < 0x20 and c != "\t" or 0x7F <= ord(c) <= 0x9F for c in out)
    assert printable(out) == out


@settings(max_examples=fuzz_examples(300))
@given(st.text(max_size=120))
def test_realm_problem_never_raises(realm: str) -> None:
    found = realm_problem(realm, "http://127.0.0.1:5000")
    assert found is None or isinstance(found, str)
    if found is None:  # what it accepts, httpx accepts too
        httpx.URL(realm_url(Challenge("bearer", {"realm": realm}), "http://127.0.0.1:5000"))


@settings(max_examples=fuzz_examples(300))
@given(st.text(alphabet="0123456789;w= ,abc", max_size=60))
def test_policy_header_parses_or_says_value_error(value: str) -> None:
    try:
        limit, window, policies = parse_policy_header(value)
    except ValueError:
        return
    assert limit is None or limit < 10**18
    assert len(policies) <= 8


@settings(max_examples=fuzz_examples(300))
@given(st.binary(max_size=300))
def test_jwt_claims_never_raise(payload: bytes) -> None:
    part = base64.urlsafe_b64encode(payload).rstrip(b"=").decode()
    assert isinstance(jwt_claims(f"a.{part}.c"), dict)


async def test_one_registry_is_bounded_as_a_whole(hostile: Hostile, http_path: str) -> None:
    """No single step times out here (the credential lookup has no timeout of its own), the whole check does."""

    def slow_lookup(_key: str) -> Secret:
        time.sleep(1.5)
        return Secret("user", "password")

    clients = RegistryClients(0.3)
    start = time.monotonic()
    try:
        result = await check_registry(
            hostile.host("normal"), lookup=slow_lookup, clients=clients, options=CheckOptions(0.3)
        )
    finally:
        await clients.aclose()
    assert time.monotonic() - start < 1.3
    assert (result.failure.name, result.failure.cause) == ("credentials", "timeout")
    assert "did not finish within 0.9 s" in result.failure.detail


async def test_a_timeout_error_raised_inside_a_step_is_not_the_deadline(hostile: Hostile, http_path: str) -> None:
    def failing_lookup(_key: str) -> Secret:
        raise TimeoutError("the keyring did not answer")

    clients = RegistryClients(5)
    try:
        result = await check_registry(
            hostile.host("normal"), lookup=failing_lookup, clients=clients, options=CheckOptions(5)
        )
    finally:
        await clients.aclose()
    assert (result.failure.name, result.failure.cause) == ("credentials", "timeout")
    assert "keyring did not answer" in result.failure.detail


def test_a_hung_resolver_does_not_hold_the_process_past_the_timeout(tmp_path, http_path: str) -> None:  # noqa: ANN001
    """The DNS step gives up at --timeout, and the process exits then: its lookup thread is not joined."""
    import os
    import subprocess
    import sys

    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(
        "import socket, time\ndef hung(*args, **kwargs):\n    time.sleep(60)\nsocket.getaddrinfo = hung\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(hook), os.environ.get("PYTHONPATH", "")])}
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "regtui", "check", "localhost:1", "--timeout", "1", "--json"],  # a name, not an IP
        capture_output=True,
        text=True,
        env=env,
        timeout=50,
    )
    took = time.monotonic() - started
    result = json.loads(done.stdout)["results"][0]
    assert done.returncode == 1 and result["cause"] == "dns-timeout", done.stdout
    assert took < 10, f"the process took {took:.1f} s to exit"


@settings(max_examples=fuzz_examples(500))
@given(
    st.text(alphabet=st.characters(codec="utf-8"), max_size=60)
    | st.from_regex(r"https?://[a-zA-Z0-9.\[\]:%@-]{0,20}(:\d{0,6})?(/[^#?]{0,12})?(\?[^#]{0,12})?", fullmatch=True)
)
def test_urls_parse_as_httpx_parses_them(text: str) -> None:
    """core/wire/url.py is httpx's parser, trimmed: the same URLs are refused, the rest normalised alike."""
    from regtui.core.wire import InvalidURL
    from regtui.core.wire.url import parse

    try:
        ours: str | None = str(parse(text))
    except InvalidURL:
        ours = None
    try:
        theirs: str | None = str(httpx.URL(text))
    except httpx.InvalidURL:
        theirs = None
    assert ours == theirs


@settings(max_examples=fuzz_examples(300))
@given(
    st.sampled_from(["http://127.0.0.1/token", "https://127.0.0.1:5000/t?a=1&b=2", "http://h/t?scope=x&scope=y&z"]),
    st.lists(st.tuples(st.sampled_from(["a", "scope", "service", "ä k"]), st.text(max_size=12)), max_size=4),
)
def test_params_merge_as_httpx_merges_them(url: str, params: list[tuple[str, str]]) -> None:
    from regtui.core.wire.url import parse

    assert str(parse(url).with_params(params)) == str(httpx.URL(url).copy_merge_params(params))
