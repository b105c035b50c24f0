"""Hostile and odd mirror files through the real CLI: a clear ConfigError, never a traceback; BOM and CRLF kept.

Each file is written to disk and read by `regtui mirrors list/add` as a user would run it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.unit import test_mirrors_files as _base
from tests.unit.test_mirrors_files import CONFIG_TOML, DAEMON_JSON, REGISTRIES_CONF, mirrors, ok

files = _base.files

DEEP = 100_000
HUGE = "1" * 5000


def _deep_json() -> str:
    return '{"a": ' + "[" * DEEP + "]" * DEEP + "}\n"


def _deep_toml() -> str:
    return "a = " + "[" * DEEP + "]" * DEEP + "\n"


def _hosts(files: dict[str, Path]) -> Path:
    return files["docker-certs"] / "ghcr.io" / "hosts.toml"


HOSTILE = {
    # daemon.json is read by core/jsonfile.py, as config.json is: the message points at line and column.
    "deep-json": ("docker", _deep_json(), "nests arrays or objects more than 100 levels deep", ":1:106:"),
    "huge-json": ("docker", '{\n  "registry-mirrors": [],\n  "n": ' + HUGE + "\n}\n", "number of more", ":3:8:"),
    "deep-config.toml": ("containerd", "version = 2\n" + _deep_toml(), "nested too deeply", None),
    "huge-config.toml": ("containerd", "version = 2\nn = " + HUGE + "\n", "number too long", ":2:"),
    "deep-registries.conf": ("podman", _deep_toml(), "nested too deeply", None),
    "huge-registries.conf": ("podman", "\n\nn = " + HUGE + "\n", "number too long", ":3:"),
    "deep-hosts.toml": ("hosts", _deep_toml(), "nested too deeply", None),
    "huge-hosts.toml": ("hosts", 'server = "https://ghcr.io"\nn = ' + HUGE + "\n", "number too long", ":2:"),
}


def _args(kind: str, verb: str) -> list[str]:
    if kind == "hosts":
        return [verb, *(["https://m.example", "--for", "ghcr.io"] if verb == "add" else []), "--runtime", "docker"]
    return [verb, *(["https://m.example"] if verb == "add" else []), "--runtime", kind]


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_mirror_files_are_a_config_error_with_path_line_and_fix(files: dict[str, Path], case: str) -> None:
    kind, text, message, line = HOSTILE[case]
    path = _hosts(files) if kind == "hosts" else files[kind]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    listed = mirrors(*_args(kind, "list"))
    added = subprocess.run(  # a real process: what a user sees, traceback or not
        [sys.executable, "-m", "regtui", "mirrors", *_args(kind, "add")], capture_output=True, text=True, timeout=60
    )
    for code, stderr in ((listed.exit_code, listed.stderr), (added.returncode, added.stderr)):
        assert code == 2, stderr
        assert message in stderr and str(path) in stderr and "fix: " in stderr and "Traceback" not in stderr
        if line:
            assert f"{path}{line}" in stderr
    assert path.read_text() == text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"disabled": ' + "[" * DEEP + "]" * DEEP + "}", "nested too deeply"),
        ('{\n"x": ' + HUGE + "}", "number too long"),
        ('{"disabled": []}', "`disabled` must be an object"),
        ('{"disabled": {"/f": {"docker.io": [{"url": 1, "position": 0}]}}}', "a disabled mirror must be"),
        ('{"disabled": {"/f": {"docker.io": [{"url": "u", "position": -1}]}}}', "a disabled mirror must be"),
        ('{"last_write": {"docker": [{"path": 3}]}}', "`last_write` must map"),
        ('{"pending": {"runtime": "docker", "op": "rm -rf"}}', "`pending` is not a journal"),
        ("[1, 2]", "top level must be a JSON object"),
        ('{"disabled": {', "is not valid JSON"),
    ],
    ids=["deep", "huge", "list", "url", "position", "records", "pending", "array", "broken"],
)
def test_a_hostile_state_file_is_a_config_error_through_a_real_process(
    files: dict[str, Path], isolated: Path, text: str, message: str
) -> None:
    state = isolated / ".config" / "regtui" / "state.json"
    state.parent.mkdir(parents=True)
    state.write_text(text)
    for args in (["list", "--runtime", "docker"], ["add", "https://m.example"]):
        result = subprocess.run(
            [sys.executable, "-m", "regtui", "mirrors", *args], capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 2, result.stderr
        assert message in result.stderr and str(state) in result.stderr and "fix: delete the file" in result.stderr
        assert "Traceback" not in result.stderr
    assert files["docker"].read_text() == DAEMON_JSON and state.read_text() == text


def test_a_daemon_json_with_a_bom_is_read_and_keeps_its_bom(files: dict[str, Path]) -> None:
    """dockerd strips a UTF-8 BOM (moby daemon/config/config.go); regtui reads it and writes it back."""
    files["docker"].write_bytes(b"\xef\xbb\xbf" + DAEMON_JSON.encode())
    data = json.loads(ok("list", "--runtime", "docker", "--json"))
    assert [m["url"] for m in data["mirror_sets"][0]["mirrors"]] == ["https://mirror.gcr.io"]
    ok("add", "https://new.example")
    raw = files["docker"].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\xef\xbb\xbf") == 1
    assert json.loads(raw.decode("utf-8-sig"))["registry-mirrors"] == ["https://mirror.gcr.io", "https://new.example"]
    ok("disable", "https://mirror.gcr.io")
    ok("enable", "https://mirror.gcr.io")
    ok("remove", "https://new.example")
    assert files["docker"].read_bytes() == b"\xef\xbb\xbf" + DAEMON_JSON.encode()


@pytest.mark.parametrize(
    ("kind", "text", "existing"),
    [
        ("docker", DAEMON_JSON, "https://mirror.gcr.io"),
        ("containerd", CONFIG_TOML, "https://mirror.gcr.io"),
        ("podman", REGISTRIES_CONF, "mirror.corp.example/dockerhub"),
        (
            "hosts",
            'server = "https://ghcr.io"\n\n[host."https://a.example"]\n  capabilities = ["pull"]\n',
            "https://a.example",
        ),
    ],
)
def test_crlf_files_keep_crlf_after_every_edit(files: dict[str, Path], kind: str, text: str, existing: str) -> None:
    path = _hosts(files) if kind == "hosts" else files[kind]
    path.parent.mkdir(parents=True, exist_ok=True)
    crlf = text.replace("\n", "\r\n").encode()
    path.write_bytes(crlf)
    extra = ["--for", "ghcr.io"] if kind == "hosts" else []
    runtime = "docker" if kind == "hosts" else kind
    ok("add", "https://new.example", "--runtime", runtime, *extra)
    after_add = path.read_bytes()
    assert b"new.example" in after_add
    assert after_add.count(b"\n") == after_add.count(b"\r\n"), after_add
    ok("disable", existing, "--runtime", runtime, *extra)
    disabled = path.read_bytes()
    assert disabled.count(b"\n") == disabled.count(b"\r\n"), disabled
    ok("enable", existing, "--runtime", runtime, *extra)
    assert path.read_bytes() == after_add
    ok("remove", "https://new.example", "--runtime", runtime, *extra)
    assert path.read_bytes() == crlf


def test_odd_but_valid_shapes_are_config_errors_not_crashes(files: dict[str, Path]) -> None:
    """Values of the wrong type in places regtui reads: each is named, never a traceback."""
    cases = {
        "containerd": "version = 2\nplugins = 1\n[x]\n  y = 2\n",
        "podman": "registry = [1, 2]\n",
    }
    files["containerd"].write_text(cases["containerd"])
    assert mirrors("list", "--runtime", "containerd").exit_code == 0  # `plugins = 1`: no registry table at all
    files["podman"].write_text(cases["podman"])
    result = mirrors("list", "--runtime", "podman")
    assert result.exit_code == 2 and "array of tables" in result.stderr
    hosts = _hosts(files)
    hosts.parent.mkdir(parents=True)
    for text, message in [
        ('host = {"https://m" = 1}\n', "must be a table"),
        ('[host."https://m"]\n  capabilities = [["pull"]]\n', "capabilities must be"),
        ('[host."https://m"]\n  ca = 5\n', "ca must be"),
        ("server = 5\n", "`server` must be"),
    ]:
        hosts.write_text(text)
        result = mirrors("list", "--runtime", "docker")
        assert result.exit_code == 2 and message in result.stderr, (text, result.stderr)


def test_a_hosts_toml_edit_that_would_move_a_line_into_another_table_is_refused(tmp_path: Path) -> None:
    # Found by the fuzzer: `server = 1` belongs to a.example's header table, but regtui's block
    # of a.example ends at the disabled block below it; removing the block left `server = 1`
    # at the top level, where it is the fallback server. The edit changed what it did not touch.
    from regtui.core.errors import ConfigError
    from regtui.core.mirrors import hosts_dir, planner
    from regtui.core.mirrors.ops import Remove, Runtime
    from regtui.core.settings import State

    backend = hosts_dir.HostsTomlBackend(tmp_path / "hosts", "docker.io", Runtime.CONTAINERD)
    path = tmp_path / "hosts" / "docker.io" / "hosts.toml"
    path.parent.mkdir(parents=True)
    text = (
        '[host."https://a.example".header]\n# regtui-disabled: [host."https://m.example"]\nserver = 1\n'
        '[host."https://m.example"]\n[host]'
    )
    path.write_text(text, encoding="utf-8")
    hosts_dir.read(path, "docker.io", "containerd")
    with pytest.raises(ConfigError, match="could not edit this file safely; nothing was written"):
        planner.plan(backend, Remove("https://a.example"), State())
    assert path.read_text(encoding="utf-8") == text
