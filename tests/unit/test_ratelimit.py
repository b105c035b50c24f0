"""regtui ratelimit against a loopback fake Hub: every case of the issue, and never a GET on the manifest."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from regtui.cli import main
from regtui.core.docker_config import encode_auth
from regtui.core.ratelimit import human_window, parse_policy_header
from regtui.core.registry_names import HUB_KEY
from tests.support import fuzz_examples
from tests.support.fake_hub import PULL_LIMIT_BODY, Answer, FakeHub, limited
from tests.support.realparts import free_port


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHub]:
    fake = FakeHub(users={"alice": "pat-123"}).start()
    monkeypatch.setenv("REGTUI_HUB_AUTH_URL", f"{fake.url}/token")
    monkeypatch.setenv("REGTUI_HUB_REGISTRY_URL", fake.url)
    yield fake
    assert fake.manifest_gets == [], "a GET on the manifest counts as a pull"
    fake.close()


def login(docker_dir: Path, user: str = "alice", password: str = "pat-123") -> None:
    (docker_dir / "config.json").write_text(json.dumps({"auths": {HUB_KEY: {"auth": encode_auth(user, password)}}}))


def run(*args: str):
    return CliRunner().invoke(main, ["ratelimit", *args], catch_exceptions=False)


def test_anonymous(hub: FakeHub) -> None:
    hub.answers["anonymous"] = limited(100, 76, source="192.0.2.1")
    result = run("--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    anon = data["anonymous"]
    assert (anon["state"], anon["limit"], anon["remaining"], anon["window_seconds"]) == ("ok", 100, 76, 21600)
    assert anon["percent_remaining"] == 76.0 and anon["source"] == "192.0.2.1"
    assert data["authenticated"] is None and "not logged in" in data["note"]
    text = run().output
    assert "76 of 100 (76%)" in text and "6 hours" in text and "no reset time" in text
    assert ("HEAD", "/v2/ratelimitpreview/test/manifests/latest") in hub.requests


def test_logged_in_personal_side_by_side(hub: FakeHub, docker_dir: Path) -> None:
    login(docker_dir)
    hub.answers["anonymous"] = limited(100, 99, source="192.0.2.1")
    hub.answers["alice"] = limited(200, 187, source="4f1e-uuid")
    data = json.loads(run("--json").stdout)
    auth = data["authenticated"]
    assert (auth["username"], auth["limit"], auth["remaining"], auth["source"]) == ("alice", 200, 187, "4f1e-uuid")
    assert data["anonymous"]["remaining"] == 99
    assert "pat-123" not in run("--json").stdout
    assert "logged in (alice)" in run().output


def test_anonymous_flag_skips_the_logged_in_reading(hub: FakeHub, docker_dir: Path) -> None:
    login(docker_dir)
    data = json.loads(run("--json", "--anonymous").stdout)
    assert data["authenticated"] is None
    assert all("account" not in path for _, path in hub.requests)


def test_paid_account_without_headers_is_unlimited_not_zero(hub: FakeHub, docker_dir: Path) -> None:
    login(docker_dir)
    hub.answers["alice"] = Answer(200, {"docker-ratelimit-source": "paid-uuid"})
    result = run("--json")
    auth = json.loads(result.stdout)["authenticated"]
    assert result.exit_code == 0
    assert (auth["state"], auth["limit"], auth["remaining"]) == ("unlimited", None, None)
    assert "not limited / not reported" in run().output


def test_mixed_case_headers_and_several_policies(hub: FakeHub) -> None:
    hub.answers["anonymous"] = Answer(
        200,
        {
            "RateLimit-Limit": "100;w=21600, 25;w=3600",
            "RATELIMIT-REMAINING": "40;w=21600",
            "Docker-RateLimit-Source": "192.0.2.9",
        },
    )
    anon = json.loads(run("--json").stdout)["anonymous"]
    assert (anon["limit"], anon["remaining"], anon["window_seconds"]) == (100, 40, 21600)
    assert anon["policies"] == ["100;w=21600", "25;w=3600"] and anon["source"] == "192.0.2.9"


def test_exhausted_exits_1(hub: FakeHub) -> None:
    hub.answers["anonymous"] = limited(100, 0)
    result = run("--json")
    assert result.exit_code == 1 and json.loads(result.stdout)["anonymous"]["state"] == "exhausted"


def test_exhausted_fix_fits_who_is_logged_in(hub: FakeHub, docker_dir: Path) -> None:
    hub.answers["anonymous"] = limited(100, 0)
    assert "log in" in json.loads(run("--json").stdout)["anonymous"]["fix"]
    login(docker_dir)
    hub.answers["alice"] = limited(200, 0)
    data = json.loads(run("--json").stdout)
    assert data["authenticated"]["state"] == data["anonymous"]["state"] == "exhausted"
    assert "log in" not in data["authenticated"]["fix"] and "log in" not in data["anonymous"]["fix"]


def test_a_timeout_without_text_still_says_what_happened() -> None:
    from regtui.core import wire
    from regtui.core.ratelimit import network_error

    assert network_error(wire.ReadTimeout("")) == "ReadTimeout: no answer before the timeout"
    assert network_error(wire.ConnectError("refused")) == "ConnectError: refused"


def test_warn_below(hub: FakeHub) -> None:
    hub.answers["anonymous"] = limited(100, 7)
    assert run("--warn-below", "5").exit_code == 0
    result = run("--warn-below", "10", "--json")
    assert result.exit_code == 1 and json.loads(result.stdout)["anonymous"]["state"] == "low"
    assert run("--warn-below", "0").exit_code == 2


def test_429_pull_limit(hub: FakeHub) -> None:
    hub.answers["anonymous"] = Answer(
        429,
        {"ratelimit-limit": "100;w=21600", "ratelimit-remaining": "0;w=21600", "Content-Type": "application/json"},
        PULL_LIMIT_BODY,
    )
    result = run()
    assert result.exit_code == 1 and "pull rate limit reached (429 toomanyrequests)" in result.output


def test_429_abuse_limit_is_told_apart(hub: FakeHub) -> None:
    hub.answers["anonymous"] = Answer(429, {})
    result = run("--json")
    anon = json.loads(result.stdout)["anonymous"]
    assert result.exit_code == 1 and anon["state"] == "abuse-limit" and "abuse limit" in anon["message"]


def test_token_endpoint_down(hub: FakeHub, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REGTUI_HUB_AUTH_URL", f"http://127.0.0.1:{free_port()}/token")
    result = run("--json", "--timeout", "3")
    anon = json.loads(result.stdout)["anonymous"]
    assert result.exit_code == 1 and anon["state"] == "error" and "token endpoint" in anon["message"]
    assert "unreachable" in anon["message"]


def test_wrong_hub_credentials(hub: FakeHub, docker_dir: Path) -> None:
    login(docker_dir, password="wrong-pat")
    hub.answers["anonymous"] = limited(100, 50)
    result = run("--json")
    auth = json.loads(result.stdout)["authenticated"]
    assert result.exit_code == 1 and auth["state"] == "error" and auth["http_status"] == 401
    assert "rejected the stored credentials" in auth["message"] and "wrong-pat" not in result.stdout


def test_credentials_come_from_the_serving_store(hub: FakeHub, docker_dir: Path) -> None:
    """Hub credentials kept by docker-credential-regtui (credHelpers) are used, not just plaintext."""
    from regtui.core.credentials.helper_client import HelperClient
    from regtui.core.credentials.model import Credential

    HelperClient("regtui").store(Credential(HUB_KEY, "alice", "pat-123"))
    (docker_dir / "config.json").write_text(json.dumps({"auths": {HUB_KEY: {}}, "credHelpers": {HUB_KEY: "regtui"}}))
    hub.answers["alice"] = limited(200, 150)
    assert json.loads(run("--json").stdout)["authenticated"]["remaining"] == 150


@settings(max_examples=fuzz_examples(100), deadline=None)
@given(st.text(max_size=60))
def test_any_header_value_parses_or_is_a_value_error(value: str) -> None:
    """Anything else would be a traceback; a ValueError is reported by the caller (a number of
    more than 18 digits is no count of pulls). The long fuzz run found the old property stale."""
    try:
        limit, window, policies = parse_policy_header(value)
    except ValueError:
        return
    assert limit is None or limit >= 0
    assert window is None or window >= 0
    assert isinstance(policies, tuple)


def test_windows_in_human_units() -> None:
    assert [human_window(s) for s in (21600, 3600, 90, 1800, None)] == [
        "6 hours",
        "1 hour",
        "90 seconds",
        "30 minutes",
        "not reported",
    ]
