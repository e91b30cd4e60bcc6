"""Index names, document ids and bulk operations: the pure half of the Elasticsearch data model.

The stream's sink and the demo call these to decide where a document goes and under which _id; the
templates that give those indices their mappings are in schemas/templates.py. Nothing here talks to a
server except `enforce_retention`, kept here because it is the other half of the monthly naming.

Names (prefix `tunnelsight` by default; tests use their own prefix so they never collide):
  {prefix}-diagnoses-YYYY.MM   monthly, by the document's @timestamp; read alias {prefix}-diagnoses
  {prefix}-tunnels             one latest-state document per tunnel, upserted (doc_as_upsert)
  {prefix}-incidents           one document per fleet incident, re-indexed as it grows
  {prefix}-events-YYYY.MM      parsed lines (optional); alias {prefix}-events
  {prefix}-deadletters-YYYY.MM what the stream could not handle; alias {prefix}-deadletters
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from schemas.catalogue import load
from schemas.docpath import get_path, prune_deep

log = logging.getLogger(__name__)

DEFAULT_PREFIX = "tunnelsight"
_MONTH_RE = re.compile(r"-(\d{4})\.(\d{2})$")
UNDATED = "undated"  # the monthly index suffix of a document without @timestamp
NO_KEY = "-"  # a tunnel key part the logs do not give (control failures name no peer)


@dataclass(frozen=True, slots=True)
class IndexOp:
    """One bulk operation; the same fields as streams.sink.Action: `Action(**dataclasses.asdict(op))`."""

    index: str
    id: str
    doc: dict[str, Any]
    upsert: bool = False  # True: partial update with doc_as_upsert (no scripts on this server)

    def action(self) -> dict[str, Any]:
        """The operation in elasticsearch.helpers.bulk's format (the demo and the tests use it)."""
        if self.upsert:
            return {"_op_type": "update", "_index": self.index, "_id": self.id, "doc": self.doc,
                    "doc_as_upsert": True}
        return {"_op_type": "index", "_index": self.index, "_id": self.id, "_source": self.doc}


def month_of(timestamp: str | None) -> str:
    """`YYYY.MM` of an RFC 3339 time. The month of the *document's* time, never of the wall clock,
    so a retried or replayed document lands in the same index under the same _id."""
    if not timestamp:
        raise ValueError("a document without @timestamp has no monthly index")
    dt = datetime.fromisoformat(timestamp)
    if dt.tzinfo is not None:
        dt = dt.astimezone(UTC)
    return f"{dt.year:04d}.{dt.month:02d}"


@dataclass(frozen=True, slots=True)
class Indices:
    """Every index name of one deployment."""

    prefix: str = DEFAULT_PREFIX

    def family(self, kind: str) -> str:
        """`tunnelsight-diagnoses`: the alias of a monthly kind, the index of a single one."""
        return f"{self.prefix}-{load().kinds[kind].suffix}"

    def pattern(self, kind: str) -> str:
        """What the kind's index template matches."""
        k = load().kinds[kind]
        return f"{self.family(kind)}-*" if k.index == "monthly" else self.family(kind)

    def index_for(self, kind: str, timestamp: str | None) -> str:
        """The index of a document. A monthly kind's document without a time goes to `...-undated`
        (deterministic, inside the alias, never expired by retention) rather than crash the sink; the
        validator reports the missing @timestamp."""
        k = load().kinds[kind]
        if k.index == "single":
            return self.family(kind)
        if not timestamp:
            log.warning("a %s document without @timestamp goes to %s-undated", kind, self.family(kind))
            return f"{self.family(kind)}-{UNDATED}"
        return f"{self.family(kind)}-{month_of(timestamp)}"

    @property
    def diagnoses(self) -> str:
        return self.family("diagnosis")

    @property
    def tunnels(self) -> str:
        return self.family("tunnel")

    @property
    def incidents(self) -> str:
        return self.family("incident")

    def diagnosis_index(self, doc: dict[str, Any]) -> str:
        return self.index_for("diagnosis", doc.get("@timestamp"))


