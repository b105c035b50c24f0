"""What the TUI knows, owned by the app: the panes render it, the app never reads it back out
of a widget. The hidden tabs mount lazily; a pane that mounts late is filled in from here."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from regtui.app.workstation import RateLimitReading
    from regtui.core.credentials.resolve import RegistryStatus
    from regtui.core.mirrors.model import Mirror, MirrorHealth, MirrorSet
    from regtui.core.registry.model import CheckResult


@dataclass
class TuiState:
    registries: list[RegistryStatus] = field(default_factory=list)
    checking: list[str] = field(default_factory=list)
    """The registries of the check run under way, in the order they were asked for."""
    checks: dict[str, CheckResult] = field(default_factory=dict)
    """The last result of each registry checked (kept when others are checked)."""
    mirror_sets: list[MirrorSet] | None = None
    """None until the mirror files are first read."""
    mirror_errors: list[str] = field(default_factory=list)
    mirror_health: dict[str, MirrorHealth] = field(default_factory=dict)
    """By mirrors_pane.row_key."""
    ratelimit: RateLimitReading | None = None
    ratelimit_loading: bool = False

    def enabled_mirrors(self) -> dict[str, tuple[MirrorSet, Mirror]]:
        """The rows a test covers (switched-off mirrors are not tested), by row key."""
        from regtui.ui.widgets.mirrors_pane import row_key

        return {row_key(s, m): (s, m) for s in self.mirror_sets or [] for m in s.mirrors if m.enabled}
