"""``regtui mirrors list|add|remove|enable|disable|move|set-url|test|undo``."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import click

from regtui.app.real import RealWorkstation
from regtui.app.workstation import MirrorChange, MirrorFiles, MirrorTarget
from regtui.cli.context import Context, emit_json, refuse_if_read_only, run_guarded
from regtui.core.errors import InputError, PermissionNeeded
from regtui.core.mirrors.health import DEFAULT_IMAGE
from regtui.core.mirrors.model import RUNTIMES, MirrorSet, Plan
from regtui.core.mirrors.ops import MirrorOp, Move, ReplaceUrl, from_action

RUNTIME = click.Choice([r.value for r in RUNTIMES])


@click.group("mirrors")
@click.option("--daemon-json", metavar="FILE", help="Docker's daemon.json (default /etc/docker/daemon.json).")
@click.option("--containerd-config", metavar="FILE", help="containerd's config.toml.")
@click.option("--registries-conf", metavar="FILE", help="containers registries.conf (podman, CRI-O, skopeo).")
@click.pass_context
def mirrors_cmd(
    ctx: click.Context, daemon_json: str | None, containerd_config: str | None, registries_conf: str | None
) -> None:
    """View, change and test registry mirrors for Docker, containerd and podman."""
    root = ctx.find_object(Context) or Context()
    ctx.obj = root.workstation(mirror_files=MirrorFiles(daemon_json, containerd_config, registries_conf))


pass_workstation = click.make_pass_decorator(RealWorkstation)


def _print_set(s: MirrorSet) -> None:
    upstream = f"  (falls back to {s.upstream})" if s.upstream else ""
    tag = click.style(" read-only", fg="yellow") if s.read_only else ""
    click.echo(f"{click.style(s.runtime, bold=True):<10} {s.registry}  {s.source}{upstream}{tag}")
    if not s.mirrors:
        click.echo("    (no mirrors)")
    for i, m in enumerate(s.mirrors, 1):
        state = click.style("on ", fg="green") if m.enabled else click.style("off", dim=True)
        extra = [f"capabilities={','.join(m.capabilities)}"] if m.capabilities else []
        extra += ["insecure"] if m.insecure else []
        extra += [f"pull-from-mirror={m.pull_from_mirror}"] if m.pull_from_mirror else []
        extra += ["skip_verify"] if m.skip_verify else []
        click.echo(f"  {i}. {state} {m.url}" + (f"  ({'; '.join(extra)})" if extra else ""))
    for warning in s.warnings:
        click.echo(click.style("  ! ", fg="yellow") + warning)


@mirrors_cmd.command("list")
@click.option("--runtime", type=RUNTIME, help="Only this runtime.")
@click.option("--json", "as_json", is_flag=True)
@pass_workstation
def list_cmd(workstation: RealWorkstation, runtime: str | None, as_json: bool) -> None:
    """Every mirror of every runtime, in try order, on or off."""

    def body() -> None:
        listing = workstation.list_mirrors(runtime)
        sets, errors = listing.sets, listing.errors
        if as_json:
            emit_json(
                {
                    "mirror_sets": [s.to_json() for s in sets],
                    "errors": [{"where": e.where, "message": e.what, "fix": e.fix} for e in errors],
                }
            )
        else:
            for s in sets:
                _print_set(s)
            if not sets and not errors:
                click.echo("No mirrors configured. Add one: regtui mirrors add https://mirror.example --runtime docker")
            for e in errors:
                click.echo(click.style("regtui: ", bold=True) + e.render(), err=True)
        if errors:
            raise SystemExit(max(e.exit_code for e in errors))

    run_guarded(body)


def _show_and_apply(
    workstation: RealWorkstation, make_plan: Callable[[], Plan], dry_run: bool, use_sudo: bool, undo: bool = False
) -> None:
    """Plan, show the diff and write, all under the lock (parallel regtui commands take turns)."""
    if dry_run:
        _show(make_plan(), undo)
        click.echo("dry run: nothing written")
        return
    with workstation.mirrors_locked():
        plan = make_plan()
        if not _show(plan, undo):
            return
        write = workstation.apply_mirror_undo if undo else workstation.apply_mirror_plan
        try:
            written = write(plan, use_sudo)
        except PermissionNeeded as exc:
            raise PermissionNeeded(
                exc.what,
                where=exc.where,
                fix=f"run it again through sudo (the change is shown above): {_rerun_hint()} --sudo",
            ) from exc
    for path in written:
        click.echo(click.style("✓", fg="green") + f" {'restored' if undo else 'wrote'} {path}")
    if plan.state_only:
        click.echo(click.style("✓", fg="green") + " updated regtui's record of the disabled mirrors (its state file)")
    for activation in dict.fromkeys(c.activation for c in plan.changes if c.activation and c.before != c.after):
        click.echo(f"to activate: {activation}")


def _show(plan: Plan, undo: bool) -> bool:
    if plan.empty:
        click.echo("Nothing to change.")
        return False
    click.echo(plan.summary)
    if plan.state_only:
        click.echo("No file changes: the mirror is off, and regtui keeps disabled mirrors in its own state.")
    for change in plan.changes:
        if change.before != change.after:
            click.echo(change.diff() if change.after or not undo else f"--- {change.path}: remove (regtui created it)")
    return True


def _rerun_hint() -> str:
    import shlex
    import sys

    return "regtui " + " ".join(shlex.quote(a) for a in sys.argv[1:] if a != "--sudo")


_HELP = {
    "add": "Add a mirror (last in try order). The diff is shown before anything is written.",
    "remove": "Remove a mirror, enabled or disabled. The diff is shown before anything is written.",
    "enable": "Switch a disabled mirror back on, where it was. The diff is shown first.",
    "disable": "Switch a mirror off but keep it, so enable restores it exactly. The diff is shown first.",
}


def _change_options(command: Callable[..., None]) -> Callable[..., None]:
    """The options every command that changes a mirror file takes."""
    for option in reversed(
        [
            click.option("--runtime", type=RUNTIME, default="docker", show_default=True),
            click.option(
                "--for",
                "registry",
                default="docker.io",
                show_default=True,
                metavar="REGISTRY",
                help="The registry the mirror stands in for.",
            ),
            click.option("--dry-run", is_flag=True, help="Show the diff; write nothing."),
            click.option("--sudo", "use_sudo", is_flag=True, help="Write root-owned files through sudo."),
        ]
    ):
        command = option(command)
    return command


def _change(  # noqa: PLR0913
    workstation: RealWorkstation, op: MirrorOp, runtime: str, registry: str, dry_run: bool, use_sudo: bool
) -> None:
    def body() -> None:
        if not dry_run:  # a dry run writes nothing: allowed
            refuse_if_read_only(f"mirrors {op.kind}", dry_run_hint=True)
        change = MirrorChange(runtime, op, registry)
        _show_and_apply(workstation, lambda: workstation.plan_mirror(change), dry_run, use_sudo)

    run_guarded(body)


def _change_command(action: str):  # noqa: ANN202
    @mirrors_cmd.command(action, help=_HELP[action])
    @click.argument("url")
    @_change_options
    @pass_workstation
    def command(
        workstation: RealWorkstation, url: str, runtime: str, registry: str, dry_run: bool, use_sudo: bool
    ) -> None:
        _change(workstation, from_action(action, url), runtime, registry, dry_run, use_sudo)

    return command


for _action in ("add", "remove", "enable", "disable"):
    _change_command(_action)


@mirrors_cmd.command("move")
@click.argument("url")
@click.option("--to", "position", type=click.IntRange(min=1), metavar="N", help="The new place; 1 is tried first.")
@click.option("--up", "step", flag_value=-1, type=int, help="One place earlier in the try order.")
@click.option("--down", "step", flag_value=1, type=int, help="One place later in the try order.")
@_change_options
@pass_workstation
def move_cmd(  # noqa: PLR0913
    workstation: RealWorkstation,
    url: str,
    position: int | None,
    step: int | None,
    runtime: str,
    registry: str,
    dry_run: bool,
    use_sudo: bool,
) -> None:
    """Move a mirror in the try order (on or off; the order `list` shows). The diff is shown first."""
    if (position is None) == (step is None):
        raise click.UsageError("give exactly one of --to N, --up or --down")
    op = Move(url, step, relative=True) if step is not None else Move(url, (position or 1) - 1)
    _change(workstation, op, runtime, registry, dry_run, use_sudo)


@mirrors_cmd.command("set-url")
@click.argument("url")
@click.argument("new_url", metavar="NEW_URL")
@_change_options
@pass_workstation
def set_url_cmd(  # noqa: PLR0913
    workstation: RealWorkstation, url: str, new_url: str, runtime: str, registry: str, dry_run: bool, use_sudo: bool
) -> None:
    """Change a mirror's URL in place: same place in the try order, on or off, same settings."""
    _change(workstation, ReplaceUrl(url, new_url), runtime, registry, dry_run, use_sudo)


