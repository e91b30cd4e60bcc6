"""The diagnosis record: one per closed episode (a failed negotiation, an established period, a
burst of dataplane errors) or per tunnel seen from both ends.

The correlation engine fills it; `to_doc()` gives the NDJSON/Elasticsearch shape of
../shared/diagnosis-example.json (ECS names where ECS has them, `vpn.*` for the rest). Nothing here
decides anything: classification lives in streams/classify, episodes in streams/correlate.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from schemas.docpath import is_ip
from schemas.events import ip_or_address, iso

DATASET = "tunnelsight.diagnosis"

# observer.product per observer.vendor (the dialects' `vendor` values).
PRODUCTS: dict[str, str] = {
    "strongswan": "charon",
    "libreswan": "pluto",
    "cisco": "ios",
    "cisco_asa": "asa",
    "fortinet": "fortios",
    "paloalto": "pan-os",
    "juniper": "junos",
    "meraki": "mx",
    "mikrotik": "routeros",
}

# event.action of a failure document, by the phase of its class.
FAILURE_ACTIONS: dict[str, str] = {
    "ike": "ike_sa_failed",
    "child_sa": "child_sa_failed",
    "kernel": "sa_install_failed",
    "control": "control_failed",
    "dataplane": "dataplane_errors",
}

OUTCOME_FAILURE = "failure"
OUTCOME_SUCCESS = "success"


def document_id(*parts: object) -> str:
    """Deterministic id (also the Elasticsearch _id): the same episode always hashes the same."""
    text = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


@dataclass(slots=True)
class Endpoint:
    """One side of the SA as the logs name it."""

    ip: str | None = None
    port: int | None = None
    id: str | None = None
    subnets: tuple[str, ...] = ()

    def to_doc(self) -> dict[str, Any]:
        doc: dict[str, Any] = ip_or_address(self.ip)
        if self.port is not None:
            doc["port"] = self.port
        if self.id is not None:
            doc["id"] = self.id
        if self.subnets:
            doc["subnets"] = list(self.subnets)
        return doc


@dataclass(slots=True)
class Failure:
    """Why the episode failed: the class and the rule that decided it."""

    cls: str
    confidence: float
    rule: str
    reason: str


@dataclass(slots=True)
class TunnelEnd:
    """One gateway's view in a tunnel-level diagnosis."""

    host: str | None
    vendor: str
    role: str | None
    ip: str | None
    failure_class: str
    rule: str
    diagnosis_id: str

    def to_doc(self) -> dict[str, Any]:
        return _prune({"hostname": self.host, "vendor": self.vendor, "role": self.role, "ip": self.ip,
                       "class": self.failure_class, "rule": self.rule, "diagnosis": self.diagnosis_id})


@dataclass(slots=True)
class Diagnosis:
    """What tunnelsight says about one episode of one SA (or one tunnel, when `ends` is set)."""

    id: str
    host: str | None
    vendor: str
    outcome: str  # failure | success
    start: float | None
    end: float | None
    episode_kind: str  # setup | rekey | liveness | established | dataplane | control | tunnel
    closed_by: str  # success | failure | timeout | deleted | flush
    phase: str  # ike | child_sa | kernel | control | dataplane
    failure: Failure | None = None
    local: Endpoint = field(default_factory=Endpoint)
    remote: Endpoint = field(default_factory=Endpoint)
    connection: str | None = None
    child: str | None = None
    ike_version: int | None = None
    ike_sa_id: str | None = None
    role: str | None = None
    exchange: str | None = None
    attempts: int = 1
    evidence: tuple[str, ...] = ()
    remediation: dict[str, Any] | None = None
    flapping: bool = False
    uptime: float | None = None  # success: seconds the SA stayed established
    rekeys: int | None = None  # success: CHILD_SA/IKE_SA rekeys during the established period
    children: tuple[tuple[str, str, int], ...] = ()  # success: (CHILD_SA name, status, rekeys)
    ends: tuple[TunnelEnd, ...] = ()  # tunnel-level: both gateways

    @property
    def failure_class(self) -> str | None:
        return self.failure.cls if self.failure else None

    def to_doc(self) -> dict[str, Any]:
        """The document `tunnelsight diagnose` prints and the stream indexes."""
        return diagnosis_doc(self)



def _prune(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None and v != {} and v != []}


def _event_section(d: Diagnosis) -> dict[str, Any]:
    if d.outcome == OUTCOME_SUCCESS:
        action = "sa_established"
        types = ["connection", "info"]
    elif d.ends:
        action = "tunnel_failed"
        types = ["connection", "error"]
    else:
        action = FAILURE_ACTIONS.get(d.phase, "sa_failed")
        types = ["connection", "error"]
    return {
        "kind": "event",
        "category": ["network"],
        "type": types,
        "action": action,
        "outcome": d.outcome,
        "start": iso(d.start),
        "end": iso(d.end),
        "dataset": DATASET,
    }


def _vpn_section(d: Diagnosis) -> dict[str, Any]:
    ike = _prune({"version": d.ike_version, "sa_id": _int_or_str(d.ike_sa_id), "role": d.role,
                  "exchange": d.exchange})
    vpn: dict[str, Any] = {
        "local": d.local.to_doc(),
        "remote": d.remote.to_doc(),
        "connection": d.connection,
        "ike": ike,
        "child": {"name": d.child} if d.child else None,
        "phase": d.phase,
        "attempts": d.attempts,
    }
    if d.failure is not None:
        vpn["failure"] = {"class": d.failure.cls, "confidence": d.failure.confidence,
                          "rule": d.failure.rule, "reason": d.failure.reason}
        vpn["evidence"] = list(d.evidence)
        vpn["remediation"] = d.remediation
    else:
        vpn["uptime"] = None if d.uptime is None else round(d.uptime, 3)
        vpn["rekeys"] = d.rekeys
        vpn["children"] = [{"name": n, "status": s, "rekeys": r} for n, s, r in d.children]
    if d.ends:
        vpn["tunnel"] = {"ends": [e.to_doc() for e in d.ends]}
    vpn["flapping"] = d.flapping
    return _prune(vpn)


def diagnosis_doc(d: Diagnosis) -> dict[str, Any]:
    related = sorted({ip for ip in (d.local.ip, d.remote.ip, *(e.ip for e in d.ends)) if ip and is_ip(ip)})
    hostname = d.host if not d.ends else None
    doc: dict[str, Any] = {
        "@timestamp": iso(d.end if d.end is not None else d.start),
        "event": _prune(_event_section(d)),
        "observer": _prune({"hostname": hostname, "vendor": d.vendor, "product": PRODUCTS.get(d.vendor)}),
        "vpn": _vpn_section(d),
        "related": {"ip": related} if related else None,
        "tunnelsight": {"id": d.id, "episode": _prune({"kind": d.episode_kind, "opened": iso(d.start),
                                                       "closed_by": d.closed_by})},
    }
    return _prune(doc)


def _int_or_str(value: str | None) -> int | str | None:
    """strongSwan and pluto number their SAs: print 3, not "3", as the example document does."""
    if value is not None and value.isdigit():
        return int(value)
    return value
