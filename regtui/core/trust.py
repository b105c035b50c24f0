"""The system's CA store, as docker trusts it, loaded in well under a millisecond.

docker (Go's crypto/x509) verifies registries against the system roots. Python's
``ssl.create_default_context()`` reads the whole bundle file (Debian: about 140 certificates,
20 ms) into every context. OpenSSL can instead look CAs up one by one in a hashed directory
(``c_rehash`` / ``update-ca-certificates`` keep ``/etc/ssl/certs/<hash>.0``), which costs
nothing until a handshake needs one. That directory is used when it is there; otherwise, and
whenever ``SSL_CERT_FILE`` names a bundle other than the system's, the bundle is loaded as before.
"""

from __future__ import annotations

import os
import re
import ssl

_HASHED = re.compile(r"[0-9a-f]{8}\.\d+")


def _hashed_dir(path: str) -> bool:
    try:
        with os.scandir(path) as entries:
            return any(_HASHED.fullmatch(entry.name) for entry in entries)
    except OSError:
        return False


def system_context() -> ssl.SSLContext:
    """A client context that verifies certificates and host names against the system's CAs."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # CERT_REQUIRED and check_hostname
    paths = ssl.get_default_verify_paths()
    bundle = os.environ.get(paths.openssl_cafile_env)
    if bundle and paths.cafile and os.path.realpath(bundle) == os.path.realpath(paths.cafile):
        bundle = None  # the system bundle named again (many images set it): the directory holds the same CAs
    directory = os.environ.get(paths.openssl_capath_env) or paths.capath
    if not bundle and directory and _hashed_dir(directory):
        context.load_verify_locations(capath=directory)
    else:
        context.load_default_certs(ssl.Purpose.SERVER_AUTH)
    return context


def client_context(verify: ssl.SSLContext | bool | None) -> ssl.SSLContext:
    """The context a client dials TLS with: the one given (a registry's certs.d CA and client
    certificate), or for ``False`` one that encrypts without authenticating (as httpx's
    ``verify=False``: ``--insecure``), else the system's CAs."""
    if isinstance(verify, ssl.SSLContext):
        return verify
    if verify is False:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return context
    return system_context()
