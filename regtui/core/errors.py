"""Errors the core raises. Each says what went wrong, where, and what to do about it.

The CLI turns ``exit_code`` into the process exit status (README.md, "Command line"): 1 for a failed
check or operation, 2 for bad input, 3 when a permission is needed.
"""

from __future__ import annotations

from os import PathLike, fspath


class RegtuiError(Exception):
    """Base of every error regtui reports to a user."""

    exit_code = 1

    def __init__(self, what: str, *, where: str | PathLike[str] | None = None, fix: str | None = None) -> None:
        self.what = what
        self.where = fspath(where) if where is not None else None
        self.fix = fix
        super().__init__(self.render())

    def render(self) -> str:
        text = f"{self.where}: {self.what}" if self.where else self.what
        if self.fix:
            text += f"\n  fix: {self.fix}"
        return text


class InputError(RegtuiError):
    """Bad user input: a flag, an argument, a value."""

    exit_code = 2


class ConfigError(RegtuiError):
    """A file regtui reads is malformed or has the wrong shape."""

    exit_code = 2

    def __init__(
        self,
        what: str,
        *,
        path: str | PathLike[str],
        line: int | None = None,
        column: int | None = None,
        fix: str | None = None,
    ) -> None:
        self.path = fspath(path)
        self.line = line
        self.column = column
        where = fspath(path)
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        super().__init__(what, where=where, fix=fix)


class FileChangedError(RegtuiError):
    """The file changed on disk between regtui reading it and writing it."""


class PermissionNeeded(RegtuiError):
    """Writing needs a permission regtui does not have (a root-owned file and no --sudo)."""

    exit_code = 3


class CredentialStoreError(RegtuiError):
    """A credential store (a helper, the OS keyring) failed."""


class HelperNotFound(CredentialStoreError):
    """config.json names a docker-credential-NAME that is not on PATH."""


class KeyringUnavailable(CredentialStoreError):
    """No usable OS keyring: no backend, a locked collection, a dismissed prompt."""
