"""regtui mirrors on daemon.json, containerd config.toml / hosts.toml and registries.conf files.

Everything but the edited entries stays byte-identical; disable then enable is a no-op on
disk; bad input gives a clear error and writes nothing.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from regtui.cli import main

DAEMON_JSON = """{
    "log-driver"  :  "json-file",
    "log-opts": {"max-size": "10m", "max-file": "3"},
    "registry-mirrors": [
        "https://mirror.gcr.io"
    ],
    "x-unknown-key": [1, 2.50, {"nested": "kept as written"}],
    "insecure-registries" : ["10.0.0.0/8", "registry.lan:5000"],
    "features": {"buildkit": true}
}
"""

CONFIG_TOML = """# containerd config, written by hand
version = 2   # the v2 schema

root = "/var/lib/containerd"   # where images live
oom_score = -999

[grpc]
  address = "/run/containerd/containerd.sock"

[plugins."io.containerd.grpc.v1.cri".registry]
  # mirrors the old (deprecated) way
  [plugins."io.containerd.grpc.v1.cri".registry.mirrors]
    [plugins."io.containerd.grpc.v1.cri".registry.mirrors."docker.io"]
      endpoint = ["https://mirror.gcr.io",   "https://registry-1.docker.io"]   # try order

[unknown_table]
  weird_key =   'single quoted'   # comment
"""

REGISTRIES_CONF = """# registries for podman and skopeo
unqualified-search-registries = ["docker.io"]

[[registry]]
prefix = "docker.io"   # Docker Hub
location = "docker.io"

[[registry.mirror]]
location = "mirror.corp.example/dockerhub"
pull-from-mirror = "digest-only"   # tags go upstream

