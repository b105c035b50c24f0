"""What every subcommand shares: the options of the group and the error policy."""

from __future__ import annotations

import atexit
import contextlib
import gc
import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import click

from regtui.core.errors import InputError, RegtuiError

if TYPE_CHECKING:
    from regtui.app.real import RealWorkstation
    from regtui.app.workstation import MirrorFiles

T = TypeVar("T")


@dataclass
class Context:
    config_dir: str | None = None
    read_only: bool = False

    def workstation(self, *, lean_http: bool = False, mirror_files: MirrorFiles | None = None) -> RealWorkstation:
        """This machine, as the group's options name it (``lean_http``: see RealWorkstation)."""
        from regtui.app.real import RealWorkstation  # not on the --help/--version path

        return RealWorkstation(
            self.config_dir, read_only=self.read_only, lean_http=lean_http, mirror_files=mirror_files
        )


def refuse_if_read_only(command: str, *, dry_run_hint: bool = False) -> None:
    """Under ``regtui --read-only`` a command that writes stops here, before it reads a password,
    a file or the keyring: exit 2 and nothing written."""
    root = click.get_current_context().find_root().obj
    if isinstance(root, Context) and root.read_only:
        fix = "run it again without --read-only"
        if dry_run_hint:
            fix += ", or add --dry-run to see what it would change"
        raise InputError(f"`regtui {command}` writes, and --read-only was given: nothing was written", fix=fix)


def run_guarded(action: Callable[[], T], *, short_lived: bool = True) -> T:
    """Run a command body; a RegtuiError becomes a message on stderr and its exit code.

    ``short_lived`` (every command but the TUI): a command that does its work once and exits runs
    without the cyclic garbage collector, whose passes over the objects its imports made cost more
    than the few dozen cyclic objects a registry's check leaves; and at exit everything is frozen
    (``gc.freeze``), so the interpreter's final collections do not walk it all again. Together
    about 15 ms of a 110 ms check (bench/RESULTS.md, session 9).
    """
    if short_lived:
        with _no_cyclic_gc():
            return run_guarded(action, short_lived=False)
    try:
        return action()
    except RegtuiError as exc:
        click.echo(click.style("regtui: ", bold=True) + exc.render(), err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("regtui: interrupted", err=True)
        sys.exit(130)


@contextlib.contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    global _FREEZE_AT_EXIT
    if not _FREEZE_AT_EXIT:
        atexit.register(gc.freeze)  # atexit runs before the interpreter's own final collections
        _FREEZE_AT_EXIT = True
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_FREEZE_AT_EXIT = False


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def table(rows: list[list[str]], headers: list[str]) -> str:
    """Columns padded by their visible width, so styled (ANSI) cells still line up."""

    def pad(cell: str, width: int) -> str:
        return cell + " " * (width - len(click.unstyle(cell)))

    widths = [max(len(click.unstyle(str(r[i]))) for r in [headers, *rows]) for i in range(len(headers))]
    return "\n".join(
        "  ".join(pad(str(c), w) for c, w in zip(r, widths, strict=True)).rstrip() for r in [headers, *rows]
    )


pass_context = click.make_pass_decorator(Context, ensure=True)
