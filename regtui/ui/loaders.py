"""The TUI's reads: each a worker that asks the workstation, keeps the answer in the app's
state (ui/state.py) and has the pane render it, if that pane is mounted yet. A hidden tab's
pane mounts when first shown and posts ``Ready``; the app then fills it in from the state, so
nothing waits for a pane. Mixed into RegTUI (whose ``on_<pane>_ready`` handlers call the ``fill_*``
methods). The hidden tabs' pane modules are imported where they are used: they load after the
first frame (ui/widgets/lazy_pane.py)."""

from __future__ import annotations

import asyncio
from concurrent.futures import Future
from dataclasses import replace
from typing import TYPE_CHECKING, TypeVar

from textual import work
from textual.widget import Widget

from regtui.app.workstation import PullSample
from regtui.core.errors import RegtuiError
from regtui.ui.offloop import in_batches
from regtui.ui.widgets.registries_pane import RegistriesPane

if TYPE_CHECKING:
    from datetime import datetime

    from textual.app import App

    from regtui.app.workstation import Preferences, Workstation
    from regtui.core.check_history import KeptCheck
    from regtui.core.credentials.resolve import RegistryStatus
    from regtui.core.registry.model import CheckResult
    from regtui.ui.state import TuiState
    from regtui.ui.widgets.ratelimit_pane import RateLimitPane

    _AppBase = App[None]  # the mixin is only ever mixed into RegTUI, an App[None]
else:
    _AppBase = object

PaneT = TypeVar("PaneT", bound=Widget)


