"""Fleet context as scenarios: diagnoses in (gateway, peer, class, event time), incidents and marks out."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from enrichers.fleet import FleetConfig, FleetContext
from enrichers.fleet_state import Scope
from schemas.catalogue import validate
from schemas.diagnosis import Diagnosis, Endpoint, Failure, document_id

T0 = datetime(2026, 2, 5, 21, 0, tzinfo=UTC).timestamp()
MIN = 60.0
CFG = FleetConfig(window_s=15 * MIN, min_gateways=3, min_peers=3, healthy_after_s=60 * MIN)


def diag(minute: float, gw: str, peer: str | None, cls: str = "ike.peer_unreachable", *,
         outcome: str = "failure", conn: str | None = None, n: int = 0) -> dict[str, Any]:
    """A diagnosis document as the engine builds it (schemas/diagnosis.py), at T0 + minute."""
    t = T0 + minute * MIN
    ok = outcome == "success"
    d = Diagnosis(
        id=document_id(gw, peer, conn, minute, n, outcome), host=gw, vendor="strongswan", outcome=outcome,
        start=t - 5, end=t, episode_kind="setup", closed_by="success" if ok else "failure",
        phase="ike", failure=None if ok else Failure(cls, 0.9, "rule-x", "because"),
        local=Endpoint(ip="192.0.2.10"), remote=Endpoint(ip=peer), connection=conn or f"to-{peer}",
        evidence=() if ok else ("line",),
    )
    return d.to_doc()


def run(docs: list[dict[str, Any]], cfg: FleetConfig = CFG) -> tuple[FleetContext, list[Any]]:
    ctx = FleetContext(cfg)
    return ctx, [ctx.observe(d) for d in docs]


def incidents(observations: list[Any]) -> list[dict[str, Any]]:
    return [i for o in observations for i in o.incidents]


@pytest.mark.parametrize(
    ("name", "failures", "expected"),
    [
        # one peer failing from three gateways inside the window: one peer-side incident
        ("peer-side", [(0, "gw1", "203.0.113.9"), (2, "gw2", "203.0.113.9"), (4, "gw3", "203.0.113.9")],
         [("peer", "203.0.113.9", 3, 1)]),
        ("two gateways are not a fleet problem", [(0, "gw1", "203.0.113.9"), (2, "gw2", "203.0.113.9")], []),
        ("spread wider than the window",
         [(0, "gw1", "203.0.113.9"), (10, "gw2", "203.0.113.9"), (20, "gw3", "203.0.113.9")], []),
        # one gateway failing with three peers: a local incident
        ("local", [(0, "gw1", "203.0.113.1"), (1, "gw1", "203.0.113.2"), (2, "gw1", "203.0.113.3")],
         [("local", "gw1", 1, 3)]),
        ("one peer many times is no incident", [(m, "gw1", "203.0.113.1") for m in range(6)], []),
    ],
)
def test_incident_scenarios(name: str, failures: list[tuple[float, str, str]],
                            expected: list[tuple[str, str, int, int]]) -> None:
    _, obs = run([diag(m, gw, peer) for m, gw, peer in failures])
    got = [(i["tunnelsight"]["incident"]["side"], i["tunnelsight"]["incident"]["key"],
            i["tunnelsight"]["incident"]["gateway_count"], i["tunnelsight"]["incident"]["peer_count"])
           for i in incidents(obs)]
    assert got == expected, name


def test_incident_names_tunnels_and_dominant_class_and_marks_the_diagnoses() -> None:
    docs = [diag(0, "gw1", "203.0.113.9", "ike.auth_failed.psk_mismatch"),
            diag(1, "gw2", "203.0.113.9", "ike.peer_unreachable"),
            diag(2, "gw3", "203.0.113.9", "ike.peer_unreachable")]
    _, obs = run(docs)
    [inc] = incidents(obs)
    body = inc["tunnelsight"]["incident"]
    assert body["tunnels"] == ["gw1|203.0.113.9|to-203.0.113.9", "gw2|203.0.113.9|to-203.0.113.9",
                               "gw3|203.0.113.9|to-203.0.113.9"]
    assert inc["vpn"]["failure"]["class"] == "ike.peer_unreachable"
    assert body["classes"] == ["ike.auth_failed.psk_mismatch", "ike.peer_unreachable"]
    assert inc["vpn"]["remote"]["ip"] == "203.0.113.9"
    assert body["status"] == "open" and body["failures"] == 3
    assert "peer 203.0.113.9 fails from 3 gateways" in inc["message"]
    assert "incident" not in obs[0].diagnosis["tunnelsight"]  # before the threshold: no incident yet
    assert obs[2].diagnosis["tunnelsight"]["incident"]["id"] == body["id"]
    assert validate(inc, "incident") == []


def test_incident_grows_under_the_same_id_and_resolves_after_a_quiet_window() -> None:
    peer = "203.0.113.9"
    ctx, obs = run([diag(m, f"gw{m}", peer) for m in range(4)] + [diag(4.5, "gw0", peer)])
    docs = incidents(obs)
    assert [d["tunnelsight"]["incident"]["gateway_count"] for d in docs] == [3, 4]  # gw0 again changes nothing
    assert len({d["tunnelsight"]["incident"]["id"] for d in docs}) == 1
    assert ctx.tick(T0 + 10 * MIN) == []  # still inside the window
    [resolved] = ctx.tick(T0 + 30 * MIN)
    assert resolved["tunnelsight"]["incident"]["status"] == "resolved"
    assert resolved["event"]["end"] == "2026-02-05T21:04:30Z"  # the last failure counted
    assert ctx.tick(T0 + 40 * MIN) == []  # resolved once
    assert validate(resolved, "incident") == []


def test_incident_resolves_when_every_tunnel_recovers() -> None:
    peer = "203.0.113.9"
    fails = [diag(m, f"gw{m}", peer) for m in range(3)]
    ups = [diag(5 + m, f"gw{m}", peer, outcome="success") for m in range(3)]
    _, obs = run(fails + ups)
    statuses = [d["tunnelsight"]["incident"]["status"] for d in incidents(obs)]
    assert statuses == ["open", "resolved"]


@pytest.mark.parametrize(
    ("timeline", "marks"),
    [
        # (minute, outcome) for one tunnel -> recurrence of each failure
        ([(0, "failure")], ["new"]),
        ([(0, "failure"), (10, "failure")], ["new", "recurring"]),
        ([(0, "failure"), (70, "failure")], ["new", "regression"]),  # quiet for longer than healthy_after
        ([(0, "failure"), (5, "success"), (20, "failure")], ["new", "recurring"]),  # up only 15 min: flapping
        ([(0, "failure"), (5, "success"), (125, "failure")], ["new", "regression"]),  # up 2 h, then broke
        ([(0, "success"), (300, "failure")], ["new"]),  # first failure ever seen
    ],
)
def test_recurrence(timeline: list[tuple[float, str]], marks: list[str]) -> None:
    _, obs = run([diag(m, "gw1", "203.0.113.9", outcome=o) for m, o in timeline])
    got = [o.diagnosis["tunnelsight"]["recurrence"] for o, (_, out) in zip(obs, timeline, strict=True)
           if out == "failure"]
    assert got == marks


def test_recovery_stamps_the_diagnosis_that_opened_the_outage() -> None:
    first, again, up = (diag(0, "gw1", "203.0.113.9"), diag(3, "gw1", "203.0.113.9"),
                        diag(10, "gw1", "203.0.113.9", outcome="success"))
    _, obs = run([first, again, up])
    rec = obs[2].recovery
    assert rec is not None
    assert rec.diagnosis_id == first["tunnelsight"]["id"] and rec.seconds == 600.0
    assert rec.recovered_at == "2026-02-05T21:10:00Z"
    ops = obs[2].ops()
    assert [op.index for op in ops] == ["tunnelsight-diagnoses-2026.02", "tunnelsight-diagnoses-2026.02",
                                        "tunnelsight-tunnels"]
    assert ops[1].id == first["tunnelsight"]["id"] and ops[1].upsert
    assert ops[1].doc == {"tunnelsight": {"recovery": {"at": "2026-02-05T21:10:00Z", "seconds": 600.0}}}
    tunnel = obs[2].tunnel
    assert tunnel is not None
    assert tunnel["tunnelsight"]["tunnel"]["status"] == "up"
    assert tunnel["tunnelsight"]["tunnel"]["failures"] == 2
    assert "failure" not in tunnel["vpn"]  # the merge keeps the last failure's class
    assert validate(tunnel, "tunnel") == []


def test_tunnel_state_document_of_a_failure() -> None:
    _, obs = run([diag(0, "gw1", "203.0.113.9", "child.ts_unacceptable")])
    state = obs[0].tunnel
    assert state is not None
    assert state["tunnelsight"]["tunnel"] == {
        "id": "gw1|203.0.113.9|to-203.0.113.9", "status": "down", "since": "2026-02-05T21:00:00Z",
        "last_failure": "2026-02-05T21:00:00Z", "failures": 1, "last_diagnosis": obs[0].diagnosis["tunnelsight"]["id"]}
    assert state["vpn"]["failure"] == {"class": "child.ts_unacceptable", "rule": "rule-x"}
    assert validate(state, "tunnel") == []
    assert validate(obs[0].diagnosis, "diagnosis") == []


def test_a_redelivered_diagnosis_counts_once() -> None:
    d = diag(0, "gw1", "203.0.113.9")
    _, obs = run([d, d, d])
    assert [o.diagnosis["tunnelsight"]["recurrence"] for o in obs] == ["new", "new", "new"]
    assert obs[2].tunnel is not None and obs[2].tunnel["tunnelsight"]["tunnel"]["failures"] == 1


def test_state_survives_a_restart_through_bytes() -> None:
    store: dict[str, bytes] = {}
    first = FleetContext(CFG, store=store)
    for m in range(2):
        first.observe(diag(m, f"gw{m}", "203.0.113.9"))
    second = FleetContext(CFG, store=dict(store))  # a new worker reading the table back
    obs = second.observe(diag(2, "gw2", "203.0.113.9"))
    assert [i["tunnelsight"]["incident"]["side"] for i in obs.incidents] == ["peer"]
    assert all(isinstance(v, bytes) for v in store.values())


def test_state_is_compact() -> None:
    ctx, _ = run([diag(m / 10, f"gw{m}", "203.0.113.9") for m in range(10)])
    scope = Scope.from_bytes(ctx.store["peer:203.0.113.9"])
    assert len(scope.members) == 10
    assert len(ctx.store["peer:203.0.113.9"]) < 2500
    assert Scope.from_bytes(scope.to_bytes()) == scope


def test_tunnel_level_and_peerless_diagnoses() -> None:
    tunnel_level = diag(0, "gw1", "203.0.113.9")
    tunnel_level["vpn"]["tunnel"] = {"ends": [{"hostname": "gw1"}, {"hostname": "gw2"}]}
    ctx, obs = run([tunnel_level, diag(1, "gw1", None, "control.vici_message_too_large")])
    assert obs[0].tunnel is None and obs[0].incidents == []
    assert obs[1].diagnosis["tunnelsight"]["tunnel"]["id"] == "gw1|-|to-None"
    assert "peer:None" not in ctx.store


def test_an_established_period_that_began_before_the_failure_is_no_recovery() -> None:
    up = diag(60, "gw1", "203.0.113.9", outcome="success")
    up["tunnelsight"]["episode"]["kind"] = "established"
    up["event"]["start"] = "2026-02-05T21:00:00Z"  # up since T0, the failure came at T0 + 10 min
    _, obs = run([diag(10, "gw1", "203.0.113.9", "child.rekey_pfs_mismatch"), up])
    assert obs[1].recovery is None
    assert obs[1].tunnel is not None and obs[1].tunnel["tunnelsight"]["tunnel"]["status"] == "up"

