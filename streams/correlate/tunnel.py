"""Both ends of a tunnel: join two gateways' failure diagnoses of the same address pair.

IKE lets a responder refuse with a generic notify (AUTHENTICATION_FAILED, NO_PROPOSAL_CHOSEN) and
log the real reason only on its own side. When one input holds both gateways' logs, the initiator's
diagnosis says "the peer rejected authentication" and the responder's says "the pre-shared keys
differ"; the tunnel-level diagnosis names both and carries the more specific explanation.

Works on diagnosis documents (dicts), so the Faust agent keyed by `address_pair(doc)` and
`tunnelsight diagnose` run the same join. Pending documents wait in `store` (a dict offline, a table
online), bounded per address pair and dropped once older than the window.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from datetime import datetime
from typing import Any

from schemas.diagnosis import OUTCOME_FAILURE, Diagnosis, Endpoint, Failure, TunnelEnd, document_id
from schemas.docpath import get_path

Doc = dict[str, Any]
MAX_PENDING = 8  # diagnoses waiting per address pair
EVIDENCE_LINES = 8



def _epoch(text: str | None) -> float:
    if not text:
        return 0.0
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def address_pair(doc: Doc) -> str | None:
    """`a|b` (sorted) for a gateway's failure diagnosis naming both addresses; None otherwise."""
    if get_path(doc, "event.outcome") != OUTCOME_FAILURE or get_path(doc, "vpn.tunnel"):
        return None
    local, remote = get_path(doc, "vpn.local.ip"), get_path(doc, "vpn.remote.ip")
    if not local or not remote or local == remote:
        return None
    return "|".join(sorted((local, remote)))


class TunnelJoin:
    """Pairs the failure diagnoses of two gateways that see each other's addresses, overlapping in time."""

    def __init__(self, window: float = 120.0, store: MutableMapping[str, list[Doc]] | None = None) -> None:
        self.window = window  # seconds of slack between the two ends' episodes (clock skew, retries)
        self.pending: MutableMapping[str, list[Doc]] = store if store is not None else {}

    def add(self, doc: Doc) -> list[Doc]:
        """Offer one diagnosis document; returns the tunnel-level documents it completes."""
        pair = address_pair(doc)
        if pair is None:
            return []
        start = _epoch(get_path(doc, "event.start"))
        end = _epoch(get_path(doc, "event.end"))
        waiting = [d for d in self.pending.get(pair, ()) if _epoch(get_path(d, "event.end")) >= start - self.window]
        for i, other in enumerate(waiting):
            if self._other_end(doc, other, start, end):
                del waiting[i]
                self._put(pair, waiting)
                return [joined(other, doc).to_doc()]
        waiting.append(doc)
        self._put(pair, waiting[-MAX_PENDING:])
        return []

    def _put(self, pair: str, waiting: list[Doc]) -> None:
        if waiting:
            self.pending[pair] = waiting
        else:
            self.pending.pop(pair, None)

    def _other_end(self, doc: Doc, other: Doc, start: float, end: float) -> bool:
        if get_path(other, "observer.hostname") == get_path(doc, "observer.hostname"):
            return False
        if get_path(other, "vpn.local.ip") != get_path(doc, "vpn.remote.ip"):
            return False
        if get_path(other, "vpn.remote.ip") != get_path(doc, "vpn.local.ip"):
            return False
        o_start, o_end = _epoch(get_path(other, "event.start")), _epoch(get_path(other, "event.end"))
        return o_start <= end + self.window and start <= o_end + self.window


def _specificity(doc: Doc) -> tuple[float, int]:
    """Confidence first; on a tie the responder, who saw why, explains."""
    return (float(get_path(doc, "vpn.failure.confidence") or 0.0),
            1 if get_path(doc, "vpn.ike.role") == "responder" else 0)


def _end(doc: Doc) -> TunnelEnd:
    return TunnelEnd(host=get_path(doc, "observer.hostname"), vendor=get_path(doc, "observer.vendor") or "unknown",
                     role=get_path(doc, "vpn.ike.role"), ip=get_path(doc, "vpn.local.ip"),
                     failure_class=get_path(doc, "vpn.failure.class"), rule=get_path(doc, "vpn.failure.rule"),
                     diagnosis_id=get_path(doc, "tunnelsight.id"))


def _endpoint(doc: Doc, side: str) -> Endpoint:
    sub = get_path(doc, f"vpn.{side}") or {}
    return Endpoint(sub.get("ip"), sub.get("port"), sub.get("id"), tuple(sub.get("subnets", ())))


def joined(first: Doc, second: Doc) -> Diagnosis:
    """The tunnel-level diagnosis of two ends' diagnoses (order-independent)."""
    a, b = sorted((first, second), key=lambda d: get_path(d, "tunnelsight.id"))
    explains, other = (a, b) if _specificity(a) >= _specificity(b) else (b, a)
    initiator = next((d for d in (a, b) if get_path(d, "vpn.ike.role") == "initiator"), other)
    failure = get_path(explains, "vpn.failure")
    reason = _reason(explains, other)
    evidence = [*(get_path(explains, "vpn.evidence") or []), *(get_path(other, "vpn.evidence") or [])]
    responder = b if initiator is a else a
    return Diagnosis(
        id=document_id("tunnel", get_path(a, "tunnelsight.id"), get_path(b, "tunnelsight.id")),
        host=None,
        vendor=get_path(explains, "observer.vendor") or "unknown",
        outcome=OUTCOME_FAILURE,
        start=min(_epoch(get_path(d, "event.start")) for d in (a, b)),
        end=max(_epoch(get_path(d, "event.end")) for d in (a, b)),
        episode_kind="tunnel",
        closed_by=get_path(explains, "tunnelsight.episode.closed_by") or "failure",
        phase=get_path(explains, "vpn.phase") or "ike",
        failure=Failure(failure["class"], failure["confidence"], failure["rule"], reason),
        local=_endpoint(initiator, "local"),
        remote=_endpoint(initiator, "remote"),
        connection=get_path(initiator, "vpn.connection") or get_path(responder, "vpn.connection"),
        child=get_path(initiator, "vpn.child.name"),
        ike_version=get_path(explains, "vpn.ike.version"),
        role=None,
        exchange=get_path(explains, "vpn.ike.exchange"),
        attempts=max(int(get_path(d, "vpn.attempts") or 1) for d in (a, b)),
        evidence=tuple(evidence[:EVIDENCE_LINES]),
        remediation=get_path(explains, "vpn.remediation"),
        flapping=bool(get_path(a, "vpn.flapping") or get_path(b, "vpn.flapping")),
        ends=(_end(initiator), _end(responder)),
    )


def _reason(explains: Doc, other: Doc) -> str:
    def who(d: Doc) -> str:
        role = get_path(d, "vpn.ike.role")
        host = get_path(d, "observer.hostname") or "?"
        return f"{host} ({role})" if role else host

    why = get_path(explains, "vpn.failure.reason")
    cls_other = get_path(other, "vpn.failure.class")
    cls_explains = get_path(explains, "vpn.failure.class")
    if cls_other == cls_explains:
        return f"both ends agree: {why}"
    return f"{who(other)} saw only {cls_other}; {who(explains)} logged the reason: {why}"

