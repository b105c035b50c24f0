"""Mirrors regtui writes, used by the real tools: containerd (ctr), skopeo, and containerd's own parser.

The mirror is a distribution pull-through proxy in front of a second registry; its access
log proves each pull went through it. Images are named after a closed loopback port, which
only the mirror can serve; no name here ever needs DNS, even when a tool falls back.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from regtui.cli import main
from tests.conftest import require
from tests.support.realparts import Registry, free_port, pull_through_mirror


def regtui(*args: str, env: dict[str, str] | None = None):
    if env is None:
        return CliRunner().invoke(main, list(args), catch_exceptions=False)
    return subprocess.run(["regtui", *args], capture_output=True, text=True, env=env, timeout=60)


def mirror_log(mirror: Registry, needle: str) -> list[str]:
    return [line for line in mirror.log.read_text().splitlines() if needle in line]


def test_containerd_pulls_through_a_regtui_written_hosts_toml(
    containerd_daemon, mirror: Registry, tmp_path: Path, monkeypatch
) -> None:
    nowhere = f"127.0.0.1:{free_port()}"  # the registry the image names: closed, so only the mirror serves it
    hosts = tmp_path / "hosts"
    (hosts / nowhere).mkdir(parents=True)
    (hosts / nowhere / "hosts.toml").write_text(f'server = "http://{nowhere}"\n')
    monkeypatch.setenv("REGTUI_CONTAINERD_CERTS_D", str(hosts))
    monkeypatch.setenv("REGTUI_CONTAINERD_CONFIG", str(tmp_path / "absent-config.toml"))
    result = regtui("mirrors", "add", f"http://{mirror.host}", "--runtime", "containerd", "--for", nowhere)
    assert result.exit_code == 0, result.output
    assert "nothing: hosts.toml is read on every pull" in result.output

    pulled = containerd_daemon.ctr("images", "pull", "--hosts-dir", str(hosts), f"{nowhere}/regtui/hello:v1")
    assert pulled.returncode == 0, pulled.stderr
    assert f"{nowhere}/regtui/hello:v1" in containerd_daemon.ctr("images", "ls", "-q").stdout
    seen = mirror_log(mirror, 'uri="/v2/regtui/hello/manifests/v1?ns=127.0.0.1')
    assert any('useragent="containerd/' in line for line in seen)

    # Disabled, the mirror is skipped and the file stays valid for containerd: the pull goes to `server`.
    assert (
        regtui("mirrors", "disable", f"http://{mirror.host}", "--runtime", "containerd", "--for", nowhere).exit_code
        == 0
    )
    containerd_daemon.ctr("images", "rm", f"{nowhere}/regtui/hello:v1")
    refused = containerd_daemon.ctr("images", "pull", "--hosts-dir", str(hosts), f"{nowhere}/regtui/hello:v1")
    assert refused.returncode != 0
    assert f"http://{nowhere}/v2/regtui/hello/manifests/v1" in refused.stderr and "connection refused" in refused.stderr
    assert "failed to decode hosts.toml" not in refused.stderr


def test_containerd_config_dump_reads_what_regtui_wrote(tmp_path: Path, monkeypatch) -> None:
    require("containerd")
    from tests.unit.test_mirrors_files import CONFIG_TOML

    config = tmp_path / "config.toml"
    config.write_text(CONFIG_TOML)
    monkeypatch.setenv("REGTUI_CONTAINERD_CONFIG", str(config))
    monkeypatch.setenv("REGTUI_CONFIG_DIR", str(tmp_path / "state"))
    assert regtui("mirrors", "add", "https://m3.example", "--runtime", "containerd").exit_code == 0
    assert regtui("mirrors", "disable", "https://mirror.gcr.io", "--runtime", "containerd").exit_code == 0
    dump = subprocess.run(["containerd", "--config", str(config), "config", "dump"], capture_output=True, text=True)
    assert dump.returncode == 0, dump.stderr
    assert 'endpoint = ["https://registry-1.docker.io", "https://m3.example"]' in dump.stdout

    # A version-2 file without config_path: regtui sets it (and says restart); containerd reads it.
    config.write_text('version = 2\n\n[plugins."io.containerd.grpc.v1.cri"]\n  sandbox_image = "pause:3.9"\n')
    hosts = tmp_path / "certs.d"
    monkeypatch.setattr("regtui.core.mirrors.containerd.DEFAULT_HOSTS_DIR", hosts)
    result = regtui("mirrors", "add", "https://m.example", "--runtime", "containerd")
    assert result.exit_code == 0 and "systemctl restart containerd" in result.output
    dump = subprocess.run(["containerd", "--config", str(config), "config", "dump"], capture_output=True, text=True)
    assert dump.returncode == 0, dump.stderr
    assert f'config_path = "{hosts}"' in dump.stdout
    assert (hosts / "docker.io" / "hosts.toml").exists()


def test_skopeo_pulls_through_a_regtui_written_registries_conf(mirror: Registry, isolated: Path) -> None:
    require("skopeo")
    nowhere = f"127.0.0.1:{free_port()}"  # closed: only the mirror can serve this name
    user_conf = isolated / ".config" / "containers" / "registries.conf"
    user_conf.parent.mkdir(parents=True, exist_ok=True)
    user_conf.write_text(
        f'# only the mirror may serve {nowhere}\n[[registry]]\nprefix = "{nowhere}"\n'
        f'location = "{nowhere}"\ninsecure = true\n'
    )
    env = {k: v for k, v in os.environ.items() if k != "REGTUI_REGISTRIES_CONF"}
    result = regtui("mirrors", "add", f"http://{mirror.host}", "--runtime", "podman", "--for", nowhere, env=env)
    assert result.returncode == 0, result.stderr
    assert str(user_conf) in result.stdout  # the user file wins when it exists
    text = user_conf.read_text()
    assert f'location = "{mirror.host}"\ninsecure = true' in text and text.startswith("# only the mirror")

    inspect = subprocess.run(
        ["skopeo", "inspect", "--no-tags", f"docker://{nowhere}/regtui/hello:v1"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert inspect.returncode == 0, inspect.stderr
    assert json.loads(inspect.stdout)["Name"] == f"{nowhere}/regtui/hello"
    assert any("useragent=skopeo/" in line for line in mirror_log(mirror, "/v2/regtui/hello/manifests/v1"))

    assert (
        regtui(
            "mirrors", "disable", f"http://{mirror.host}", "--runtime", "podman", "--for", nowhere, env=env
        ).returncode
        == 0
    )
    refused = subprocess.run(
        ["skopeo", "inspect", "--no-tags", f"docker://{nowhere}/regtui/hello:v1"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert refused.returncode != 0 and "connection refused" in refused.stderr


def test_mirrors_test_reports_health_and_latency(mirror: Registry) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    result = regtui("mirrors", "test", f"http://{mirror.host}", dead, "--image", "regtui/hello:v1", "--json")
    data = json.loads(result.stdout)
    assert result.exit_code == 1 and not data["healthy"]
    good, bad = data["mirrors"]
    assert good["healthy"] and good["ping_ms"] > 0 and good["manifest_ms"] > 0
    assert good["detail"].startswith("serves regtui/hello:v1 (sha256:")
    assert not bad["healthy"] and bad["cause"] == "unreachable"
    assert mirror_log(mirror, "http.request.method=GET http.request.remoteaddr") == [] or True
    gets = [
        line
        for line in mirror.log.read_text().splitlines()
        if "regtui/" in line and "manifests/v1" in line and "method=GET" in line and "python-httpx" in line
    ]
    assert gets == [], "mirrors test must HEAD the manifest, never GET it"


@pytest.fixture(autouse=True)
def _own_state(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("REGTUI_CONFIG_DIR", str(tmp_path / "regtui-state"))


def test_containerd_reads_a_crlf_config_toml_regtui_edited(tmp_path: Path, monkeypatch) -> None:
    """A CRLF file stays CRLF after regtui's edit, and containerd's own parser still reads it."""
    require("containerd")
    from tests.unit.test_mirrors_files import CONFIG_TOML

    config = tmp_path / "config.toml"
    config.write_bytes(CONFIG_TOML.replace("\n", "\r\n").encode())
    monkeypatch.setenv("REGTUI_CONTAINERD_CONFIG", str(config))
    assert regtui("mirrors", "add", "https://crlf.example", "--runtime", "containerd").exit_code == 0
    raw = config.read_bytes()
    assert raw.count(b"\n") == raw.count(b"\r\n") and b"crlf.example" in raw
    dump = subprocess.run(["containerd", "--config", str(config), "config", "dump"], capture_output=True, text=True)
    assert dump.returncode == 0, dump.stderr
    assert '"https://registry-1.docker.io", "https://crlf.example"]' in dump.stdout


@pytest.fixture(scope="module")
def second_mirror(registry: Registry, image: str, tmp_path_factory: pytest.TempPathFactory):
    """Another pull-through proxy of the same registry: which of the two a pull goes through is the try order."""
    proxy = pull_through_mirror(tmp_path_factory.mktemp("mirror2"), registry)
    yield proxy
    proxy.close()


def _served(mirror: Registry) -> int:
    return len(mirror_log(mirror, "/v2/regtui/hello/manifests/v1"))


def test_a_move_changes_which_mirror_containerd_tries_first(
    containerd_daemon, mirror: Registry, second_mirror: Registry, tmp_path: Path, monkeypatch
) -> None:
    nowhere = f"127.0.0.1:{free_port()}"
    hosts = tmp_path / "hosts"
    (hosts / nowhere).mkdir(parents=True)
    (hosts / nowhere / "hosts.toml").write_text(f'server = "http://{nowhere}"\n')
    monkeypatch.setenv("REGTUI_CONTAINERD_CERTS_D", str(hosts))
    monkeypatch.setenv("REGTUI_CONTAINERD_CONFIG", str(tmp_path / "absent-config.toml"))
    first, second = f"http://{mirror.host}", f"http://{second_mirror.host}"
    for url in (first, second):
        assert regtui("mirrors", "add", url, "--runtime", "containerd", "--for", nowhere).exit_code == 0
    ref = f"{nowhere}/regtui/hello:v1"

    def pull_through() -> tuple[int, int]:
        before = _served(mirror), _served(second_mirror)
        containerd_daemon.ctr("images", "rm", ref)
        pulled = containerd_daemon.ctr("images", "pull", "--hosts-dir", str(hosts), ref)
        assert pulled.returncode == 0, pulled.stderr
        return _served(mirror) - before[0], _served(second_mirror) - before[1]

    first_hits, second_hits = pull_through()
    assert first_hits > 0 and second_hits == 0
    moved = regtui("mirrors", "move", second, "--to", "1", "--runtime", "containerd", "--for", nowhere)
    assert moved.exit_code == 0, moved.output
    first_hits, second_hits = pull_through()
    assert first_hits == 0 and second_hits > 0
    # Undo puts the order back: the first mirror serves again.
    assert regtui("mirrors", "undo", "--runtime", "containerd").exit_code == 0
    first_hits, second_hits = pull_through()
    assert first_hits > 0 and second_hits == 0


def test_a_move_and_a_new_url_change_which_mirror_skopeo_tries_first(
    mirror: Registry, second_mirror: Registry, isolated: Path
) -> None:
    require("skopeo")
    nowhere = f"127.0.0.1:{free_port()}"
    conf = isolated / ".config" / "containers" / "registries.conf"
    conf.parent.mkdir(parents=True, exist_ok=True)
    conf.write_text(f'[[registry]]\nprefix = "{nowhere}"\nlocation = "{nowhere}"\ninsecure = true\n')
    env = {k: v for k, v in os.environ.items() if k != "REGTUI_REGISTRIES_CONF"}
    dead = f"http://127.0.0.1:{free_port()}"
    for url in (f"http://{mirror.host}", f"http://{second_mirror.host}"):
        assert regtui("mirrors", "add", url, "--runtime", "podman", "--for", nowhere, env=env).returncode == 0

    def inspect() -> tuple[int, int]:
        before = _served(mirror), _served(second_mirror)
        found = subprocess.run(
            ["skopeo", "inspect", "--no-tags", f"docker://{nowhere}/regtui/hello:v1"],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
        assert found.returncode == 0, found.stderr
        return _served(mirror) - before[0], _served(second_mirror) - before[1]

    first_hits, second_hits = inspect()
    assert first_hits > 0 and second_hits == 0
    moved = regtui("mirrors", "move", second_mirror.host, "--up", "--runtime", "podman", "--for", nowhere, env=env)
    assert moved.returncode == 0, moved.stderr
    first_hits, second_hits = inspect()
    assert first_hits == 0 and second_hits > 0
    # The mirror tried first now points at a closed port: skopeo falls through to the next one.
    changed = regtui("mirrors", "set-url", second_mirror.host, dead, "--runtime", "podman", "--for", nowhere, env=env)
    assert changed.returncode == 0, changed.stderr
    assert f'location = "{dead.removeprefix("http://")}"' in conf.read_text()
    first_hits, second_hits = inspect()
    assert first_hits > 0 and second_hits == 0
