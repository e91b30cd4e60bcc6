"""The demo: the whole pipeline on real servers with the built-in sample fleet.

Kafka and Elasticsearch (started here, found running, or given by TUNNELSIGHT_KAFKA/_ES) -> topics and
index templates -> a worker -> `ingest file` replay of streams/samples/fleet -> wait until every
diagnosis `tunnelsight diagnose` finds in the same files is indexed -> a summary and where to look.

Topics are fresh per run (`tunnelsight-demo-<run>`), so no state of an earlier run leaks in; indices use
the standard `tunnelsight` names so Kibana's saved objects and `tunnelsight report` work on them, and a
second run indexes the same documents under the same ids (nothing duplicates).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from streams.config import Settings, Topics

YEAR = 2026  # the sample fleet was simulated in February 2026 and prints no year
INDEX_PREFIX = "tunnelsight"
Say = Callable[[str], None]


def offline_ids(files: list[Path]) -> dict[str, str]:
    """What `tunnelsight diagnose --year 2026 FILES` prints: id -> class (or 'success')."""
    from streams.cli import build_parser
    from streams.commands.diagnose import diagnoses
    from streams.correlate.engine import Engine

    args = build_parser().parse_args(["diagnose", "--year", str(YEAR), *map(str, files)])
    return {d["tunnelsight"]["id"]: d["vpn"].get("failure", {}).get("class", "success")
            for d in diagnoses(args, Engine())}


def indexed_ids(es: Any, alias: str, ids: list[str]) -> set[str]:
    try:
        es.indices.refresh(index=alias)
        hits = es.search(index=alias, size=len(ids), query={"ids": {"values": ids}}, source=False)
    except Exception:  # alias not there yet
        return set()
    return {h["_id"] for h in hits["hits"]["hits"]}


def summary(es: Any, alias: str, ids: list[str]) -> dict[str, list[tuple[str, int]]]:
    query = {"bool": {"filter": [{"ids": {"values": ids}}, {"term": {"event.outcome": "failure"}}]}}
    aggs = {
        "class": {"terms": {"field": "vpn.failure.class", "size": 30}},
        "peer": {"terms": {"field": "vpn.remote.ip", "size": 10}},
        "gateway": {"terms": {"field": "observer.hostname", "size": 20}},
        "vendor": {"terms": {"field": "observer.vendor", "size": 20}},
    }
    resp = es.search(index=alias, size=0, query=query, aggs=aggs)
    return {name: [(str(b["key"]), int(b["doc_count"])) for b in resp["aggregations"][name]["buckets"]]
            for name in aggs}


def run_demo(files: list[Path], keep: bool, workdir: Path, say: Say = print, timeout: float = 300.0) -> bool:
    from infra import dev
    from infra.elasticsearch import client
    from streams.ingest.files import replay
    from streams.ingest.kafka_out import RawSender, make_producer
    from streams.local import LocalWorker, wait_until
    from streams.topics import ensure_topics

    started: list[str] = []
    worker: LocalWorker | None = None
    try:
        endpoints = {}
        for name in dev.SERVERS:
            say(f"{name}: starting or finding a server ...")
            endpoints[name] = dev.up(name)
            if endpoints[name].source == "started":
                started.append(name)
            say(f"{name}: {endpoints[name].address} ({endpoints[name].source})")
        kafka, es_url = endpoints["kafka"].address, endpoints["elasticsearch"].address

        run_id = time.strftime("%Y%m%d%H%M%S")
        prefix = f"tunnelsight-demo-{run_id}"
        settings = Settings(kafka=kafka, es=es_url, topics=Topics(prefix=prefix), index_prefix=INDEX_PREFIX)
        ensure_topics(settings)
        inventory = Path(__file__).resolve().parents[1] / "enrichers" / "samples" / "inventory.yaml"
        worker = LocalWorker.configure(workdir / run_id, kafka=kafka, es=es_url, prefix=prefix, extra={
            "TUNNELSIGHT_INDEX_PREFIX": INDEX_PREFIX, "TUNNELSIGHT_INVENTORY": str(inventory)})
        worker.start()
        say(f"worker: started (log {worker.log}, metrics {worker.metrics_url})")

        expected = offline_ids(files)
        lines = sum(1 for f in files for _ in f.open("rb"))
        sender = RawSender(make_producer(settings), settings)  # what `ingest file` sends with
        try:
            stats = replay([str(f) for f in files], sender.batch, opts={"year": YEAR}, progress=False)
        finally:
            sender.flush()
            sender.producer.close()
        problem = sender.shortfall()
        if problem:  # waiting for diagnoses of lines Kafka never took would only time out, later
            say(f"ingest: {problem}; the demo stops here")
            return False
        say(f"ingest: {stats.lines} lines from {len(files)} gateway logs -> {settings.topics.raw} "
            f"({stats.batches} records)")

        alias = f"{INDEX_PREFIX}-diagnoses"
        ids = sorted(expected)
        began = time.monotonic()
        with client(es_url) as es:
            ok = wait_until(lambda: len(indexed_ids(es, alias, ids)) == len(ids), timeout, interval=1.0,
                            alive=worker.alive)
            got = indexed_ids(es, alias, ids)
            if not ok:
                say(f"\nonly {len(got)} of {len(ids)} diagnoses indexed after {timeout:.0f}s; worker log tail:\n"
                    f"{worker.tail()}")
                return False
            failures = sum(1 for c in expected.values() if c != "success")
            say(f"\n{len(ids)} diagnoses indexed in {time.monotonic() - began:.1f}s "
                f"({failures} failures, {len(ids) - failures} established SAs) from {lines} lines; "
                f"the same ids and classes `tunnelsight diagnose` prints for these files.")
            _print_summary(summary(es, alias, ids), say)
            incidents = es.count(index=f"{INDEX_PREFIX}-incidents")["count"]
            say(f"\nfleet incidents: {incidents}")
        _where_to_look(es_url, files, say)
        return True
    finally:
        if worker is not None:
            worker.stop()
        if keep:
            if started:
                say("\nservers left running: `make infra-down` stops them")
        else:
            for name in reversed(started):
                dev.down(name)
                say(f"{name}: stopped (make demo KEEP=1 leaves it running)")


def _print_summary(s: dict[str, list[tuple[str, int]]], say: Say) -> None:
    titles = {"class": "failures by class", "peer": "top failing peers", "gateway": "failures by gateway",
              "vendor": "failures by vendor"}
    for key, title in titles.items():
        say(f"\n{title}:")
        for name, count in s[key]:
            say(f"  {count:>4}  {name}")


def _where_to_look(es_url: str, files: list[Path], say: Say) -> None:
    sample = files[0] if files else Path("FILE")
    say("\nwhere to look:")
    say(f"  curl -s '{es_url}/tunnelsight-diagnoses/_search?q=event.outcome:failure&size=3&pretty'")
    say(f"  curl -s '{es_url}/tunnelsight-tunnels/_search?q=tunnelsight.tunnel.status:down&pretty'")
    say(f"  tunnelsight report --es {es_url} --since 3650d          # failures by class, peer, gateway, day")
    say(f"  tunnelsight diagnose --format text --year {YEAR} {sample}   # the same engine, offline")
    say("  tunnelsight kibana import --url http://KIBANA:5601       # dashboards (run with make demo KEEP=1)")
