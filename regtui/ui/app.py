"""RegTUI: the application, over one Workstation (regtui.app: the real one, or the demo).

Tabs: Registries, Checks, Mirrors, Rate limit. Each tab loads the first time it is shown;
all I/O runs in workers. Panes post ActionRequested; the app, which owns the workstation, acts.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from concurrent.futures import Future
from pathlib import Path
from typing import Any, TypeVar

from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.lazy import Lazy
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable, Footer, Header, TabbedContent, TabPane, Tabs

from regtui.app.workstation import MirrorTarget, Workstation
from regtui.core.credentials.resolve import RegistryStatus
from regtui.core.errors import RegtuiError
from regtui.ui.crash import CrashGuard
from regtui.ui.flows import WriteFlows
from regtui.ui.gcpause import freeze_startup_objects
from regtui.ui.messages import ActionRequested
from regtui.ui.offloop import in_batches
from regtui.ui.safe import clean
from regtui.ui.widgets.checks_pane import ChecksPane
from regtui.ui.widgets.mirrors_pane import MirrorsPane
from regtui.ui.widgets.nav_table import NavTable
from regtui.ui.widgets.ratelimit_pane import RateLimitPane
from regtui.ui.widgets.registries_pane import RegistriesPane
from regtui.ui.widgets.tabs import StayingTabbedContent

TABS = ("registries", "checks", "mirrors", "ratelimit")
PaneT = TypeVar("PaneT", bound=Widget)


class RegTUI(CrashGuard, WriteFlows, App[None]):
    CSS_PATH = Path(__file__).with_name("regtui.tcss")  # absolute: subclasses elsewhere find it too
    TITLE = "regtui"
    BINDINGS = [
        Binding("q", "quit", "Quit", id="regtui.quit"),
        Binding("question_mark", "help", "Help", id="regtui.help"),
        Binding("r", "refresh", "Refresh", id="regtui.refresh"),
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
        self._loaded: set[str] = set()
        self.unexpected_errors: list[BaseException] = []
        self.theme = "textual-dark"

    def notify(self, message: str, *, title: str = "", **kwargs: Any) -> None:
        """Every notification's text without terminal controls (it often quotes a server)."""
        super().notify(clean(message), title=clean(title), **kwargs)

    def compose(self) -> ComposeResult:
        yield Header()
        with StayingTabbedContent(initial="registries"):
            with TabPane("Registries", id="registries"):
                yield RegistriesPane(self.workstation.session.source)
            # The hidden tabs mount after the first frame (Lazy), so they cost the start nothing.
            with TabPane("Checks", id="checks"):
                yield Lazy(ChecksPane())
            with TabPane("Mirrors", id="mirrors"):
                yield Lazy(MirrorsPane())
            with TabPane("Rate limit", id="ratelimit"):
                yield Lazy(RateLimitPane())
        yield Footer()

    def on_mount(self) -> None:
        freeze_startup_objects()  # short GC pauses while checks run (ui/gcpause.py)
        # The tab strip takes no focus: Tab and shift+Tab move among the pane's own widgets, so the
        # pane's keys keep working (1-4 and clicks switch tabs).
        self.query_one(TabbedContent).query_one(Tabs).can_focus = False
        self.sub_title = " · ".join(
            note
            for note, on in (
                ("DEMO: made-up data, nothing is stored", self.workstation.session.demo),
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
        self._focus_tab(tab)
        if tab not in self._loaded:
            self._loaded.add(tab)
            self.action_refresh()

    @work(group="focus", exclusive=True)  # the last tab shown wins: never focus a hidden pane
    async def _focus_tab(self, tab: str) -> None:
        """Put the keyboard on the tab's table, once its (lazily mounted) pane exists."""
        kinds: dict[str, type[RegistriesPane | ChecksPane | MirrorsPane]] = {
            "registries": RegistriesPane,
            "checks": ChecksPane,
            "mirrors": MirrorsPane,
        }
        kind = kinds.get(tab)
        if kind is not None:
            pane = await self._pane(kind)
            table = pane.query(DataTable).first() if pane.query(DataTable) else None
            if table is not None and self.query_one(TabbedContent).active == tab:
                table.focus()

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

    # -- loading -------------------------------------------------------------------------------
    def reload_registries(self) -> None:
        self.load_registries(None)

    @work(thread=True, exclusive=True, group="registries")
    def load_registries(self, preloaded: Future[list[RegistryStatus]] | None = None) -> None:
        try:
            statuses = preloaded.result() if preloaded is not None else self.workstation.list_registries()
        except RegtuiError as exc:
            self.call_from_thread(self.query_one(RegistriesPane).show_error, exc.render())
            return
        self.call_from_thread(self._show_registries, statuses)

    def _show_registries(self, statuses: list[RegistryStatus]) -> None:
        self.query_one(RegistriesPane).show(statuses)
        self.query_one("#registries-table", DataTable).focus()

    async def _pane(self, kind: type[PaneT]) -> PaneT:
        """The pane once mounted: the hidden tabs mount lazily, when first shown."""
        for _ in range(500):
            pane = self.query_one_optional(kind)
            if pane is not None and pane.is_mounted:
                return pane
            await asyncio.sleep(0.01)
        return self.query_one(kind)

    @work(exclusive=True, group="checks")
    async def check_registries(self, names: list[str]) -> None:
        pane = await self._pane(ChecksPane)
        every = dict.fromkeys(s.registry for s in self.query_one(RegistriesPane).statuses.values())  # one per file
        names = names or list(every) or ["docker.io"]
        pane.start(names)
        registries = self.query_one(RegistriesPane)
        check = self.workstation.check
        # The checks run on a loop of their own (ui/offloop.py); results come in batches, one
        # table update per batch, so keys are not queued behind dozens of results.
        async for batch in in_batches(lambda: check(names)):
            for result in batch:
                pane.add(result)
                registries.set_latency(result.registry, result.ms, result.healthy)

    @work(exclusive=True, group="mirrors")
    async def reload_mirrors(self) -> None:
        listing = await asyncio.to_thread(self.workstation.list_mirrors)
        (await self._pane(MirrorsPane)).show(listing.sets, [e.render() for e in listing.errors])

    @work(exclusive=True, group="mirrors-test")
    async def test_mirrors(self) -> None:
        pane = await self._pane(MirrorsPane)
        rows = pane.enabled_rows()
        if not rows:
            self.notify("no mirror is switched on: nothing to test", markup=False)
            return
        self.notify(f"testing {len(rows)} enabled mirror{'s' if len(rows) != 1 else ''}…", markup=False)
        results = await self.workstation.test_mirrors([MirrorTarget.of(s, m) for s, m in rows.values()])
        pane.show_health(dict(zip(rows, results, strict=True)))

    @work(exclusive=True, group="report")
    async def write_report(self) -> None:
        """The palette's Report: `regtui report --markdown` into a file, for a support ticket."""
        self.notify("gathering the report: registries, checks, mirrors, rate limit, files, tools…", markup=False)
        try:
            written = await self.workstation.write_report()
        except RegtuiError as exc:
            self.notify(exc.render(), title="no report written", severity="error", markup=False, timeout=10)
            return
        verdict = "every check passed" if written.healthy else "some checks fail: see the report"
        self.notify(f"report written to {written.path} (user names masked; {verdict})", markup=False, timeout=15)

    @work(exclusive=True, group="ratelimit")
    async def load_ratelimit(self) -> None:
        pane = await self._pane(RateLimitPane)
        pane.loading_state()
        reading = await self.workstation.read_ratelimit()
        pane.show(reading.anonymous, reading.authenticated, reading.note)

    # -- actions from the panes ----------------------------------------------------------------
    @on(ActionRequested)
    def _act(self, request: ActionRequested) -> None:
        action, target = request.action, request.target
        if action == "login":
            self.login_flow(target)
        elif action == "logout":
            self.logout_flow(target)
        elif action == "migrate":
            self.migrate_flow(target)
        elif action == "check" and isinstance(target, RegistryStatus):
            self._loaded.add("checks")
            self.action_show_tab("checks")
            self.check_registries([target.registry])
        elif action == "check" and isinstance(target, str):  # from the Checks tab: the row's registry
            self.check_registries([target])
        elif action == "check-all":
            self.check_registries([])
        elif action == "toggle":
            self.mirror_flow("toggle", target)
        elif action == "add-mirror":
            self.mirror_flow("add", target)
        elif action == "remove-mirror":
            self.mirror_flow("remove", target)
        elif action == "test-mirrors":
            self.test_mirrors()
        elif action == "ratelimit":
            self.load_ratelimit()

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

        self.push_screen(ActionMenu(f"{event.table.cursor_key or ''}: actions", actions), run)

    def _check_all(self) -> None:
        self.action_show_tab("checks")
        self.check_registries([])

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        registries = self.query_one(RegistriesPane)
        mirrors = self.query_one_optional(MirrorsPane)
        yield SystemCommand("Log in", "Log in to a registry (verified first)", lambda: self.login_flow(None))
        yield SystemCommand(
            "Log out", "Log out of the selected registry", lambda: self.logout_flow(registries.selected)
        )
        yield SystemCommand("Migrate", "Move plaintext secrets into the OS keyring", lambda: self.migrate_flow(None))
        yield SystemCommand("Check all", "Check every registry", self._check_all)
        yield SystemCommand(
            "Add mirror",
            "Add a registry mirror",
            lambda: self.mirror_flow("add", mirrors.selected if mirrors else None),
        )
        yield SystemCommand("Test mirrors", "Test every enabled mirror", self.test_mirrors)
        yield SystemCommand("Rate limit", "Docker Hub's pull rate limit", lambda: self.action_show_tab("ratelimit"))
        yield SystemCommand(
            "Report", "Write a Markdown report for a support ticket (user names masked)", self.write_report
        )
