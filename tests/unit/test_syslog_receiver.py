"""The syslog receiver on loopback: framing, limits, allow-list and a flooding sender (no Kafka)."""

from __future__ import annotations

import asyncio
import ipaddress
import socket

from streams.batch import LineBatch
from streams.ingest.syslog import Receiver, ReceiverConfig

LINE = "<30>Feb  5 21:29:53 gw1 charon[812]: 14[IKE] <c|1> IDr payload missing"


async def _receiver(**overrides: object) -> tuple[Receiver, list[LineBatch]]:
    got: list[LineBatch] = []

    async def emit(batch: LineBatch) -> None:
        got.append(batch)

    cfg = ReceiverConfig(udp_port=0, tcp_port=0, **overrides)  # type: ignore[arg-type]
    r = Receiver(cfg, emit, batch_lines=1000, linger_s=0.005)
    await r.start()
    return r, got


async def _tcp_send(port: int, payload: bytes) -> None:
    _, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(payload)
    await writer.drain()
    writer.close()
    await writer.wait_closed()


def _lines(batches: list[LineBatch]) -> list[str]:
    return [line for b in batches for line in b.lines]


def test_tcp_newline_and_octet_counted_framing() -> None:
    async def run() -> list[str]:
        r, got = await _receiver()
        framed = f"{len(LINE)} {LINE}".encode()
        await _tcp_send(r.bound["tcp"], (LINE + "\n").encode() + framed + (LINE + "\n").encode())
        await asyncio.sleep(0.1)
        await r.stop()
        return _lines(got)

    assert asyncio.run(run()) == [LINE, LINE, LINE]


def test_udp_datagrams_and_source_address() -> None:
    async def run() -> list[LineBatch]:
        r, got = await _receiver()
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.sendto(LINE.encode(), ("127.0.0.1", r.bound["udp"]))
        await asyncio.sleep(0.1)
        await r.stop()
        return got

    got = asyncio.run(run())
    assert _lines(got) == [LINE]
    assert got[0].gateway == "gw1" and got[0].source == "127.0.0.1"


def test_oversize_messages_are_refused_and_counted_and_the_stream_goes_on() -> None:
    async def run() -> tuple[list[str], int]:
        r, got = await _receiver(max_message=1024)
        big = b"x" * 5000
        await _tcp_send(r.bound["tcp"], big + b"\n" + (LINE + "\n").encode())
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.sendto(big, ("127.0.0.1", r.bound["udp"]))
        await asyncio.sleep(0.1)
        await r.stop()
        return _lines(got), r.counters["refused_oversize"]

    lines, refused = asyncio.run(run())
    assert lines == [LINE]
    assert refused == 2


def test_allow_list_refuses_other_senders() -> None:
    async def run() -> tuple[list[str], int]:
        r, got = await _receiver(allow=[ipaddress.ip_network("192.0.2.0/24")])
        await _tcp_send(r.bound["tcp"], (LINE + "\n").encode())
        await asyncio.sleep(0.1)
        await r.stop()
        return _lines(got), r.counters["refused_not_allowed"]

    lines, refused = asyncio.run(run())
    assert lines == [] and refused == 1


def test_a_flooding_sender_cannot_take_the_whole_backlog() -> None:
    r = Receiver(ReceiverConfig(max_pending_batches=10, per_source_share=0.5), emit=_never)
    r.batcher.max_lines = 1  # every line completes a batch
    accepted = sum(r.accept(LINE.encode(), "198.51.100.1") for _ in range(100))
    assert accepted == 5  # its share of the bounded backlog; the rest is refused and counted
    assert r.counters["refused_backlog"] == 95
    assert r.accept(LINE.encode(), "198.51.100.2")  # another sender still gets in


async def _never(batch: LineBatch) -> None:
    raise AssertionError("not drained in this test")
