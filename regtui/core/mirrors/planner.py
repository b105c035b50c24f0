"""One planner for every mirror file: an operation, applied through the file's backend, verified.

1. The backend reads what the file means now (``Meaning``): the registry's mirrors in try
   order, on or off, and everything else the file says.
2. The operation is applied to that model (``expected``): the mirrors the file must mean after.
   An operation that makes no sense here (a mirror that is not there, one already on) is an
   ``InputError`` before any text is touched.
3. The backend edits the text (keeping comments, order, a BOM and CRLF; ``textstyle``).
4. The edited text is read again by the same backend. Unless it means exactly the expected
   mirrors and leaves everything else as it was, the plan is refused with a ``ConfigError``:
   nothing is written. Only then is a ``Plan`` returned.

A backend is one class per file kind (``MirrorBackend``); docs/adding-a-runtime.md has the recipe.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from regtui.core import fileio
from regtui.core.errors import ConfigError, InputError
from regtui.core.mirrors import textstyle
from regtui.core.mirrors.model import FileChange, Mirror, Plan, validate_mirror_url
from regtui.core.mirrors.ops import Add, Disable, Enable, MirrorOp, Move, Remove, ReplaceUrl, Runtime, describe
from regtui.core.settings import State

UNSAFE = "regtui could not edit this file safely; nothing was written"
UNSAFE_FIX = "make the change by hand"


@dataclass(frozen=True)
class Meaning:
    """What a file says about one registry's mirrors, and what else it says (which an edit must keep)."""

    mirrors: tuple[Mirror, ...]
    rest: object = None  # everything in the file but this registry's mirror list
    details: Mapping[str, object] = field(default_factory=dict)  # each mirror's full settings, by key(url)
    records: tuple[dict[str, Any], ...] = ()  # regtui's records of the disabled mirrors (not compared)


@dataclass(frozen=True)
class Edited:
    text: str
    disabled: list[dict[str, Any]] | None = None  # the registry's disabled mirrors kept in regtui's state
    new_rest: tuple[object, ...] = ()  # (rest,) when the edit creates what the registry needs (a new table)


class MirrorBackend(Protocol):
    """One kind of mirror file, for one registry in one file: read what it means, edit its text."""

    runtime: Runtime
    path: Path
    registry: str  # as shown and as regtui's state keys it
    label: str  # in messages: "Docker Hub", "ghcr.io"
    activation: str
    keeps_disabled_in_state: bool  # JSON has no comments: disabled mirrors live in regtui's state

    def key(self, url: str) -> str:
        """The identity of a mirror URL (``https://m/`` and ``https://m`` are one mirror)."""
        ...

    def new_mirror(self, url: str) -> Mirror:
        """The mirror an Add of ``url`` writes (validated: InputError when the runtime would refuse it)."""
        ...

    def retarget(self, mirror: Mirror, url: str) -> Mirror:
        """``mirror`` with its URL changed to ``url`` (validated)."""
        ...

    def meaning(self, text: str, disabled: list[dict[str, Any]]) -> Meaning:
        """What ``text`` (no BOM, LF) and the disabled records mean; a ConfigError when it does not parse."""
        ...

    def edit(self, text: str, op: MirrorOp, before: Meaning, wanted: tuple[Mirror, ...]) -> Edited:
        """``text`` changed so that it means ``wanted``; nothing else of it changes."""
        ...


class BaseBackend:
    """Defaults for a backend whose mirrors are URLs as docker validates them."""

    keeps_disabled_in_state: bool = False

    def key(self, url: str) -> str:
        return url.strip().rstrip("/")

    def new_mirror(self, url: str) -> Mirror:
        return Mirror(validate_mirror_url(url))

    def retarget(self, mirror: Mirror, url: str) -> Mirror:
        return dataclasses.replace(mirror, url=validate_mirror_url(url))


def _index(backend: MirrorBackend, mirrors: tuple[Mirror, ...], url: str) -> int | None:
    key = backend.key(url)
    return next((i for i, m in enumerate(mirrors) if backend.key(m.url) == key), None)


def _move_target(backend: MirrorBackend, mirrors: tuple[Mirror, ...], op: Move, index: int) -> int:
    count = len(mirrors)
    target = index + op.to if op.relative else op.to
    if op.relative and not 0 <= target < count:
        edge = "first" if target < 0 else "last"
        raise InputError(f"{op.url} is already tried {edge} for {backend.label} in {backend.path}")
    if not 0 <= target < count:
        raise InputError(
            f"cannot move {op.url} to position {target + 1}: {backend.label} has {count} "
            f"mirror{'s' if count != 1 else ''} in {backend.path}",
            fix=f"give a position from 1 to {count}",
        )
    return target


