"""Index names, ids and operations (schemas/indices.py): pure, so tested without a server."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from schemas.catalogue import validate
from schemas.indices import (
    Indices,
    deadletter_doc,
    deadletter_op,
    diagnosis_op,
    event_op,
    expired,
    month_of,
    route,
    tunnel_id,
    tunnel_key,
)


@pytest.mark.parametrize(
    ("ts", "month"),
    [
        ("2026-02-05T21:29:53Z", "2026.02"),
        ("2026-02-28T23:30:00.125Z", "2026.02"),
        ("2026-03-01T00:30:00+01:00", "2026.02"),  # the UTC month decides, whatever the zone printed
        ("2025-12-31T23:59:59Z", "2025.12"),
    ],
)
def test_month_of_the_document_time(ts: str, month: str) -> None:
    assert month_of(ts) == month


def test_a_diagnosis_lands_in_its_own_month_under_its_own_id_every_time() -> None:
    doc = {"@timestamp": "2026-02-05T21:29:53Z", "tunnelsight": {"id": "abc"}}
    ops = [diagnosis_op(doc) for _ in range(3)]  # retries: always the same (index, id)
    assert {(o.index, o.id) for o in ops} == {("tunnelsight-diagnoses-2026.02", "abc")}
    assert diagnosis_op(doc, Indices("t1")).index == "t1-diagnoses-2026.02"
    undated = {"tunnelsight": {"id": "abc"}}  # never crash the sink: a stable index, inside the alias
    assert diagnosis_op(undated).index == "tunnelsight-diagnoses-undated"


def test_names() -> None:
    ix = Indices()
    assert (ix.diagnoses, ix.tunnels, ix.incidents) == (
        "tunnelsight-diagnoses", "tunnelsight-tunnels", "tunnelsight-incidents")
    assert ix.pattern("diagnosis") == "tunnelsight-diagnoses-*"
    assert ix.pattern("tunnel") == "tunnelsight-tunnels"


def test_tunnel_key() -> None:
    doc = {"observer": {"hostname": "gw1"}, "vpn": {"remote": {"ip": "2001:db8::1"}, "child": {"name": "c"}}}
    assert tunnel_id(doc) == "gw1|2001:db8::1|c"
    doc["vpn"]["connection"] = "conn"
    assert tunnel_id(doc) == "gw1|2001:db8::1|conn"  # the connection wins: IKE failures name no child
    assert tunnel_key(None, None, None) == "-|-|-"
    long_key = tunnel_key("g" * 300, "p", "s")
    assert len(long_key) < 200 and long_key == tunnel_key("g" * 300, "p", "s")


def test_retention_keeps_whole_months() -> None:
    names = ["ts-diagnoses-2025.01", "ts-diagnoses-2025.12", "ts-diagnoses-2026.01", "ts-diagnoses-2026.02",
             "ts-tunnels"]
    now = datetime(2026, 2, 10, tzinfo=UTC)
    assert expired(names, 2, now) == ["ts-diagnoses-2025.01", "ts-diagnoses-2025.12"]
    assert expired(names, 13, now) == ["ts-diagnoses-2025.01"]
    assert expired(names, 14, now) == []
    with pytest.raises(ValueError):
        expired(names, 0, now)


def test_event_and_deadletter_operations_validate() -> None:
    event = {"@timestamp": "2026-02-05T21:29:53Z", "event": {"action": "retransmit", "dataset": "tunnelsight.event",
                                                            "original": "x" * 40_000}}
    op = event_op(event)
    assert op.index == "tunnelsight-events-2026.02" and op.id == event_op(dict(event)).id
    assert validate(event, "event") == []
    dl = deadletter_doc("index", "400 mapper_parsing_exception: failed to parse", b"{\"bad\": 1}",
                        timestamp="2026-02-05T21:29:53Z", error_type="mapper_parsing_exception",
                        topic="tunnelsight-diagnoses", partition=0, offset=42, kind="diagnosis", doc_id="abc")
    assert validate(dl, "deadletter") == []
    assert deadletter_op(dl).index == "tunnelsight-deadletters-2026.02"


def test_route_by_dataset_not_by_fields() -> None:
    diagnosis = {"@timestamp": "2026-02-05T21:29:53Z", "event": {"dataset": "tunnelsight.diagnosis"},
                 "tunnelsight": {"id": "d1", "incident": {"id": "peer:x:t"}}}  # a diagnosis inside an incident
    incident = {"@timestamp": "2026-02-05T21:29:53Z", "event": {"dataset": "tunnelsight.incident"},
                "tunnelsight": {"incident": {"id": "peer:x:t"}}}
    assert (route(diagnosis).index, route(diagnosis).id) == ("tunnelsight-diagnoses-2026.02", "d1")
    assert (route(incident).index, route(incident).id) == ("tunnelsight-incidents", "peer:x:t")
    with pytest.raises(ValueError):
        route({"tunnelsight": {"recovery": {}}})

