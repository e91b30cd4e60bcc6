"""Bad input on the real servers: 100,000 fuzzed lines mixed into a replay of the sample fleet, and a
syslog sender flooding the receiver while others keep being served.

Fuzzed lines are accounted for one by one (worker counters, dead letters) and change no diagnosis of
the real gateways; the stream still says what `tunnelsight diagnose` says about the same files.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
from elasticsearch import Elasticsearch

from schemas.events import Action
from streams.cli import build_parser
from streams.commands.common import events_from
from streams.commands.diagnose import diagnoses
from streams.correlate.engine import Engine
from streams.fuzz import write_mixed
from streams.local import LocalWorker
from streams.parse.context import DEFAULT_MAX_LINE
from streams.topics import ensure_topics
from tests.integration.reliability_kit import (
    assert_same_as_offline,
    deadletters,
    indexed,
    metrics,
    read_topic,
    sample_files,
    stream_settings,
    wait_for,
    workers,
)

FUZZ_LINES = 100_000
SEED = 7
YEAR = ["--year", "2026"]


def offline_docs(files: list[str]) -> list[dict[str, Any]]:
    args = build_parser().parse_args(["diagnose", *YEAR, *files])
    return list(diagnoses(args, Engine()))


def classes(docs: list[dict[str, Any]]) -> dict[str, str]:
    return {d["tunnelsight"]["id"]: str((d["vpn"].get("failure") or {}).get("class", "success")) for d in docs}


def hosts_of(doc: dict[str, Any]) -> set[str]:
    ends = (doc.get("vpn") or {}).get("tunnel", {}).get("ends") or []
    return {str(e.get("hostname")) for e in ends} | {str(doc.get("observer", {}).get("hostname"))}


def parse_counts(files: list[str]) -> Counter[str]:
    args = build_parser().parse_args(["diagnose", *YEAR, *files])
    return Counter(ev.action.value for ev in events_from(args))


def ingest_file(files: list[str], env: dict[str, str], timeout: float = 180) -> subprocess.CompletedProcess[str]:
    """`tunnelsight ingest file` as an operator runs it."""
    proc = subprocess.run([sys.executable, "-m", "streams.cli", "ingest", "file", *YEAR, "--no-progress", *files],
                          env=env, capture_output=True, text=True, timeout=timeout, check=False)
    assert proc.returncode == 0, f"ingest failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr[-3000:]}"
    return proc


def test_fuzzed_lines_mixed_into_a_replay_are_all_accounted_for(
        kafka_bootstrap: str, es_url: str, es_client: Elasticsearch, tmp_path: Path,
        unique_name: Callable[[str], str]) -> None:
    clean = sample_files()
    kinds = write_mixed(clean, tmp_path / "mixed", FUZZ_LINES, SEED)
    mixed = sorted(str(p) for p in (tmp_path / "mixed").glob("*.log"))
    assert sum(kinds.values()) == FUZZ_LINES and kinds["huge"] == 3

    # What offline says: the junk changes nothing about the real gateways.
    clean_docs, mixed_docs = offline_docs(clean), offline_docs(mixed)
    real_hosts = {str(d["observer"].get("hostname")) for d in clean_docs}
    want_clean, want_mixed = classes(clean_docs), classes(mixed_docs)
    assert {k: want_mixed.get(k) for k in want_clean} == want_clean
    strays = [hosts_of(d) for d in mixed_docs if d["tunnelsight"]["id"] not in want_clean
              and hosts_of(d) & real_hosts]
    assert not strays, f"fuzzed lines made diagnoses about real gateways: {strays[:3]}"

    counts = parse_counts(mixed)
    total = sum(counts.values())
    huge = sum(1 for f in mixed for line in Path(f).read_bytes().splitlines() if len(line) > DEFAULT_MAX_LINE)
    assert huge == kinds["huge"]

    prefix = unique_name("fuzz")
    settings = stream_settings(kafka_bootstrap, es_url, prefix)
    ensure_topics(settings)
    # Idle flush far away: this replay ends with flush records, and a slow machine must not close a
    # gateway's episodes on the wall clock between its last line and its flush record.
    worker = LocalWorker.configure(tmp_path / "w", kafka=kafka_bootstrap, es=es_url, prefix=prefix,
                                   extra={"TUNNELSIGHT_IDLE_FLUSH_S": "600"})
    started = time.monotonic()
    with workers(worker) as running:
        out = ingest_file(mixed, worker.env)
        assert f"; {huge} over-long lines to {settings.topics.deadletter}" in out.stdout, out.stdout
        alias = f"{prefix}-diagnoses"

        def refused() -> float:  # documents Elasticsearch refused: dead letters that are not lines
            m = metrics(worker)
            return m.get("deadletters_total", 0) - m.get("parse_errors_total", 0) - m.get("lines_too_late_total", 0)

        wait_for(f"{len(want_mixed)} diagnoses indexed or refused", lambda: metrics(worker).get(
            "lines_total", 0) >= total - huge and len(indexed(es_client, alias).ids) + refused() >= len(want_mixed),
                 180, running, interval=2,
                 state=lambda: f"{len(indexed(es_client, alias).ids)} indexed, {refused()} refused")
        seen = metrics(worker)
        got = indexed(es_client, alias)

    # Every line accounted for: in a raw record or dead-lettered at ingest; then each one parsed,
    # unrecognized (counted) or a dead letter with its reason.
    assert seen["lines_total"] == total - huge
    assert seen["parse_errors_total"] == counts[Action.PARSE_ERROR.value] - huge
    assert seen["unrecognized_total"] == counts[Action.UNRECOGNIZED.value]
    dead = deadletters(kafka_bootstrap, prefix)
    stages = Counter(d["tunnelsight"]["deadletter"]["stage"] for d in dead)
    assert stages["parse"] == seen["parse_errors_total"] and stages["ingest"] == huge, stages
    assert stages["correlate"] == seen.get("lines_too_late_total", 0), stages
    for d in dead:
        assert d["error"]["message"], d
        if d["tunnelsight"]["deadletter"]["stage"] == "ingest":
            assert "exceeds the limit" in d["error"]["message"]
            assert len(d["event"]["original"]) <= 4 * 256  # an excerpt (backslash-escaped bytes), not 1 MB
        else:
            assert len(d["event"]["original"]) <= 4 * DEFAULT_MAX_LINE

    # Every diagnosis offline has is indexed, or was refused by Elasticsearch (junk in a typed field, e.g.
    # `remip=198.51.100.7<ESC>[2J` in an ip field) and is a dead letter with Elasticsearch's reason.
    sink: dict[str, str] = {}
    for d in dead:
        if d["tunnelsight"]["deadletter"]["stage"] != "sink":
            continue
        assert d["error"]["message"].startswith("400 "), d["error"]  # a mapping refusal, not an outage
        original = orjson.loads(d["event"]["original"])
        if original.get("event", {}).get("dataset") == "tunnelsight.diagnosis":
            sink[original["tunnelsight"]["id"]] = d["error"]["message"]
        assert not hosts_of(original) & real_hosts, f"a real gateway's document was refused: {d}"
    assert_same_as_offline(got, {k: v for k, v in want_mixed.items() if k not in sink})
    print(f"\nfuzz: {FUZZ_LINES} fuzzed + {total - FUZZ_LINES} real lines, {dict(kinds)}; {dict(stages)} "
          f"dead letters; stream done in {time.monotonic() - started:.0f}s")


# -- a flooding syslog sender ------------------------------------------------------------------------------
def _rss_mib() -> float:
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def test_syslog_flood_from_one_source_is_bounded_and_others_are_served(
        kafka_bootstrap: str, unique_name: Callable[[str], str]) -> None:
    """One sender floods over TCP and UDP; a real Kafka producer (slowed down) drains the bounded backlog.
    The flooder is paused (TCP) and dropped (UDP, counted) at its share of the backlog, memory stays
    bounded, and a second sender (another loopback address) gets every one of its lines through."""
    from aiokafka import AIOKafkaProducer

    from streams.batch import LineBatch
    from streams.ingest.syslog import Receiver, ReceiverConfig

    prefix = unique_name("flood")
    settings = stream_settings(kafka_bootstrap, "http://unused", prefix, partitions=2)
    ensure_topics(settings)
    quiet_lines, max_pending = 300, 20

    async def run() -> dict[str, Any]:
        producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap, acks="all", linger_ms=5,
                                    max_request_size=4 * 1024 * 1024, enable_idempotence=True)
        await producer.start()

        async def emit(batch: LineBatch) -> None:
            await asyncio.sleep(0.01)  # a slow Kafka: the backlog fills up and must stay bounded
            await producer.send_and_wait(settings.topics.raw, batch.encode(), key=batch.gateway.encode())

        cfg = ReceiverConfig(host="127.0.0.1", udp_port=0, tcp_port=0, max_pending_batches=max_pending,
                             per_source_share=0.5)
        receiver = Receiver(cfg, emit, batch_lines=20, linger_s=0.005)
        await receiver.start()
        seen: dict[str, Any] = {"backlog": 0, "rss_before": _rss_mib(), "rss_peak": 0.0, "written": 0}
        stop = asyncio.Event()

        async def flood_tcp() -> None:
            _, writer = await asyncio.open_connection("127.0.0.1", receiver.bound["tcp"])
            chunk = b"".join(f"<30>Feb  5 00:00:01 flood-gw acme[1]: flood {k:06d}\n".encode() for k in range(200))
            while not stop.is_set():
                writer.write(chunk)
                try:
                    await asyncio.wait_for(writer.drain(), timeout=0.5)
                except TimeoutError:
                    continue  # the receiver stopped reading us: that is the point
                seen["written"] += 200
            writer.transport.abort()

        def flood_udp() -> None:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                for i in range(5000):
                    s.sendto(f"<30>Feb  5 00:00:01 flood-gw acme[1]: udp {i}".encode(),
                             ("127.0.0.1", receiver.bound["udp"]))

        async def quiet_sender() -> None:
            # 127.0.0.2 is loopback too: another source address, with its own share of the backlog.
            _, writer = await asyncio.open_connection("127.0.0.1", receiver.bound["tcp"],
                                                      local_addr=("127.0.0.2", 0))
            for i in range(quiet_lines):
                writer.write(f"<30>Feb  5 00:00:02 quiet-gw charon[2]: line {i}\n".encode())
                await writer.drain()
                await asyncio.sleep(0.005)
            writer.close()

        async def watch() -> None:
            while not stop.is_set():
                seen["backlog"] = max(seen["backlog"], receiver._pending.qsize())  # the bound under test
                seen["rss_peak"] = max(seen["rss_peak"], _rss_mib())
                await asyncio.sleep(0.01)

        flood = asyncio.create_task(flood_tcp())
        watcher = asyncio.create_task(watch())
        await asyncio.sleep(1.0)
        await asyncio.to_thread(flood_udp)
        await asyncio.wait_for(quiet_sender(), timeout=60)
        await asyncio.sleep(1.0)
        stop.set()
        await asyncio.wait_for(flood, timeout=30)
        await watcher
        await asyncio.wait_for(receiver.stop(), timeout=60)
        await producer.stop()
        seen["counters"] = dict(receiver.counters)
        return seen

    seen = asyncio.run(asyncio.wait_for(run(), timeout=120))
    counters = seen["counters"]
    assert seen["backlog"] <= max_pending, "the Kafka backlog outgrew its bound"
    assert counters.get("tcp_paused", 0) > 0, "the TCP flooder was never paused"
    assert counters.get("refused_backlog", 0) > 0, "UDP excess over the share was not refused and counted"
    assert seen["rss_peak"] - seen["rss_before"] < 64, f"memory grew by {seen['rss_peak'] - seen['rss_before']:.0f} MiB"

    lines: Counter[str] = Counter()
    for value in read_topic(kafka_bootstrap, settings.topics.raw, timeout_s=2):
        batch = orjson.loads(value)
        lines[batch["gw"]] += len(batch["lines"])
    assert lines["quiet-gw"] == quiet_lines, lines
    assert lines["flood-gw"] > 0
    assert counters["lines"] == sum(lines.values()), (counters, lines)
    print(f"\nflood: flooder wrote {seen['written']} lines, {lines['flood-gw']} accepted; "
          f"UDP refused {counters['refused_backlog']}; backlog peak {seen['backlog']}; "
          f"RSS +{seen['rss_peak'] - seen['rss_before']:.1f} MiB")


# -- syslog messages over --max-message --------------------------------------------------------------------
def test_oversize_syslog_messages_are_dead_letters_and_the_connections_go_on(
        kafka_bootstrap: str, unique_name: Callable[[str], str], tmp_path: Path) -> None:
    """`tunnelsight ingest syslog --max-message 1024` as an operator runs it: a message over the limit in
    each framing (TCP newline, TCP octet counting, UDP) is one dead letter (stage `ingest`, `error.type`
    `oversize`, its size, a 256-byte excerpt), still counted as `refused_oversize`; the messages around
    it on the same connection arrive whole in the raw topic."""
    import select
    import signal

    from schemas.catalogue import validate

    prefix = unique_name("oversize")
    settings = stream_settings(kafka_bootstrap, "http://unused", prefix, partitions=2)
    env = {**os.environ, "TUNNELSIGHT_KAFKA": kafka_bootstrap, "TUNNELSIGHT_TOPIC_PREFIX": prefix}
    log = tmp_path / "syslog.log"
    with log.open("wb") as err:
        proc = subprocess.Popen([sys.executable, "-m", "streams.cli", "ingest", "syslog", "--udp-port", "0",
                                 "--tcp-port", "0", "--max-message", "1024"], env=env, stdout=subprocess.PIPE,
                                stderr=err, stdin=subprocess.DEVNULL)
    try:
        assert proc.stdout is not None
        ready, _, _ = select.select([proc.stdout], [], [], 60)
        listening = proc.stdout.readline().decode() if ready else ""
        assert listening.startswith("listening on"), f"{listening!r}\n{log.read_text()}"
        ports = dict(orjson.loads(listening.split(" ", 3)[3].replace("'", '"')))

        big = b"<30>Feb  5 21:29:53 gw-big charon[1]: 14[IKE] " + b"x" * 5000
        line = [f"<30>Feb  5 21:29:5{i} gw-ok charon[2]: 14[IKE] <c|1> line {i}" for i in range(6)]
        with socket.create_connection(("127.0.0.1", ports["tcp"])) as s:  # newline framing
            s.sendall(f"{line[0]}\n".encode() + big + f"\n{line[1]}\n".encode())
        with socket.create_connection(("127.0.0.1", ports["tcp"])) as s:  # octet counting, then newline
            s.sendall(f"{len(line[2])} {line[2]}{len(big)} ".encode() + big
                      + f"{len(line[3])} {line[3]}{line[4]}\n".encode())
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.sendto(line[5].encode(), ("127.0.0.1", ports["udp"]))
            s.sendto(big[:2000], ("127.0.0.1", ports["udp"]))

        def raw_lines() -> list[str]:
            return [ln for v in read_topic(kafka_bootstrap, settings.topics.raw, timeout_s=1)
                    for ln in orjson.loads(v)["lines"]]

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and (len(deadletters(kafka_bootstrap, prefix)) < 3
                                               or len(raw_lines()) < len(line)):
            assert proc.poll() is None, log.read_text()
            time.sleep(0.5)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0, log.read_text()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()

    assert sorted(raw_lines()) == sorted(line)
    # One per framing, in no particular order (UDP and the two connections are read concurrently).
    dead = sorted(deadletters(kafka_bootstrap, prefix), key=lambda d: str(d["error"]["message"]))
    assert [d["error"]["message"].split(" (")[0] for d in dead] == [
        f"syslog message of {n} bytes" for n in (2000, len(big), len(big))], dead
    for d, how in zip(dead, ("UDP", "TCP", "TCP, octet counting"), strict=True):
        assert validate(d, "deadletter") == [], d
        assert d["tunnelsight"]["deadletter"] == {"stage": "ingest", "topic": settings.topics.raw, "kind": "line"}
        assert d["error"]["type"] == "oversize" and d["observer"]["hostname"] == "gw-big"
        assert d["event"]["original"] == big[:256].decode()
        assert f"({how} from 127.0.0.1) exceeds the limit of 1024; excerpt of 256 kept" in d["error"]["message"]
    stderr = log.read_text()
    assert "refused oversize from 127.0.0.1" in stderr  # the log line, once
    assert "'refused_oversize': 3" in stderr and "'deadletters': 3" in stderr, stderr
