"""Run a program in a real pseudo-terminal, type into it, and keep every byte it wrote.

For the TUI as a person runs it: the alternate screen, the exit, and whatever Textual prints to
the terminal after a crash all land in ``Terminal.output``.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import termios
import time

_ESCAPES = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")


class Terminal:
    def __init__(self, argv: list[str], env: dict[str, str], size: tuple[int, int] = (100, 30)) -> None:
        self.master, slave = os.openpty()
        columns, rows = size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        env = {**env, "TERM": "xterm-256color", "COLUMNS": str(columns), "LINES": str(rows)}
        self.process = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True, close_fds=True
        )
        os.close(slave)
        self.output = b""

    def _pump(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            ready, _, _ = select.select([self.master], [], [], min(left, 0.05))
            if ready:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:  # the program exited and the pty closed
                    return
                if not chunk:
                    return
                self.output += chunk

    @property
    def text(self) -> str:
        """Everything written so far, escape sequences removed."""
        return _ESCAPES.sub(b"", self.output).decode("utf-8", "replace")

    def wait_for(self, needle: str, timeout: float = 20.0) -> None:
        end = time.monotonic() + timeout
        while needle not in self.text:
            if time.monotonic() > end:
                raise AssertionError(f"{needle!r} never appeared; the terminal shows:\n{self.text[-3000:]}")
            self._pump(0.1)

    def type(self, keys: str, settle: float = 0.3) -> None:
        os.write(self.master, keys.encode())
        self._pump(settle)

    def finish(self, timeout: float = 15.0) -> int:
        """Wait for the program to exit, keep reading until then; its exit code."""
        end = time.monotonic() + timeout
        while self.process.poll() is None and time.monotonic() < end:
            self._pump(0.1)
        if self.process.poll() is None:
            self.process.kill()
        self._pump(0.3)
        self.close()
        return self.process.wait()

    def close(self) -> None:
        """End the program's whole session (a failed test must not leave a TUI spinning) and the pty."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        if self.master >= 0:
            os.close(self.master)
            self.master = -1

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
