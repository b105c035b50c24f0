"""docker-credential-regtui run as a subprocess: every verb and error path of the protocol."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

HELPER = "docker-credential-regtui"


def run(*argv: str, stdin: str = "", env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([HELPER, *argv], input=stdin, capture_output=True, text=True, timeout=30, env=env)


def test_store_get_list_erase_round_trip() -> None:
    payload = json.dumps({"ServerURL": "127.0.0.1:5001", "Username": "regtui", "Secret": "s3:cret"})
    assert run("store", stdin=payload).returncode == 0
    got = run("get", stdin="127.0.0.1:5001\n")
    assert got.returncode == 0
    assert json.loads(got.stdout) == {"ServerURL": "127.0.0.1:5001", "Username": "regtui", "Secret": "s3:cret"}
    assert json.loads(run("list").stdout) == {"127.0.0.1:5001": "regtui"}
    assert run("erase", stdin="127.0.0.1:5001").returncode == 0
    gone = run("get", stdin="127.0.0.1:5001")
    assert (gone.returncode, gone.stdout) == (1, "credentials not found in native keychain\n")
    assert json.loads(run("list").stdout) == {}


def test_hub_and_scheme_variants_find_the_same_entry() -> None:
    payload = json.dumps({"ServerURL": "https://index.docker.io/v1/", "Username": "alice", "Secret": "pat"})
    run("store", stdin=payload)
    for name in ("https://index.docker.io/v1/", "docker.io", "index.docker.io"):
        assert json.loads(run("get", stdin=name).stdout)["Username"] == "alice"
    run("store", stdin=json.dumps({"ServerURL": "https://127.0.0.1:5001", "Username": "u", "Secret": "p"}))
    assert json.loads(run("get", stdin="127.0.0.1:5001").stdout)["ServerURL"] == "127.0.0.1:5001"


def test_identity_tokens_keep_the_token_username() -> None:
    run("store", stdin=json.dumps({"ServerURL": "reg.example", "Username": "<token>", "Secret": "rt-1"}))
    assert json.loads(run("get", stdin="reg.example").stdout) == {
        "ServerURL": "reg.example",
        "Username": "<token>",
        "Secret": "rt-1",
    }


def test_storing_again_replaces_the_user() -> None:
    run("store", stdin=json.dumps({"ServerURL": "r.example", "Username": "a", "Secret": "1"}))
    run("store", stdin=json.dumps({"ServerURL": "r.example", "Username": "b", "Secret": "2"}))
    assert json.loads(run("get", stdin="r.example").stdout)["Username"] == "b"
    assert json.loads(run("list").stdout) == {"r.example": "b"}


@pytest.mark.parametrize(
    ("argv", "stdin", "out"),
    [
        (["get"], "", "no credentials server URL\n"),
        (["erase"], "nothing.example", "credentials not found in native keychain\n"),
        (["store"], "not json", 'store expects {"ServerURL":…,"Username":…,"Secret":…} on stdin\n'),
        (["store"], json.dumps({"ServerURL": "", "Username": "u", "Secret": "s"}), "no credentials server URL\n"),
        (["store"], json.dumps({"ServerURL": "r", "Username": "", "Secret": "s"}), "no credentials username\n"),
        (["bogus"], "", "docker-credential-regtui: unknown action: bogus\n"),
        ([], "", "Usage: docker-credential-regtui <store|get|erase|list|version>\n"),
        (["get", "extra"], "", "Usage: docker-credential-regtui <store|get|erase|list|version>\n"),
    ],
)
def test_errors_go_to_stdout_with_exit_1(argv: list[str], stdin: str, out: str) -> None:
    result = run(*argv, stdin=stdin)
    assert (result.returncode, result.stdout) == (1, out)


def test_version() -> None:
    result = run("version")
    assert result.returncode == 0 and result.stdout.startswith("docker-credential-regtui (regtui) ")


def test_no_keyring_is_a_plain_message_not_a_traceback() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHON_KEYRING_BACKEND", "DBUS_SESSION_BUS_ADDRESS")}
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    result = run("store", stdin=json.dumps({"ServerURL": "r", "Username": "u", "Secret": "TOPSECRET"}), env=env)
    assert result.returncode == 1
    assert "no OS keyring is available (DBUS_SESSION_BUS_ADDRESS is not set)" in result.stdout
    assert "--store file" in result.stdout and "Traceback" not in result.stdout + result.stderr
    assert "TOPSECRET" not in result.stdout + result.stderr
    assert result.stdout.count("\n") == 1


def test_the_helper_imports_nothing_heavy() -> None:
    code = (
        "import sys, io; sys.argv=['x','get']; sys.stdin=io.StringIO('nothing.example');"
        "from regtui import helper\ntry: helper.main()\nexcept SystemExit: pass\n"
        "heavy=('textual','rich','click','httpx','tomlkit');"
        "bad=[m for m, v in sys.modules.items() if v and m.split('.')[0] in heavy];"
        "print(bad)"
    )
    out = subprocess.run(["python", "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().endswith("[]")


HUB = "https://index.docker.io/v1/"


def test_every_distinct_server_url_is_an_item_of_its_own() -> None:
    """As docker-credential-secretservice keeps them: the web login's pseudo-URLs, and any URL with a
    path, never overwrite, read or erase the registry's own item."""
    items = {HUB: "hub-pat", HUB + "access-token": "at", HUB + "refresh-token": "rt", "reg.example/team": "team"}
    items["reg.example"] = "root"
    for server, secret in items.items():
        assert run("store", stdin=json.dumps({"ServerURL": server, "Username": "u", "Secret": secret})).returncode == 0
    assert json.loads(run("list").stdout) == dict.fromkeys(items, "u")
    for server, secret in items.items():
        assert json.loads(run("get", stdin=server).stdout)["Secret"] == secret
    assert run("get", stdin="reg.example/other").stdout == "credentials not found in native keychain\n"
    assert run("erase", stdin=HUB + "access-token").returncode == 0
    assert run("erase", stdin="reg.example/team").returncode == 0
    assert json.loads(run("get", stdin="docker.io").stdout)["Secret"] == "hub-pat"
    assert json.loads(run("get", stdin="reg.example").stdout)["Secret"] == "root"
    assert run("get", stdin=HUB + "access-token").stdout == "credentials not found in native keychain\n"


