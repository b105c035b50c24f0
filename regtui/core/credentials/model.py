"""The credential a store holds, as the helper protocol carries it."""

from __future__ import annotations

TOKEN_USERNAME = "<token>"
"""docker's convention: this username means the secret is an identity (refresh) token."""

NOT_FOUND = "credentials not found in native keychain"
"""A helper's answer to ``get`` or ``erase`` for a server it holds nothing for (with exit 1):
errCredentialsNotFoundMessage in docker/docker-credential-helpers credentials/error.go."""


class Credential:
    """Immutable; a plain slotted class rather than a dataclass, because importing dataclasses
    costs the credential helper's hot path ~7 ms. The secret never appears in repr."""

    __slots__ = ("server", "username", "secret")
    server: str
    username: str
    secret: str

    def __init__(self, server: str, username: str, secret: str) -> None:
        object.__setattr__(self, "server", server)
        object.__setattr__(self, "username", username)
        object.__setattr__(self, "secret", secret)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Credential is immutable")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Credential):
            return NotImplemented
        return (self.server, self.username, self.secret) == (other.server, other.username, other.secret)

    def __hash__(self) -> int:
        return hash((self.server, self.username, self.secret))

    def __repr__(self) -> str:
        return f"Credential(server={self.server!r}, username={self.username!r})"

    @property
    def is_identity_token(self) -> bool:
        return self.username == TOKEN_USERNAME
