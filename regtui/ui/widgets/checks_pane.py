"""ChecksPane: the check ladder of every registry, filled in live as each check finishes."""

from __future__ import annotations

from datetime import date, datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, Input, Static

from regtui.core.registry.causes import Cause
from regtui.core.registry.model import FAIL, OK, SKIP, STEP_TITLES, WARN, CheckResult
from regtui.ui.safe import cell, sanitized
from regtui.ui.widgets.hanging import HangingText, Line, joined
from regtui.ui.widgets.nav_table import NavTable

_DETAIL_COLUMN = 2 + 26 + len(f"{0:7.1f} ms  ")
_MARK = {OK: ("✓", "green"), FAIL: ("✗", "bold red"), WARN: ("!", "yellow"), SKIP: ("-", "dim")}


def _verdict(result: CheckResult | None, stale: bool = False) -> Text:
    if result is None:
        return Text("checking…", style="dim italic")
    if stale:  # an earlier run's verdict: dimmed until checked again
        return Text("healthy", style="dim green") if result.healthy else Text("failing", style="dim red")
    return Text("healthy", style="green") if result.healthy else Text("failing", style="bold red")


def checked_label(at: str, today: date) -> str:
    """When an earlier run checked: "checked 14:02", or "checked Nov 29 14:02" on another day
    (the time as it was kept, in the offset it was kept with)."""
    try:
        when = datetime.fromisoformat(at)
    except ValueError:
        return "checked earlier"
    return f"checked {when:%H:%M}" if when.date() == today else f"checked {when:%b} {when.day} {when:%H:%M}"


def ladder_lines(result: CheckResult) -> list[Line]:
    """Every step with its time; the failing one with its cause and fix. Each line hangs under its
    own text when it wraps: a step's detail under the detail column, a fix under the fix."""
    head = Text()
    head.append(result.registry, style="bold")
    head.append(f" · {result.endpoint} · {result.ms:.0f} ms", style="dim")
    lines: list[Line] = [(sanitized(head), 2)]
    for step in result.steps:
        mark, style = _MARK.get(step.status, ("?", ""))
        line = Text()
        line.append(f"{mark} ", style=style)
        line.append(f"{step.title:<26}", style="bold" if step.status == FAIL else "")
        line.append(f"{step.ms:7.1f} ms  ", style="dim")
        line.append(step.detail)
        lines.append((sanitized(line), _DETAIL_COLUMN))
        if step.status in (FAIL, WARN) and step.cause:  # (a result kept from an earlier run has no fix)
            lines.append((sanitized(Text(f"    cause: {step.cause}", style=style)), len("    cause: ")))
        if step.status in (FAIL, WARN) and step.fix:
            fix = Text("    fix: ", style="dim")
            fix.append(step.fix, style="italic")
            lines.append((sanitized(fix), len("    fix: ")))
    return lines


def ladder(result: CheckResult) -> Text:
    """The ladder as one text (what y copies)."""
    return joined(ladder_lines(result))


