"""Docker's daemon.json: ``registry-mirrors`` (Docker Hub only) and ``insecure-registries``.

Validation follows the daemon (moby/moby daemon/pkg/registry/config.go ValidateMirror); edits touch only the array they
change (jsonspan), so every other byte of the file survives. Clearing writes ``[]``, since
a reload keeps the old mirrors when the key is missing. A disabled mirror is kept in
regtui's state with its position and the array text, so enabling it restores the file.
"""

from __future__ import annotations

import json
from pathlib import Path

from regtui.core import fileio
from regtui.core.errors import ConfigError, InputError
from regtui.core.mirrors import jsonspan, textstyle, toml_blocks
from regtui.core.mirrors.model import FileChange, LoadedFile, Mirror, MirrorSet, Plan, validate_mirror_url
from regtui.core.registry_names import HUB_DISPLAY, HUB_REGISTRY_URL, is_hub
from regtui.core.settings import State

KEY = "registry-mirrors"
ACTIVATION = "systemctl reload docker (dockerd re-reads registry-mirrors on SIGHUP)"


class DaemonJson(LoadedFile):
    @property
    def mirrors(self) -> list[str]:
        return list(self.data.get(KEY, []))


def _line_of(text: str, key: str) -> int | None:
    index = text.find(json.dumps(key))
    return text.count("\n", 0, index) + 1 if index >= 0 else None


def load(path: Path) -> DaemonJson:
    snapshot = fileio.read_snapshot(path)
    text = snapshot.text or ""
    if not text.strip():
        return DaemonJson(snapshot, {})
    data = parse(text, path)
    if not isinstance(data, dict):
        raise ConfigError("the top level must be a JSON object", path=path, line=1)
    for key in (KEY, "insecure-registries"):
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(
                f"`{key}` must be an array of strings",
                path=path,
                line=_line_of(text, key),
                fix="correct it by hand; dockerd would refuse to start with it",
            )
    return DaemonJson(snapshot, data)


def parse(text: str, path: Path) -> object:
    """json.loads for a hostile file: every failure is a ConfigError naming the file (and line)."""
    fix = "fix the file by hand (regtui never rewrites a file it cannot parse)"
    body, _ = textstyle.split(text)
    try:
        return json.loads(body)
    except json.JSONDecodeError as exc:
        raise ConfigError(
            f"is not valid JSON: {exc.msg}", path=path, line=exc.lineno, column=exc.colno, fix=fix
        ) from exc
    except RecursionError as exc:
        raise ConfigError("is nested too deeply to be a daemon.json", path=path, fix=fix) from exc
    except ValueError as exc:  # an integer past Python's digit limit (sys.set_int_max_str_digits)
        raise ConfigError(
            f"holds a number too long to read ({str(exc).split(';')[0]})",
            path=path,
            line=toml_blocks.long_number_line(text),
            fix=fix,
        ) from exc


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
    disabled = state.disabled(daemon.path, HUB_DISPLAY)
    mirrors = [Mirror(url) for url in daemon.mirrors]
    for entry in sorted(disabled, key=lambda e: e["position"]):
        mirrors.insert(min(entry["position"], len(mirrors)), Mirror(entry["url"], enabled=False))
    warnings = _warnings(daemon)
    if daemon.data.get("insecure-registries"):
        warnings += ("insecure-registries: " + ", ".join(daemon.data["insecure-registries"]),)
    return [MirrorSet("docker", HUB_DISPLAY, tuple(mirrors), daemon.path, HUB_REGISTRY_URL, ACTIVATION, warnings)]


def _same(a: str, b: str) -> bool:
    return a.rstrip("/") == b.rstrip("/")


def plan(daemon: DaemonJson, state: State, action: str, url: str, registry: str = HUB_DISPLAY) -> Plan:
    """The change ``action`` (add|remove|enable|disable) makes; nothing is written here."""
    if not is_hub(registry):
        raise InputError(
            f"Docker's registry-mirrors apply to Docker Hub only, not {registry}",
            fix="for other registries use --runtime containerd (hosts.toml; Docker's containerd "
            "image store reads /etc/docker/certs.d/<host>/hosts.toml too)",
        )
    current = daemon.mirrors
    disabled = state.disabled(daemon.path, HUB_DISPLAY)
    index = next((i for i, m in enumerate(current) if _same(m, url)), None)
    parked = next((e for e in disabled if _same(e["url"], url)), None)
    text, style = textstyle.split(daemon.text)
    values, new_disabled = list(current), list(disabled)
    if action == "add":
        url = validate_mirror_url(url)
        if index is not None or parked is not None:
            raise InputError(
                f"{url} is already a Docker Hub mirror in {daemon.path}"
                + (" (disabled: regtui mirrors enable)" if parked else "")
            )
        values.append(url)
    elif action == "remove":
        if index is None and parked is None:
            raise InputError(f"{url} is not a mirror in {daemon.path}", fix="regtui mirrors list --runtime docker")
        if index is not None:
            values.pop(index)
        elif parked is not None:
            new_disabled.remove(parked)
    elif action == "disable":
        if index is None:
            raise InputError(f"{url} is not an enabled mirror in {daemon.path}")
        values.pop(index)
    elif action == "enable":
        if parked is None:
            raise InputError(f"{url} is not a disabled mirror", fix="regtui mirrors list --runtime docker")
        new_disabled.remove(parked)
        values.insert(min(parked["position"], len(values)), parked["url"])
    else:
        raise InputError(f"unknown action {action}")

    new_text = jsonspan.set_array(text, KEY, values)
    span = jsonspan.value_span(new_text, KEY)
    array_now = new_text[span[0] : span[1]] if span else ""
    if action == "enable" and parked is not None and parked.get("array_after") == _array_text(text):
        restored = _restore_array(text, parked["array_before"])
        new_text = restored if _means(restored, daemon.path) == values else new_text
    if action == "disable" and index is not None:
        new_disabled.append(
            {"url": current[index], "position": index, "array_before": _array_text(text), "array_after": array_now}
        )
    if _means(new_text, daemon.path) != values:  # the text edit must mean exactly this
        raise ConfigError("regtui could not edit registry-mirrors safely; nothing was written", path=daemon.path)
    summary = f"{action} Docker Hub mirror {url}"
    new_text = style.restore(new_text)
    change = FileChange(daemon.path, daemon.snapshot.text, new_text, ACTIVATION, daemon.snapshot.digest)
    return Plan("docker", summary, (change,), {"disabled": (str(daemon.path), HUB_DISPLAY, new_disabled)})


def _means(text: str, path: Path) -> object:
    try:
        data = parse(text, path)
    except ConfigError:
        return None
    return data.get(KEY) if isinstance(data, dict) else None


def _array_text(text: str) -> str | None:
    span = jsonspan.value_span(text, KEY) if text.strip() else None
    return text[span[0] : span[1]] if span else None


def _restore_array(text: str, array_text: str | None) -> str:
    span = jsonspan.value_span(text, KEY)
    if span is None or array_text is None:
        return text
    return text[: span[0]] + array_text + text[span[1] :]
