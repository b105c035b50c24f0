"""The app handles the panes' messages by name (``on_checks_pane_check_requested``), so that
ui/app.py loads no hidden pane: a misspelt name would be a handler that never runs. Every
message a pane defines has its handler in RegTUI, and every ``on_*_pane_*`` handler answers a
message that exists."""

from __future__ import annotations

from textual.message import Message

from regtui.ui.app import RegTUI
from regtui.ui.widgets.checks_pane import ChecksPane
from regtui.ui.widgets.mirrors_pane import MirrorsPane
from regtui.ui.widgets.ratelimit_pane import RateLimitPane
from regtui.ui.widgets.registries_pane import RegistriesPane

PANES = (RegistriesPane, ChecksPane, MirrorsPane, RateLimitPane)


def _messages() -> dict[str, type[Message]]:
    return {
        member.handler_name: member
        for pane in PANES
        for member in vars(pane).values()
        if isinstance(member, type) and issubclass(member, Message)
    }


def test_every_pane_message_has_its_handler_and_every_handler_its_message() -> None:
    messages = _messages()
    handlers = {name for name in dir(RegTUI) if name.startswith("on_") and "_pane_" in name}
    assert len(messages) >= 20
    assert sorted(set(messages) - handlers) == []
    assert sorted(handlers - set(messages)) == []


def test_the_app_module_loads_no_hidden_pane() -> None:
    import subprocess
    import sys

    code = "import sys, regtui.ui.app; print(sorted(m for m in sys.modules if m.startswith('regtui.ui.widgets')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    for hidden in ("checks_pane", "mirrors_pane", "ratelimit_pane"):
        assert f"regtui.ui.widgets.{hidden}" not in out, out
    assert "regtui.ui.widgets.registries_pane" in out
