"""containers-registries.conf v2 (podman, CRI-O, skopeo, buildah): ``[[registry]]`` and
``[[registry.mirror]]`` (containers-registries.conf(5)).

A mirror's ``location`` has no scheme (containers/image refuses one); an ``http://`` mirror
becomes ``insecure = true``. Edits are block-level text edits checked by re-parsing, so
comments and order survive; a disabled mirror is its block commented out. Drop-ins in
``registries.conf.d`` are shown read-only, since they override the main file.
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit

from regtui.core import fileio
from regtui.core.errors import ConfigError
from regtui.core.mirrors import textstyle, toml_blocks
from regtui.core.mirrors.model import Mirror, MirrorSet, validate_mirror_url
from regtui.core.mirrors.ops import Add, MirrorOp, Move, ReplaceUrl, Runtime
from regtui.core.mirrors.planner import UNSAFE, UNSAFE_FIX, BaseBackend, Edited, Meaning
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
    return read_text(textstyle.split(fileio.read_snapshot(path).text or "")[0], path)


def read_text(text: str, path: Path) -> list[MirrorSet]:
    """Every registry's mirror set in ``text`` (no BOM, LF); a ConfigError with the file when it is not valid."""
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
        warnings: tuple[str, ...] = ()
        for m in registry.get("mirror", []):  # `mirror = [{...}]` inside the [[registry]] table
            mirrors.append(
                Mirror(
                    m.get("location", ""), True, (), None, (), False, bool(m.get("insecure")), m.get("pull-from-mirror")
                )
            )
            warnings += (f"{mirrors[-1].url} is an inline table: regtui shows it but edits [[registry.mirror]] only",)
        if registry.get("blocked"):
            warnings += ("blocked = true: direct pulls fail, but mirrors still serve",)
        sets.append(
            MirrorSet(
                Runtime.PODMAN, _prefix(registry), tuple(mirrors), path, registry.get("location"), ACTIVATION, warnings
            )
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


def _location(url: str) -> str:
    parts = urlsplit(url) if "://" in url else urlsplit("//" + url)
    return (parts.netloc + parts.path).rstrip("/")


def _with_scheme(url: str) -> str:
    return validate_mirror_url(url if "://" in url else "https://" + url)


class RegistriesConfBackend(BaseBackend):
    """One registry's ``[[registry.mirror]]`` tables in registries.conf; a disabled one is commented out."""

    runtime = Runtime.PODMAN
    activation = ACTIVATION

    def __init__(self, path: Path, registry: str) -> None:
        self.path = path
        self.registry = self.label = (
            HUB_DISPLAY if is_hub(registry) else registry_key(registry) if "/" not in registry else registry
        )

    def key(self, url: str) -> str:
        return _location(url.strip())

    def new_mirror(self, url: str) -> Mirror:
        full = _with_scheme(url)
        return Mirror(_location(full), insecure=full.startswith("http://"))

    def retarget(self, mirror: Mirror, url: str) -> Mirror:
        full = _with_scheme(url)
        insecure = mirror.insecure if "://" not in url else full.startswith("http://")
        return dataclasses.replace(mirror, url=_location(full), insecure=insecure)

    def _group(self, lines: list[str], sets: list[MirrorSet]) -> list[toml_blocks.Block] | None:
        return next((g for g, s in zip(_groups(lines), sets, strict=True) if s.registry == self.registry), None)

    def meaning(self, text: str, disabled: list[dict[str, Any]]) -> Meaning:
        sets = read_text(text, self.path)
        data = toml_blocks.parse_toml(text, self.path)
        entries = _registries(data, self.path)
        target = next((e for e in entries if _prefix(e) == self.registry), None)
        mine = next((s for s in sets if s.registry == self.registry), None)
        mirrors = mine.mirrors if mine else ()
        # What containers/image reads (tomllib) must be what the blocks say, in the same order.
        real = [self.key(m.get("location", "")) for m in (target or {}).get("mirror", [])]
        seen = [self.key(m.url) for m in mirrors if m.enabled]
        others = [e for e in entries if e is not target]
        own = {k: v for k, v in target.items() if k != "mirror"} if target else None
        top = {k: v for k, v in data.items() if k != "registry"}
        lines = text.splitlines(keepends=True)
        group = self._group(lines, sets) or []
        details = {self.key(m.get("location", "")): m for m in (_location_of(lines, b, self.path) for b in group[1:])}
        return Meaning(mirrors, (top, others, own, None if real == seen else (real, seen)), details)

    def edit(self, text: str, op: MirrorOp, before: Meaning, wanted: tuple[Mirror, ...]) -> Edited:
        lines = text.splitlines(keepends=True)
        group = self._group(lines, read_text(text, self.path))
        if isinstance(op, Add):
            block = _mirror_block(("http://" if wanted[-1].insecure else "https://") + wanted[-1].url)
            if group is not None:
                end = group[-1].end
                return Edited("".join(lines[:end] + ["\n", *block.splitlines(keepends=True)] + lines[end:]))
            name = json.dumps(self.registry)
            new = f"[[registry]]\nprefix = {name}\nlocation = {name}\n\n" + block
            top, others, _, mismatch = cast(tuple[object, object, object, object], before.rest)
            own = {"prefix": self.registry, "location": self.registry}
            return Edited(toml_blocks.append(text, new), new_rest=((top, others, own, mismatch),))
        if group is None or len(group) - 1 != len(before.mirrors):
            raise ConfigError(UNSAFE, path=self.path, fix=UNSAFE_FIX)
        index = next(i for i, m in enumerate(before.mirrors) if self.key(m.url) == self.key(op.url))
        slots = group[1:]
        if isinstance(op, Move):
            order = {self.key(m.url): i for i, m in enumerate(wanted)}
            places = sorted(range(len(slots)), key=lambda i: order.get(self.key(before.mirrors[i].url), i))
            return Edited("".join(toml_blocks.permute(lines, slots, [slots[i] for i in places])))
        if isinstance(op, ReplaceUrl):
            return Edited("".join(_retarget(lines, slots[index], before.mirrors[index], wanted[index])))
        return Edited("".join(toml_blocks.apply_to_block(lines, slots[index], op)))


_LOCATION = re.compile(r"""^(\s*location\s*=\s*)("(?:[^"\\]|\\.)*"|'[^']*')""")
_INSECURE = re.compile(r"^(\s*insecure\s*=\s*)(true|false)")


def _retarget(lines: list[str], block: toml_blocks.Block, old: Mirror, new: Mirror) -> list[str]:
    """The mirror's ``location`` line names the new place; ``insecure`` follows the new URL's scheme."""
    lines = toml_blocks.rewrite(lines, block, _LOCATION, json.dumps(new.url))
    if new.insecure == old.insecure:
        return lines
    if any(_INSECURE.match(line.removeprefix(toml_blocks.DISABLED)) for line in lines[block.start : block.end]):
        return toml_blocks.rewrite(lines, block, _INSECURE, json.dumps(new.insecure))
    prefix = toml_blocks.DISABLED if block.disabled else ""
    at = next(
        (i + 1 for i in range(block.start, block.end) if _LOCATION.match(lines[i].removeprefix(prefix))), block.end
    )
    return [*lines[:at], f"{prefix}insecure = true\n", *lines[at:]]
