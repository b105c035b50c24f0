"""regtui report against real parts on 127.0.0.1: an htpasswd registry, an open registry as a
Docker Hub mirror, a closed port, the loopback Hub stand-in, and fake tools on PATH.

The registry's user and password are canaries: the password must never appear, the user name
only with --show-users.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt

from regtui.cli import main
from regtui.core.docker_config import encode_auth
from regtui.core.registry_names import HUB_KEY
from tests.conftest import VENV_BIN, require
from tests.support.fake_hub import FakeHub, limited
from tests.support.fault_servers import FaultServer
from tests.support.helpers import write_helper
from tests.support.realparts import Registry, free_port, htpasswd_registry, make_oci_layout, push_image

USER = "report-canary-user"
PASSWORD = "canary-pw-5e1f0d"
MASKED = "r***r"
PROXY_PASSWORD = "canary-proxy-pw-93b2"
SLEEP, YES = shutil.which("sleep") or "/bin/sleep", shutil.which("yes") or "/usr/bin/yes"  # before PATH shrinks
SECTIONS = ["Registries", "Checks", "Mirrors", "Docker Hub rate limit", "Files", "Tools", "Environment"]


@pytest.fixture(scope="module")
def canary_registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    """A distribution registry with htpasswd auth for the canary user."""
    for binary in ("docker-registry", "htpasswd"):
        require(binary)
    reg = htpasswd_registry(tmp_path_factory.mktemp("canary-registry"), USER, PASSWORD)
    yield reg
    reg.close()


@pytest.fixture(scope="module")
def hub_mirror(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    """An open distribution registry holding library/alpine:latest: what a Hub mirror serves."""
    for binary in ("docker-registry", "skopeo"):
        require(binary)
    reg = Registry(tmp_path_factory.mktemp("hub-mirror"), auth_yaml="").start()
    layout = make_oci_layout(tmp_path_factory.mktemp("oci-alpine") / "layout", tag="latest")
    push_image(layout, reg, "library/alpine", "latest")
    yield reg
    reg.close()


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHub]:
    fake = FakeHub(users={USER: PASSWORD}, open_v2=True).start()
    fake.answers["anonymous"] = limited(100, 76, source="127.0.0.9")
    fake.answers[USER] = limited(200, 187, source="4f1e0c2a-account-id")
    monkeypatch.setenv("REGTUI_HUB_AUTH_URL", f"{fake.url}/token")
    monkeypatch.setenv("REGTUI_HUB_REGISTRY_URL", fake.url)
    yield fake
    assert fake.manifest_gets == [], "a GET on the manifest counts as a pull"
    fake.close()


@pytest.fixture
def bin_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """PATH holds the venv and fake tools only, so every tool's row is known in advance."""
    path = tmp_path / "bin"
    write_helper(path, "x", "")  # creates the directory
    (path / "docker-credential-x").unlink()
    _tool(path, "docker", "print('Docker version 99.1.2, build canary')")
    monkeypatch.setenv("PATH", f"{path}{os.pathsep}{VENV_BIN}")
    return path


def _shell_tool(bin_dir: Path, name: str, body: str) -> Path:
    tool = bin_dir / name
    tool.write_text(f"#!/bin/sh\n{body}\n")
    tool.chmod(0o755)
    return tool


def _tool(bin_dir: Path, name: str, body: str) -> Path:
    tool = bin_dir / name
    tool.write_text(f"#!{sys.executable}\nimport os, sys, time\n{body}\n")
    tool.chmod(0o755)
    return tool


