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

Doc = dict[str, Any]
MAX_PENDING = 8  # diagnoses waiting per address pair
EVIDENCE_LINES = 8


def _get(doc: Doc, *path: str) -> Any:
    cur: Any = doc
    for part in path:
        if not isinstance(cur, dict):
            return None
        cur = cur.get(part)
    return cur


def _epoch(text: str | None) -> float:
    if not text:
        return 0.0
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def address_pair(doc: Doc) -> str | None:
    """`a|b` (sorted) for a gateway's failure diagnosis naming both addresses; None otherwise."""
    if _get(doc, "event", "outcome") != OUTCOME_FAILURE or _get(doc, "vpn", "tunnel"):
        return None
    local, remote = _get(doc, "vpn", "local", "ip"), _get(doc, "vpn", "remote", "ip")
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
        start = _epoch(_get(doc, "event", "start"))
        end = _epoch(_get(doc, "event", "end"))
        waiting = [d for d in self.pending.get(pair, ()) if _epoch(_get(d, "event", "end")) >= start - self.window]
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
        if _get(other, "observer", "hostname") == _get(doc, "observer", "hostname"):
            return False
        if _get(other, "vpn", "local", "ip") != _get(doc, "vpn", "remote", "ip"):
            return False
        if _get(other, "vpn", "remote", "ip") != _get(doc, "vpn", "local", "ip"):
            return False
        o_start, o_end = _epoch(_get(other, "event", "start")), _epoch(_get(other, "event", "end"))
        return o_start <= end + self.window and start <= o_end + self.window


def _specificity(doc: Doc) -> tuple[float, int]:
    """Confidence first; on a tie the responder, who saw why, explains."""
    return (float(_get(doc, "vpn", "failure", "confidence") or 0.0),
            1 if _get(doc, "vpn", "ike", "role") == "responder" else 0)


def _end(doc: Doc) -> TunnelEnd:
    return TunnelEnd(host=_get(doc, "observer", "hostname"), vendor=_get(doc, "observer", "vendor") or "unknown",
                     role=_get(doc, "vpn", "ike", "role"), ip=_get(doc, "vpn", "local", "ip"),
                     failure_class=_get(doc, "vpn", "failure", "class"), rule=_get(doc, "vpn", "failure", "rule"),
                     diagnosis_id=_get(doc, "tunnelsight", "id"))


def _endpoint(doc: Doc, side: str) -> Endpoint:
    sub = _get(doc, "vpn", side) or {}
    return Endpoint(sub.get("ip"), sub.get("port"), sub.get("id"), tuple(sub.get("subnets", ())))


def joined(first: Doc, second: Doc) -> Diagnosis:
    """The tunnel-level diagnosis of two ends' diagnoses (order-independent)."""
    a, b = sorted((first, second), key=lambda d: _get(d, "tunnelsight", "id"))
    explains, other = (a, b) if _specificity(a) >= _specificity(b) else (b, a)
    initiator = next((d for d in (a, b) if _get(d, "vpn", "ike", "role") == "initiator"), other)
    failure = _get(explains, "vpn", "failure")
    reason = _reason(explains, other)
    evidence = [*(_get(explains, "vpn", "evidence") or []), *(_get(other, "vpn", "evidence") or [])]
    responder = b if initiator is a else a
    return Diagnosis(
        id=document_id("tunnel", _get(a, "tunnelsight", "id"), _get(b, "tunnelsight", "id")),
        host=None,
        vendor=_get(explains, "observer", "vendor") or "unknown",
        outcome=OUTCOME_FAILURE,
        start=min(_epoch(_get(d, "event", "start")) for d in (a, b)),
        end=max(_epoch(_get(d, "event", "end")) for d in (a, b)),
        episode_kind="tunnel",
        closed_by=_get(explains, "tunnelsight", "episode", "closed_by") or "failure",
        phase=_get(explains, "vpn", "phase") or "ike",
        failure=Failure(failure["class"], failure["confidence"], failure["rule"], reason),
        local=_endpoint(initiator, "local"),
        remote=_endpoint(initiator, "remote"),
        connection=_get(initiator, "vpn", "connection") or _get(responder, "vpn", "connection"),
        child=_get(initiator, "vpn", "child", "name"),
        ike_version=_get(explains, "vpn", "ike", "version"),
        role=None,
        exchange=_get(explains, "vpn", "ike", "exchange"),
        attempts=max(int(_get(d, "vpn", "attempts") or 1) for d in (a, b)),
        evidence=tuple(evidence[:EVIDENCE_LINES]),
        remediation=_get(explains, "vpn", "remediation"),
        flapping=bool(_get(a, "vpn", "flapping") or _get(b, "vpn", "flapping")),
        ends=(_end(initiator), _end(responder)),
    )


def _reason(explains: Doc, other: Doc) -> str:
    def who(d: Doc) -> str:
        role = _get(d, "vpn", "ike", "role")
        host = _get(d, "observer", "hostname") or "?"
        return f"{host} ({role})" if role else host

    why = _get(explains, "vpn", "failure", "reason")
    cls_other = _get(other, "vpn", "failure", "class")
    cls_explains = _get(explains, "vpn", "failure", "class")
    if cls_other == cls_explains:
        return f"both ends agree: {why}"
    return f"{who(other)} saw only {cls_other}; {who(explains)} logged the reason: {why}"

