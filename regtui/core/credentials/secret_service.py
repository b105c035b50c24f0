"""Read one item from the freedesktop Secret Service over D-Bus, with jeepney alone.

This is the hot path of ``docker-credential-regtui get``: ``keyring`` costs ~70 ms to import
and ``secretstorage`` ~35 ms (it loads cryptography for a DH-encrypted session). Reading
through jeepney with a "plain" session costs ~25 ms in all; the secret then crosses the
private Unix socket of the session bus, as the Secret Service spec allows.

It only reads, and only what ``keyring``'s SecretService backend wrote: the default
collection, searched by keyring's attributes. Any trouble returns None, and the caller
asks ``keyring`` itself, which gives the proper error.
"""

from __future__ import annotations

_BUS_NAME = "org.freedesktop.secrets"
_TIMEOUT = 5.0


def lookup(attributes: dict[str, str]) -> str | None:
    """The secret of the first unlocked item in the default collection matching ``attributes``."""
    try:
        from jeepney import DBusAddress, Properties, new_method_call
        from jeepney.io.blocking import open_dbus_connection
        from jeepney.wrappers import unwrap_msg

        connection = open_dbus_connection(bus="SESSION")
    except Exception:
        return None
    try:

        def call(address, method, signature=None, body=()):  # noqa: ANN001, ANN202
            reply = connection.send_and_get_reply(new_method_call(address, method, signature, body), timeout=_TIMEOUT)
            return unwrap_msg(reply)

        service = DBusAddress(
            "/org/freedesktop/secrets", bus_name=_BUS_NAME, interface="org.freedesktop.Secret.Service"
        )
        (path,) = call(service, "ReadAlias", "s", ("default",))
        if path == "/":
            return None
        collection = DBusAddress(path, bus_name=_BUS_NAME, interface="org.freedesktop.Secret.Collection")
        locked = unwrap_msg(connection.send_and_get_reply(Properties(collection).get("Locked"), timeout=_TIMEOUT))
        if locked[0][1]:
            return None
        (items,) = call(collection, "SearchItems", "a{ss}", (attributes,))
        if not items:
            return None
        _, session = call(service, "OpenSession", "sv", ("plain", ("s", "")))
        item = DBusAddress(items[0], bus_name=_BUS_NAME, interface="org.freedesktop.Secret.Item")
        ((_, _, value, _),) = call(item, "GetSecret", "o", (session,))
        call(DBusAddress(session, bus_name=_BUS_NAME, interface="org.freedesktop.Secret.Session"), "Close")
        return bytes(value).decode("utf-8")
    except Exception:
        return None
    finally:
        connection.close()
