"""docker-credential-regtui and the helper client against gnome-keyring on a private D-Bus session."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from regtui.core.credentials.helper_client import HelperClient
from regtui.core.credentials.model import Credential
from tests.conftest import require
from tests.support.realparts import KeyringSession


def helper(env: dict[str, str], *argv: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["docker-credential-regtui", *argv], input=stdin, capture_output=True, text=True, env=env, timeout=30
    )


def python(env: dict[str, str], code: str) -> str:
    return subprocess.run(
        ["python", "-c", code], capture_output=True, text=True, env=env, check=True, timeout=30
    ).stdout.strip()


def test_regtui_stores_in_gnome_keyring_and_reads_back(real_env: dict[str, str]) -> None:
    assert python(real_env, "import keyring; print(type(keyring.get_keyring()).__module__)") == (
        "keyring.backends.SecretService"
    )
    store = helper(
        real_env, "store", stdin=json.dumps({"ServerURL": "127.0.0.1:5999", "Username": "regtui", "Secret": "s3:cr3t"})
    )
    assert store.returncode == 0, store.stdout
    got = helper(real_env, "get", stdin="127.0.0.1:5999")
    assert json.loads(got.stdout) == {"ServerURL": "127.0.0.1:5999", "Username": "regtui", "Secret": "s3:cr3t"}
    # The item is keyring's own: plain `keyring` finds it under regtui's service name.
    assert (
        python(
            real_env, "import keyring; print(keyring.get_password('docker-credential-regtui:127.0.0.1:5999', 'regtui'))"
        )
        == "s3:cr3t"
    )
    assert json.loads(helper(real_env, "list").stdout) == {"127.0.0.1:5999": "regtui"}
    assert helper(real_env, "erase", stdin="127.0.0.1:5999").returncode == 0
    assert helper(real_env, "get", stdin="127.0.0.1:5999").stdout == "credentials not found in native keychain\n"
    assert (
        python(
            real_env, "import keyring; print(keyring.get_password('docker-credential-regtui:127.0.0.1:5999', 'regtui'))"
        )
        == "None"
    )


def test_get_without_the_index_asks_the_keyring(real_env: dict[str, str], tmp_path) -> None:
    helper(real_env, "store", stdin=json.dumps({"ServerURL": "idx.example", "Username": "u", "Secret": "p"}))
    other_state = {**real_env, "REGTUI_CONFIG_DIR": str(tmp_path / "elsewhere")}
    assert json.loads(helper(other_state, "get", stdin="idx.example").stdout)["Secret"] == "p"
    helper(real_env, "erase", stdin="idx.example")


def test_helper_client_reads_what_docker_credential_secretservice_stored(real_env: dict[str, str]) -> None:
    require("docker-credential-secretservice")
    payload = json.dumps({"ServerURL": "127.0.0.1:5888", "Username": "ss-user", "Secret": "ss-secret"})
    subprocess.run(["docker-credential-secretservice", "store"], input=payload, text=True, env=real_env, check=True)
    client = HelperClient("secretservice", env=real_env)
    assert client.get("127.0.0.1:5888") == Credential("127.0.0.1:5888", "ss-user", "ss-secret")
    assert client.list().get("127.0.0.1:5888") == "ss-user"
    assert client.erase("127.0.0.1:5888") is True
    assert client.get("127.0.0.1:5888") is None


def test_no_dbus_is_reported_plainly(real_env: dict[str, str]) -> None:
    env = {k: v for k, v in real_env.items() if k != "DBUS_SESSION_BUS_ADDRESS"}
    result = helper(env, "store", stdin=json.dumps({"ServerURL": "r.example", "Username": "u", "Secret": "SECRET"}))
    assert result.returncode == 1
    assert "no OS keyring is available (DBUS_SESSION_BUS_ADDRESS is not set)" in result.stdout
    assert "keyring.backends.fail.Keyring" in result.stdout and "SECRET" not in result.stdout


def test_secretservice_failure_shows_in_registries(real_env: dict[str, str], docker_dir) -> None:
    require("docker-credential-secretservice")
    (docker_dir / "config.json").write_text(
        json.dumps({"auths": {"127.0.0.1:5777": {}}, "credsStore": "secretservice"})
    )
    env = {k: v for k, v in real_env.items() if k != "DBUS_SESSION_BUS_ADDRESS"}
    out = subprocess.run(["regtui", "registries", "--json"], capture_output=True, text=True, env=env, check=True)
    [entry] = json.loads(out.stdout)["registries"]
    assert entry["logged_in"] is None
    assert "Cannot autolaunch D-Bus without X11 $DISPLAY" in entry["diagnostics"][0]["message"]


def test_a_locked_keyring_says_so(keyring_session: KeyringSession, real_env: dict[str, str]) -> None:
    keyring_session.stop_keyring()
    keyring_session.start_keyring("the-wrong-password")
    try:
        result = helper(real_env, "store", stdin=json.dumps({"ServerURL": "l.example", "Username": "u", "Secret": "s"}))
        assert result.returncode == 1
        print(result.stdout)
        assert "the OS keyring is locked and could not be unlocked" in result.stdout
        assert "Traceback" not in result.stdout + result.stderr
    finally:
        keyring_session.stop_keyring()
        keyring_session.start_keyring(keyring_session.password)
    ok = helper(real_env, "store", stdin=json.dumps({"ServerURL": "l.example", "Username": "u", "Secret": "s"}))
    assert ok.returncode == 0, ok.stdout
    helper(real_env, "erase", stdin="l.example")


NON_ASCII = 'pässwörd-ключ-密码-🔑 \\ " \n end'


def _settled_lookup(attributes: dict[str, str], **kwargs):  # noqa: ANN202
    """secret_service.lookup, given a few seconds for gnome-keyring to settle.

    A gnome-keyring restarted by the test before (and loaded on 2 busy cores) was seen to answer
    ReadAlias("default") with "/" for a moment between two lookups; the helper then falls back
    to the keyring library, which is right for users but not what this contract test reads.
    """
    from regtui.core.credentials import secret_service

    deadline = time.monotonic() + 5
    while True:
        try:
            return secret_service.lookup(attributes, **kwargs)
        except secret_service.Unavailable:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def test_the_dbus_client_reads_exactly_what_keyring_and_secretservice_stored(
    real_env: dict[str, str], monkeypatch
) -> None:
    """Contract of the `get` fast path (secret_service.py over dbus_wire.py) with gnome-keyring."""
    require("docker-credential-secretservice")

    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", real_env["DBUS_SESSION_BUS_ADDRESS"])
    code = "import keyring, sys; keyring.set_password('docker-credential-regtui:fast.example', 'u', sys.stdin.read())"
    subprocess.run(["python", "-c", code], input=NON_ASCII, text=True, env=real_env, check=True, timeout=30)
    payload = json.dumps({"ServerURL": "go.example", "Username": "go-user", "Secret": NON_ASCII})
    subprocess.run(["docker-credential-secretservice", "store"], input=payload, text=True, env=real_env, check=True)
    try:
        attrs = {"username": "u", "service": "docker-credential-regtui:fast.example"}
        assert _settled_lookup(attrs) == ({}, NON_ASCII)
        found = _settled_lookup({"service": attrs["service"]}, with_attributes=True)
        assert found is not None and found[0]["username"] == "u" and found[1] == NON_ASCII
        found = _settled_lookup({"server": "go.example"}, with_attributes=True)
        assert found is not None and found[0]["username"] == "go-user" and found[1] == NON_ASCII
        assert _settled_lookup({**attrs, "username": "nobody"}) is None
        # The helper itself, the exact bytes through the protocol's JSON: first with no index entry
        # (a miss in the index falls back to the keyring), then stored through the helper.
        got = helper(real_env, "get", stdin="fast.example")
        assert json.loads(got.stdout) == {"ServerURL": "fast.example", "Username": "u", "Secret": NON_ASCII}
        helper(real_env, "store", stdin=json.dumps({"ServerURL": "fast.example", "Username": "u", "Secret": NON_ASCII}))
        got = helper(real_env, "get", stdin="fast.example")
        assert json.loads(got.stdout) == {"ServerURL": "fast.example", "Username": "u", "Secret": NON_ASCII}
    finally:
        helper(real_env, "erase", stdin="fast.example")
        subprocess.run(["docker-credential-secretservice", "erase"], input="go.example", text=True, env=real_env)
    assert _settled_lookup(attrs) is None


def test_get_reads_over_dbus_without_keyring_json_or_socket(real_env: dict[str, str]) -> None:
    store = json.dumps({"ServerURL": "lean.example", "Username": "u", "Secret": "lean-s"})
    assert helper(real_env, "store", stdin=store).returncode == 0
    code = (
        "import io, sys; sys.argv = ['x', 'get']; sys.stdin = io.StringIO('lean.example')\n"
        "from regtui import helper\ntry: helper.main()\nexcept SystemExit: pass\n"
        "heavy = ('keyring', 'jeepney', 'secretstorage', 'json', 'socket', 'urllib')\n"
        "print([m for m in sys.modules if m.split('.')[0] in heavy])"
    )
    out = python(real_env, code)
    assert out.splitlines() == ['{"ServerURL":"lean.example","Username":"u","Secret":"lean-s"}', "[]"]
    helper(real_env, "erase", stdin="lean.example")


def test_a_locked_collection_is_not_read_by_the_fast_path(keyring_session: KeyringSession, real_env, monkeypatch):
    from regtui.core.credentials import secret_service

    helper(real_env, "store", stdin=json.dumps({"ServerURL": "locked.example", "Username": "u", "Secret": "LOCKED-S"}))
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", real_env["DBUS_SESSION_BUS_ADDRESS"])
    keyring_session.stop_keyring()
    keyring_session.start_keyring("the-wrong-password")
    try:
        with pytest.raises(secret_service.Unavailable, match="locked"):
            secret_service.lookup({"username": "u", "service": "docker-credential-regtui:locked.example"})
        got = helper(real_env, "get", stdin="locked.example")
        assert got.returncode == 1 and "the OS keyring is locked" in got.stdout
        assert "LOCKED-S" not in got.stdout + got.stderr and "Traceback" not in got.stdout + got.stderr
    finally:
        keyring_session.stop_keyring()
        keyring_session.start_keyring(keyring_session.password)
    assert json.loads(helper(real_env, "get", stdin="locked.example").stdout)["Secret"] == "LOCKED-S"
    helper(real_env, "erase", stdin="locked.example")


HUB = "https://index.docker.io/v1/"
WEB_LOGIN = (HUB + "access-token", HUB + "refresh-token")


@pytest.mark.parametrize("name", ["regtui", "secretservice"])
def test_docker_web_login_urls_are_items_of_their_own(real_env: dict[str, str], name: str) -> None:
    """docker's web login stores …/access-token and …/refresh-token beside the Hub login: both helpers
    keep the three apart, and erasing one leaves the others."""
    require(f"docker-credential-{name}")

    def run(verb: str, stdin: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [f"docker-credential-{name}", verb], input=stdin, capture_output=True, text=True, env=real_env, timeout=30
        )

    servers = {HUB: ("alice", "hub-pat"), WEB_LOGIN[0]: ("alice", "at-jwt"), WEB_LOGIN[1]: ("alice", "rt-opaque")}
    for server, (user, secret) in servers.items():
        assert run("store", json.dumps({"ServerURL": server, "Username": user, "Secret": secret})).returncode == 0
    try:
        for server, (user, secret) in servers.items():
            assert json.loads(run("get", server).stdout) == {"ServerURL": server, "Username": user, "Secret": secret}
        listed = json.loads(run("list", "").stdout)
        assert {s: listed.get(s) for s in servers} == {s: u for s, (u, _) in servers.items()}
        assert run("erase", WEB_LOGIN[0]).returncode == 0
        assert run("get", WEB_LOGIN[0]).stdout.strip() == "credentials not found in native keychain"
        assert json.loads(run("get", HUB).stdout)["Secret"] == "hub-pat"
        assert json.loads(run("get", WEB_LOGIN[1]).stdout)["Secret"] == "rt-opaque"
    finally:
        for server in servers:
            run("erase", server)


def test_thirty_parallel_stores_all_land(real_env: dict[str, str]) -> None:
    servers = [f"127.0.0.1:{6000 + i}" for i in range(30)]

    def store(server: str) -> subprocess.CompletedProcess[str]:
        payload = json.dumps({"ServerURL": server, "Username": f"user-{server}", "Secret": f"secret-{server}"})
        return helper(real_env, "store", stdin=payload)

    with ThreadPoolExecutor(max_workers=30) as pool:  # 30 helper processes at once
        results = list(pool.map(store, servers))
    assert [r.returncode for r in results] == [0] * 30, [r.stdout for r in results if r.returncode]
    assert json.loads(helper(real_env, "list").stdout) == {s: f"user-{s}" for s in servers}
    for server in servers:
        assert json.loads(helper(real_env, "get", stdin=server).stdout)["Secret"] == f"secret-{server}"
    with ThreadPoolExecutor(max_workers=30) as pool:
        erased = list(pool.map(lambda s: helper(real_env, "erase", stdin=s), servers))
    assert [r.returncode for r in erased] == [0] * 30
    assert json.loads(helper(real_env, "list").stdout) == {}


def test_a_keyring_write_spawns_no_compiler(real_env: dict[str, str], tmp_path) -> None:
    """keyring's backend detection imports its macOS backend, whose find_library() runs ldconfig,
    gcc and ld; the helper loads only the Secret Service backend, so a store executes nothing."""
    strace = require("strace")
    trace = tmp_path / "execve.txt"
    payload = json.dumps({"ServerURL": "nocc.example", "Username": "u", "Secret": "s"})
    helper_path = shutil.which("docker-credential-regtui", path=real_env["PATH"])
    for verb, stdin in (("store", payload), ("get", "nocc.example"), ("erase", "nocc.example")):
        result = subprocess.run(
            [strace, "-f", "-qq", "-e", "trace=execve", "-o", str(trace), helper_path, verb],
            input=stdin,
            capture_output=True,
            text=True,
            env=real_env,
            timeout=60,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        execs = [line for line in trace.read_text().splitlines() if "execve(" in line and "ENOENT" not in line]
        assert len(execs) == 1 and helper_path in execs[0], execs


def test_registries_with_creds_store_regtui_run_no_helper(real_env: dict[str, str], docker_dir, tmp_path) -> None:
    strace = require("strace")
    servers = [f"127.0.0.1:{7000 + i}" for i in range(12)]
    for server in servers:
        payload = json.dumps({"ServerURL": server, "Username": f"u-{server}", "Secret": f"SECRET-{server}"})
        assert helper(real_env, "store", stdin=payload).returncode == 0
    (docker_dir / "config.json").write_text(json.dumps({"auths": dict.fromkeys(servers, {}), "credsStore": "regtui"}))
    trace = tmp_path / "execve.txt"
    regtui_path = shutil.which("regtui", path=real_env["PATH"])
    out = subprocess.run(
        [strace, "-f", "-qq", "-e", "trace=execve", "-o", str(trace), regtui_path, "registries", "--json"],
        capture_output=True,
        text=True,
        env=real_env,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    listed = {r["registry"]: r for r in json.loads(out.stdout)["registries"]}
    assert {s: (listed[s]["username"], listed[s]["logged_in"]) for s in servers} == {
        s: (f"u-{s}", True) for s in servers
    }
    assert "SecretService" in listed[servers[0]]["secret_location"] and "SECRET-" not in out.stdout
    execs = [line for line in trace.read_text().splitlines() if "execve(" in line and "ENOENT" not in line]
    assert len(execs) == 1 and regtui_path in execs[0], execs
    for server in servers:
        helper(real_env, "erase", stdin=server)
