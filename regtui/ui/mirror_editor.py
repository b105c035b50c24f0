"""``e`` on the Mirrors pane: the selected row's file in $EDITOR, the terminal handed over with
App.suspend (sudoedit when the file is root's), then the mirrors read again."""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import SuspendNotSupported

from regtui.ui.flows import WriteFlows, _confirm
from regtui.ui.state import mirror_row_key as row_key

if TYPE_CHECKING:  # not on the first frame's path
    from regtui.core.mirrors.model import Mirror, MirrorSet


def editor_command() -> list[str]:
    """$EDITOR as an argv (it may carry options: ``code --wait``); vi when unset. ValueError: bad quoting."""
    return shlex.split(os.environ.get("EDITOR") or "vi")


def writable(path: Path) -> bool:
    """Whether this user may write ``path`` (or create it), so no sudoedit is needed."""
    return os.access(path, os.W_OK) if path.exists() else os.access(path.parent, os.W_OK)


class EditorFlow(WriteFlows):
    @work(exclusive=True, group="write")
    async def editor_flow(self, chosen: tuple[MirrorSet, Mirror] | None) -> None:
        """``e``: the selected row's file in $EDITOR (vi if unset), the terminal handed over; reload after."""
        if chosen is None:
            self.notify("no mirror selected: a adds one", markup=False)
            return
        if not self._writable("editing a mirror file"):
            return
        path = chosen[0].source
        if self.workstation.session.demo:  # the demo's files are made up: never open the real one
            self.notify(f"demo: nothing is opened or stored (outside the demo: {path} in $EDITOR)", markup=False)
            return
        try:
            editor = editor_command()
        except ValueError as exc:
            self.notify(f"$EDITOR cannot be parsed: {exc}", severity="error", markup=False)
            return
        argv = [*editor, str(path)]
        env = None
        if not writable(path):
            body = Text(f"{path} is root's. sudoedit copies it, opens the copy in {editor[0]} and writes it back.")
            if not await self.push_screen_wait(_confirm(f"Edit {path.name} through sudoedit?", body, "sudoedit")):
                return
            argv, env = ["sudo", "-e", str(path)], {**os.environ, "SUDO_EDITOR": shlex.join(editor)}
        try:
            with self.suspend():
                # The loop waits on purpose, as Textual's own suspend example does: the terminal is the editor's.
                finished = subprocess.run(argv, env=env, check=False)  # noqa: ASYNC221
        except SuspendNotSupported:
            self.notify(f"this terminal cannot be handed to an editor: edit {path} yourself, then r", markup=False)
            return
        except OSError as exc:
            self.notify(f"cannot run {argv[0]}: {exc.strerror}", title="$EDITOR", severity="error", markup=False)
            return
        if finished.returncode:
            self.notify(f"{argv[0]} exited with {finished.returncode}", severity="warning", markup=False)
        self.notify(f"{path}: read again", markup=False)
        self.reload_mirrors(row_key(*chosen))
