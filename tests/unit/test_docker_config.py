"""config.json: round-trip, entries, precedence, bad input (docker/cli cli/config/configfile/file.go,
man/docker-config-json.5.md)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regtui.core import fileio
from regtui.core.docker_config import (
    decode_auth,
    encode_auth,
    env_auth_config,
    load_docker_config,
    parse_docker_config,
    secret_keys,
)
from regtui.core.errors import ConfigError
from regtui.core.registry_names import HUB_KEY

ODD = (
    "{\n"
    '\t"auths": {\n'
    '\t\t"https://index.docker.io/v1/": {},\n'
    '\t\t"127.0.0.1:5001": {\n'
    '\t\t\t"auth": "cmVndHVpOnJlZ3R1aS1zM2NyZXQ=",\n'
    '\t\t\t"x-note": "kept"\n'
    "\t\t},\n"
    '\t\t"legacy.example": {"username": "bob", "password": "pw:with:colons", "email": "b@example"},\n'
    '\t\t"token.example": {"auth": "cmVndHVpOg==", "identitytoken": "rt-123"},\n'
    '\t\t"https://index.docker.io/v1/access-token": {}\n'
    "\t},\n"
    '\t"psFormat": "table {{.ID}}",\n'
    '\t"credsStore": "secretservice",\n'
    '\t"x-unknown": {"nested": [1, 2, {"a": null}]},\n'
    '\t"currentContext": "default"\n'
    "}"
)


def write(docker_dir: Path, text: str) -> Path:
    path = docker_dir / "config.json"
    path.write_text(text)
    return path


def test_unchanged_file_is_written_back_byte_for_byte(docker_dir: Path) -> None:
    path = write(docker_dir, ODD)
    config = load_docker_config()
    assert config.render() == ODD
    assert config.save() is None
    assert path.read_text() == ODD


def test_an_edit_keeps_unknown_keys_order_and_tabs(docker_dir: Path) -> None:
    path = write(docker_dir, ODD)
    config = load_docker_config()
    config.set_plaintext("ghcr.io", "alice", "pw")
    config.save()
    text = path.read_text()
    data = json.loads(text)
    assert list(data) == ["auths", "psFormat", "credsStore", "x-unknown", "currentContext"]
    assert data["x-unknown"] == {"nested": [1, 2, {"a": None}]}
    assert data["auths"]["127.0.0.1:5001"]["x-note"] == "kept"
    assert list(data["auths"])[-1] == "ghcr.io"
    assert '\n\t"psFormat"' in text and '\n\t\t"ghcr.io"' in text
    backup = json.loads((docker_dir / "config.json.bak").read_text())  # the structure, never the secrets
    assert backup["auths"]["127.0.0.1:5001"] == {"x-note": "kept"}
    assert backup["auths"]["legacy.example"] == {"username": "bob", "email": "b@example"}
    assert backup["auths"]["token.example"] == {} and list(backup) == list(json.loads(ODD))


def test_space_indented_files_stay_space_indented(docker_dir: Path) -> None:
    path = write(docker_dir, '{\n    "auths": {}\n}\n')
    config = load_docker_config()
    config.set_marker("ghcr.io")
    config.save()
    assert path.read_text() == '{\n    "auths": {\n        "ghcr.io": {}\n    }\n}\n'


def test_entries_decode_every_form(docker_dir: Path) -> None:
    write(docker_dir, ODD)
    config = load_docker_config()
    plain = config.entry("127.0.0.1:5001")
    assert (plain.username, plain.password) == ("regtui", "regtui-s3cret")
    legacy = config.entry("legacy.example")
    assert (legacy.username, legacy.password) == ("bob", "pw:with:colons")
    token = config.entry("token.example")
    assert token.username == "regtui" and token.password is None and token.identity_token == "rt-123"
    assert config.entry(HUB_KEY).is_marker
    assert "regtui-s3cret" not in repr(plain)


def test_keys_for_hub_include_aliases_and_web_login_entries(docker_dir: Path) -> None:
    write(
        docker_dir,
        '{"auths": {"docker.io": {}, "https://index.docker.io/v1/": {}, "ghcr.io": {}, '
        '"https://index.docker.io/v1/refresh-token": {}, "index.docker.io": {}}}',
    )
    config = load_docker_config()
    assert sorted(config.keys_for("docker.io")) == sorted(
        ["docker.io", HUB_KEY, "https://index.docker.io/v1/refresh-token", "index.docker.io"]
    )
    assert config.keys_for("https://ghcr.io/v2/") == ["ghcr.io"]


@pytest.mark.parametrize(
    ("config", "server", "helper"),
    [
        ({"credHelpers": {"ghcr.io": "gh"}, "credsStore": "desktop"}, "ghcr.io", "gh"),
        ({"credHelpers": {"ghcr.io": "gh"}, "credsStore": "desktop"}, "quay.io", "desktop"),
        ({"credHelpers": {HUB_KEY: "hub"}}, "docker.io", "hub"),
        # docker looks credHelpers up by the Hub key only, so a docker.io key is ignored (regclient#245)
        ({"credHelpers": {"docker.io": "hub"}}, "docker.io", None),
        ({"credHelpers": {"127.0.0.1:5001": "x"}}, "https://127.0.0.1:5001/v2/", "x"),
        ({"auths": {"ghcr.io": {"auth": "YTpi"}}}, "ghcr.io", None),
    ],
)
def test_store_precedence_is_docker_s(docker_dir: Path, config: dict, server: str, helper: str | None) -> None:
    write(docker_dir, json.dumps(config))
    assert load_docker_config().helper_for(server) == helper


def test_missing_file_is_an_empty_config_and_new_files_are_0600(docker_dir: Path) -> None:
    config = load_docker_config()
    assert config.auths == {} and not config.snapshot.exists
    config.set_plaintext("ghcr.io", "a", "b")
    path = config.save()
    assert path is not None and oct(path.stat().st_mode & 0o777) == "0o600"


def test_auth_field_split_at_first_colon_and_nul_stripped() -> None:
    assert decode_auth(encode_auth("u", "p:q:r")) == ("u", "p:q:r")
    import base64

    assert decode_auth(base64.b64encode(b"u:pw\x00\x00").decode()) == ("u", "pw")


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ('{\n  "auths": {\n    "a": \n  }\n}', "is not valid JSON", 4),
        ('{"auths": []}', "`auths` must be an object", 1),
        ("[1, 2]", "top level must be a JSON object", 1),
        ('{\n"auths": {\n"ghcr.io": "oops"}}', "auths entry 'ghcr.io' must be an object", 3),
        ('{"credHelpers": {"ghcr.io": 5}}', "credHelpers entry 'ghcr.io' must be a string", 1),
        ('{"credsStore": ["x"]}', "`credsStore` must be a string", 1),
        ('{"auths": {"x": {"auth": 12}}}', "`auth` of auths entry 'x' must be a string", 1),
    ],
)
def test_malformed_files_give_file_and_line(docker_dir: Path, text: str, message: str, line: int) -> None:
    path = write(docker_dir, text)
    with pytest.raises(ConfigError) as info:
        load_docker_config()
    assert message in str(info.value)
    assert info.value.line == line
    assert str(path) in str(info.value)
    assert path.read_text() == text


def test_invalid_base64_is_a_per_entry_problem(docker_dir: Path) -> None:
    write(docker_dir, '{"auths": {"bad.example": {"auth": "%%%"}, "nocolon.example": {"auth": "bm9jb2xvbg=="}}}')
    config = load_docker_config()
    assert "not valid base64" in config.entry("bad.example").problem
    assert "username:password" in config.entry("nocolon.example").problem


def test_env_auth_config_parses_and_rejects_extra_fields(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCKER_AUTH_CONFIG", json.dumps({"auths": {"ghcr.io": {"auth": encode_auth("ci", "pat")}}}))
    [entry] = env_auth_config()
    assert (entry.key, entry.username, entry.password) == ("ghcr.io", "ci", "pat")
    monkeypatch.setenv("DOCKER_AUTH_CONFIG", json.dumps({"auths": {"ghcr.io": {"auth": "eDp5", "username": "x"}}}))
    with pytest.raises(ConfigError, match="exactly one `auth`"):
        env_auth_config()


def test_crlf_files_keep_crlf_after_an_edit(docker_dir: Path) -> None:
    path = docker_dir / "config.json"
    path.write_bytes(b'{\r\n\t"auths": {\r\n\t\t"a.example": {}\r\n\t},\r\n\t"x": "line1\\nline2"\r\n}\r\n')
    config = load_docker_config()
    config.set_marker("b.example")
    config.save()
    data = path.read_bytes()
    assert data.count(b"\r\n") == data.count(b"\n") == 7 and data.endswith(b"}\r\n")
    assert json.loads(data)["x"] == "line1\nline2"
    assert (docker_dir / "config.json.bak").read_bytes().count(b"\r\n") == 6


def test_the_backup_of_config_json_holds_no_secret_but_keeps_the_rest(docker_dir: Path) -> None:
    path = write(docker_dir, ODD)
    config = load_docker_config()
    for key in list(config.auths):
        config.remove_auth(key)
    config.save()
    backup = (docker_dir / "config.json.bak").read_text()
    for secret in ("cmVndHVpOnJlZ3R1aS1zM2NyZXQ=", "pw:with:colons", "rt-123", "cmVndHVpOg=="):
        assert secret not in backup
    assert json.loads(backup)["x-unknown"] == {"nested": [1, 2, {"a": None}]}
    assert set(json.loads(backup)["auths"]) == set(json.loads(ODD)["auths"])
    assert json.loads(path.read_text())["auths"] == {}


def test_a_backup_without_secrets_is_the_old_file_byte_for_byte(docker_dir: Path) -> None:
    text = '{\n  "auths": {"ghcr.io": {}},\n  "credsStore": "regtui"\n}'
    write(docker_dir, text)
    config = load_docker_config()
    config.set_marker("quay.io")
    config.save()
    assert (docker_dir / "config.json.bak").read_text() == text


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("[" * 100_000, "more than 100 levels deep", 1),
        ('{"auths": {},\n"x": ' + "1" * 5000 + "}", "a number of more than 4300 digits", 2),
        ('{"auths": {},\n"x": [1, 1e400]}', "the number 1e400 is too large", 2),
        ('{"auths": {},\n"x": NaN}', "`NaN` is not a JSON value", 2),
        ('{"auths": {},\n"x": -Infinity}', "`-Infinity` is not a JSON value", 2),
        ('{"auths": {"\\ud800": {}}}', "half a UTF-16 surrogate pair", 1),
        ("\ufeff{}", "byte order mark", 1),
    ],
)
def test_hostile_json_is_a_config_error_with_its_line(docker_dir: Path, text: str, message: str, line: int) -> None:
    write(docker_dir, text)
    with pytest.raises(ConfigError) as info:
        load_docker_config()
    assert message in str(info.value) and info.value.line == line and info.value.exit_code == 2


def test_a_surrogate_pair_is_text_and_round_trips(docker_dir: Path) -> None:
    path = write(docker_dir, '{"auths": {}, "x": "\\ud83d\\ude00"}')
    config = load_docker_config()
    config.set_marker("ghcr.io")
    config.save()
    assert json.loads(path.read_text())["x"] == "\U0001f600"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("[" * 100_000, "more than 100 levels deep"),
        ('{"auths": ' + "1" * 5000 + "}", "more than 4300 digits"),
        ("\ufeff{}", "byte order mark"),
        ('{"auths": {"\udcff": {"auth": "YTpi"}}}', "is not UTF-8 text"),  # how os.environ keeps a 0xff byte
    ],
)
def test_hostile_docker_auth_config_is_a_config_error(value: str, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        env_auth_config({"DOCKER_AUTH_CONFIG": value})
    assert message in str(info.value) and "$DOCKER_AUTH_CONFIG" in str(info.value) and info.value.fix


FUZZ_EXAMPLES = int(os.environ.get("REGTUI_FUZZ_EXAMPLES", "300"))
CHARS = '{}[]",:\\ \t\r\n0123456789.eE+-truefalsnNIaiy\ufeff\udc80u'
JSONISH = st.text(alphabet=st.sampled_from(list(CHARS)), max_size=200)
DOCUMENTS = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=20,
)


@settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.one_of(JSONISH, DOCUMENTS.map(json.dumps), st.builds(lambda d: {"auths": d}, DOCUMENTS).map(json.dumps)))
def test_any_text_is_a_config_or_a_config_error_never_a_crash(text: str) -> None:
    snapshot = fileio.FileSnapshot(Path("/fuzz/config.json"), Path("/fuzz/config.json"), text, "x")
    try:
        config = parse_docker_config(snapshot)
    except ConfigError as exc:
        assert exc.exit_code == 2 and str(exc).startswith("/fuzz/config.json")
        return
    config.set_marker("fuzz.example")
    json.loads(config.render().encode("utf-8"))  # what would be written is UTF-8 JSON that parses again
    backup = config.backup_text()  # the old text itself, or that without secrets
    assert backup == text or not secret_keys(json.loads(backup))


@settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.one_of(JSONISH, st.builds(lambda d: {"auths": d}, DOCUMENTS).map(json.dumps)))
def test_any_docker_auth_config_is_entries_or_a_config_error(value: str) -> None:
    try:
        entries = env_auth_config({"DOCKER_AUTH_CONFIG": value})
    except ConfigError as exc:
        assert exc.exit_code == 2 and str(exc).startswith("$DOCKER_AUTH_CONFIG")
        return
    assert all(isinstance(e.username, str) and e.username for e in entries)


def test_one_config_saves_twice_without_a_false_changed_on_disk(docker_dir: Path) -> None:
    path = write(docker_dir, '{\r\n  "auths": {}\r\n}\r\n')
    config = load_docker_config()
    config.set_marker("a.example")
    config.save()
    config.set_marker("b.example")
    config.save()
    assert json.loads(path.read_text())["auths"] == {"a.example": {}, "b.example": {}}
    assert path.read_bytes().count(b"\r\n") == 6
