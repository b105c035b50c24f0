"""The TLS step: a handshake with the CAs docker would use, and a diagnosis when it fails.

CAs: the system store plus ``<certs.d>/<name>/*.crt``; client certificates: each
``<x>.cert`` with its ``<x>.key`` in the same directory (moby/moby registry/registry.go
``loadTLSConfig``). As there, a ``.cert`` without its ``.key`` (or a ``.key`` without its
``.cert``), a pair that does not load and a directory that cannot be read stop the pull;
a ``.crt`` without a certificate is skipped. When verification fails, a second,
unverified handshake reads the certificate so the message can say what is wrong with it.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import functools
import os
import ssl
from pathlib import Path
from typing import Literal, NamedTuple, TypedDict

from regtui.core.paths import docker_certs_d
from regtui.core.registry.causes import Cause
from regtui.core.trust import system_context

PLAIN_HTTP_REASONS = (
    "WRONG_VERSION_NUMBER",
    "HTTP_REQUEST",
    "RECORD_LAYER_FAILURE",
    "PACKET_LENGTH_TOO_LONG",
    "UNKNOWN_PROTOCOL",
    "TLSV1_ALERT_PROTOCOL_VERSION",
)
# Alerts a server sends about the client's certificate (Go before 1.21 says "bad certificate"
# when none was sent; later, and OpenSSL, "certificate required").
CLIENT_CERT_REASONS = ("TLSV13_ALERT_CERTIFICATE_REQUIRED", "SSLV3_ALERT_HANDSHAKE_FAILURE")
REFUSED_CERT_REASONS = (
    "SSLV3_ALERT_BAD_CERTIFICATE",
    "TLSV1_ALERT_UNKNOWN_CA",
    "SSLV3_ALERT_CERTIFICATE_UNKNOWN",
    "TLSV1_ALERT_DECRYPT_ERROR",
    "SSLV3_ALERT_CERTIFICATE_EXPIRED",
    "TLSV1_ALERT_ACCESS_DENIED",
)


# NamedTuples, not frozen dataclasses: a tenth of the import time (these are internal to the TLS step).
class CertInfo(NamedTuple):
    subject: str
    issuer: str
    not_after: dt.datetime | None
    names: tuple[str, ...]

    def days_left(self, now: dt.datetime) -> int | None:
        return None if self.not_after is None else (self.not_after - now).days


class CertsDir(NamedTuple):
    """What docker reads from one registry's certs.d directory."""

    path: Path | None
    ca_files: tuple[str, ...] = ()
    pairs: tuple[tuple[str, str], ...] = ()  # (x.cert, x.key)
    error: str = ""  # what stops docker from using the directory at all
    skipped: tuple[str, ...] = ()  # .crt files without a certificate (docker skips them too)


class TlsOutcome(NamedTuple):
    ok: bool
    cause: Cause | Literal[""] = ""
    detail: str = ""
    cert: CertInfo | None = None
    ca_dir: Path | None = None
    ca_files: tuple[str, ...] = ()
    certs: CertsDir | None = None
    unverified_refusal: str = ""  # unverified and without a client certificate, the server refused with this


class _Where(TypedDict):
    """The CA directory a TLS outcome was reached with (TlsOutcome's last fields)."""

    ca_dir: Path | None
    ca_files: tuple[str, ...]
    certs: CertsDir | None


def certs_dir_for(certs_name: str) -> Path | None:
    return docker_certs_d() / certs_name if certs_name else None


def _stamp(path: Path) -> tuple[str, int]:
    try:
        return str(path), path.stat().st_mtime_ns
    except OSError:
        return str(path), 0


def read_certs_dir(certs_name: str) -> CertsDir:
    directory = certs_dir_for(certs_name)
    if directory is None:
        return CertsDir(None)
    try:
        names = sorted(entry.name for entry in os.scandir(directory))
    except FileNotFoundError:  # Go's os.ReadDir: only "does not exist" is no directory; the rest is an error
        return CertsDir(directory)
    except OSError as exc:
        return CertsDir(directory, error=f"cannot read {directory}: {exc.strerror or exc}")
    present = set(names)
    ca_files = tuple(str(directory / n) for n in names if n.endswith(".crt"))
    pairs, error = [], ""
    for name in names:
        if name.endswith(".cert") and name[:-5] + ".key" not in present:
            error = error or f"missing key {name[:-5]}.key for client certificate {directory / name}"
        elif name.endswith(".key") and name[:-4] + ".cert" not in present:
            error = error or f"missing client certificate {name[:-4]}.cert for key {directory / name}"
        elif name.endswith(".cert"):
            pairs.append((str(directory / name), str(directory / (name[:-5] + ".key"))))
    return CertsDir(directory, ca_files, tuple(pairs), error)


