"""The credential a store holds, as the helper protocol carries it."""

from __future__ import annotations

from dataclasses import dataclass, field

TOKEN_USERNAME = "<token>"
"""docker's convention: this username means the secret is an identity (refresh) token."""


@dataclass(frozen=True)
class Credential:
    server: str
    username: str
    secret: str = field(repr=False)

    @property
    def is_identity_token(self) -> bool:
        return self.username == TOKEN_USERNAME
