"""One credential type and one store interface: every store behind CredentialStore, for real
(config.json on disk, docker-credential-regtui as a subprocess, the keyring, the environment)."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from regtui.core.credentials.env_store import EnvStore, env_auth_config
from regtui.core.credentials.file_store import FileStore
from regtui.core.credentials.helper_client import HelperClient
from regtui.core.credentials.keyring_store import KeyringStore
from regtui.core.credentials.model import TOKEN_USERNAME, Credential
from regtui.core.credentials.resolve import read_credential, store_serving
from regtui.core.credentials.store import CredentialStore
from regtui.core.docker_config import encode_auth, load_docker_config
from regtui.core.errors import InputError
from regtui.core.registry.token import Secret


def _config_json(docker_dir: Path) -> dict:
    return json.loads((docker_dir / "config.json").read_text())


def _round_trip(store: CredentialStore, server: str) -> Credential | None:
    """store, get, list, erase, get again: what every store promises."""
    store.store(Credential(server, "alice", "s3cret-pw"))
    got = store.get(server)
    assert got == Credential(server, "alice", "s3cret-pw")
    assert store.list().get(server) == "alice"
    assert "s3cret-pw" not in json.dumps(store.list())
    assert store.erase(server) is True
    assert store.get(server) is None
    assert store.erase(server) is False
    return got


def test_the_file_store_keeps_docker_s_format_and_says_where_it_came_from(docker_dir: Path) -> None:
    config = load_docker_config()
    got = _round_trip(FileStore(config), "ghcr.io")
    assert got is not None and got.origin == "file"
    FileStore(config).store(Credential.from_login("bob", None, "refresh-1", server="quay.io"))
    entry = _config_json(docker_dir)["auths"]["quay.io"]  # docker's shape: an identity token beside "bob:"
    assert entry == {"identitytoken": "refresh-1", "auth": encode_auth("bob", "")}
    token = FileStore(load_docker_config()).get("quay.io")
    assert token is not None and token.is_identity_token and token.identity_token == "refresh-1"
    assert (token.account, token.password) == ("bob", None)


def test_the_file_store_erases_every_spelling_of_a_registry(docker_dir: Path) -> None:
    auth = encode_auth("u", "p")
    (docker_dir / "config.json").write_text(json.dumps({"auths": {"https://ghcr.io/": {"auth": auth}, "ghcr.io": {}}}))
    store = FileStore(load_docker_config())
    assert store.get("ghcr.io") == Credential("ghcr.io", "u", "p")
    assert store.erase("ghcr.io") is True
    assert _config_json(docker_dir)["auths"] == {}


def test_the_file_store_serves_an_auth_json_with_its_own_keys(isolated: Path) -> None:
    """containers-auth.json(5): Hub is keyed docker.io, and a namespace may have an entry of its own."""
    from regtui.core.credentials.authfile import load_auth_json

    path = isolated / "auth.json"
    store = FileStore(load_auth_json(path))
    store.store(Credential("https://index.docker.io/v1/", "hubber", "hub-pw"))
    store.store(Credential("quay.io/team", "teamer", "team-pw"))
    assert set(json.loads(path.read_text())["auths"]) == {"docker.io", "quay.io/team"}
    reread = FileStore(load_auth_json(path))
    assert reread.get("docker.io") == Credential("docker.io", "hubber", "hub-pw")
    assert reread.get("quay.io/team") == Credential("quay.io/team", "teamer", "team-pw")
    assert reread.get("quay.io") is None  # the namespace entry is not the registry's
    assert reread.erase("quay.io/team") and set(json.loads(path.read_text())["auths"]) == {"docker.io"}


def test_the_helper_and_the_keyring_are_the_same_store_through_one_interface(docker_dir: Path) -> None:
    got = _round_trip(HelperClient("regtui"), "registry.test:5000")  # docker-credential-regtui, a subprocess
    assert got is not None and got.origin == "helper:regtui"
    got = _round_trip(KeyringStore(), "other.test")
    assert got is not None and got.origin == "keyring"
    HelperClient("regtui").store(Credential("both.test", "carol", "pw-c"))
    in_process = KeyringStore().get("both.test")
    assert in_process == Credential("both.test", "carol", "pw-c") and in_process.origin == "keyring"


def test_the_environment_is_read_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(
        "DOCKER_AUTH_CONFIG", json.dumps({"auths": {"https://ghcr.io": {"auth": encode_auth("ci", "pat")}}})
    )
    store = EnvStore(env_auth_config())
    got = store.get("ghcr.io")
    assert got == Credential("ghcr.io", "ci", "pat") and got.origin == "env"
    assert store.list() == {"https://ghcr.io": "ci"}
    with pytest.raises(InputError, match="DOCKER_AUTH_CONFIG is read-only"):
        store.store(Credential("ghcr.io", "x", "y"))
    with pytest.raises(InputError, match="read-only"):
        store.erase("ghcr.io")


def test_store_serving_follows_docker_s_precedence(docker_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (docker_dir / "config.json").write_text(
        json.dumps(
            {
                "auths": {"a.test": {"auth": encode_auth("file-user", "pw")}, "b.test": {}},
                "credHelpers": {"b.test": "regtui"},
            }
        )
    )
    HelperClient("regtui").store(Credential("b.test", "helper-user", "pw"))
    config = load_docker_config()
    monkeypatch.setenv("DOCKER_AUTH_CONFIG", json.dumps({"auths": {"a.test": {"auth": encode_auth("ci", "pat")}}}))
    env = env_auth_config()
    assert isinstance(store_serving(config, "a.test", env_auths=env), EnvStore)
    assert isinstance(store_serving(config, "a.test"), FileStore)
    assert isinstance(store_serving(config, "b.test", env_auths=env), HelperClient)
    found = {s: read_credential(config, s, env_auths=env) for s in ("a.test", "b.test")}
    assert {s: (c.username, c.origin) for s, c in found.items() if c} == {
        "a.test": ("ci", "env"),
        "b.test": ("helper-user", "helper:regtui"),
    }


def test_a_credential_never_shows_its_secret_and_compares_by_what_it_is() -> None:
    credential = Credential("ghcr.io", "alice", "TOPSECRET", "file")
    assert "TOPSECRET" not in repr(credential) + str(credential)
    assert credential == Credential("ghcr.io", "alice", "TOPSECRET", "keyring")  # the origin describes it
    with pytest.raises(AttributeError):
        credential.secret = "other"  # type: ignore[misc]
    token = Secret("bob", None, "rt-1")  # the token exchange's old name builds the same type
    assert isinstance(token, Credential) and token.username == TOKEN_USERNAME
    assert (token.account, token.identity_token, token.password) == ("bob", "rt-1", None)
    assert "rt-1" not in repr(token)
    plain = Secret("bob", "pw")
    assert (plain.account, plain.password, plain.identity_token) == ("bob", "pw", None)
    assert base64.b64decode(encode_auth("bob", "pw")) == b"bob:pw"
