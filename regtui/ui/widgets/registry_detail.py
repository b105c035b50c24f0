"""RegistryDetail: where the highlighted registry's secret lives, and each problem with its fix."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

from regtui.core.credentials.resolve import RegistryStatus

if TYPE_CHECKING:
    from regtui.core.credentials.exposure import FileFinding
from regtui.ui.fixes import finding_fix, fix_for
from regtui.ui.safe import sanitized
from regtui.ui.widgets.registries_table import is_docker_row, ranked

_MARK = {"error": ("✗ ", "bold red"), "warning": ("! ", "yellow"), "info": ("i ", "dim")}


class RegistryDetail(Static):
    DEFAULT_CSS = """
    RegistryDetail {
        height: auto;
        padding: 0 1;
    }
    """

    def show(
        self,
        status: RegistryStatus | None,
        others: list[RegistryStatus] | None = None,
        findings: list[FileFinding] | None = None,
    ) -> None:
        """``others``: the same registry's entries in the other files (to say which file wins);
        ``findings``: the problems of the row's file itself (its mode)."""
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
        problems = [(d.severity, d.message, d.fix, fix_for(d, status)) for d in ranked(status)]
        problems += [(f.severity, f.message, f.fix, finding_fix(f)) for f in findings or []]
        for severity, message, cli, action in problems:  # the table's Issues cell names the first
            mark, style = _MARK[severity]
            text.append("\n" + mark, style=style)
            text.append(message)
            if action is not None:  # what f (or Enter's menu) does here
                text.append("\n    f: ", style="bold")
                text.append(action.label, style="bold")
            if cli:  # the same by hand, on the command line
                text.append("\n    fix: ", style="dim")
                text.append(cli, style="italic")
        if not problems:
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