[[registry]]
prefix = "quay.io"
location = "quay.io"
"""


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    paths = {
        "docker": tmp_path / "daemon.json",
        "containerd": tmp_path / "config.toml",
        "podman": tmp_path / "registries.conf",
        "hosts": tmp_path / "certs.d",
        "docker-certs": tmp_path / "docker-certs.d",
    }
    paths["docker"].write_text(DAEMON_JSON)
    paths["containerd"].write_text(CONFIG_TOML)
    paths["podman"].write_text(REGISTRIES_CONF)
    monkeypatch.setenv("REGTUI_DAEMON_JSON", str(paths["docker"]))
    monkeypatch.setenv("REGTUI_CONTAINERD_CONFIG", str(paths["containerd"]))
    monkeypatch.setenv("REGTUI_REGISTRIES_CONF", str(paths["podman"]))
    monkeypatch.setenv("REGTUI_DOCKER_CERTS_D", str(paths["docker-certs"]))
    return paths


def mirrors(*args: str):
    return CliRunner().invoke(main, ["mirrors", *args], catch_exceptions=False)


def ok(*args: str) -> str:
    result = mirrors(*args)
    assert result.exit_code == 0, result.output + result.stderr
    return result.output


@pytest.mark.parametrize(
    ("runtime", "existing"),
    [
        ("docker", "https://mirror.gcr.io"),
        ("containerd", "https://mirror.gcr.io"),
        ("podman", "mirror.corp.example/dockerhub"),
    ],
)
def test_add_disable_enable_remove_keep_every_other_byte(files: dict[str, Path], runtime: str, existing: str) -> None:
    path = files[runtime]
    original = path.read_text()
    ok("add", "https://new.example", "--runtime", runtime)
    added = path.read_text()
    assert "new.example" in added
    ok("disable", existing, "--runtime", runtime)
    ok("enable", existing, "--runtime", runtime)
    assert path.read_text() == added, "disable then enable must be a no-op on disk"
    ok("remove", "https://new.example", "--runtime", runtime)
    assert path.read_text() == original
    assert path.with_name(path.name + ".bak").exists()


def test_list_shows_every_runtime_in_try_order(files: dict[str, Path]) -> None:
    ok("disable", "https://mirror.gcr.io", "--runtime", "docker")
    data = json.loads(ok("list", "--json"))
    by_runtime = {(s["runtime"], s["registry"]): s for s in data["mirror_sets"]}
    docker = by_runtime[("docker", "docker.io")]
    assert docker["mirrors"] == [{"url": "https://mirror.gcr.io", "enabled": False}]
    assert "insecure-registries: 10.0.0.0/8, registry.lan:5000" in docker["warnings"]
    legacy = by_runtime[("containerd", "docker.io")]
    assert [m["url"] for m in legacy["mirrors"]] == ["https://mirror.gcr.io", "https://registry-1.docker.io"]
    assert any("deprecated" in w for w in legacy["warnings"])
    podman = by_runtime[("podman", "docker.io")]
    assert podman["mirrors"] == [
        {"url": "mirror.corp.example/dockerhub", "enabled": True, "pull_from_mirror": "digest-only"}
    ]
    assert "  1. off https://mirror.gcr.io" in ok("list", "--runtime", "docker")


def test_clearing_the_last_docker_mirror_writes_an_empty_array(files: dict[str, Path]) -> None:
    ok("remove", "https://mirror.gcr.io")
    assert json.loads(files["docker"].read_text())["registry-mirrors"] == []


def test_dry_run_shows_the_diff_and_writes_nothing(files: dict[str, Path]) -> None:
    out = ok("add", "https://new.example", "--dry-run")
    assert '+        "https://new.example"' in out and "dry run: nothing written" in out
    assert files["docker"].read_text() == DAEMON_JSON


def test_undo_restores_the_last_change(files: dict[str, Path]) -> None:
    ok("add", "https://new.example")
    ok("disable", "https://mirror.gcr.io")
    out = ok("undo", "--runtime", "docker")
    assert "✓ restored" in out
    assert json.loads(files["docker"].read_text())["registry-mirrors"] == [
        "https://mirror.gcr.io",
        "https://new.example",
    ]
    data = json.loads(ok("list", "--runtime", "docker", "--json"))
    assert [m["enabled"] for m in data["mirror_sets"][0]["mirrors"]] == [True, True]
    assert mirrors("undo", "--runtime", "docker").exit_code == 1


@pytest.mark.parametrize(
    ("runtime", "registry", "activation"),
    [
        ("docker", "docker.io", "to activate: systemctl reload docker (dockerd re-reads registry-mirrors on SIGHUP)"),
        ("docker", "ghcr.io", "to activate: nothing: hosts.toml is read on every pull"),
        ("containerd", "docker.io", "to activate: systemctl restart containerd (config.toml is read at start only)"),
        ("podman", "docker.io", "to activate: nothing for podman and skopeo (read per command)"),
    ],
)
def test_undo_says_what_to_run_after_it_as_the_change_did(
    files: dict[str, Path], runtime: str, registry: str, activation: str
) -> None:
    forward = ok("add", "https://new.example", "--runtime", runtime, "--for", registry)
    assert activation in forward
    out = ok("undo", "--runtime", runtime)
    assert "✓" in out
    assert activation in out


def test_undo_of_a_record_kept_before_records_named_the_activation_still_names_it(files: dict[str, Path]) -> None:
    """Undo records written by an older regtui have no ``activation``: it is derived from the runtime and file."""
    from regtui.core.settings import State

    ok("add", "https://new.example", "--runtime", "containerd")
    state = State()
    records = state.last_write("containerd")
    assert records[0].pop("activation") == "systemctl restart containerd (config.toml is read at start only)"
    state.set_last_write("containerd", records)
    state.save()
    assert "to activate: systemctl restart containerd" in ok("undo", "--runtime", "containerd")


def test_docker_mirrors_for_other_registries_go_to_certs_d_hosts_toml(files: dict[str, Path]) -> None:
    ok("add", "https://ghcr-mirror.example", "--for", "ghcr.io")
    hosts = files["docker-certs"] / "ghcr.io" / "hosts.toml"
    assert hosts.read_text() == (
        'server = "https://ghcr.io"\n\n[host."https://ghcr-mirror.example"]\n  capabilities = ["pull", "resolve"]\n'
    )


def test_containerd_with_config_path_uses_hosts_toml(files: dict[str, Path], tmp_path: Path) -> None:
    hosts_root = tmp_path / "hosts"
    files["containerd"].write_text(
        f'version = 2\n[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "{hosts_root}"\n'
    )
    before = files["containerd"].read_text()
    out = ok("add", "https://m.example", "--runtime", "containerd", "--for", "127.0.0.1:5000")
    assert "to activate: nothing: hosts.toml is read on every pull" in out
    assert (hosts_root / "127.0.0.1:5000" / "hosts.toml").exists()
    assert files["containerd"].read_text() == before


def test_containerd_without_config_path_sets_it_and_says_restart(
    files: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files["containerd"].write_text('version = 2\n\n[plugins."io.containerd.grpc.v1.cri"]\n  sandbox_image = "p"\n')
    monkeypatch.setattr("regtui.core.mirrors.containerd.DEFAULT_HOSTS_DIR", tmp_path / "etc-certs.d")
    out = ok("add", "https://m.example", "--runtime", "containerd")
    assert "systemctl restart containerd" in out
    text = files["containerd"].read_text()
    assert f'config_path = "{tmp_path / "etc-certs.d"}"' in text and 'sandbox_image = "p"' in text
    assert (tmp_path / "etc-certs.d" / "docker.io" / "hosts.toml").exists()


@pytest.mark.parametrize(
    ("text", "warning"),
    [
        ('[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "/a"\n', "no `version` line"),
        (
            'version = 2\n[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "/a:/b"\n',
            "holds several directories",
        ),
        (
            'version = 2\n[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "/a"\n'
            '[plugins."io.containerd.grpc.v1.cri".registry.mirrors."docker.io"]\n  endpoint = ["https://m"]\n',
            "`mirrors` cannot be set when `config_path` is provided",
        ),
    ],
)
def test_containerd_warnings(files: dict[str, Path], text: str, warning: str) -> None:
    files["containerd"].write_text(text)
    from regtui.core.mirrors import containerd

    assert any(warning in w for w in containerd.load(files["containerd"]).warnings)


def test_refuses_to_set_config_path_in_a_file_without_version(files: dict[str, Path]) -> None:
    files["containerd"].write_text('root = "/x"\n')
    result = mirrors("add", "https://m.example", "--runtime", "containerd")
    assert result.exit_code == 2 and "no `version` line" in result.stderr
    assert files["containerd"].read_text() == 'root = "/x"\n'


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mirror.example", "no scheme specified"),
        ("ftp://mirror.example", "unsupported scheme"),
        ("https://user:pw@mirror.example", "username/password not allowed"),
        ("https://mirror.example/?x=1", "query or fragment"),
        ("https://mirror.example/#top", "query or fragment"),
        ("https://mirror.example:99999", "bad port"),
    ],
)
def test_invalid_urls_are_refused_as_the_daemon_would(files: dict[str, Path], url: str, message: str) -> None:
    result = mirrors("add", url)
    assert result.exit_code == 2 and message in result.stderr
    assert files["docker"].read_text() == DAEMON_JSON


@pytest.mark.parametrize(
    ("runtime", "text", "where"),
    [
        ("docker", '{\n  "registry-mirrors": [\n    "https://a",,\n  ]\n}', ":3:"),
        ("docker", '{"registry-mirrors": "https://a"}', "must be an array of strings"),
        ("containerd", "version = 2\n[plugins\n", ":2:"),
        (
            "containerd",
            'version = 2\n[plugins."io.containerd.grpc.v1.cri".registry.mirrors."docker.io"]\n  endpoint = [1, 2]\n',
            "must be an array of strings",
        ),
        ("podman", '[[registry]]\nprefix = "a\nb"\n', ":2:"),
        ("podman", '[registries.search]\nregistries = ["docker.io"]\n', "deprecated v1 format"),
        (
            "podman",
            '[[registry]]\nprefix = "docker.io"\n[[registry.mirror]]\nlocation = "http://m"\n',
            "URI schemes are not supported",
        ),
    ],
)
def test_malformed_files_are_never_written(files: dict[str, Path], runtime: str, text: str, where: str) -> None:
    files[runtime].write_text(text)
    result = mirrors("add", "https://m.example", "--runtime", runtime)
    assert result.exit_code == 2, result.output
    assert where in result.stderr and str(files[runtime]) in result.stderr
    assert files[runtime].read_text() == text
    assert mirrors("list", "--runtime", runtime).exit_code == 2


def test_duplicates_are_reported_and_not_added(files: dict[str, Path]) -> None:
    files["docker"].write_text('{"registry-mirrors": ["https://a.example", "https://a.example/"]}')
    data = json.loads(mirrors("list", "--runtime", "docker", "--json").stdout)
    assert "https://a.example/ is listed twice" in data["mirror_sets"][0]["warnings"]
    result = mirrors("add", "https://a.example")
    assert result.exit_code == 2 and "already a Docker Hub mirror" in result.stderr


def test_a_directory_is_not_a_file(files: dict[str, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("REGTUI_DAEMON_JSON", str(tmp_path))
    result = mirrors("add", "https://m.example")
    assert result.exit_code == 1 and "is a directory" in result.stderr


def test_mirror_for_another_registry_is_not_a_docker_registry_mirror(files: dict[str, Path]) -> None:
    """Docker's registry-mirrors serve Docker Hub only; other registries get hosts.toml."""
    data = json.loads(ok("list", "--runtime", "docker", "--json"))
    assert [s["registry"] for s in data["mirror_sets"]] == ["docker.io"]


