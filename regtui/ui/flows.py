"""The TUI's write actions: each a linear flow in one async worker (ask, show what changes,
confirm, do it), with blocking work in threads. Mixed into RegTUI."""

from __future__ import annotations

import asyncio

from rich.text import Text
from textual import work

from regtui.core.credentials.resolve import RegistryStatus
from regtui.core.errors import PermissionNeeded, RegtuiError
from regtui.core.mirrors.model import Mirror, MirrorSet, Plan


def _confirm(title: str, body: Text | str, confirm: str = "Write"):  # noqa: ANN202
    from regtui.ui.screens.confirm import ConfirmModal  # modals load when first opened, not at start

    return ConfirmModal(title, body, confirm)


class WriteFlows:
    """Needs ``self.services`` and the App API (notify, push_screen_wait, suspend)."""

    def _writable(self, what: str) -> bool:
        if self.services.read_only:
            self.notify(
                f"regtui was started with --read-only: {what} is disabled",
                title="read-only",
                severity="warning",
                markup=False,
            )
            return False
        return True

    def _failed(self, title: str, exc: RegtuiError) -> None:
        self.notify(exc.render(), title=title, severity="error", markup=False, timeout=10)

    @work(exclusive=True, group="write")
    async def login_flow(self, current: RegistryStatus | None) -> None:
        if not self._writable("logging in"):
            return
        from regtui.ui.screens.login import LoginModal

        request = await self.push_screen_wait(
            LoginModal(current.registry if current else "docker.io", current.username or "" if current else "")
        )
        if request is None:
            return
        self.notify(f"verifying {request.username} at {request.registry}…", markup=False)
        try:
            where = await self.services.login(request.registry, request.username, request.password, request.store)
        except RegtuiError as exc:
            self._failed("login failed", exc)
            return
        from regtui.ui.services import LOGIN_WARNING

        self.notify(
            f"{request.username} at {request.registry}: stored in {where}",
            title="Login Succeeded",
            markup=False,
            severity="warning" if f"\n{LOGIN_WARNING}" in where else "information",
        )
        self.reload_registries()

    @work(exclusive=True, group="write")
    async def logout_flow(self, current: RegistryStatus | None) -> None:
        if current is None or not self._writable("logging out"):
            return
        body = Text(
            f"Removes the credentials for {current.registry} from {current.secret_location} and every "
            f"config.json key that names it: {', '.join(current.keys) or '(none)'}."
        )
        if not await self.push_screen_wait(_confirm(f"Log out of {current.registry}?", body, "Log out")):
            return
        try:
            result = await asyncio.to_thread(self.services.logout, current.registry)
        except RegtuiError as exc:
            self._failed("logout failed", exc)
            return
        said = "logged out" if result.was_logged_in else "was not logged in"
        self.notify(f"{result.registry}: {said}", markup=False)
        self.reload_registries()

    @work(exclusive=True, group="write")
    async def migrate_flow(self, current: RegistryStatus | None) -> None:
        if not self._writable("migrating"):
            return
        names = [current.registry] if current and current.store.kind == "file" else []
        try:
            steps = await asyncio.to_thread(self.services.plan_migration, names)
        except RegtuiError as exc:
            self._failed("migrate", exc)
            return
        moves = [s for s in steps if s.action == "move"]
        if not moves:
            self.notify("no plaintext secret to move", markup=False)
            return
        body = Text(
            "\n".join(
                f"{s.registry} ({s.username}): to the OS keyring, credHelpers: regtui"
                if s.action == "move"
                else f"{s.registry}: skipped: {s.reason}"
                for s in steps
            )
        )
        if not await self.push_screen_wait(_confirm("Move plaintext secrets to the OS keyring?", body, "Move")):
            return
        try:
            moved = await asyncio.to_thread(self.services.migrate, [s.registry for s in moves])
        except RegtuiError as exc:
            self._failed("migrate failed: nothing was changed", exc)
            return
        self.notify(f"moved {len(moved)} registr{'y' if len(moved) == 1 else 'ies'} to the OS keyring", markup=False)
        self.reload_registries()

    @work(exclusive=True, group="write")
    async def mirror_flow(self, action: str, chosen: tuple[MirrorSet, Mirror] | None) -> None:
        if not self._writable("changing mirrors"):
            return
        if action == "add":
            from regtui.ui.screens.add_mirror import AddMirrorModal

            request = await self.push_screen_wait(
                AddMirrorModal(*(chosen[0].runtime, chosen[0].registry) if chosen else ())
            )
            if request is None:
                return
            runtime, url, registry = request.runtime, request.url, request.registry
        elif chosen is None:
            return
        else:
            mirror_set, mirror = chosen
            runtime, url, registry = mirror_set.runtime, mirror.url, mirror_set.registry
            if action == "toggle":
                action = "disable" if mirror.enabled else "enable"
        try:
            plan = await asyncio.to_thread(self.services.plan_mirror, runtime, action, url, registry)
        except RegtuiError as exc:
            self._failed(f"cannot {action} {url}", exc)
            return
        await self._confirm_and_apply(plan)
        self.reload_mirrors()

    async def _confirm_and_apply(self, plan: Plan) -> None:
        diff = "".join(c.diff() for c in plan.changes if c.before != c.after)
        activation = "; ".join(dict.fromkeys(c.activation for c in plan.changes if c.activation))
        from regtui.ui.screens.confirm import diff_text

        body = diff_text(diff + (f"\nafter writing: {activation}" if activation else ""))
        if not await self.push_screen_wait(_confirm(plan.summary, body)):
            return
        try:
            await asyncio.to_thread(self.services.apply_plan, plan, False)
        except PermissionNeeded as exc:
            if not await self.push_screen_wait(
                _confirm(
                    "Root-owned file: write it through sudo?",
                    Text(f"{exc.what}\n\nregtui hands the terminal to sudo, which may ask for your password."),
                    "Use sudo",
                )
            ):
                return
            try:
                with self.suspend():
                    self.services.apply_plan(plan, True)
            except RegtuiError as inner:
                self._failed("writing through sudo failed", inner)
                return
        except RegtuiError as exc:
            self._failed("the mirror change failed", exc)  # the message says what, if anything, was written
            return
        self.notify(
            f"{plan.summary}: done" + (f". To activate: {activation}" if activation else ""), markup=False, timeout=8
        )
