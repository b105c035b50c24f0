"""The CLI contract: commands, --json, exit codes, error messages (README.md, "Command line")."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from regtui.cli import main
from regtui.core.credentials.helper_client import HelperClient
from regtui.core.docker_config import encode_auth
from regtui.core.registry_names import HUB_KEY


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_registries_with_no_docker_dir_at_all() -> None:
    result = invoke("registries")
    assert result.exit_code == 0 and "No registries" in result.output
    data = json.loads(invoke("registries", "--json").stdout)
    assert data["registries"] == [] and data["env_override"] is False


def test_registries_json_has_stable_keys_and_no_secret(docker_dir: Path) -> None:
    (docker_dir / "config.json").write_text(
        json.dumps({"auths": {"ghcr.io": {"auth": encode_auth("al", "TOPSECRET")}}})
    )
    result = invoke("registries", "--json")
    assert result.exit_code == 0 and "TOPSECRET" not in result.stdout
    [entry] = json.loads(result.stdout)["registries"]
    assert set(entry) == {
        "registry",
        "key",
        "config_keys",
        "store",
        "username",
        "logged_in",
        "identity_token",
        "secret_location",
        "file",
        "read_by",
        "tools",
        "diagnostics",
    }
    human = invoke("registries").output
    assert "ghcr.io" in human and "plaintext" in human and "fix: regtui migrate ghcr.io" in human


def test_config_flag_overrides_docker_config(tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "config.json").write_text('{"auths": {"quay.io": {}}}')
    assert "quay.io" in invoke("--config", str(other), "registries").output


def test_malformed_config_exits_2_and_is_untouched(docker_dir: Path) -> None:
    path = docker_dir / "config.json"
    path.write_text('{\n  "auths": {,}\n}')
    before = path.read_bytes()
    for args in (["registries"], ["logout", "ghcr.io"], ["migrate"]):
        result = invoke(*args)
        assert result.exit_code == 2
        assert f"{path}:2:" in result.stderr and "is not valid JSON" in result.stderr
        assert path.read_bytes() == before


def test_logout_defaults_to_docker_hub(docker_dir: Path) -> None:
    (docker_dir / "config.json").write_text(json.dumps({"auths": {HUB_KEY: {"auth": encode_auth("a", "b")}}}))
    result = invoke("logout")
    assert result.exit_code == 0 and "Removed login credentials for docker.io" in result.output
    assert invoke("logout").output.strip() == "Not logged in to docker.io."


def test_migrate_dry_run_changes_nothing_then_migrate_does(docker_dir: Path) -> None:
    path = docker_dir / "config.json"
    path.write_text(json.dumps({"auths": {"ghcr.io": {"auth": encode_auth("al", "pw")}}}))
    before = path.read_bytes()
    dry = invoke("migrate", "--dry-run")
    assert dry.exit_code == 0 and "would move ghcr.io (al)" in dry.output and path.read_bytes() == before
    assert HelperClient("regtui").get("ghcr.io") is None
    real = invoke("migrate", "ghcr.io")
    assert real.exit_code == 0 and "ghcr.io: moved to the OS keyring" in real.output
    assert HelperClient("regtui").get("ghcr.io").username == "al"


def test_migrate_of_an_unknown_registry_is_a_usage_error(docker_dir: Path) -> None:
    (docker_dir / "config.json").write_text("{}")
    result = invoke("migrate", "nowhere.example")
    assert result.exit_code == 2 and "no credentials in config.json for nowhere.example" in result.stderr


def test_unknown_flag_is_exit_2() -> None:
    assert CliRunner().invoke(main, ["registries", "--bogus"]).exit_code == 2


def _loaded_by(imports: str) -> list[str]:
    """Which heavy packages a fresh interpreter holds after ``imports`` (a ``None`` entry blocks an import)."""
    import subprocess
    import sys

    code = (
        f"import sys, {imports}; print(sorted({{m.split('.')[0] for m, v in sys.modules.items() if v}} & "
        "{'httpx', 'tomlkit', 'textual', 'click'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return eval(out)  # noqa: S307 - our own subprocess printing a list of names


def test_the_cli_imports_no_command_it_does_not_run() -> None:
    """Subcommands load lazily: the TUI and light commands never pay for httpx (~85 ms) or tomlkit."""
    assert _loaded_by("regtui.cli, regtui.entry") == ["click"]


def test_the_tui_starts_without_httpx_tomlkit_or_click() -> None:
    """The first frame must not wait for the network stack: it loads when a tab first needs it."""
    assert _loaded_by("regtui.entry, regtui.ui.launch, regtui.ui.app") == ["textual"]


def test_the_script_entry_hands_arguments_to_click() -> None:
    import subprocess
    import sys

    from regtui import __version__

    out = subprocess.run([sys.executable, "-m", "regtui", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.strip() == f"regtui, version {__version__}"
    bad = subprocess.run([sys.executable, "-m", "regtui", "nosuchcommand"], capture_output=True, text=True)
    assert bad.returncode == 2 and "No such command 'nosuchcommand'" in bad.stderr


def test_a_command_runs_without_the_cyclic_collector_and_the_tui_with_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every command does its work once and exits: no cyclic GC passes while it runs. The TUI,
    which `regtui --demo` and `--read-only` start through the same guard, keeps the collector
    (its own schedule: ui/gcpause.py)."""
    import gc

    from regtui.cli.context import run_guarded

    assert gc.isenabled()
    assert run_guarded(gc.isenabled) is False
    assert gc.isenabled()  # given back after the command
    assert run_guarded(gc.isenabled, short_lived=False) is True
    seen: list[bool] = []
    import regtui.ui.launch

    monkeypatch.setattr(regtui.ui.launch, "run_tui", lambda **_: seen.append(gc.isenabled()))
    assert CliRunner().invoke(main, ["--demo"]).exit_code == 0
    assert seen == [True]
