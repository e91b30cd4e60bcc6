"""The correlation engine: events in, diagnoses out, state in a mapping the caller owns.

`feed(events)` processes one batch; episodes close inside it as soon as their gateway's event time
passes their deadline (so output does not depend on how input is batched); `advance(watermark)`
closes idle episodes when a gateway falls silent (the stream calls it on a timer); `flush()` closes
everything at the end of an offline input. With a `store` (a Faust table online), the state of every
key a call changed is written back once at its end (`dirty_keys()` tells which), and so is the context
of every gateway it saw (`context_key(host)`: its newest and latest times, the per-thread context of
lines that name no SA, its unnamed episode), so an engine built from the store after any call goes on
exactly as this one would.

Time is event time: a line's own timestamp, else the last one seen from its gateway. A gateway's
watermark is its newest time minus the allowed lateness; later lines than that are counted and
dropped (with `keep_late`, `take_late()` hands them back). docs/diagnosis.md describes the state machine and the episode rules.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Callable, Iterable, MutableMapping
from dataclasses import dataclass

import orjson

from schemas.diagnosis import Diagnosis
from schemas.events import Action, Event
from streams.classify.classify import is_failure
from streams.classify.signals import (
    CHILD_SIGNALS,
    DIRECT,
    END_SIGNALS,
    FAILURE_SIGNALS,
    STAGE_CHILD,
    STAGE_INFO,
    STAGE_INIT,
    Sig,
    exchange_info,
    is_host_pair,
    kernel_signal,
    notify_signal,
    proposal_stage,
    uses_psk,
)
from streams.correlate import state as lifecycle
from streams.correlate.documents import failure_diagnosis, success_diagnosis
from streams.correlate.keys import KeyIndex, control_key, dataplane_key
from streams.correlate.state import MAX_UPS, Episode, SAState


@dataclass(frozen=True, slots=True)
class Config:
    """Episode timing (seconds of event time) and thresholds; docs/diagnosis.md explains each."""

    quiet: float = 90.0  # after an explicit failure the episode closes once its SA is quiet this long (retries join)
    negotiation_timeout: float = 120.0  # an attempt with no outcome closes after this long without lines
    lateness: float = 10.0  # how far behind its gateway's newest time a line may arrive
    dataplane_window: float = 60.0  # dataplane errors closer than this form one burst
    max_episode: float = 3600.0  # a peer failing without pause still gets a diagnosis this often
    flap_window: float = 1800.0  # establishments counted for flapping within this window ...
    flap_ups: int = 3  # ... from this many on
    retention: float = 1800.0  # a down SA's state (flapping memory) is dropped after this long idle
    affinity: float = 2.0  # a line naming no SA joins the previous line of its thread this close
    emit_on_establish: bool = False  # also emit a provisional success document when an SA comes up


# Lines that never open or feed an episode (counted in stats).
_IGNORED = frozenset({Action.INFO, Action.UNRECOGNIZED, Action.PARSE_ERROR})
# Lines read only for what they name (addresses, identities): no signal of their own.
_IDENTITY_ONLY = (Action.PACKET_SENT, Action.PEER_CONFIG_LOOKUP, Action.AUTH_SUCCEEDED)
_DATAPLANE = frozenset({Action.REPLAY_CHECK_FAILED, Action.INTEGRITY_CHECK_FAILED, Action.INVALID_IDENTITY})
# A healthy SA sends DPDs all day: they only feed an episode something else opened. (On an SA that is
# up, packets received do not open one either.)
_NEVER_OPENS = frozenset({Sig.DPD_SENT})
_NO_EVIDENCE = frozenset({Sig.ANSWER})
_UP = (lifecycle.ESTABLISHED, lifecycle.REKEYING)

Handler = Callable[[SAState, str, Event, float, list[Diagnosis]], None]
Store = MutableMapping[str, bytes] | MutableMapping[str, SAState]
CONTEXT = "\x00"  # store keys of gateway contexts start so; SA keys start with the gateway's name


def context_key(host: str | None) -> str:
    """The store key of a gateway's engine context (host names hold no NUL: such lines are refused)."""
    return CONTEXT + (host or "")


