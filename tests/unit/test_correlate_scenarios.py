"""Scenario tables for the episode logic: events in (with event times), diagnoses out.

Events are built directly (no parser), so these pin the engine and the rules whatever the dialects
emit. Each row: a name, the events, and the (outcome, class or None, rule or None) expected, in order.
"""

from __future__ import annotations

from typing import Any

import pytest

from schemas.diagnosis import Diagnosis
from schemas.events import Action, Event
from streams.correlate.engine import Config, Engine

A = Action
T0 = 1_780_000_000.0  # 2026-05-28, any fixed instant will do


def ev(t: float | None, action: Action, *, host: str = "gw1", vendor: str = "strongswan", **fields: Any) -> Event:
    """An event at T0 + t seconds on gateway `host`; raw text names the action for evidence checks."""
    fields.setdefault("thread", "09")
    raw = fields.pop("raw", None) or f"{action.value} {fields.get('notify') or ''}".strip()
    return Event(raw=raw, action=action, vendor=vendor, host=host,
                 timestamp=None if t is None else T0 + t, **fields)


def sa(n: int, conn: str = "net", peer: str = "198.51.100.7") -> dict[str, Any]:
    """Fields of a line that names IKE SA `n` of connection `conn` to `peer`."""
    return {"conn": conn, "ike_sa_id": str(n), "remote_ip": peer, "local_ip": "192.0.2.10"}


def run(events: list[Event], config: Config | None = None, batch: int | None = None) -> list[Diagnosis]:
    engine = Engine(config)
    out: list[Diagnosis] = []
    if batch is None:
        out += engine.feed(events)
    else:
        for i in range(0, len(events), batch):
            out += engine.feed(events[i:i + batch])
    return out + engine.flush()


def summary(docs: list[Diagnosis]) -> list[tuple[str, str | None, str | None]]:
    return [(d.outcome, d.failure_class, d.failure.rule if d.failure else None) for d in docs]


def setup_ok(t: float, n: int = 1, child: str = "net", **k: Any) -> list[Event]:
    s = {**sa(n), **k}
    return [
        ev(t, A.IKE_INIT_SENT, **s),
        ev(t, A.MESSAGE_SENT, exchange="IKE_SA_INIT", **s),
        ev(t + 0.1, A.MESSAGE_RECEIVED, exchange="IKE_SA_INIT", **s),
        ev(t + 0.1, A.AUTH_STARTED, detail="psk", **s),
        ev(t + 0.1, A.MESSAGE_SENT, exchange="IKE_AUTH", **s),
        ev(t + 0.2, A.MESSAGE_RECEIVED, exchange="IKE_AUTH", **s),
        ev(t + 0.2, A.IKE_SA_ESTABLISHED, **s),
        ev(t + 0.2, A.CHILD_SA_ESTABLISHED, child=child, ts_local="10.1.0.0/16", ts_remote="10.2.0.0/24", **s),
    ]


def ike_init(t: float, n: int = 1, **k: Any) -> list[Event]:
    s = {**sa(n), **k}
    return [ev(t, A.IKE_INIT_SENT, **s), ev(t, A.MESSAGE_SENT, exchange="IKE_SA_INIT", **s)]


SUCCESS = ("success", None, None)

