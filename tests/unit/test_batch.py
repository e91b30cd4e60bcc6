"""Raw records: batching bounds, the wire format, and rejection of records we do not understand."""

from __future__ import annotations

import orjson
import pytest

from streams.batch import BadRecord, LineBatch, decode, tick
from streams.ingest.batcher import Batcher, GatewayOf


@pytest.mark.parametrize(
    ("max_lines", "max_bytes", "lines", "expected_batches"),
    [
        (3, 10_000, 7, 2),  # 3 + 3 complete, 1 left open
        (100, 50, 7, 1),  # 10-byte lines: the 5th crosses 50 bytes
        (100, 10_000, 7, 0),  # nothing complete until linger or drain
    ],
)
def test_batcher_bounds(max_lines: int, max_bytes: int, lines: int, expected_batches: int) -> None:
    b = Batcher(max_lines=max_lines, max_bytes=max_bytes, linger_s=1.0)
    done = [x for i in range(lines) if (x := b.add("gw1", f"line {i:04d}", 100.0 + i / 1000)) is not None]
    assert len(done) == expected_batches
    assert sum(len(x.lines) for x in done) + b.pending_lines == lines


def test_batcher_keeps_gateways_apart_and_lingers() -> None:
    b = Batcher(max_lines=100, linger_s=0.005)
    b.add("gw1", "a", 10.0)
    b.add("gw2", "b", 10.004)
    due = list(b.due(10.006))
    assert [x.gateway for x in due] == ["gw1"]
    assert [x.gateway for x in b.drain()] == ["gw2"]


def test_round_trip_keeps_receive_times() -> None:
    batch = LineBatch(gateway="gw1", source="192.0.2.1", opts={"year": 2025})
    batch.add("first", 1000.0)
    batch.add("second", 1000.25)
    back = decode(batch.encode())
    assert isinstance(back, LineBatch)
    assert back.lines == ["first", "second"]
    assert back.received_at(1) == pytest.approx(1000.25)
    assert back.source == "192.0.2.1" and back.opts == {"year": 2025}


def test_tick_records() -> None:
    assert decode(tick(123.5)) == 123.5


@pytest.mark.parametrize("value", [b"\xff\xfe", b"[1,2]", b'{"v": 9, "lines": []}', b'{"v": 1, "lines": [1]}'])
def test_bad_records_are_refused_with_a_reason(value: bytes) -> None:
    with pytest.raises(BadRecord):
        decode(value)


def test_gateway_of_uses_syslog_host_else_fallback() -> None:
    gw = GatewayOf(fallback="file1")
    assert gw("Feb  5 21:29:53 gw-ams-01 charon[812]: 14[IKE] x") == "gw-ams-01"
    assert gw("09[IKE] <c|1> no timestamp, no host") == "file1"
    assert orjson.loads(LineBatch("g").encode())["gw"] == "g"
