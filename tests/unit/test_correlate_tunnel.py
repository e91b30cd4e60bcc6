"""Both ends of a tunnel: the join pairs mirrored addresses in time, once, whichever end comes first."""

from __future__ import annotations

from typing import Any

from streams.correlate.engine import Engine
from streams.correlate.tunnel import TunnelJoin, address_pair
from tests.unit.test_correlate_scenarios import A, ev

INIT = {"conn": "dc", "ike_sa_id": "4", "remote_ip": "198.51.100.33", "local_ip": "192.0.2.10"}
RESP = {"conn": "ams", "ike_sa_id": "12", "remote_ip": "192.0.2.10", "local_ip": "198.51.100.33"}


def docs(offset: float = 0.0) -> list[dict[str, Any]]:
    events = [
        ev(0, A.IKE_INIT_SENT, host="gw-a", **INIT),
        ev(0.1, A.MESSAGE_RECEIVED, host="gw-a", exchange="IKE_AUTH", notify="AUTHENTICATION_FAILED", **INIT),
        ev(offset, A.IKE_INIT_RECEIVED, host="gw-b", **RESP),
        ev(offset + 0.1, A.PSK_MISMATCH, host="gw-b", **RESP),
    ]
    engine = Engine()
    return [d.to_doc() for d in engine.feed(events) + engine.flush()]


def test_generic_notify_is_explained_by_the_responder() -> None:
    out = join_all(docs())
    assert len(out) == 1
    tunnel = out[0]
    assert tunnel["vpn"]["failure"]["class"] == "ike.auth_failed.psk_mismatch"
    assert [e["hostname"] for e in tunnel["vpn"]["tunnel"]["ends"]] == ["gw-a", "gw-b"]
    assert "gw-a (initiator) saw only ike.auth_failed" in tunnel["vpn"]["failure"]["reason"]
    assert tunnel["event"]["action"] == "tunnel_failed" and "hostname" not in tunnel["observer"]
    assert address_pair(tunnel) is None  # a tunnel document is not joined again


def join_all(documents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    join = TunnelJoin()
    return [t for d in documents for t in join.add(d)]


def test_order_does_not_matter_and_ids_are_stable() -> None:
    forward, backward = join_all(docs()), join_all(list(reversed(docs())))
    assert len(forward) == len(backward) == 1
    assert forward == backward


def test_episodes_far_apart_are_not_joined() -> None:
    assert join_all(docs(offset=600)) == []


def test_the_same_gateway_is_never_its_own_other_end() -> None:
    one = docs()[0]
    join = TunnelJoin()
    assert join.add(one) == [] and join.add(dict(one)) == []