@pytest.fixture
def workstation(
    canary_registry: Registry,
    hub_mirror: Registry,
    hub: FakeHub,
    bin_dir: Path,
    tmp_path: Path,
    docker_dir: Path,
    monkeypatch,
) -> dict[str, object]:
    """config.json logged in to the canary registry and to the Hub, mirrors for docker and podman."""
    closed_mirror = f"http://127.0.0.1:{free_port()}"
    config = docker_dir / "config.json"
    auths = {
        canary_registry.host: {"auth": encode_auth(USER, PASSWORD)},
        HUB_KEY: {"auth": encode_auth(USER, PASSWORD)},
    }
    config.write_text(json.dumps({"auths": auths}))
    config.chmod(0o600)
    daemon = tmp_path / "daemon.json"
    daemon.write_text(json.dumps({"registry-mirrors": [f"http://{hub_mirror.host}", closed_mirror]}))
    conf = tmp_path / "registries.conf"
    conf.write_text(
        f'[[registry]]\nlocation = "docker.io"\n[[registry.mirror]]\nlocation = "{hub_mirror.host}"\ninsecure = true\n'
    )
    monkeypatch.setenv("REGTUI_DAEMON_JSON", str(daemon))
    monkeypatch.setenv("REGTUI_REGISTRIES_CONF", str(conf))
    monkeypatch.setenv("REGTUI_CONTAINERD_CONFIG", str(tmp_path / "absent-config.toml"))
    monkeypatch.setenv("REGTUI_CONTAINERD_CERTS_D", str(tmp_path / "containerd-hosts"))
    monkeypatch.setenv("REGTUI_DOCKER_CERTS_D", str(tmp_path / "docker-certs.d"))
    monkeypatch.setenv("HTTPS_PROXY", f"http://proxyuser:{PROXY_PASSWORD}@127.0.0.1:9")
    monkeypatch.setenv("NO_PROXY", "*")  # the proxy is only there to be reported: nothing goes through it
    return {"config": config, "daemon": daemon, "closed_mirror": closed_mirror, "registry": canary_registry.host}


def report(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["report", "--timeout", "3", *args], catch_exceptions=False)
    return result.exit_code, result.stdout


def _no_secrets(output: str) -> None:
    assert PASSWORD not in output and PROXY_PASSWORD not in output
    assert encode_auth(USER, PASSWORD) not in output
    assert base64.b64encode(PASSWORD.encode()).decode() not in output


def test_text_report_has_every_section_with_real_values(workstation: dict[str, object], hub_mirror: Registry) -> None:
    code, out = report()
    assert code == 0, out
    for title in SECTIONS:
        assert f"\n{title}  (" in out or f"\n{title}\n" in out, title
    registry = workstation["registry"]
    assert "every registry passes its check (2)" in out
    # registries: the store and the plaintext diagnostic with its fix
    assert f"{registry}  {MASKED}  file" in out and "config.json (plaintext)" in out
    assert f"regtui migrate {registry}" in out
    # checks: the ladder ran against the real registry (Basic auth, the masked user)
    assert any(
        line.lstrip().startswith(registry) and "✓ healthy" in line and f"Basic, {MASKED}" in line
        for line in out.splitlines()
    )
    # mirrors: the real mirror serves the manifest, the closed port is unreachable, podman's too
    mirror_rows = [line for line in out.splitlines() if hub_mirror.host in line or workstation["closed_mirror"] in line]
    assert any("docker" in r and "✓ ping" in r and "serves library/alpine:latest (sha256:" in r for r in mirror_rows)
    assert any(workstation["closed_mirror"] in r and "✗ unreachable" in r for r in mirror_rows)
    assert any(r.lstrip().startswith("podman") and "✓ ping" in r for r in mirror_rows)
    # the Hub: anonymous and logged in side by side, the account id masked with the user
    assert "76 of 100 (76%)" in out and "187 of 200 (93.5%)" in out and f"LOGGED IN ({MASKED})" in out, out
    assert "4f1e0c2a-account-id" not in out
    # files: config.json with its mode, owner and size; a missing file says so
    size = workstation["config"].stat().st_size
    assert any("docker config.json" in r and "0600" in r and f"{size} B" in r for r in out.splitlines())
    assert any("containerd config.toml" in r and "not found" in r for r in out.splitlines())
    # tools: the fake docker's version, the absent ones "not found"
    assert "Docker version 99.1.2, build canary" in out
    assert any(r.lstrip().startswith("podman") and "not found" in r for r in out.splitlines())
    # environment: the proxy without its password, DOCKER_AUTH_CONFIG not set
    assert "HTTPS_PROXY         http://***@127.0.0.1:9" in out or "http://***@127.0.0.1:9" in out
    assert any(r.lstrip().startswith("DOCKER_AUTH_CONFIG") and "not set" in r for r in out.splitlines())
    _no_secrets(out)
    assert USER not in out


