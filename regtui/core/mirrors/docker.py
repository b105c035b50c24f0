"""Docker's daemon.json: ``registry-mirrors`` (Docker Hub only) and ``insecure-registries``.

Validation follows the daemon (moby/moby daemon/pkg/registry/config.go ValidateMirror); edits touch only the array they
change (jsonspan), so every other byte of the file survives. Clearing writes ``[]``, since
a reload keeps the old mirrors when the key is missing. A disabled mirror is kept in
regtui's state with its position and the array text, so enabling it restores the file
(parked.py). The file is read as hostile JSON (core/jsonfile.py).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from regtui.core import fileio, jsonfile
from regtui.core.errors import ConfigError, InputError
from regtui.core.mirrors import jsonspan
from regtui.core.mirrors.model import LoadedFile, MirrorSet, validate_mirror_url
from regtui.core.mirrors.ops import Runtime
from regtui.core.mirrors.parked import ListBackend, with_parked
from regtui.core.mirrors.textstyle import split
from regtui.core.registry_names import HUB_DISPLAY, HUB_REGISTRY_URL, is_hub
from regtui.core.settings import State

KEY = "registry-mirrors"
ACTIVATION = "systemctl reload docker (dockerd re-reads registry-mirrors on SIGHUP)"
FIX = "fix the file by hand (regtui never rewrites a file it cannot parse)"


class DaemonJson(LoadedFile):
    @property
    def mirrors(self) -> list[str]:
        return list(self.data.get(KEY, []))


def _line_of(text: str, key: str) -> int | None:
    index = text.find(json.dumps(key))
    return text.count("\n", 0, index) + 1 if index >= 0 else None


def parse(text: str, path: Path) -> dict[str, Any]:
    """The daemon.json ``text`` (no BOM) as dockerd would read it; every problem a ConfigError with file:line:col."""
    if not text.strip():
        return {}
    data = jsonfile.loads(text, path, fix=FIX)
    if not isinstance(data, dict):
        raise ConfigError("the top level must be a JSON object", path=path, line=1, fix=FIX)
    for key in (KEY, "insecure-registries"):
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(
                f"`{key}` must be an array of strings",
                path=path,
                line=_line_of(text, key),
                fix="correct it by hand; dockerd would refuse to start with it",
            )
    return data


def load(path: Path) -> DaemonJson:
    snapshot = fileio.read_snapshot(path)
    return DaemonJson(snapshot, parse(split(snapshot.text or "")[0], path))


def _warnings(daemon: DaemonJson) -> tuple[str, ...]:
    found, seen = [], set()
    for url in daemon.mirrors:
        try:
            validate_mirror_url(url)
        except InputError as exc:
            found.append(f"{exc.what}: dockerd would refuse to start")
        key = url.rstrip("/")
        if key in seen:
            found.append(f"{url} is listed twice")
        seen.add(key)
    return tuple(found)


def mirror_sets(daemon: DaemonJson, state: State) -> list[MirrorSet]:
    mirrors = with_parked(daemon.mirrors, state.disabled(daemon.path, HUB_DISPLAY))
    warnings = _warnings(daemon)
    if daemon.data.get("insecure-registries"):
        warnings += ("insecure-registries: " + ", ".join(daemon.data["insecure-registries"]),)
    return [MirrorSet(Runtime.DOCKER, HUB_DISPLAY, mirrors, daemon.path, HUB_REGISTRY_URL, ACTIVATION, warnings)]


class DaemonJsonBackend(ListBackend):
    """``registry-mirrors`` of one daemon.json: Docker Hub's mirrors, in try order."""

    runtime = Runtime.DOCKER
    registry = HUB_DISPLAY
    label = "Docker Hub"
    activation = ACTIVATION

    def __init__(self, path: Path, registry: str = HUB_DISPLAY) -> None:
        if not is_hub(registry):
            raise InputError(
                f"Docker's registry-mirrors apply to Docker Hub only, not {registry}",
                fix="for other registries use --runtime containerd (hosts.toml; Docker's containerd "
                "image store reads /etc/docker/certs.d/<host>/hosts.toml too)",
            )
        self.path = path

    def values(self, text: str) -> tuple[list[str], object]:
        data = parse(text, self.path)
        return list(data.get(KEY, [])), {k: v for k, v in data.items() if k != KEY}

    def write(self, text: str, values: list[str]) -> str:
        return jsonspan.set_array(text, KEY, values)

    def list_text(self, text: str) -> str | None:
        span = jsonspan.value_span(text, KEY) if text.strip() else None
        return text[span[0] : span[1]] if span else None

    def restore(self, text: str, before: str | None, after: str) -> str | None:
        span = jsonspan.value_span(text, KEY) if text.strip() else None
        if span is None or before is None:
            return None
        return text[: span[0]] + before + text[span[1] :]
