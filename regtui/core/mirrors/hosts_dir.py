"""A hosts directory: ``<dir>/<registry>/hosts.toml``, read by containerd per pull (no restart).

Used for containerd's ``config_path`` and for Docker's containerd image store
(``/etc/docker/certs.d/<host>/hosts.toml``). ``[host."URL"]`` tables are the mirrors, in
try order; ``server`` is the fallback tried last (containerd docs/hosts.md). A disabled
mirror is its table commented out (``toml_blocks.DISABLED``); a move reorders the tables.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from regtui.core import fileio
from regtui.core.errors import ConfigError, PermissionNeeded
from regtui.core.mirrors import toml_blocks
from regtui.core.mirrors.model import Mirror, MirrorSet, validate_mirror_url
from regtui.core.mirrors.ops import Add, Enable, MirrorOp, Move, ReplaceUrl, Runtime
from regtui.core.mirrors.planner import UNSAFE, UNSAFE_FIX, BaseBackend, Edited, Meaning
from regtui.core.mirrors.textstyle import split
from regtui.core.registry_names import HUB_REGISTRY_URL, is_hub, registry_key

HOSTS_FILE = "hosts.toml"
ACTIVATION = "nothing: hosts.toml is read on every pull"
CAPABILITIES = {"pull", "resolve", "push", "referrers"}
# containerd 1.5/1.6 discard a hosts.toml that has no `host` tree ("invalid `host` tree") and fall back to
# the registry's default endpoint, dropping `server`, `ca`... An empty [host] table keeps the file valid.
PLACEHOLDER = "[host]  # regtui: empty on purpose, so containerd keeps reading this file with every mirror off\n"
DEFAULT_CAPABILITIES = ("pull", "resolve")
_HOST_KEY = re.compile(r"""^(\s*\[\s*host\s*\.\s*)("(?:[^"\\]|\\.)*"|'[^']*')""")


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


def _hosts(data: dict[str, Any], path: Path) -> dict[str, Any]:
    hosts = data.get("host", {})
    if not isinstance(hosts, dict):
        raise ConfigError('`host` must be a table of [host."URL"] tables', path=path)
    return hosts


def mirror_blocks(lines: list[str], path: Path) -> list[tuple[str, toml_blocks.Block, dict[str, Any]]]:
    """Each ``[host."URL"]`` table (on or off) with its sub-tables, in file order: (url, block, table)."""
    found: list[tuple[str, toml_blocks.Block, dict[str, Any]]] = []
    for block in toml_blocks.blocks(lines):
        hosts = _hosts(toml_blocks.parse_toml(toml_blocks.block_text(lines, block), path), path)
        for url in hosts:
            last = found[-1] if found else None
            if last and last[0] == url and last[1].disabled == block.disabled and last[1].end <= block.start:
                merged = toml_blocks.merge(last[1], block)
                table = _hosts(toml_blocks.parse_toml(toml_blocks.block_text(lines, merged), path), path)[url]
                found[-1] = (url, merged, table)
            else:
                found.append((url, block, hosts[url]))
    return found


def read_text(text: str, path: Path, registry: str, runtime: str, activation: str = ACTIVATION) -> MirrorSet:
    """The mirror set ``text`` (no BOM, LF) configures; a ConfigError with the file when it is not valid."""
    data = toml_blocks.parse_toml(text, path)
    for url, table in _hosts(data, path).items():
        _mirror(url, table, True, path)
    found = mirror_blocks(text.splitlines(keepends=True), path)
    mirrors = [_mirror(url, table, not block.disabled, path) for url, block, table in found]
    tabled = {u.rstrip("/") for u, block, _ in found if not block.disabled}
    warnings = []
    for url, table in _hosts(data, path).items():  # dotted keys or an inline table: containerd uses it too
        if url.rstrip("/") not in tabled:
            mirrors.append(_mirror(url, table, True, path))
            warnings.append(f'{url} is not a [host."URL"] table: regtui shows it but edits such tables only')
    warnings += [
        f"{m.url} may receive pushes: never give a mirror the push capability"
        for m in mirrors
        if m.enabled and "push" in m.capabilities
    ]
    server = data.get("server")
    if server is not None and not isinstance(server, str):
        raise ConfigError("`server` must be a URL string", path=path)
    return MirrorSet(Runtime(runtime), registry, tuple(mirrors), path, server, activation, tuple(warnings))


