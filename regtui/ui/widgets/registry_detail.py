"""RegistryDetail: where the highlighted registry's secret lives, and each problem with its fix."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from regtui.core.credentials.resolve import RegistryStatus
from regtui.ui.safe import sanitized
from regtui.ui.widgets.registries_table import ranked

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

    def show(self, status: RegistryStatus | None) -> None:
        if status is None:
            self.update(Text("No registries in config.json. Log in with: regtui login REGISTRY -u USER", style="dim"))
            return
        text = Text()
        text.append(status.registry, style="bold")
        text.append(f" · secret: {status.secret_location}", style="dim")
        if status.file:  # which tools read this entry: docker, the containers tools (podman, skopeo), or both
            text.append(f"\n{status.file} · read by: {status.tools}", style="dim")
        if status.keys:
            text.append("\nconfig.json keys: " + ", ".join(status.keys), style="dim")
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
