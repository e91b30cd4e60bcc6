"""End to end on the real servers: the stream against the offline engine and against a bare consumer.

One run, one machine, one input: N lines are replayed into the raw topic first; then
  offline   `tunnelsight diagnose`'s code on the same lines (the compute the stream cannot avoid),
  consume   a bare aiokafka consumer reading the same raw topic (the transport ceiling),
  stream    a worker started on the backlog: time from its first processed line until every diagnosis
            is indexed in Elasticsearch (and until every line is processed).
The same is repeated with one line per Kafka record, to show what batching buys, and with two workers.
"""

from __future__ import annotations

import asyncio
import os
import time
import urllib.request
from pathlib import Path
from typing import Any

from elasticsearch import Elasticsearch

from bench.load import lines_of, simulated
from bench.offline import diagnose_rate
from streams.config import Settings, Topics
from streams.ingest.files import replay
from streams.ingest.kafka_out import CheckedSends, make_producer
from streams.local import LocalWorker
from streams.metrics import parse_prometheus
from streams.topics import ensure_topics


def produce(path: Path, settings: Settings, batch_lines: int) -> tuple[int, int, float]:
    producer = make_producer(settings)
    send = CheckedSends(producer, settings.topics.raw)
    start = time.perf_counter()
    stats = replay([str(path)], send, opts={"year": 2026}, batch_lines=batch_lines, progress=False)
    producer.flush()
    producer.close()
    seconds = time.perf_counter() - start
    problem = send.shortfall()
    if problem:  # the stream would wait for lines that are not there: say why instead
        raise RuntimeError(f"{problem}: the input of {path.name} is incomplete")
    return stats.lines, stats.batches, seconds


async def _consume(settings: Settings, records: int) -> float:
    from aiokafka import AIOKafkaConsumer

    consumer = AIOKafkaConsumer(settings.topics.raw, bootstrap_servers=settings.kafka,
                                auto_offset_reset="earliest", enable_auto_commit=False,
                                group_id=None, max_partition_fetch_bytes=8 * 1024 * 1024)
    await consumer.start()
    seen = 0
    start = time.perf_counter()
    try:
        while seen < records:
            batch = await consumer.getmany(timeout_ms=1000, max_records=10_000)
            for msgs in batch.values():
                seen += len(msgs)
    finally:
        await consumer.stop()
    return time.perf_counter() - start


def bare_consume_seconds(settings: Settings, records: int) -> float:
    return asyncio.run(_consume(settings, records))


def _metrics(url: str) -> dict[str, float]:
    try:
        with urllib.request.urlopen(url, timeout=2) as resp:
            return parse_prometheus(resp.read().decode())
    except OSError:
        return {}


