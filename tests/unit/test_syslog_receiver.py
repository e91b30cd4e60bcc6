"""The syslog receiver on loopback: framing, limits, allow-list and a flooding sender (no Kafka)."""

from __future__ import annotations

import asyncio
import ipaddress
import socket

from streams.batch import LineBatch
from streams.ingest.syslog import Receiver, ReceiverConfig, Reject

LINE = "<30>Feb  5 21:29:53 gw1 charon[812]: 14[IKE] <c|1> IDr payload missing"


async def _receiver(reject: Reject | None = None, **overrides: object) -> tuple[Receiver, list[LineBatch]]:
    got: list[LineBatch] = []

    async def emit(batch: LineBatch) -> None:
        got.append(batch)

    cfg = ReceiverConfig(udp_port=0, tcp_port=0, **overrides)  # type: ignore[arg-type]
    r = Receiver(cfg, emit, batch_lines=1000, linger_s=0.005, reject=reject)
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


BIG = b"<30>Feb  5 21:29:53 gwbig charon[812]: 14[IKE] " + b"x" * 5000  # over a max_message of 1024


def test_oversize_messages_are_rejected_with_an_excerpt_in_every_framing_and_each_connection_goes_on() -> None:
    near = BIG[:1030]  # over the limit, yet within what one newline read may hold (limit + 64)
    rejects: list[tuple[str, bytes, str]] = []

    async def reject(gateway: str, excerpt: bytes, reason: str) -> None:
        rejects.append((gateway, excerpt, reason))

    async def run() -> tuple[list[str], dict[str, int]]:
        r, got = await _receiver(reject=reject, max_message=1024)

        async def send(payload: bytes, oversize: int) -> None:  # one after the other: a fixed order to compare
            await _tcp_send(r.bound["tcp"], payload)
            async with asyncio.timeout(5):
                while r.counters["refused_oversize"] < oversize:
                    await asyncio.sleep(0.01)

        line, framed = (LINE + "\n").encode(), f"{len(LINE)} {LINE}".encode()
        await send(line + BIG + b"\n" + near + b"\n" + line, 2)  # newline framing
        await send(framed + f"{len(BIG)} ".encode() + BIG + framed + line, 3)  # octet counting, then newline
        await send(line + BIG, 4)  # cut off before its newline
        await send(framed + b"100000 " + BIG, 5)  # cut off before its counted end
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.sendto(BIG[:2000], ("127.0.0.1", r.bound["udp"]))
            s.sendto(LINE.encode(), ("127.0.0.1", r.bound["udp"]))
        await asyncio.sleep(0.2)
        await r.stop()
        return _lines(got), dict(r.counters)

    lines, counters = asyncio.run(run())
    assert lines == [LINE] * 8  # every well-formed message around the oversize ones came through
    assert counters["refused_oversize"] == counters["deadletters"] == len(rejects) == 6
    assert [reason.split(" (")[0] for _, _, reason in rejects] == [
        f"syslog message of {n} bytes" for n in (len(BIG), 1030, len(BIG), len(BIG), 100000, 2000)]
    assert [reason.split("; excerpt of 256 kept")[1] for _, _, reason in rejects] == [
        "", "", "", "; the connection closed before its newline",
        f"; the connection closed after {len(BIG)} bytes of it", ""]
    assert all(gw == "gwbig" and excerpt == BIG[:256] and "exceeds the limit of 1024" in reason
               for gw, excerpt, reason in rejects), rejects
    assert "(TCP, octet counting from 127.0.0.1)" in rejects[2][2] and "(UDP from 127.0.0.1)" in rejects[5][2]


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


def test_an_oversize_udp_message_without_room_for_its_dead_letter_is_a_counted_drop() -> None:
    r = Receiver(ReceiverConfig(max_message=1024, max_pending_batches=2, per_source_share=0.5), emit=_never,
                 reject=_never_reject)
    r.batcher.max_lines = 1
    assert r.accept(LINE.encode(), "198.51.100.1")  # the sender's whole share of the backlog
    assert not r.accept(BIG, "198.51.100.1")
    assert r.counters["refused_oversize"] == r.counters["refused_backlog"] == 1


async def _never_reject(gateway: str, excerpt: bytes, reason: str) -> None:
    raise AssertionError("not drained in this test")


async def _never(batch: LineBatch) -> None:
    raise AssertionError("not drained in this test")
