"""The same answer online and offline: the sample fleet through ingest -> Kafka -> worker ->
Elasticsearch gives the documents `tunnelsight diagnose` prints for the same files (same ids, classes).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from elasticsearch import Elasticsearch

from streams.cli import build_parser
from streams.commands.diagnose import diagnoses
from streams.config import Settings, Topics
from streams.correlate.engine import Engine
from streams.ingest.files import replay
from streams.ingest.kafka_out import make_producer, send_batch
from streams.local import LocalWorker, wait_until
from streams.topics import ensure_topics

SAMPLES = Path(__file__).resolve().parents[2] / "streams" / "samples" / "fleet"
YEAR = ["--year", "2026"]


def sample_files() -> list[str]:
    files = sorted(str(p) for p in SAMPLES.glob("*.log"))
    assert files, f"no sample fleet under {SAMPLES}"
    return files


def offline(files: list[str]) -> dict[str, str]:
    args = build_parser().parse_args(["diagnose", *YEAR, *files])
    return {d["tunnelsight"]["id"]: d["vpn"].get("failure", {}).get("class", "success")
            for d in diagnoses(args, Engine())}


def indexed(es: Elasticsearch, index: str) -> dict[str, str]:
    if not es.indices.exists(index=index):
        return {}
    es.indices.refresh(index=index)
    hits = es.search(index=index, size=10_000, source=["vpn.failure.class", "tunnelsight.id"],
                     query={"match_all": {}})["hits"]["hits"]
    return {h["_id"]: (h["_source"].get("vpn", {}).get("failure", {}) or {}).get("class", "success")
            for h in hits}


def run_stream(parts: list[list[str]], kafka: str, es_url: str, es: Elasticsearch, workdir: Path, prefix: str,
               expected: int, workers: int = 1,
               between: Callable[[list[LocalWorker]], None] | None = None) -> dict[str, str]:
    """Replay the parts one after the other (calling `between` after each but the last); wait for ES."""
    settings = Settings(kafka=kafka, es=es_url, topics=Topics(prefix=prefix), index_prefix=prefix, partitions=4)
    ensure_topics(settings)
    procs = [LocalWorker.configure(workdir / f"w{i}", kafka=kafka, es=es_url, prefix=prefix) for i in range(workers)]
    for w in procs:
        w.start()
    try:
        producer = make_producer(settings)
        for i, files in enumerate(parts):
            replay(files, lambda b: send_batch(producer, settings.topics.raw, b), opts={"year": 2026},
                   batch_lines=200, progress=False)
            producer.flush()
            if between is not None and i < len(parts) - 1:
                between(procs)
        producer.close()
        alias = f"{prefix}-diagnoses"
        ok = wait_until(lambda: len(indexed(es, alias)) >= expected, timeout=180, interval=2,
                        alive=lambda: any(w.alive() for w in procs))
        got = indexed(es, alias)
        assert ok, f"{len(got)} of {expected} diagnoses indexed; worker log:\n{procs[0].tail()}"
        return got
    finally:
        for w in procs:
            w.stop()


def test_stream_indexes_what_diagnose_prints(kafka_bootstrap: str, es_url: str, es_client: Elasticsearch,
                                             tmp_path: Path, unique_name: Callable[[str], str]) -> None:
    files = sample_files()
    expected = offline(files)
    assert any(c != "success" for c in expected.values()), "the sample fleet must contain failures"
    got = run_stream([files], kafka_bootstrap, es_url, es_client, tmp_path, unique_name("e2e"), len(expected))
    assert got == expected


def test_two_workers_and_a_rebalance_give_the_same_answer(kafka_bootstrap: str, es_url: str,
                                                          es_client: Elasticsearch, tmp_path: Path,
                                                          unique_name: Callable[[str], str]) -> None:
    files = sample_files()
    expected = offline(files)

    def rebalance(workers: list[LocalWorker]) -> None:
        time.sleep(5)  # let both workers consume part of the first half
        workers[1].stop()  # the survivor takes its partitions over, state from the changelog

    half = len(files) // 2
    got = run_stream([files[:half], files[half:]], kafka_bootstrap, es_url, es_client, tmp_path,
                     unique_name("rebalance"), len(expected), workers=2, between=rebalance)
    assert got == expected