SCENARIOS: list[tuple[str, list[Event], list[tuple[str, str | None, str | None]]]] = [
    ("healthy setup is one success document", setup_ok(0), [SUCCESS]),
    ("one INVALID_KE_PAYLOAD then success is no failure", [
        *ike_init(0),
        ev(0.1, A.MESSAGE_RECEIVED, exchange="IKE_SA_INIT", notify="INVALID_KE_PAYLOAD", **sa(1)),
        ev(0.1, A.DH_GROUP_REJECTED, **sa(1)),
        *setup_ok(0.2)[1:],
    ], [SUCCESS]),
    ("one retransmit before an answer is no failure", [
        *ike_init(0), ev(4, A.RETRANSMIT, exchange="IKE_SA_INIT", **sa(1)), *setup_ok(4.1)[1:],
    ], [SUCCESS]),
    ("retransmits with no answer: peer unreachable", [
        *ike_init(0), *[ev(4 * i, A.RETRANSMIT, **sa(1)) for i in range(1, 6)],
        ev(40, A.PEER_UNREACHABLE, **sa(1)), ev(40, A.IKE_SA_FAILED, **sa(1)),
    ], [("failure", "ike.peer_unreachable", "retransmits-never-answered")]),
    ("authentication started, then only retransmits: unreachable, not authentication", [
        *ike_init(0), ev(0.1, A.MESSAGE_RECEIVED, exchange="IKE_SA_INIT", **sa(1)),
        ev(0.1, A.AUTH_STARTED, detail="psk", **sa(1)), ev(0.1, A.MESSAGE_SENT, exchange="IKE_AUTH", **sa(1)),
        *[ev(0.1 + 4 * i, A.RETRANSMIT, exchange="IKE_AUTH", **sa(1)) for i in range(1, 6)],
        ev(40, A.PEER_UNREACHABLE, **sa(1)),
    ], [("failure", "ike.peer_unreachable", "unanswered-after-first-exchange")]),
    ("IDr payload missing after N(TS_UNACCEPT) is a selector problem", [
        *ike_init(0), ev(0.1, A.MESSAGE_RECEIVED, exchange="IKE_SA_INIT", **sa(1)),
        ev(0.1, A.AUTH_STARTED, detail="psk", **sa(1)), ev(0.1, A.MESSAGE_SENT, exchange="IKE_AUTH", **sa(1)),
        ev(0.2, A.MESSAGE_RECEIVED, exchange="IKE_AUTH", notify="TS_UNACCEPTABLE", **sa(1)),
        ev(0.2, A.IDR_MISSING, **sa(1)),
        ev(0.2, A.MESSAGE_SENT, exchange="INFORMATIONAL", notify="AUTHENTICATION_FAILED", **sa(1)),
        ev(0.2, A.CONNECTION_FAILED, **sa(1)),
    ], [("failure", "child.ts_unacceptable", "ts-behind-idr-missing")]),
    ("IDr payload missing alone is unknown", [
        *ike_init(0), ev(0.1, A.MESSAGE_RECEIVED, exchange="IKE_AUTH", **sa(1)), ev(0.2, A.IDR_MISSING, **sa(1)),
    ], [("failure", "unknown", "idr-missing-without-cause")]),
    ("IKEv1 HASH_V1 decryption failure is a PSK mismatch", [
        ev(0, A.IKE_INIT_RECEIVED, exchange="ID_PROT", **sa(382)),
        ev(0.1, A.MESSAGE_PARSE_FAILED, **sa(382)), ev(0.1, A.DECRYPT_FAILED, **sa(382)),
    ], [("failure", "ike.auth_failed.psk_mismatch", "hash-v1-decrypt-failed")]),
    ("HASH_V1 decryption failure with identity evidence is an ID mismatch", [
        ev(0, A.IKE_INIT_RECEIVED, exchange="ID_PROT", **sa(382)),
        ev(0.1, A.PEER_CONFIG_NOT_FOUND, **sa(382)), ev(0.2, A.DECRYPT_FAILED, **sa(382)),
    ], [("failure", "ike.id_mismatch", "hash-v1-decrypt-with-identity-evidence")]),
    ("NO_PROPOSAL_CHOSEN answering IKE_SA_INIT: IKE proposals", [
        *ike_init(0), ev(0.1, A.MESSAGE_RECEIVED, exchange="IKE_SA_INIT", notify="NO_PROPOSAL_CHOSEN", **sa(1)),
        ev(0.1, A.NOTIFY_RECEIVED, notify="NO_PROPOSAL_CHOSEN", **sa(1)),
    ], [("failure", "ike.proposal_mismatch", "ike-no-proposal-chosen")]),
    ("NO_PROPOSAL_CHOSEN answering IKE_AUTH at setup: phase 2 proposals", [
        *ike_init(0), ev(0.1, A.MESSAGE_RECEIVED, exchange="IKE_SA_INIT", **sa(1)),
        ev(0.1, A.MESSAGE_SENT, exchange="IKE_AUTH", **sa(1)),
        ev(0.2, A.MESSAGE_RECEIVED, exchange="IKE_AUTH", **sa(1)), ev(0.2, A.IKE_SA_ESTABLISHED, **sa(1)),
        ev(0.2, A.NOTIFY_RECEIVED, notify="NO_PROPOSAL_CHOSEN", **sa(1)),
        ev(0.2, A.CHILD_SA_FAILED, **sa(1)),
    ], [("failure", "child.proposal_mismatch", "child-no-proposal-chosen"), SUCCESS]),
    ("rekey refused an hour after setup: PFS mismatch", [
        *setup_ok(0),
        ev(3600, A.MESSAGE_SENT, exchange="CREATE_CHILD_SA", notify="REKEY_SA", child="net", **sa(1)),
        ev(3600.1, A.MESSAGE_RECEIVED, exchange="CREATE_CHILD_SA", notify="NO_PROPOSAL_CHOSEN", **sa(1)),
        ev(3600.1, A.CHILD_SA_FAILED, **sa(1)),
    ], [("failure", "child.rekey_pfs_mismatch", "rekey-rejected-after-established"), SUCCESS]),
    ("rekey INVALID_KE_PAYLOAD then rekeyed is no failure", [
        *setup_ok(0),
        ev(3600, A.MESSAGE_SENT, exchange="CREATE_CHILD_SA", notify="REKEY_SA", child="net", **sa(1)),
        ev(3600.1, A.MESSAGE_RECEIVED, exchange="CREATE_CHILD_SA", notify="INVALID_KE_PAYLOAD", **sa(1)),
        ev(3600.2, A.CHILD_SA_ESTABLISHED, child="net", **sa(1)),
    ], [SUCCESS]),
    ("transport vs tunnel mode: NAT-changed selectors collapse to /32", [
        ev(0, A.IKE_INIT_RECEIVED, exchange="IKE_SA_INIT", **sa(2)),
        ev(0.1, A.MESSAGE_RECEIVED, exchange="IKE_AUTH", **sa(2)),
        ev(0.1, A.TS_CHANGED_NAT, ts_local="192.168.54.0/24", ts_remote="192.168.35.0/24", **sa(2)),
        ev(0.1, A.CHILD_CONFIG_LOOKUP, ts_local="142.17.75.156/32", ts_remote="40.82.185.115/32", **sa(2)),
        ev(0.1, A.CHILD_CONFIG_NOT_FOUND, **sa(2)),
        ev(0.1, A.MESSAGE_SENT, exchange="IKE_AUTH", notify="TS_UNACCEPTABLE", **sa(2)),
    ], [("failure", "child.mode_mismatch", "mode-mismatch-nat-host-selectors")]),
    ("lines out of order within the lateness: the cause is still found", [
        *ike_init(0), ev(0.1, A.MESSAGE_SENT, exchange="IKE_AUTH", **sa(1)),
        ev(0.3, A.IDR_MISSING, **sa(1)),
        ev(0.2, A.MESSAGE_RECEIVED, exchange="IKE_AUTH", notify="TS_UNACCEPTABLE", **sa(1)),
    ], [("failure", "child.ts_unacceptable", "ts-behind-idr-missing")]),
    ("kernel lacks the cipher", [
        *setup_ok(0)[:-1],
        ev(0.3, A.KERNEL_ERROR, raw="received netlink error: Function not implemented (38)", **sa(1)),
        ev(0.3, A.SAD_INSTALL_FAILED, **sa(1)),
    ], [("failure", "kernel.cipher_unsupported", "kernel-enosys-sad-install"), SUCCESS]),
    ("one isolated MACMiscompare is noise", [
        ev(0, A.INTEGRITY_CHECK_FAILED, vendor="cisco"),
    ], []),
    ("MACMiscompare repeating within the window is a failure", [
        ev(0, A.INTEGRITY_CHECK_FAILED, vendor="cisco"), ev(20, A.INTEGRITY_CHECK_FAILED, vendor="cisco"),
        ev(50, A.INTEGRITY_CHECK_FAILED, vendor="cisco"),
    ], [("failure", "dataplane.integrity_check_failed", "dataplane-integrity-repeated")]),
    ("MACMiscompare spread wider than the window stays noise", [
        ev(0, A.INTEGRITY_CHECK_FAILED, vendor="cisco"), ev(100, A.INTEGRITY_CHECK_FAILED, vendor="cisco"),
        ev(200, A.INTEGRITY_CHECK_FAILED, vendor="cisco"),
    ], []),
    ("dead peer detection tears the SA down", [
        *setup_ok(0), ev(600, A.DPD_SENT, exchange="INFORMATIONAL", **sa(1)),
        *[ev(600 + 4 * i, A.RETRANSMIT, exchange="INFORMATIONAL", **sa(1)) for i in range(1, 4)],
        ev(630, A.DPD_TIMEOUT, **sa(1)), ev(630, A.SA_DELETED, detail="ike", **sa(1)),
    ], [SUCCESS, ("failure", "ike.dpd_timeout", "dpd-timeout")]),
    ("several tunnels on one gateway fail differently", [
        *ike_init(0, 1), *ike_init(0, 2, conn="b", remote_ip="203.0.113.9"),
        ev(0.1, A.MESSAGE_RECEIVED, exchange="IKE_SA_INIT", notify="NO_PROPOSAL_CHOSEN", **sa(1)),
        *[ev(4 * i, A.RETRANSMIT, **sa(2, "b", "203.0.113.9")) for i in range(1, 6)],
        ev(40, A.PEER_UNREACHABLE, **sa(2, "b", "203.0.113.9")),
    ], [("failure", "ike.proposal_mismatch", "ike-no-proposal-chosen"),
        ("failure", "ike.peer_unreachable", "retransmits-never-answered")]),
    ("vici reply too large is a control failure keyed by gateway", [
        ev(0, A.VICI_TOO_LARGE),
    ], [("failure", "control.vici_message_too_large", "vici-message-too-large")]),
    ("unknown-vendor and unparsed lines open nothing", [
        ev(0, A.UNRECOGNIZED, **sa(1)), ev(1, A.PARSE_ERROR), ev(2, A.IDR_MISSING, vendor="unknown", **sa(1)),
    ], []),
]


@pytest.mark.parametrize(("name", "events", "expected"), SCENARIOS, ids=[s[0] for s in SCENARIOS])
def test_scenario(name: str, events: list[Event], expected: list[tuple[str, str | None, str | None]]) -> None:
    assert summary(run(events)) == expected


@pytest.mark.parametrize(("name", "events", "expected"), SCENARIOS, ids=[s[0] for s in SCENARIOS])
def test_batching_does_not_change_output(name: str, events: list[Event], expected: object) -> None:
    whole = [d.to_doc() for d in run(events)]
    assert [d.to_doc() for d in run(events, batch=1)] == whole
    assert [d.to_doc() for d in run(events, batch=3)] == whole