class Engine:
    """Per-SA state machine and episode windows over a stream of parsed events."""

    def __init__(self, config: Config | None = None, store: Store | None = None, *,
                 serialize: bool | None = None, keep_late: bool = False) -> None:
        self.config = config or Config()
        self.serialize = store is not None if serialize is None else serialize
        self.store: MutableMapping[str, object] = store if store is not None else {}  # type: ignore[assignment]
        self._contexts = store is not None  # save gateway contexts (only to a store someone reads back)
        self._lateness = self.config.lateness
        self._newest: dict[str | None, float] = {}  # gateway -> newest event time
        self._latest: dict[str | None, float] = {}  # gateway -> time of its latest timed line
        self.index = KeyIndex(self.config.affinity, self._newest, self._lateness)
        self.stats: Counter[str] = Counter()
        self._late: list[tuple[Event, float]] | None = [] if keep_late else None  # see take_late()
        self._live: dict[str, SAState] = {}
        self._heaps: dict[str | None, list[tuple[float, str]]] = {}
        self._queued: dict[str, float] = {}  # key -> the deadline its live heap entry has
        self._dirty: set[str] = set()
        self._last_dirty: frozenset[str] = frozenset()
        self._unnamed_hosts: set[str | None] = set()  # gateways whose unnamed key holds an episode
        self._seen_hosts: set[str | None] = set()  # gateways whose context the current call may change
        self._attached: dict[str | None, object] = {}  # gateway -> what the caller keeps with its context
        self._handlers: dict[Action, Handler] = self._handler_table()
        for key, value in list(self.store.items()):
            if key.startswith(CONTEXT):
                self._restore_context(value)
                continue
            if isinstance(value, bytes | bytearray):
                st, names = SAState.decode(bytes(value))
            else:  # a store of objects (serialize=False): aliases as the state names them
                assert isinstance(value, SAState)
                st, names = value, None
            self._live[key] = st
            self.index.restore_names(st.host, key, st.ike_ids, st.remote_ip, st.conn, st.child, names)
            self._schedule(key, st)
        self.index.take_touched()

    # --- public API ------------------------------------------------------------------------------

    def feed(self, events: Iterable[Event]) -> list[Diagnosis]:
        """Process one batch; returns the diagnoses of the episodes it closed."""
        out: list[Diagnosis] = []
        process = self._process
        lines = 0
        if self._contexts:
            seen = self._seen_hosts
            for ev in events:
                process(ev, out)
                seen.add(ev.host)
                lines += 1
        else:
            for ev in events:
                process(ev, out)
                lines += 1
        self.stats["lines"] += lines
        self._persist()
        return out

    def advance(self, watermark: float) -> list[Diagnosis]:
        """Close every episode whose deadline is before `watermark` (a silent gateway's timer)."""
        out: list[Diagnosis] = []
        for host in sorted(self._heaps, key=lambda h: (h is not None, h or "")):  # the same order after a restart
            self._expire(host, watermark, out)
        self._persist()
        return out

    def flush(self) -> list[Diagnosis]:
        """End of input: close all episodes and established periods (closed_by "flush")."""
        out: list[Diagnosis] = []
        for key in sorted(self._live):
            st = self._live[key]
            if st.episode is not None:
                self._close(key, st, "flush", out)
            if st.up_since is not None:
                end = max(self._newest.get(st.host, st.last), st.last)
                out.append(success_diagnosis(key, st, end, "flush"))
                st.up_since = None
            self._dirty.add(key)
        self._persist()
        return out

    def take_late(self) -> list[tuple[Event, float]]:
        """Lines dropped as too late (counted in `too_late`) since the last call, each with its gateway's
        newest time then; kept only with `keep_late` (the stream dead-letters them)."""
        late = self._late or []
        if self._late:
            self._late = []
        return late

    def attach(self, host: str | None, value: object) -> None:
        """Keep `value` (JSON-able) in the gateway's saved context; `attached(host)` gives it back after a
        restart (the stream keeps its parse context's year inference there: no write of its own)."""
        if self._attached.get(host) != value:
            self._attached[host] = value
            self._seen_hosts.add(host)

    def attached(self, host: str | None) -> object:
        return self._attached.get(host)

    def newest(self) -> float | None:
        """The newest event time of any gateway (None before the first line with a time)."""
        return max(self._newest.values(), default=None)

    def dirty_keys(self) -> frozenset[str]:
        """Keys whose state the last feed/advance/flush changed (written to the store once each)."""
        return self._last_dirty

    def state(self, key: str) -> SAState | None:
        return self._live.get(key)

    def sa_keys(self) -> list[str]:
        """Correlation keys with state (open episodes, established periods, flapping memory)."""
        return list(self._live)

    # --- per event -------------------------------------------------------------------------------

    def _process(self, ev: Event, out: list[Diagnosis]) -> None:
        action = ev.action
        host = ev.host
        t = ev.timestamp
        if t is None:  # the gateway's last time; before any, when the stream received it
            t = self._latest.get(host) or ev.received or 0.0
        else:
            self._latest[host] = t
            newest = self._newest.get(host)
            if newest is None or t > newest:
                self._newest[host] = newest = t
                heap = self._heaps.get(host)
                if heap and heap[0][0] < t - self._lateness:
                    self._expire(host, t - self._lateness, out)
            elif t < newest - self._lateness:
                if action not in _IGNORED:
                    self.stats["too_late"] += 1
                    if self._late is not None:
                        self._late.append((ev, newest))
                return
        if action in _IGNORED or ev.vendor == "unknown":
            self.stats[action.value] += 1
            return
        if action in _DATAPLANE:
            key = dataplane_key(host, ev.remote_ip, action.value)
        elif action is Action.VICI_TOO_LARGE:
            key = control_key(host)
        else:
            resolved = self.index.resolve(ev, t, self._only_negotiation) or self._only_negotiation(host)
            if resolved is None:
                # Names no SA and follows no named line (a pasted excerpt): the gateway's own key,
                # until a named line adopts what it collected.
                self.stats["unnamed"] += 1
                resolved = f"{host or ''}|-"
                self._unnamed_hosts.add(host)
            elif host in self._unnamed_hosts:
                self._adopt(host, resolved, t, ev)
            if ev.child is not None:
                self.index.name_child(host, resolved, ev.child)
            key = resolved
        st = self._live.get(key)
        if st is None:
            st = self._load(key, ev, t)
            self._learn(st, key, ev)
            self._handlers[action](st, key, ev, t, out)
            if key not in self._queued:  # a state that only names its SA still expires after `retention`
                self._schedule(key, st)
            self._dirty.add(key)
            return
        if t > st.last:
            st.last = t
        self._learn(st, key, ev)
        self._handlers[action](st, key, ev, t, out)
        self._dirty.add(key)

    def _adopt(self, host: str | None, key: str, t: float, ev: Event) -> None:
        """A named line right after unnamed ones (Cisco's `beginning Main Mode exchange`, then
        `sending packet to <peer>`): the episode the unnamed lines opened belongs to this SA."""
        self._unnamed_hosts.discard(host)
        anon_key = f"{host or ''}|-"
        anon = self._live.get(anon_key)
        if anon is None or anon.episode is None or t - anon.episode.last > self.config.affinity:
            return
        st = self._live.get(key) or self._load(key, ev, t)
        if st.episode is not None:
            return  # (a state loaded here has none)
        st.episode, anon.episode = anon.episode, None
        st.role = st.role or anon.role
        st.ike = st.ike or anon.ike
        self._dirty.add(anon_key)
        self._schedule(key, st)

    def _only_negotiation(self, host: str | None) -> str | None:
        """The one SA of the gateway with an open episode, when there is exactly one (debug output
        such as Cisco's `retransmitting phase 1 MM_NO_STATE...` names no peer)."""
        found: str | None = None
        heap = self._heaps.get(host, ())
        if len(heap) > 64:
            return None  # a busy gateway: guessing would mix peers up
        for _, key in heap:
            st = self._live.get(key)
            # A negotiation someone started (not an episode that noise on an SA opened).
            if st is not None and st.episode is not None and st.episode.kind == "setup" and st.episode.attempts:
                if found is not None and found != key:
                    return None
                found = key
        return found

    def _load(self, key: str, ev: Event, t: float) -> SAState:
        """A new key's state. Every state is queued for its deadline (a restart queues all it loads)."""
        st = SAState(ev.host, ev.vendor)
        st.last = t
        self._live[key] = st
        return st

    def _learn(self, st: SAState, key: str, ev: Event) -> None:
        """Fill the SA's identity from whatever the line names."""
        if ev.conn is not None:
            st.conn = ev.conn
        if ev.child is not None:
            st.child = ev.child
        ike_id = ev.ike_sa_id
        if ike_id is not None and ike_id not in st.ike_ids:
            st.ike_sa_id = ike_id  # a new IKE SA for this peer (retry, rekey, reauth)
            st.ike_ids.append(ike_id)
            if len(st.ike_ids) > MAX_UPS:
                self.index.forget_id(st.host, key, st.ike_ids.pop(0))
        if ev.remote_ip is not None:
            st.remote_ip = ev.remote_ip
            if ev.remote_port is not None:
                st.remote_port = ev.remote_port
        if ev.local_ip is not None:
            st.local_ip = ev.local_ip
            if ev.local_port is not None:
                st.local_port = ev.local_port
        if ev.action is not Action.ID_MISMATCH:  # there the ids are what was expected vs received
            if ev.local_id is not None:
                st.local_id = ev.local_id
            if ev.remote_id is not None:
                st.remote_id = ev.remote_id
        if ev.ts_local is not None and ev.action not in (Action.CHILD_CONFIG_LOOKUP, Action.TS_CHANGED_NAT):
            st.ts_local = ev.ts_local
            st.ts_remote = ev.ts_remote or st.ts_remote
        if ev.ike_version is not None:
            st.ike_version = ev.ike_version
        if ev.role is not None and st.role is None:
            st.role = ev.role
        if ev.exchange is not None:
            info = exchange_info(ev.exchange)
            st.exchange = ev.exchange
            if info is not None:
                st.stage = info[0]
                if st.ike_version is None:
                    st.ike_version = info[1]

    # --- episodes --------------------------------------------------------------------------------

    def _signal(self, st: SAState, key: str, ev: Event, t: float, sig: str) -> None:
        """Record a signal in the SA's open episode, opening one when the signal may."""
        if t < st.success_at:
            return  # a late line of an attempt that has already succeeded
        ep = st.episode
        if ep is None:
            up = st.ike in _UP
            if sig in _NEVER_OPENS or (up and sig == Sig.ANSWER):
                return
            ep = self._open(st, t, ev)
        prev = ep.prev
        if prev is not None and prev[0] == sig and prev[1] == t and prev[2] is not ev.action:
            ep.ordinal += 1  # the same fact restated by the next line (parsed [N(X)], then "received X")
        else:
            ep.record(sig, t, "" if sig in _NO_EVIDENCE else ev.raw)
        ep.prev = (sig, t, ev.action)
        if sig in FAILURE_SIGNALS or sig in END_SIGNALS:
            ep.ended = True
            if sig in FAILURE_SIGNALS and ep.exchange is None:
                ep.exchange = ev.exchange or st.exchange
            if st.ike not in _UP:
                st.ike = lifecycle.FAILED if sig in FAILURE_SIGNALS else st.ike
        if ev.child is not None:
            ep.child = ev.child
        self._schedule(key, st)

    def _open(self, st: SAState, t: float, ev: Event, kind: str | None = None) -> Episode:
        up = st.ike in _UP or st.up_since is not None
        rekey = ike_rekey = False
        if kind is None:
            if ev.action in _DATAPLANE:
                kind = "dataplane"
            elif ev.action is Action.VICI_TOO_LARGE:
                kind = "control"
            elif up and ev.action in (Action.DPD_TIMEOUT, Action.DPD_SENT):
                kind = "liveness"
            elif up and self._renews_child(st, ev):
                kind, rekey = "rekey", True
            elif up and st.stage in (STAGE_INFO, None):
                kind = "liveness"
            else:
                kind = "setup"
        elif kind == "rekey":
            rekey = True
            ike_rekey = ev.detail == "ike"
        ep = Episode(kind, t, rekey=rekey, ike_rekey=ike_rekey, ike_was_up=up)
        st.episode = ep
        self.stats["episodes_" + kind] += 1
        return ep

    @staticmethod
    def _renews_child(st: SAState, ev: Event) -> bool:
        """On an SA that is up: is this line about renewing a CHILD_SA that was established?"""
        if ev.child is not None and st.child_was_up(ev.child):
            return True  # it names an installed CHILD_SA
        info = exchange_info(ev.exchange)
        stage = info[0] if info is not None else ("child" if ev.detail == "child" else st.stage)
        return (stage == STAGE_CHILD or ev.action is Action.REKEY_STARTED) and st.child_was_up(ev.child)

    def _succeed(self, st: SAState, key: str, t: float, out: list[Diagnosis], ike_only: bool = False) -> None:
        """The open attempt (setup or rekey) worked. Noise before it was transient and is dropped; an
        explicit failure before it (a wrong key fixed between two attempts) is still reported, closed
        by the success. An IKE SA coming up does not end an episode whose CHILD_SA is failing."""
        ep = st.episode
        if ep is not None and ep.kind in ("setup", "rekey", "liveness"):
            if ike_only and not CHILD_SIGNALS.isdisjoint(ep.signals):
                ep.ike_was_up = True  # what fails from here on is the CHILD_SA
                return
            st.episode = None
            if not FAILURE_SIGNALS.isdisjoint(ep.signals):
                st.episode = ep
                self._close(key, st, "success", out)
            else:
                self.stats["episodes_succeeded"] += 1
        st.success_at = t

    def _close(self, key: str, st: SAState, closed_by: str, out: list[Diagnosis]) -> None:
        ep = st.episode
        assert ep is not None
        st.episode = None
        if is_failure(ep.signals, ep.rekey):
            out.append(failure_diagnosis(key, st, ep, closed_by))
            self.stats["failures"] += 1
            if ep.rekey:
                name = ep.child or st.child
                if name is not None and name in st.children:
                    st.children[name][0] = lifecycle.REKEY_FAILED
        else:
            self.stats["episodes_without_failure"] += 1

    def _end_period(self, st: SAState, key: str, t: float, out: list[Diagnosis]) -> None:
        """The established period ended (deleted, down, dead peer): its success document."""
        if st.up_since is not None:
            out.append(success_diagnosis(key, st, t, "deleted"))
            st.up_since = None
            st.rekeys = 0
        st.ike = lifecycle.DELETED
        for entry in st.children.values():
            entry[0] = lifecycle.DELETED

    def _establish(self, st: SAState, key: str, t: float, out: list[Diagnosis]) -> None:
        """Start an established period (once per establishment; rekeys only count)."""
        if st.up_since is not None:
            return
        st.up_since = t
        st.rekeys = 0
        cutoff = t - self.config.flap_window
        st.ups = [*[u for u in st.ups if u >= cutoff][-(MAX_UPS - 1):], t]
        st.flapping = len(st.ups) >= self.config.flap_ups
        if self.config.emit_on_establish:
            out.append(success_diagnosis(key, st, t, "success"))

    # --- deadlines -------------------------------------------------------------------------------

    def _due(self, st: SAState) -> float | None:
        ep = st.episode
        cfg = self.config
        if ep is not None:
            if ep.kind == "dataplane":
                wait = cfg.dataplane_window
            elif ep.ended or ep.kind == "control":
                wait = cfg.quiet
            else:
                wait = cfg.negotiation_timeout
            return min(ep.last + wait, ep.start + cfg.max_episode)
        if st.up_since is None:
            return st.last + cfg.retention
        return None

    def _schedule(self, key: str, st: SAState) -> None:
        """Queue the key for its next deadline. Lazy: an entry due earlier than needed is re-checked
        when it fires; a deadline that moved earlier (a failure ends the wait) gets a new entry."""
        due = self._due(st)
        if due is None:
            return
        queued = self._queued.get(key)
        if queued is not None and queued <= due:
            return
        heapq.heappush(self._heaps.setdefault(st.host, []), (due, key))
        self._queued[key] = due

    def _expire(self, host: str | None, watermark: float, out: list[Diagnosis]) -> None:
        heap = self._heaps.get(host)
        closed: list[tuple[float, str, list[Diagnosis]]] = []
        while heap and heap[0][0] < watermark:
            queued, key = heapq.heappop(heap)
            if self._queued.get(key) != queued:
                continue  # superseded by an earlier entry for the same key
            del self._queued[key]
            st = self._live.get(key)
            if st is None:
                continue
            due = self._due(st)
            if due is not None and due >= watermark:
                self._schedule(key, st)  # it moved on since it was queued
                continue
            self._dirty.add(key)
            if st.episode is not None:
                done: list[Diagnosis] = []
                self._close(key, st, "failure" if st.episode.ended else "timeout", done)
                if done:
                    assert due is not None  # an open episode always has a deadline
                    closed.append((due, key, done))
                self._schedule(key, st)
            elif st.up_since is None:
                del self._live[key]  # down and idle past retention: forget it
                self.index.forget(st.host, key, st.ike_ids, st.remote_ip, st.conn)
                self._seen_hosts.add(st.host)  # its thread context went with it
                self.stats["expired"] += 1
        # In deadline order, not in the order of the queue, which holds stale entries a restart does not.
        closed.sort(key=lambda item: (item[0], item[1]))
        for _, _, done in closed:
            out.extend(done)

    def _persist(self) -> None:
        dirty = self._dirty
        self._dirty = set()
        index = self.index
        if index.touched:  # keys that lost an alias to another: saved again, so no two claim it
            dirty.update(key for key in index.take_touched() if key in self._live)
        self._last_dirty = frozenset(dirty)
        store = self.store
        for key in dirty:
            st = self._live.get(key)
            if st is None:
                store.pop(key, None)
            elif self.serialize:
                store[key] = st.to_bytes(index.export_names(st.host, key, st.ike_ids, st.remote_ip, st.conn, st.child))
            else:
                store[key] = st
        if self._seen_hosts:
            if self._contexts:
                for host in self._seen_hosts:
                    self._save_context(host)
            self._seen_hosts.clear()

    def _save_context(self, host: str | None) -> None:
        """What the engine remembers of a gateway beyond its SAs, as one small store entry:
        [host, newest time, latest time, unnamed episode (0/1), thread contexts still usable] and what
        the caller attached, if anything."""
        newest, latest, unnamed = self._newest.get(host), self._latest.get(host), host in self._unnamed_hosts
        threads = self.index.export_context(host)
        attached = self._attached.get(host)
        key = context_key(host)
        if newest is None and latest is None and not unnamed and not threads and attached is None:
            self.store.pop(key, None)
            return
        saved: list[object] = [host, newest, latest, int(unnamed), threads]
        if attached is not None:
            saved.append(attached)
        value: object = orjson.dumps(saved) if self.serialize else saved
        if self.store.get(key) != value:
            self.store[key] = value

    def _restore_context(self, value: object) -> None:
        saved = orjson.loads(value) if isinstance(value, bytes | bytearray) else value
        assert isinstance(saved, list)
        host, newest, latest, unnamed, threads, *attached = saved
        if attached:
            self._attached[host] = attached[0]
        if newest is not None:
            self._newest[host] = newest
        if latest is not None:
            self._latest[host] = latest
        if unnamed:
            self._unnamed_hosts.add(host)
        self.index.restore_context(host, threads)

    # --- handlers, one per action ----------------------------------------------------------------

    def _handler_table(self) -> dict[Action, Handler]:
        table: dict[Action, Handler] = {action: self._on_direct for action in DIRECT}
        table.update({
            Action.IKE_INIT_SENT: self._on_ike_init,
            Action.IKE_INIT_RECEIVED: self._on_ike_init,
            Action.MESSAGE_SENT: self._on_message,
            Action.MESSAGE_RECEIVED: self._on_message,
            Action.PACKET_RECEIVED: self._on_packet_received,
            Action.NOTIFY_RECEIVED: self._on_notify,
            Action.NOTIFY_SENT: self._on_notify,
            Action.PROPOSAL_MISMATCH: self._on_proposal_mismatch,
            Action.AUTH_STARTED: self._on_auth_started,
            Action.AUTH_FAILED: self._on_auth_failed,
            Action.PHASE1_STATE: self._on_phase1_state,
            Action.IKE_SA_ESTABLISHED: self._on_ike_established,
            Action.CHILD_SA_INITIATING: self._on_child_initiating,
            Action.CHILD_SA_ESTABLISHED: self._on_child_established,
            Action.TUNNEL_UP: self._on_child_established,
            Action.REKEY_COMPLETED: self._on_child_established,
            Action.CHILD_CONFIG_LOOKUP: self._on_child_config_lookup,
            Action.REKEY_STARTED: self._on_rekey_started,
            Action.SA_DELETED: self._on_deleted,
            Action.TUNNEL_DOWN: self._on_deleted,
            Action.DPD_TIMEOUT: self._on_dpd_timeout,
            Action.PEER_UNREACHABLE: self._on_dpd_timeout,
            Action.KERNEL_ERROR: self._on_kernel_error,
            Action.SAD_INSTALL_FAILED: self._on_sad_install_failed,
            Action.CHILD_SA_FAILED: self._on_child_failed,
            Action.RETRANSMIT: self._on_retransmit,
        })
        for action in _IDENTITY_ONLY:
            table[action] = self._on_identity_only
        for action in Action:
            table.setdefault(action, self._on_nothing)
        return table

    def _on_nothing(self, st: SAState, key: str, ev: Event, t: float, out: list[Diagnosis]) -> None:
        self.stats["unhandled_" + ev.action.value] += 1

    def _on_identity_only(self, st: SAState, key: str, ev: Event, t: float, out: list[Diagnosis]) -> None:
        """`_process` already learnt what the line names."""

    def _on_direct(self, st: SAState, key: str, ev: Event, t: float, out: list[Diagnosis]) -> None:
        self._signal(st, key, ev, t, DIRECT[ev.action])

    def _on_ike_init(self, st: SAState, key: str, ev: Event, t: float, out: list[Diagnosis]) -> None:
        if t < st.success_at:
            return
        if ev.action is Action.IKE_INIT_SENT:
            st.role = ev.role or "initiator"
        else:
            st.role = ev.role or "responder"
        if st.ike not in _UP:
            st.ike = lifecycle.INITIATING
        ep = st.episode
        if ep is None or ep.kind not in ("setup", "rekey"):
            if ep is not None:
                self._close(key, st, "failure" if ep.ended else "timeout", out)
            ep = self._open(st, t, ev, "setup")
        ep.attempts += 1
        if t > ep.last:
            ep.last = t
        self._schedule(key, st)

    def _on_message(self, st: SAState, key: str, ev: Event, t: float, out: list[Diagnosis]) -> None:
        inbound = ev.action is Action.MESSAGE_RECEIVED if ev.direction is None else ev.direction == "in"
        if ev.notify == "REKEY_SA" and st.child_was_up(ev.child) and st.episode is None and t >= st.success_at:
            self._open(st, t, ev, "rekey")
            self._schedule(key, st)
        elif (st.stage == STAGE_CHILD and st.episode is None and st.ike in _UP
              and st.child_was_up(ev.child) and t >= st.success_at):
            self._open(st, t, ev, "rekey")  # a CREATE_CHILD_SA / quick mode on an SA with a CHILD_SA up
            self._schedule(key, st)
        if st.ike in (lifecycle.INITIATING, lifecycle.RETRANSMITTING) and st.stage == "auth":
            st.ike = lifecycle.AUTHENTICATING
        if inbound:
            self._signal(st, key, ev, t, Sig.ANSWER)
        if ev.notify is not None:
            sig = notify_signal(ev.notify, inbound, st.stage)
            if sig is not None:
                self._signal(st, key, ev, t, sig)

    def _on_packet_received(self, st: SAState, key: str, ev: Event, t: float, out: list[Diagnosis]) -> None:
        self._signal(st, key, ev, t, Sig.ANSWER)

    def _on_notify(self, st: SAState, key: str, ev: Event, t: float, out: list[Diagnosis]) -> None:
        if ev.notify is None:
            return
        inbound = ev.action is Action.NOTIFY_RECEIVED if ev.direction is None else ev.direction == "in"
        stage = st.stage
        info = exchange_info(ev.exchange)
        if info is not None:
            stage = info[0]
        sig = notify_signal(ev.notify, inbound, stage)
        if sig is not None:
            self._signal(st, key, ev, t, sig)

    def _on_proposal_mismatch(self, st: SAState, key: str, ev: Event, t: float, out: list[Diagnosis]) -> None:
        # Without an exchange or proposal text to go by: on an IKE SA that is up, it is phase 2's.
        stage = proposal_stage(ev, STAGE_CHILD if st.ike in _UP else st.stage)
        sig = Sig.IKE_PROPOSAL_MISMATCH if stage == "init" else Sig.CHILD_PROPOSAL_MISMATCH
        self._signal(st, key, ev, t, sig)

    def _on_auth_started(self, st: SAState, key: str, ev: Event, t: float, out: list[Diagnosis]) -> None:
        if st.ike not in _UP:
            st.ike = lifecycle.AUTHENTICATING
        if uses_psk(ev):
            self._signal(st, key, ev, t, Sig.AUTH_WITH_PSK)

    def _on_auth_failed(self, st: SAState, key: str, ev: Event, t: float, out: list[Diagnosis]) -> None:
        self._signal(st, key, ev, t, Sig.PSK_AUTH_FAILED if uses_psk(ev) else Sig.AUTH_FAILED)

    def _on_phase1_state(self, st: SAState, key: str, ev: Event, t: float, out: list[Diagnosis]) -> None:
        text = ev.detail or ev.raw
        if "NO_STATE" in text:
            self._signal(st, key, ev, t, Sig.MM_NO_STATE)

    def _on_retransmit(self, st: SAState, key: str, ev: Event, t: float, out: list[Diagnosis]) -> None:
        if st.ike in (lifecycle.INITIATING, lifecycle.AUTHENTICATING):
            st.ike = lifecycle.RETRANSMITTING
        if ev.detail and "NO_STATE" in ev.detail:
            self._signal(st, key, ev, t, Sig.MM_NO_STATE)
        self._signal(st, key, ev, t, Sig.RETRANSMIT)

    def _on_ike_established(self, st: SAState, key: str, ev: Event, t: float, out: list[Diagnosis]) -> None:
        if t < st.success_at and st.up_since is not None:
            return
        if st.up_since is not None and st.ike in _UP:
            st.rekeys += 1  # a new IKE SA while up: IKE rekey or reauthentication
        st.ike = lifecycle.ESTABLISHED
        if st.stage in (STAGE_INIT, None):
            st.stage = STAGE_CHILD  # phase 1 is done: an unplaced NO_PROPOSAL_CHOSEN now is phase 2's
        self._establish(st, key, t, out)
        self._succeed(st, key, t, out, ike_only=True)

    def _on_child_initiating(self, st: SAState, key: str, ev: Event, t: float, out: list[Diagnosis]) -> None:
        if ev.child is not None and st.child_was_up(ev.child):
            self._on_rekey_started(st, key, ev, t, out)  # a new negotiation for an installed CHILD_SA
            return
        if ev.child is not None:
            st.set_child(ev.child, lifecycle.INITIATING)
        if exchange_info(ev.exchange) is None and st.ike in _UP:
            st.stage = STAGE_CHILD  # quick mode / CREATE_CHILD_SA begins
        if st.ike in _UP and t >= st.success_at:  # an extra CHILD_SA on an established IKE SA
            ep = st.episode
            if ep is None:
                ep = self._open(st, t, ev, "setup")
            ep.attempts += 1
            ep.child = ev.child or ep.child
            self._schedule(key, st)

    def _on_child_established(self, st: SAState, key: str, ev: Event, t: float, out: list[Diagnosis]) -> None:
        name = ev.child or st.child or st.conn or "-"
        rekeyed = ev.action is Action.REKEY_COMPLETED or (
            st.up_since is not None and st.child_was_up(name) and name in st.children)
        st.set_child(name, lifecycle.ESTABLISHED, rekey=rekeyed, instance=ev.child_id)
        if rekeyed:
            st.rekeys += 1
        if st.ike not in _UP:
            st.ike = lifecycle.ESTABLISHED
        self._establish(st, key, t, out)
        self._succeed(st, key, t, out)

    def _on_child_config_lookup(self, st: SAState, key: str, ev: Event, t: float, out: list[Diagnosis]) -> None:
        if is_host_pair(ev.ts_local, ev.ts_remote):
            self._signal(st, key, ev, t, Sig.HOST_SELECTORS)

    def _on_rekey_started(self, st: SAState, key: str, ev: Event, t: float, out: list[Diagnosis]) -> None:
        if ev.child is not None and ev.child in st.children:
            st.children[ev.child][0] = lifecycle.REKEYING
        if st.episode is None and (st.up_since is not None or st.ike in _UP) and t >= st.success_at:
            ep = self._open(st, t, ev, "rekey")
            ep.attempts += 1
            self._schedule(key, st)
        elif st.episode is not None and st.episode.kind == "rekey":
            st.episode.attempts += 1

    def _on_deleted(self, st: SAState, key: str, ev: Event, t: float, out: list[Diagnosis]) -> None:
        if ev.action is Action.SA_DELETED:
            child_only = ev.detail == "child" or (ev.detail is None and ev.child is not None)
            if child_only:
                st.child_closed(ev.child, ev.child_id)
                return
            if ev.ike_sa_id is not None and st.ike_sa_id is not None and ev.ike_sa_id != st.ike_sa_id:
                return  # the old IKE SA going away after a rekey
        if st.episode is not None:
            self._signal(st, key, ev, t, Sig.DELETED)
        self._end_period(st, key, t, out)
        self._schedule(key, st)

    def _on_dpd_timeout(self, st: SAState, key: str, ev: Event, t: float, out: list[Diagnosis]) -> None:
        """Dead peer detection, or retransmits given up: an established SA is gone with it."""
        self._signal(st, key, ev, t, DIRECT[ev.action])
        if st.up_since is not None:
            self._end_period(st, key, t, out)
            self._schedule(key, st)  # down now: retention runs (the signal may have been too old to count)

    def _on_kernel_error(self, st: SAState, key: str, ev: Event, t: float, out: list[Diagnosis]) -> None:
        self._signal(st, key, ev, t, kernel_signal(ev))

    def _on_child_failed(self, st: SAState, key: str, ev: Event, t: float, out: list[Diagnosis]) -> None:
        if ev.notify == "TEMPORARY_FAILURE":
            return  # "creating CHILD_SA failed, trying again in N seconds": a collision, retried
        self._signal(st, key, ev, t, Sig.CHILD_SA_FAILED)

    def _on_sad_install_failed(self, st: SAState, key: str, ev: Event, t: float, out: list[Diagnosis]) -> None:
        """pluto prints the errno in the same line (`included errno 38: Function not implemented`)."""
        self._signal(st, key, ev, t, Sig.SAD_INSTALL_FAILED)
        if kernel_signal(ev) == Sig.KERNEL_ENOSYS:
            self._signal(st, key, ev, t, Sig.KERNEL_ENOSYS)
