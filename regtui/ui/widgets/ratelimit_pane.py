"""RateLimitPane: Docker Hub's pull rate limit, anonymous and logged in, side by side."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.timer import Timer
from textual.widgets import ProgressBar, Sparkline, Static

from regtui.core.ratelimit_model import NO_RESET_NOTE, RateLimitStatus, human_window
from regtui.ui.safe import plain, sanitized

if TYPE_CHECKING:
    from regtui.app.workstation import PullSample

_STATE_STYLE = {
    "ok": "green",
    "unlimited": "green",
    "low": "yellow",
    "exhausted": "bold red",
    "abuse-limit": "bold red",
    "error": "bold red",
}


class RateLimitCard(Vertical):
    DEFAULT_CSS = """
    RateLimitCard { border: round $primary-darken-2; padding: 0 1; height: auto; width: 1fr; }
    RateLimitCard .title { text-style: bold; }
    RateLimitCard ProgressBar { margin: 1 0; width: 100%; }
    /* Fixed: the bar rounds its fill to its width when the value is set, so a width still settling
       (1fr, on a lazily mounted tab) would make the drawn gauge depend on timing. */
    RateLimitCard ProgressBar Bar { width: 24; }
    """

    def __init__(self, title: str, card_id: str) -> None:
        super().__init__(id=card_id)
        self.title_text = title

    def compose(self) -> ComposeResult:
        yield Static(self.title_text, classes="title")
        yield Static("", classes="figure")
        yield ProgressBar(total=100, show_eta=False, show_percentage=True)
        yield Static("", classes="facts")

    def on_mount(self) -> None:
        self.loading_state()

    def loading_state(self) -> None:
        """While Docker Hub is asked: say so, rather than draw an empty 0% gauge."""
        self.query_one(".figure", Static).update(Text("reading Docker Hub…", style="dim italic"))
        self.query_one(".facts", Static).update("")
        self.query_one(ProgressBar).display = False

    def show(self, status: RateLimitStatus | None, empty_note: str = "") -> None:
        figure, facts = self.query_one(".figure", Static), self.query_one(".facts", Static)
        bar = self.query_one(ProgressBar)
        if status is None:
            figure.update(plain(empty_note or "not checked", "dim"))
            facts.update("")
            bar.display = False
            return
        if status.username:
            self.query_one(".title", Static).update(plain(f"logged in as {status.username}"))
        style = _STATE_STYLE.get(status.state, "")
        if status.remaining is not None and status.limit:
            figure.update(
                sanitized(
                    Text.assemble(
                        (f"{status.remaining} ", "bold"), f"of {status.limit} pulls left · ", (status.state, style)
                    )
                )
            )
            bar.display = True
            bar.update(total=status.limit, progress=status.remaining)
        else:
            figure.update(plain(status.state, style))
            bar.display = False
        lines = []
        if status.window_seconds:
            lines.append(f"window: {human_window(status.window_seconds)} ({', '.join(status.policies)})")
        if status.source:
            lines.append(f"source: {status.source}")
        if status.message:
            lines.append(status.message)
        if status.fix:
            lines.append(f"fix: {status.fix}")
        facts.update(plain("\n".join(lines)))


AUTO_REFRESH_SECONDS = 60


def history_caption(history: list[PullSample]) -> Text:
    """What the sparkline shows: how many readings, since when, and the last one."""
    if not history:
        return Text("no readings with counts yet (an error or an unlimited account has none)", style="dim")
    first, last = history[0], history[-1]
    text = Text(f"pulls left, {len(history)} reading{'s' if len(history) != 1 else ''} since ", style="dim")
    text.append(first.at[:16].replace("T", " "), style="dim")
    text.append(f" (kept between runs) · lowest {min(h.remaining for h in history)}", style="dim")
    text.append(f" · last {last.remaining}/{last.limit} as {last.mode}", style="dim")
    return sanitized(text)


class RateLimitPane(VerticalScroll):  # scrolls at 60x20: the history and the note stay reachable
    BINDINGS = [
        Binding("r", "reload", "Refresh", id="regtui.ratelimit"),
        Binding("a", "auto_refresh", "Auto-refresh", id="regtui.ratelimit-auto"),
    ]

    class ReloadRequested(Message):
        """r: read Docker Hub's limit again."""

    class Ready(Message):
        """Mounted (the tab mounts lazily, when first shown): the app fills it in."""

    DEFAULT_CSS = """
    RateLimitPane #ratelimit-cards { height: auto; }
    RateLimitPane #ratelimit-read-at { padding: 0 1; }
    RateLimitPane #pull-sparkline { height: 2; margin: 0 1; }
    RateLimitPane #pull-history { padding: 0 1; }
    RateLimitPane #ratelimit-note { color: $text-muted; padding: 1 1; }
    """

    def compose(self) -> ComposeResult:
        with Horizontal(id="ratelimit-cards"):
            yield RateLimitCard("anonymous (this address)", "anonymous-card")
            yield RateLimitCard("logged in", "authenticated-card")
        yield Static("", id="ratelimit-read-at", markup=False)
        yield Sparkline([], id="pull-sparkline")
        yield Static("", id="pull-history", markup=False)
        yield Static("r: refresh · a HEAD request, which Docker Hub does not count as a pull", id="ratelimit-note")

    def loading_state(self) -> None:
        for card in self.query(RateLimitCard):
            card.loading_state()

    can_focus = True  # its keys (a) work once the tab is shown: the pane has no table to focus

    def __init__(self) -> None:
        super().__init__()
        self.refresh_timer: Timer | None = None
        """While on: a ReloadRequested every AUTO_REFRESH_SECONDS (a HEAD each: no pull counted)."""
        self.read_at: datetime | None = None

    def refreshing(self) -> None:
        """A new reading is under way: the last one stays on screen until it arrives."""
        self._show_read_at("reading again…")

    def _show_read_at(self, doing: str = "") -> None:
        text = Text()
        if self.read_at is not None:
            text.append(f"read at {self.read_at:%H:%M:%S}", style="bold")
        if doing:
            text.append(f" · {doing}", style="italic")
        every = f"every {AUTO_REFRESH_SECONDS} s: on (a: off)" if self.refresh_timer else "off (a: on)"
        text.append(f" · auto-refresh {every}", style="dim")
        self.query_one("#ratelimit-read-at", Static).update(text)

    def show_history(self, history: list[PullSample], read_at: datetime | None) -> None:
        self.read_at = read_at
        self._show_read_at()
        # One line per kind of reading: anonymous and logged-in limits differ (100, 200 ...).
        same = [h for h in history if history and h.mode == history[-1].mode]
        self.query_one(Sparkline).data = [h.remaining for h in same]
        self.query_one("#pull-history", Static).update(history_caption(same))

    def action_auto_refresh(self) -> None:
        if self.refresh_timer is None:
            self.refresh_timer = self.set_interval(AUTO_REFRESH_SECONDS, self.action_reload)
        else:
            self.refresh_timer.stop()
            self.refresh_timer = None
        self._show_read_at()

    def show(self, anonymous: RateLimitStatus, authenticated: RateLimitStatus | None, note: str) -> None:
        self.query_one("#anonymous-card", RateLimitCard).show(anonymous)
        self.query_one("#authenticated-card", RateLimitCard).show(authenticated, note)
        self.query_one("#ratelimit-note", Static).update(
            Text(f"{NO_RESET_NOTE}. r: refresh, a: every {AUTO_REFRESH_SECONDS} s (a HEAD: not counted as a pull)")
        )

    def action_reload(self) -> None:
        self.post_message(self.ReloadRequested())

    def on_mount(self) -> None:
        self.post_message(self.Ready())