class Loaders(_AppBase):
    """Needs ``self.workstation`` and ``self.state``."""

    workstation: Workstation
    state: TuiState
    preferences: Preferences

    if TYPE_CHECKING:  # RegTUI's

        def _focus_if_shown(self, pane: Widget, tab: str) -> None: ...

        def refresh_status(self) -> None: ...

        def clock(self) -> datetime: ...

    def _mounted(self, kind: type[PaneT]) -> PaneT | None:
        """The pane, if its tab has been shown (the hidden tabs mount lazily)."""
        pane = self.query_one_optional(kind)
        return pane if pane is not None and pane.is_mounted else None

    # -- registries ------------------------------------------------------------------------------
    def reload_registries(self) -> None:
        self.load_registries(None)

    @work(thread=True, exclusive=True, group="registries")
    def load_registries(self, preloaded: Future[list[RegistryStatus]] | None = None) -> None:
        try:
            if preloaded is None:
                self.preferences = self.workstation.preferences()  # a login may have noted a user name
            statuses = preloaded.result() if preloaded is not None else self.workstation.list_registries()
        except RegtuiError as exc:
            self.call_from_thread(self.query_one(RegistriesPane).show_error, exc.render())
            return
        self.call_from_thread(self._show_registries, statuses)

    def _show_registries(self, statuses: list[RegistryStatus]) -> None:
        self.state.registries = statuses
        self.query_one(RegistriesPane).show(statuses, self.preferences.token_users)
        self.refresh_status()
        self.query_one("#registries-table").focus()
        self.load_findings()
        if not self.state.kept_restored:  # once the rows are there to take their latency
            self.state.kept_restored = True
            self.restore_checks()

    @work(thread=True, exclusive=True, group="findings")
    def load_findings(self) -> None:
        """The credential files' own problems (their mode), after the rows: they cost a stat each."""
        try:
            findings = self.workstation.file_findings()
        except RegtuiError:
            return  # the listing said what is wrong with the files already
        self.call_from_thread(self.query_one(RegistriesPane).set_findings, findings)

    # -- checks ----------------------------------------------------------------------------------
    @work(exclusive=True, group="checks")
    async def check_registries(self, names: list[str]) -> None:
        from regtui.ui.widgets.checks_pane import ChecksPane

        every = dict.fromkeys(s.registry for s in self.state.registries)  # a registry may be in several files
        names = names or list(every) or ["docker.io"]
        self.state.checking = list(names)
        for name in names:
            self.state.checks.pop(name, None)
            self.state.checked_at.pop(name, None)
        pane = self._mounted(ChecksPane)
        if pane is not None:
            pane.start(names)
        registries = self.query_one(RegistriesPane)
        check = self.workstation.check
        # The checks run on a loop of their own (ui/offloop.py); results come in batches, one
        # table update per batch, so keys are not queued behind dozens of results.
        repo = self.state.check_repo  # `regtui check --repo`: pull access to it is tested too
        done: list[CheckResult] = []
        async for batch in in_batches(lambda: check(names, repo=repo) if repo else check(names)):
            pane = self._mounted(ChecksPane)
            for result in batch:
                self.state.checks[result.registry] = result
                registries.set_latency(result.registry, result.ms, result.healthy)
            if pane is not None:
                pane.add_many(batch)  # its summary and detail once per batch, not per result
            self.refresh_status()
            done += batch
        at = self.clock().astimezone().isoformat(timespec="seconds")
        problem = await asyncio.to_thread(self.workstation.keep_checks, done, at)  # for the next run
        if problem:
            self.notify(problem, title="check results not kept for the next run", severity="warning", markup=False)

    @work(thread=True, exclusive=True, group="kept-checks")
    def restore_checks(self) -> None:
        """The last result of each registry from earlier runs, shown dimmed with when it was checked."""
        kept, problem = self.workstation.kept_checks()
        self.call_from_thread(self._show_kept, kept, problem)

    def _show_kept(self, kept: list[KeptCheck], problem: str) -> None:
        from regtui.ui.widgets.checks_pane import ChecksPane

        if problem:
            self.notify(problem, title="earlier check results", severity="warning", markup=False, timeout=8)
        registries = self.query_one(RegistriesPane)
        for each in kept:
            name = each.result.registry
            if name in self.state.checks or name in self.state.checking:
                continue  # checked in this run already: the fresh result wins
            self.state.checks[name], self.state.checked_at[name] = each.result, each.at
            registries.set_latency(name, each.result.ms, each.result.healthy, stale=True)
        self.refresh_status()
        pane = self._mounted(ChecksPane)
        if pane is not None:
            self.fill_checks_pane()

    def checked_label(self, registry: str) -> str:
        """ "checked 14:02" for a result of an earlier run; "" for this run's."""
        from regtui.ui.widgets.checks_pane import checked_label

        at = self.state.checked_at.get(registry)
        return checked_label(at, self.clock().date()) if at else ""

    def fill_checks_pane(self) -> None:
        """The Checks pane has mounted: show the run under way and the results so far."""
        from regtui.ui.widgets.checks_pane import ChecksPane

        pane = self.query_one_optional(ChecksPane)
        if pane is None:  # the app is closing: its Ready came after the panes went
            return
        if self.state.checking:
            pane.start(self.state.checking)
        for result in self.state.checks.values():
            pane.add(result, self.checked_label(result.registry))
        self._focus_if_shown(pane, "checks")

    # -- mirrors ---------------------------------------------------------------------------------
    @work(exclusive=True, group="mirrors")
    async def reload_mirrors(self, select: str | None = None) -> None:
        """Read the mirror files again (and each registry's test image); the cursor goes to the
        row keyed ``select`` when given."""
        from regtui.ui.widgets.mirrors_pane import MirrorsPane

        workstation = self.workstation
        listing = await asyncio.to_thread(workstation.list_mirrors)
        registries = sorted({s.registry for s in listing.sets})
        images = await asyncio.to_thread(workstation.test_images, registries)
        self.state.mirror_sources = await asyncio.to_thread(workstation.mirror_sources)
        self.state.mirror_sets = listing.sets
        self.state.mirror_errors = [e.render() for e in listing.errors]
        self.state.learn_images(images)
        self.refresh_status()
        pane = self._mounted(MirrorsPane)
        if pane is not None:
            pane.show(self.state, select)

    @work(exclusive=True, group="mirrors-test")
    async def test_mirrors(self, keys: list[str] | None = None) -> None:
        """Test every row that is on (or the rows ``keys``), each with its registry's test image;
        a registry with none is not tested, and the user is asked to name one."""
        from regtui.app.mirror_types import MirrorTarget  # the mirror answers load with the first mirror use
        from regtui.ui.widgets.mirrors_pane import MirrorsPane

        rows = {k: r for k, r in self.state.enabled_mirrors().items() if keys is None or k in keys}
        if not rows:
            self.notify("no mirror is switched on: nothing to test", markup=False)
            return
        registries = sorted({s.registry for s, _ in rows.values()})
        self.state.learn_images(await asyncio.to_thread(self.workstation.test_images, registries))
        ready = {
            key: replace(MirrorTarget.of(s, m), image=self.state.mirror_images[s.registry])
            for key, (s, m) in rows.items()
            if self.state.mirror_images.get(s.registry)
        }
        skipped = [k for k in rows if k not in ready]
        missing = sorted({rows[k][0].registry for k in skipped})
        if missing:
            self.notify(
                f"no test image known for {', '.join(missing)}: select one of its mirrors and press i to name "
                "an image its mirrors should serve (regtui remembers it); those rows are not tested",
                title="test image needed",
                severity="warning",
                markup=False,
                timeout=12,
            )
        results = []
        if ready:
            self.notify(f"testing {len(ready)} enabled mirror{'s' if len(ready) != 1 else ''}…", markup=False)
            results = await self.workstation.test_mirrors(list(ready.values()))
        self.state.record_health(dict(zip(ready, results, strict=True)), skipped, every=keys is None)
        pane = self._mounted(MirrorsPane)
        if pane is not None:
            pane.show_health(self.state)

    def fill_mirrors_pane(self) -> None:
        """The Mirrors pane has mounted: show the mirrors read so far, and their health."""
        from regtui.ui.widgets.mirrors_pane import MirrorsPane

        pane = self.query_one_optional(MirrorsPane)
        if pane is None:  # the app is closing: its Ready came after the panes went
            return
        if self.state.mirror_sets is not None:
            pane.show(self.state)
        self._focus_if_shown(pane, "mirrors")

    # -- Docker Hub ------------------------------------------------------------------------------
    @work(exclusive=True, group="ratelimit")
    async def load_ratelimit(self) -> None:
        from regtui.ui.widgets.ratelimit_pane import RateLimitPane

        shown = self.state.ratelimit  # a refresh keeps the last reading on screen until the next
        self.state.ratelimit, self.state.ratelimit_loading = None, True
        pane = self._mounted(RateLimitPane)
        if pane is not None:
            pane.loading_state() if shown is None else pane.refreshing()
        try:
            reading = await self.workstation.read_ratelimit()
        finally:
            self.state.ratelimit_loading = False
        at = self.clock()
        sample = PullSample.of(
            reading.authenticated or reading.anonymous, at.astimezone().isoformat(timespec="seconds")
        )
        self.state.pull_history = await asyncio.to_thread(self.workstation.record_pulls, sample)
        self.state.ratelimit, self.state.ratelimit_read_at = reading, at
        self.refresh_status()
        pane = self._mounted(RateLimitPane)
        if pane is not None:
            self._show_ratelimit(pane)

    def _show_ratelimit(self, pane: RateLimitPane) -> None:
        reading = self.state.ratelimit
        if reading is not None:
            pane.show(reading.anonymous, reading.authenticated, reading.note)
            pane.show_history(self.state.pull_history, self.state.ratelimit_read_at)

    def fill_ratelimit_pane(self) -> None:
        """The Rate limit pane has mounted: show the reading, or that one is under way."""
        from regtui.ui.widgets.ratelimit_pane import RateLimitPane

        pane = self.query_one_optional(RateLimitPane)
        if pane is None:  # the app is closing: its Ready came after the panes went
            return
        if self.state.ratelimit is not None:
            self._show_ratelimit(pane)
        elif self.state.ratelimit_loading:
            pane.loading_state()
        self._focus_if_shown(pane, "ratelimit")

    # -- support ---------------------------------------------------------------------------------
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
