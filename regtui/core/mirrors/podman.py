"""containers-registries.conf v2 (podman, CRI-O, skopeo, buildah): ``[[registry]]`` and
``[[registry.mirror]]`` (containers-registries.conf(5)).

A mirror's ``location`` has no scheme (containers/image refuses one); an ``http://`` mirror
becomes ``insecure = true``. Edits are block-level text edits checked by re-parsing, so
comments and order survive; a disabled mirror is its block commented out. Drop-ins in
``registries.conf.d`` are shown read-only, since they override the main file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from regtui.core import fileio
from regtui.core.errors import ConfigError, InputError
from regtui.core.mirrors import textstyle, toml_blocks
from regtui.core.mirrors.model import FileChange, Mirror, MirrorSet, Plan, validate_mirror_url
from regtui.core.registry_names import HUB_DISPLAY, is_hub, registry_key

ACTIVATION = "nothing for podman and skopeo (read per command); CRI-O: systemctl reload crio"
DROP_IN_DIRS = (Path("/etc/containers/registries.conf.d"),)


def _registries(data: dict[str, Any], path: Path) -> list[dict[str, Any]]:
    if "registries" in data and isinstance(data["registries"], dict):
        if "registry" in data:
            raise ConfigError(
                "mixing sysregistry v1 and v2 is not supported",
                path=path,
                fix="move the [registries.*] lists into [[registry]] tables",
            )
        raise ConfigError(
            "this is the deprecated v1 format ([registries.search] ...), which has no mirrors",
            path=path,
            fix="convert it to v2 [[registry]] tables",
        )
    registries = data.get("registry", [])
    if not isinstance(registries, list) or not all(isinstance(e, dict) for e in registries):
        raise ConfigError("`registry` must be an array of tables ([[registry]])", path=path)
    for entry in registries:
        _strings(entry, ("prefix", "location"), path, "[[registry]]")
        mirrors = entry.get("mirror", [])
        if not isinstance(mirrors, list) or not all(isinstance(m, dict) for m in mirrors):
            raise ConfigError("`mirror` must be an array of tables ([[registry.mirror]])", path=path)
        for mirror in mirrors:
            _check_mirror(mirror, path)
    return registries


def _strings(table: dict[str, Any], keys: tuple[str, ...], path: Path, where: str) -> None:
    for key in keys:
        if key in table and not isinstance(table[key], str):
            raise ConfigError(f"{where} {key} must be a string", path=path)


def _check_mirror(mirror: dict[str, Any], path: Path) -> None:
    _strings(mirror, ("location", "pull-from-mirror"), path, "[[registry.mirror]]")
    location = mirror.get("location", "")
    if "://" in location:
        raise ConfigError(f"invalid location {location!r}: URI schemes are not supported", path=path)


def _prefix(entry: dict[str, Any]) -> str:
    return str(entry.get("prefix") or entry.get("location", ""))


def _groups(lines: list[str]) -> list[list[toml_blocks.Block]]:
    """Each [[registry]] block with the [[registry.mirror]] blocks (enabled or not) that follow it."""
    groups: list[list[toml_blocks.Block]] = []
    for block in toml_blocks.blocks(lines):
        header = block.header.split("#")[0].strip()
        if header == "[[registry]]":
            groups.append([block])
        elif header == "[[registry.mirror]]" and groups:
            groups[-1].append(block)
        elif groups and not block.disabled:
            groups.append([])  # another table ends the registry's group
    return [g for g in groups if g]


def _location_of(lines: list[str], block: toml_blocks.Block, path: Path) -> dict[str, Any]:
    text = toml_blocks.block_text(lines, block)
    data = toml_blocks.parse_toml(text.replace("[[registry.mirror]]", "[[mirror]]", 1), path)
    found = data.get("mirror", [{}])
    mirror = found[0] if isinstance(found, list) and found and isinstance(found[0], dict) else {}
    _check_mirror(mirror, path)
    return mirror


def read(path: Path) -> list[MirrorSet]:
    snapshot = fileio.read_snapshot(path)
    text = snapshot.text or ""
    _registries(toml_blocks.parse_toml(text, path), path)
    lines = text.splitlines(keepends=True)
    sets = []
    for group in _groups(lines):
        found = toml_blocks.parse_toml(toml_blocks.block_text(lines, group[0]), path).get("registry")
        if not isinstance(found, list) or not found or not isinstance(found[0], dict):
            raise ConfigError(f"cannot read the [[registry]] table at line {group[0].start + 1}", path=path)
        registry = found[0]
        _strings(registry, ("prefix", "location"), path, "[[registry]]")
        mirrors = []
        for block in group[1:]:
            m = _location_of(lines, block, path)
            mirrors.append(
                Mirror(
                    m.get("location", ""),
                    not block.disabled,
                    insecure=bool(m.get("insecure")),
                    pull_from_mirror=m.get("pull-from-mirror"),
                )
            )
        warnings = ("blocked = true: direct pulls fail, but mirrors still serve",) if registry.get("blocked") else ()
        sets.append(
            MirrorSet("podman", _prefix(registry), tuple(mirrors), path, registry.get("location"), ACTIVATION, warnings)
        )
    return sets


def read_drop_ins(main: Path) -> list[MirrorSet]:
    """Drop-ins apply on top of the main file: shown, never edited."""
    dirs = [*DROP_IN_DIRS, main.parent / "registries.conf.d"]
    found = []
    for directory in dict.fromkeys(dirs):
        if not directory.is_dir():
            continue
        for file in sorted(directory.glob("*.conf")):
            try:
                sets = read(file)
            except ConfigError as exc:
                found.append(MirrorSet("podman", "?", (), file, warnings=(exc.render(),), read_only=True))
                continue
            for s in sets:
                found.append(
                    MirrorSet(
                        s.runtime,
                        s.registry,
                        s.mirrors,
                        s.source,
                        s.upstream,
                        s.activation,
                        s.warnings + (f"drop-in: overrides {main} for {s.registry}",),
                        True,
                    )
                )
    return found


def _mirror_block(url: str) -> str:
    parts = urlsplit(url)
    location = parts.netloc + parts.path.rstrip("/")
    block = f"[[registry.mirror]]\nlocation = {json.dumps(location)}\n"
    return block + ("insecure = true\n" if parts.scheme == "http" else "")


def _same(location: str, url: str) -> bool:
    parts = urlsplit(url) if "://" in url else urlsplit("//" + url)
    return location.rstrip("/") == (parts.netloc + parts.path).rstrip("/")


def plan(path: Path, action: str, url: str, registry: str) -> Plan:
    snapshot = fileio.read_snapshot(path)
    text, style = textstyle.split(snapshot.text or "")
    before_sets = read(path)
    name = HUB_DISPLAY if is_hub(registry) else registry_key(registry) if "/" not in registry else registry
    lines = text.splitlines(keepends=True)
    group = next((g for g, s in zip(_groups(lines), before_sets, strict=True) if s.registry == name), None)
    target = None
    if group is not None:
        target = next((b for b in group[1:] if _same(_location_of(lines, b, path).get("location", ""), url)), None)
    if action == "add":
        url = validate_mirror_url(url if "://" in url else "https://" + url)
        if target is not None:
            raise InputError(f"{url} is already a mirror of {name} in {path}")
        if group is None:
            new = f"[[registry]]\nprefix = {json.dumps(name)}\nlocation = {json.dumps(name)}\n\n" + _mirror_block(url)
            new_text = toml_blocks.append(text, new)
        else:
            end = group[-1].end
            insert = ["\n"] + _mirror_block(url).splitlines(keepends=True)
            new_text = "".join(lines[:end] + insert + lines[end:])
    else:
        if target is None:
            raise InputError(f"{url} is not a mirror of {name} in {path}", fix="regtui mirrors list --runtime podman")
        if action == "remove":
            new_text = "".join(toml_blocks.remove(lines, target))
        elif action == "disable" and not target.disabled:
            new_text = "".join(toml_blocks.disable(lines, target))
        elif action == "enable" and target.disabled:
            new_text = "".join(toml_blocks.enable(lines, target))
        else:
            raise InputError(f"{url} is already {action}d")
    _check(new_text, path, name, url, action, before_sets)
    change = FileChange(path, snapshot.text, style.restore(new_text), ACTIVATION, snapshot.digest)
    return Plan("podman", f"{action} mirror {url} for {name} in {path}", (change,))


def _check(text: str, path: Path, name: str, url: str, action: str, before: list[MirrorSet]) -> None:
    """Parse the new text and prove the registry's enabled mirrors are exactly what was meant."""
    try:
        registries = _registries(toml_blocks.parse_toml(text, path), path)
    except ConfigError as exc:
        raise ConfigError("regtui could not edit this file safely; nothing was written", path=path) from exc
    entry = next((r for r in registries if _prefix(r) == name), {})
    got = sorted(m.get("location", "") for m in entry.get("mirror", []))
    old = next((s for s in before if s.registry == name), None)
    kept = [m.url for m in old.mirrors if m.enabled and not _same(m.url, url)] if old else []
    if action in ("add", "enable"):
        added = next(g for g in got if _same(g, url)) if any(_same(g, url) for g in got) else None
        expected = sorted([*kept, added]) if added else None
    else:
        expected = sorted(kept)
    if got != expected:
        raise ConfigError("regtui could not edit this file safely; nothing was written", path=path)