@mirrors_cmd.command("undo")
@click.option("--runtime", type=RUNTIME, required=True)
@click.option("--dry-run", is_flag=True)
@click.option("--sudo", "use_sudo", is_flag=True)
@pass_workstation
def undo_cmd(workstation: RealWorkstation, runtime: str, dry_run: bool, use_sudo: bool) -> None:
    """Restore the files regtui's last mirror change for RUNTIME wrote (from their .bak)."""

    def body() -> None:
        if not dry_run:
            refuse_if_read_only("mirrors undo", dry_run_hint=True)
        _show_and_apply(workstation, lambda: workstation.plan_mirror_undo(runtime), dry_run, use_sudo, undo=True)

    run_guarded(body)


@mirrors_cmd.command("test")
@click.argument("urls", nargs=-1)
@click.option("--json", "as_json", is_flag=True)
@click.option("--image", default=DEFAULT_IMAGE, show_default=True, help="The manifest to HEAD through each mirror.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True, metavar="S")
@pass_workstation
def test_cmd(workstation: RealWorkstation, urls: tuple[str, ...], as_json: bool, image: str, timeout: float) -> None:
    """GET /v2/ and a manifest HEAD through each mirror (every enabled mirror when none is named)."""

    def body() -> None:
        targets = [MirrorTarget(u) for u in urls] or MirrorTarget.enabled(workstation.list_mirrors().sets)
        if not targets:
            raise InputError("no mirrors to test", fix="name one: regtui mirrors test https://mirror.example")
        results = asyncio.run(workstation.test_mirrors(targets, timeout=timeout, image=image))
        if as_json:
            emit_json({"healthy": all(r.healthy for r in results), "mirrors": [r.to_json() for r in results]})
        else:
            for r in results:
                mark = click.style("✓", fg="green") if r.healthy else click.style("✗", fg="red")
                times = " ".join(
                    f"{label} {ms:.0f} ms"
                    for label, ms in (("ping", r.ping_ms), ("manifest", r.manifest_ms))
                    if ms is not None
                )
                click.echo(f"{mark} {r.url}  {times}  {r.detail}")
        if not all(r.healthy for r in results):
            raise SystemExit(1)

    run_guarded(body)
