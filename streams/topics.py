"""Create the stream's topics when missing, with kafka-python's admin client.

Faust would create its own topics with defaults; we create them first so partitions, retention and
compaction are ours (docs/architecture.md lists them).
"""

from __future__ import annotations

import logging

from kafka.admin import KafkaAdminClient, NewTopic
from kafka.errors import TopicAlreadyExistsError

from streams.config import Settings

log = logging.getLogger(__name__)


def topic_specs(s: Settings) -> list[NewTopic]:
    t = s.topics
    delete = {"cleanup.policy": "delete"}
    return [
        NewTopic(t.raw, s.partitions, s.replication,
                 topic_configs={**delete, "retention.ms": str(s.raw_retention_ms)}),
        NewTopic(t.events, s.partitions, s.replication,
                 topic_configs={**delete, "retention.ms": str(s.raw_retention_ms)}),
        # The fleet stage sees every diagnosis (both ends, incidents): one partition, one consumer.
        NewTopic(t.diagnoses, 1, s.replication,
                 topic_configs={**delete, "retention.ms": str(s.raw_retention_ms)}),
        # Index operations stay in order (a recovery stamp after its diagnosis): one partition.
        NewTopic(t.index_ops, 1, s.replication,
                 topic_configs={**delete, "retention.ms": str(s.raw_retention_ms)}),
        NewTopic(t.deadletter, 1, s.replication,
                 topic_configs={**delete, "retention.ms": str(s.deadletter_retention_ms)}),
    ]


def ensure_topics(s: Settings) -> list[str]:
    """Create missing topics; returns the names created."""
    admin = KafkaAdminClient(bootstrap_servers=s.kafka, client_id=f"{s.app_id}-admin")
    try:
        existing = set(admin.list_topics())
        wanted = [spec for spec in topic_specs(s) if spec.name not in existing]
        created = []
        for spec in wanted:
            try:
                admin.create_topics([spec])
                created.append(spec.name)
            except TopicAlreadyExistsError:  # another worker won the race
                pass
        if created:
            log.info("created topics %s", ", ".join(created))
        return created
    finally:
        admin.close()