def test_user_names_masked_everywhere_unless_show_users(workstation: dict[str, object]) -> None:
    outputs = {
        fmt: report(*flags)[1] for fmt, flags in {"text": (), "json": ("--json",), "md": ("--markdown",)}.items()
    }
    for fmt, out in outputs.items():
        _no_secrets(out)
        assert USER not in out, fmt
    assert json.loads(outputs["json"])["users_shown"] is False
    shown = {fmt: report("--show-users", *flags)[1] for fmt, flags in {"text": (), "json": ("--json",)}.items()}
    for fmt, out in shown.items():
        _no_secrets(out)
        assert USER in out, fmt
    data = json.loads(shown["json"])
    assert data["users_shown"] is True
    assert {r["username"] for r in data["registries"]["registries"]} == {USER}
    assert data["ratelimit"]["authenticated"]["source"] == "4f1e0c2a-account-id"


def test_a_failing_registry_makes_exit_1_with_its_step_cause_and_fix(workstation: dict[str, object]) -> None:
    closed = f"127.0.0.1:{free_port()}"
    config = workstation["config"]
    data = json.loads(config.read_text())
    data["auths"][closed] = {"auth": encode_auth(USER, PASSWORD)}
    config.write_text(json.dumps(data))
    code, out = report()
    assert code == 1
    assert f"1 of 3 registries fail their check: {closed}" in out
    row = next(line for line in out.splitlines() if line.lstrip().startswith(closed) and "✗ failed" in line)
    assert "TCP connect: refused" in row and "fix" not in row.split("refused", 1)[0]
    code, raw = report("--json")
    assert code == 1
    doc = json.loads(raw)
    assert doc["healthy"] is False and doc["checks"]["healthy"] is False
    failing = {r["registry"]: r for r in doc["checks"]["results"] if not r["healthy"]}
    assert list(failing) == [closed] and failing[closed]["cause"] == "refused" and failing[closed]["fix"]
    assert failing[closed]["failed_step"] == "tcp"


def test_json_has_stable_keys(workstation: dict[str, object]) -> None:
    code, raw = report("--json")
    assert code == 0
    doc = json.loads(raw)
    assert list(doc) == [
        "report_version",
        "regtui",
        "healthy",
        "users_shown",
        "registries",
        "checks",
        "mirrors",
        "ratelimit",
        "files",
        "tools",
        "environment",
        "errors",
    ]
    assert doc["report_version"] == 1 and doc["healthy"] is True and doc["errors"] == {}
    assert [r["registry"] for r in doc["checks"]["results"]] == ["docker.io", workstation["registry"]]
    hub_check = doc["checks"]["results"][0]
    assert hub_check["healthy"] is False or hub_check["registry"] == "docker.io"
    assert {t["name"]: t["status"] for t in doc["tools"]} == {
        "docker": "ok",
        "dockerd": "not-found",
        "containerd": "not-found",
        "podman": "not-found",
        "skopeo": "not-found",
    }
    files = {f["name"]: f for f in doc["files"]}
    assert files["docker config.json"]["mode"] == "0600" and files["daemon.json"]["exists"] is True
    assert files["docker config.json"]["uid"] == os.getuid()
    assert doc["environment"]["DOCKER_AUTH_CONFIG"] is None
    runtimes = {s["runtime"] for s in doc["mirrors"]["mirror_sets"]}
    assert runtimes == {"docker", "podman"}
    healths = [m["health"] for s in doc["mirrors"]["mirror_sets"] for m in s["mirrors"]]
    assert sorted(h["healthy"] for h in healths) == [False, True, True]
    assert doc["ratelimit"]["anonymous"]["remaining"] == 76