DEFAULT_INDICES = Indices()


# --- tunnel identity ---------------------------------------------------------------------------------


def tunnel_key(gateway: str | None, peer: str | None, sa: str | None) -> str:
    """`gateway|peer|SA`, readable in Kibana; hashed only past 200 characters (ES ids stop at 512 bytes)."""
    key = "|".join(p if p else NO_KEY for p in (gateway, peer, sa))
    if len(key) > 200:
        return key[:150] + "~" + hashlib.blake2b(key.encode(), digest_size=8).hexdigest()
    return key



def tunnel_parts(doc: dict[str, Any]) -> tuple[str | None, str | None, str | None]:
    """(gateway, peer, SA) of a diagnosis: SA is the configured connection, else the CHILD_SA name.

    The connection comes first because an IKE failure names no CHILD_SA while a later CHILD_SA
    failure of the same tunnel does: both must land on one tunnel.
    """
    gateway = get_path(doc, "observer.hostname")
    peer = get_path(doc, "vpn.remote.ip") or get_path(doc, "vpn.remote.id")
    sa = get_path(doc, "vpn.connection") or get_path(doc, "vpn.child.name")
    return gateway, peer, sa


def tunnel_id(doc: dict[str, Any]) -> str:
    return tunnel_key(*tunnel_parts(doc))


def is_tunnel_level(doc: dict[str, Any]) -> bool:
    """A diagnosis of a whole tunnel seen from both gateways: it repeats the per-gateway ones."""
    return bool(get_path(doc, "vpn.tunnel.ends"))


# --- operations ---------------------------------------------------------------------------------------


def diagnosis_op(doc: dict[str, Any], indices: Indices = DEFAULT_INDICES) -> IndexOp:
    """Index a diagnosis under its deterministic id, in the month of its own @timestamp."""
    return IndexOp(indices.diagnosis_index(doc), str(doc["tunnelsight"]["id"]), doc)


def tunnel_op(state: dict[str, Any], indices: Indices = DEFAULT_INDICES) -> IndexOp:
    """Upsert a tunnel's latest-state document (enrichers.fleet builds it): a partial doc merges, so
    a recovery that only says `status: up` keeps the last failure's class."""
    return IndexOp(indices.tunnels, str(state["tunnelsight"]["tunnel"]["id"]), state, upsert=True)


def incident_op(doc: dict[str, Any], indices: Indices = DEFAULT_INDICES) -> IndexOp:
    """Index a fleet incident; the same id is re-indexed as it grows and when it resolves."""
    return IndexOp(indices.incidents, str(doc["tunnelsight"]["incident"]["id"]), doc)


def recovery_op(diagnosis_id: str, diagnosis_timestamp: str, recovered_at: str, seconds: float,
                indices: Indices = DEFAULT_INDICES) -> IndexOp:
    """Stamp the diagnosis that opened an outage with its time to recovery (the MTTR's data).

    An upsert, so a missing diagnosis does not turn the stamp into a dead letter. An index operation
    replaces a document whole, so the sink must send a diagnosis before the stamps of it (the order
    Observation.ops() gives); a stamp that did arrive first would be lost when the diagnosis lands.
    """
    doc = {"tunnelsight": {"recovery": {"at": recovered_at, "seconds": round(seconds, 3)}}}
    return IndexOp(indices.index_for("diagnosis", diagnosis_timestamp), diagnosis_id, doc, upsert=True)


def event_op(doc: dict[str, Any], indices: Indices = DEFAULT_INDICES) -> IndexOp:
    """Index a parsed line; the id hashes the line and its times, so a replay does not duplicate it.
    A line without a time goes to the month it was received in."""
    ts = doc.get("@timestamp") or get_path(doc, "event.created")
    ident = "\x1f".join(str(x) for x in (ts, get_path(doc, "event.created"), get_path(doc, "observer.hostname"),
                                          get_path(doc, "event.original")))
    return IndexOp(indices.index_for("event", ts), hashlib.blake2b(ident.encode(), digest_size=16).hexdigest(),
                   doc)


