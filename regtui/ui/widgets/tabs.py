"""TabbedContent that a late focus cannot switch.

Textual's TabbedContent shows the pane of any widget that gets focus. A focus asked for while
a tab was shown can land after the user has moved on (``Widget.focus`` is deferred, and a
lazily mounted pane is focused when it is ready): pressing 2 then 1 quickly flipped back to the
Checks tab, and the keys that followed went to its table. Here a focus inside a pane that is not
the one shown is taken back to the shown pane instead.
"""

from __future__ import annotations

from textual.widgets import TabbedContent, TabPane


class StayingTabbedContent(TabbedContent):
    def _on_tab_pane_focused(self, event: TabPane.Focused) -> None:
        if event.tab_pane.id == self.active:
            return  # TabbedContent's own handler runs next (it changes nothing here)
        event.prevent_default()  # not TabbedContent's: it would show the hidden pane
        event.stop()
        shown = self.active_pane
        if shown is None:
            return
        target = next((w for w in self.screen.focus_chain if shown in w.ancestors), None)
        self.screen.set_focus(target)
