"""``regtui ratelimit``: Docker Hub's pull rate limit, anonymous and logged in, side by side."""

from __future__ import annotations

import click

from regtui.cli.context import Context, emit_json, pass_context, run_guarded, table
from regtui.core.ratelimit_model import NO_RESET_NOTE, RateLimitStatus, human_window

_STATE_STYLE = {
    "ok": "green",
    "unlimited": "green",
    "low": "yellow",
    "exhausted": "red",
    "abuse-limit": "red",
    "error": "red",
}


def _remaining(s: RateLimitStatus) -> str:
    if s.state == "unlimited":
        return "not limited / not reported"
    if s.remaining is None or s.limit is None:
        return "-"
    return f"{s.remaining} of {s.limit} ({s.percent_remaining:g}%)"


def _column(s: RateLimitStatus) -> list[str]:
    state = click.style(s.state, fg=_STATE_STYLE[s.state], bold=s.state != "ok")
    return [
        state,
        _remaining(s),
        human_window(s.window_seconds) if s.window_seconds else "-",
        ", ".join(s.policies) or "-",
        s.source or "-",
    ]


@click.command("ratelimit")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--anonymous", is_flag=True, help="Skip the logged-in check.")
@click.option("--warn-below", type=click.IntRange(min=1), metavar="N", help="Exit 1 when fewer than N pulls remain.")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=15.0,
    show_default=True,
    metavar="S",
    help="Deadline of each request to Docker Hub, connect to last byte.",
)
@pass_context
def ratelimit_cmd(ctx: Context, as_json: bool, anonymous: bool, warn_below: int | None, timeout: float) -> None:
    """Docker Hub's pull rate limit: remaining pulls, limit, window, source. HEAD only: costs no pull."""

    def body() -> None:
        workstation = ctx.workstation(lean_http=True)  # a few requests, then exit (core/wire/lean.py)
        reading = workstation.read_ratelimit_now(anonymous=anonymous, warn_below=warn_below, timeout=timeout)
        login_note = reading.note
        readings = [reading.anonymous] + ([reading.authenticated] if reading.authenticated is not None else [])
        healthy = all(r.healthy for r in readings)
        if as_json:
            emit_json(
                {
                    "anonymous": readings[0].to_json(),
                    "authenticated": readings[1].to_json() if len(readings) > 1 else None,
                    "note": login_note or None,
                    "warn_below": warn_below,
                    "healthy": healthy,
                }
            )
        else:
            headers = ["", "anonymous"] + (
                [f"logged in ({readings[1].username or 'token'})"] if len(readings) > 1 else []
            )
            labels = ["state", "remaining", "window", "policies", "source"]
            columns = [_column(r) for r in readings]
            rows = [[label, *(col[i] for col in columns)] for i, label in enumerate(labels)]
            click.echo("Docker Hub pull rate limit")
            click.echo(table(rows, headers))
            for r in readings:
                if r.message:
                    click.echo(f"{r.mode}: {r.message}")
                if r.fix:
                    click.echo(f"    fix: {r.fix}")
            if login_note:
                click.echo(login_note)
            if any(NO_RESET_NOTE in r.notes for r in readings):
                click.echo(NO_RESET_NOTE + ".")
        if not healthy:
            raise SystemExit(1)

    run_guarded(body)