def test_unwritable_file_exits_3_with_the_diff_and_the_command(files: dict[str, Path], tmp_path: Path) -> None:
    """A real permission refusal: regtui runs as nobody against a root-owned file."""
    import shutil
    import subprocess
    import sys

    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.fail("this test needs root and setpriv (util-linux) to drop to nobody")
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="regtui-perm-"))  # pytest's own tmp root is 0700: nobody can't enter
    base.chmod(0o755)
    target = base / "etc" / "daemon.json"
    target.parent.mkdir(mode=0o755)
    target.write_text(DAEMON_JSON)
    target.chmod(0o644)
    state = base / "nobody-state"
    state.mkdir()
    os.chown(state, 65534, 65534)
    env = {**os.environ, "REGTUI_DAEMON_JSON": str(target), "REGTUI_CONFIG_DIR": str(state), "HOME": str(state)}
    result = subprocess.run(
        [
            "setpriv",
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            sys.executable,
            "-m",
            "regtui",
            "mirrors",
            "add",
            "https://m.example",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=state,
    )
    try:
        assert result.returncode == 3, result.stderr
        assert '+        "https://m.example"' in result.stdout
        assert "permission denied" in result.stderr and "mirrors add https://m.example --sudo" in result.stderr
        assert "Traceback" not in result.stderr
        assert target.read_text() == DAEMON_JSON
    finally:
        shutil.rmtree(base)


def test_sudo_writes_through_a_temp_file_keeping_mode_and_backup(
    files: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stand-in sudo on PATH runs the command and records its argv: the content is never in it."""
    from regtui.core.mirrors import apply as apply_module

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "sudo-argv"
    sudo = bin_dir / "sudo"
    sudo.write_text(f'#!/bin/sh\nprintf "%s\\n" "$*" >> {log}\n[ "$1" = "--" ] && shift\nexec "$@"\n')
    sudo.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:{os.environ['PATH']}")
    files["docker"].chmod(0o640)

    real_write = apply_module.fileio.write_atomic

    def denied_for_daemon_json(snapshot, text, **kwargs):  # noqa: ANN001, ANN202 - root owns it, say
        if snapshot.path == files["docker"]:
            from regtui.core.errors import PermissionNeeded

            raise PermissionNeeded("permission denied", where=snapshot.path)
        return real_write(snapshot, text, **kwargs)

    monkeypatch.setattr(apply_module.fileio, "write_atomic", denied_for_daemon_json)
    assert mirrors("add", "https://m.example").exit_code == 3
    out = ok("add", "https://m.example", "--sudo")
    assert "wrote" in out
    assert json.loads(files["docker"].read_text())["registry-mirrors"][-1] == "https://m.example"
    assert oct(files["docker"].stat().st_mode & 0o777) == "0o640"
    assert (files["docker"].parent / "daemon.json.bak").read_text() == DAEMON_JSON
    assert "m.example" not in log.read_text().split(" sh ", 1)[-1].split("regtui-")[0]
