"""What the Mirrors pane says under its table: the selected mirror in full, or why there is none."""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from rich.text import Text

if TYPE_CHECKING:  # loaded at start with the pane: no mirror model on the first frame's path
    from regtui.core.mirrors.model import Mirror, MirrorHealth, MirrorSet


INSECURE_PREFIX = "insecure-registries: "
INSECURE_NOTE = (
    "  docker checks no TLS certificate for these hosts and may fall back to plain HTTP for them; "
    "a mirror on a listed host is used without checking its certificate. They apply to every "
    "pull, not only through mirrors (127.0.0.0/8 always counts as listed). List only hosts you trust."
)


def _host(url: str) -> tuple[str, str]:
    """(host, host:port) of a mirror URL (registries.conf locations have no scheme)."""
    parts = urlsplit(url if "://" in url else f"//{url}")
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    return host, f"{host}:{port}" if port else host


def listed_insecure(url: str, entries: list[str]) -> str | None:
    """The insecure-registries entry that covers the mirror's host (name, host:port or CIDR)."""
    host, hostport = _host(url)
    for entry in entries:
        if entry.lower() in (host, hostport):
            return entry
        try:
            if "/" in entry and ipaddress.ip_address(host) in ipaddress.ip_network(entry, strict=False):
                return entry
        except ValueError:
            continue
    return None


def _security(mirror_set: MirrorSet, mirror: Mirror) -> tuple[Text, Text]:
    """(what applies to this mirror, the file-wide notes): the first is short and shown early."""
    mine, notes = Text(), Text()
    for warning in mirror_set.warnings:
        if not warning.startswith(INSECURE_PREFIX):
            mine.append(f"\n! {warning}", style="yellow")
            continue
        entries = [e.strip() for e in warning[len(INSECURE_PREFIX) :].split(",")]
        entry = listed_insecure(mirror.url, entries)
        if entry:
            mine.append(f"\ncovered by insecure-registries ({entry}): its certificate is not checked", style="yellow")
        notes.append(f"\ninsecure-registries (daemon.json): {', '.join(entries)}", style="yellow")
        notes.append(f"\n{INSECURE_NOTE}", style="dim")
    if mirror.insecure:
        mine.append(
            "\ninsecure = true (registries.conf): podman and skopeo reach this mirror over plain HTTP "
            "or without checking its certificate",
            style="yellow",
        )
    if mirror.skip_verify:
        mine.append("\nskip_verify = true (hosts.toml): containerd does not check this mirror's certificate")
    if mirror.url.startswith("http://"):
        mine.append("\nhttp://: pulls through this mirror are not encrypted", style="yellow")
    return mine, notes


def describe(
    mirror_set: MirrorSet,
    mirror: Mirror,
    health: MirrorHealth | None,
    image: str | None,
    untested: bool,
) -> Text:
    """The selected row: its health and test image first, then what is insecure about it, where it
    lives and how a change is activated, then the file-wide notes (``image``: None when none is
    known for the registry, "" when not looked up yet)."""
    text = Text()
    text.append(mirror.url, style="bold")
    text.append(
        f" · {mirror_set.runtime} mirror of {mirror_set.registry} · falls back to "
        f"{mirror_set.upstream or 'the registry itself'}",
        style="dim",
    )
    if not mirror.enabled:
        text.append("\nhealth: off: not tested (switched off)", style="dim")
    elif health is not None:
        text.append(f"\nhealth: {health.detail}", style="green" if health.healthy else "red")
    elif untested:
        text.append(
            f"\nhealth: not tested: no test image for {mirror_set.registry}. Press i and name an image "
            "its mirrors should serve (regtui remembers it)",
            style="yellow",
        )
    if image:
        text.append(f"\ntest image: {image}  (i: change)", style="dim")
    elif image is None and not untested:
        text.append(f"\ntest image: none known for {mirror_set.registry}: i names one", style="yellow")
    mine, notes = _security(mirror_set, mirror)
    text.append_text(mine)
    text.append(f"\nfile: {mirror_set.source}  (e: open it in $EDITOR)", style="dim")
    text.append(f"\nafter a change: {mirror_set.activation}", style="dim")
    text.append_text(notes)
    return text


def empty(errors: list[str], files: list[str]) -> Text:
    """No row to show: a broken file (named above the table), or nothing configured in the files read."""
    if errors:
        return Text("No mirrors listed: fix the file named above, then r to reload.", style="dim")
    text = Text("No mirrors configured. a: add one", style="dim")
    if files:
        text.append("\nread: " + "\n      ".join(files), style="dim")
    return text
