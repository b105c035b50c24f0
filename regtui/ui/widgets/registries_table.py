"""RegistriesTable: one row per registry docker knows about."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable

from regtui.core.credentials.resolve import RegistryStatus
from regtui.ui.safe import cell

_SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "dim"}
_SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}
_SHORT = {
    "plaintext": "plaintext",
    "masked-plaintext": "stale plaintext",
    "dangling-helper": "helper missing",
    "helper-failed": "helper failed",
    "stray-hub-alias": "stray Hub key",
    "invalid-entry": "invalid entry",
    "env-override": "from env",
}


def _status_cell(status: RegistryStatus) -> Text:
    if status.logged_in is None:
        return Text("unknown", style="bold red")
    if not status.logged_in:
        return Text("not logged in", style="dim")
    return Text("logged in" + (" (token)" if status.identity_token else ""), style="green")


def _issues_cell(status: RegistryStatus) -> Text:
    if not status.diagnostics:
        return Text("")
    ranked = sorted(status.diagnostics, key=lambda d: _SEVERITY_RANK[d.severity])
    label = _SHORT.get(ranked[0].code, ranked[0].code)
    more = f" +{len(ranked) - 1}" if len(ranked) > 1 else ""
    return cell(label + more, _SEVERITY_STYLE[ranked[0].severity])


class RegistriesTable(DataTable):
    """Rows are keyed by registry key: host names are not valid widget ids."""

    DEFAULT_CSS = """
    RegistriesTable { height: 1fr; }
    """

    COLUMNS = ("Registry", "User", "Store", "Status", "Issues", "Latency")
    LATENCY_WIDTH = len("9999 ms ✗")

    def on_mount(self) -> None:
        self.cursor_type = "row"
        self.zebra_stripes = True
        self.add_columns(*self.COLUMNS)

    def show(self, statuses: list[RegistryStatus]) -> None:
        rows = [
            (
                cell(s.registry, "bold"),
                cell(s.username or "-"),
                cell(s.store.label),
                _status_cell(s),
                _issues_cell(s),
                Text("–", style="dim"),
                s.key,
            )
            for s in statuses
        ]
        # Widths are fixed up front, from the content: latency cells arrive later (from checks) and
        # must not shift the table under the cursor.
        widths = [max([len(name), *(r[i].cell_len for r in rows)]) for i, name in enumerate(self.COLUMNS)]
        widths[self.COLUMNS.index("Latency")] = self.LATENCY_WIDTH  # filled in later, by checks
        self.clear(columns=True)
        for name, width in zip(self.COLUMNS, widths, strict=True):
            self.add_column(name, width=width)
        for *cells, key in rows:
            self.add_row(*cells, key=key)

    def set_latency(self, key: str, ms: float, healthy: bool) -> None:
        """The time a check took, once one ran (from the Checks tab or c)."""
        if key in self.rows:
            cell = Text(f"{ms:.0f} ms" + ("" if healthy else " ✗"), style="" if healthy else "red")
            self.update_cell(key, list(self.columns)[self.COLUMNS.index("Latency")], cell)
