"""The local half of ``regtui report``: file paths and modes, tool versions, the environment.

No network. Tool versions run each program with its version flag in its own session, with a
deadline and an output cap, so a hanging or chatty tool costs the report at most the deadline.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import pwd
import selectors
import shutil
import signal
import stat
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from regtui.core import paths

TOOLS = (
    ("docker", "--version"),
    ("dockerd", "--version"),
    ("containerd", "--version"),
    ("podman", "--version"),
    ("skopeo", "--version"),
)
TOOL_TIMEOUT = 3.0
TOOL_OUTPUT_CAP = 64 * 1024
VERSION_LINE_MAX = 200

# Set or not, never the value: DOCKER_AUTH_CONFIG holds base64 user:password (docker/cli config).
PRESENCE_ONLY = ("DOCKER_AUTH_CONFIG",)
ENVIRONMENT = (
    "DOCKER_CONFIG",
    "DOCKER_AUTH_CONFIG",
    "DOCKER_HOST",
    "DOCKER_CONTEXT",
    "REGISTRY_AUTH_FILE",
    "XDG_RUNTIME_DIR",
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "NO_PROXY",
    "no_proxy",
    "ALL_PROXY",
    "all_proxy",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "REGTUI_DAEMON_JSON",
    "REGTUI_DOCKER_CERTS_D",
    "REGTUI_CONTAINERD_CONFIG",
    "REGTUI_CONTAINERD_CERTS_D",
    "REGTUI_REGISTRIES_CONF",
    "REGTUI_CONFIG_DIR",
    "REGTUI_HUB_AUTH_URL",
    "REGTUI_HUB_REGISTRY_URL",
)


@dataclass(frozen=True)
class FileInfo:
    name: str
    path: str
    exists: bool
    kind: str | None = None  # "file" | "directory" | "other"
    mode: str | None = None  # "0600"
    owner: str | None = None
    uid: int | None = None
    size: int | None = None
    symlink_to: str | None = None
    error: str | None = None

    def to_json(self) -> dict[str, object]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class ToolVersion:
    name: str
    status: str  # "ok" | "not-found" | "timed-out" | "failed"
    path: str | None = None
    version: str | None = None
    detail: str = ""

    def to_json(self) -> dict[str, object]:
        return dict(self.__dict__)


def containers_auth_file() -> Path:
    """Where podman, skopeo and buildah keep logins (containers-auth.json(5))."""
    override = os.environ.get("REGISTRY_AUTH_FILE", "")
    if override:
        return Path(override).expanduser()
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if runtime:
        return Path(runtime) / "containers" / "auth.json"
    xdg = os.environ.get("XDG_CONFIG_HOME", "") or str(Path.home() / ".config")
    return Path(xdg) / "containers" / "auth.json"


def _containerd_hosts_dir(config_toml: Path) -> Path:
    from regtui.core.errors import RegtuiError
    from regtui.core.mirrors import containerd

    try:
        return containerd.hosts_root(containerd.load(config_toml))
    except RegtuiError:  # a broken config.toml is the mirrors section's to report
        return paths.containerd_certs_d_override() or containerd.DEFAULT_HOSTS_DIR


def watched_paths(config_dir: str | None = None) -> list[tuple[str, Path]]:
    containerd_config = paths.containerd_config()
    state = paths.regtui_state_dir()
    return [
        ("docker config dir", paths.docker_config_dir(config_dir)),
        ("docker config.json", paths.docker_config_file(config_dir)),
        ("daemon.json", paths.daemon_json()),
        ("docker certs.d", paths.docker_certs_d()),
        ("containerd config.toml", containerd_config),
        ("containerd hosts dir", _containerd_hosts_dir(containerd_config)),
        ("registries.conf", paths.registries_conf()),
        ("containers auth.json", containers_auth_file()),
        ("regtui state dir", state),
        ("regtui state.json", state / "state.json"),
    ]


def _owner(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"


def file_info(name: str, path: Path) -> FileInfo:
    """exists, kind, mode, owner and size; an unreadable parent is a clear error, not a crash."""
    try:
        st = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            return FileInfo(name, str(path), False, error=f"dangling symlink to {os.readlink(path)}")
        return FileInfo(name, str(path), False)
    except OSError as exc:
        return FileInfo(name, str(path), False, error=f"cannot stat: {exc.strerror or exc}")
    kind = "directory" if stat.S_ISDIR(st.st_mode) else "file" if stat.S_ISREG(st.st_mode) else "other"
    link = None
    with contextlib.suppress(OSError):
        if path.is_symlink():
            link = os.readlink(path)
    return FileInfo(
        name,
        str(path),
        True,
        kind,
        f"{stat.S_IMODE(st.st_mode):04o}",
        _owner(st.st_uid),
        st.st_uid,
        st.st_size if kind == "file" else None,
        link,
    )


def gather_files(config_dir: str | None = None) -> list[FileInfo]:
    return [file_info(name, path) for name, path in watched_paths(config_dir)]


def _first_line(data: bytes) -> str:
    text = data.decode("utf-8", "replace")
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    return line[:VERSION_LINE_MAX] + ("…" if len(line) > VERSION_LINE_MAX else "")


def _kill(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:  # the leader still runs, so its session id names only our processes
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)  # the whole session: a wrapper script's children too


def _read_bounded(fd: int, timeout: float) -> tuple[bytes, bool]:
    """Up to TOOL_OUTPUT_CAP bytes until EOF; True when the deadline came first."""
    deadline = time.monotonic() + timeout
    output = bytearray()
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while len(output) < TOOL_OUTPUT_CAP:
            left = deadline - time.monotonic()
            if left <= 0 or not selector.select(left):
                return bytes(output), True
            chunk = os.read(fd, TOOL_OUTPUT_CAP - len(output))
            if not chunk:
                break
            output.extend(chunk)
    return bytes(output), False


def tool_version(name: str, flag: str, timeout: float = TOOL_TIMEOUT) -> ToolVersion:
    """``NAME FLAG`` in its own session: the first line of its output, within ``timeout``. Blocking."""
    path = shutil.which(name)
    if path is None:
        return ToolVersion(name, "not-found")
    started = time.monotonic()
    try:
        proc = subprocess.Popen(
            [path, flag],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    except OSError as exc:
        return ToolVersion(name, "failed", path, detail=f"cannot run: {exc.strerror or exc}")
    assert proc.stdout is not None
    try:
        output, timed_out = _read_bounded(proc.stdout.fileno(), timeout)
        if len(output) >= TOOL_OUTPUT_CAP:
            _kill(proc)  # it keeps talking: the first line is all we want
        try:
            code = proc.wait(max(0.05, timeout - (time.monotonic() - started)))
        except subprocess.TimeoutExpired:
            timed_out = True
    finally:
        _kill(proc)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(1.0)
        proc.stdout.close()
    version = _first_line(output) or None
    if timed_out:
        return ToolVersion(name, "timed-out", path, version, f"timed out after {timeout:g} s")
    if code != 0 and len(output) < TOOL_OUTPUT_CAP:
        return ToolVersion(name, "failed", path, version, f"{name} {flag} exited with status {code}")
    return ToolVersion(name, "ok", path, version)


async def gather_tools(timeout: float = TOOL_TIMEOUT) -> list[ToolVersion]:
    """Every tool at once, each in a thread: the slowest costs ``timeout`` (plus a second to reap it)."""
    return list(await asyncio.gather(*(asyncio.to_thread(tool_version, n, f, timeout) for n, f in TOOLS)))


ALWAYS_LISTED = ("DOCKER_CONFIG", "DOCKER_AUTH_CONFIG", "REGISTRY_AUTH_FILE", "HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY")


def gather_environment() -> dict[str, str | None]:
    """Each variable that matters: its value, "set" for those whose value is secret, or None
    (unset: listed only for the variables every ticket asks about)."""
    found: dict[str, str | None] = {}
    for name in ENVIRONMENT:
        value = os.environ.get(name)
        if value is not None:
            found[name] = "set" if name in PRESENCE_ONLY else value
        elif name in ALWAYS_LISTED:
            found[name] = None
    return found
