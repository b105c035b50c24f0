"""Why a check step failed or warned: the stable cause codes of ``regtui check --json``.

Each is a ``str`` (a ``StrEnum``), so ``--json`` and comparisons with the plain strings keep
working; the README's "Checks" section lists what they mean and how to fix each.
"""

from __future__ import annotations

from enum import StrEnum


class Cause(StrEnum):
    # reaching the registry
    DNS = "dns"
    DNS_TIMEOUT = "dns-timeout"
    REFUSED = "refused"
    UNREACHABLE = "unreachable"
    TIMEOUT = "timeout"
    PROXY = "proxy"
    OVERSIZE = "oversize"
    NOT_REGISTRY = "not-registry"
    SERVER_ERROR = "server-error"
    UNEXPECTED = "unexpected"
    # TLS
    UNTRUSTED_CERT = "untrusted-cert"
    EXPIRED_CERT = "expired-cert"
    EXPIRING_CERT = "expiring-cert"
    WRONG_HOST = "wrong-host"
    CLIENT_CERT_REQUIRED = "client-cert-required"
    CLIENT_CERT_REFUSED = "client-cert-refused"
    CLIENT_CERT_INSECURE = "client-cert-insecure"
    CERTS_DIR = "certs-dir"
    PLAIN_HTTP = "plain-http"
    RESET = "reset"
    TLS_ERROR = "tls-error"
    # the auth challenge and the token server (distribution token spec)
    NO_CHALLENGE = "no-challenge"
    BAD_CHALLENGE = "bad-challenge"
    UNSUPPORTED_AUTH = "unsupported-auth"
    BAD_REALM = "bad-realm"
    TOKEN_ENDPOINT = "token-endpoint"
    TOKEN_REDIRECT = "token-redirect"
    TOKEN_UNREACHABLE = "token-unreachable"
    TOKEN_REJECTED = "token-rejected"
    CLOCK_SKEW = "clock-skew"
    # credentials
    AUTH = "auth"
    BAD_CREDENTIALS = "bad-credentials"
    CREDENTIAL_STORE = "credential-store"
    CLEARTEXT_CREDENTIALS = "cleartext-credentials"
    FOREIGN_REALM = "foreign-realm"
    ANONYMOUS = "anonymous"
    NOT_LOGGED_IN = "not-logged-in"
    # the repository (``--repo``)
    ANONYMOUS_DENIED = "anonymous-denied"
    DENIED = "denied"
    NOT_FOUND = "not-found"
