"""RegistryDetail: where the highlighted registry's secret lives, and each problem with its fix."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from regtui.core.credentials.resolve import RegistryStatus
from regtui.ui.safe import sanitized
from regtui.ui.widgets.registries_table import is_docker_row, ranked

_MARK = {"error": ("✗ ", "bold red"), "warning": ("! ", "yellow"), "info": ("i ", "dim")}


class RegistryDetail(Static):
    DEFAULT_CSS = """
    RegistryDetail {
        height: auto;
        max-height: 12;
        border-top: solid $primary-darken-2;
        padding: 0 1;
    }
    """

    def show(self, status: RegistryStatus | None, others: list[RegistryStatus] | None = None) -> None:
        """``others``: the same registry's entries in the other files (to say which file wins)."""
        if status is None:
            self.update(Text("No registries in config.json. Log in with: regtui login REGISTRY -u USER", style="dim"))
            return
        text = Text()
        text.append(status.registry, style="bold")
        text.append(f" · secret: {status.secret_location}", style="dim")
        if status.file:  # which tools read this entry: docker, the containers tools (podman, skopeo), or both
            text.append(f"\n{status.file} · read by: {status.tools}", style="dim")
            for line in _winners(status, others or []):
                text.append("\n  " + line, style="dim")
        if status.keys:
            name = "config.json" if is_docker_row(status) else "auth.json"
            text.append(f"\n{name} keys: " + ", ".join(status.keys), style="dim")
        for d in ranked(status):  # the table's Issues cell names the first
            mark, style = _MARK[d.severity]
            text.append("\n" + mark, style=style)
            text.append(d.message)
            if d.fix:
                text.append("\n    fix: ", style="dim")
                text.append(d.fix, style="italic")
        if not status.diagnostics:
            text.append("\nNo problems found.", style="green")
        self.update(sanitized(text))


def _winners(status: RegistryStatus, others: list[RegistryStatus]) -> list[str]:
    """Where each tool takes this registry from, when it is not this entry."""
    lines = []
    if "docker" not in status.read_by:
        docker = next((o for o in others if "docker" in o.read_by), None)
        lines.append(
            f"docker reads {docker.file}" if docker else "docker has no entry for it (it never reads auth.json)"
        )
    if "containers" not in status.read_by:
        source = next((o for o in others if "containers" in o.read_by), None)
        lines.append(
            f"podman, skopeo, buildah read {source.file} (it comes first)"
            if source
            else "podman, skopeo, buildah find no usable credentials for it"
        )
    return lines
