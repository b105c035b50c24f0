"""RegistriesPane: every registry entry of docker's config.json and of the containers tools'
auth.json, and the selected one's problems with their fixes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, Static

from regtui.core.credentials.resolve import RegistryStatus

if TYPE_CHECKING:
    from regtui.core.credentials.exposure import FileFinding
from regtui.ui.messages import RegistryRequest
from regtui.ui.safe import plain
from regtui.ui.widgets.registries_table import RegistriesTable, is_docker_row, row_key
from regtui.ui.widgets.registry_detail import RegistryDetail
from regtui.ui.writes import allowed


class RegistriesPane(Vertical):
    BINDINGS = [
        Binding("l", "login", "Log in", id="regtui.login"),
        Binding("d", "logout", "Log out", id="regtui.logout"),
        Binding("m", "migrate", "Migrate", id="regtui.migrate"),
        Binding("f", "fix", "Fix", id="regtui.fix"),
        Binding("c", "check", "Check", id="regtui.check"),
        Binding("C", "check_all", "Check all", show=False, id="regtui.check-all"),
    ]

    class LoginRequested(RegistryRequest):
        """l: log in to the selected registry (or, with none, to one the form names)."""

    class LogoutRequested(RegistryRequest):
        """d: log out of the selected registry (or remove its dangling helper entry)."""

    class MigrateRequested(RegistryRequest):
        """m: move plaintext secrets (the selected registry's, or every one) to the OS keyring."""

    class FixRequested(RegistryRequest):
        """f: run the fix of the selected registry's problem (a menu when it has several)."""

    class CheckRequested(RegistryRequest):
        """c: check the selected registry, on the Checks tab."""

    class CheckAllRequested(Message):
        """C: check every registry."""

    DEFAULT_CSS = """
    RegistriesPane #registries-source { color: $text-muted; padding: 0 1; }
    RegistriesPane #registries-error {
        display: none; color: $error; border: round $error; padding: 0 1; margin: 1 1;
    }
    """

    def __init__(self, source: str) -> None:
        super().__init__()
        self.source = source
        self.findings: list[FileFinding] = []
        """The credential files' own problems (a mode that lets others read secrets)."""
        self.statuses: dict[str, RegistryStatus] = {}
        """By row key (file + registry)."""
        self._checked_rows: dict[str, list[str]] = {}
        """The row keys a check of each registry marks (see set_latency)."""

    def compose(self) -> ComposeResult:
        yield Static(plain(f"config: {self.source}"), id="registries-source")
        yield Static("", id="registries-error")
        yield RegistriesTable(id="registries-table")
        # A detail longer than its share of a small screen scrolls (mouse wheel, scrollbar) instead
        # of being cut off; the keyboard stays on the table (the scroll takes no focus).
        with VerticalScroll(id="registry-detail-scroll", can_focus=False):
            yield RegistryDetail(id="registry-detail")

    def show(self, statuses: list[RegistryStatus], token_users: Mapping[tuple[str, str], str] | None = None) -> None:
        """``token_users``: the user name given at a token login, which docker does not keep."""
        users = token_users or {}
        statuses = [
            s._replace(username=users[(s.file, s.key)]) if s.identity_token and (s.file, s.key) in users else s
            for s in statuses
        ]
        self.statuses = {row_key(s): s for s in statuses}
        by_registry: dict[str, list[RegistryStatus]] = {}
        for status in statuses:
            by_registry.setdefault(status.registry, []).append(status)
        self._checked_rows = {
            name: [row_key(s) for s in ([s for s in rows if is_docker_row(s)] or rows)]
            for name, rows in by_registry.items()
        }  # one lookup a result: "check all" of n registries is O(n), not O(n²)
        self.query_one("#registries-error", Static).display = False
        table = self.query_one(RegistriesTable)
        table.show(statuses)
        table.display = True
        self.query_one("#registry-detail-scroll").display = True
        self._detail(self.selected)  # the row the cursor stayed on

    def set_latency(self, registry: str, ms: float, healthy: bool, stale: bool = False) -> None:
        """A check result, by the name the check used (docker.io, host:port). The check sends
        docker's credentials, so it marks docker's row; an auth.json row only when docker has none."""
        table = self.query_one(RegistriesTable)
        for key in self._checked_rows.get(registry, []):
            table.set_latency(key, ms, healthy, stale)

    def others(self, status: RegistryStatus) -> list[RegistryStatus]:
        """The same registry's entries in the other files."""
        # by name: docker keys Hub as its index URL, auth.json as docker.io; both show docker.io
        return [s for s in self.statuses.values() if s.registry == status.registry and s is not status]

    def file_findings(self, status: RegistryStatus) -> list[FileFinding]:
        return [f for f in self.findings if status.file and f.path == status.file]

    def set_findings(self, findings: list[FileFinding]) -> None:
        self.findings = findings
        self._detail(self.selected)

    def _detail(self, status: RegistryStatus | None) -> None:
        others, findings = (self.others(status), self.file_findings(status)) if status else ([], [])
        self.query_one(RegistryDetail).show(status, others, findings)

    def show_error(self, message: str) -> None:
        error = self.query_one("#registries-error", Static)
        error.update(plain(message))
        error.display = True
        self.query_one(RegistriesTable).display = False
        self.query_one("#registry-detail-scroll").display = False

    @property
    def selected(self) -> RegistryStatus | None:
        table = self.query_one(RegistriesTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.statuses.get(key) if key is not None else None

    WRITES = frozenset({"login", "logout", "migrate", "fix"})

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return allowed(self, action, self.WRITES)  # --read-only: no write key in the footer

    def action_login(self) -> None:
        self.post_message(self.LoginRequested(self.selected))

    def action_logout(self) -> None:
        self.post_message(self.LogoutRequested(self.selected))

    def action_fix(self) -> None:
        self.post_message(self.FixRequested(self.selected))

    def action_migrate(self) -> None:
        self.post_message(self.MigrateRequested(self.selected))

    def action_check(self) -> None:
        self.post_message(self.CheckRequested(self.selected))

    def action_check_all(self) -> None:
        self.post_message(self.CheckAllRequested())

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        detail = self.query_one_optional(RegistryDetail)  # gone already when the app is closing
        if detail is not None and event.row_key.value in self.statuses:
            self._detail(self.statuses[event.row_key.value])