def _indexed(es: Elasticsearch, alias: str) -> int:
    try:
        es.indices.refresh(index=alias)
        return int(es.count(index=alias)["count"])
    except Exception:
        return 0


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its children still running (the engine process)."""
    total = 0.0
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    for p in [str(pid), *children]:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def stream_seconds(settings: Settings, workdir: Path, lines: int, expected_docs: int, es: Elasticsearch,
                   workers: int = 1, timeout: float = 1800.0, extra: dict[str, str] | None = None) -> dict[str, float]:
    """Start workers on a full raw topic; time first line -> all lines, and -> all diagnoses indexed."""
    procs = [LocalWorker.configure(workdir / f"w{i}", kafka=settings.kafka, es=settings.es,
                                   prefix=settings.topics.prefix, partitions=settings.partitions,
                                   extra={"TUNNELSIGHT_IDLE_FLUSH_S": "2", **(extra or {})})
             for i in range(workers)]
    for w in procs:
        w.start()
    alias = f"{settings.index_prefix}-diagnoses"
    first = lines_done = all_done = idle_until = None
    cpu: dict[int, float] = {}
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            if not any(w.alive() for w in procs):
                raise RuntimeError(f"worker died:\n{procs[0].tail()}")
            samples = [_metrics(w.metrics_url) for w in procs]
            cpu.update({w.proc.pid: _cpu_seconds(w.proc.pid) for w in procs if w.proc is not None})
            processed = sum(m.get("lines_total", 0) for m in samples)
            refused = sum(m.get("deadletters_total", 0) for m in samples)  # a refused document counts as done
            now = time.perf_counter()
            if processed == 0:
                idle_until = now
            elif first is None:  # the first line was processed after the last sample that saw none
                first = idle_until if idle_until is not None else now
            if lines_done is None and processed >= lines:
                lines_done = now
            if lines_done is not None and _indexed(es, alias) + refused >= expected_docs:
                all_done = now
                break
            time.sleep(0.2)
        if first is None or lines_done is None or all_done is None:
            raise RuntimeError(f"stream did not finish in {timeout}s:\n{procs[0].tail()}")
        # CPU of the worker processes (and their engine processes) from start to the last sample
        return {"lines_seconds": lines_done - first, "indexed_seconds": all_done - first,
                "worker_cpu_seconds": sum(cpu.values())}
    finally:
        for w in procs:
            w.stop()


def run(tiny: bool, kafka: str, es_url: str, workdir: Path) -> dict[str, Any]:
    path = simulated("e2e", gateways=6 if tiny else 300, peers=4 if tiny else 8,
                     duration="30m" if tiny else "6h", seed=11)
    raw_lines = lines_of(path)
    n = len(raw_lines)
    es = Elasticsearch(es_url)
    result: dict[str, Any] = {"lines": n}

    # offline: the same engine code, no Kafka
    offline_rate, offline_docs = diagnose_rate(raw_lines)
    result["offline_lines_per_s"] = round(offline_rate)

    # batched: the worker as shipped, parse + correlate in its engine process (set explicitly, so the row
    # means the same whatever the default); batched_in_process: everything in one process
    # (TUNNELSIGHT_ENGINE_PROCESS=0); the other runs use the default.
    engine = {"TUNNELSIGHT_ENGINE_PROCESS": "1"}
    in_process = {"TUNNELSIGHT_ENGINE_PROCESS": "0"}
    runs: list[tuple[str, int, int, dict[str, str]]] = [
        ("batched", 500, 1, engine), ("batched_in_process", 500, 1, in_process), ("two_workers", 500, 2, {}),
        ("one_line_per_record", 1, 1, {})]
    for name, batch_lines, workers, extra in runs:
        prefix = f"bench-{name.replace('_', '-')}-{int(time.time())}"
        settings = Settings(kafka=kafka, es=es_url, topics=Topics(prefix=prefix), index_prefix=prefix,
                            partitions=4)
        ensure_topics(settings)
        source = path
        if name == "one_line_per_record":  # slow by design: a slice is enough to show the rate
            source = workdir / "slice.log"
            source.write_bytes(b"".join(raw_lines[: min(n, 20_000 if tiny else 200_000)]))
        sent, records, produce_s = produce(source, settings, batch_lines)
        entry: dict[str, Any] = {"lines": sent, "records": records, "produce_lines_per_s": round(sent / produce_s)}
        expected = offline_docs if source == path else diagnose_rate(lines_of(source))[1]
        consume_s = bare_consume_seconds(settings, records)
        entry["bare_consume_lines_per_s"] = round(sent / consume_s)
        entry["bare_consume_records_per_s"] = round(records / consume_s)
        timing = stream_seconds(settings, workdir / name, sent, expected, es, workers=workers, extra=extra)
        entry["stream_lines_per_s"] = round(sent / timing["lines_seconds"])
        entry["stream_indexed_lines_per_s"] = round(sent / timing["indexed_seconds"])
        entry["stream_records_per_s"] = round(records / timing["lines_seconds"])
        entry["diagnoses"] = expected
        entry["worker_cpu_us_per_line"] = round(timing["worker_cpu_seconds"] / sent * 1e6, 2)
        entry["ratio_stream_to_offline"] = round(entry["stream_lines_per_s"] / offline_rate, 3)
        entry["ratio_stream_to_bare_consume"] = round(entry["stream_lines_per_s"] / entry["bare_consume_lines_per_s"], 3)
        result[name] = entry
    es.close()
    return result
