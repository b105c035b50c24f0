"""AddMirrorModal: a mirror URL, the runtime, and the registry it stands in for."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static


@dataclass(frozen=True)
class MirrorRequest:
    url: str
    runtime: str
    registry: str


class AddMirrorModal(ModalScreen[MirrorRequest | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]
    DEFAULT_CSS = """
    AddMirrorModal { align: center middle; }
    AddMirrorModal > Vertical { width: 70; height: auto; border: thick $primary; background: $surface; padding: 0 2; }
    AddMirrorModal Label { margin-top: 0; color: $text-muted; }
    AddMirrorModal #mirror-error { color: $error; height: auto; }
    AddMirrorModal Horizontal { height: auto; align-horizontal: right; }
    AddMirrorModal Button { margin-left: 2; }
    """

    def __init__(self, runtime: str = "docker", registry: str = "docker.io") -> None:
        super().__init__()
        self.runtime, self.registry = runtime, registry

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Mirror URL")
            yield Input(placeholder="https://mirror.example.com", id="mirror-url")
            yield Label("Runtime")
            yield Select(
                [(r, r) for r in ("docker", "containerd", "podman")],
                value=self.runtime,
                allow_blank=False,
                id="mirror-runtime",
            )
            yield Label("For registry")
            yield Input(self.registry, id="mirror-registry")
            yield Static("", id="mirror-error")
            with Horizontal():
                yield Button("Cancel", id="cancel")
                yield Button("Show the change", id="add", variant="primary")

    def on_mount(self) -> None:
        self.query_one(Vertical).border_title = "Add a mirror: the change is shown as a diff first"
        self.query_one("#mirror-url", Input).focus()

    def on_input_submitted(self) -> None:
        self._submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "cancel":
            self.dismiss(None)
        else:
            self._submit()

    def _submit(self) -> None:
        url = self.query_one("#mirror-url", Input).value.strip()
        registry = self.query_one("#mirror-registry", Input).value.strip() or "docker.io"
        if not url:
            self.query_one("#mirror-error", Static).update("missing: the mirror URL")
            return
        self.dismiss(MirrorRequest(url, str(self.query_one("#mirror-runtime", Select).value), registry))
