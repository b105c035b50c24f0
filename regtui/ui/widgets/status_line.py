"""StatusLine: the counts that matter, on one line above the footer.

"7 registries · 1 plaintext · 1 failing · 2 mirrors off · 160/200 pulls left": each part
appears once its tab has loaded (mirrors and the rate limit are read when first shown).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

if TYPE_CHECKING:
    from regtui.ui.state import TuiState

_PLAINTEXT = ("plaintext", "masked-plaintext")


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


class StatusLine(Static):
    DEFAULT_CSS = """
    StatusLine { height: 1; padding: 0 1; background: $panel; color: $text-muted; }
    """

    def __init__(self) -> None:
        super().__init__("", id="status-line", markup=False)
        self._parts: list[tuple[str, str]] = []

    def show(self, state: TuiState) -> None:
        self._parts = parts(state)
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        width = (self.size.width or self.app.size.width) - 2  # its padding
        self.update(joined(self._parts, width))


def joined(found: list[tuple[str, str]], width: int | None = None) -> Text:
    """The parts that fit ``width``, whole, in order (a narrow screen drops the last ones)."""
    text = Text(no_wrap=True, overflow="ellipsis")
    for i, (part, style) in enumerate(found):
        if width is not None and text.cell_len + len(" · ") * bool(i) + len(part) > width and i:
            break
        if i:
            text.append(" · ")
        text.append(part, style=style)
    return text


def counts(state: TuiState) -> Text:
    return joined(parts(state))


def parts(state: TuiState) -> list[tuple[str, str]]:
    parts: list[tuple[str, str]] = []
    if state.registries is not None:
        names = {s.registry for s in state.registries}  # a registry in config.json and auth.json is one
        parts.append((_plural(len(names), "registry", "registries"), ""))
        plaintext = sum(1 for s in state.registries if any(d.code in _PLAINTEXT for d in s.diagnostics))
        if plaintext:
            parts.append((f"{plaintext} plaintext", "yellow"))
    running = len(set(state.checking) - set(state.checks))
    if state.checks or running:
        failing = sum(1 for r in state.checks.values() if not r.healthy)
        earlier = bool(state.checks) and set(state.checks) <= set(state.checked_at)  # none checked in this run
        parts.append((f"{failing} failing" + (" (earlier run)" if earlier else ""), "red" if failing else "green"))
        if running:
            parts.append((f"{running} running", "yellow"))
    if state.mirror_sets is not None:
        off = sum(1 for s in state.mirror_sets for m in s.mirrors if not m.enabled)
        total = sum(len(s.mirrors) for s in state.mirror_sets)
        parts.append((f"{off} mirror{'s' if off != 1 else ''} off" if off else _plural(total, "mirror"), ""))
    reading = state.ratelimit
    pulls = (reading.authenticated or reading.anonymous) if reading is not None else None  # what docker pull uses
    if pulls is not None:
        if pulls.remaining is not None and pulls.limit:
            parts.append((f"{pulls.remaining}/{pulls.limit} pulls left", "" if pulls.healthy else "red"))
        else:
            parts.append((f"pulls: {pulls.state}", "" if pulls.healthy else "red"))
    return parts
