"""The command palette's own commands (ctrl+p), beside Textual's: under --read-only none that writes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual.app import SystemCommand
from textual.binding import Binding
from textual.widget import Widget

from regtui.ui.fix_flows import FixFlows
from regtui.ui.loaders import Loaders
from regtui.ui.mirror_flows import MirrorFlows
from regtui.ui.widgets.registries_pane import RegistriesPane

if TYPE_CHECKING:
    from textual.screen import Screen

WRITE_COMMANDS = frozenset({"Log in", "Log out", "Migrate", "Add mirror", "Fix"})


class PaletteCommands(Loaders, FixFlows, MirrorFlows):
    if TYPE_CHECKING:  # RegTUI's

        def action_show_tab(self, tab: str) -> None: ...

        def action_messages(self) -> None: ...

    def _check_all(self) -> None:
        self.action_show_tab("checks")
        self.check_registries([])

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """--read-only: the palette offers no command that writes."""
        read_only = self.workstation.session.read_only
        yield from (c for c in self._commands(screen) if not (read_only and c.title in WRITE_COMMANDS))

    def _pane_commands(self, pane: Widget, noun: str) -> Iterable[SystemCommand]:
        """Every key of ``pane``, by name, with its key (the footer shows the essential ones only);
        none that the pane's ``check_action`` refuses (--read-only)."""
        seen: set[str] = set()
        for binding in pane.BINDINGS:
            if not isinstance(binding, Binding) or binding.action in seen:
                continue
            seen.add(binding.action)
            if not pane.check_action(binding.action.split("(")[0], ()):
                continue
            key = binding.key_display or binding.key.split(",")[0]

            async def run(action: str = binding.action) -> None:
                await self.run_action(action, pane)

            yield SystemCommand(f"{noun}: {binding.description}", f"{key} on the {noun}s tab", run)

    def _commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        from regtui.ui.widgets.mirrors_pane import MirrorsPane  # loads after the first frame (LazyPane)

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
        if mirrors is not None and mirrors.is_mounted:
            yield from self._pane_commands(mirrors, "Mirror")
        yield SystemCommand("Messages", "Every notification, timestamped, in full (L)", self.action_messages)
        yield SystemCommand("Rate limit", "Docker Hub's pull rate limit", lambda: self.action_show_tab("ratelimit"))
        yield SystemCommand(
            "Report", "Write a Markdown report for a support ticket (user names masked)", self.write_report
        )
