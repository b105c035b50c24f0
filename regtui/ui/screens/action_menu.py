"""ActionMenu: Enter on a row lists what can be done to it; each entry is a key the pane already has."""

from __future__ import annotations

from dataclasses import dataclass

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static, TabbedContent
from textual.widgets.option_list import Option

from regtui.ui.safe import plain


@dataclass(frozen=True)
class RowAction:
    key: str
    description: str
    action: str
    node: DOMNode
    """Where the action runs: the pane that binds the key, or the app."""
    shown: str = ""
    """How the key is shown (⇧↑ for shift+up); ``key`` when empty."""


def _display(key: str) -> str:
    return {"space": "space", "question_mark": "?", "slash": "/"}.get(key, key)


def row_actions(start: DOMNode) -> list[RowAction]:
    """The shown bindings of ``start``'s ancestors (the pane's row keys first), and the hidden ones
    a pane names in its ``MENU`` (kept out of a narrow footer, still the row's), each once, that
    the node allows now (its ``check_action``: read-only, or not for this row)."""
    found: list[RowAction] = []
    seen: set[str] = set()
    node: DOMNode | None = start.parent
    while node is not None and not isinstance(node, ModalScreen):
        for binding in node.BINDINGS if isinstance(node.BINDINGS, list) else []:
            if not isinstance(binding, Binding) or binding.action in seen:
                continue
            if not binding.show and binding.action not in getattr(node, "MENU", ()):
                continue
            name, _, _ = binding.action.partition("(")
            params = _params(binding.action)
            if node.check_action(name, params) is not True:
                continue
            seen.add(binding.action)
            key = _display(binding.key.split(",")[0])
            found.append(RowAction(key, binding.description, binding.action, node, binding.key_display or ""))
        node = node.parent
        if isinstance(node, TabbedContent):
            break  # the app's own keys (quit, help, refresh) are not the row's
    return found


def _params(action: str) -> tuple[object, ...]:
    inside = action.partition("(")[2].rstrip(")")
    return tuple(p.strip().strip("'\"") for p in inside.split(",")) if inside else ()


def _entry(action: RowAction) -> Table:
    """The key, then its description: a long one wraps under the description, not the key."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=5, no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(action.shown or action.key, plain(action.description))
    return grid


class ActionMenu(ModalScreen[RowAction | None]):
    BINDINGS = [Binding("escape,q", "dismiss(None)", "Close")]
    DEFAULT_CSS = """
    ActionMenu { align: center middle; }
    ActionMenu > Vertical { width: 56; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1; }
    ActionMenu #action-menu-title { text-style: bold; padding: 0 0 1 0; }
    ActionMenu OptionList { height: auto; max-height: 100%; border: none; padding: 0; background: $surface; }
    ActionMenu OptionList:focus { border: none; }
    """

    def __init__(self, title: str, actions: list[RowAction]) -> None:
        super().__init__()
        self.title_text, self.actions = title, actions

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(plain(self.title_text), id="action-menu-title")
            yield OptionList(*(Option(_entry(a), id=str(i)) for i, a in enumerate(self.actions)), id="action-menu")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.actions[int(event.option_id or 0)])

    def on_key(self, event) -> None:  # noqa: ANN001
        """The action's own key works here too."""
        for action in self.actions:
            if event.key == action.key or event.character == action.key:
                event.stop()
                self.dismiss(action)
                return
