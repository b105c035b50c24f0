"""One model for every runtime: registry X is served through mirrors [m1, m2, …], each on or off."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from regtui.core import fileio
from regtui.core.errors import InputError
from regtui.core.mirrors.ops import Runtime

RUNTIMES = tuple(Runtime)


@dataclass(frozen=True)
class Mirror:
    url: str
    enabled: bool = True
    capabilities: tuple[str, ...] = ()  # containerd hosts.toml
    skip_verify: bool | None = None  # containerd hosts.toml
    ca: tuple[str, ...] = ()  # containerd hosts.toml
    override_path: bool = False  # containerd hosts.toml
    insecure: bool = False  # podman
    pull_from_mirror: str | None = None  # podman

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {"url": self.url, "enabled": self.enabled}
        for name in ("capabilities", "skip_verify", "ca", "override_path", "insecure", "pull_from_mirror"):
            value = getattr(self, name)
            if value not in ((), None, False):
                data[name] = list(value) if isinstance(value, tuple) else value
        return data


@dataclass(frozen=True)
class MirrorSet:
    runtime: str
    registry: str
    mirrors: tuple[Mirror, ...]
    source: Path
    upstream: str | None = None  # containerd `server`, podman `location`
    activation: str = ""
    warnings: tuple[str, ...] = field(default=())
    read_only: bool = False  # shown, not edited (podman drop-ins that override)

    def to_json(self) -> dict[str, object]:
        return {
            "runtime": self.runtime,
            "registry": self.registry,
            "source": str(self.source),
            "upstream": self.upstream,
            "mirrors": [m.to_json() for m in self.mirrors],
            "activation": self.activation,
            "warnings": list(self.warnings),
            "read_only": self.read_only,
        }


@dataclass
class LoadedFile:
    """A parsed file and the snapshot it was read from (for the change-on-disk check)."""

    snapshot: fileio.FileSnapshot
    data: dict[str, Any] = field(repr=False)

    @property
    def path(self) -> Path:
        return self.snapshot.path

    @property
    def text(self) -> str:
        return self.snapshot.text or ""


@dataclass(frozen=True)
class FileChange:
    """A planned write: the whole new text of one file, shown as a diff before anything is written."""

    path: Path
    before: str | None = field(repr=False)  # None: the file does not exist yet
    after: str = field(repr=False)
    activation: str
    digest: str | None = None  # the content the plan was made from (the change-on-disk check)

    def diff(self) -> str:
        before = (self.before or "").splitlines(keepends=True)
        after = self.after.splitlines(keepends=True)
        label = str(self.path)
        lines = difflib.unified_diff(
            before, after, f"{label} (now)" if self.before is not None else "/dev/null", f"{label} (after)"
        )
        return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


DisabledUpdate = tuple[str, str, list[dict[str, Any]]]


@dataclass(frozen=True)
class Plan:
    runtime: str
    summary: str
    changes: tuple[FileChange, ...]
    # "disabled": (file, registry, the disabled entries after the change), when they change. A change
    # may touch only these (a disabled daemon.json mirror moved or removed): its file change has before == after.
    state_update: dict[str, DisabledUpdate] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return all(c.before == c.after for c in self.changes) and not self.state_update

    @property
    def state_only(self) -> bool:
        """Only regtui's records of disabled mirrors change; no file is written."""
        return not self.empty and all(c.before == c.after for c in self.changes)


def validate_mirror_url(url: str) -> str:
    """Docker's ValidateMirror (moby/moby daemon/pkg/registry/config.go): http(s), no userinfo, query or fragment."""
    text = url.strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https"):
        raise InputError(
            f"invalid mirror {url!r}: no scheme specified: must use either 'https://' or 'http://'"
            if not parts.scheme
            else f"invalid mirror {url!r}: unsupported scheme {parts.scheme!r}",
            fix="write it as https://mirror.example.com",
        )
    if parts.username or parts.password or "@" in parts.netloc:
        raise InputError(
            f"invalid mirror {url!r}: username/password not allowed in URI",
            fix="configure the mirror's credentials in the credential store instead",
        )
    if parts.query or parts.fragment or text.endswith(("?", "#")):
        raise InputError(f"invalid mirror {url!r}: query or fragment at end of the URI")
    if not parts.hostname:
        raise InputError(f"invalid mirror {url!r}: no host name")
    try:
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError as exc:
        raise InputError(f"invalid mirror {url!r}: bad port") from exc
    return text


@dataclass(frozen=True)
class MirrorHealth:
    url: str
    healthy: bool
    ping_ms: float | None = None
    manifest_ms: float | None = None
    detail: str = ""
    cause: str = ""

    def to_json(self) -> dict[str, object]:
        return {
            "url": self.url,
            "healthy": self.healthy,
            "cause": self.cause or None,
            "detail": self.detail,
            "ping_ms": None if self.ping_ms is None else round(self.ping_ms, 1),
            "manifest_ms": None if self.manifest_ms is None else round(self.manifest_ms, 1),
        }