def deadletter_doc(stage: str, reason: str, original: str | bytes | None, *, timestamp: str,
                   error_type: str | None = None, hostname: str | None = None, topic: str | None = None,
                   partition: int | None = None, offset: int | None = None, kind: str | None = None,
                   doc_id: str | None = None) -> dict[str, Any]:
    """The dead-letter document: what failed, where, why, and the original record for a replay."""
    if isinstance(original, bytes):
        original = original.decode("utf-8", "backslashreplace")
    dl = {"stage": stage, "topic": topic, "partition": partition, "offset": offset, "kind": kind, "id": doc_id}
    doc: dict[str, Any] = {
        "@timestamp": timestamp,
        "event": {"kind": "pipeline_error", "dataset": "tunnelsight.deadletter", "original": original},
        "error": {"message": reason, "type": error_type},
        "observer": {"hostname": hostname},
        "tunnelsight": {"deadletter": {k: v for k, v in dl.items() if v is not None}},
    }
    return prune_deep(doc)


def deadletter_op(doc: dict[str, Any], indices: Indices = DEFAULT_INDICES) -> IndexOp:
    ident = "\x1f".join(str(get_path(doc, p)) for p in ("@timestamp", "tunnelsight.deadletter.topic",
                                                    "tunnelsight.deadletter.partition",
                                                    "tunnelsight.deadletter.offset", "event.original"))
    return IndexOp(indices.index_for("deadletter", doc["@timestamp"]),
                   hashlib.blake2b(ident.encode(), digest_size=16).hexdigest(), doc)


def route(doc: dict[str, Any], indices: Indices = DEFAULT_INDICES) -> IndexOp:
    """The operation for a whole document, by its `event.dataset` (never by which fields it has: a
    diagnosis inside a fleet incident carries `tunnelsight.incident.id` too). Partial updates (recovery
    stamps) have no dataset: carry those as IndexOps (`dataclasses.asdict(op)`), not as documents."""
    dataset = get_path(doc, "event.dataset")
    if dataset == "tunnelsight.diagnosis":
        return diagnosis_op(doc, indices)
    if dataset == "tunnelsight.incident":
        return incident_op(doc, indices)
    if dataset == "tunnelsight.tunnel":
        return tunnel_op(doc, indices)
    if dataset == "tunnelsight.event":
        return event_op(doc, indices)
    if dataset == "tunnelsight.deadletter":
        return deadletter_op(doc, indices)
    raise ValueError(f"no index for event.dataset {dataset!r}")



# --- retention (no ILM on this server) -----------------------------------------------------------------


def expired(index_names: list[str], keep_months: int, now: datetime) -> list[str]:
    """Monthly indices wholly older than the last `keep_months` months (this month counts as one)."""
    if keep_months < 1:
        raise ValueError("keep at least the current month")
    current = now.year * 12 + now.month - 1
    out = []
    for name in index_names:
        m = _MONTH_RE.search(name)
        if m and current - (int(m[1]) * 12 + int(m[2]) - 1) >= keep_months:
            out.append(name)
    return sorted(out)


def enforce_retention(es: Any, keep_months: int, *, indices: Indices = DEFAULT_INDICES,
                      kinds: tuple[str, ...] = ("diagnosis", "event", "deadletter"),
                      now: datetime | None = None, dry_run: bool = False) -> list[str]:
    """Delete the monthly indices older than `keep_months`; returns their names. Idempotent."""
    now = now or datetime.now(UTC)
    doomed: list[str] = []
    for kind in kinds:
        found = es.indices.get(index=indices.pattern(kind), allow_no_indices=True, expand_wildcards="open,closed")
        doomed.extend(expired(sorted(found), keep_months, now))
    for name in doomed:
        if not dry_run:
            es.indices.delete(index=name, ignore_unavailable=True)
            log.info("retention: deleted %s", name)
    return doomed
