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
from typing import Any

from schemas.events import Event

Alias = tuple[str | None, str, str]  # (host, kind i|p|c, value)
_UNSAID: list[Any] = [[], [], 0, {}]  # `export_names` slots that say "as the state names it"
MAX_CONTEXT = 4096  # thread contexts remembered per gateway; only the last seconds matter


def dataplane_key(host: str | None, peer: str | None, kind: str) -> str:
    """One key per gateway, peer and kind of dataplane error: a replay burst and a MAC burst are
    two problems, each counted against its own threshold."""
    return f"{host or ''}|dataplane:{kind}:{peer or '*'}"


def control_key(host: str | None) -> str:
    return f"{host or ''}|control"


class KeyIndex:
    """Aliases per gateway plus the per-thread context for lines that name no SA. Both survive a
    restart through the engine's store: a key's aliases with its state (`export_names` /
    `restore_names`), a gateway's context in its own entry (`export_context` / `restore_context`)."""

    __slots__ = ("affinity", "aliases", "context", "horizon", "id_conn", "key_ip", "memo", "newest", "owned",
                 "touched")

    def __init__(self, affinity: float = 2.0, newest: dict[str | None, float] | None = None,
                 lateness: float = 0.0) -> None:
        self.affinity = affinity  # seconds a nameless line may trail the last named one
        self.aliases: dict[Alias, str] = {}
        self.id_conn: dict[tuple[str | None, str], str] = {}  # (host, IKE SA id) -> its connection
        self.key_ip: dict[str, str] = {}  # key -> the peer address it was first bound to
        self.owned: dict[str, list[Alias]] = {}  # key -> the aliases pointing at it
        self.touched: set[str] = set()  # keys that lost an alias (or an id's connection) to another
        # (host, IKE SA id, address, connection) -> key, until an alias changes
        self.memo: dict[tuple[str | None, str | None, str | None, str | None], str] = {}
        # host -> thread (None: the gateway as a whole) -> (key, time) of the last named line
        self.context: dict[str | None, dict[str | None, tuple[str, float]]] = {}
        # A context older than its gateway's newest time minus lateness and affinity can serve no line
        # that is not too late itself: it never does (so that forgetting it changes nothing).
        self.newest: dict[str | None, float] = newest if newest is not None else {}
        self.horizon = lateness + affinity

    def resolve(self, ev: Event, t: float, sole_open: Callable[[str | None], str | None] | None = None) -> str | None:
        """The key for an SA-scoped line; None when it names nothing and follows nothing.

        `sole_open(host)` names the gateway's only SA with an open episode, if there is exactly one:
        a line that names nothing but an SA id never seen before (an IKEv1 cookie first printed in the
        failure line) belongs to it rather than to a new key of its own.
        """
        host, ike_id, ip, conn = ev.host, ev.ike_sa_id, ev.remote_ip, ev.conn
        if ike_id is None and ip is None and conn is None:
            threads = self.context.get(host)
            if threads is None:
                return None
            ctx = threads.get(ev.thread) or threads.get(None)
            if ctx is not None and abs(t - ctx[1]) <= self.affinity and self._current(host, ctx[1]):
                return ctx[0]
            return None
        names = (host, ike_id, ip, conn)
        key = self.memo.get(names)  # most lines name their SA exactly as the line before did
        if key is None:
            key = self._lookup(ev, t, sole_open)
            self.memo[names] = key
        threads = self.context.get(host)
        if threads is None:
            threads = self.context[host] = {}
        elif len(threads) > MAX_CONTEXT:  # Cisco's "thread" is a message counter: a cache, not a registry
            self._prune(host, threads)
        threads[ev.thread] = (key, t)
        if ev.thread is not None:  # and so keep a per-gateway context too
            threads[None] = (key, t)
        return key

    def _current(self, host: str | None, when: float) -> bool:
        newest = self.newest.get(host)
        return newest is None or when >= newest - self.horizon

    def _prune(self, host: str | None, threads: dict[str | None, tuple[str, float]]) -> None:
        """Drop what can no longer serve; if a busy gateway still has too many, forget them all."""
        newest = self.newest.get(host)
        if newest is not None:
            floor = newest - self.horizon
            for thread in [th for th, ctx in threads.items() if ctx[1] < floor]:
                del threads[thread]
        if len(threads) > MAX_CONTEXT:
            threads.clear()

    def export_context(self, host: str | None) -> list[list[Any]]:
        """The gateway's context that can still serve a line, compact: one `[key, time, thread, ...]`
        per distinct (key, time), the key without its `host|` prefix (a one-item list if it has none)."""
        threads = self.context.get(host)
        if not threads:
            return []
        newest = self.newest.get(host)
        floor = float("-inf") if newest is None else newest - self.horizon
        prefix = f"{host or ''}|"
        cut = len(prefix)
        groups: dict[tuple[str, float], list[Any]] = {}
        for thread, (key, when) in threads.items():
            if when < floor:
                continue
            group = groups.get((key, when))
            if group is None:
                group = groups[(key, when)] = [key[cut:] if key.startswith(prefix) else [key], when]
            group.append(thread)
        return list(groups.values())

    def restore_context(self, host: str | None, saved: list[list[Any]]) -> None:
        prefix = f"{host or ''}|"
        threads = self.context.setdefault(host, {})
        for group in saved:
            key = group[0][0] if isinstance(group[0], list) else prefix + group[0]
            entry = (key, group[1])
            for thread in group[2:]:
                threads[thread] = entry

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
            threads = self.context.get(host)
            ctx = threads.get(ev.thread) if threads is not None else None
            if ctx is not None and abs(t - ctx[1]) <= self.affinity and "|p:" in ctx[0] and self._current(host, ctx[1]):
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
                self._point(alias, key)
                changed = True
            if conn is not None and self.id_conn.get((host, ike_id)) != conn:
                self.id_conn[(host, ike_id)] = conn
                changed = True
        if ip is not None:
            if (host, "p", ip) not in aliases:
                self._point((host, "p", ip), key)
                changed = True
            self.key_ip.setdefault(key, ip)
        if conn is not None:
            alias = (host, "c", conn)
            if aliases.get(alias) != key:
                self._point(alias, key)
                changed = True
        if changed:
            self.memo.clear()

    def _point(self, alias: Alias, key: str) -> None:
        """Point an alias at a key; the key it pointed at before loses it (and is `touched`)."""
        old = self.aliases.get(alias)
        if old is not None:
            self.owned[old].remove(alias)
            self.touched.add(old)
        self.aliases[alias] = key
        owned = self.owned.get(key)
        if owned is None:
            self.owned[key] = [alias]
        else:
            owned.append(alias)

    def _unpoint(self, alias: Alias) -> None:
        key = self.aliases.pop(alias)
        self.owned[key].remove(alias)

    def name_child(self, host: str | None, key: str, child: str) -> None:
        """`ipsec up` / swanctl print "establishing connection '<child>' failed": a CHILD_SA name also
        names its SA for lines that give nothing else (looked up like a connection name)."""
        if (host, "c", child) not in self.aliases:
            self._point((host, "c", child), key)
            self.memo.clear()

    def forget_id(self, host: str | None, key: str, ike_id: str) -> None:
        """An old IKE SA id of a key (it keeps its last few): drop its alias."""
        alias = (host, "i", ike_id)
        owner = self.aliases.get(alias)
        if owner == key:
            self._unpoint(alias)
        elif owner is not None and (host, ike_id) in self.id_conn:
            self.touched.add(owner)  # another key's id loses its connection below
        self.id_conn.pop((host, ike_id), None)
        self.memo.clear()

    def forget(self, host: str | None, key: str, ike_ids: list[str], ip: str | None, conn: str | None) -> None:
        """Drop every alias of a key whose state expired, and its thread contexts."""
        id_conn = self.id_conn
        for i in ike_ids:
            if (host, i) in id_conn:
                del id_conn[(host, i)]
                owner = self.aliases.get((host, "i", i))
                if owner is not None and owner != key:
                    self.touched.add(owner)
        for alias in self.owned.pop(key, ()):
            del self.aliases[alias]
        self.key_ip.pop(key, None)
        self.memo.clear()
        threads = self.context.get(host)
        if threads:
            for thread in [th for th, ctx in threads.items() if ctx[0] == key]:
                del threads[thread]

    # --- the aliases of one key, saved with its state --------------------------------------------
    # What a key's state names (its IKE SA ids, peer address, connection, last CHILD_SA name) are its
    # aliases by default; only the differences are saved: defaults another key holds, names it holds
    # beyond them (earlier CHILD_SA names or addresses), and its first address or its ids' connection
    # where they are not the state's own. Every change of who holds an alias `touches` the keys involved, so each is saved again
    # and a restored index is the same as the one that was saved, whatever order keys are loaded in.

    def export_names(self, host: str | None, key: str, ike_ids: list[str], ip: str | None,
                     conn: str | None, child: str | None) -> list[Any] | None:
        """[defaults not held, aliases held beyond them, first address (0: `ip`), id -> connection
        where not `conn`], trailing defaults left out; None when everything is as the state says."""
        aliases = self.aliases
        id_conn = self.id_conn
        missing: list[str] = []
        conns: dict[str, str | None] = {}
        held = 0
        for i in ike_ids:
            if aliases.get((host, "i", i)) == key:
                held += 1
                bound = id_conn.get((host, i))
                if bound != conn:
                    conns[i] = bound
            else:
                missing.append("i" + i)
        if ip is not None:
            if aliases.get((host, "p", ip)) == key:
                held += 1
            else:
                missing.append("p" + ip)
        if conn is not None:
            if aliases.get((host, "c", conn)) == key:
                held += 1
            else:
                missing.append("c" + conn)
        if child is not None and child != conn:
            if aliases.get((host, "c", child)) == key:
                held += 1
            else:
                missing.append("c" + child)
        owned = self.owned.get(key, ())
        extra: list[str] = []
        if len(owned) != held:  # names beyond the defaults (earlier CHILD_SA names or addresses)
            defaults = set(self._defaults(host, ike_ids, ip, conn, child))
            for alias in owned:
                if alias not in defaults:
                    extra.append(alias[1] + alias[2])
                    if alias[1] == "i" and id_conn.get((host, alias[2])) != conn:
                        conns[alias[2]] = id_conn.get((host, alias[2]))
        first_ip = self.key_ip.get(key)
        if not missing and not extra and first_ip == ip and not conns:
            return None
        names: list[Any] = [missing, extra, 0 if first_ip == ip else first_ip, conns]
        while names[-1] == _UNSAID[len(names) - 1]:
            names.pop()
        return names

    @staticmethod
    def _defaults(host: str | None, ike_ids: list[str], ip: str | None, conn: str | None,
                  child: str | None) -> list[Alias]:
        defaults: list[Alias] = [(host, "i", i) for i in ike_ids]
        if ip is not None:
            defaults.append((host, "p", ip))
        if conn is not None:
            defaults.append((host, "c", conn))
        if child is not None and child != conn:
            defaults.append((host, "c", child))
        return defaults

    def restore_names(self, host: str | None, key: str, ike_ids: list[str], ip: str | None,
                      conn: str | None, child: str | None, names: list[Any] | None) -> None:
        """The inverse of `export_names` for one key of a restored table."""
        given = list(names or ())
        missing, extra, key_ip, id_conn = given + _UNSAID[len(given):]
        held = [a for a in self._defaults(host, ike_ids, ip, conn, child) if a[1] + a[2] not in missing]
        held += [(host, name[0], name[1:]) for name in extra]
        for alias in held:
            if self.aliases.get(alias) != key:
                self._point(alias, key)
        first_ip = ip if key_ip == 0 else key_ip
        if first_ip is not None:
            self.key_ip[key] = first_ip
        for alias in held:
            if alias[1] == "i":
                bound = id_conn.get(alias[2], conn)
                if bound is not None:
                    self.id_conn[(host, alias[2])] = bound
        self.memo.clear()
        self.touched.discard(key)

    def take_touched(self) -> set[str]:
        touched, self.touched = self.touched, set()
        return touched
