"""The one credential type: who, the secret, and where it came from.

Every store (config.json's plaintext ``auths``, a docker-credential-* helper,
DOCKER_AUTH_CONFIG, regtui's keyring) hands out and takes a ``Credential``; the token
exchange and the check ladder send one. It follows the helper protocol's shape
(docker/docker-credential-helpers credentials/credentials.go: ServerURL, Username, Secret),
with docker's reading of it (docker/cli cli/config/types/authconfig.go): the username
``<token>`` means the secret is an identity (refresh) token, and ``password`` and
``identity_token`` name the secret accordingly.
"""

from __future__ import annotations

TOKEN_USERNAME = "<token>"
"""docker's convention: this username means the secret is an identity (refresh) token."""

NOT_FOUND = "credentials not found in native keychain"
"""A helper's answer to ``get`` or ``erase`` for a server it holds nothing for (with exit 1):
errCredentialsNotFoundMessage in docker/docker-credential-helpers credentials/error.go."""


class Credential:
    """Immutable; a plain slotted class rather than a dataclass, because importing dataclasses
    costs the credential helper's hot path ~7 ms. The secret never appears in repr.

    ``origin`` says where it came from, as ``regtui registries`` names stores: "file",
    "env", "helper:NAME", "keyring" ("" when built by hand). For an identity token,
    ``account`` is the account name docker keeps beside it in config.json (``"auth"`` of
    "user:"), when known. Equality is (server, username, secret): origin and account
    describe a credential, they do not make another one.
    """

    __slots__ = ("server", "username", "secret", "origin", "_account")
    server: str
    username: str
    secret: str
    origin: str
    _account: str | None

    def __init__(self, server: str, username: str, secret: str, origin: str = "", account: str | None = None) -> None:
        object.__setattr__(self, "server", server)
        object.__setattr__(self, "username", username)
        object.__setattr__(self, "secret", secret)
        object.__setattr__(self, "origin", origin)
        object.__setattr__(self, "_account", account)

    @classmethod
    def from_login(
        cls, username: str | None, password: str | None = None, identity_token: str | None = None, server: str = ""
    ) -> Credential:
        """What a login sends: a username and a password, or an identity token (``username``
        is then the account, if known)."""
        if identity_token:
            return cls(server, TOKEN_USERNAME, identity_token, account=username)
        return cls(server, username or "", password or "")

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Credential is immutable")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Credential):
            return NotImplemented
        return (self.server, self.username, self.secret) == (other.server, other.username, other.secret)

    def __hash__(self) -> int:
        return hash((self.server, self.username, self.secret))

    def __repr__(self) -> str:
        origin = f", origin={self.origin!r}" if self.origin else ""
        return f"Credential(server={self.server!r}, username={self.username!r}{origin})"

    @property
    def is_identity_token(self) -> bool:
        return self.username == TOKEN_USERNAME

    @property
    def account(self) -> str | None:
        """The account name the registry knows: the username, or an identity token's account."""
        if self.is_identity_token:
            return self._account or None
        return self.username or None

    @property
    def password(self) -> str | None:
        """The secret when it is a password (docker's AuthConfig.Password)."""
        return None if self.is_identity_token else self.secret

    @property
    def identity_token(self) -> str | None:
        """The secret when it is an identity token (docker's AuthConfig.IdentityToken)."""
        return self.secret if self.is_identity_token else None

    @property
    def key(self) -> str:
        """The key a store files it under: ``server`` (config.json's ``auths`` key, a helper's ServerURL)."""
        return self.server

    def with_account(self, account: str | None) -> Credential:
        """The same credential, naming the account beside an identity token."""
        return Credential(self.server, self.username, self.secret, self.origin, account)
