"""Producing raw batches to Kafka (kafka-python for the synchronous file replayer)."""

from __future__ import annotations

from kafka import KafkaProducer

from streams.batch import LineBatch
from streams.config import Settings


def make_producer(s: Settings) -> KafkaProducer:
    # acks=all + idempotence: a batch the replayer counted as sent is in Kafka, once.
    return KafkaProducer(
        bootstrap_servers=s.kafka,
        acks="all",
        linger_ms=5,
        max_request_size=4 * 1024 * 1024,
        client_id=f"{s.app_id}-ingest",
        retries=10,
        max_in_flight_requests_per_connection=1,
    )


def send_batch(producer: KafkaProducer, topic: str, batch: LineBatch) -> None:
    producer.send(topic, key=batch.gateway.encode(), value=batch.encode())
