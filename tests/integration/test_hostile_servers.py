"""The real CLI (a subprocess) against hostile servers: a classified failure for each, bounded in
time and memory, never a traceback, never a terminal control sequence in what it prints.

One ``regtui check --json`` of every hostile registry at once also proves that one bad registry
never spoils the run: the document is complete and every registry has its own verdict.
"""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT, VENV_BIN
from tests.support.hostile_server import BEHAVIOURS, Hostile

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # every C0 but tab and newline, DEL, every C1
TIMEOUT = 1.0
CHECKED = [b for b in BEHAVIOURS if not b.startswith("ratelimit-") and b != "foreign"]


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REGTUI_", "DOCKER_", "HTTP", "https", "http"))}
    env.update(
        HOME=str(home),
        DOCKER_CONFIG=str(home / ".docker"),
        REGTUI_CONFIG_DIR=str(home / ".config" / "regtui"),
        XDG_CONFIG_HOME=str(home / ".config"),
        PATH=f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        PYTHONPATH=str(ROOT),
        NO_PROXY="*",
        **extra,
    )
    return env


def regtui(env: dict[str, str], *args: str, stdin: str | None = None) -> tuple[subprocess.CompletedProcess, float]:
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "regtui", *args], input=stdin, capture_output=True, text=True, env=env, timeout=60
    )
    return done, time.monotonic() - start


def assert_harmless(done: subprocess.CompletedProcess) -> None:
    for stream in (done.stdout, done.stderr):
        assert "Traceback" not in stream, stream
        assert not CONTROL.search(stream), repr(CONTROL.search(stream))


def assert_no_controls(value: object) -> None:
    """Every string in a parsed --json document is free of control characters."""
    if isinstance(value, str):
        assert not CONTROL.search(value), repr(value)
    elif isinstance(value, dict):
        for item in value.values():
            assert_no_controls(item)
    elif isinstance(value, list):
        for item in value:
            assert_no_controls(item)


@pytest.fixture(scope="module", params=["httpcore", "lean"])
def http_path(request: pytest.FixtureRequest) -> str:
    """Every test here runs over both HTTP paths: httpcore's and regtui/core/lean_http.py's
    (REGTUI_HTTP chooses for every command; check and ratelimit use the lean one by default)."""
    return str(request.param)


@pytest.fixture(scope="module")
def hostile() -> Iterator[Hostile]:
    server = Hostile().start()
    yield server
    server.close()


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory, hostile: Hostile) -> Path:
    home = tmp_path_factory.mktemp("hostile-home")
    (home / ".docker").mkdir()
    auth = base64.b64encode(b"user:password").decode()
    config = {"auths": {hostile.host(b): {"auth": auth} for b in CHECKED}}
    (home / ".docker" / "config.json").write_text(json.dumps(config))
    return home


@pytest.fixture(scope="module")
def check_all(
    hostile: Hostile, home: Path, http_path: str
) -> tuple[subprocess.CompletedProcess, float, dict[str, dict]]:
    hostile.counts.clear()  # "negotiate" answers Bearer to the first anonymous /v2/ only
    done, took = regtui(clean_env(home, REGTUI_HTTP=http_path), "check", "--json", "--timeout", str(TIMEOUT))
    document = json.loads(done.stdout)
    port_of = {hostile.host(b): b for b in CHECKED}
    return done, took, {port_of[r["registry"]]: r for r in document["results"]}


# behaviour -> (the step that fails, its cause); None: healthy
EXPECTED: dict[str, tuple[str, str] | None] = {
    "normal": None,
    "deep-json-error": ("ping", "server-error"),
    "huge-number-error": ("ping", "server-error"),
    "escapes-error": ("ping", "server-error"),
    "escapes-redirect": ("ping", "not-registry"),
    "escapes-realm": None,
    "escapes-token": ("credentials", "bad-credentials"),
    "gzip-bomb": ("ping", "not-registry"),
    "drip": ("ping", "timeout"),
    "drip-token": ("credentials", "token-unreachable"),
    "drip-authorized": ("authorized", "timeout"),
    "bad-realm-hex": ("credentials", "bad-realm"),
    "bad-realm-v6": ("credentials", "bad-realm"),
    "bad-realm-port": ("credentials", "bad-realm"),
    "negotiate": None,
    "deep-json-token": ("credentials", "token-endpoint"),
    "huge-number-token": ("credentials", "token-endpoint"),
    "deep-jwt": None,
    "huge-jwt": None,
    "oversize-token": ("credentials", "token-endpoint"),
    "big-token-string": ("credentials", "token-endpoint"),
}


