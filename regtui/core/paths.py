"""Where every file lives (README.md, "Files and overrides"), with environment and flag overrides.

Flags win over environment variables, which win over the defaults.
"""

from __future__ import annotations

import os
from pathlib import Path

from regtui.core.registry_names import HUB_AUTH_URL, HUB_REGISTRY_URL


def _env_path(name: str) -> Path | None:
    value = os.environ.get(name, "")
    return Path(value).expanduser() if value else None


def docker_config_dir(flag: str | Path | None = None) -> Path:
    """The Docker config directory: --config DIR, else $DOCKER_CONFIG, else ~/.docker."""
    if flag:
        return Path(flag).expanduser().absolute()
    return (_env_path("DOCKER_CONFIG") or Path.home() / ".docker").absolute()


def docker_config_file(flag: str | Path | None = None) -> Path:
    return docker_config_dir(flag) / "config.json"


def regtui_state_dir() -> Path:
    """regtui's own state: $REGTUI_CONFIG_DIR, else $XDG_CONFIG_HOME/regtui, else ~/.config/regtui."""
    override = _env_path("REGTUI_CONFIG_DIR")
    if override:
        return override
    xdg = _env_path("XDG_CONFIG_HOME") or Path.home() / ".config"
    return xdg / "regtui"


def daemon_json(flag: str | Path | None = None) -> Path:
    if flag:
        return Path(flag).expanduser()
    override = _env_path("REGTUI_DAEMON_JSON")
    if override:
        return override
    if os.geteuid() != 0 and os.environ.get("XDG_RUNTIME_DIR") and _rootless_docker():
        return (_env_path("XDG_CONFIG_HOME") or Path.home() / ".config") / "docker" / "daemon.json"
    return Path("/etc/docker/daemon.json")


def _rootless_docker() -> bool:
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    return bool(runtime) and Path(runtime, "docker.sock").exists()


def docker_certs_d() -> Path:
    return _env_path("REGTUI_DOCKER_CERTS_D") or Path("/etc/docker/certs.d")


def containerd_config(flag: str | Path | None = None) -> Path:
    if flag:
        return Path(flag).expanduser()
    return _env_path("REGTUI_CONTAINERD_CONFIG") or Path("/etc/containerd/config.toml")


def containerd_certs_d_override() -> Path | None:
    """The hosts dir override; without it the dir comes from config.toml's config_path."""
    return _env_path("REGTUI_CONTAINERD_CERTS_D")


def registries_conf(flag: str | Path | None = None) -> Path:
    if flag:
        return Path(flag).expanduser()
    override = _env_path("REGTUI_REGISTRIES_CONF")
    if override:
        return override
    user = (_env_path("XDG_CONFIG_HOME") or Path.home() / ".config") / "containers" / "registries.conf"
    try:
        return user if user.exists() else Path("/etc/containers/registries.conf")
    except PermissionError:  # a directory above it is unreadable: reading it says so, with a fix
        return user


def hub_auth_url() -> str:
    return os.environ.get("REGTUI_HUB_AUTH_URL") or HUB_AUTH_URL


def hub_registry_url() -> str:
    return (os.environ.get("REGTUI_HUB_REGISTRY_URL") or HUB_REGISTRY_URL).rstrip("/")


def containers_auth_file() -> Path:
    """The file podman, skopeo and buildah read first and write logins to (containers-auth.json(5)).

    $REGISTRY_AUTH_FILE; else, when $DOCKER_CONFIG is set, $DOCKER_CONFIG/config.json
    (containers/common pkg/auth GetDefaultAuthFile, the default of their --authfile: skopeo
    1.9 logs in there); else ${XDG_RUNTIME_DIR}/containers/auth.json; else (Linux without
    XDG_RUNTIME_DIR) /run/containers/$UID/auth.json, as containers/image's getPathToAuth.
    """
    override = _env_path("REGISTRY_AUTH_FILE")
    if override:
        return override.absolute()
    docker = _env_path("DOCKER_CONFIG")
    if docker:
        return (docker / "config.json").absolute()
    runtime = _env_path("XDG_RUNTIME_DIR")
    if runtime:
        return (runtime / "containers" / "auth.json").absolute()
    return Path(f"/run/containers/{os.getuid()}/auth.json")


def containers_config_auth_file() -> Path:
    """The auth.json read after the first: $XDG_CONFIG_HOME/containers/auth.json (~/.config/...)."""
    return ((_env_path("XDG_CONFIG_HOME") or Path.home() / ".config") / "containers" / "auth.json").absolute()


def containers_auth_files() -> list[Path]:
    """The auth.json files the containers tools read, in order; docker's config.json comes after them."""
    return list(dict.fromkeys((containers_auth_file(), containers_config_auth_file())))