def expected(backend: MirrorBackend, mirrors: tuple[Mirror, ...], op: MirrorOp) -> tuple[Mirror, ...]:
    """``mirrors`` with ``op`` applied: what the file must mean after the edit."""
    index = _index(backend, mirrors, op.url)
    where = f"{backend.label} in {backend.path}"
    if isinstance(op, Add):
        new = backend.new_mirror(op.url)
        found = index if index is not None else _index(backend, mirrors, new.url)
        if found is not None:
            off = " (disabled: regtui mirrors enable)" if not mirrors[found].enabled else ""
            raise InputError(f"{op.url} is already a {backend.label} mirror in {backend.path}{off}")
        return (*mirrors, new)
    if index is None:
        raise InputError(f"{op.url} is not a mirror of {where}", fix=f"regtui mirrors list --runtime {backend.runtime}")
    mirror, rest = mirrors[index], mirrors[:index] + mirrors[index + 1 :]
    if isinstance(op, Remove):
        return rest
    if isinstance(op, Enable | Disable):
        if mirror.enabled == isinstance(op, Enable):
            raise InputError(f"{op.url} is already {op.kind}d for {where}")
        return (*mirrors[:index], dataclasses.replace(mirror, enabled=not mirror.enabled), *mirrors[index + 1 :])
    if isinstance(op, Move):
        target = _move_target(backend, mirrors, op, index)
        return (*rest[:target], mirror, *rest[target:])
    new = backend.retarget(mirror, op.new_url)
    other = _index(backend, rest, new.url)
    if other is not None:
        raise InputError(f"{op.new_url} is already a mirror of {where}", fix="remove one of the two instead")
    return (*mirrors[:index], new, *mirrors[index + 1 :])


def _touched(backend: MirrorBackend, op: MirrorOp) -> set[str]:
    return {backend.key(op.url)} | ({backend.key(op.new_url)} if isinstance(op, ReplaceUrl) else set())


def _same(backend: MirrorBackend, got: tuple[Mirror, ...], wanted: tuple[Mirror, ...]) -> bool:
    def norm(mirrors: tuple[Mirror, ...]) -> list[Mirror]:
        return [dataclasses.replace(m, url=backend.key(m.url)) for m in mirrors]

    return norm(got) == norm(wanted)


def verify(backend: MirrorBackend, op: MirrorOp, before: Meaning, wanted: tuple[Mirror, ...], edited: Edited) -> None:
    """Read the edited text back; refuse unless it means ``wanted`` and keeps everything else."""
    try:
        after = backend.meaning(edited.text, edited.disabled or [])
    except ConfigError as exc:
        raise ConfigError(UNSAFE, path=backend.path, fix=UNSAFE_FIX) from exc
    untouched = {k: v for k, v in before.details.items() if k not in _touched(backend, op)}
    rest = edited.new_rest[0] if edited.new_rest else before.rest
    if (
        not _same(backend, after.mirrors, wanted)
        or after.rest != rest
        or {k: after.details.get(k) for k in untouched} != untouched
    ):
        raise ConfigError(UNSAFE, path=backend.path, fix=UNSAFE_FIX)


def plan(backend: MirrorBackend, op: MirrorOp, state: State) -> Plan:
    """The verified change ``op`` makes to the backend's file; nothing is written here."""
    snapshot = fileio.read_snapshot(backend.path)
    disabled = state.disabled(backend.path, backend.registry) if backend.keeps_disabled_in_state else []
    return plan_text(backend, op, snapshot.text, disabled, snapshot.digest)


def plan_text(
    backend: MirrorBackend,
    op: MirrorOp,
    current: str | None,
    disabled: list[dict[str, Any]] | None = None,
    digest: str | None = None,
) -> Plan:
    """``plan`` for a file whose text is ``current`` (None: it does not exist) and whose disabled
    records are ``disabled``; ``digest`` is what apply checks the file against (the demo has none)."""
    text, style = textstyle.split(current or "")
    disabled = disabled or []
    before = backend.meaning(text, disabled)
    wanted = expected(backend, before.mirrors, op)
    edited = backend.edit(text, op, before, wanted)
    verify(backend, op, before, wanted, edited)
    change = FileChange(backend.path, current, style.restore(edited.text), backend.activation, digest)
    changed = edited.disabled is not None and edited.disabled != list(before.records)
    update = {"disabled": (str(backend.path), backend.registry, edited.disabled or [])} if changed else {}
    return Plan(backend.runtime, f"{describe(op)} for {backend.label} in {backend.path}", (change,), update)
