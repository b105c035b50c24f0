"""docker-credential-regtui and the helper client against gnome-keyring on a private D-Bus session."""

from __future__ import annotations

import json
import subprocess

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


def test_the_dbus_fast_path_reads_keyrings_own_items(real_env: dict[str, str], monkeypatch) -> None:
    """The `get` hot path reads, over D-Bus alone, exactly the item `keyring` wrote."""
    from regtui.core.credentials import secret_service

    python(real_env, "import keyring; keyring.set_password('docker-credential-regtui:fast.example', 'u', 'fast-s')")
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", real_env["DBUS_SESSION_BUS_ADDRESS"])
    attrs = {"service": "docker-credential-regtui:fast.example", "username": "u"}
    assert secret_service.lookup(attrs) == "fast-s"
    assert secret_service.lookup({**attrs, "username": "nobody"}) is None
    python(real_env, "import keyring; keyring.delete_password('docker-credential-regtui:fast.example', 'u')")
    assert secret_service.lookup(attrs) is None
