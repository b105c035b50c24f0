"""What the mirror use cases take and answer (regtui.app.workstation's mirror methods)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from regtui.core.errors import RegtuiError
    from regtui.core.mirrors.model import Mirror, MirrorSet
    from regtui.core.mirrors.ops import MirrorOp


@dataclass(frozen=True)
class MirrorListing:
    sets: list[MirrorSet]
    errors: list[RegtuiError] = field(default_factory=list)
    """One per file that could not be read; the other runtimes are still listed."""


@dataclass(frozen=True)
class MirrorChange:
    """One edit (``op``: add, remove, enable, disable, move, set-url) of ``registry``'s mirrors
    in ``runtime``'s files."""

    runtime: str
    op: MirrorOp
    registry: str = "docker.io"


@dataclass(frozen=True)
class MirrorTarget:
    """A mirror to test: its URL, the registry it stands in for, whether plain HTTP is allowed, and
    the image whose manifest is HEADed through it (None: the test's ``image``)."""

    url: str
    registry: str = "docker.io"
    insecure: bool = False
    image: str | None = None

    @staticmethod
    def of(mirror_set: MirrorSet, mirror: Mirror) -> MirrorTarget:
        return MirrorTarget(mirror.url, mirror_set.registry, mirror.insecure)

    @staticmethod
    def enabled(sets: Sequence[MirrorSet]) -> list[MirrorTarget]:
        """Every switched-on mirror of ``sets``, each (URL, registry) once, in list order."""
        return list(dict.fromkeys(MirrorTarget.of(s, m) for s in sets for m in s.mirrors if m.enabled))


@dataclass(frozen=True)
class MirrorFiles:
    """The mirror files to read and edit, where not each runtime's default (or its environment
    override, README "Files and overrides")."""

    daemon_json: str | None = None
    containerd_config: str | None = None
    registries_conf: str | None = None
