"""Text-level work on TOML tables, for edits that must leave every other byte alone.

A "block" is a table header line and the lines up to the next header. Disabling a mirror
comments its block out with a marker (``# regtui-disabled: ``), so the file stays valid,
a reader sees what was there, and enabling restores the exact text. Every edit is checked
by parsing the result with tomllib.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from regtui.core.errors import ConfigError
from regtui.core.mirrors.ops import Disable, MirrorOp, Remove

if TYPE_CHECKING:
    from tomlkit import TOMLDocument

DISABLED = "# regtui-disabled: "
_HEADER = re.compile(r"^\s*\[")
_FIX = "fix the file by hand (regtui never rewrites a file it cannot parse)"
_LONG_NUMBER = re.compile(r"[0-9_]{4301,}")
_LINE_COL = re.compile(r"\(at line (\d+), column (\d+)\)")


@dataclass(frozen=True)
class Block:
    start: int  # line index of the header
    end: int  # line index after the block's last non-blank line
    header: str
    disabled: bool


def parse_toml(text: str, path: Path) -> dict[str, Any]:
    """tomllib, with the error turned into a ConfigError that names file, line and column."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = _LINE_COL.search(str(exc))
        line, column = (int(found.group(1)), int(found.group(2))) if found else (None, None)
        raise ConfigError(
            f"is not valid TOML: {_LINE_COL.sub('', str(exc)).strip()}",
            path=path,
            line=line,
            column=column,
            fix=_FIX,
        ) from exc
    except RecursionError as exc:
        raise ConfigError("is nested too deeply for regtui to read", path=path, fix=_FIX) from exc
    except ValueError as exc:  # an integer past Python's digit limit (sys.set_int_max_str_digits)
        raise ConfigError(
            f"holds a number too long to read ({str(exc).split(';')[0]})",
            path=path,
            line=long_number_line(text),
            fix=_FIX,
        ) from exc


def long_number_line(text: str) -> int | None:
    """The line of the first run of more digits than Python converts (4300 by default)."""
    found = _LONG_NUMBER.search(text)
    return text.count("\n", 0, found.start()) + 1 if found else None


def edit_toml(text: str, path: Path) -> TOMLDocument:
    """tomlkit's editable document of a text tomllib already accepted; its failures are ConfigErrors too."""
    import tomlkit

    try:
        return tomlkit.parse(text)
    except RecursionError as exc:
        raise ConfigError("is nested too deeply for regtui to edit", path=path, fix=_FIX) from exc
    except Exception as exc:  # noqa: BLE001 - tomlkit refuses some files tomllib reads: say so, never crash
        raise ConfigError(
            f"regtui's TOML editor cannot edit this file ({type(exc).__name__}: {str(exc)[:200]})",
            path=path,
            fix="simplify the file by hand, or make the change by hand",
        ) from exc


def blocks(lines: list[str]) -> list[Block]:
    """Every table block, enabled or commented out by regtui, in file order."""
    found: list[Block] = []
    starts = []
    for index, line in enumerate(lines):
        if _HEADER.match(line):
            starts.append((index, line.strip(), False))
        elif line.startswith(DISABLED) and _HEADER.match(line[len(DISABLED) :]):
            starts.append((index, line[len(DISABLED) :].strip(), True))
    for position, (start, header, disabled) in enumerate(starts):
        limit = starts[position + 1][0] if position + 1 < len(starts) else len(lines)
        end = start + 1
        for index in range(start + 1, limit):
            line = lines[index]
            if disabled and not line.startswith(DISABLED):
                break
            if line.strip():
                end = index + 1
        found.append(Block(start, end, header, disabled))
    return found


def merge(first: Block, last: Block) -> Block:
    """One block spanning a table and its sub-tables (``[host."u"]`` and ``[host."u".header]``)."""
    return Block(first.start, last.end, first.header, first.disabled)


def block_text(lines: list[str], block: Block) -> str:
    chunk = lines[block.start : block.end]
    if block.disabled:
        chunk = [line[len(DISABLED) :] for line in chunk]
    return "".join(chunk)


def disable(lines: list[str], block: Block) -> list[str]:
    return lines[: block.start] + [DISABLED + line for line in lines[block.start : block.end]] + lines[block.end :]


def enable(lines: list[str], block: Block) -> list[str]:
    restored = [line[len(DISABLED) :] for line in lines[block.start : block.end]]
    return lines[: block.start] + restored + lines[block.end :]


def remove(lines: list[str], block: Block) -> list[str]:
    end = block.end
    while end < len(lines) and not lines[end].strip():
        end += 1
    start = block.start
    if end == len(lines):  # the last block: drop the blank lines before it instead
        while start > 0 and not lines[start - 1].strip():
            start -= 1
        return lines[:start] + (["\n"] if start and not lines[start - 1].endswith("\n") else [])
    return lines[:start] + lines[end:]


def apply_to_block(lines: list[str], block: Block, op: MirrorOp) -> list[str]:
    """Remove, disable or enable one block (any other operation is the caller's own edit)."""
    if isinstance(op, Remove):
        return remove(lines, block)
    return disable(lines, block) if isinstance(op, Disable) else enable(lines, block)


def permute(lines: list[str], slots: list[Block], sources: list[Block]) -> list[str]:
    """Slot ``i`` (blocks in file order, not overlapping) gets the lines of ``sources[i]``; the lines
    between the blocks (blank lines, comments, other tables) stay where they are."""
    out: list[str] = []
    position = 0
    for slot, source in zip(slots, sources, strict=True):
        out += lines[position : slot.start]
        chunk = lines[source.start : source.end]
        if chunk and not chunk[-1].endswith("\n"):  # the file's last line, now followed by more
            chunk = [*chunk[:-1], chunk[-1] + "\n"]
        out += chunk
        position = slot.end
    return out + lines[position:]


def rewrite(lines: list[str], block: Block, pattern: re.Pattern[str], value: str) -> list[str]:
    """The block with the first match of ``pattern`` in each line (group 1 kept, group 2 the old value)
    replaced by ``value``; a disabled block keeps its marker."""
    prefix = DISABLED if block.disabled else ""
    out = list(lines)
    for index in range(block.start, block.end):
        line = out[index].removeprefix(prefix)
        out[index] = prefix + pattern.sub(lambda m: m.group(1) + value, line, count=1)
    return out


def append(text: str, block: str) -> str:
    """``block`` at the end of ``text``, after one blank line."""
    if not text.strip():
        return block
    body = text if text.endswith("\n") else text + "\n"
    if not body.endswith("\n\n"):
        body += "\n"
    return body + block
