"""RegistriesTable: one row per registry entry, in docker's config.json or in the containers tools' auth.json."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from rich.text import Text
from textual.coordinate import Coordinate
from textual.timer import Timer

from regtui.core.credentials.resolve import Diagnostic, RegistryStatus
from regtui.ui.safe import cell
from regtui.ui.widgets.nav_table import NavTable

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


def is_docker_row(status: RegistryStatus) -> bool:
    """An entry of docker's config.json (docker reads every one of them); else an auth.json's."""
    return "docker" in status.read_by or not status.file


def row_key(status: RegistryStatus) -> str:
    """The row's key: file + registry, since one registry may have an entry in several files.
    docker's own entries keep the bare registry key (``docker.io``, ``ghcr.io``)."""
    return status.key if is_docker_row(status) else f"{status.key} in {status.file}"


def file_label(status: RegistryStatus) -> str:
    """A short name for the row's file (the detail shows the whole path)."""
    if is_docker_row(status):
        return "config.json"
    path = Path(status.file)
    return f"{path.parent.name}/{path.name}" if path.parent.name != "containers" else path.name


_READ_BY = {"both": "both", "docker": "docker", "containers tools": "containers"}


def _read_by_cell(status: RegistryStatus) -> Text:
    """Who reads the entry; "shadowed" when another file wins for every tool."""
    shown = _READ_BY.get(status.tools, "shadowed")
    return cell(shown, "dim" if shown == "shadowed" else "")


def _status_cell(status: RegistryStatus) -> Text:
    if status.logged_in is None:
        return cell("unknown", "bold red")
    if not status.logged_in:
        return cell("not logged in", "dim")
    return cell("logged in" + (" (token)" if status.identity_token else ""), "green")


def ranked(status: RegistryStatus) -> list[Diagnostic]:
    """The registry's problems, worst first: the order of the table's Issues cell and of the detail."""
    return sorted(status.diagnostics, key=lambda d: _SEVERITY_RANK.get(d.severity, len(_SEVERITY_RANK)))


def latency_text(ms: float) -> str:
    """At most 6 characters, so the mark after it always fits: 950 ms, 12.3 s, 125 s."""
    if ms < 1000:
        return f"{ms:.0f} ms"
    if ms < 100_000:
        return f"{ms / 1000:.1f} s"
    return f"{min(ms / 1000, 9999):.0f} s"


def _issues_cell(status: RegistryStatus) -> Text:
    if not status.diagnostics:
        return Text("")
    ranked_ = ranked(status)
    label = _SHORT.get(ranked_[0].code, ranked_[0].code)
    more = f" +{len(ranked_) - 1}" if len(ranked_) > 1 else ""
    return cell(label + more, _SEVERITY_STYLE.get(ranked_[0].severity, ""))


