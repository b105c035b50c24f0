"""What the TUI knows, owned by the app: the panes render it, the app never reads it back out
of a widget. The hidden tabs mount lazily; a pane that mounts late is filled in from here."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import datetime

    from regtui.app.workstation import PullSample, RateLimitReading
    from regtui.core.credentials.resolve import RegistryStatus
    from regtui.core.mirrors.model import Mirror, MirrorHealth, MirrorSet
    from regtui.core.registry.model import CheckResult


def mirror_row_key(mirror_set: MirrorSet, mirror: Mirror) -> str:
    """One row per (runtime, file, registry, URL): the same URL mirroring two registries, or in
    two runtimes, is two rows with two results."""
    return f"{mirror_set.runtime}|{mirror_set.source}|{mirror_set.registry}|{mirror.url}"


@dataclass
class TuiState:
    registries: list[RegistryStatus] = field(default_factory=list)
    checking: list[str] = field(default_factory=list)
    """The registries of the check run under way, in the order they were asked for."""
    checks: dict[str, CheckResult] = field(default_factory=dict)
    """The last result of each registry checked (kept when others are checked)."""
    checked_at: dict[str, str] = field(default_factory=dict)
    """Results of an earlier run (regtui's state), by registry: when each was checked (ISO 8601).
    A registry checked in this run has none: its result is fresh."""
    kept_restored: bool = False
    mirror_sets: list[MirrorSet] | None = None
    """None until the mirror files are first read."""
    mirror_errors: list[str] = field(default_factory=list)
    mirror_health: dict[str, MirrorHealth] = field(default_factory=dict)
    """By mirror_row_key."""
    mirror_untested: set[str] = field(default_factory=set)
    """Rows (by mirror_row_key) the last test skipped: no test image is known for their registry."""
    mirror_images: dict[str, str | None] = field(default_factory=dict)
    """Each registry's test image (None: none known)."""
    named_images: dict[str, str] = field(default_factory=dict)
    """Test images named with i in this session (they win: under --read-only they are not stored)."""
    mirror_sources: list[str] = field(default_factory=list)
    """The mirror files read (the empty pane names them)."""
    ratelimit: RateLimitReading | None = None
    ratelimit_loading: bool = False
    check_repo: str = ""
    """The Checks tab's repository field (``check --repo``): empty for none."""
    ratelimit_read_at: datetime | None = None
    pull_history: list[PullSample] = field(default_factory=list)
    """Docker Hub readings, this run's and earlier runs' (regtui's state), oldest first."""

    def learn_images(self, images: dict[str, str | None]) -> None:
        self.mirror_images.update(images)
        self.mirror_images.update(self.named_images)

    def name_image(self, registry: str, image: str) -> None:
        """A new test image for ``registry``: its rows' results were for the old one."""
        self.mirror_images[registry] = self.named_images[registry] = image
        for key in [mirror_row_key(s, m) for s in self.mirror_sets or [] for m in s.mirrors if s.registry == registry]:
            self.mirror_health.pop(key, None)
            self.mirror_untested.discard(key)

    def record_health(self, results: dict[str, MirrorHealth], untested: list[str], *, every: bool) -> None:
        """A test's results; ``every``: it covered every row that is on (older results are dropped)."""
        if every:
            self.mirror_health.clear()
            self.mirror_untested.clear()
        self.mirror_untested.difference_update(results)
        self.mirror_health.update(results)
        for key in untested:
            self.mirror_health.pop(key, None)
            self.mirror_untested.add(key)

    def enabled_mirrors(self) -> dict[str, tuple[MirrorSet, Mirror]]:
        """The rows a test covers (switched-off mirrors are not tested), by row key."""
        return {mirror_row_key(s, m): (s, m) for s in self.mirror_sets or [] for m in s.mirrors if m.enabled}