def read(path: Path, registry: str, runtime: str, activation: str = ACTIVATION) -> MirrorSet:
    snapshot = fileio.read_snapshot(path)
    return read_text(split(snapshot.text or "")[0], path, registry, runtime, activation)


def read_all(root: Path, runtime: str) -> list[MirrorSet]:
    try:
        if not root.is_dir():
            return []
        directories = sorted(p for p in root.iterdir() if (p / HOSTS_FILE).is_file())
    except PermissionError as exc:
        raise PermissionNeeded(
            "cannot list the hosts directory: permission denied", where=root, fix="run with the needed permission"
        ) from exc
    return [read(d / HOSTS_FILE, dir_to_registry(d.name), runtime) for d in directories]


def _new_block(url: str) -> str:
    caps = ", ".join(json.dumps(c) for c in DEFAULT_CAPABILITIES)
    return f"[host.{json.dumps(url)}]\n  capabilities = [{caps}]\n"


class HostsTomlBackend(BaseBackend):
    """One ``<root>/<registry>/hosts.toml``: the registry's mirrors are its ``[host."URL"]`` tables."""

    activation = ACTIVATION

    def __init__(self, root: Path, registry: str, runtime: Runtime) -> None:
        self.runtime, self.registry, self.label = runtime, registry, registry
        self.path = root / registry_dir_name(registry) / HOSTS_FILE

    def new_mirror(self, url: str) -> Mirror:
        return Mirror(validate_mirror_url(url), capabilities=DEFAULT_CAPABILITIES)

    def meaning(self, text: str, disabled: list[dict[str, Any]]) -> Meaning:
        found = read_text(text, self.path, self.registry, self.runtime)
        data = toml_blocks.parse_toml(text, self.path)
        # What containerd reads (tomllib's tables) must be what the blocks say, in the same order.
        real = [self.key(u) for u in _hosts(data, self.path)]
        seen = [self.key(m.url) for m in found.mirrors if m.enabled]
        top = {k: v for k, v in data.items() if k != "host"}
        tables = {self.key(u): t for u, _, t in mirror_blocks(text.splitlines(keepends=True), self.path)}
        return Meaning(found.mirrors, (top, None if real == seen else (real, seen)), tables)

    def edit(self, text: str, op: MirrorOp, before: Meaning, wanted: tuple[Mirror, ...]) -> Edited:
        lines = text.splitlines(keepends=True)
        if isinstance(op, Add | Enable) and PLACEHOLDER in lines:
            at = lines.index(PLACEHOLDER)
            lines = lines[:at] + lines[at + 2 if at + 1 < len(lines) and not lines[at + 1].strip() else at + 1 :]
        found = mirror_blocks(lines, self.path)
        if isinstance(op, Add):
            if text.strip():
                return Edited(toml_blocks.append("".join(lines), _new_block(wanted[-1].url)))
            base = f"server = {json.dumps(default_server(self.registry))}\n"
            top = toml_blocks.parse_toml(base, self.path)
            return Edited(toml_blocks.append(base, _new_block(wanted[-1].url)), new_rest=((top, None),))
        index = next(i for i, m in enumerate(before.mirrors) if self.key(m.url) == self.key(op.url))
        if len(found) != len(before.mirrors):
            raise ConfigError(UNSAFE, path=self.path, fix=UNSAFE_FIX)
        block = found[index][1]
        if isinstance(op, Move):
            order = {self.key(m.url): i for i, m in enumerate(wanted)}
            slots = [b for _, b, _ in found]
            places = sorted(range(len(found)), key=lambda i: order.get(self.key(found[i][0]), i))
            return Edited("".join(toml_blocks.permute(lines, slots, [slots[i] for i in places])))
        if isinstance(op, ReplaceUrl):
            return Edited("".join(toml_blocks.rewrite(lines, block, _HOST_KEY, json.dumps(wanted[index].url))))
        new_lines = toml_blocks.apply_to_block(lines, block, op)
        new_text = "".join(new_lines)
        if not any(m.enabled for m in wanted) and not _has_host(new_text):
            if block.start < len(new_lines):
                new_text = "".join(new_lines[: block.start] + [PLACEHOLDER, "\n"] + new_lines[block.start :])
            else:
                new_text = toml_blocks.append(new_text, PLACEHOLDER)
        return Edited(new_text)


def _has_host(text: str) -> bool:
    """Whether the text has a ``host`` tree (True when it does not parse: the planner refuses that edit)."""
    try:
        return "host" in toml_blocks.parse_toml(text, Path(HOSTS_FILE))
    except ConfigError:
        return True
