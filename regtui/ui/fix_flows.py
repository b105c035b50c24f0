"""f on a Registries row: run the fix of its problem (a menu when it has several), each shown
before it writes. Mixed into RegTUI beside WriteFlows, whose flows it reuses."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work

from regtui.core.credentials.resolve import RegistryStatus
from regtui.core.errors import RegtuiError
from regtui.ui.fixes import Fix, fixes
from regtui.ui.flows import WriteFlows, _confirm

if TYPE_CHECKING:
    from regtui.core.credentials.exposure import FileFinding
    from regtui.core.registry.model import CheckResult


class FixFlows(WriteFlows):
    @work(exclusive=True, group="write")
    async def fix_flow(self, current: RegistryStatus | None, findings: list[FileFinding]) -> None:
        if current is None or not self._writable("fixing"):
            return
        from regtui.ui.widgets.registries_table import ranked

        found = fixes(current, ranked(current), findings)
        if not found:
            self.notify(f"{current.registry}: nothing to fix here", markup=False)
            return
        chosen = found[0] if len(found) == 1 else await self._choose(current, found)
        if chosen is None:
            return
        if chosen.kind == "migrate":
            self.migrate_flow(current)
        elif chosen.kind == "login":
            self.login_flow(current)
        elif chosen.kind in ("dangling", "logout"):
            self.logout_flow(current)  # a dangling helper: its entries are shown, then removed
        elif chosen.kind == "stray":
            await self._remove_stray()
        elif chosen.kind == "chmod":
            await self._tighten(chosen.path)

    @work(exclusive=True, group="write")
    async def check_fix_flow(self, result: CheckResult, current: RegistryStatus | None) -> None:
        """f on the Checks tab: an untrusted certificate shows its CA's directory (copyable); refused
        or missing credentials open the login form; any other failure names its fix."""
        failure = result.failure
        if failure is None:
            self.notify(f"{result.registry}: healthy, nothing to fix", markup=False)
            return
        cause = str(failure.cause or "")
        if cause == "untrusted-cert":
            from regtui.ui.screens.ca_path import CaPathModal

            directory = await asyncio.to_thread(self.workstation.ca_directory, result.registry)
            await self.push_screen_wait(CaPathModal(result.registry, directory, failure.detail))
        elif cause in ("bad-credentials", "not-logged-in", "anonymous-denied", "auth"):
            self.login_flow(current)
        else:
            fix = f": {failure.fix}" if failure.fix else ""
            self.notify(f"{result.registry}: no fix to run from here{fix}", markup=False, timeout=10)

    async def _choose(self, current: RegistryStatus, found: list[Fix]) -> Fix | None:
        from regtui.ui.screens.action_menu import ActionMenu, RowAction

        actions = [RowAction(str(i), f.label, "", self) for i, f in enumerate(found, 1)]
        picked = await self.push_screen_wait(ActionMenu(f"{current.registry}: fixes", actions))
        return next((f for a, f in zip(actions, found, strict=True) if a is picked), None)

    async def _remove_stray(self) -> None:
        try:
            keys = await asyncio.to_thread(self.workstation.remove_stray_hub_keys, False)
        except RegtuiError as exc:
            self._failed("cannot remove the stray keys", exc)
            return
        body = Text(
            "docker reads Docker Hub's credentials under https://index.docker.io/v1/ only. "
            "Removes from config.json:\n" + "\n".join(f"  {k}" for k in keys)
        )
        if not await self.push_screen_wait(_confirm("Remove the Docker Hub keys docker never reads?", body, "Remove")):
            return
        try:
            await asyncio.to_thread(self.workstation.remove_stray_hub_keys, True)
        except RegtuiError as exc:
            self._failed("nothing was written", exc)
            return
        self._done(f"removed {len(keys)} stray Docker Hub key{'s' if len(keys) != 1 else ''} from config.json")
        self.reload_registries()

    async def _tighten(self, path: str) -> None:
        body = Text(f"{path} holds plaintext credentials. Makes it readable by its owner alone:\n  chmod 600 {path}")
        if not await self.push_screen_wait(_confirm("Tighten the file's mode?", body, "chmod 600")):
            return
        try:
            before, after = await asyncio.to_thread(self.workstation.tighten_file_mode, path)
        except RegtuiError as exc:
            self._failed("the mode was not changed", exc)
            return
        self._done(f"{path}: mode {before:04o} -> {after:04o}")
        self.reload_registries()
