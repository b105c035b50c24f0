"""A client for any ``docker-credential-NAME`` helper, exactly per the protocol.

The verb is argv[1], the payload goes on stdin, replies come as JSON on stdout, and a
missing entry is ``credentials not found in native keychain`` with exit 1
(docker/docker-credential-helpers: client/client.go, credentials/error.go). Secrets only
ever travel on stdin and stdout. Blocking.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
from collections.abc import Callable, Mapping

from regtui.core.credentials.model import NOT_FOUND, Credential
from regtui.core.errors import CredentialStoreError, HelperNotFound

REGTUI_HELPER = "regtui"
"""regtui's own helper, docker-credential-regtui (the OS keyring)."""
DEFAULT_TIMEOUT = 10.0
_MAX_SHOWN = 400


def helper_binary(name: str) -> str:
    return f"docker-credential-{name}"


def _shown(output: str) -> str:
    output = " ".join(output.split())
    return output if len(output) <= _MAX_SHOWN else output[:_MAX_SHOWN] + "…"


class HelperClient:
    """Runs one credential helper. ``env`` replaces the environment (tests, D-Bus sessions)."""

    def __init__(self, name: str, *, timeout: float = DEFAULT_TIMEOUT, env: Mapping[str, str] | None = None) -> None:
        self.name = name
        self.binary = helper_binary(name)
        self.timeout = timeout
        self.env = dict(env) if env is not None else None

    def path(self) -> str | None:
        search = (self.env or os.environ).get("PATH")
        return shutil.which(self.binary, path=search)

    def _run(self, verb: str, payload: str) -> tuple[int, str, str]:
        exe = self.path()
        if exe is None:
            raise HelperNotFound(
                f"{self.binary} is not on PATH, so docker cannot use the `{self.name}` store",
                where="config.json",
                fix=f"install {self.binary}, or remove `{self.name}` from credsStore/credHelpers "
                "(regtui registries shows which entries use it)",
            )
        try:
            proc = subprocess.Popen(
                [exe, verb],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=self.env,
                start_new_session=True,  # so a timeout can kill whatever the helper started
            )
        except OSError as exc:
            raise CredentialStoreError(f"cannot run {exe}: {exc.strerror}") from exc
        try:
            out, err = proc.communicate(payload.encode(), timeout=self.timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise CredentialStoreError(
                f"{self.binary} {verb} did not answer within {self.timeout:g} s",
                fix="the helper may be waiting for a keyring unlock prompt; unlock the keyring and try again",
            ) from None
        return proc.returncode, out.decode(errors="replace"), err.decode(errors="replace")

    def _failure(self, verb: str, code: int, out: str, err: str) -> CredentialStoreError:
        said = _shown(out.strip() or err.strip()) or "(no output)"
        return CredentialStoreError(f"{self.binary} {verb} failed (exit {code}): {said}")

    def get(self, server: str) -> Credential | None:
        code, out, err = self._run("get", server)
        if code != 0:
            if out.strip() == NOT_FOUND:
                return None
            raise self._failure("get", code, out, err)
        try:
            reply = json.loads(out)
            username, secret = reply["Username"], reply["Secret"]
            if not isinstance(username, str) or not isinstance(secret, str):
                raise TypeError
        except (ValueError, KeyError, TypeError):
            # The reply may hold a secret, so it is described, never shown.
            raise CredentialStoreError(
                f"{self.binary} get printed a reply that is not the JSON docker expects "
                f'({len(out)} bytes; want {{"ServerURL","Username","Secret"}})',
                fix=f"check the helper with: echo {server} | {self.binary} get",
            ) from None
        if not username and not secret:
            return None
        return Credential(server, username, secret, f"helper:{self.name}")

    def store(self, credential: Credential) -> None:
        payload = json.dumps(
            {"ServerURL": credential.server, "Username": credential.username, "Secret": credential.secret}
        )
        code, out, err = self._run("store", payload)
        if code != 0:
            raise self._failure("store", code, out, err)

    def erase(self, server: str) -> bool:
        """Erase the entry. Returns False when there was nothing to erase."""
        code, out, err = self._run("erase", server)
        if code != 0:
            if out.strip() == NOT_FOUND:
                return False
            raise self._failure("erase", code, out, err)
        return True

    def list(self) -> dict[str, str]:
        code, out, err = self._run("list", "unused")
        if code != 0:
            raise self._failure("list", code, out, err)
        try:
            reply = json.loads(out)
            if not isinstance(reply, dict) or not all(isinstance(v, str) for v in reply.values()):
                raise TypeError
        except (ValueError, TypeError):
            raise CredentialStoreError(
                f"{self.binary} list printed something that is not a JSON object: {_shown(out) or '(nothing)'}"
            ) from None
        return reply

    def version(self) -> str:
        code, out, err = self._run("version", "")
        if code != 0:
            raise self._failure("version", code, out, err)
        return out.strip()


HelperFactory = Callable[[str], HelperClient]
"""Makes the client of a helper by name (tests pass fakes)."""
