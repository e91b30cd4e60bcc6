"""Syslog receiver: UDP and TCP (RFC 3164/5424 payloads; newline or octet-counted framing, RFC 6587),
optional TLS (RFC 5425) with client-certificate checks, sender allow-list, bounded everywhere.

Everything refused is logged once per reason and source (then counted quietly) and shows in the
counters, so an operator can tell "no traffic" from "traffic we refused". A message over `max_message`
that arrived (a UDP datagram, a TCP frame of either framing) is also handed to `reject` (gateway,
excerpt, reason): `ingest syslog` makes it a dead letter, as `ingest file` does with over-long lines.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import ssl
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from streams.batch import LineBatch
from streams.ingest.batcher import Batcher, GatewayOf
from streams.parse.line import EXCERPT

log = logging.getLogger(__name__)

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Reject = Callable[[str, bytes, str], Awaitable[None]]  # gateway, excerpt, reason (an async Kafka send)


@dataclass
class ReceiverConfig:
    host: str = "127.0.0.1"  # loopback unless told otherwise
    udp_port: int | None = 5514
    tcp_port: int | None = 5514
    max_message: int = 64 * 1024
    max_connections: int = 256
    allow: list[Network] = field(default_factory=list)  # empty = everyone who can reach the port
    tls_cert: str | None = None
    tls_key: str | None = None
    tls_client_ca: str | None = None  # require client certificates signed by this CA
    max_pending_batches: int = 1000  # Kafka backlog before UDP drops and TCP stops reading
    per_source_share: float = 0.5  # one sender may fill at most this share of the backlog


@dataclass
class Rejected:
    """An oversize message on its way to `reject`, through the same bounded backlog as the batches."""

    gateway: str
    source: str
    excerpt: bytes
    reason: str


class Receiver:
    """Turns syslog traffic into LineBatches handed to `emit` (an async Kafka send), and oversize
    messages into `reject` calls (without `reject` they are only counted and logged)."""

    def __init__(self, cfg: ReceiverConfig, emit: Callable[[LineBatch], Awaitable[None]],
                 batch_lines: int = 500, batch_bytes: int = 64 * 1024, linger_s: float = 0.005,
                 reject: Reject | None = None) -> None:
        self.cfg = cfg
        self.emit = emit
        self.reject = reject
        self.batcher = Batcher(batch_lines, batch_bytes, linger_s)
        self.counters: Counter[str] = Counter()
        self._warned: set[tuple[str, str]] = set()
        self._connections = 0
        self._writers: set[asyncio.StreamWriter] = set()  # open TCP connections, closed by stop()
        self._pending: asyncio.Queue[LineBatch | Rejected] = asyncio.Queue(maxsize=cfg.max_pending_batches)
        self._per_source: Counter[str] = Counter()
        self._gateway_of = GatewayOf(fallback="unknown")
        self._servers: list[asyncio.AbstractServer] = []
        self._transports: list[asyncio.BaseTransport] = []
        self._tasks: list[asyncio.Task[None]] = []
        self.bound: dict[str, int] = {}

    # -- lifecycle --------------------------------------------------------------------------
    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        if self.cfg.udp_port is not None:
            transport, _ = await loop.create_datagram_endpoint(
                lambda: _Udp(self), local_addr=(self.cfg.host, self.cfg.udp_port))
            self._transports.append(transport)
            self.bound["udp"] = transport.get_extra_info("sockname")[1]
        if self.cfg.tcp_port is not None:
            server = await asyncio.start_server(self._on_tcp, self.cfg.host, self.cfg.tcp_port,
                                                ssl=self._ssl_context(), limit=self.cfg.max_message + 64)
            self._servers.append(server)
            self.bound["tcp"] = server.sockets[0].getsockname()[1]
        self._tasks.append(asyncio.create_task(self._linger()))
        self._tasks.append(asyncio.create_task(self._drain()))
        log.info("syslog receiver on %s %s", self.cfg.host, self.bound)

    async def stop(self) -> None:
        for s in self._servers:
            s.close()
        for w in list(self._writers):  # stop reading senders: a flooder must not hold up a shutdown
            w.close()
        for s in self._servers:
            await s.wait_closed()
        for t in self._transports:
            t.close()
        for b in self.batcher.drain():
            await self._pending.put(b)
        await self._pending.join()
        for task in self._tasks:
            task.cancel()

    def _ssl_context(self) -> ssl.SSLContext | None:
        if not self.cfg.tls_cert:
            return None
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(self.cfg.tls_cert, self.cfg.tls_key)
        if self.cfg.tls_client_ca:
            ctx.load_verify_locations(self.cfg.tls_client_ca)
            ctx.verify_mode = ssl.CERT_REQUIRED
        return ctx

    # -- admission ------------------------------------------------------------------------
    def allowed(self, addr: str) -> bool:
        if not self.cfg.allow:
            return True
        try:
            ip = ipaddress.ip_address(addr)
        except ValueError:
            return False
        return any(ip in net for net in self.cfg.allow)

    def refuse(self, reason: str, source: str) -> None:
        self.counters[f"refused_{reason}"] += 1
        if (reason, source) not in self._warned and len(self._warned) < 10_000:
            self._warned.add((reason, source))
            log.warning("syslog: refused %s from %s (further ones are only counted)", reason, source)

    def accept(self, message: bytes, source: str, how: str = "UDP") -> bool:
        """One syslog message in; False when it was refused (the caller may slow down)."""
        size = len(message) - message.endswith(b"\n")  # without the newline that framed it
        if size > self.cfg.max_message:
            return self.oversize(message, size, source, how)
        if not self.has_room(source):
            self.refuse("backlog", source)
            return False
        line = message.decode("utf-8", "backslashreplace").rstrip("\r\n\x00")
        if not line:
            return True
        self.counters["lines"] += 1
        done = self.batcher.add(self._gateway_of(line) if line else source, line, time.time(), source)
        if done is not None:
            self._enqueue(done)
        return True

    def oversize(self, head: bytes, size: int, source: str, how: str, note: str = "") -> bool:
        """A message over `max_message` (`head`: its start): counted and logged as refused, and with
        `reject` queued as a dead letter with the reason and an excerpt. False when the backlog had no
        room for that (UDP only: TCP waits for room first), which is counted as `refused_backlog`."""
        self.refuse("oversize", source)
        if self.reject is None:
            return True
        if not self.has_room(source):
            self.refuse("backlog", source)
            return False
        gateway = GatewayOf(fallback=source)(head[:1024].decode("utf-8", "backslashreplace"))
        reason = (f"syslog message of {size} bytes ({how} from {source}) exceeds the limit of "
                  f"{self.cfg.max_message}; excerpt of {EXCERPT} kept{note}")
        self._enqueue(Rejected(gateway, source, head[:EXCERPT], reason))
        return True

    def has_room(self, source: str) -> bool:
        """Room in the Kafka backlog for this sender: a flooding sender cannot starve the others."""
        share = self.cfg.max_pending_batches * self.cfg.per_source_share
        return self._per_source[source] < share and not self._pending.full()

    def _enqueue(self, item: LineBatch | Rejected) -> None:
        self._per_source[item.source or ""] += 1
        self._pending.put_nowait(item)

    def backlog_of(self, source: str) -> int:
        return self._per_source[source]

    async def _linger(self) -> None:
        while True:
            await asyncio.sleep(self.batcher.linger_s)
            for b in self.batcher.due(time.time()):
                if self._pending.full():
                    await self._pending.put(b)  # bounded: wait rather than grow
                else:
                    self._enqueue(b)

    async def _drain(self) -> None:
        while True:
            item = await self._pending.get()
            delay = 0.5
            try:
                while True:  # Kafka trouble: keep the record and retry; the bounded queue makes senders wait
                    try:
                        if isinstance(item, Rejected):
                            assert self.reject is not None  # only queued with a reject
                            await self.reject(item.gateway, item.excerpt, item.reason)
                            self.counters["deadletters"] += 1
                        else:
                            await self.emit(item)
                            self.counters["batches"] += 1
                        break
                    except Exception as exc:
                        self.counters["produce_errors"] += 1
                        log.warning("syslog: producing a record failed (%s); backlog %d records, retrying in %.1fs",
                                    exc, self._pending.qsize(), delay)
                        await asyncio.sleep(delay)
                        delay = min(delay * 2, 10.0)
            finally:
                src = item.source or ""
                self._per_source[src] -= 1
                if self._per_source[src] <= 0:
                    del self._per_source[src]
                self._pending.task_done()

    # -- TCP ------------------------------------------------------------------------------
    async def _on_tcp(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        peer = writer.get_extra_info("peername")
        source = peer[0] if peer else "unknown"
        if not self.allowed(source):
            self.refuse("not_allowed", source)
            writer.close()
            return
        if self._connections >= self.cfg.max_connections:
            self.refuse("too_many_connections", source)
            writer.close()
            return
        self._connections += 1
        self._writers.add(writer)
        self.counters["connections"] += 1
        try:
            await self._read_frames(reader, source)
        except (ConnectionError, asyncio.IncompleteReadError, ssl.SSLError, asyncio.LimitOverrunError):
            pass
        finally:
            self._connections -= 1
            self._writers.discard(writer)
            writer.close()

    async def _read_frames(self, reader: asyncio.StreamReader, source: str) -> None:
        """Newline framing, or octet counting (`LEN SP MSG`) detected per frame by a leading digit.

        An oversize message is read past (never held whole: memory stays bounded) up to its end, so the
        next frame starts where it should; it becomes one dead letter with its size and its start. One
        the sender cut off by closing the connection is still one, saying so.
        """
        while True:
            first = await reader.read(1)
            if not first:
                return
            if first.isdigit():
                length_text = first + await reader.readuntil(b" ")
                try:
                    length = int(length_text[:-1])
                except ValueError:
                    self.refuse("bad_frame", source)
                    return
                if length > self.cfg.max_message:
                    head = await _read_upto(reader, min(length, 1024))
                    got = len(head) + await _skip(reader, length - len(head))
                    await self._room(source)
                    self.oversize(head, length, source, "TCP, octet counting",
                                  "" if got == length else f"; the connection closed after {got} bytes of it")
                    if got < length:
                        return
                    continue
                message = await reader.readexactly(length)
                how = "TCP, octet counting"
            else:
                how = "TCP"
                try:
                    message = first + await reader.readuntil(b"\n")
                except asyncio.LimitOverrunError as exc:  # no newline within the limit: the line is too long
                    head = first + await reader.readexactly(exc.consumed)  # at most the reader's limit
                    rest, ended = await _skip_line(reader)
                    await self._room(source)
                    self.oversize(head, len(head) + rest, source, how,
                                  "" if ended else "; the connection closed before its newline")
                    if not ended:
                        return
                    continue
                except asyncio.IncompleteReadError as exc:
                    message = first + exc.partial
                    if not exc.partial:
                        return
            await self._room(source)
            self.accept(message, source, how)

    async def _room(self, source: str) -> None:
        while not self.has_room(source):
            self.counters["tcp_paused"] += 1
            await asyncio.sleep(0.05)  # TCP backpressure: stop reading this sender


async def _read_upto(reader: asyncio.StreamReader, n: int) -> bytes:
    try:
        return await reader.readexactly(n)
    except asyncio.IncompleteReadError as exc:  # the connection closed first
        return exc.partial


async def _skip(reader: asyncio.StreamReader, n: int) -> int:
    """Read past `n` bytes; returns how many there were before the connection closed."""
    skipped = 0
    while skipped < n:
        chunk = await reader.read(min(n - skipped, 65536))
        if not chunk:
            break
        skipped += len(chunk)
    return skipped


async def _skip_line(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Read past the rest of an over-long line: (its bytes before the newline, whether a newline came)."""
    skipped = 0
    while True:
        try:
            return skipped + len(await reader.readuntil(b"\n")) - 1, True
        except asyncio.LimitOverrunError as exc:
            skipped += len(await reader.readexactly(exc.consumed))
        except asyncio.IncompleteReadError as exc:  # the connection closed first
            return skipped + len(exc.partial), False


class _Udp(asyncio.DatagramProtocol):
    def __init__(self, receiver: Receiver) -> None:
        self.receiver = receiver

    def datagram_received(self, data: bytes, addr: tuple[str | object, ...]) -> None:
        source = str(addr[0])
        if not self.receiver.allowed(source):
            self.receiver.refuse("not_allowed", source)
            return
        for message in data.split(b"\n") if b"\n" in data.rstrip(b"\n") else (data,):
            if message:
                self.receiver.accept(message, source, "UDP")  # UDP cannot push back: a refusal is a counted drop