def test_items_stored_by_older_versions_stay_readable_and_erasable(isolated) -> None:
    """Older versions keyed the index and the item by the normalised name (host[:port], Hub's /v1/)."""
    import keyring

    keyring.set_password("docker-credential-regtui:127.0.0.1:5001", "old", "old-secret")
    keyring.set_password("docker-credential-regtui:" + HUB, "hubber", "hub-old")
    index = isolated / ".config" / "regtui" / "credential-index.json"
    index.parent.mkdir(parents=True)
    index.write_text(json.dumps({"version": 1, "servers": {"127.0.0.1:5001": "old", HUB: "hubber"}}))
    got = json.loads(run("get", stdin="https://127.0.0.1:5001").stdout)
    assert got == {"ServerURL": "https://127.0.0.1:5001", "Username": "old", "Secret": "old-secret"}
    assert json.loads(run("get", stdin="index.docker.io").stdout)["Secret"] == "hub-old"
    assert run("erase", stdin="https://127.0.0.1:5001/").returncode == 0
    assert keyring.get_password("docker-credential-regtui:127.0.0.1:5001", "old") is None
    assert json.loads(run("list").stdout) == {HUB: "hubber"}


def test_a_miss_in_the_index_falls_back_to_the_keyring(isolated) -> None:
    run("store", stdin=json.dumps({"ServerURL": "a.example", "Username": "ua", "Secret": "sa"}))
    run("store", stdin=json.dumps({"ServerURL": "b.example", "Username": "ub", "Secret": "sb"}))
    index = isolated / ".config" / "regtui" / "credential-index.json"
    index.write_text(json.dumps({"version": 1, "servers": {"a.example": "ua"}}))  # b.example lost
    got = json.loads(run("get", stdin="b.example").stdout)
    assert got == {"ServerURL": "b.example", "Username": "ub", "Secret": "sb"}
    assert run("erase", stdin="b.example").returncode == 0
    assert run("get", stdin="b.example").stdout == "credentials not found in native keychain\n"


@pytest.mark.parametrize("index_text", ["[" * 100_000, '{"servers": {"a.example": ["x"]}}', "\xff not json", ""])
def test_a_damaged_index_is_not_a_traceback(isolated, index_text: str) -> None:
    run("store", stdin=json.dumps({"ServerURL": "a.example", "Username": "ua", "Secret": "sa"}))
    index = isolated / ".config" / "regtui" / "credential-index.json"
    index.write_text(index_text)
    got = run("get", stdin="a.example")
    assert json.loads(got.stdout)["Secret"] == "sa" and "Traceback" not in got.stderr


def test_get_prints_the_compact_json_docker_credential_secretservice_prints() -> None:
    run("store", stdin=json.dumps({"ServerURL": "q.example", "Username": "ü", "Secret": 'a"b\\c\n🔑'}))
    got = run("get", stdin="q.example")
    assert got.stdout == '{"ServerURL":"q.example","Username":"\\u00fc","Secret":"a\\"b\\\\c\\n\\ud83d\\udd11"}\n'
    assert json.loads(got.stdout)["Secret"] == 'a"b\\c\n🔑'


def test_keyrings_config_file_still_chooses_the_backend(isolated, tmp_path) -> None:
    """Only the backend in use is loaded, but keyring's own choices still win: keyringrc.cfg here
    (PYTHON_KEYRING_BACKEND in every other test of this file)."""
    config = isolated / ".config" / "python_keyring" / "keyringrc.cfg"
    config.parent.mkdir(parents=True)
    config.write_text("[backend]\ndefault-keyring=tests.support.file_keyring.FileKeyring\n")
    env = {k: v for k, v in os.environ.items() if k != "PYTHON_KEYRING_BACKEND"}
    env["REGTUI_TEST_KEYRING_FILE"] = str(tmp_path / "from-config.json")
    payload = json.dumps({"ServerURL": "cfg.example", "Username": "u", "Secret": "cfg-secret"})
    assert run("store", stdin=payload, env=env).returncode == 0
    assert json.loads((tmp_path / "from-config.json").read_text()) == {
        "docker-credential-regtui:cfg.example": {"u": "cfg-secret"}
    }
    assert json.loads(run("get", stdin="cfg.example", env=env).stdout)["Secret"] == "cfg-secret"