def test_check_of_every_hostile_registry_is_one_complete_document(check_all) -> None:
    done, took, results = check_all
    assert_harmless(done)
    assert done.returncode == 1
    assert sorted(results) == sorted(CHECKED)
    # Drips and floods are bounded: the whole run took about the deadline, not minutes.
    assert took < 4 * TIMEOUT + 6, took


@pytest.mark.parametrize("behaviour", sorted(EXPECTED))
def test_check_classifies_each_hostile_behaviour(check_all, behaviour: str) -> None:
    _, _, results = check_all
    result = results[behaviour]
    assert_no_controls(result)
    expected = EXPECTED[behaviour]
    if expected is None:
        assert result["healthy"], result
        return
    failing = next(s for s in result["steps"] if s["status"] == "fail")
    assert (failing["step"], failing["cause"]) == expected, failing
    assert failing["fix"], failing
    assert result["ms"] < 2.5 * TIMEOUT * 1000, result["ms"]  # one step's deadline, plus the steps before it


def test_foreign_realm_token_comes_from_the_other_host(check_all) -> None:
    result = check_all[2]["foreign-realm"]
    credentials = next(s for s in result["steps"] if s["step"] == "credentials")
    assert credentials["status"] in ("ok", "warn"), result
    assert_no_controls(result)


def test_check_human_output_has_no_escapes_and_no_traceback(hostile: Hostile, home: Path, http_path: str) -> None:
    names = [hostile.host(b) for b in ("escapes-error", "escapes-redirect", "escapes-realm", "escapes-token")]
    done, _ = regtui(clean_env(home, REGTUI_HTTP=http_path), "check", "--timeout", str(TIMEOUT), *names)
    assert_harmless(done)
    assert "pwned" in done.stdout  # the text is shown, only its control characters are gone
    assert done.stdout.count("cause:") == 3


@pytest.mark.parametrize(
    ("behaviour", "said"),
    [
        ("negotiate", "changed its challenge during login: Bearer first, then negotiate"),
        ("bad-realm-hex", "is not a valid URL"),
        ("bad-realm-v6", "is not a valid URL"),
        ("bad-realm-port", "is not a valid URL"),
        ("escapes-token", "refused the credentials"),
        ("drip-token", "did not answer in time"),
        ("oversize-token", "larger than 1 MiB"),
        ("deep-json-token", "without a token"),
    ],
)
def test_login_against_hostile_registries(
    hostile: Hostile, tmp_path: Path, behaviour: str, said: str, http_path: str
) -> None:
    (tmp_path / ".docker").mkdir()
    env = clean_env(tmp_path, REGTUI_HTTP=http_path)
    hostile.counts.clear()  # "negotiate" answers Bearer to the first anonymous /v2/ only
    done, took = regtui(
        env,
        *("login", hostile.host(behaviour), "-u", "user", "--password-stdin", "--store", "file"),
        *("--timeout", str(TIMEOUT)),
        stdin="canary-password",
    )
    assert_harmless(done)
    assert done.returncode == 1, done.stdout + done.stderr
    assert said in done.stderr and "fix:" in done.stderr, done.stderr
    assert "canary-password" not in done.stdout + done.stderr
    assert not (tmp_path / ".docker" / "config.json").exists()  # nothing stored
    assert took < 3 * TIMEOUT + 6, took


