"""RegTUI: the application, over one Workstation (regtui.app: the real one, or the demo).

Tabs: Registries, Checks, Mirrors, Rate limit. Each tab loads the first time it is shown;
all I/O runs in workers (ui/loaders.py, ui/flows.py). Panes post typed requests, nested in the
pane (``RegistriesPane.LoginRequested``); the app, which owns the workstation and the state
(ui/state.py), acts, and the panes render what it knows.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import DataTable, Header, TabbedContent, TabPane, Tabs

from regtui.app.workstation import Workstation
from regtui.core.credentials.resolve import RegistryStatus
from regtui.core.errors import RegtuiError
from regtui.ui.crash import CrashGuard
from regtui.ui.gcpause import QuietCollection
from regtui.ui.memory import MessageMemory
from regtui.ui.palette import PaletteCommands
from regtui.ui.screens.message_log import LoggedMessage
from regtui.ui.state import TuiState
from regtui.ui.widgets.footer import FittingFooter
from regtui.ui.widgets.lazy_pane import LazyPane
from regtui.ui.widgets.nav_table import NavTable
from regtui.ui.widgets.registries_pane import RegistriesPane
from regtui.ui.widgets.status_line import StatusLine
from regtui.ui.widgets.tabs import StayingTabbedContent

if TYPE_CHECKING:  # the hidden tabs' panes load after the first frame (LazyPane)
    from regtui.ui.widgets.checks_pane import ChecksPane
    from regtui.ui.widgets.mirrors_pane import MirrorsPane
    from regtui.ui.widgets.ratelimit_pane import RateLimitPane

TABS = ("registries", "checks", "mirrors", "ratelimit")


class RegTUI(CrashGuard, MessageMemory, PaletteCommands, QuietCollection, App[None]):
    CSS_PATH = Path(__file__).with_name("regtui.tcss")  # absolute: subclasses elsewhere find it too
    TITLE = "regtui"
    BINDINGS = [
        Binding("q", "quit", "Quit", id="regtui.quit"),
        Binding("question_mark", "help", "Help", id="regtui.help"),
        Binding("r", "refresh", "Refresh", id="regtui.refresh"),
        Binding("L", "messages", "Messages", show=False, id="regtui.messages"),
        Binding("y", "copy", "Copy", show=False, id="regtui.copy"),
        *(
            Binding(str(i), f"show_tab('{tab}')", tab, show=False, id=f"regtui.tab-{tab}")
            for i, tab in enumerate(TABS, 1)
        ),
    ]

    def __init__(self, workstation: Workstation, *, preloaded: Future[list[RegistryStatus]] | None = None) -> None:
        super().__init__()
        self.workstation = workstation
        self.preloaded = preloaded
        """The first load, started before Textual is even imported (see launch.build_app)."""
        self.state = TuiState()
        """What the app knows (registries, checks, mirrors, rate limit): the panes render it."""
        self._loaded: set[str] = set()
        self.unexpected_errors: list[BaseException] = []
        self.clock: Callable[[], datetime] = datetime.now
        """The time of day for the message log and the rate-limit readings (fixed in snapshots)."""
        self.message_log: list[LoggedMessage] = []
        """Every notification, oldest first (the last MESSAGES_KEPT)."""
        self.preferences = workstation.preferences()
        """The theme and token logins' user names, as kept between runs (regtui's state)."""
        kept = self.preferences.theme
        self.theme = kept if kept in self.available_themes else "textual-dark"

    def refresh_status(self) -> None:
        """The status line says what the state holds now (called after each read)."""
        self.query_one(StatusLine).show(self.state)

    def compose(self) -> ComposeResult:
        yield Header()
        with StayingTabbedContent(initial="registries"):
            with TabPane("Registries", id="registries"):
                yield RegistriesPane(self.workstation.session.source)
            # The hidden tabs' panes load and mount after the first frame: they cost the start nothing.
            with TabPane("Checks", id="checks"):
                yield LazyPane(_checks_pane)
            with TabPane("Mirrors", id="mirrors"):
                yield LazyPane(_mirrors_pane)
            with TabPane("Rate limit", id="ratelimit"):
                yield LazyPane(_ratelimit_pane)
        yield StatusLine()
        yield FittingFooter()

    def on_mount(self) -> None:
        self.start_quiet_collection()  # full GC passes when no one types (ui/gcpause.py)
        # The tab strip takes no focus: Tab and shift+Tab move among the pane's own widgets, so the
        # pane's keys keep working (1-4 and clicks switch tabs).
        self.query_one(TabbedContent).query_one(Tabs).can_focus = False
        self.theme_changed_signal.subscribe(self, lambda theme: self.save_theme(theme.name))
        self.sub_title = " · ".join(
            note
            for note, on in (
                ("DEMO: made-up data, nothing stored", self.workstation.session.demo),
                ("read-only", self.workstation.session.read_only),
            )
            if on
        )
        preloaded = self.preloaded
        self._loaded.add("registries")
        if preloaded is not None and preloaded.done() and preloaded.exception() is None:
            self._show_registries(preloaded.result())  # ready before the first frame: no second layout
        else:
            self.load_registries(preloaded)

    # -- tabs ----------------------------------------------------------------------------------
    def action_show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    @on(TabbedContent.TabActivated)
    def _tab_shown(self, event: TabbedContent.TabActivated) -> None:
        tab = event.pane.id or ""
        self.call_after_refresh(self._focus_tab, tab)  # once the switcher shows the pane
        if tab not in self._loaded:
            self._loaded.add(tab)
            if not (tab == "checks" and self.state.checks):  # earlier results are shown until c or C
                self.action_refresh()

    def _focus_tab(self, tab: str) -> None:
        """Put the keyboard on the tab's table; a pane mounting later (Lazy) asks for it on Ready."""
        from regtui.ui.widgets.checks_pane import ChecksPane
        from regtui.ui.widgets.mirrors_pane import MirrorsPane
        from regtui.ui.widgets.ratelimit_pane import RateLimitPane

        kinds: dict[str, type[RegistriesPane | ChecksPane | MirrorsPane | RateLimitPane]] = {
            "registries": RegistriesPane,
            "checks": ChecksPane,
            "mirrors": MirrorsPane,
            "ratelimit": RateLimitPane,
        }
        kind = kinds.get(tab)
        pane = self._mounted(kind) if kind is not None else None
        if pane is not None:
            self._focus_if_shown(pane, tab)

    def _focus_if_shown(self, pane: Widget, tab: str) -> None:
        """Focus ``pane``'s table if its tab is the one shown (never a hidden pane's)."""
        tables = pane.query(DataTable)
        if self.query_one(TabbedContent).active == tab:
            if tables:
                tables.first().focus()
            elif pane.can_focus:  # a pane without a table (Rate limit) takes its keys itself
                pane.focus()

    def action_refresh(self) -> None:
        tab = self.query_one(TabbedContent).active
        if tab == "registries":
            self.reload_registries()
        elif tab == "checks":
            self.check_registries([])
        elif tab == "mirrors":
            self.reload_mirrors()
        elif tab == "ratelimit":
            self.load_ratelimit()

    def action_help(self) -> None:
        from regtui.ui.screens.help import HelpScreen

        self.push_screen(HelpScreen())

    @work(thread=True, exclusive=True, group="theme")
    def save_theme(self, theme: str) -> None:
        """Keep the theme chosen (the palette's Theme) for the next run."""
        if theme == self.preferences.theme:
            return
        try:
            self.workstation.save_theme(theme)
        except RegtuiError as exc:
            self.notify(exc.render(), title="the theme is not kept", severity="warning", markup=False)

    # -- requests from the panes (typed messages, each nested in the pane that posts it) --------
    # Handled by name (Textual's ``on_<pane>_<message>``), so this module needs no pane class when
    # it loads and the hidden tabs' panes load after the first frame (LazyPane).
    # tests/ui/test_pane_handlers.py matches every such name to a message, both ways.
    def on_registries_pane_login_requested(self, request: RegistriesPane.LoginRequested) -> None:
        self.login_flow(request.status)

    def on_registries_pane_logout_requested(self, request: RegistriesPane.LogoutRequested) -> None:
        self.logout_flow(request.status)

    def on_registries_pane_fix_requested(self, request: RegistriesPane.FixRequested) -> None:
        pane = self.query_one(RegistriesPane)
        self.fix_flow(request.status, pane.file_findings(request.status) if request.status else [])

    def on_checks_pane_fix_requested(self, request: ChecksPane.FixRequested) -> None:
        name = request.result.registry
        statuses = [s for s in self.state.registries if s.registry == name]  # docker's row first
        self.check_fix_flow(request.result, statuses[0] if statuses else None)

    def on_registries_pane_migrate_requested(self, request: RegistriesPane.MigrateRequested) -> None:
        self.migrate_flow(request.status)

    def on_registries_pane_check_requested(self, request: RegistriesPane.CheckRequested) -> None:
        if request.status is not None:
            self._loaded.add("checks")
            self.action_show_tab("checks")
            self.check_registries([request.status.registry])

    def on_checks_pane_check_requested(self, request: ChecksPane.CheckRequested) -> None:
        self.check_registries([request.registry])

    def on_checks_pane_repo_changed(self, event: ChecksPane.RepoChanged) -> None:
        self.state.check_repo = event.repo

    def on_registries_pane_check_all_requested(self) -> None:
        self.check_registries([])

    def on_checks_pane_check_all_requested(self) -> None:
        self.check_registries([])

    def on_mirrors_pane_toggle_requested(self, request: MirrorsPane.ToggleRequested) -> None:
        self.mirror_flow("toggle", request.row)

    def on_mirrors_pane_add_requested(self, request: MirrorsPane.AddRequested) -> None:
        self.mirror_flow("add", request.row)

    def on_mirrors_pane_remove_requested(self, request: MirrorsPane.RemoveRequested) -> None:
        self.mirror_flow("remove", request.row)

    def on_mirrors_pane_test_requested(self) -> None:
        self.test_mirrors()

    def on_mirrors_pane_test_one_requested(self, request: MirrorsPane.TestOneRequested) -> None:
        self.test_selected_mirror(request.row)

    def on_mirrors_pane_image_requested(self, request: MirrorsPane.ImageRequested) -> None:
        self.test_image_flow(request.row)

    def on_mirrors_pane_move_requested(self, request: MirrorsPane.MoveRequested) -> None:
        self.move_flow(request.row, request.step)

    def on_mirrors_pane_edit_url_requested(self, request: MirrorsPane.EditUrlRequested) -> None:
        self.edit_url_flow(request.row)

    def on_mirrors_pane_undo_requested(self, request: MirrorsPane.UndoRequested) -> None:
        self.mirror_undo_flow(request.row)

    def on_mirrors_pane_editor_requested(self, request: MirrorsPane.EditorRequested) -> None:
        self.editor_flow(request.row)

    def on_rate_limit_pane_reload_requested(self) -> None:
        self.load_ratelimit()

    def on_checks_pane_ready(self) -> None:
        self.fill_checks_pane()

    def on_mirrors_pane_ready(self) -> None:
        self.fill_mirrors_pane()

    def on_rate_limit_pane_ready(self) -> None:
        self.fill_ratelimit_pane()

    @on(NavTable.MenuRequested)
    def _row_menu(self, event: NavTable.MenuRequested) -> None:
        """Enter on a row: its actions (the pane's own keys), in a small menu."""
        from regtui.ui.screens.action_menu import ActionMenu, RowAction, row_actions

        actions = row_actions(event.table)
        if not actions:
            return

        async def run(chosen: RowAction | None) -> None:
            if chosen is not None:
                await self.run_action(chosen.action, chosen.node)

        pane, key = event.table.parent, event.table.cursor_key or ""
        from regtui.ui.widgets.mirrors_pane import MirrorsPane

        name = pane.row_name(key) if isinstance(pane, MirrorsPane) else key  # not its internal key
        self.push_screen(ActionMenu(f"{name}: actions", actions), run)


# The hidden tabs' panes, built when LazyPane mounts them after the first frame: their modules
# (and the Textual widgets only they use) load then, not at start.
def _checks_pane() -> ChecksPane:
    from regtui.ui.widgets.checks_pane import ChecksPane

    return ChecksPane()


def _mirrors_pane() -> MirrorsPane:
    from regtui.ui.widgets.mirrors_pane import MirrorsPane

    return MirrorsPane()


def _ratelimit_pane() -> RateLimitPane:
    from regtui.ui.widgets.ratelimit_pane import RateLimitPane

    return RateLimitPane()
