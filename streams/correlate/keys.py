"""Which SA a line belongs to: the correlation key.

A key is gateway + peer. Lines name the SA in different ways, often partially: strongSwan's
`<conn|3>` gives connection and unique id but no address, `received packet: from 198.51.100.7[500]`
gives the address but (for a responder) no name yet, Cisco names only the peer. The index learns
aliases (IKE SA id, peer address, connection name) from lines that give several at once and maps
every later line to the key first created for that SA. Lines that name nothing borrow the key of the
line just before them on the same gateway thread (daemons log one SA's job per thread), else of the
gateway's previous named line, when it is close enough in time.

Keys are internal strings `host|p:addr`, `host|c:conn` or `host|i:id`; the dataplane and control
keys (`host|dataplane:addr`, `host|control`) hold lines that name no SA (docs/failure-classes.md).
"""

from __future__ import annotations

from collections.abc import Callable

from schemas.events import Event

Alias = tuple[str | None, str, str]  # (host, kind i|p|c, value)


def dataplane_key(host: str | None, peer: str | None) -> str:
    return f"{host or ''}|dataplane:{peer or '*'}"


def control_key(host: str | None) -> str:
    return f"{host or ''}|control"


class KeyIndex:
    """Aliases per gateway plus the per-thread context for lines that name no SA (memory only:
    rebuilt from the state table with `bind` after a restart)."""

    __slots__ = ("affinity", "aliases", "context")

    def __init__(self, affinity: float = 2.0) -> None:
        self.affinity = affinity  # seconds a nameless line may trail the last named one
        self.aliases: dict[Alias, str] = {}
        self.context: dict[tuple[str | None, str | None], tuple[str, float]] = {}

    def resolve(self, ev: Event, t: float, sole_open: Callable[[str | None], str | None] | None = None) -> str | None:
        """The key for an SA-scoped line; None when it names nothing and follows nothing.

        `sole_open(host)` names the gateway's only SA with an open episode, if there is exactly one:
        a line that names nothing but an SA id never seen before (an IKEv1 cookie first printed in the
        failure line) belongs to it rather than to a new key of its own.
        """
        host, ike_id, ip, conn = ev.host, ev.ike_sa_id, ev.remote_ip, ev.conn
        if ike_id is None and ip is None and conn is None:
            ctx = self.context.get((host, ev.thread)) or self.context.get((host, None))
            if ctx is not None and abs(t - ctx[1]) <= self.affinity:
                return ctx[0]
            return None
        aliases = self.aliases
        key = aliases.get((host, "i", ike_id)) if ike_id is not None else None
        if ip is not None:
            by_ip = aliases.get((host, "p", ip))
            if by_ip is not None:
                key = by_ip  # unique ids restart with the daemon; a peer's address does not
        elif key is None and conn is not None:
            # Only without an address: a road-warrior connection serves many peers.
            key = aliases.get((host, "c", conn))
        if key is None and ip is None:
            # A responder's new SA: its first numbered line follows, on the same thread, the
            # `received packet: from <peer>` line that named the address.
            ctx = self.context.get((host, ev.thread))
            if ctx is not None and abs(t - ctx[1]) <= self.affinity and "|p:" in ctx[0]:
                key = ctx[0]
        if key is None and ip is None and conn is None and sole_open is not None:
            key = sole_open(host)
        if key is None:
            if ip is not None:
                key = f"{host or ''}|p:{ip}"
            elif conn is not None:
                key = f"{host or ''}|c:{conn}"
            else:
                key = f"{host or ''}|i:{ike_id}"
        self.bind(host, key, ike_id, ip, conn)
        self.context[(host, ev.thread)] = (key, t)
        if ev.thread is not None:  # Cisco's "thread" is a message counter: keep a per-gateway context too
            self.context[(host, None)] = (key, t)
        return key

    def bind(self, host: str | None, key: str, ike_id: str | None, ip: str | None, conn: str | None) -> None:
        if ike_id is not None:
            self.aliases[(host, "i", ike_id)] = key
        if ip is not None:
            self.aliases.setdefault((host, "p", ip), key)
        if conn is not None:
            self.aliases[(host, "c", conn)] = key

    def forget(self, host: str | None, key: str, ike_ids: list[str], ip: str | None, conn: str | None) -> None:
        """Drop the aliases of a key whose state expired (only those still pointing at it)."""
        names: list[Alias] = [(host, "i", i) for i in ike_ids]
        if ip is not None:
            names.append((host, "p", ip))
        if conn is not None:
            names.append((host, "c", conn))
        for alias in names:
            if self.aliases.get(alias) == key:
                del self.aliases[alias]
        for ctx_key in [k for k, v in self.context.items() if v[0] == key]:
            del self.context[ctx_key]
