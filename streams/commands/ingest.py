"""`tunnelsight ingest file|syslog`: get lines into the raw topic, batched per gateway."""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import logging
import signal
from typing import Any

from streams.commands.common import fail
from streams.config import Settings
from streams.inputs import InputError


def register(sub: Any) -> None:
    p = sub.add_parser("ingest", help="send log lines to the raw Kafka topic")
    isub = p.add_subparsers(dest="source", metavar="SOURCE", required=True)

    f = isub.add_parser("file", help="replay files (gzip too) into the raw topic")
    f.add_argument("files", nargs="+", metavar="PATH")
    f.add_argument("--rate", type=float, help="lines per second (default: as fast as possible)")
    f.add_argument("--follow", action="store_true", help="keep reading a growing file, like tail -f")
    f.add_argument("--vendor", help="force a dialect when the worker parses these lines")
    f.add_argument("--year", type=int, help="year of the first line when the log prints none")
    f.add_argument("--tz", help="time zone of timestamps that print none")
    f.add_argument("--no-progress", action="store_true")
    f.set_defaults(func=run_file)

    s = isub.add_parser("syslog", help="receive syslog on UDP and TCP (optionally TLS)")
    s.add_argument("--host", default="127.0.0.1", help="address to bind (default loopback only)")
    s.add_argument("--udp-port", type=int, default=5514, help="0 = any free port, -1 = off")
    s.add_argument("--tcp-port", type=int, default=5514, help="0 = any free port, -1 = off")
    s.add_argument("--allow", action="append", default=[], metavar="NET",
                   help="sender network allowed (repeatable); default: anyone who reaches the port")
    s.add_argument("--max-message", type=int, default=64 * 1024,
                   help="bytes per message; a longer one is a dead letter with an excerpt (default 64 KiB)")
    s.add_argument("--max-connections", type=int, default=256)
    s.add_argument("--tls-cert", help="serve TCP as TLS (RFC 5425) with this certificate")
    s.add_argument("--tls-key")
    s.add_argument("--tls-client-ca", help="require client certificates signed by this CA")
    s.set_defaults(func=run_syslog)


def oversize_deadletter(settings: Settings, gateway: str, excerpt: bytes, reason: str) -> dict[str, Any]:
    """An over-long line or syslog message: a dead letter (stage `ingest`, `error.type` `oversize`) with the
    reason and an excerpt, never a raw record."""
    import time

    from schemas.events import iso
    from schemas.indices import deadletter_doc

    return deadletter_doc("ingest", reason, excerpt, timestamp=iso(time.time()) or "", hostname=gateway,
                          topic=settings.topics.raw, kind="line", error_type="oversize")


def run_file(args: argparse.Namespace) -> int:
    from streams.ingest.files import replay
    from streams.ingest.kafka_out import RawSender, make_producer
    from streams.topics import ensure_topics

    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("kafka").setLevel(logging.CRITICAL)  # one line per reconnect attempt; RawSender says it once
    settings = Settings.from_env()
    ensure_topics(settings)
    sender = RawSender(make_producer(settings), settings)
    opts = {k: v for k, v in (("year", args.year), ("tz", args.tz), ("vendor", args.vendor)) if v}

    def reject(gateway: str, excerpt: bytes, reason: str) -> None:
        sender.deadletter(gateway, oversize_deadletter(settings, gateway, excerpt, reason))

    try:
        stats = replay(args.files, sender.batch, rate=args.rate, follow=args.follow, opts=opts,
                       batch_lines=settings.batch_lines, batch_bytes=settings.batch_bytes,
                       progress=False if args.no_progress else None, reject=reject)
    except InputError as exc:
        sender.flush()
        return fail(str(exc))
    finally:
        sender.flush()
        sender.producer.close()
    rejected = f"; {stats.rejected} over-long lines to {settings.topics.deadletter}" if stats.rejected else ""
    print(f"sent {stats.lines} lines in {stats.batches} records to {settings.topics.raw}{rejected}")
    problem = sender.shortfall()
    if problem:
        return fail(f"{problem}: replay again")
    return 0


def run_syslog(args: argparse.Namespace) -> int:
    import orjson
    from aiokafka import AIOKafkaProducer

    from streams.batch import LineBatch
    from streams.ingest.syslog import Receiver, ReceiverConfig
    from streams.topics import ensure_topics

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = Settings.from_env()
    try:
        allow = [ipaddress.ip_network(n, strict=False) for n in args.allow]
    except ValueError as exc:
        return fail(f"bad --allow network: {exc}")
    cfg = ReceiverConfig(
        host=args.host, udp_port=None if args.udp_port < 0 else args.udp_port,
        tcp_port=None if args.tcp_port < 0 else args.tcp_port, max_message=args.max_message,
        max_connections=args.max_connections, allow=allow, tls_cert=args.tls_cert, tls_key=args.tls_key,
        tls_client_ca=args.tls_client_ca)
    ensure_topics(settings)

    async def main() -> None:
        producer = AIOKafkaProducer(bootstrap_servers=settings.kafka, acks="all", linger_ms=5,
                                    max_request_size=4 * 1024 * 1024, enable_idempotence=True)
        await producer.start()

        async def emit(batch: LineBatch) -> None:
            await producer.send_and_wait(settings.topics.raw, batch.encode(), key=batch.gateway.encode())

        async def reject(gateway: str, excerpt: bytes, reason: str) -> None:
            """A message over --max-message: a dead letter with the reason and an excerpt."""
            doc = oversize_deadletter(settings, gateway, excerpt, reason)
            await producer.send_and_wait(settings.topics.deadletter, orjson.dumps(doc), key=gateway.encode())

        receiver = Receiver(cfg, emit, settings.batch_lines, settings.batch_bytes,
                            settings.batch_linger_ms / 1000, reject=reject)
        await receiver.start()
        print(f"listening on {cfg.host} {receiver.bound}", flush=True)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        while not stop.is_set():
            try:
                await asyncio.wait_for(stop.wait(), timeout=10)
            except TimeoutError:
                logging.getLogger("streams.ingest").info("counters %s", dict(receiver.counters))
        await receiver.stop()
        await producer.stop()
        logging.getLogger("streams.ingest").info("stopped; counters %s", dict(receiver.counters))

    asyncio.run(main())
    return 0
