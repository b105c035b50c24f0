"""The TUI's write actions: each a linear flow in one async worker (ask, show what changes,
confirm, do it), with blocking work in threads. Mixed into RegTUI."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work

from regtui.core.credentials.resolve import RegistryStatus
from regtui.core.errors import PermissionNeeded, RegtuiError

if TYPE_CHECKING:
    from textual.app import App

    from regtui.app.workstation import LoginResult, Workstation
    from regtui.core.credentials.migrate import MigrationStep
    from regtui.core.mirrors.model import Mirror, MirrorSet, Plan  # not on the first frame's path
    from regtui.ui.screens.confirm import ConfirmModal

    _AppBase = App[None]  # the mixin is only ever mixed into RegTUI, an App[None]
else:
    _AppBase = object


DOCKER_FILE = "docker"
"""A row of docker's config.json (or no row at all): its writes go there (as --auth-file docker)."""


def _confirm(title: str, body: Text | str, confirm: str = "Write") -> ConfirmModal:
    from regtui.ui.screens.confirm import ConfirmModal  # modals load when first opened, not at start

    return ConfirmModal(title, body, confirm)


class WriteFlows(_AppBase):
    """Needs ``self.workstation`` and the App API (notify, push_screen_wait, suspend)."""

    workstation: Workstation

    if TYPE_CHECKING:  # RegTUI's, which the flows call once a write is done

        def reload_registries(self) -> None: ...

        def reload_mirrors(self, select: str | None = None) -> object: ...  # a Textual worker

    def _writable(self, what: str) -> bool:
        if self.workstation.session.read_only:
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

    def _done(self, message: str, **kwargs: Any) -> None:
        """A write finished; in the demo nothing was written, and the message says so."""
        if self.workstation.session.demo:
            message = f"demo: nothing was stored or written. (Outside the demo: {message}.)"
        self.notify(message, markup=False, **kwargs)

    @work(exclusive=True, group="write")
    async def login_flow(self, current: RegistryStatus | None) -> None:
        if not self._writable("logging in"):
            return
        from regtui.ui.screens.login import LoginDone, LoginModal, LoginRequest

        try:
            stores = await asyncio.to_thread(self.workstation.login_stores)  # may ask the keyring: a thread
        except RegtuiError as exc:
            self._failed("cannot log in", exc)
            return

        async def attempt(request: LoginRequest) -> LoginResult:
            return await self.workstation.login(
                request.registry, request.username, request.password, request.store, auth_file=request.auth_file
            )

        done = await self.push_screen_wait(
            LoginModal(
                current.registry if current else "docker.io",
                current.username or "" if current else "",
                _file_choice(current),
                stores=stores,
                attempt=attempt,
            )
        )
        from regtui.app.credential_types import LoginResult  # the answers load when first needed

        if not isinstance(done, LoginDone) or not isinstance(done.result, LoginResult):
            return
        result = done.result
        # What docker would not say (clear text, another host, no TLS check) follows, one per line.
        warnings = "".join(f"\nwarning: {w.detail}" for w in result.warnings)
        token = " as an identity token (docker keeps only <token>; regtui notes the user name)"
        self._done(
            f"{done.username} at {done.registry}: stored in {result.where}{token if result.identity_token else ''}"
            f"{warnings}",
            title="Login Succeeded",
            severity="warning" if result.warnings else "information",
        )
        self.reload_registries()

    @work(exclusive=True, group="write")
    async def logout_flow(self, current: RegistryStatus | None) -> None:
        if current is None or not self._writable("logging out"):
            return
        if any(d.code == "dangling-helper" for d in current.diagnostics):
            await self._remove_dangling(current)
            return
        body = Text(
            f"Removes the credentials for {current.registry} from {current.secret_location} and every "
            f"key in {current.file or 'config.json'} that names it: {', '.join(current.keys) or '(none)'}."
        )
        if not await self.push_screen_wait(_confirm(f"Log out of {current.registry}?", body, "Log out")):
            return
        try:
            outcome = await asyncio.to_thread(self.workstation.logout, current.registry, auth_file=_row_file(current))
        except RegtuiError as exc:
            self._failed("logout failed", exc)
            return
        said = "logged out" if outcome.result.was_logged_in else "was not logged in"
        self._done(f"{outcome.result.registry}: {said}")
        self.reload_registries()

    @work(exclusive=True, group="write")
    async def migrate_flow(self, current: RegistryStatus | None) -> None:
        if not self._writable("migrating"):
            return
        names = [current.registry] if current and current.store.kind == "file" else []
        file = _row_file(current)  # the selected row's file: docker's config.json or an auth.json
        try:
            plan = await asyncio.to_thread(self.workstation.plan_migration, names, auth_file=file)
        except RegtuiError as exc:
            self._failed("migrate", exc)
            return
        if not plan.moves:
            self.notify("no plaintext secret to move", markup=False)
            return
        body = Text("\n".join(_migration_line(s, plan.file) for s in plan.steps))
        if not await self.push_screen_wait(_confirm("Move plaintext secrets to the OS keyring?", body, "Move")):
            return
        try:
            moved = await asyncio.to_thread(self.workstation.migrate, plan)
        except RegtuiError as exc:
            self._failed("migrate failed: nothing was changed", exc)
            return
        self._done(f"moved {len(moved)} registr{'y' if len(moved) == 1 else 'ies'} to the OS keyring")
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
        from regtui.app.mirror_types import MirrorChange  # loaded on the first mirror edit, not at start
        from regtui.core.mirrors.ops import from_action

        try:
            change = MirrorChange(runtime, from_action(action, url), registry)
            plan = await asyncio.to_thread(self.workstation.plan_mirror, change)
        except RegtuiError as exc:
            self._failed(f"cannot {action} {url}", exc)
            return
        await self._confirm_and_apply(plan)
        self.reload_mirrors()

    async def _confirm_and_apply(self, plan: Plan, undo: bool = False) -> None:
        """Show the plan's diff, ask, write (``undo``: regtui's undo of its last change)."""
        write = self.workstation.apply_mirror_undo if undo else self.workstation.apply_mirror_plan
        diff = "".join(c.diff() for c in plan.changes if c.before != c.after)
        activation = "; ".join(dict.fromkeys(c.activation for c in plan.changes if c.activation))
        from regtui.ui.screens.confirm import diff_text

        body = diff_text(diff + (f"\nafter writing: {activation}" if activation else ""))
        if not await self.push_screen_wait(_confirm(plan.summary, body)):
            return
        try:
            await asyncio.to_thread(write, plan, False)
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
                    write(plan, True)
            except RegtuiError as inner:
                self._failed("writing through sudo failed", inner)
                return
        except RegtuiError as exc:
            self._failed("the mirror change failed", exc)  # the message says what, if anything, was written
            return
        self._done(f"{plan.summary}: done" + (f". To activate: {activation}" if activation else ""), timeout=8)

    async def _remove_dangling(self, current: RegistryStatus) -> None:
        """``d`` or ``f`` on a registry whose helper is not installed: the entries that name it and
        the file's change as a diff (no secret in it), then, confirmed, the atomic write."""
        try:
            plan = await asyncio.to_thread(
                self.workstation.plan_dangling_removal, current.registry, auth_file=_row_file(current)
            )
        except RegtuiError as exc:
            self._failed("cannot remove the helper entry", exc)
            return
        from regtui.ui.screens.confirm import diff_text

        body = Text(
            f"{current.store.label} is not installed, so docker cannot read or erase these credentials. "
            f"Removes from {plan.file}:\n" + "".join(f"  {k}\n" for k in plan.entries) + "\n"
        )
        body.append_text(diff_text(plan.diff))
        body.append("A backup without secrets is kept beside it (.bak).", style="dim")
        title = f"Remove the dangling helper for {current.registry}?"
        if not await self.push_screen_wait(_confirm(title, body, "Remove")):
            return
        try:
            await asyncio.to_thread(self.workstation.apply_dangling_removal, plan)
        except RegtuiError as exc:
            self._failed("nothing was written", exc)
            return
        entries = f"{len(plan.entries)} entr{'y' if len(plan.entries) == 1 else 'ies'}"
        self._done(f"{current.registry}: removed {entries} from {plan.file}")
        self.reload_registries()


def _row_file(current: RegistryStatus | None) -> str:
    """The file a write on the selected row acts on: docker's config.json, or the row's auth.json."""
    from regtui.ui.widgets.registries_table import is_docker_row

    return DOCKER_FILE if current is None or is_docker_row(current) else current.file


def _file_choice(current: RegistryStatus | None) -> str | None:
    """The login form's File for the selected row: docker, or the path of the row's auth.json."""
    return _row_file(current) if current is not None and current.file else None


def _migration_line(step: MigrationStep, file: object) -> str:
    """What migrate does to one registry, naming every key of ``file`` it removes."""
    if step.action != "move":
        return f"{step.registry}: skipped: {step.reason}"
    removed = ", ".join(step.config_keys)
    return (
        f"{step.registry} ({step.username}): the secret goes to the OS keyring (docker-credential-regtui)\n"
        f"    {file}: removes auths {removed}; adds credHelpers {step.key}: regtui and the {{}} marker"
    )