def test_mirrors_test_against_hostile_mirrors(hostile: Hostile, tmp_path: Path, http_path: str) -> None:
    names = ["drip", "escapes-error", "gzip-bomb", "deep-json-token", "oversize-token", "bad-realm-v6", "escapes-token"]
    done, took = regtui(
        clean_env(tmp_path, REGTUI_HTTP=http_path),
        "mirrors",
        "test",
        "--json",
        "--timeout",
        str(TIMEOUT),
        *(hostile.url(n) for n in names),
    )
    assert_harmless(done)
    assert done.returncode == 1
    mirrors = {m["url"]: m for m in json.loads(done.stdout)["mirrors"]}
    assert_no_controls(mirrors)
    causes = {n: mirrors[hostile.url(n)]["cause"] for n in names}
    assert causes == {
        "drip": "timeout",
        "escapes-error": "not-registry",
        "gzip-bomb": "not-registry",
        "deep-json-token": "token-endpoint",
        "oversize-token": "token-endpoint",
        "bad-realm-v6": "bad-realm",
        "escapes-token": "bad-credentials",
    }
    assert took < 3 * TIMEOUT + 6, took


@pytest.mark.parametrize(
    ("behaviour", "state", "said"),
    [
        ("ratelimit-digits", "error", "cannot be read: a number of 5000 digits"),
        ("ratelimit-escapes", "ok", ""),
        ("drip-token", "error", "unreachable"),
        ("oversize-token", "error", "larger than 1 MiB"),
        ("deep-json-token", "error", "sent no token"),
    ],
)
def test_ratelimit_against_hostile_hubs(
    hostile: Hostile, tmp_path: Path, behaviour: str, state: str, said: str, http_path: str
) -> None:
    env = clean_env(
        tmp_path,
        REGTUI_HTTP=http_path,
        REGTUI_HUB_AUTH_URL=f"{hostile.url(behaviour)}/token",
        REGTUI_HUB_REGISTRY_URL=hostile.url(behaviour),
    )
    done, took = regtui(env, "ratelimit", "--anonymous", "--json", "--timeout", str(TIMEOUT))
    assert_harmless(done)
    reading = json.loads(done.stdout)["anonymous"]
    assert_no_controls(reading)
    assert reading["state"] == state and said in reading["message"], reading
    if state == "error":
        assert reading["fix"]
    if behaviour == "ratelimit-escapes":
        assert reading["source"] == "31m0;pwned" and reading["remaining"] == 50
    human, _ = regtui(env, "ratelimit", "--anonymous", "--timeout", str(TIMEOUT))
    assert_harmless(human)
    assert took < 2 * TIMEOUT + 6, took


def peak_rss_mib(env: dict[str, str], *args: str) -> tuple[float, subprocess.Popen]:
    """Run regtui and return its peak resident memory: VmHWM of its own address space, sampled to the end.

    (ru_maxrss would also count the pytest process the child was forked from.)
    """
    child = subprocess.Popen(
        [sys.executable, "-m", "regtui", *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    peak = 0
    status = Path(f"/proc/{child.pid}/status")
    while child.poll() is None:
        try:
            line = next(x for x in status.read_text().splitlines() if x.startswith("VmHWM:"))
            peak = max(peak, int(line.split()[1]))
        except (OSError, StopIteration):
            pass
        time.sleep(0.005)
    return peak / 1024, child


def test_a_300_mb_token_answer_costs_no_memory_beyond_the_cap(hostile: Hostile, home: Path, http_path: str) -> None:
    env = clean_env(home, REGTUI_HTTP=http_path)
    baseline, _ = peak_rss_mib(env, "check", "--json", hostile.host("normal"))
    flooded, child = peak_rss_mib(env, "check", "--json", hostile.host("oversize-token"))
    print(f"peak RSS: normal {baseline:.0f} MiB, 300 MB token answer {flooded:.0f} MiB")
    assert flooded - baseline < 16, (baseline, flooded)  # main before the cap: 708 MiB
    result = json.loads(child.stdout.read())["results"][0]
    assert result["cause"] == "token-endpoint" and "larger than 1 MiB" in json.dumps(result)
