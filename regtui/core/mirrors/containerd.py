"""containerd: config.toml (version, config_path, the legacy mirrors table) and its hosts dir.

The CRI registry table depends on the file's ``version`` (2: ``io.containerd.grpc.v1.cri``,
3: ``io.containerd.cri.v1.images``). With ``config_path``, mirrors live in hosts.toml files
(no restart). Without it, the deprecated ``registry.mirrors`` table is edited through
tomlkit, so comments and order survive; a restart is needed. regtui never sets both.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from regtui.core import fileio
from regtui.core.errors import ConfigError, InputError
from regtui.core.mirrors import hosts_dir, planner, toml_blocks
from regtui.core.mirrors.model import FileChange, LoadedFile, MirrorSet, Plan
from regtui.core.mirrors.ops import Add, MirrorOp, Runtime
from regtui.core.mirrors.parked import ListBackend, with_parked
from regtui.core.mirrors.textstyle import split
from regtui.core.paths import containerd_certs_d_override
from regtui.core.registry_names import HUB_DISPLAY, is_hub, registry_key
from regtui.core.settings import State

CRI_TABLE = {2: "io.containerd.grpc.v1.cri", 3: "io.containerd.cri.v1.images"}
DEFAULT_HOSTS_DIR = Path("/etc/containerd/certs.d")
RESTART = "systemctl restart containerd (config.toml is read at start only)"


@dataclass
class ContainerdConfig(LoadedFile):
    warnings: list[str] = field(default_factory=list)

    @property
    def version(self) -> int | None:
        value = self.data.get("version")
        return value if isinstance(value, int) else None

    @property
    def cri(self) -> str:
        return CRI_TABLE.get(self.version or 2, CRI_TABLE[2])

    @property
    def registry_table(self) -> dict[str, Any]:
        return _table(self.data, "plugins", self.cri, "registry")

    @property
    def config_path(self) -> str:
        value = self.registry_table.get("config_path", "")
        return value if isinstance(value, str) else ""

    @property
    def legacy(self) -> dict[str, list[str]]:
        mirrors = _table(self.registry_table, "mirrors")
        return {
            reg: list(t.get("endpoint", []))
            for reg, t in mirrors.items()
            if isinstance(t, dict) and isinstance(t.get("endpoint", []), list)
        }


def _table(data: dict[str, Any], *keys: str) -> dict[str, Any]:
    """``data[k1][k2]…``, or {} when a key is missing or names something other than a table."""
    for key in keys:
        data = data.get(key, {}) if isinstance(data, dict) else {}
    return data if isinstance(data, dict) else {}


def load(path: Path) -> ContainerdConfig:
    snapshot = fileio.read_snapshot(path)
    return _checked(ContainerdConfig(snapshot, toml_blocks.parse_toml(split(snapshot.text or "")[0], path)))


def load_text(text: str, path: Path) -> ContainerdConfig:
    """The config ``text`` (no BOM, LF) means, checked as ``load`` checks a file."""
    return _checked(ContainerdConfig(fileio.FileSnapshot(path, path, text, None), toml_blocks.parse_toml(text, path)))


def _checked(config: ContainerdConfig) -> ContainerdConfig:
    path, text, snapshot = config.path, config.text, config.snapshot
    if snapshot.exists and text.strip() and config.version is None:
        config.warnings.append(
            "no `version` line: containerd reads this file as version 1 and ignores every "
            f'plugins."{CRI_TABLE[2]}" key in it; add `version = 2` at the top'
        )
    if config.version == 3 and config.legacy:
        config.warnings.append("version 3 has no registry.mirrors table: use config_path and hosts.toml")
    for registry, table in _table(config.registry_table, "mirrors").items():
        endpoints = table.get("endpoint", []) if isinstance(table, dict) else None
        if not isinstance(endpoints, list) or not all(isinstance(e, str) for e in endpoints):
            raise ConfigError(f'mirrors."{registry}".endpoint must be an array of strings', path=path)
    if config.legacy:
        config.warnings.append(
            "registry.mirrors is deprecated: containerd prefers config_path with hosts.toml "
            "files (no restart needed for those)"
        )
    if ":" in config.config_path:
        config.warnings.append(
            f"config_path {config.config_path!r} holds several directories: containerd 2.1+'s "
            "transfer service ignores such a path (containerd#12415); use one directory"
        )
    if config.config_path and config.legacy:
        config.warnings.append(
            "`mirrors` and `config_path` are both set: containerd's CRI plugin refuses to load "
            '("`mirrors` cannot be set when `config_path` is provided")'
        )
    return config


def hosts_root(config: ContainerdConfig) -> Path:
    override = containerd_certs_d_override()
    if override:
        return override
    if config.config_path:
        return Path(config.config_path.split(":")[0])
    return DEFAULT_HOSTS_DIR


def uses_hosts_dir(config: ContainerdConfig) -> bool:
    return bool(config.config_path or containerd_certs_d_override() or not config.legacy)


def mirror_sets(config: ContainerdConfig, state: State) -> list[MirrorSet]:
    sets = []
    warnings = tuple(config.warnings)
    for registry, endpoints in config.legacy.items():
        mirrors = with_parked(endpoints, state.disabled(config.path, registry))
        sets.append(MirrorSet(Runtime.CONTAINERD, registry, mirrors, config.path, None, RESTART, warnings))
    for found in hosts_dir.read_all(hosts_root(config), "containerd"):
        sets.append(
            MirrorSet(
                found.runtime,
                found.registry,
                found.mirrors,
                found.source,
                found.upstream,
                found.activation,
                found.warnings + warnings,
            )
        )
    return sets


def plan(config: ContainerdConfig, state: State, op: MirrorOp, registry: str) -> Plan:
    """The verified change ``op`` makes: in the hosts dir's hosts.toml, or in the deprecated mirrors table."""
    name = HUB_DISPLAY if is_hub(registry) else registry_key(registry)
    if not uses_hosts_dir(config):
        return planner.plan(LegacyBackend(config.path, name), op, state)
    root = hosts_root(config)
    inner = planner.plan(hosts_dir.HostsTomlBackend(root, name, Runtime.CONTAINERD), op, state)
    if isinstance(op, Add) and config.snapshot.exists and not config.config_path and not containerd_certs_d_override():
        return Plan(Runtime.CONTAINERD, inner.summary, (_set_config_path(config, root), *inner.changes))
    return inner


