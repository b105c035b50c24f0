"""AddMirrorModal: a mirror URL, the runtime, and the registry it stands in for."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Select, Static

from regtui.ui.screens.form import FormModal


@dataclass(frozen=True)
class MirrorRequest:
    url: str
    runtime: str
    registry: str


class AddMirrorModal(FormModal[MirrorRequest]):
    TITLE_TEXT = "Add a mirror: the change is shown as a diff first"

    def __init__(self, runtime: str = "docker", registry: str = "docker.io") -> None:
        super().__init__()
        self.runtime, self.registry = runtime, registry

    def compose(self) -> ComposeResult:
        with Vertical():
            with VerticalScroll(classes="form-fields"):
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
                yield Static("", classes="form-error")
            with Horizontal():
                yield Button("Cancel", id="cancel")
                yield Button("Show the change", id="add", variant="primary")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#mirror-url", Input).focus()

    def submit(self) -> None:
        url = self.query_one("#mirror-url", Input).value.strip()
        registry = self.query_one("#mirror-registry", Input).value.strip() or "docker.io"
        if not url:
            self.fail("missing: the mirror URL")
            return
        self.dismiss(MirrorRequest(url, str(self.query_one("#mirror-runtime", Select).value), registry))
