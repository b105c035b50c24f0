"""HelpScreen: every key, per tab."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

HELP = """\
[b]regtui[/b]: registry credentials, checks, mirrors, Docker Hub rate limits

[b]Everywhere[/b]
  1 2 3 4     Registries, Checks, Mirrors, Rate limit
  r        refresh this tab           ctrl+p  every action, by name
  tab      next widget in this tab    (the pane's keys keep working)
  ?        this help                  q       quit
  L        every message so far       y       copy the row, fix or error

[b]Every table[/b]
  j k  up/down   g G  home end  first/last row   pageup pagedown
  /    filter the rows (enter keeps it, esc clears it)
  s    sort by the next column   S  reverse   (or click a header)
  enter  the row's actions, in a menu

[b]Registries[/b]
  l  log in (verified first)   d  log out of the row's file;
                               on a missing helper: remove its entries
  m  move plaintext secrets to the OS keyring
  f  fix the row's problem, shown first (migrate, log in again,
     remove stray or dangling entries, chmod 600)
  c  check the selected registry   C  check them all

[b]Checks[/b]
  c  check the selected registry again (the others keep their results)
  C  check every registry: DNS, TCP, TLS, /v2/, challenge, credentials
     each failure comes with its cause and its fix
  f  run that fix: an untrusted CA shows its certs.d directory
     (copyable); refused credentials open the login form

[b]Mirrors[/b]
  space  switch a mirror on or off (kept, so switching back restores it)
  a  add     x  remove     E  edit the URL (it keeps its place)
  shift+up / shift+down  move the mirror earlier / later in try order
  u  undo regtui's last change to this runtime's files
  e  open the row's file in $EDITOR (vi if unset), then read it again
  t or C  test every mirror that is on (GET /v2/ and a manifest HEAD)
  c  test the selected one
  i  name the image a registry's mirrors are tested with (Docker Hub:
     library/alpine:latest); regtui remembers it
  every change shows its diff first; root-owned files go through sudo

[b]Rate limit[/b]
  r  read Docker Hub's pull limit again (a HEAD: it costs no pull)
  a  read it every 60 s, on or off; the sparkline keeps every reading

--read-only disables every action that writes.  escape closes this help.
"""


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "dismiss(None)", "Close")]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen VerticalScroll { width: 80; max-width: 100%; height: auto; max-height: 100%; border: thick $primary;
        background: $surface; padding: 1 2; }
    """

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(HELP)