@functools.lru_cache(maxsize=64)
def _context(
    ca_files: tuple[tuple[str, int], ...], pairs: tuple[tuple[str, str, int], ...]
) -> tuple[ssl.SSLContext, tuple[str, ...], str]:
    # One context per set of files, shared; the system store is looked up lazily (core/trust.py).
    context = system_context()
    skipped: list[str] = []
    for ca, _ in ca_files:
        try:
            context.load_verify_locations(cafile=ca)
        except (ssl.SSLError, OSError, ValueError):
            skipped.append(ca)  # Go's AppendCertsFromPEM ignores a file without a certificate
    for cert, key, _ in pairs:
        try:
            context.load_cert_chain(cert, key)
        except (ssl.SSLError, OSError, ValueError) as exc:
            return context, tuple(skipped), f"the client certificate {cert} and key {key} do not load: {exc}"
    return context, tuple(skipped), ""


def build_context(certs_name: str) -> tuple[ssl.SSLContext, CertsDir]:
    """The verifying context for a registry: the system store plus its certs.d files."""
    found = read_certs_dir(certs_name)
    pairs = tuple((c, k, _stamp(Path(c))[1] + _stamp(Path(k))[1]) for c, k in found.pairs)
    context, skipped, error = _context(tuple(_stamp(Path(p)) for p in found.ca_files), pairs)
    loaded = tuple(f for f in found.ca_files if f not in skipped)
    return context, CertsDir(found.path, loaded, found.pairs, found.error or error, skipped)


def ascii_name(name: str) -> str | bytes:
    """An ASCII host name as bytes: ssl encodes a str one with the ``idna`` codec, whose import
    (with stringprep and unicodedata) costs more than a loopback handshake; the name is the same."""
    return name.encode("ascii") if name.isascii() else name


def _cert_info(der: bytes) -> CertInfo | None:
    try:
        from cryptography import x509
    except ImportError:
        return None
    try:
        cert = x509.load_der_x509_certificate(der)
        try:
            san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
            names = tuple(str(n.value) for n in san)
        except x509.ExtensionNotFound:
            names = ()
        return CertInfo(cert.subject.rfc4514_string(), cert.issuer.rfc4514_string(), cert.not_valid_after_utc, names)
    except ValueError:
        return None


async def _handshake(
    host: str, port: int, context: ssl.SSLContext, server_name: str, timeout: float, probe: bool = True
) -> bytes:
    try:
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection(host, port, ssl=context, server_hostname=ascii_name(server_name)), timeout
        )
    except (OSError, ssl.SSLError) as exc:
        # asyncio's handshake frames hold a failed handshake's exception in a cycle (exception ->
        # traceback -> SSLProtocol -> its waiter -> exception): some 100 objects a probe left to
        # the cycle collector, whose full passes stall a TUI running many checks. Only the type
        # and reason are read, so the traceback goes.
        raise exc.with_traceback(None)  # noqa: B904 - the same exception, re-raised
    try:
        ssl_object = writer.get_extra_info("ssl_object")
        try:
            der = ssl_object.getpeercert(binary_form=True) if ssl_object else b""
        except ValueError:  # the server's alert ended the handshake: the read below raises it
            der = b""
        if probe and ssl_object is not None and (not der or ssl_object.version() == "TLSv1.3"):
            # In TLS 1.3 the server judges a client certificate after the handshake, so its
            # refusal comes as an alert in place of the first answer: ask /v2/ and wait briefly.
            host = f"[{server_name}]" if ":" in server_name else server_name
            writer.write(f"GET /v2/ HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n\r\n".encode())
            with contextlib.suppress(TimeoutError, ConnectionResetError):
                await asyncio.wait_for(reader.read(1), min(1.0, timeout / 2))
        return der
    finally:
        # Abort, not close: a clean TLS shutdown waits for the peer's close_notify, and a stuck
        # server never sends it (asyncio would wait 30 s).
        writer.transport.abort()


