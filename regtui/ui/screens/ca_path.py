"""CaPathModal: where a registry's CA certificate goes, shown and copyable (f on an untrusted
certificate). docker reads ``*.crt`` in /etc/docker/certs.d/<host[:port]>/ as CAs
(docs.docker.com/engine/security/certificates/); regtui's check reads the same directory."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from regtui.ui.safe import plain, sanitized


class CaPathModal(ModalScreen[None]):
    CLEARS_TOASTS = True  # its buttons are where toasts sit (ui/memory.py)
    BINDINGS = [Binding("escape,q", "dismiss(None)", "Close"), Binding("y", "copy", "Copy", show=False)]
    DEFAULT_CSS = """
    CaPathModal { align: center middle; }
    CaPathModal > Vertical { width: 90%; max-width: 90; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1; }
    CaPathModal #ca-title { text-style: bold; padding: 1 0 0 0; }
    CaPathModal #ca-path { margin: 1 0; text-style: bold; color: $accent; }
    CaPathModal Horizontal { height: auto; align-horizontal: right; }
    CaPathModal Button { margin-left: 2; }
    """

    def __init__(self, registry: str, directory: Path, detail: str = "") -> None:
        super().__init__()
        self.registry, self.directory, self.detail = registry, directory, detail

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                plain(f"{self.registry}: its certificate is signed by a CA this machine does not trust"), id="ca-title"
            )
            if self.detail:
                yield Static(plain(self.detail), id="ca-detail")
            body = Text(
                "Put the registry's CA certificate (PEM) in this directory, as ca.crt; docker, "
                "containerd's CRI and regtui read every *.crt there:"
            )
            yield Static(sanitized(body))
            yield Static(plain(f"{self.directory}/"), id="ca-path")
            yield Static(
                plain(f"sudo mkdir -p {self.directory} && sudo cp CA.pem {self.directory}/ca.crt"), id="ca-command"
            )
            with Horizontal():
                yield Button("Close", id="close")
                yield Button("Copy the path", id="copy", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#copy", Button).focus()

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(f"{self.directory}/")
        self.app.notify(f"copied: {self.directory}/", markup=False)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "copy":
            self.action_copy()
        else:
            self.dismiss(None)