def _set_config_path(config: ContainerdConfig, root: Path) -> FileChange:
    """Point the CRI plugin at the hosts dir (needs a restart); refuse on a file without a version."""
    if config.version is None:
        raise InputError(
            f"{config.path} has no `version` line, so containerd would ignore a config_path in it",
            fix="add `version = 2` at the top of the file (check the rest of it still means what "
            "you want), then run this again",
        )
    plain, style = split(config.text)
    doc = toml_blocks.edit_toml(plain, config.path)
    try:
        table = doc["plugins"][config.cri]["registry"]
        table["config_path"] = str(root)
        text = doc.as_string()
    except Exception:  # noqa: BLE001 - no such table (or not a table): add one; the check below decides
        block = f'[plugins."{config.cri}".registry]\n  config_path = {json.dumps(str(root))}\n'
        text = toml_blocks.append(plain, block)
    try:
        after = load_text(text, config.path)
    except ConfigError:
        after = None
    if (
        after is None
        or after.config_path != str(root)
        or _without(after.data, config.cri, "config_path") != _without(config.data, config.cri, "config_path")
    ):
        raise ConfigError("regtui could not set config_path safely; nothing was written", path=config.path)
    return FileChange(config.path, config.snapshot.text, style.restore(text), RESTART, config.snapshot.digest)


def _without(data: dict[str, Any], cri: str, *path: str) -> dict[str, Any]:
    """A copy of ``data`` without ``plugins.<cri>.registry.<path…>``, and without the tables that leaves empty."""
    keys = ["plugins", cri, "registry", *path]
    copy = dict(data)
    chain = [copy]
    for key in keys[:-1]:
        inner = chain[-1].get(key)
        if not isinstance(inner, dict):
            return copy
        chain[-1][key] = dict(inner)
        chain.append(chain[-1][key])
    chain[-1].pop(keys[-1], None)
    for parent, key in zip(reversed(chain[:-1]), reversed(keys[:-1]), strict=True):
        if parent.get(key) == {}:
            del parent[key]
    return copy


class LegacyBackend(ListBackend):
    """One registry's ``endpoint`` list in the deprecated ``registry.mirrors`` table (edited with tomlkit)."""

    runtime = Runtime.CONTAINERD
    activation = RESTART

    def __init__(self, path: Path, registry: str) -> None:
        self.path, self.registry, self.label = path, registry, registry

    def values(self, text: str) -> tuple[list[str], object]:
        config = load_text(text, self.path)
        rest = _without(config.data, config.cri, "mirrors", self.registry, "endpoint")
        return config.legacy.get(self.registry, []), rest

    def _endpoint(self, doc: Any, cri: str) -> Any:
        mirrors = doc["plugins"][cri]["registry"]["mirrors"]
        return mirrors[self.registry].get("endpoint") if self.registry in mirrors else None

    def write(self, text: str, values: list[str]) -> str:
        cri = load_text(text, self.path).cri
        try:
            doc = toml_blocks.edit_toml(text, self.path)
            endpoint = self._endpoint(doc, cri)
            if endpoint is not None:
                _edit_array(endpoint, values)
                return doc.as_string()
        except ConfigError:
            raise
        except Exception as exc:  # noqa: BLE001 - a table shape tomlkit cannot edit in place
            raise ConfigError(
                f"regtui could not edit registry.mirrors safely ({type(exc).__name__}); nothing was written",
                path=self.path,
                fix="make the change by hand",
            ) from exc
        block = f'[plugins."{cri}".registry.mirrors.{json.dumps(self.registry)}]\n  endpoint = {json.dumps(values)}\n'
        return toml_blocks.append(text, block)

    def list_text(self, text: str) -> str | None:
        try:
            endpoint = self._endpoint(toml_blocks.edit_toml(text, self.path), load_text(text, self.path).cri)
        except Exception:  # noqa: BLE001 - no list to restore: enabling writes the list instead
            return None
        return str(endpoint.as_string()) if endpoint is not None else None

    def restore(self, text: str, before: str | None, after: str) -> str | None:
        return text.replace(after, before or "") if text.count(after) == 1 else None


def _edit_array(endpoint: Any, values: list[str]) -> None:
    """Turn the tomlkit array into ``values`` by deleting, assigning and inserting items, so its spacing survives."""
    current = [str(v) for v in endpoint]
    if len(current) == len(values):  # a move or a new URL: assigned in place, each item keeps its spacing
        for index, (old, new) in enumerate(zip(current, values, strict=True)):
            if old != new:
                endpoint[index] = new
        return
    for index in reversed(range(len(current))):
        if current[index] not in values:
            del endpoint[index]
            del current[index]
    for index, value in enumerate(values):
        if index < len(current) and current[index] == value:
            continue
        if value in current[index:]:
            at = current.index(value, index)
            del endpoint[at]
            del current[at]
        endpoint.insert(index, value)
        current.insert(index, value)