class ChecksPane(Vertical):
    BINDINGS = [
        Binding("c", "check", "Check", id="regtui.check"),
        Binding("C", "check_all", "Check all", id="regtui.check-all"),
        Binding("f", "fix", "Fix", id="regtui.check-fix"),
    ]

    class FixRequested(Message):
        """f: the fix of the highlighted registry's failure (its CA's directory, or a login)."""

        def __init__(self, result: CheckResult) -> None:
            super().__init__()
            self.result = result

    class CheckRequested(Message):
        """c: check the highlighted registry again."""

        def __init__(self, registry: str) -> None:
            super().__init__()
            self.registry = registry

    class CheckAllRequested(Message):
        """C: check every registry."""

    class RepoChanged(Message):
        """The repository field: the name every check tests pull access to (``check --repo``)."""

        def __init__(self, repo: str) -> None:
            super().__init__()
            self.repo = repo

    class Ready(Message):
        """Mounted (the tab mounts lazily, when first shown): the app fills it in."""

    DEFAULT_CSS = """
    ChecksPane #checks-table { height: 1fr; }
    ChecksPane #check-detail-scroll { height: 1fr; border-top: solid $primary-darken-2; padding: 0 1; }
    ChecksPane #checks-summary { padding: 0 1; }
    ChecksPane #checks-repo { height: 1; border: none; padding: 0 1; background: $boost; }
    ChecksPane #checks-repo:focus { background: $primary 20%; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.results: dict[str, CheckResult] = {}
        """The last result of each registry: kept when others are checked, and across reloads."""
        self.running: set[str] = set()
        self.earlier: dict[str, str] = {}
        """Registries whose result comes from an earlier run: "checked 14:02"."""

    def compose(self) -> ComposeResult:
        yield Static(self.summary(), id="checks-summary")
        yield Input(placeholder="--repo: a repository to test pull access to, e.g. library/alpine", id="checks-repo")
        yield NavTable(id="checks-table", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="check-detail-scroll"):
            yield HangingText(id="check-detail")

    def on_mount(self) -> None:
        table = self.query_one(NavTable)
        table.add_column("Registry")
        # Fixed: "checking…" is replaced as results arrive, and an auto width would depend on timing.
        table.add_column("Verdict", width=len("checking…"))
        # Fixed from what can appear: a result never re-measures a column (50 results in one frame
        # would measure each column 50 times), and the layout does not depend on when they arrive.
        table.add_column("Failing step", width=max(len(t) for t in STEP_TITLES.values()))
        table.add_column("Cause", width=max(len(c.value) for c in Cause))
        table.add_column("Time", width=len("99999 ms"))
        self.post_message(self.Ready())

    def summary(self) -> Text:
        """healthy / failing / running, then the keys."""
        healthy = sum(1 for r in self.results.values() if r.healthy)
        failing = len(self.results) - healthy
        text = Text()
        if not self.results and not self.running:
            text.append("no checks yet", style="dim")
        else:
            text.append(f"{healthy} healthy", style="green" if healthy else "dim")
            text.append(" · ", style="dim")
            text.append(f"{failing} failing", style="bold red" if failing else "dim")
            text.append(" · ", style="dim")
            text.append(f"{len(self.running)} running", style="yellow" if self.running else "dim")
        if self.earlier:
            times = sorted(set(self.earlier.values()))
            shown = times[0] if len(times) == 1 else f"{times[0]} …"
            text.append(f" · {len(self.earlier)} from an earlier run ({shown})", style="dim italic")
        text.append(" · c/C: check one/all", style="dim")
        return text

    def _show_summary(self) -> None:
        widget = self.query_one_optional("#checks-summary", Static)
        if widget is not None:
            widget.update(self.summary())

    def start(self, names: list[str]) -> None:
        """Mark the registries about to be checked as running; the others keep their results."""
        table = self.query_one(NavTable)
        for name in names:
            self.results.pop(name, None)
            self.earlier.pop(name, None)
            self.running.add(name)
            if name in table.rows or table.has_row(name):
                table.update_cell(name, list(table.columns)[1], _verdict(None))
            else:
                table.add_row(cell(name, "bold"), _verdict(None), "", "", "", key=name)
        # Results of an earlier run may have reached the pane before it was told of this one:
        # the rows follow the order asked for, not the order the answers came in.
        table.order_rows(names)
        self._show_summary()
        self._show_selected()

    def add(self, result: CheckResult, checked: str = "") -> None:
        """A result; ``checked`` ("checked 14:02"): one of an earlier run, shown dimmed."""
        self.add_many([result], checked)

    def add_many(self, results: list[CheckResult], checked: str = "") -> None:
        """Results that arrived together: their rows, then the summary and the detail once."""
        for result in results:
            self._add_row(result, checked)
        self._show_summary()
        self._show_selected()

    def _add_row(self, result: CheckResult, checked: str = "") -> None:
        self.results[result.registry] = result
        self.running.discard(result.registry)
        if checked:
            self.earlier[result.registry] = checked
        else:
            self.earlier.pop(result.registry, None)
        table = self.query_one(NavTable)
        failure = result.failure
        dim = "dim " if checked else ""
        cells = (
            _verdict(result, bool(checked)),
            cell(failure.title if failure else "", dim),
            cell(failure.cause if failure else "", dim + "red"),
            Text(f"{result.ms:.0f} ms", style=dim.strip()),
        )
        if not table.has_row(result.registry):
            table.add_row(cell(result.registry, "bold"), *cells, key=result.registry)
        else:
            # The columns have fixed widths (set in on_mount): nothing is measured per result.
            for column, value in zip(list(table.columns)[1:], cells, strict=True):
                table.update_cell(result.registry, column, value)

    @property
    def selected(self) -> str | None:
        """The highlighted registry's name."""
        return self.query_one(NavTable).cursor_key

    def _show_selected(self) -> None:
        table = self.query_one(NavTable)
        if not table.row_count:
            return
        key = table.cursor_key
        result = self.results.get(key) if key is not None else None
        detail = self.query_one_optional("#check-detail", HangingText)
        if detail is not None and result is None:
            detail.show([(Text("checking…", style="dim italic"), 0)])
        elif detail is not None and result is not None:
            earlier = self.earlier.get(result.registry)
            note = Text(f"{earlier}, in an earlier run: c checks it again", style="dim italic")
            detail.show(([(note, 0)] if earlier else []) + ladder_lines(result))

    def copy_text(self) -> str | None:
        """y on the Checks tab: the selected registry's whole ladder, with its cause and fix."""
        result = self.results.get(self.selected or "")
        return ladder(result).plain if result else None

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "checks-repo":
            event.stop()
            self.post_message(self.RepoChanged(event.value.strip()))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "checks-repo":
            event.stop()
            self.query_one(NavTable).focus()
            self.post_message(self.CheckAllRequested())

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_selected()

    def action_check(self) -> None:
        if self.selected is not None:
            self.post_message(self.CheckRequested(self.selected))

    def action_check_all(self) -> None:
        self.post_message(self.CheckAllRequested())

    def action_fix(self) -> None:
        result = self.results.get(self.selected or "")
        if result is not None:
            self.post_message(self.FixRequested(result))
