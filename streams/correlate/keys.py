"""Which SA a line belongs to: the correlation key.

A key is gateway + peer. Lines name the SA in different ways, often partially: strongSwan's
`<conn|3>` gives connection and unique id but no address, `received packet: from 198.51.100.7[500]`
gives the address but (for a responder) no name yet, Cisco names only the peer. The index learns
aliases (IKE SA id, peer address, connection name) from lines that give several at once and maps
every later line to the key first created for that SA. Lines that name nothing borrow the key of the
line just before them on the same gateway thread (daemons log one SA's job per thread), else of the
gateway's previous named line, when it is close enough in time.

Keys are internal strings `host|p:addr`, `host|c:conn` or `host|i:id`; the dataplane and control
keys (`host|dataplane:kind:addr`, `host|control`) hold lines that name no SA (docs/failure-classes.md).
"""

from __future__ import annotations

from collections.abc import Callable

from schemas.events import Event

Alias = tuple[str | None, str, str]  # (host, kind i|p|c, value)
MAX_CONTEXT = 4096  # (gateway, thread) contexts remembered; only the last couple of seconds matter


def dataplane_key(host: str | None, peer: str | None, kind: str) -> str:
    """One key per gateway, peer and kind of dataplane error: a replay burst and a MAC burst are
    two problems, each counted against its own threshold."""
    return f"{host or ''}|dataplane:{kind}:{peer or '*'}"


def control_key(host: str | None) -> str:
    return f"{host or ''}|control"


class KeyIndex:
    """Aliases per gateway plus the per-thread context for lines that name no SA (memory only:
    rebuilt from the state table with `bind` after a restart)."""

    __slots__ = ("affinity", "aliases", "context", "id_conn", "key_ip", "memo")

    def __init__(self, affinity: float = 2.0) -> None:
        self.affinity = affinity  # seconds a nameless line may trail the last named one
        self.aliases: dict[Alias, str] = {}
        self.id_conn: dict[tuple[str | None, str], str] = {}  # (host, IKE SA id) -> its connection
        self.key_ip: dict[str, str] = {}  # key -> the peer address it was first bound to
        # (host, IKE SA id, address, connection) -> key, until an alias changes
        self.memo: dict[tuple[str | None, str | None, str | None, str | None], str] = {}
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
        names = (host, ike_id, ip, conn)
        key = self.memo.get(names)  # most lines name their SA exactly as the line before did
        if key is None:
            key = self._lookup(ev, t, sole_open)
            self.memo[names] = key
        context = self.context
        if len(context) > MAX_CONTEXT:  # Cisco's "thread" is a message counter: a cache, not a registry
            context.clear()
        context[(host, ev.thread)] = (key, t)
        if ev.thread is not None:  # and so keep a per-gateway context too
            context[(host, None)] = (key, t)
        return key

    def _lookup(self, ev: Event, t: float, sole_open: Callable[[str | None], str | None] | None) -> str:
        host, ike_id, ip, conn = ev.host, ev.ike_sa_id, ev.remote_ip, ev.conn
        aliases = self.aliases
        key = None
        if ike_id is not None:
            key = aliases.get((host, "i", ike_id))
            if key is not None and conn is not None and self.id_conn.get((host, ike_id), conn) != conn:
                key = None  # the id belonged to another connection (a daemon restart reuses ids)
        if ip is not None:
            by_ip = aliases.get((host, "p", ip))
            if by_ip is not None:
                key = by_ip  # unique ids restart with the daemon; a peer's address does not
            elif key is not None and self.key_ip.get(key, ip) != ip:
                key = None  # the id is another peer's (Cisco numbers SAs per session, from 1)
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
        return key

    def bind(self, host: str | None, key: str, ike_id: str | None, ip: str | None, conn: str | None) -> None:
        """Record what a line named; any change forgets the memo of earlier resolutions."""
        aliases = self.aliases
        changed = False
        if ike_id is not None:
            alias = (host, "i", ike_id)
            if aliases.get(alias) != key:
                aliases[alias] = key
                changed = True
            if conn is not None and self.id_conn.get((host, ike_id)) != conn:
                self.id_conn[(host, ike_id)] = conn
                changed = True
        if ip is not None:
            if (host, "p", ip) not in aliases:
                aliases[(host, "p", ip)] = key
                changed = True
            self.key_ip.setdefault(key, ip)
        if conn is not None:
            alias = (host, "c", conn)
            if aliases.get(alias) != key:
                aliases[alias] = key
                changed = True
        if changed:
            self.memo.clear()

    def name_child(self, host: str | None, key: str, child: str) -> None:
        """`ipsec up` / swanctl print "establishing connection '<child>' failed": a CHILD_SA name also
        names its SA for lines that give nothing else (looked up like a connection name)."""
        if (host, "c", child) not in self.aliases:
            self.aliases[(host, "c", child)] = key
            self.memo.clear()

    def forget_id(self, host: str | None, key: str, ike_id: str) -> None:
        """An old IKE SA id of a key (it keeps its last few): drop its alias."""
        self.id_conn.pop((host, ike_id), None)
        if self.aliases.get((host, "i", ike_id)) == key:
            del self.aliases[(host, "i", ike_id)]
        self.memo.clear()

    def forget(self, host: str | None, key: str, ike_ids: list[str], ip: str | None, conn: str | None) -> None:
        """Drop the aliases of a key whose state expired (only those still pointing at it)."""
        for i in ike_ids:
            self.id_conn.pop((host, i), None)
        names: list[Alias] = [(host, "i", i) for i in ike_ids]
        if ip is not None:
            names.append((host, "p", ip))
        if conn is not None:
            names.append((host, "c", conn))
        for alias in names:
            if self.aliases.get(alias) == key:
                del self.aliases[alias]
        self.key_ip.pop(key, None)
        self.memo.clear()
        for ctx_key in [k for k, v in self.context.items() if v[0] == key]:
            del self.context[ctx_key]
