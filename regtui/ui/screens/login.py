"""LoginModal: registry, username, password (never echoed), store."""

from __future__ import annotations

from dataclasses import dataclass, field

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Select, Static

from regtui.ui.screens.form import FormModal


@dataclass(frozen=True)
class LoginRequest:
    registry: str
    username: str
    password: str = field(repr=False)
    store: str
    auth_file: str | None = None
    """docker, containers, a path, or None: where the registry already is, else docker's config.json."""


AUTO = "auto"
FILES = [
    ("where it already is, else docker's config.json", AUTO),
    ("docker's config.json", "docker"),
    ("auth.json of podman, skopeo, buildah", "containers"),
]


def file_choices(current: str) -> list[tuple[str, str]]:
    """The File selector's options; an auth.json elsewhere ($REGISTRY_AUTH_FILE) is offered by its path."""
    known = [value for _, value in FILES]
    return FILES + ([(current, current)] if current not in known else [])


class LoginModal(FormModal[LoginRequest]):
    TITLE_TEXT = "Log in: verified with the registry before anything is stored"

    def __init__(self, registry: str = "docker.io", username: str = "", auth_file: str | None = None) -> None:
        super().__init__()
        self.registry, self.username, self.auth_file = registry, username, auth_file or AUTO

    def compose(self) -> ComposeResult:
        with Vertical():
            with VerticalScroll(classes="form-fields"):
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
                yield Label("File")
                yield Select(file_choices(self.auth_file), value=self.auth_file, allow_blank=False, id="login-file")
                yield Static("", classes="form-error")
            with Horizontal():
                yield Button("Cancel", id="cancel")
                yield Button("Log in", id="login", variant="primary")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#login-username" if not self.username else "#login-password", Input).focus()

    def submit(self) -> None:
        registry = self.query_one("#login-registry", Input).value.strip()
        username = self.query_one("#login-username", Input).value.strip()
        password = self.query_one("#login-password", Input).value
        missing = [
            name
            for name, value in (("registry", registry), ("username", username), ("password", password))
            if not value
        ]
        if missing:
            self.fail(f"missing: {', '.join(missing)}")
            return
        file = str(self.query_one("#login-file", Select).value)
        store = str(self.query_one("#login-store", Select).value)
        self.dismiss(LoginRequest(registry, username, password, store, None if file == AUTO else file))
