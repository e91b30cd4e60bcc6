"""State per open SA (serialised size, resident memory) and a worker's recovery time from its changelog."""

from __future__ import annotations

import gc
import resource
import shutil
import time
import tracemalloc
import urllib.request
from pathlib import Path
from typing import Any

from streams.config import Settings, Topics
from streams.correlate.engine import CONTEXT, Engine
from streams.ingest.files import replay
from streams.ingest.kafka_out import make_producer, send_batch
from streams.local import LocalWorker
from streams.metrics import parse_prometheus
from streams.parse import ParseContext, parse_line
from streams.topics import ensure_topics


def open_sa_lines(n: int, gateways: int = 10) -> list[str]:
    """`n` IKE SAs that start and never finish, all in one second so none times out."""
    out = []
    for i in range(n):
        gw = f"gw-{i % gateways:02d}"
        peer = f"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}"
        out.append(f"Feb  5 10:00:00 {gw} charon[812]: 07[IKE] <peer-{i}|{i + 1}> initiating IKE_SA "
                   f"peer-{i}[{i + 1}] to {peer}")
    return out


def rss_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def memory_per_sa(n: int) -> dict[str, Any]:
    lines = open_sa_lines(n)
    ctx = ParseContext(year=2026)
    events = [parse_line(x, ctx) for x in lines]
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    store: dict[str, bytes] = {}
    engine = Engine(store=store)
    for i in range(0, n, 5000):
        engine.feed(events[i:i + 5000])
    gc.collect()
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    heap = sum(s.size_diff for s in after.compare_to(before, "filename"))
    sas = {k: v for k, v in store.items() if not k.startswith(CONTEXT)}
    contexts = [v for k, v in store.items() if k.startswith(CONTEXT)]  # one per gateway
    serialised = sum(len(v) for v in sas.values())
    return {"open_sas": len(sas), "serialised_bytes_per_sa": round(serialised / max(1, len(sas)), 1),
            "gateway_context_bytes": round(sum(map(len, contexts)) / max(1, len(contexts)), 1),
            "engine_heap_bytes_per_sa": round(heap / max(1, len(sas)), 1),
            "note": "heap = Python objects the engine holds in memory (tracemalloc), incl. the key index"}


def _episodes_open(url: str) -> float:
    try:
        with urllib.request.urlopen(url, timeout=2) as resp:
            return parse_prometheus(resp.read().decode()).get("episodes_open", 0)
    except OSError:
        return -1


def recovery_seconds(n: int, kafka: str, es: str, workdir: Path) -> dict[str, Any]:
    prefix = f"bench-recovery-{int(time.time())}"
    settings = Settings(kafka=kafka, es=es, topics=Topics(prefix=prefix), index_prefix=prefix, partitions=4)
    ensure_topics(settings)
    workdir.mkdir(parents=True, exist_ok=True)
    src = workdir / "open-sas.log"
    src.write_text("\n".join(open_sa_lines(n)) + "\n")
    producer = make_producer(settings)
    replay([str(src)], lambda b: send_batch(producer, settings.topics.raw, b), opts={"year": 2026},
           progress=False, flush_at_end=False)
    producer.flush()
    producer.close()
    worker = LocalWorker.configure(workdir / "w", kafka=kafka, es=es, prefix=prefix,
                                   extra={"TUNNELSIGHT_IDLE_FLUSH_S": "3600"})
    worker.start()
    deadline = time.monotonic() + 600
    while _episodes_open(worker.metrics_url) < n and time.monotonic() < deadline:
        time.sleep(0.5)
    worker.stop()
    shutil.rmtree(workdir / "w" / "data", ignore_errors=True)  # local RocksDB gone: only the changelog remains
    worker.start()
    start = time.perf_counter()
    # One new line: the worker rebuilds its engines when it processes its first record after recovery.
    producer = make_producer(settings)
    nudge = open_sa_lines(1, gateways=1)[0].replace("gw-00", "gw-nudge").replace("10.0.0.0", "10.255.255.255")
    replay_lines = workdir / "nudge.log"
    replay_lines.write_text(nudge + "\n")
    replay([str(replay_lines)], lambda b: send_batch(producer, settings.topics.raw, b), opts={"year": 2026},
           progress=False, flush_at_end=False)
    producer.flush()
    producer.close()
    while _episodes_open(worker.metrics_url) < n and time.monotonic() < deadline + 600:
        time.sleep(0.2)
    seconds = time.perf_counter() - start
    worker.stop()
    return {"open_sas": n, "recovery_seconds_incl_worker_start": round(seconds, 2),
            "note": "from worker start (local state deleted) until its engines hold every SA again"}


def run(tiny: bool, kafka: str | None, es: str | None, workdir: Path) -> dict[str, Any]:
    n = 5_000 if tiny else 100_000
    result: dict[str, Any] = {"memory": memory_per_sa(n), "rss_kib_max": rss_kib()}
    if kafka and es:
        result["recovery"] = recovery_seconds(2_000 if tiny else 100_000, kafka, es, workdir)
    return result
