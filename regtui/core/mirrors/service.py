"""Every runtime behind one interface: list mirror sets, plan a change (CLI and TUI use this)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from regtui.core import paths
from regtui.core.errors import InputError, RegtuiError
from regtui.core.mirrors import containerd, docker, hosts_dir, journal, planner, podman
from regtui.core.mirrors.model import RUNTIMES, MirrorSet, Plan
from regtui.core.mirrors.ops import MirrorOp, Runtime
from regtui.core.registry_names import is_hub
from regtui.core.settings import State


@dataclass(frozen=True)
class MirrorPaths:
    daemon_json: Path
    containerd_config: Path
    registries_conf: Path
    docker_certs_d: Path

    @staticmethod
    def resolve(
        daemon_json: str | None = None, containerd_config: str | None = None, registries_conf: str | None = None
    ) -> MirrorPaths:
        return MirrorPaths(
            paths.daemon_json(daemon_json),
            paths.containerd_config(containerd_config),
            paths.registries_conf(registries_conf),
            paths.docker_certs_d(),
        )


def _state() -> State:
    """regtui's state as it stands once an interrupted change is accounted for (journal.py)."""
    state = State()
    journal.reconcile(state)
    return state


def list_sets(where: MirrorPaths, runtime: str | None = None) -> tuple[list[MirrorSet], list[RegtuiError]]:
    """Every mirror set of the chosen runtimes; a broken file is reported, the others still listed."""
    state = _state()
    sets: list[MirrorSet] = []
    errors: list[RegtuiError] = []
    readers = {
        Runtime.DOCKER: lambda: (
            docker.mirror_sets(docker.load(where.daemon_json), state)
            + hosts_dir.read_all(where.docker_certs_d, Runtime.DOCKER)
        ),
        Runtime.CONTAINERD: lambda: containerd.mirror_sets(containerd.load(where.containerd_config), state),
        Runtime.PODMAN: lambda: podman.read(where.registries_conf) + podman.read_drop_ins(where.registries_conf),
    }
    for name in [Runtime(runtime)] if runtime else RUNTIMES:
        try:
            sets += readers[name]()
        except RegtuiError as exc:
            errors.append(exc)
    return sets, errors


def plan_change(where: MirrorPaths, runtime: Runtime | str, op: MirrorOp, registry: str) -> Plan:
    """The change ``op`` makes to ``registry``'s mirrors for ``runtime``, verified; nothing is written."""
    if runtime not in RUNTIMES:
        raise InputError(f"unknown runtime {runtime!r}", fix="use docker, containerd or podman")
    state = _state()
    if runtime == Runtime.DOCKER:
        if is_hub(registry):
            return planner.plan(docker.DaemonJsonBackend(where.daemon_json), op, state)
        # Docker's containerd image store reads <certs.d>/<host>/hosts.toml for every other registry.
        return planner.plan(hosts_dir.HostsTomlBackend(where.docker_certs_d, registry, Runtime.DOCKER), op, state)
    if runtime == Runtime.CONTAINERD:
        return containerd.plan(containerd.load(where.containerd_config), state, op, registry)
    return planner.plan(podman.RegistriesConfBackend(where.registries_conf, registry), op, state)