class RegistriesTable(NavTable):
    """Rows are keyed by ``row_key`` (file + registry): host names are not valid widget ids."""

    DEFAULT_CSS = """
    RegistriesTable { height: 1fr; }
    """

    COLUMNS = ("Registry", "User", "Store", "Status", "Issues", "Latency")
    FILES = ("File", "Read by")
    """Shown when a row is not docker's alone: an auth.json entry, or one the containers tools
    (podman, skopeo, buildah) read too. Read by says which file wins for which tool."""
    LATENCY_WIDTH = len("9999 ms ✗")  # latency_text is at most 6 wide: the mark always fits
    UNCUT = frozenset({"Latency"})  # never cut, so the ✗ of a failed check always shows
    SPARE = ("Store", "File")
    """Left out when the table is narrower than NARROW: the detail under the table names the
    secret's store and the file; Registry, User, Status, Issues, Latency and Read by stay."""
    NARROW = 72
    QUIET = 0.25
    """Seconds without a cursor move before checks' latencies are drawn. Drawing any cell re-renders
    every visible row (``update_cell`` re-keys all of DataTable's row caches: 20-35 ms at 120x36),
    which would hold up the next key of someone moving through the table while checks run."""
    AT_MOST = 1.0
    """Seconds a latency waits at most, however fast the keys come."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.latency: dict[str, Text] = {}
        """Check times by row key, kept across reloads (r, and after login, logout, migrate)."""
        self.statuses: list[RegistryStatus] = []
        self.names: tuple[str, ...] = self.COLUMNS
        """The columns shown."""
        self._narrow: bool | None = None
        self._last_move = 0.0
        self._undrawn: set[str] = set()
        """Rows whose latency is known but not drawn yet (see QUIET)."""
        self._undrawn_since: float | None = None
        self._draw_timer: Timer | None = None

    def on_mount(self) -> None:
        self.cursor_type = "row"
        self.zebra_stripes = True
        self.add_columns(*self.COLUMNS)

    def _is_narrow(self) -> bool:
        return (self.size.width or self.app.size.width) < self.NARROW

    def on_resize(self) -> None:  # NavTable's on_resize runs too (Textual calls each class's handler)
        if self._narrow is not None and self._narrow != self._is_narrow():
            self.show(self.statuses)  # the spare columns come or go

    def show(self, statuses: list[RegistryStatus]) -> None:
        """Fill the table; the cursor stays on the same registry (or the same row number)."""
        keep_key, keep_row = self._cursor_key(), self.cursor_row
        self.statuses, self._narrow = statuses, self._is_narrow()
        every = self.COLUMNS + self.FILES
        names = self.COLUMNS + (self.FILES if any(s.read_by != ("docker",) for s in statuses) else ())
        names = tuple(n for n in names if not (self._narrow and n in self.SPARE))
        shown = [every.index(n) for n in names]
        keys = [row_key(s) for s in statuses]
        texts = [tuple(cells[i] for i in shown) for cells in map(self._cells, statuses)]
        # Widths are fixed up front, from the content: latency cells arrive later (from checks) and
        # must not shift the table under the cursor.
        widths = [max([len(name), *(t[i].cell_len for t in texts)]) for i, name in enumerate(names)]
        widths[names.index("Latency")] = self.LATENCY_WIDTH  # filled in later, by checks
        self.names = names
        self.clear(columns=True)
        self._undrawn.clear()  # the rows are built with every latency known
        self._undrawn_since = None
        for name, width in zip(names, widths, strict=True):
            self.add_column(name, width=width)
        for cells, key in zip(texts, keys, strict=True):
            self.add_row(*cells, key=key)
        if self.row_count:
            row = keys.index(keep_key) if keep_key in keys else min(max(keep_row, 0), self.row_count - 1)
            self.move_cursor(row=row, animate=False)
        self._last_move = 0.0  # the table put the cursor back: nobody is moving through it

    def _cells(self, s: RegistryStatus) -> tuple[Text, ...]:
        """Every column's cell (COLUMNS + FILES) of the row."""
        latency = self.latency.get(row_key(s), Text("–", style="dim"))
        return (
            cell(s.registry, "bold"),
            cell(s.username or "-"),
            cell(s.store.label),
            _status_cell(s),
            _issues_cell(s),
            latency,
            cell(file_label(s)),
            _read_by_cell(s),
        )

    def _cursor_key(self) -> str | None:
        if not self.row_count:
            return None
        return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value

    def set_latency(self, key: str, ms: float, healthy: bool, stale: bool = False) -> None:
        """The time a check took, once one ran (from the Checks tab or c); ``key`` is a row key.
        ``stale``: a result of an earlier run, dimmed until the registry is checked again."""
        style = ("dim " if stale else "") + ("" if healthy else "red")
        shown = Text(latency_text(ms) + ("" if healthy else " ✗"), style=style.strip())
        self.latency[key] = shown
        self._undrawn.add(key)
        if self._draw_timer is None:  # else it draws them when it fires
            self._draw_latencies()

    def watch_cursor_coordinate(self, old_coordinate: Coordinate, new_coordinate: Coordinate) -> None:
        super().watch_cursor_coordinate(old_coordinate, new_coordinate)
        self._last_move = time.monotonic()

    def _draw_latencies(self) -> None:
        """Draw the latencies that wait, unless the cursor moved in the last QUIET seconds and
        none has waited AT_MOST; then look again in QUIET seconds."""
        self._draw_timer = None
        if not self._undrawn:
            return
        now = time.monotonic()
        if self._undrawn_since is None:
            self._undrawn_since = now
        if now - self._last_move < self.QUIET and now - self._undrawn_since < self.AT_MOST:
            self._draw_timer = self.set_timer(self.QUIET, self._draw_latencies)
            return
        column = list(self.columns)[self.names.index("Latency")]
        for key in self._undrawn:
            if self.has_row(key):
                self.update_cell(key, column, self.latency[key])
        self._undrawn.clear()
        self._undrawn_since = None
