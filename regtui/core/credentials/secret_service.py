"""Read one item of the freedesktop Secret Service, for ``docker-credential-regtui get``.

The hot path of every pull. ``keyring`` costs ~70 ms to import and ``secretstorage`` ~35 ms
(cryptography, for a DH session); jeepney ~45 ms. This reads through dbus_wire.py (stdlib C
modules only) in two batches of pipelined calls (Secret Service API 0.2, org.freedesktop.Secret.Service):

1. ``ReadAlias("default")``, ``SearchItems(attributes)``, ``OpenSession("plain")``;
2. ``GetSecrets([item], session)`` and, when asked, the item's ``Attributes``.

A "plain" session is what the spec allows over the private Unix socket of the session bus.

It only reads, and only what ``keyring``'s SecretService backend reads: the default
collection, searched with keyring's attributes. It never unlocks: an item in a locked
collection, a missing default collection, or any trouble at all raises ``Unavailable``,
and the caller asks ``keyring`` itself, which unlocks or gives the proper error.
"""

from __future__ import annotations

from regtui.core.credentials.dbus_wire import Connection, DBusError

_BUS = "org.freedesktop.secrets"
_PATH = "/org/freedesktop/secrets"
_SERVICE = "org.freedesktop.Secret.Service"
_ITEM = "org.freedesktop.Secret.Item"
_PROPERTIES = "org.freedesktop.DBus.Properties"


class Unavailable(Exception):
    """This client cannot answer; ask ``keyring``."""


def lookup(attributes: dict[str, str], *, with_attributes: bool = False) -> tuple[dict[str, str], str] | None:
    """The first item of the default collection matching ``attributes``: (its attributes, its secret).

    None when the unlocked default collection holds no such item. The attributes are only
    read (one more call) when ``with_attributes`` is set; otherwise they are ``{}``.
    """
    try:
        with Connection() as bus:
            alias = bus.send(_BUS, _PATH, _SERVICE, "ReadAlias", "s", ("default",))
            search = bus.send(_BUS, _PATH, _SERVICE, "SearchItems", "a{ss}", (attributes,))
            opened = bus.send(_BUS, _PATH, _SERVICE, "OpenSession", "sv", ("plain", ("s", "")))
            (collection,) = bus.reply(alias)
            unlocked, locked = bus.reply(search)
            _, session = bus.reply(opened)
            if collection == "/":
                raise Unavailable("no default collection")
            prefix = collection + "/"
            if any(path.startswith(prefix) for path in locked):
                raise Unavailable("the default collection is locked")
            mine = [path for path in unlocked if path.startswith(prefix)]
            if not mine:
                return None
            secrets = bus.send(_BUS, _PATH, _SERVICE, "GetSecrets", "aoo", ([mine[0]], session))
            if with_attributes:
                props = bus.send(_BUS, mine[0], _PROPERTIES, "Get", "ss", (_ITEM, "Attributes"))
            (found,) = bus.reply(secrets)
            found_attributes = {}
            if with_attributes:
                ((_, found_attributes),) = bus.reply(props)
            (_, _, value, _) = found[mine[0]]
            return dict(found_attributes), bytes(value).decode("utf-8")
    except Unavailable:
        raise
    except DBusError as exc:
        raise Unavailable(str(exc)) from None
    except Exception as exc:  # a reply of an unexpected shape: keyring answers instead
        raise Unavailable(type(exc).__name__) from None


def available() -> bool:
    """True when the session bus has a Secret Service, running or activatable (as keyring checks it)."""
    bus_name, path, interface = "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus"
    try:
        with Connection() as bus:
            owned = bus.send(bus_name, path, interface, "NameHasOwner", "s", (_BUS,))
            activatable = bus.send(bus_name, path, interface, "ListActivatableNames")
            return bool(bus.reply(owned)[0]) or _BUS in bus.reply(activatable)[0]
    except Exception:  # no bus, or an answer of an unexpected shape
        return False
