"""Fleet context: one incident for a peer failing from many gateways (or a gateway failing with many
peers) instead of N unrelated alerts; new / regression / recurring marks; recoveries for the MTTR.

`FleetContext.observe(diagnosis)` takes the (inventory-enriched) diagnosis documents in event-time
order and returns an `Observation`: the diagnosis annotated with `tunnelsight.tunnel.id`,
`tunnelsight.recurrence` and `tunnelsight.incident.id`, the tunnel's latest-state partial document,
the incident documents that opened, grew or resolved, and the recovery that closes an outage.
`Observation.ops()` turns all of it into bulk operations (schemas/indices.py) in a safe order.

Windows run on event time only: replaying last week's logs gives last week's incidents. State lives in
a `MutableMapping[str, bytes]` keyed `peer:<address>` and `gw:<gateway>` (plus one `open` key listing
scopes with an open incident): a dict in `tunnelsight diagnose` and tests, a Faust table in the stream.
Pure otherwise: no clock, no I/O.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson

from enrichers.fleet_state import Incident, Member, Scope, TunnelHealth
from schemas.docpath import get_path, is_ip, prune_deep
from schemas.events import iso
from schemas.indices import (
    DEFAULT_INDICES,
    NO_KEY,
    IndexOp,
    Indices,
    diagnosis_op,
    incident_op,
    is_tunnel_level,
    recovery_op,
    tunnel_key,
    tunnel_op,
    tunnel_parts,
)

OPEN_KEY = "open"
Doc = dict[str, Any]


@dataclass(frozen=True, slots=True)
class FleetConfig:
    window_s: float = 900.0  # sliding window over event time
    min_gateways: int = 3  # one peer failing from this many gateways: a peer-side incident
    min_peers: int = 3  # one gateway failing with this many peers: a local incident
    healthy_after_s: float = 3600.0  # a tunnel quiet or up this long whose failure comes back regressed
    max_members_tunnels: int = 256  # bound on tunnels remembered per member and per incident


@dataclass(frozen=True, slots=True)
class Recovery:
    """A tunnel came back: stamp the diagnosis that opened the outage with the time it took."""

    tunnel: str
    diagnosis_id: str
    diagnosis_timestamp: str
    recovered_at: str
    seconds: float


@dataclass(slots=True)
class Observation:
    diagnosis: Doc
    tunnel: Doc | None = None
    incidents: list[Doc] = field(default_factory=list)
    recovery: Recovery | None = None

    def ops(self, indices: Indices = DEFAULT_INDICES) -> list[IndexOp]:
        """Diagnosis first: the recovery and tunnel updates merge into documents that must exist."""
        ops = [diagnosis_op(self.diagnosis, indices)]
        if self.recovery:
            r = self.recovery
            ops.append(recovery_op(r.diagnosis_id, r.diagnosis_timestamp, r.recovered_at, r.seconds, indices))
        if self.tunnel:
            ops.append(tunnel_op(self.tunnel, indices))
        ops.extend(incident_op(d, indices) for d in self.incidents)
        return ops


def _epoch(ts: str) -> float:
    dt = datetime.fromisoformat(ts)
    return (dt if dt.tzinfo else dt.replace(tzinfo=UTC)).timestamp()


def _add(items: list[str], item: str, limit: int) -> bool:
    if item in items or len(items) >= limit:
        return False
    items.append(item)
    return True


class FleetContext:
    """Stateful and pure: feed diagnoses in event-time order, read observations."""

    def __init__(self, config: FleetConfig | None = None, store: MutableMapping[str, bytes] | None = None,
                 enrich: Callable[[Doc], Doc] | None = None) -> None:
        self.config = config or FleetConfig()
        self.store: MutableMapping[str, bytes] = {} if store is None else store
        self.enrich = enrich  # e.g. Inventory.enrich, for the incident documents
        self.watermark = 0.0
        self._last_sweep = 0.0

    # --- state plumbing ---

    def _scope(self, side: str, key: str) -> Scope:
        raw = self.store.get(self._key(side, key))
        return Scope.from_bytes(raw) if raw else Scope(side=side, key=key)

    @staticmethod
    def _key(side: str, key: str) -> str:
        return f"{'peer' if side == 'peer' else 'gw'}:{key}"

    def _save(self, scope: Scope) -> None:
        k = self._key(scope.side, scope.key)
        if scope.members or scope.incident or scope.tunnels:
            self.store[k] = scope.to_bytes()
        elif k in self.store:
            del self.store[k]
        open_keys = self._open_keys()
        if (k in open_keys) != (scope.incident is not None):
            open_keys = open_keys - {k} if scope.incident is None else open_keys | {k}
            self.store[OPEN_KEY] = orjson.dumps(sorted(open_keys))

    def _open_keys(self) -> set[str]:
        raw = self.store.get(OPEN_KEY)
        return set(orjson.loads(raw)) if raw else set()

    # --- the API ---

    def observe(self, diagnosis: Doc) -> Observation:
        """Account for one diagnosis document (a copy is annotated; the argument is left alone)."""
        doc = orjson.loads(orjson.dumps(diagnosis))
        if is_tunnel_level(doc) or not doc.get("@timestamp"):
            return Observation(doc)  # it repeats the per-gateway diagnoses, which carry the state
        t = _epoch(doc["@timestamp"])
        self.watermark = max(self.watermark, t)
        gateway, peer, sa = tunnel_parts(doc)
        tid = tunnel_key(gateway, peer, sa)
        ts = doc.setdefault("tunnelsight", {})
        ts.setdefault("tunnel", {})["id"] = tid
        gw_scope = self._scope("local", gateway or NO_KEY)
        peer_scope = self._scope("peer", peer) if peer and gateway else None
        obs = Observation(doc)
        if get_path(doc, "event.outcome") == "failure":
            self._failure(doc, t, tid, gateway, peer, gw_scope, peer_scope, obs)
        elif get_path(doc, "event.outcome") == "success":
            start = get_path(doc, "event.start")
            up_at = _epoch(start) if start and get_path(doc, "tunnelsight.episode.kind") == "established" else t
            self._success(doc, up_at, tid, gw_scope, peer_scope, obs)
        self._save(gw_scope)
        if peer_scope is not None:
            self._save(peer_scope)
        if self.watermark - self._last_sweep >= self.config.window_s / 4:
            obs.incidents.extend(self.tick(self.watermark))
        return obs

    def tick(self, now: float) -> list[Doc]:
        """Resolve the incidents whose scope has been quiet for a window (call it on idle, too)."""
        self._last_sweep = now
        resolved = []
        for k in sorted(self._open_keys()):
            side, _, key = k.partition(":")
            scope = self._scope("peer" if side == "peer" else "local", key)
            scope.expire(now, self.config.window_s)
            if scope.incident and not scope.members:
                resolved.append(self._incident_doc(scope, scope.incident, "resolved", scope.incident.last))
                scope.incident = None
            self._save(scope)
        return resolved

    # --- failures and recoveries ---

    def _failure(self, doc: Doc, t: float, tid: str, gateway: str | None, peer: str | None, gw_scope: Scope,
                 peer_scope: Scope | None, obs: Observation) -> None:
        cfg = self.config
        health = gw_scope.tunnels.get(tid)
        diag_id = str(get_path(doc, "tunnelsight.id"))
        if health is not None and health.last_diag == diag_id:  # redelivered: annotate, count nothing
            doc["tunnelsight"]["recurrence"] = health.last_recurrence
            obs.tunnel = self._tunnel_doc(doc, tid, health, failed=True)
            return
        if health is None or health.failures == 0:  # never failed before: new, however long it was up
            recurrence = "new"
            if health is None:
                health = gw_scope.tunnels[tid] = TunnelHealth(status="down", since=t)
            health.status, health.since = "down", t
        else:
            healthy_from = health.last_recovery if health.status == "up" else health.last_failure
            quiet = t - (healthy_from if healthy_from is not None else t)
            recurrence = "regression" if quiet >= cfg.healthy_after_s else "recurring"
            if health.status == "up" or recurrence == "regression":
                health.status, health.since, health.outage_start = "down", t, None
        if health.outage_start is None:
            health.outage_start, health.outage_diag, health.outage_ts = t, diag_id, doc["@timestamp"]
        health.last_failure, health.failures = t, health.failures + 1
        health.last_diag, health.last_recurrence = diag_id, recurrence
        doc["tunnelsight"]["recurrence"] = recurrence
        cls = str(get_path(doc, "vpn.failure.class") or "unknown")
        incident_ids = []
        if peer:  # a failure that names no peer says nothing about the fleet
            scopes = [(gw_scope, peer, cfg.min_peers)]
            if peer_scope is not None and gateway:
                scopes.insert(0, (peer_scope, gateway, cfg.min_gateways))
            for scope, member, threshold in scopes:
                inc = self._count(scope, member, tid, cls, t, gateway or NO_KEY, peer, threshold, obs)
                if inc:
                    incident_ids.append(inc)
        if incident_ids:
            doc["tunnelsight"]["incident"] = {"id": incident_ids[0]}
        obs.tunnel = self._tunnel_doc(doc, tid, health, failed=True)

    def _count(self, scope: Scope, member: str, tid: str, cls: str, t: float, gateway: str, peer: str,
               threshold: int, obs: Observation) -> str | None:
        """Add the failure to the scope's window; open or grow its incident. Returns the incident id."""
        cfg = self.config
        scope.expire(t, cfg.window_s)
        m = scope.members.setdefault(member, Member(last=t))
        m.last = max(m.last, t)
        m.classes[cls] = m.classes.get(cls, 0) + 1
        _add(m.tunnels, tid, cfg.max_members_tunnels)
        inc = scope.incident
        if inc is None and len(scope.members) >= threshold:
            inc = scope.incident = Incident(id=f"{scope.side}:{scope.key}:{iso(t)}", opened=t, last=t)
            for name, mem in scope.members.items():  # the members that crossed the threshold with this one
                for c, n in mem.classes.items():
                    inc.classes[c] = inc.classes.get(c, 0) + n
                    inc.failures += n
                for x in mem.tunnels:
                    _add(inc.tunnels, x, cfg.max_members_tunnels)
                _add(inc.gateways if scope.side == "peer" else inc.peers, name, cfg.max_members_tunnels)
            _add(inc.peers if scope.side == "peer" else inc.gateways, scope.key, 1)
            obs.incidents.append(self._incident_doc(scope, inc, "open", None))
            return inc.id
        if inc is None:
            return None
        before = (inc.dominant(), len(inc.tunnels), len(inc.gateways), len(inc.peers))
        inc.last, inc.failures = max(inc.last, t), inc.failures + 1
        inc.classes[cls] = inc.classes.get(cls, 0) + 1
        _add(inc.tunnels, tid, cfg.max_members_tunnels)
        _add(inc.gateways, gateway, cfg.max_members_tunnels)
        _add(inc.peers, peer, cfg.max_members_tunnels)
        if (inc.dominant(), len(inc.tunnels), len(inc.gateways), len(inc.peers)) != before:
            obs.incidents.append(self._incident_doc(scope, inc, "open", None))
        return inc.id

    def _success(self, doc: Doc, t: float, tid: str, gw_scope: Scope, peer_scope: Scope | None,
                 obs: Observation) -> None:
        health = gw_scope.tunnels.get(tid)
        if health is None:
            health = gw_scope.tunnels[tid] = TunnelHealth(status="up", since=t, last_recovery=t)
        elif health.status == "down":
            # An established period that began before the outage (a rekey failed while the SA stayed up)
            # says the tunnel is up, not when it recovered: no time to recovery from it.
            if health.outage_start is not None and health.outage_diag and health.outage_ts \
                    and t >= health.outage_start:
                obs.recovery = Recovery(tid, health.outage_diag, health.outage_ts, iso(t) or "",
                                        max(0.0, t - health.outage_start))
            health.status, health.since, health.last_recovery = "up", t, t
            health.outage_start = health.outage_diag = health.outage_ts = None
        else:
            health.last_recovery = max(health.last_recovery or t, t)
        for scope in (gw_scope, peer_scope):
            if scope is None:
                continue
            for name in list(scope.members):
                member = scope.members[name]
                if tid in member.tunnels:
                    member.tunnels.remove(tid)
                    if not member.tunnels:
                        del scope.members[name]
            if scope.incident and not scope.members:
                obs.incidents.append(self._incident_doc(scope, scope.incident, "resolved", t))
                scope.incident = None
        obs.tunnel = self._tunnel_doc(doc, tid, health, failed=False)

    # --- documents ---

    def _tunnel_doc(self, doc: Doc, tid: str, h: TunnelHealth, failed: bool) -> Doc:
        """The latest-state partial document: only what this diagnosis knows, the rest merges."""
        vpn = doc.get("vpn") or {}
        state: Doc = {
            "@timestamp": doc["@timestamp"],
            "event": {"kind": "state", "dataset": "tunnelsight.tunnel"},
            "observer": {k: v for k, v in (doc.get("observer") or {}).items() if k in ("hostname", "vendor")},
            "vpn": {
                "local": {k: v for k, v in (vpn.get("local") or {}).items() if k == "ip"},
                "remote": {k: v for k, v in (vpn.get("remote") or {}).items() if k in ("ip", "id")},
                "connection": vpn.get("connection"),
                "child": vpn.get("child"),
                "flapping": vpn.get("flapping"),
            },
            "tunnelsight": {"tunnel": {
                "id": tid, "status": h.status, "since": iso(h.since), "last_failure": iso(h.last_failure),
                "last_recovery": iso(h.last_recovery), "failures": h.failures,
                "last_diagnosis": get_path(doc, "tunnelsight.id"),
            }},
        }
        if failed:
            state["vpn"]["phase"] = vpn.get("phase")
            state["vpn"]["failure"] = {k: v for k, v in (vpn.get("failure") or {}).items()
                                       if k in ("class", "rule")}
            state["tunnelsight"]["recurrence"] = get_path(doc, "tunnelsight.recurrence")
        for key in ("gateway", "peer"):
            if get_path(doc, f"tunnelsight.{key}"):
                state["tunnelsight"][key] = doc["tunnelsight"][key]
        return prune_deep(state)

    def _incident_doc(self, scope: Scope, inc: Incident, status: str, end: float | None) -> Doc:
        side = scope.side
        n_gw, n_peer = len(inc.gateways), len(inc.peers)
        where = (f"peer {scope.key} fails from {n_gw} gateways" if side == "peer"
                 else f"gateway {scope.key} fails with {n_peer} peers")
        doc: Doc = {
            "@timestamp": iso(inc.last),
            "message": f"{where}: mostly {inc.dominant()} on {len(inc.tunnels)} tunnels ({status})",
            "event": {"kind": "alert", "category": ["network"], "type": ["connection", "error"],
                      "action": "fleet_incident", "outcome": "failure", "dataset": "tunnelsight.incident",
                      "start": iso(inc.opened), "end": iso(end) if status == "resolved" else None},
            "vpn": {"failure": {"class": inc.dominant()}},
            "tunnelsight": {"incident": {
                "id": inc.id, "side": side, "key": scope.key, "status": status,
                "tunnels": sorted(inc.tunnels), "gateways": sorted(inc.gateways), "peers": sorted(inc.peers),
                "classes": sorted(inc.classes), "tunnel_count": len(inc.tunnels), "gateway_count": n_gw,
                "peer_count": n_peer, "failures": inc.failures,
            }},
        }
        if side == "local":
            doc["observer"] = {"hostname": scope.key}
        elif is_ip(scope.key):
            doc["vpn"]["remote"] = {"ip": scope.key}
        doc = prune_deep(doc)
        return self.enrich(doc) if self.enrich else doc


