"""The Mirrors pane's writes and questions: test one row, name a registry's test image, reorder,
change a URL, undo the last change (and, from EditorFlow, open a mirror's file in $EDITOR).
Mixed into RegTUI; it extends WriteFlows. Reading and testing are in ui/loaders.py.

Every write shows its diff and asks first (WriteFlows._confirm_and_apply), through sudo when
the file is root's.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import TYPE_CHECKING

from textual import work

from regtui.core.errors import RegtuiError
from regtui.ui.mirror_editor import EditorFlow
from regtui.ui.state import mirror_row_key as row_key

if TYPE_CHECKING:  # the mirror model is not on the first frame's path
    from regtui.core.mirrors.model import Mirror, MirrorSet, Plan
    from regtui.ui.state import TuiState
    from regtui.ui.widgets.mirrors_pane import MirrorsPane

Row = tuple["MirrorSet", "Mirror"]


class MirrorFlows(EditorFlow):
    """Needs RegTUI's ``state``, ``_mounted`` and the loaders' ``test_mirrors``."""

    state: TuiState

    if TYPE_CHECKING:  # RegTUI's (ui/loaders.py)

        def _mounted(self, kind: type[MirrorsPane]) -> MirrorsPane | None: ...

        def test_mirrors(self, keys: list[str] | None = None) -> object: ...  # a Textual worker

    def _mirrors_pane(self) -> MirrorsPane | None:
        from regtui.ui.widgets.mirrors_pane import MirrorsPane  # loads after the first frame (LazyPane)

        return self._mounted(MirrorsPane)

    def test_selected_mirror(self, chosen: Row | None) -> None:
        """``c``: test the selected mirror; the other rows keep their results."""
        if chosen is None:
            self.notify("no mirror selected", markup=False)
        elif not chosen[1].enabled:
            self.notify(f"{chosen[1].url} is switched off: not tested (space switches it on)", markup=False)
        else:
            self.test_mirrors([row_key(*chosen)])

    @work(exclusive=True, group="write")
    async def test_image_flow(self, chosen: Row | None) -> None:
        """``i``: name the image the selected row's registry is tested with; kept, then tested."""
        if chosen is None:
            self.notify("no mirror selected: the test image is named per registry", markup=False)
            return
        from regtui.ui.screens.field import FieldModal

        registry = chosen[0].registry
        text, error = self.state.mirror_images.get(registry) or "", ""
        while True:
            answer = await self.push_screen_wait(
                FieldModal(
                    f"Test image for mirrors of {registry}",
                    "Image (repository[:tag])",
                    text,
                    hint=f"t HEADs this manifest through each mirror of {registry}. Name one that {registry} "
                    "really has; regtui remembers it for this registry.",
                    error=error,
                    placeholder="team/app:1.0",
                )
            )
            if answer is None:
                return
            text = answer
            try:
                image = await asyncio.to_thread(self.workstation.remember_test_image, registry, answer)
            except RegtuiError as exc:
                error = exc.render()
                continue
            break
        self.state.name_image(registry, image)
        pane = self._mirrors_pane()
        if pane is not None:
            pane.show_health(self.state)
        session = self.workstation.session
        note = "for this session only" if session.read_only or session.demo else "remembered"
        self.notify(f"test image for {registry}: {image} ({note})", markup=False)
        self.test_mirrors([k for k, (s, _) in self.state.enabled_mirrors().items() if s.registry == registry])

    # -- reorder, edit the URL --------------------------------------------------------------------------
    @work(exclusive=True, group="write")
    async def move_flow(self, chosen: Row | None, step: int) -> None:
        """shift+up / shift+down: the selected mirror one place earlier or later in the try order."""
        if chosen is None or not self._writable("reordering mirrors"):
            return
        mirror_set, mirror = chosen
        index = mirror_set.mirrors.index(mirror)
        if not 0 <= index + step < len(mirror_set.mirrors):
            where = "first" if step < 0 else "last"
            self.notify(f"{mirror.url} is already tried {where} for {mirror_set.registry}", markup=False)
            return
        from regtui.app.mirror_types import MirrorChange  # the mirror answers load with the first mirror use
        from regtui.core.mirrors.ops import Move

        try:
            change = MirrorChange(mirror_set.runtime, Move(mirror.url, step, relative=True), mirror_set.registry)
            plan = await asyncio.to_thread(self.workstation.plan_mirror, change)
        except RegtuiError as exc:
            self._failed(f"cannot move {mirror.url}", exc)
            return
        await self._confirm_and_apply(plan)
        self.reload_mirrors(row_key(mirror_set, mirror))

    @work(exclusive=True, group="write")
    async def edit_url_flow(self, chosen: Row | None) -> None:
        """``E``: change the selected mirror's URL in place (same position, state and settings)."""
        if chosen is None or not self._writable("editing a mirror"):
            return
        from regtui.app.mirror_types import MirrorChange
        from regtui.core.errors import InputError
        from regtui.core.mirrors.ops import ReplaceUrl
        from regtui.ui.screens.field import FieldModal

        mirror_set, mirror = chosen
        text, error = mirror.url, ""
        while True:
            answer = await self.push_screen_wait(
                FieldModal(
                    f"Change the URL of a {mirror_set.runtime} mirror of {mirror_set.registry}",
                    "Mirror URL",
                    text,
                    hint="It keeps its place in the try order, its state and its settings. "
                    "The change is shown as a diff first.",
                    button="Show the change",
                    error=error,
                )
            )
            if answer is None:
                return
            if answer == mirror.url:
                self.notify("the URL is unchanged: nothing to write", markup=False)
                return
            text = answer
            try:
                change = MirrorChange(mirror_set.runtime, ReplaceUrl(mirror.url, answer), mirror_set.registry)
                plan = await asyncio.to_thread(self.workstation.plan_mirror, change)
            except InputError as exc:  # the URL: the form again, with what was typed
                error = exc.render()
                continue
            except RegtuiError as exc:
                self._failed(f"cannot change {mirror.url}", exc)
                return
            break
        await self._confirm_and_apply(plan)
        self.reload_mirrors(row_key(mirror_set, replace(mirror, url=answer)))

    # -- undo ----------------------------------------------------------------------------------------
    @work(exclusive=True, group="write")
    async def mirror_undo_flow(self, chosen: Row | None) -> None:
        """``u``: put back what regtui's last change to the selected row's runtime wrote."""
        if not self._writable("undo"):
            return
        plan_undo = self.workstation.plan_mirror_undo
        from regtui.core.mirrors.model import RUNTIMES

        runtimes = [chosen[0].runtime] if chosen else list(RUNTIMES)
        plans: list[Plan] = []
        failures: list[RegtuiError] = []
        for runtime in runtimes:
            try:
                plans.append(await asyncio.to_thread(plan_undo, runtime))
            except RegtuiError as exc:
                failures.append(exc)
        if len(plans) != 1:
            if plans:
                self.notify("more than one runtime has a change to undo: select a row of one", markup=False)
            else:
                self._failed("nothing to undo", failures[0])
            return
        await self._confirm_and_apply(plans[0], undo=True)
        self.reload_mirrors(self._selected_key())

    def _selected_key(self) -> str | None:
        pane = self._mirrors_pane()
        return pane.selected_key() if pane else None
