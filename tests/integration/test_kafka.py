"""The real broker round trip both Python clients depend on: create a topic, produce 10,000 keyed records,
read them all back in order within each partition (kafka-python for tooling, aiokafka under Faust)."""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from kafka import KafkaConsumer, KafkaProducer
from kafka.admin import KafkaAdminClient, NewTopic

RECORDS = 10_000
PARTITIONS = 3
KEYS = 50  # like gateways: many records per key, keys spread over partitions
DEADLINE = 60.0

Record = tuple[int, int, bytes, int]  # partition, offset, key, sequence number


def _messages() -> list[tuple[bytes, bytes]]:
    return [(f"gw-{i % KEYS:03d}".encode(), orjson.dumps({"seq": i})) for i in range(RECORDS)]


def _create_topic(bootstrap: str, topic: str) -> None:
    with KafkaAdminClient(bootstrap_servers=bootstrap) as admin:
        admin.create_topics([NewTopic(topic, num_partitions=PARTITIONS, replication_factor=1)])
        admin.wait_for_topics([topic], timeout_ms=10_000)
        described = admin.describe_topics([topic])
    assert len(described[0]["partitions"]) == PARTITIONS


def _check_order(records: list[Record]) -> None:
    """Every record once; offsets and sequence numbers both increase within each partition; a key
    stays on one partition (so per-gateway order survives)."""
    assert sorted(r[3] for r in records) == list(range(RECORDS))
    by_partition: dict[int, list[Record]] = defaultdict(list)
    partition_of_key: dict[bytes, set[int]] = defaultdict(set)
    for record in records:
        by_partition[record[0]].append(record)
        partition_of_key[record[2]].add(record[0])
    assert len(by_partition) > 1, "keys should spread over partitions"
    for part in by_partition.values():
        offsets = [r[1] for r in part]
        seqs = [r[3] for r in part]
        assert offsets == sorted(offsets) and len(set(offsets)) == len(offsets)
        assert seqs == sorted(seqs)
    assert all(len(parts) == 1 for parts in partition_of_key.values())


def test_kafka_python_round_trip(kafka_bootstrap: str, topic_name: str) -> None:
    _create_topic(kafka_bootstrap, topic_name)
    producer = KafkaProducer(bootstrap_servers=kafka_bootstrap, acks="all", linger_ms=5)
    try:
        for key, value in _messages():
            producer.send(topic_name, key=key, value=value)
        producer.flush(timeout=30)
    finally:
        producer.close()

    consumer = KafkaConsumer(
        topic_name,
        bootstrap_servers=kafka_bootstrap,
        group_id=None,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    records: list[Record] = []
    deadline = time.monotonic() + DEADLINE
    try:
        while len(records) < RECORDS and time.monotonic() < deadline:
            for batch in consumer.poll(timeout_ms=500).values():
                records += [(m.partition, m.offset, m.key, orjson.loads(m.value)["seq"]) for m in batch]
    finally:
        consumer.close()
    _check_order(records)


async def _aiokafka_round_trip(bootstrap: str, topic: str) -> list[Record]:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True, linger_ms=5)
    await producer.start()
    try:
        sends = [await producer.send(topic, key=key, value=value) for key, value in _messages()]
        await asyncio.gather(*sends)
    finally:
        await producer.stop()

    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=None,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    records: list[Record] = []
    try:
        async with asyncio.timeout(DEADLINE):
            while len(records) < RECORDS:
                for batch in (await consumer.getmany(timeout_ms=500)).values():
                    records += [(m.partition, m.offset, m.key, orjson.loads(m.value)["seq"]) for m in batch]
    finally:
        await consumer.stop()
    return records


def test_aiokafka_round_trip(kafka_bootstrap: str, topic_name: str) -> None:
    _create_topic(kafka_bootstrap, topic_name)
    _check_order(asyncio.run(_aiokafka_round_trip(kafka_bootstrap, topic_name)))
