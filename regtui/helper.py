"""docker-credential-regtui: a docker credential helper backed by the OS keyring.

Speaks the protocol docker, skopeo, nerdctl, crane and regctl use
(docker/docker-credential-helpers: credentials/credentials.go Serve, client/command.go): the
verb in argv[1], the payload on stdin, JSON on stdout; any failure is a message on stdout and
exit 1. It runs on every pull, so it imports only what ``get`` needs: no textual, rich, click,
httpx or tomlkit, and not even ``json``, ``re`` or ``socket``
(lean_json.py, dbus_wire.py).
"""

from __future__ import annotations

import sys

# Nothing is imported for types at run time: mypy treats any ``TYPE_CHECKING`` as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from regtui.core.credentials.store import CredentialStore

NAME = "docker-credential-regtui"
USAGE = f"Usage: {NAME} <store|get|erase|list|version>"


class _Failure(Exception):
    """Printed on stdout with exit 1, as the protocol wants."""


def _read_server(payload: str) -> str:
    server = payload.strip()
    if not server:
        raise _Failure("no credentials server URL")
    return server


def _store(payload: str) -> None:
    import json

    from regtui.core.credentials.model import Credential

    try:
        request = json.loads(payload)
        server, username, secret = request["ServerURL"], request["Username"], request["Secret"]
    except (ValueError, KeyError, TypeError):
        raise _Failure('store expects {"ServerURL":…,"Username":…,"Secret":…} on stdin') from None
    if not isinstance(server, str) or not server.strip():
        raise _Failure("no credentials server URL")
    if not isinstance(username, str) or not username:
        raise _Failure("no credentials username")
    if not isinstance(secret, str):
        raise _Failure("the Secret must be a string")
    _store_backend().store(Credential(server.strip(), username, secret))


def _store_backend() -> CredentialStore:  # the import is deferred on purpose
    from regtui.core.credentials.keyring_store import KeyringStore

    return KeyringStore()


def _get(payload: str) -> str:
    server = _read_server(payload)
    credential = _store_backend().get(server)
    if credential is None:
        from regtui.core.credentials.model import NOT_FOUND  # loaded already, with the store

        raise _Failure(NOT_FOUND)
    from regtui.core.credentials.lean_json import quote

    # The shape docker-credential-secretservice prints; the ServerURL as it was asked for.
    return (
        f'{{"ServerURL":{quote(server)},"Username":{quote(credential.username)},"Secret":{quote(credential.secret)}}}\n'
    )


def _erase(payload: str) -> None:
    if not _store_backend().erase(_read_server(payload)):
        from regtui.core.credentials.model import NOT_FOUND  # loaded already, with the store

        raise _Failure(NOT_FOUND)


def _list() -> str:
    import json

    return json.dumps(_store_backend().list()) + "\n"


def _version() -> str:
    from regtui import __version__

    return f"{NAME} (regtui) {__version__}\n"


def run(argv: list[str], stdin: str) -> tuple[int, str]:
    """The helper as a function: (exit status, stdout)."""
    from regtui.core.errors import RegtuiError

    if len(argv) != 1:
        return 1, USAGE + "\n"
    verb = argv[0]
    try:
        if verb == "get":
            return 0, _get(stdin)
        if verb == "store":
            _store(stdin)
            return 0, ""
        if verb == "erase":
            _erase(stdin)
            return 0, ""
        if verb == "list":
            return 0, _list()
        if verb in ("version", "--version", "-v"):
            return 0, _version()
        if verb in ("--help", "-h"):
            return 0, USAGE + "\n"
        return 1, f"{NAME}: unknown action: {verb}\n"
    except _Failure as exc:
        return 1, f"{exc}\n"
    except RegtuiError as exc:
        # One line, as docker shows the helper's stdout inline in its own error.
        return 1, exc.render().replace("\n  fix: ", " (fix: ").rstrip() + (")" if exc.fix else "") + "\n"


def main() -> None:
    argv = sys.argv[1:]
    stdin = "" if argv[:1] in (["list"], ["version"], ["--version"], ["-v"]) else sys.stdin.read()
    code, out = run(argv, stdin)
    sys.stdout.write(out)
    sys.stdout.flush()
    sys.exit(code)


if __name__ == "__main__":
    main()
