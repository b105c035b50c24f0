"""Each problem the Registries detail shows, with the fix the TUI runs for it (f, or Enter's
menu): move a plaintext secret to the keyring, log in again, remove a dangling helper's
entries, remove stray Docker Hub keys, tighten a file's mode, log out of a shadowed entry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from regtui.core.credentials.exposure import FileFinding
    from regtui.core.credentials.resolve import Diagnostic, RegistryStatus


@dataclass(frozen=True)
class Fix:
    label: str
    """What the TUI does, as the detail and the menu say it."""
    kind: str
    """migrate | login | dangling | stray | chmod | logout"""
    path: str = ""
    """chmod: the file."""


_BY_CODE = {
    "plaintext": ("move the secret to the OS keyring (migrate)", "migrate"),
    "masked-plaintext": ("log in again: the stale plaintext copy goes", "login"),
    "invalid-entry": ("log in again: the entry is written anew", "login"),
    "helper-failed": ("log in again", "login"),
    "dangling-helper": ("remove the entries naming the missing helper (shown first)", "dangling"),
    "stray-hub-alias": ("remove the Docker Hub keys docker never reads (shown first)", "stray"),
    "shadowed": ("log out of this file's entry", "logout"),
}


def fix_for(diagnostic: Diagnostic, status: RegistryStatus) -> Fix | None:
    found = _BY_CODE.get(str(diagnostic.code))
    if found is None:
        return None
    if found[1] == "migrate" and "/" in status.key and "docker" not in status.read_by:
        return None  # an auth.json namespace entry cannot move to a helper (credHelpers are per registry)
    return Fix(*found)


def finding_fix(finding: FileFinding) -> Fix | None:
    if str(finding.code) == "config-readable":
        return Fix("tighten the file's mode (chmod 600)", "chmod", finding.path)
    return None


def fixes(status: RegistryStatus, diagnostics: list[Diagnostic], findings: list[FileFinding]) -> list[Fix]:
    """The row's fixes, each once, in the order the detail lists the problems."""
    found = [fix_for(d, status) for d in diagnostics] + [finding_fix(f) for f in findings]
    return list(dict.fromkeys(f for f in found if f is not None))
