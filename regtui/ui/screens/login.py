"""LoginModal: registry, username, password (never echoed), store, file. The form runs the login
itself: on a refusal it keeps what was typed and shows the error, with the failing step, inside."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Select, Static

from regtui.core.errors import RegtuiError
from regtui.ui.safe import plain
from regtui.ui.screens.form import FormModal

if TYPE_CHECKING:
    from regtui.app.workstation import StoreOption


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


@dataclass(frozen=True)
class LoginDone:
    """A login that worked: what was asked (the password dropped) and the workstation's answer."""

    registry: str
    username: str
    store: str
    result: object


DEFAULT_STORES = (("OS keyring (docker-credential-regtui)", "keyring"), ("the file itself, in plaintext", "file"))
Attempt = Callable[[LoginRequest], Awaitable[object]]


class LoginModal(FormModal[LoginDone | LoginRequest]):
    """``attempt``: runs the login (the form stays open until it answers); without it the form
    dismisses with the LoginRequest. ``stores``: where this machine can keep the secret."""

    TITLE_TEXT = "Log in: verified with the registry before anything is stored"
    DEFAULT_CSS = """
    LoginModal .login-note { color: $warning; height: auto; }
    LoginModal #login-status { color: $text-muted; height: auto; }
    """

    def __init__(
        self,
        registry: str = "docker.io",
        username: str = "",
        auth_file: str | None = None,
        *,
        stores: Sequence[StoreOption] | None = None,
        attempt: Attempt | None = None,
    ) -> None:
        super().__init__()
        self.registry, self.username, self.auth_file = registry, username, auth_file or AUTO
        self.stores = list(stores or [])
        self.attempt = attempt
        self.running = False
        self._plaintext_ok = False

    def _store_options(self) -> list[tuple[str, str]]:
        if not self.stores:
            return list(DEFAULT_STORES)
        return [(o.label, o.value) for o in self.stores if o.available]

    def _store_note(self) -> str:
        missing = [o for o in self.stores if not o.available]
        if not missing:
            return ""
        gone = "; ".join(f"{o.label}: {o.why_not}" for o in missing)
        return f"Not available here: {gone}. Choose where to keep the secret below."

    def compose(self) -> ComposeResult:
        options = self._store_options()
        with Vertical():
            with VerticalScroll(classes="form-fields"):
                yield Label("Registry")
                yield Input(self.registry, id="login-registry")
                yield Label("Username")
                yield Input(self.username, id="login-username")
                yield Label("Password or access token")
                yield Input(password=True, id="login-password")
                yield Label("Store")
                yield Static(plain(self._store_note()), id="login-store-note", classes="login-note")
                yield Select(options, value=options[0][1], allow_blank=False, id="login-store")
                yield Label("File")
                yield Select(file_choices(self.auth_file), value=self.auth_file, allow_blank=False, id="login-file")
                yield Static("", id="login-status")
                yield Static("", classes="form-error")
            with Horizontal():
                yield Button("Cancel", id="cancel")
                yield Button("Log in", id="login", variant="primary")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#login-store-note").display = bool(self._store_note())
        self.query_one("#login-username" if not self.username else "#login-password", Input).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "login-store":  # a new store: a plaintext warning is owed again
            self._plaintext_ok = False
            self.query_one("#login", Button).label = "Log in"
            self.fail("")

    def request(self) -> LoginRequest | None:
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
            return None
        file = str(self.query_one("#login-file", Select).value)
        store = str(self.query_one("#login-store", Select).value)
        return LoginRequest(registry, username, password, store, None if file == AUTO else file)

    def submit(self) -> None:
        if self.running:
            return
        request = self.request()
        if request is None:
            return
        if request.store == "file" and not self._plaintext_ok:
            self._plaintext_ok = True
            where = request.auth_file if request.auth_file not in (None, "docker", "containers") else "the file"
            self.fail(
                f"! The password will be stored UNENCRYPTED in {where} (readable by anything that can read it). "
                "Press Log in again to store it in plaintext, or choose another store."
            )
            self.query_one("#login", Button).label = "Store in plaintext"
            return
        if self.attempt is None:
            self.dismiss(request)
            return
        self.run_attempt(request)

    @work(exclusive=True, group="login-attempt")
    async def run_attempt(self, request: LoginRequest) -> None:
        assert self.attempt is not None
        status = self.query_one("#login-status", Static)
        button = self.query_one("#login", Button)
        self.running, button.disabled = True, True
        self.fail("")
        status.update(plain(f"verifying {request.username} at {request.registry}…"))
        try:
            result = await self.attempt(request)
        except RegtuiError as exc:
            status.update("")
            self.fail(_refusal(exc))
            self.query_one("#login-password", Input).focus()
            return
        except Exception:
            self.dismiss(None)  # unexpected: the app reports it; the form cannot say more
            raise
        finally:
            self.running, button.disabled = False, False
        self.dismiss(LoginDone(request.registry, request.username, request.store, result))

    async def action_dismiss(self, result: LoginDone | LoginRequest | None = None) -> None:
        if self.running:
            self.fail("still verifying with the registry: wait for its answer")
            return
        await super().action_dismiss(result)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "cancel" and self.running:
            self.fail("still verifying with the registry: wait for its answer")
            return
        super().on_button_pressed(event)


def _refusal(exc: RegtuiError) -> str:
    """The error, headed by the step of the check ladder that failed (a refused login names one)."""
    failure = getattr(getattr(exc, "result", None), "failure", None)
    step = getattr(failure, "title", "")
    return (f"✗ failed at: {step}\n" if step else "✗ ") + exc.render()
