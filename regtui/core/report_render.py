"""The text and Markdown views of a report document (``Report.to_json``), already redacted.

Each section is built once as tables and notes; ``text`` pads the columns, ``markdown`` writes
GitHub-flavoured tables (the GFM spec's table extension) with every cell escaped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from regtui.core.ratelimit_model import human_window

OK, FAIL, WARN = "✓", "✗", "!"
_SEVERITY = {"error": FAIL, "warning": WARN, "info": "i"}
_DIGEST = re.compile(r"(sha256:[0-9a-f]{12})[0-9a-f]{52}")
_TOOL_STATUS = {"ok": "found", "not-found": "not found", "timed-out": "timed out", "failed": "failed"}


@dataclass
class Section:
    title: str
    subtitle: str = ""
    tables: list[tuple[list[str], list[list[str]]]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f} ms"


def _registries(doc: dict[str, Any]) -> Section:
    data = doc["registries"]
    exists = data.get("config_exists")
    where = data.get("config", "?") + (" (not found: empty)" if exists is False else "")
    store = f"; credsStore: {data['creds_store']}" if data.get("creds_store") else ""
    section = Section("Registries", f"config: {where}{store}")
    if data.get("env_override"):
        section.notes.append(f"{WARN} DOCKER_AUTH_CONFIG is set and takes precedence over the stores")
    if data.get("error"):
        section.notes.append(f"{FAIL} {data['error']}")
        return section
    rows = []
    for r in data.get("registries", []):
        status = {True: "logged in", False: "not logged in", None: "unknown"}[r["logged_in"]]
        status += " (identity token)" if r["identity_token"] else ""
        rows.append([r["registry"], r["username"] or "-", r["store"], r["secret_location"], status])
        for d in r["diagnostics"]:
            fix = f" (fix: {d['fix']})" if d["fix"] else ""
            section.notes.append(f"{_SEVERITY.get(d['severity'], '?')} {r['registry']}: {d['message']}{fix}")
    if rows:
        section.tables.append((["registry", "user", "store", "secret", "status"], rows))
    else:
        section.notes.insert(0, "No registries in config.json.")
    return section


def _checks(doc: dict[str, Any]) -> Section:
    data = doc["checks"]
    section = Section("Checks", f"the check ladder of every registry; --timeout {data['timeout']:g} s per request")
    if doc["errors"].get("checks"):
        section.notes.append(f"{FAIL} {doc['errors']['checks']}")
    rows = []
    for r in data["results"]:
        scheme = (r["auth_scheme"] or ("open" if r["healthy"] else "")).capitalize()
        who = ", ".join(x for x in (scheme, r["username"]) if x) or "-"
        if r["healthy"]:
            verdict = f"{OK} healthy" + (f" ({len(r['warnings'])} warning(s))" if r["warnings"] else "")
            rows.append([r["registry"], verdict, who, _ms(r["ms"]), "-", "-", "-"])
        else:
            step = f"{r['failed_step_title']}: {r['cause']}"
            rows.append([r["registry"], f"{FAIL} failed", who, _ms(r["ms"]), step, r["detail"] or "-", r["fix"] or "-"])
        section.notes += [f"{WARN} {r['registry']}: {w['step']}: {w['detail']}" for w in r["warnings"]]
        section.notes += [f"i {r['registry']}: {note}" for note in r["notes"]]
    if rows:
        section.tables.append((["registry", "verdict", "auth", "time", "failed step", "detail", "fix"], rows))
    elif not doc["registries"].get("error"):
        section.notes.append("No registries to check.")
    return section


def _health(mirror: dict[str, Any]) -> str:
    h = mirror.get("health")
    if not mirror["enabled"]:
        return "not tested (off)"
    if h is None:
        return "not tested"
    times = ", ".join(f"{n} {_ms(h[k])}" for n, k in (("ping", "ping_ms"), ("manifest", "manifest_ms")) if h[k])
    head = OK if h["healthy"] else f"{FAIL} {h['cause']}"
    detail = _DIGEST.sub(r"\1…", h["detail"])  # the whole digest is in --json
    return " ".join(x for x in (head, times, detail) if x)


def _mirrors(doc: dict[str, Any]) -> Section:
    data = doc["mirrors"]
    section = Section("Mirrors", "every runtime's mirrors in try order; each enabled one tested (GET /v2/, HEAD)")
    rows = []
    for s in data["mirror_sets"]:
        source = s["source"] + (" (read-only drop-in)" if s["read_only"] else "")
        for i, m in enumerate(s["mirrors"], 1):
            rows.append(
                [s["runtime"], s["registry"], str(i), "on" if m["enabled"] else "off", m["url"], _health(m), source]
            )
        if not s["mirrors"]:
            rows.append([s["runtime"], s["registry"], "-", "-", "(no mirrors)", "-", source])
        section.notes += [f"{WARN} {s['runtime']} {s['registry']}: {w}" for w in s["warnings"]]
    if rows:
        section.tables.append((["runtime", "registry", "#", "state", "mirror", "health", "source"], rows))
    else:
        section.notes.insert(0, "No mirrors configured.")
    for e in data["errors"]:
        where = f"{e['where']}: " if e.get("where") else ""
        section.notes.append(f"{FAIL} {where}{e['message']}" + (f" (fix: {e['fix']})" if e.get("fix") else ""))
    return section


def _remaining(r: dict[str, Any]) -> str:
    if r["state"] == "unlimited":
        return "not limited / not reported"
    if r["remaining"] is None or r["limit"] is None:
        return "-"
    return f"{r['remaining']} of {r['limit']} ({r['percent_remaining']:g}%)"


def _ratelimit(doc: dict[str, Any]) -> Section:
    data = doc["ratelimit"]
    section = Section("Docker Hub rate limit", "HEAD only: reading it costs no pull")
    if data.get("error"):
        section.notes.append(f"{FAIL} {data['error']}")
    readings = [r for r in (data.get("anonymous"), data.get("authenticated")) if r]
    if readings:
        headers = ["", "anonymous"] + (
            [f"logged in ({readings[1]['username'] or 'token'})"] if len(readings) > 1 else []
        )
        rows = [
            ["state", *(r["state"] for r in readings)],
            ["remaining", *(_remaining(r) for r in readings)],
            ["window", *(human_window(r["window_seconds"]) if r["window_seconds"] else "-" for r in readings)],
            ["policies", *(", ".join(r["policies"]) or "-" for r in readings)],
            ["source", *(r["source"] or "-" for r in readings)],
        ]
        section.tables.append((headers, rows))
        for r in readings:
            if r["message"]:
                section.notes.append(f"{r['mode']}: {r['message']}" + (f" (fix: {r['fix']})" if r["fix"] else ""))
    if data.get("note"):
        section.notes.append(data["note"])
    return section


def _files(doc: dict[str, Any]) -> Section:
    rows = []
    for f in doc["files"]:
        if f["exists"]:
            size = "-" if f["size"] is None else f"{f['size']} B"
            link = f" -> {f['symlink_to']}" if f["symlink_to"] else ""
            rows.append([f["name"], f["path"] + link, f["kind"], f["mode"], f["owner"], size])
        else:
            rows.append([f["name"], f["path"], f["error"] or "not found", "-", "-", "-"])
    section = Section("Files")
    section.tables.append((["what", "path", "exists", "mode", "owner", "size"], rows))
    if doc["errors"].get("files"):
        section.notes.append(f"{FAIL} {doc['errors']['files']}")
    return section


def _tools(doc: dict[str, Any]) -> Section:
    rows = [
        [t["name"], _TOOL_STATUS.get(t["status"], t["status"]), t["version"] or t["detail"] or "-", t["path"] or "-"]
        for t in doc["tools"]
    ]
    section = Section("Tools", "each run with --version, 3 s at most")
    section.tables.append((["tool", "status", "version", "path"], rows))
    return section


def _environment(doc: dict[str, Any]) -> Section:
    rows = [[name, "not set" if value is None else value] for name, value in doc["environment"].items()]
    section = Section("Environment", "DOCKER_AUTH_CONFIG: set or not, never its value")
    section.tables.append((["variable", "value"], rows))
    return section


def sections(doc: dict[str, Any]) -> list[Section]:
    return [f(doc) for f in (_registries, _checks, _mirrors, _ratelimit, _files, _tools, _environment)]


def _verdict(doc: dict[str, Any]) -> str:
    results = doc["checks"]["results"]
    failing = [r["registry"] for r in results if not r["healthy"]]
    if doc["registries"].get("error"):
        return f"{FAIL} config.json could not be read"
    if doc["errors"].get("checks"):
        return f"{FAIL} the checks could not run"
    if failing:
        return f"{FAIL} {len(failing)} of {len(results)} registries fail their check: {', '.join(failing)}"
    if not results:
        return "no registries to check"
    return f"{OK} every registry passes its check ({len(results)})"


def _privacy(doc: dict[str, Any]) -> str:
    users = "User names are shown." if doc["users_shown"] else "User names are masked (--show-users keeps them)."
    return f"{users} No password, token or auth value is ever included."


def _head(doc: dict[str, Any]) -> str:
    r = doc["regtui"]
    return f"regtui {r['version']}, Python {r['python']}, {r['platform']}, {r['generated_at']}"


# -- text ----------------------------------------------------------------------------------------
_ONE_LINE = re.compile(r"\s*\n\s*")


def _cell(value: object) -> str:
    return _ONE_LINE.sub(" ", str(value))


def _pad(headers: list[str], rows: list[list[str]]) -> list[str]:
    heads = [h.partition(" (")[0].upper() + h[len(h.partition(" (")[0]) :] for h in headers]  # keep "(a***e)"
    table = [[_cell(c) for c in row] for row in [heads, *rows]]
    widths = [max(len(row[i]) for row in table) for i in range(len(headers))]
    return ["  " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in table]


def text(doc: dict[str, Any]) -> str:
    lines = [f"regtui report ({_head(doc)})", _verdict(doc), _privacy(doc)]
    for s in sections(doc):
        lines += ["", s.title + (f"  ({s.subtitle})" if s.subtitle else "")]
        for headers, rows in s.tables:
            lines += _pad(headers, rows)
        lines += ["  " + _cell(n) for n in s.notes]
    return "\n".join(lines) + "\n"


# -- Markdown ------------------------------------------------------------------------------------
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")


def md_escape(value: object) -> str:
    """One table cell or line of prose: no markup, no HTML, no line break that ends the table."""
    escaped = _MD_SPECIAL.sub(r"\\\1", str(value))
    return _ONE_LINE.sub("<br>", escaped.strip()) or " "


def _md_table(headers: list[str], rows: list[list[str]]) -> list[str]:
    return [
        "| " + " | ".join(md_escape(h) for h in headers) + " |",
        "|" + "---|" * len(headers),
        *("| " + " | ".join(md_escape(c) for c in row) + " |" for row in rows),
    ]


def markdown(doc: dict[str, Any]) -> str:
    lines = ["# regtui report", "", md_escape(_head(doc)), "", f"**{md_escape(_verdict(doc))}**", ""]
    lines += [md_escape(_privacy(doc))]
    for s in sections(doc):
        lines += ["", f"## {s.title}", ""]
        if s.subtitle:
            lines += [md_escape(s.subtitle), ""]
        for headers, rows in s.tables:
            lines += [*_md_table(headers, rows), ""]
        lines += [f"- {md_escape(n)}" for n in s.notes]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).rstrip() + "\n"
