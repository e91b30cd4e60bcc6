"""Diagnosis records from closed state: a failed episode, or an established period that ended.

Kept apart from the engine so the engine stays about time and state, and this module about what a
network engineer reads: the class and its rule, the deciding lines first, the remediation.
"""

from __future__ import annotations

import re

from enrichers.remediation import remediation_for
from schemas.diagnosis import OUTCOME_FAILURE, OUTCOME_SUCCESS, Diagnosis, Endpoint, Failure, document_id
from schemas.failure_classes import phase_of
from streams.classify.classify import classify
from streams.classify.signals import FAILURE_SIGNALS
from streams.correlate.state import EVIDENCE_SLOTS, Episode, SAState

_SPLIT = re.compile(r"[\s,]+")


def _subnets(ts: str | None) -> tuple[str, ...]:
    return tuple(s for s in _SPLIT.split(ts) if s) if ts else ()


def _endpoints(st: SAState) -> tuple[Endpoint, Endpoint]:
    return (Endpoint(st.local_ip, st.local_port, st.local_id, _subnets(st.ts_local)),
            Endpoint(st.remote_ip, st.remote_port, st.remote_id, _subnets(st.ts_remote)))


def choose_evidence(ep: Episode, cites: tuple[str, ...], limit: int = EVIDENCE_SLOTS) -> tuple[str, ...]:
    """The lines of the signals the rule rests on, earliest first, then the others in time order."""
    by_sig = {item[0]: item for item in ep.evidence}
    first = [by_sig[s] for s in cites if s in by_sig]
    rest = sorted((item for item in ep.evidence if item[0] not in cites), key=lambda i: (i[1], i[2]))
    lines = dict.fromkeys(item[3] for item in (*first, *rest))  # one line can carry two signals
    return tuple(lines)[:limit]


def _repeats(ep: Episode, cites: tuple[str, ...]) -> int:
    """Attempts when no initiation was logged: how often the deciding failure recurred."""
    if ep.kind == "dataplane":
        return max((ep.count(s) for s in cites), default=1)
    decisive = [s for s in cites if s in FAILURE_SIGNALS] or list(cites)
    return ep.moments(decisive[0]) if decisive else 1


def failure_diagnosis(key: str, st: SAState, ep: Episode, closed_by: str) -> Diagnosis:
    ep.ike_version = st.ike_version
    verdict = classify(ep)
    cls = verdict.cls
    if cls != "unknown":
        phase = phase_of(cls)
    elif ep.kind in ("dataplane", "control"):
        phase = ep.kind
    else:
        phase = "child_sa" if (ep.ike_was_up or ep.rekey) else "ike"
    attempts = ep.attempts
    if attempts <= 0:  # no initiation logged (Cisco, dataplane, a CHILD_SA on an up IKE SA)
        attempts = _repeats(ep, verdict.cites)
    local, remote = _endpoints(st)
    rule = verdict.rule
    return Diagnosis(
        id=document_id(st.host, key, ep.kind, f"{ep.start:.3f}"),
        host=st.host,
        vendor=st.vendor,
        outcome=OUTCOME_FAILURE,
        start=ep.start or None,  # 0.0: the input never gave a time (a pasted excerpt)
        end=ep.last or None,
        episode_kind=ep.kind,
        closed_by=closed_by,
        phase=phase,
        failure=Failure(cls, rule.confidence, rule.id, rule.why),
        local=local,
        remote=remote,
        connection=st.conn,
        child=ep.child or st.child,
        ike_version=st.ike_version,
        ike_sa_id=st.ike_sa_id,
        role=st.role,
        exchange=ep.exchange or st.exchange,
        attempts=max(1, attempts),
        evidence=choose_evidence(ep, verdict.cites),
        remediation=remediation_for(cls, st.vendor).to_doc(),
        flapping=st.flapping,
    )


def success_diagnosis(key: str, st: SAState, end: float, closed_by: str) -> Diagnosis:
    start = st.up_since if st.up_since is not None else end
    local, remote = _endpoints(st)
    children = tuple((name, entry[0], int(entry[1])) for name, entry in st.children.items())
    return Diagnosis(
        id=document_id(st.host, key, "established", f"{start:.3f}"),
        host=st.host,
        vendor=st.vendor,
        outcome=OUTCOME_SUCCESS,
        start=start or None,
        end=end or None,
        episode_kind="established",
        closed_by=closed_by,
        phase="child_sa" if children else "ike",
        local=local,
        remote=remote,
        connection=st.conn,
        child=st.child,
        ike_version=st.ike_version,
        ike_sa_id=st.ike_sa_id,
        role=st.role,
        attempts=1,
        flapping=st.flapping,
        uptime=max(0.0, end - start),
        rekeys=st.rekeys,
        children=children,
    )
