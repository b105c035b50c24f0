"""LoginModal: registry, username, password (never echoed), store."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static


@dataclass(frozen=True)
class LoginRequest:
    registry: str
    username: str
    password: str
    store: str


class LoginModal(ModalScreen[LoginRequest | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]
    DEFAULT_CSS = """
    LoginModal { align: center middle; }
    LoginModal > Vertical { width: 70; height: auto; border: thick $primary; background: $surface; padding: 0 2; }
    LoginModal Label { margin-top: 0; color: $text-muted; }
    LoginModal #login-error { color: $error; height: auto; }
    LoginModal Horizontal { height: auto; align-horizontal: right; }
    LoginModal Button { margin-left: 2; }
    """

    def __init__(self, registry: str = "docker.io", username: str = "") -> None:
        super().__init__()
        self.registry, self.username = registry, username

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Registry")
            yield Input(self.registry, id="login-registry")
            yield Label("Username")
            yield Input(self.username, id="login-username")
            yield Label("Password or access token")
            yield Input(password=True, id="login-password")
            yield Label("Store")
            yield Select(
                [("OS keyring (docker-credential-regtui)", "keyring"), ("config.json, plaintext", "file")],
                value="keyring",
                allow_blank=False,
                id="login-store",
            )
            yield Static("", id="login-error")
            with Horizontal():
                yield Button("Cancel", id="cancel")
                yield Button("Log in", id="login", variant="primary")

    def on_mount(self) -> None:
        self.query_one(Vertical).border_title = "Log in: verified with the registry before anything is stored"
        self.query_one("#login-username" if not self.username else "#login-password", Input).focus()

    def on_input_submitted(self) -> None:
        self._submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "cancel":
            self.dismiss(None)
        else:
            self._submit()

    def _submit(self) -> None:
        values = {name: self.query_one(f"#login-{name}", Input).value.strip() for name in ("registry", "username")}
        password = self.query_one("#login-password", Input).value
        missing = [name for name, value in (*values.items(), ("password", password)) if not value]
        if missing:
            self.query_one("#login-error", Static).update(f"missing: {', '.join(missing)}")
            return
        store = str(self.query_one("#login-store", Select).value)
        self.dismiss(LoginRequest(values["registry"], values["username"], password, store))