def test_markdown_is_valid_github_tables(workstation: dict[str, object]) -> None:
    code, out = report("--markdown")
    assert code == 0
    assert out.startswith("# regtui report\n")
    assert [line[3:] for line in out.splitlines() if line.startswith("## ")] == SECTIONS
    tokens = MarkdownIt("commonmark").enable("table").parse(out)
    tables = [t for t in tokens if t.type == "table_open"]
    assert len(tables) == 7  # one per section
    # every row of a table has as many cells as its header: no cell broke out of its column
    width = None
    for token in tokens:
        if token.type == "thead_open":
            width, cells = None, 0
        if token.type in ("th_open", "td_open"):
            cells += 1
        if token.type == "tr_open":
            cells = 0
        if token.type == "tr_close":
            width = cells if width is None else width
            assert cells == width
    html = MarkdownIt("commonmark").enable("table").render(out)
    assert "<em>" not in html and "<strong>" in html  # the masked r***r is literal, the verdict bold
    assert MASKED in html and "Docker version 99.1.2" in html


def test_docker_auth_config_is_reported_as_set_never_its_value(
    workstation: dict[str, object], docker_dir: Path, monkeypatch
) -> None:
    value = json.dumps({"auths": {workstation["registry"]: {"auth": encode_auth(USER, PASSWORD)}}})
    monkeypatch.setenv("DOCKER_AUTH_CONFIG", value)
    (docker_dir / "config.json").write_text("{}")
    code, raw = report("--json")
    doc = json.loads(raw)
    assert code == 0, doc["checks"]
    assert doc["environment"]["DOCKER_AUTH_CONFIG"] == "set" and doc["registries"]["env_override"] is True
    assert [r["store"] for r in doc["registries"]["registries"]] == ["env"]
    _no_secrets(raw)
    assert USER not in raw and value not in raw


