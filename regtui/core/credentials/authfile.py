"""The containers tools' auth.json beside docker's config.json: who reads which entry.

podman, skopeo and buildah (containers/image, pkg/docker/config/config.go) read, in order:
$REGISTRY_AUTH_FILE or ${XDG_RUNTIME_DIR}/containers/auth.json, then
$XDG_CONFIG_HOME/containers/auth.json, then docker's config.json. In each file
``credHelpers[host]`` comes first, then the ``auths`` key of the image's namespace, most
specific first, down to the registry; the first file with credentials wins. They never read
``credsStore``. docker reads only config.json (after DOCKER_AUTH_CONFIG).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from regtui.core import fileio
from regtui.core.credentials.containers_keys import auth_file_flag, containers_host, containers_key
from regtui.core.credentials.exposure import FileFinding, FindingCode
from regtui.core.credentials.helper_client import HelperClient, HelperFactory
from regtui.core.credentials.model import Credential
from regtui.core.credentials.resolve import list_registries
from regtui.core.credentials.status import Diagnostic, DiagnosticCode, RegistryStatus, Severity
from regtui.core.docker_config import DockerConfig, ToolFamily, parse_docker_config
from regtui.core.errors import InputError, RegtuiError
from regtui.core.paths import containers_auth_file, containers_auth_files, docker_config_file

DOCKER, CONTAINERS = ToolFamily.DOCKER, ToolFamily.CONTAINERS
DockerLoader = Callable[[], DockerConfig]
"""Loads docker's config.json (the CLI's, honouring --config)."""


@dataclass(frozen=True)
class AuthFileState:
    """One auth.json of the lookup chain: parsed, or the error that stopped it."""

    path: Path
    config: DockerConfig | None
    error: RegtuiError | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "path": str(self.path),
            "exists": bool(self.config and self.config.snapshot.exists),
            "error": self.error.render() if self.error else None,
        }


def load_auth_json(path: str | Path) -> DockerConfig:
    """Parse an auth.json (docker's format; a missing file is empty). Raises ConfigError naming it."""
    return parse_docker_config(fileio.read_snapshot(Path(path).expanduser().absolute()), CONTAINERS)


def load_auth_files(docker: DockerConfig | None = None) -> list[AuthFileState]:
    """Every auth.json the containers tools read, in their order; a broken one carries its error.
    docker's own config.json (the first file when $DOCKER_CONFIG is set) is left to ``docker``."""
    states = []
    for path in containers_auth_files():
        if docker is not None and path == docker.path:
            continue
        try:
            states.append(AuthFileState(path, load_auth_json(path)))
        except RegtuiError as exc:
            states.append(AuthFileState(path, None, exc))
    return states


def _usable(config: DockerConfig, raw: str) -> bool:
    """containers/image uses an entry with a user and a password, or an identity token."""
    entry = config.entry(raw)
    return bool(entry and entry.problem is None and ((entry.username and entry.password) or entry.identity_token))


def _serves(config: DockerConfig, key: str, normalized: frozenset[str] | None = None) -> bool:
    """Whether containers/image stops at this file for images under ``key`` (a containers key)."""
    host = containers_host(key)
    if host in config.cred_helpers:
        return True
    parts = key.split("/")
    wanted = ["/".join(parts[:n]) for n in range(len(parts), 0, -1)]
    for name in wanted:  # exact keys first: an exact key without credentials goes on to the next file
        if name in config.auths:
            return _usable(config, name)
    # then keys spelled otherwise (a URL, index.docker.io): normalized as normalizeAuthFileKey does
    return host in (normalized if normalized is not None else _normalized_usable(config))


def _normalized_usable(config: DockerConfig) -> frozenset[str]:
    """The containers keys of the file's usable entries."""
    return frozenset(containers_key(raw) for raw in config.auths if _usable(config, raw))


def lookup_chain(docker: DockerConfig, auth_files: list[AuthFileState]) -> Chain:
    """The files the containers tools read, in order: the auth.json files, then docker's config.json."""
    by_path = {s.path: s.config for s in auth_files if s.config is not None}
    by_path.setdefault(docker.path, docker)
    chain: list[DockerConfig] = []
    for path in [*containers_auth_files(), docker.path]:
        config = by_path.get(path)
        if config is not None and config not in chain:
            chain.append(config)
    return Chain(chain)


class Chain(list[DockerConfig]):
    """The lookup chain with each file's normalized keys computed once: listing N entries stays O(N)."""

    def __init__(self, configs: list[DockerConfig]) -> None:
        super().__init__(configs)
        self.normalized = [_normalized_usable(c) for c in configs]


def containers_source(chain: list[DockerConfig], key: str) -> DockerConfig | None:
    """The file the containers tools take credentials for ``key`` from, or None."""
    normalized: list[frozenset[str] | None] = (
        list(chain.normalized) if isinstance(chain, Chain) else [None] * len(chain)
    )
    return next((c for c, n in zip(chain, normalized, strict=True) if _serves(c, key, n)), None)


def _read_by(status: RegistryStatus, config: DockerConfig, chain: list[DockerConfig]) -> tuple[ToolFamily, ...]:
    source = containers_source(chain, containers_key(status.key))
    tools = [DOCKER] if not config.is_auth_json else []
    if source is config:
        tools.append(CONTAINERS)
    return tuple(tools)


def _shadow_note(status: RegistryStatus, config: DockerConfig, source: DockerConfig | None) -> Diagnostic:
    where = f"{source.path}" if source is not None else "no file (its entry holds no usable credentials)"
    return Diagnostic(
        DiagnosticCode.SHADOWED,
        Severity.INFO,
        f"the containers tools do not use this entry: they take {status.registry} from {where}",
        f"remove the entry you do not want, this one with: regtui logout{auth_file_flag(config)} {status.registry}",
    )


def list_all(
    docker: DockerConfig,
    auth_files: list[AuthFileState],
    *,
    env_auths: list[Credential] | None = None,
    helpers: HelperFactory = HelperClient,
    docker_only: bool = False,
) -> list[RegistryStatus]:
    """docker's registries and every auth.json's, each with the tools that read it. No network.
    ``docker_only``: docker's entries alone, still told whether the containers tools read them."""
    chain = lookup_chain(docker, auth_files)
    result = []
    for config in [docker] if docker_only else chain:
        statuses = list_registries(config, helpers=helpers, env_auths=env_auths if config is docker else None)
        for status in statuses:
            read_by = _read_by(status, config, chain)
            extra: tuple[Diagnostic, ...] = ()
            if config.is_auth_json and not read_by:
                extra = (_shadow_note(status, config, containers_source(chain, status.key)),)
            result.append(status._replace(read_by=read_by, diagnostics=status.diagnostics + extra))
    return result


def winners(
    docker: DockerConfig, auth_files: list[AuthFileState], statuses: list[RegistryStatus]
) -> list[dict[str, object]]:
    """For each registry or namespace: the file docker reads it from and the one the containers tools do."""
    chain = lookup_chain(docker, auth_files)
    names: dict[str, str] = {}
    docker_path = str(docker.path)
    docker_keys = {containers_key(s.key) for s in statuses if s.file == docker_path}
    for status in statuses:
        names.setdefault(containers_key(status.key), status.registry)
    rows: list[dict[str, object]] = []
    for key, name in names.items():
        source = containers_source(chain, key)
        has_docker = key in docker_keys
        rows.append(
            {
                "registry": name,
                DOCKER: str(docker.path) if has_docker and "/" not in key else None,
                CONTAINERS: str(source.path) if source is not None else None,
            }
        )
    return rows


def stray_keys(config: DockerConfig) -> list[FileFinding]:
    """Keys of an auth.json that its readers ignore."""
    if "credsStore" not in config.data:
        return []
    return [
        FileFinding(
            FindingCode.STRAY_KEY,
            Severity.WARNING,
            str(config.path),
            f"{config.path} sets credsStore, which the containers tools never read (only credHelpers per registry)",
            "remove credsStore from the file; a helper serves a registry there when credHelpers names it",
        )
    ]


def has_registry(config: DockerConfig, server: str | None) -> bool:
    key = config.canonical_key(server)
    return bool(config.keys_for(key)) or key in config.cred_helpers


def choose_file(choice: str | None, server: str | None, docker_loader: DockerLoader) -> DockerConfig:
    """The file a write goes to: ``docker``, ``containers``, a PATH, or (None) where the user
    already has this registry, else docker's config.json."""
    if choice == DOCKER:
        return docker_loader()
    if choice == CONTAINERS:
        if containers_auth_file() == docker_config_file():  # $DOCKER_CONFIG set: their first file is docker's
            return parse_docker_config(fileio.read_snapshot(docker_config_file()))
        states = load_auth_files()
        for state in states:
            if state.error is not None and state.path == containers_auth_file():
                raise state.error
            if state.config is not None and has_registry(state.config, server):
                return state.config
        return load_auth_json(containers_auth_file())
    if choice:
        path = Path(choice).expanduser().absolute()
        if path.is_dir():
            raise InputError(f"{path} is a directory", fix="give the auth.json file itself, or docker|containers")
        docker = docker_loader()
        return docker if path == docker.path else load_auth_json(path)
    docker = docker_loader()
    if has_registry(docker, server):
        return docker
    for state in load_auth_files(docker):
        if state.config is not None and has_registry(state.config, server):
            return state.config
    return docker


def auth_file_option_help() -> str:
    return (
        "Which file: docker (config.json), containers (the auth.json podman, skopeo and buildah write) or a PATH"
        " [default: the file that already has this registry, else docker's]."
    )


def other_files_with(config: DockerConfig, server: str | None, docker_loader: DockerLoader) -> list[DockerConfig]:
    """The other files (docker's and the auth.json chain) that still hold ``server``; broken ones are skipped."""
    others: list[DockerConfig] = []
    with contextlib.suppress(RegtuiError):  # a broken config.json is not this command's concern here
        others.append(docker_loader())
    others += [s.config for s in load_auth_files(others[0] if others else None) if s.config is not None]
    return [o for o in others if o.path != config.path and has_registry(o, server)]


def plaintext_elsewhere(config: DockerConfig) -> list[Path]:
    """The auth.json files (other than ``config``) that hold a plaintext secret."""
    from regtui.core.auth_entries import secret_keys

    return [
        s.path
        for s in load_auth_files()
        if s.config is not None and s.path != config.path and secret_keys(s.config.data)
    ]
