"""A hosts directory: ``<dir>/<registry>/hosts.toml``, read by containerd per pull (no restart).

Used for containerd's ``config_path`` and for Docker's containerd image store
(``/etc/docker/certs.d/<host>/hosts.toml``). ``[host."URL"]`` tables are the mirrors, in
try order; ``server`` is the fallback tried last (containerd docs/hosts.md).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from regtui.core import fileio
from regtui.core.errors import ConfigError, InputError, PermissionNeeded
from regtui.core.mirrors import textstyle, toml_blocks
from regtui.core.mirrors.model import FileChange, Mirror, MirrorSet, Plan, validate_mirror_url
from regtui.core.registry_names import HUB_REGISTRY_URL, is_hub, registry_key

HOSTS_FILE = "hosts.toml"
ACTIVATION = "nothing: hosts.toml is read on every pull"
CAPABILITIES = {"pull", "resolve", "push", "referrers"}
# containerd 1.5/1.6 discard a hosts.toml that has no `host` tree ("invalid `host` tree") and fall back to
# the registry's default endpoint, dropping `server`, `ca`... An empty [host] table keeps the file valid.
PLACEHOLDER = "[host]  # regtui: empty on purpose, so containerd keeps reading this file with every mirror off\n"
DEFAULT_CAPABILITIES = ("pull", "resolve")


def registry_dir_name(registry: str) -> str:
    key = registry_key(registry)
    return "docker.io" if is_hub(key) else key


def dir_to_registry(name: str) -> str:
    """``host_port_`` (containerd ≥ 1.7) and ``host:port`` both name host:port; ``_default`` stays."""
    if name.endswith("_") and "_" in name[:-1] and name != "_default":
        host, _, port = name[:-1].rpartition("_")
        if port.isdigit():
            return f"{host}:{port}"
    return name


def default_server(registry: str) -> str:
    return HUB_REGISTRY_URL if is_hub(registry) else f"https://{registry_key(registry)}"


def _mirror(url: str, table: object, enabled: bool, path: Path) -> Mirror:
    if not isinstance(table, dict):
        raise ConfigError(f'host."{url}" must be a table ([host."{url}"])', path=path)
    caps = table.get("capabilities", [])
    if not isinstance(caps, list) or not all(isinstance(c, str) for c in caps) or not set(caps) <= CAPABILITIES:
        raise ConfigError(
            f'[host."{url}"] capabilities must be a list of {sorted(CAPABILITIES)}',
            path=path,
            fix="containerd ignores the whole file when a capability is unknown",
        )
    ca = table.get("ca", [])
    if not isinstance(ca, str | list):
        raise ConfigError(f'[host."{url}"] ca must be a path or a list of paths', path=path)
    return Mirror(
        url,
        enabled,
        tuple(caps),
        table.get("skip_verify") if isinstance(table.get("skip_verify"), bool) else None,
        tuple([ca] if isinstance(ca, str) else [str(c) for c in ca]),
        table.get("override_path") is True,
    )


def read(path: Path, registry: str, runtime: str, activation: str = ACTIVATION) -> MirrorSet:
    snapshot = fileio.read_snapshot(path)
    text = snapshot.text or ""
    data = toml_blocks.parse_toml(text, path)
    hosts = data.get("host", {})
    if not isinstance(hosts, dict):
        raise ConfigError('`host` must be a table of [host."URL"] tables', path=path)
    for url, table in hosts.items():
        _mirror(url, table, True, path)
    lines = text.splitlines(keepends=True)
    mirrors, warnings = [], []
    for block in toml_blocks.blocks(lines):
        part = toml_blocks.parse_toml(toml_blocks.block_text(lines, block), path)
        part_hosts = part.get("host", {})
        if not isinstance(part_hosts, dict):
            raise ConfigError('`host` must be a table of [host."URL"] tables', path=path)
        for url, table in part_hosts.items():
            mirrors.append(_mirror(url, table, not block.disabled, path))
    for mirror in mirrors:
        if mirror.enabled and "push" in mirror.capabilities:
            warnings.append(f"{mirror.url} may receive pushes: never give a mirror the push capability")
    server = data.get("server")
    if server is not None and not isinstance(server, str):
        raise ConfigError("`server` must be a URL string", path=path)
    return MirrorSet(runtime, registry, tuple(mirrors), path, server, activation, tuple(warnings))


def read_all(root: Path, runtime: str) -> list[MirrorSet]:
    try:
        if not root.is_dir():
            return []
        directories = sorted(p for p in root.iterdir() if (p / HOSTS_FILE).is_file())
    except PermissionError as exc:
        raise PermissionNeeded(
            "cannot list the hosts directory: permission denied", where=root, fix="run with the needed permission"
        ) from exc
    sets = []
    for directory in directories:
        sets.append(read(directory / HOSTS_FILE, dir_to_registry(directory.name), runtime))
    return sets


def _new_block(url: str) -> str:
    caps = ", ".join(json.dumps(c) for c in DEFAULT_CAPABILITIES)
    return f"[host.{json.dumps(url)}]\n  capabilities = [{caps}]\n"


def _find(lines: list[str], url: str, path: Path) -> toml_blocks.Block | None:
    """The block of ``[host."url"]`` together with its sub-tables (``[host."url".header]``)."""
    matching: list[toml_blocks.Block] = []
    for block in toml_blocks.blocks(lines):
        part = toml_blocks.parse_toml(toml_blocks.block_text(lines, block), path)
        hosts = part.get("host", {})
        hit = isinstance(hosts, dict) and any(u.rstrip("/") == url.rstrip("/") for u in hosts)
        if hit and (not matching or matching[-1].end <= block.start):
            matching.append(block)
        elif matching:
            break
    return toml_blocks.merge(matching[0], matching[-1]) if matching else None


def plan(root: Path, registry: str, action: str, url: str, runtime: str) -> Plan:
    """add | remove | enable | disable a mirror of ``registry`` in ``<root>/<registry>/hosts.toml``."""
    path = root / registry_dir_name(registry) / HOSTS_FILE
    snapshot = fileio.read_snapshot(path)
    text = snapshot.text or ""
    current = read(path, registry, runtime)  # validates the file before any edit
    text, style = textstyle.split(text)
    lines = text.splitlines(keepends=True)
    if action in ("add", "enable") and PLACEHOLDER in lines:
        at = lines.index(PLACEHOLDER)
        lines = lines[:at] + lines[at + 2 if at + 1 < len(lines) and not lines[at + 1].strip() else at + 1 :]
        text = "".join(lines)
    block = _find(lines, url, path)
    if action == "add":
        url = validate_mirror_url(url)
        if block is not None:
            raise InputError(f"{url} is already a mirror in {path}" + (" (disabled)" if block.disabled else ""))
        base = text if text.strip() else f"server = {json.dumps(default_server(registry))}\n"
        new_text = toml_blocks.append(base, _new_block(url))
    else:
        if block is None:
            raise InputError(f"{url} is not a mirror in {path}", fix=f"regtui mirrors list --runtime {runtime}")
        if action == "remove":
            new_lines = toml_blocks.remove(lines, block)
        elif action == "disable" and not block.disabled:
            new_lines = toml_blocks.disable(lines, block)
        elif action == "enable" and block.disabled:
            new_lines = toml_blocks.enable(lines, block)
        else:
            raise InputError(f"{url} is already {action}d in {path}")
        new_text = "".join(new_lines)
        if not _meaning(new_text, path) and "host" not in toml_blocks.parse_toml(new_text, path):
            if block.start < len(new_lines):
                new_text = "".join(new_lines[: block.start] + [PLACEHOLDER, "\n"] + new_lines[block.start :])
            else:
                new_text = toml_blocks.append(new_text, PLACEHOLDER)
    after = _meaning(new_text, path)
    expected = {m.url.rstrip("/") for m in current.mirrors if m.enabled}
    if action == "add" or action == "enable":
        expected.add(url.rstrip("/"))
    elif action in ("remove", "disable"):
        expected.discard(url.rstrip("/"))
    if {u.rstrip("/") for u in after} != expected or (
        text.strip() and _untouched(text, path, url) != _untouched(new_text, path, url)
    ):
        raise ConfigError("regtui could not edit this file safely; nothing was written", path=path)
    change = FileChange(path, snapshot.text, style.restore(new_text), ACTIVATION, snapshot.digest)
    return Plan(runtime, f"{action} mirror {url} for {registry} in {path}", (change,))


def _untouched(text: str, path: Path, url: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """What an edit of ``url`` must leave as it was: the top-level keys (``server``, …) and the
    other mirrors' tables. A line that moves from one table to another changes one of them."""
    data = toml_blocks.parse_toml(text, path)
    hosts = data.get("host", {})
    hosts = hosts if isinstance(hosts, dict) else {"": hosts}  # not a table: compared as it is
    others = {u.rstrip("/"): t for u, t in hosts.items() if u.rstrip("/") != url.rstrip("/")}
    return {k: v for k, v in data.items() if k != "host"}, others


def _meaning(text: str, path: Path) -> list[str]:
    """The enabled mirrors of regtui's edited text; an edit that does not parse is regtui's failure, said so."""
    try:
        return read_from_text(text, path)
    except ConfigError as exc:
        raise ConfigError(
            "regtui could not edit this file safely; nothing was written", path=path, fix="make the change by hand"
        ) from exc


def read_from_text(text: str, path: Path) -> list[str]:
    """The enabled mirror URLs the text really configures."""
    hosts = toml_blocks.parse_toml(text, path).get("host", {})
    return list(hosts) if isinstance(hosts, dict) else []