def test_a_hanging_tool_and_a_silent_registry_do_not_hang_the_report(
    workstation: dict[str, object], bin_dir: Path, tmp_path: Path
) -> None:
    pid_file = tmp_path / "docker.pid"
    _shell_tool(bin_dir, "docker", f"echo $$ > {pid_file}\nexec {SLEEP} 60")  # hangs
    _shell_tool(bin_dir, "skopeo", f"echo 'skopeo version 1.2.3'\nexec {YES} 'and more'")  # never stops talking
    silent = FaultServer("slow").start()
    silent_host = silent.host
    try:
        config = workstation["config"]
        data = json.loads(config.read_text())
        data["auths"][silent.host] = {"auth": encode_auth(USER, PASSWORD)}
        config.write_text(json.dumps(data))
        started = time.monotonic()
        result = CliRunner().invoke(main, ["report", "--timeout", "0.5", "--json"], catch_exceptions=False)
        took = time.monotonic() - started
    finally:
        silent.close()
    assert took < 8, f"the report took {took:.1f} s"
    doc = json.loads(result.stdout)
    tools = {t["name"]: t for t in doc["tools"]}
    assert tools["docker"]["status"] == "timed-out" and "timed out after 3 s" in tools["docker"]["detail"], tools[
        "docker"
    ]
    assert tools["skopeo"]["status"] == "ok" and tools["skopeo"]["version"] == "skopeo version 1.2.3"
    pid = int(pid_file.read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # killed, not left behind
    slow = next(r for r in doc["checks"]["results"] if r["registry"] == silent_host)
    assert result.exit_code == 1 and slow["healthy"] is False and slow["cause"] in ("timeout", "tls-timeout")
    text = CliRunner().invoke(main, ["report", "--timeout", "0.5"], catch_exceptions=False).stdout
    assert any(r.lstrip().startswith("docker ") and "timed out" in r for r in text.splitlines())


def test_a_broken_config_json_is_named_and_the_other_sections_still_fill_in(workstation: dict[str, object]) -> None:
    workstation["config"].write_text('{"auths": {\n  "x": 1,\n')
    code, out = report()
    assert code == 1
    assert "✗ config.json could not be read" in out
    assert f"{workstation['config']}:" in out  # where, with the line
    for title in SECTIONS:
        assert f"\n{title}" in out, title
    assert "76 of 100 (76%)" in out and "Docker version 99.1.2" in out and "✓ ping" in out
    assert "Traceback" not in out


def test_write_markdown_report_for_the_tui_writes_a_private_file(
    workstation: dict[str, object], tmp_path: Path
) -> None:
    import asyncio

    from regtui.core.report import write_markdown_report

    path, healthy = asyncio.run(write_markdown_report(timeout=3))
    assert healthy is True
    assert path.parent == Path(os.environ["REGTUI_CONFIG_DIR"]) / "reports"
    assert path.stat().st_mode & 0o777 == 0o600
    text = path.read_text()
    assert text.startswith("# regtui report\n") and "## Docker Hub rate limit" in text
    _no_secrets(text)
    assert USER not in text
    second, _ = asyncio.run(write_markdown_report(timeout=3))
    assert second != path and path.exists()


def test_a_check_still_running_at_the_deadline_is_reported_as_timeout(
    workstation: dict[str, object], bin_dir: Path, tmp_path: Path
) -> None:
    """The credential helper answers the registries section at once, then stalls the check's lookup."""
    calls = tmp_path / "helper-calls"
    answer = json.dumps({"ServerURL": workstation["registry"], "Username": USER, "Secret": PASSWORD})
    write_helper(
        bin_dir,
        "stalls",
        f"if verb == 'list':\n    print('{{}}'); sys.exit(0)\n"
        f"n = os.path.getsize({str(calls)!r}) if os.path.exists({str(calls)!r}) else 0\n"
        f"open({str(calls)!r}, 'a').write('x')\n"
        "if n:\n    time.sleep(3)\n"
        f"print({answer!r})",
    )
    host = workstation["registry"]
    workstation["config"].write_text(json.dumps({"auths": {host: {}}, "credHelpers": {host: "stalls"}}))
    started = time.monotonic()
    result = CliRunner().invoke(main, ["report", "--timeout", "0.4", "--json"], catch_exceptions=False)
    took = time.monotonic() - started
    doc = json.loads(result.stdout)
    assert result.exit_code == 1
    [check] = doc["checks"]["results"]
    assert (check["registry"], check["failed_step"], check["cause"]) == (host, "credentials", "timeout")
    assert "did not finish within 1.2 s (3 × the timeout)" in check["detail"] and "--timeout" in check["fix"]
    assert [r["username"] for r in doc["registries"]["registries"]] == [MASKED]
    assert took < 6, f"the report took {took:.1f} s"
    _no_secrets(result.stdout)


async def test_the_tui_palette_writes_the_markdown_report(
    hub: FakeHub, canary_registry: Registry, docker_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Report in the command palette: the Markdown lands in a new 0600 file, and the app says where."""
    from regtui.app.real import RealWorkstation
    from regtui.ui.app import RegTUI

    for name in ("REGTUI_DAEMON_JSON", "REGTUI_REGISTRIES_CONF", "REGTUI_CONTAINERD_CONFIG"):
        monkeypatch.setenv(name, str(tmp_path / f"absent-{name.lower()}"))
    monkeypatch.setenv("REGTUI_CONTAINERD_CERTS_D", str(tmp_path / "containerd-hosts"))
    monkeypatch.setenv("REGTUI_DOCKER_CERTS_D", str(tmp_path / "docker-certs.d"))
    auths = {canary_registry.host: {"auth": encode_auth(USER, PASSWORD)}}
    (docker_dir / "config.json").write_text(json.dumps({"auths": auths}))
    app = RegTUI(RealWorkstation())
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert "Report" in [command.title for command in app.get_system_commands(app.screen)]
        app.write_report()
        await app.workers.wait_for_complete([w for w in app.workers if w.group == "report"])
        await pilot.pause()
        said = [n.message for n in app._notifications]
    reports = list((Path(os.environ["REGTUI_CONFIG_DIR"]) / "reports").glob("regtui-report-*.md"))
    assert len(reports) == 1 and reports[0].stat().st_mode & 0o777 == 0o600
    text = reports[0].read_text()
    assert canary_registry.host in text and PASSWORD not in text and USER not in text
    assert any(str(reports[0]) in message for message in said), said