async def _read_unverified(host: str, port: int, server_name: str, timeout: float) -> tuple[CertInfo | None, str]:
    """The certificate, read without verifying it, and the alert (if any) a connection made the way
    docker connects to an insecure registry (unverified, no client certificate) ends with."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    try:
        cert = _cert_info(await _handshake(host, port, context, server_name, timeout, probe=False))
    except (TimeoutError, OSError, ssl.SSLError):
        return None, ""
    try:
        await _handshake(host, port, context, server_name, timeout)
    except ssl.SSLError as exc:
        return cert, str(exc.reason or "")
    except (TimeoutError, OSError):
        pass
    return cert, ""


def _verify_failure(exc: ssl.SSLCertVerificationError, cert: CertInfo | None, server_name: str) -> tuple[Cause, str]:
    code = exc.verify_code
    if code == 10:  # X509_V_ERR_CERT_HAS_EXPIRED
        when = cert.not_after.date().isoformat() if cert and cert.not_after else "?"
        return Cause.EXPIRED_CERT, f"the certificate expired on {when}"
    if code in (62, 64):  # X509_V_ERR_HOSTNAME_MISMATCH, X509_V_ERR_IP_ADDRESS_MISMATCH
        names = ", ".join(cert.names) if cert and cert.names else (cert.subject if cert else "?")
        return Cause.WRONG_HOST, f"the certificate is for {names}, not {server_name}"
    issuer = cert.issuer if cert else "an unknown issuer"
    return Cause.UNTRUSTED_CERT, f"certificate signed by an untrusted CA ({issuer}): {exc.verify_message}"


async def check_tls(address: str, port: int, server_name: str, certs_name: str, timeout: float) -> TlsOutcome:
    """Handshake with ``address`` (already resolved) presenting ``server_name``."""
    # Loading a CA store takes 10-60 ms of CPU: in a thread, so no event loop (the TUI's) waits.
    context, found = await asyncio.to_thread(build_context, certs_name)
    here = _Where(ca_dir=found.path, ca_files=found.ca_files, certs=found)
    if found.error:
        return TlsOutcome(False, Cause.CERTS_DIR, found.error, **here)
    try:
        der = await _handshake(address, port, context, server_name, timeout)
    except ssl.SSLCertVerificationError as exc:
        cert, alert = await _read_unverified(address, port, server_name, timeout)
        cause, detail = _verify_failure(exc, cert, server_name)
        refused = alert if alert in CLIENT_CERT_REASONS + REFUSED_CERT_REASONS else ""
        return TlsOutcome(False, cause, detail, cert, **here, unverified_refusal=refused)
    except TimeoutError:
        return TlsOutcome(False, Cause.TIMEOUT, f"no answer to the TLS handshake within {timeout:g} s", **here)
    except ssl.SSLError as exc:
        if exc.reason in PLAIN_HTTP_REASONS:
            return TlsOutcome(False, Cause.PLAIN_HTTP, f"no TLS on this port ({exc.reason})", **here)
        if exc.reason in CLIENT_CERT_REASONS + REFUSED_CERT_REASONS and not found.pairs:
            return TlsOutcome(
                False, Cause.CLIENT_CERT_REQUIRED, f"the registry asks for a client certificate ({exc.reason})", **here
            )
        if exc.reason in REFUSED_CERT_REASONS + CLIENT_CERT_REASONS and found.pairs:
            pair = " + ".join(found.pairs[0])
            return TlsOutcome(
                False,
                Cause.CLIENT_CERT_REFUSED,
                f"the registry refused the client certificate {pair} ({exc.reason})",
                **here,
            )
        if isinstance(exc, ssl.SSLEOFError):
            return TlsOutcome(False, Cause.RESET, f"the connection was closed during the TLS handshake ({exc})", **here)
        return TlsOutcome(False, Cause.TLS_ERROR, f"TLS handshake failed: {exc.reason or exc}", **here)
    except ConnectionError as exc:
        return TlsOutcome(False, Cause.RESET, f"the connection was closed during the TLS handshake ({exc})", **here)
    except OSError as exc:
        return TlsOutcome(False, Cause.TLS_ERROR, f"TLS handshake failed: {exc.strerror or exc}", **here)
    return TlsOutcome(True, "", "", _cert_info(der), **here)
