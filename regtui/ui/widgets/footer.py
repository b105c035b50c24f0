"""FittingFooter: the footer shows whole keys only.

Textual's Footer lays every shown binding out in one row and docks the command palette's key
on its right, over whatever is under it, so at 80 columns the Mirrors pane's keys were cut
mid-word ("M ^p palette"). This footer keeps the keys that fit, in their order, and drops the
rest whole, from the last one back (Help, which lists every key, always stays). Every key
dropped is still bound, and in the help (?) and the command palette (ctrl+p).
"""

from __future__ import annotations

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

KEEP = {"help"}
"""Actions whose key is never dropped: ? lists every key."""


def width_of(widget: Widget) -> int:
    """Cells a footer item takes: " key description " (the palette's key too: its border replaces a space)."""
    if isinstance(widget, FooterKey):
        return cell_len(widget.key_display) + cell_len(widget.description) + 3
    return 1_000  # a binding group (none here): never squeezed in


class FittingFooter(Footer):
    def compose(self) -> ComposeResult:
        items = list(super().compose())
        palette = [w for w in items if w.has_class("-command-palette")]
        keys = [w for w in items if w not in palette]
        room = (self.size.width or self.app.size.width) - sum(width_of(w) for w in palette)
        while keys and sum(width_of(w) for w in keys) > room:
            droppable = [w for w in keys if not (isinstance(w, FooterKey) and w.action in KEEP)]
            if not droppable:
                break
            keys.remove(droppable[-1])
        yield from keys
        yield from palette

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != getattr(self, "_laid_out_for", None):
            self._laid_out_for = event.size.width
            self.call_after_refresh(self.recompose)
