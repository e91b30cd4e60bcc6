"""The demo and the end-to-end benchmark check that Kafka took every record they sent, as `ingest file`
does: a broker that refuses records (here a raw topic whose `max.message.bytes` is smaller than a batch of
lines) makes them stop with what Kafka did not take and why, instead of waiting for diagnoses of lines
that never arrived."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from kafka.admin import KafkaAdminClient, NewTopic

from streams.config import Settings, Topics
from streams.samples import SAMPLE_FLEET

SMALL = "2000"  # bytes per record batch the raw topic accepts: a flush record fits, a batch of lines does not


def _small_raw_topic(settings: Settings) -> None:
    with KafkaAdminClient(bootstrap_servers=settings.kafka) as admin:
        admin.create_topics([NewTopic(settings.topics.raw, settings.partitions, 1,
                                      topic_configs={"max.message.bytes": SMALL})])
        admin.wait_for_topics([settings.topics.raw], timeout_ms=10_000)


def test_the_benchmark_stops_when_kafka_did_not_take_every_record(
        kafka_bootstrap: str, unique_name: Callable[[str], str]) -> None:
    from bench.e2e import produce

    settings = Settings(kafka=kafka_bootstrap, topics=Topics(prefix=unique_name("bench")), partitions=1)
    _small_raw_topic(settings)
    # One record of lines (38 KB: a producer batch of its own) and one flush record.
    with pytest.raises(RuntimeError, match=r"^Kafka did not take [12] of 2 records \(.*MessageSizeTooLargeError.*\): "
                                           r"the input of fgt-ams-01.log is incomplete$"):
        produce(SAMPLE_FLEET / "fgt-ams-01.log", settings, batch_lines=500)


def test_the_demo_stops_when_kafka_did_not_take_every_record(
        kafka_bootstrap: str, es_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import streams.topics
    from streams.demo import run_demo

    monkeypatch.setenv("TUNNELSIGHT_KAFKA", kafka_bootstrap)
    monkeypatch.setenv("TUNNELSIGHT_ES", es_url)
    ensure_topics = streams.topics.ensure_topics

    def with_a_small_raw_topic(settings: Settings) -> list[str]:  # the demo names its topics per run
        _small_raw_topic(settings)
        return ensure_topics(settings)

    monkeypatch.setattr(streams.topics, "ensure_topics", with_a_small_raw_topic)
    said: list[str] = []
    files = sorted(SAMPLE_FLEET.glob("*.log"))
    assert run_demo(files, keep=True, workdir=tmp_path, say=said.append, timeout=30) is False
    stop = [s for s in said if s.startswith("ingest:")]
    assert len(stop) == 1 and re.fullmatch(
        r"ingest: Kafka did not take \d+ of \d+ records \(.*MessageSizeTooLargeError.*\); the demo stops here",
        stop[0]), said
    assert not any("diagnoses indexed" in s for s in said)
