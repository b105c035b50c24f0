"""Under --read-only the footer, the row menu and the palette offer no action that writes: each
pane names its write actions and its ``check_action`` asks ``allowed``."""

from __future__ import annotations

from collections.abc import Collection

from textual.dom import DOMNode


def read_only(node: DOMNode) -> bool:
    workstation = getattr(node.app, "workstation", None)
    return bool(workstation is not None and workstation.session.read_only)


def allowed(node: DOMNode, action: str, writes: Collection[str]) -> bool:
    """False for one of the pane's ``writes`` in a read-only session: hidden from the footer, not run."""
    return not (action in writes and read_only(node))
