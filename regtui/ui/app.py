"""RegTUI: the application, built from injected Services."""

from __future__ import annotations

from concurrent.futures import Future

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Static, TabbedContent, TabPane

from regtui.core.credentials.resolve import RegistryStatus
from regtui.core.errors import RegtuiError
from regtui.ui.services import Services
from regtui.ui.widgets.registries_table import RegistriesTable
from regtui.ui.widgets.registry_detail import RegistryDetail


class RegTUI(App[None]):
    CSS_PATH = "regtui.tcss"
    TITLE = "regtui"
    BINDINGS = [
        Binding("r", "refresh", "Refresh", id="regtui.refresh"),
        Binding("q", "quit", "Quit", id="regtui.quit"),
    ]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.statuses: dict[str, RegistryStatus] = {}
        self._preloaded = services.preloaded
        self.theme = "textual-dark"

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(initial="registries"), TabPane("Registries", id="registries"):
            yield Static("", id="registries-source")
            yield Static("", id="registries-error")
            yield RegistriesTable(id="registries-table")
            yield RegistryDetail(id="registry-detail")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "read-only" if self.services.read_only else ""
        self.query_one("#registries-source", Static).update(f"config: {self.services.source}")
        self.action_refresh()

    def action_refresh(self) -> None:
        preloaded, self._preloaded = self._preloaded, None
        if preloaded is not None and preloaded.done() and preloaded.exception() is None:
            self._show_registries(preloaded.result())  # ready before the first frame: no second layout
        else:
            self.load_registries(preloaded)

    @work(thread=True, exclusive=True, group="registries")
    def load_registries(self, preloaded: Future[list[RegistryStatus]] | None = None) -> None:
        try:
            statuses = preloaded.result() if preloaded is not None else self.services.load_registries()
        except RegtuiError as exc:
            self.call_from_thread(self._show_error, exc.render())
            return
        self.call_from_thread(self._show_registries, statuses)

    def _show_registries(self, statuses: list[RegistryStatus]) -> None:
        error = self.query_one("#registries-error", Static)
        error.update("")
        error.display = False
        self.statuses = {s.key: s for s in statuses}
        table = self.query_one(RegistriesTable)
        table.show(statuses)
        table.display = True
        table.focus()
        self.query_one(RegistryDetail).show(statuses[0] if statuses else None)

    @on(DataTable.RowHighlighted, "#registries-table")
    def _registry_highlighted(self, event: DataTable.RowHighlighted) -> None:
        key = event.row_key.value
        detail = self.query_one_optional(RegistryDetail)  # gone already when the app is closing
        if detail is not None and key in self.statuses:
            detail.show(self.statuses[key])

    def _show_error(self, message: str) -> None:
        error = self.query_one("#registries-error", Static)
        error.update(message)
        error.display = True
        self.query_one(RegistriesTable).display = False
        self.query_one(RegistryDetail).display = False
