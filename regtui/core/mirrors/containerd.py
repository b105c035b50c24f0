"""containerd: config.toml (version, config_path, the legacy mirrors table) and its hosts dir.

The CRI registry table depends on the file's ``version`` (2: ``io.containerd.grpc.v1.cri``,
3: ``io.containerd.cri.v1.images``). With ``config_path``, mirrors live in hosts.toml files
(no restart). Without it, the deprecated ``registry.mirrors`` table is edited through
tomlkit, so comments and order survive; a restart is needed. regtui never sets both.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from regtui.core import fileio
from regtui.core.errors import ConfigError, InputError
from regtui.core.mirrors import hosts_dir, textstyle, toml_blocks
from regtui.core.mirrors.model import FileChange, LoadedFile, Mirror, MirrorSet, Plan, validate_mirror_url
from regtui.core.paths import containerd_certs_d_override
from regtui.core.registry_names import HUB_DISPLAY, is_hub, registry_key
from regtui.core.settings import State

T = TypeVar("T")

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
    text = snapshot.text or ""
    config = ContainerdConfig(snapshot, toml_blocks.parse_toml(text, path))
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
        mirrors = [Mirror(url) for url in endpoints]
        for entry in sorted(state.disabled(config.path, registry), key=lambda e: e["position"]):
            mirrors.insert(min(entry["position"], len(mirrors)), Mirror(entry["url"], enabled=False))
        sets.append(MirrorSet("containerd", registry, tuple(mirrors), config.path, None, RESTART, warnings))
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


def plan(config: ContainerdConfig, state: State, action: str, url: str, registry: str) -> Plan:
    name = HUB_DISPLAY if is_hub(registry) else registry_key(registry)
    if uses_hosts_dir(config):
        root = hosts_root(config)
        inner = hosts_dir.plan(root, name, action, url, "containerd")
        changes = list(inner.changes)
        if action == "add" and config.snapshot.exists and not config.config_path and not containerd_certs_d_override():
            changes.insert(0, _set_config_path(config, root))
        return Plan("containerd", inner.summary, tuple(changes))
    return _plan_legacy(config, state, action, url, name)


def _set_config_path(config: ContainerdConfig, root: Path) -> FileChange:
    """Point the CRI plugin at the hosts dir (needs a restart); refuse on a file without a version."""
    if config.version is None:
        raise InputError(
            f"{config.path} has no `version` line, so containerd would ignore a config_path in it",
            fix="add `version = 2` at the top of the file (check the rest of it still means what "
            "you want), then run this again",
        )
    plain, style = textstyle.split(config.text)
    doc = toml_blocks.edit_toml(plain, config.path)
    try:
        table = doc["plugins"][config.cri]["registry"]
        table["config_path"] = str(root)
        text = doc.as_string()
    except Exception:  # noqa: BLE001 - no such table (or not a table): add one; the check below decides
        block = f'[plugins."{config.cri}".registry]\n  config_path = {json.dumps(str(root))}\n'
        text = toml_blocks.append(plain, block)
    if _reread(text, config.path, lambda c: c.config_path) != str(root):
        raise ConfigError("regtui could not set config_path safely; nothing was written", path=config.path)
    return FileChange(config.path, config.snapshot.text, style.restore(text), RESTART, config.snapshot.digest)


def load_text(text: str, path: Path) -> ContainerdConfig:
    return ContainerdConfig(fileio.FileSnapshot(path, path, text, None), toml_blocks.parse_toml(text, path))


def _reread(text: str, path: Path, what: Callable[[ContainerdConfig], T]) -> T | None:
    """What the edited text means, or None when it does not parse (regtui's edit went wrong)."""
    try:
        return what(load_text(text, path))
    except ConfigError:
        return None


def _plan_legacy(config: ContainerdConfig, state: State, action: str, url: str, registry: str) -> Plan:
    current = config.legacy.get(registry, [])
    disabled = state.disabled(config.path, registry)
    index = next((i for i, e in enumerate(current) if e.rstrip("/") == url.rstrip("/")), None)
    parked = next((e for e in disabled if e["url"].rstrip("/") == url.rstrip("/")), None)
    if action == "add":
        url = validate_mirror_url(url)
        if index is not None or parked is not None:
            raise InputError(f"{url} is already a mirror of {registry} in {config.path}")
    elif not (
        (action in ("remove", "disable") and index is not None)
        or (action in ("remove", "enable") and parked is not None)
    ):
        raise InputError(
            f"{url} is not {'a disabled' if action == 'enable' else 'a'} mirror of {registry} in {config.path}",
            fix="regtui mirrors list --runtime containerd",
        )
    plain, style = textstyle.split(config.text)
    try:
        text, values, new_disabled = _edit_legacy(config, plain, action, url, registry, index, parked, disabled)
    except ConfigError:
        raise
    except Exception as exc:  # noqa: BLE001 - a table shape tomlkit cannot edit in place
        raise ConfigError(
            f"regtui could not edit registry.mirrors safely ({type(exc).__name__}); nothing was written",
            path=config.path,
            fix="make the change by hand",
        ) from exc
    if _reread(text, config.path, lambda c: c.legacy.get(registry)) != values:
        raise ConfigError("regtui could not edit registry.mirrors safely; nothing was written", path=config.path)
    change = FileChange(config.path, config.snapshot.text, style.restore(text), RESTART, config.snapshot.digest)
    return Plan(
        "containerd",
        f"{action} mirror {url} for {registry} in {config.path} (deprecated mirrors table)",
        (change,),
        {"disabled": (str(config.path), registry, new_disabled)},
    )


def _edit_legacy(  # noqa: PLR0913
    config: ContainerdConfig,
    plain: str,
    action: str,
    url: str,
    registry: str,
    index: int | None,
    parked: dict[str, Any] | None,
    disabled: list[dict[str, Any]],
) -> tuple[str, list[str], list[dict[str, Any]]]:
    """The new text, enabled endpoints and disabled entries; tomlkit edits the array in place.

    The caller has checked that ``index`` (remove, disable) or ``parked`` (remove, enable) is
    set; an assertion failing here becomes "could not edit safely" in the caller."""
    current = config.legacy.get(registry, [])
    doc = toml_blocks.edit_toml(plain, config.path)
    mirrors = doc["plugins"][config.cri]["registry"]["mirrors"]
    values, new_disabled = list(current), list(disabled)
    # Edit the tomlkit array in place (append, del, insert) so its own spacing survives.
    endpoint = mirrors[registry]["endpoint"] if registry in mirrors else None
    before_array = endpoint.as_string() if endpoint is not None else None
    if action == "add":
        values.append(url)
        if endpoint is not None:
            endpoint.append(url)
    elif action in ("remove", "disable") and index is not None:
        assert endpoint is not None  # the mirror is listed, so its table exists
        values.pop(index)
        del endpoint[index]
    elif action == "remove":
        assert parked is not None
        new_disabled.remove(parked)
    else:  # enable
        assert parked is not None
        new_disabled.remove(parked)
        position = min(parked["position"], len(values))
        values.insert(position, parked["url"])
        if endpoint is not None:  # else the table is written anew below, as for add
            endpoint.insert(position, parked["url"])
    if endpoint is not None:
        text = doc.as_string()
    else:
        block = f'[plugins."{config.cri}".registry.mirrors.{json.dumps(registry)}]\n  endpoint = {json.dumps(values)}\n'
        text = toml_blocks.append(plain, block)
    if (
        action == "enable"
        and parked is not None
        and parked.get("array_after")
        and plain.count(parked["array_after"]) == 1
    ):
        restored = plain.replace(parked["array_after"], parked["array_before"] or "")
        if _reread(restored, config.path, lambda c: c.legacy.get(registry)) == values:
            text = restored
    if action == "disable" and index is not None:
        after_doc = toml_blocks.edit_toml(text, config.path)
        after_array = after_doc["plugins"][config.cri]["registry"]["mirrors"][registry]["endpoint"]
        new_disabled.append(
            {
                "url": current[index],
                "position": index,
                "array_before": before_array,
                "array_after": after_array.as_string(),
            }
        )
    return text, values, new_disabled
