"""`regtui check` and `regtui ratelimit`, each in a fresh process against loopback servers, load none
of httpx's stack: the lean client (regtui/core/wire/lean.py) speaks HTTP/1.1 itself, and the
ladder speaks regtui's own types (regtui/core/wire). Importing httpx pulls in urllib.request,
http.client, email and http.cookiejar, whatever the transport: the budget of these two commands
(bench/net_commands.py) has no room for them."""

from __future__ import annotations

import ast
import base64
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.test_hostile_servers import clean_env
from tests.support.fake_hub import FakeHub, limited
from tests.support.hostile_server import Hostile

FORBIDDEN = ("httpx", "httpcore", "h11", "anyio", "urllib.request", "http.client", "email", "http.cookiejar")

# The real entry point, as the console script runs it; at exit, the forbidden modules it loaded.
CHILD = f"""
import atexit, sys
FORBIDDEN = {FORBIDDEN!r}

def report():
    names = [m for m, v in list(sys.modules.items()) if v is not None]
    loaded = sorted(m for m in names if any(m == f or m.startswith(f + ".") for f in FORBIDDEN))
    sys.stderr.write("\\nLOADED " + repr(loaded) + "\\n")

atexit.register(report)
sys.argv = ["regtui", *sys.argv[1:]]
from regtui.entry import main
main()
"""


@pytest.fixture(scope="module")
def hostile() -> Iterator[Hostile]:
    server = Hostile().start()
    yield server
    server.close()


@pytest.fixture(scope="module")
def hub() -> Iterator[FakeHub]:
    server = FakeHub()
    server.answers["anonymous"] = limited(100, 76)
    server.start()
    yield server
    server.close()


def run(
    env: dict[str, str], *args: str, watch: tuple[str, ...] = FORBIDDEN
) -> tuple[subprocess.CompletedProcess, list[str]]:
    child = CHILD.replace(repr(FORBIDDEN), repr(watch))
    done = subprocess.run(
        [sys.executable, "-c", child, *args], capture_output=True, text=True, env=env, timeout=60, check=False
    )
    line = next(x for x in done.stderr.splitlines() if x.startswith("LOADED "))
    return done, ast.literal_eval(line.removeprefix("LOADED "))


def test_check_with_a_token_and_a_repository_loads_no_httpx(hostile: Hostile, tmp_path: Path) -> None:
    host = hostile.host("normal")  # a Bearer registry and its token server
    (tmp_path / ".docker").mkdir()
    auth = base64.b64encode(b"user:password").decode()
    (tmp_path / ".docker" / "config.json").write_text(json.dumps({"auths": {host: {"auth": auth}}}))
    done, loaded = run(clean_env(tmp_path), "check", host, "--repo", "team/app:1", "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    [result] = json.loads(done.stdout)["results"]
    steps = {s["step"]: s for s in result["steps"]}
    assert steps["credentials"]["status"] == "ok" and steps["repository"]["status"] == "ok", steps
    assert loaded == []


def test_ratelimit_loads_no_httpx_and_no_event_loop(hub: FakeHub, tmp_path: Path) -> None:
    """One reading needs no event loop either (core/wire/blocking.py): asyncio is not imported."""
    env = clean_env(tmp_path, REGTUI_HUB_AUTH_URL=f"{hub.url}/token", REGTUI_HUB_REGISTRY_URL=hub.url)
    done, loaded = run(env, "ratelimit", "--json", "--anonymous")
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout)["anonymous"]["remaining"] == 76
    assert loaded == []
    done, loaded = run(env, "ratelimit", "--json", "--anonymous", watch=("asyncio",))
    assert done.returncode == 0 and loaded == []


def test_with_a_proxy_set_the_commands_go_through_httpx(hub: FakeHub, tmp_path: Path) -> None:
    """The probe above would pass if it could not see an import: here httpx is loaded, and seen."""
    env = clean_env(tmp_path, REGTUI_HUB_AUTH_URL=f"{hub.url}/token", REGTUI_HUB_REGISTRY_URL=hub.url)
    env.update(HTTPS_PROXY="http://127.0.0.1:9", NO_PROXY="127.0.0.1")  # set, and not used for loopback
    done, loaded = run(env, "ratelimit", "--json", "--anonymous")
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout)["anonymous"]["remaining"] == 76
    assert "httpx" in loaded and "http.client" in loaded
