"""What a mirror change means, as data: the runtimes, the operations, and an operation applied to the model.

An operation is one of six frozen dataclasses (``MirrorOp``). The planner (``planner.py``)
applies it to a registry's mirrors as read from the file (try order, on or off) and compares
that with what the edited text means before any plan is returned, so an edit that does not
mean exactly this is never written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from regtui.core.errors import InputError


class Runtime(StrEnum):
    """The programs whose mirror files regtui reads and edits."""

    DOCKER = "docker"
    CONTAINERD = "containerd"
    PODMAN = "podman"  # containers-registries.conf(5): podman, skopeo, buildah, CRI-O


class OpKind(StrEnum):
    ADD = "add"
    REMOVE = "remove"
    ENABLE = "enable"
    DISABLE = "disable"
    MOVE = "move"
    SET_URL = "set-url"


@dataclass(frozen=True)
class Add:
    """Add ``url`` last in the try order."""

    url: str
    kind: ClassVar[OpKind] = OpKind.ADD


@dataclass(frozen=True)
class Remove:
    """Remove ``url``, switched on or off."""

    url: str
    kind: ClassVar[OpKind] = OpKind.REMOVE


@dataclass(frozen=True)
class Enable:
    """Switch a disabled ``url`` back on, where it was."""

    url: str
    kind: ClassVar[OpKind] = OpKind.ENABLE


@dataclass(frozen=True)
class Disable:
    """Switch ``url`` off but keep it (in the file as a comment, or in regtui's state)."""

    url: str
    kind: ClassVar[OpKind] = OpKind.DISABLE


@dataclass(frozen=True)
class Move:
    """Move ``url`` in the try order: to index ``to`` (0 is tried first), or by ``to`` places when ``relative``
    (-1: one place earlier). Positions count every mirror of the registry, on or off, as listed."""

    url: str
    to: int
    relative: bool = False
    kind: ClassVar[OpKind] = OpKind.MOVE


@dataclass(frozen=True)
class ReplaceUrl:
    """Change the URL of ``url`` to ``new_url`` in place: same position, same state, same settings."""

    url: str
    new_url: str
    kind: ClassVar[OpKind] = OpKind.SET_URL


MirrorOp = Add | Remove | Enable | Disable | Move | ReplaceUrl

_SIMPLE: dict[OpKind, Callable[[str], MirrorOp]] = {
    OpKind.ADD: Add,
    OpKind.REMOVE: Remove,
    OpKind.ENABLE: Enable,
    OpKind.DISABLE: Disable,
}


def from_action(action: str, url: str) -> MirrorOp:
    """``add``, ``remove``, ``enable`` or ``disable`` of ``url`` as an operation (for callers holding a word)."""
    try:
        return _SIMPLE[OpKind(action)](url)
    except (ValueError, KeyError) as exc:
        raise InputError(
            f"unknown mirror action {action!r}", fix="use add, remove, enable, disable, move or set-url"
        ) from exc


def describe(op: MirrorOp) -> str:
    """A short line for a plan's summary: ``move mirror URL to position 2``."""
    if isinstance(op, Move):
        where = f"{abs(op.to)} place{'s' if abs(op.to) != 1 else ''} {'earlier' if op.to < 0 else 'later'}"
        return f"move mirror {op.url} " + (where if op.relative else f"to position {op.to + 1}")
    if isinstance(op, ReplaceUrl):
        return f"change mirror {op.url} to {op.new_url}"
    return f"{op.kind} mirror {op.url}"
