"""Run-time settings of the stream, from environment variables (12-factor), with safe defaults.

One place for every name the stream and its tools share: topics, partitions, servers, batch bounds.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field


def _env(name: str, default: str) -> str:
    return os.environ.get(name, default)


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, str(default)))


def _float(name: str, default: float) -> float:
    return float(os.environ.get(name, str(default)))


@dataclass(frozen=True, slots=True)
class Topics:
    """Kafka topic names; a prefix lets several deployments (or tests) share one cluster."""

    prefix: str = "tunnelsight"

    @property
    def raw(self) -> str:
        return f"{self.prefix}-raw"  # batches of lines, keyed by gateway

    @property
    def events(self) -> str:
        return f"{self.prefix}-events"  # parsed event batches (optional, off by default)

    @property
    def diagnoses(self) -> str:
        return f"{self.prefix}-diagnoses"  # diagnosis documents, one record (a list) per raw batch

    @property
    def index_ops(self) -> str:
        return f"{self.prefix}-index"  # Elasticsearch operations for the sink, keyed by document id

    @property
    def deadletter(self) -> str:
        return f"{self.prefix}-deadletter"  # lines and documents we could not handle, with the reason


@dataclass(frozen=True, slots=True)
class Settings:
    kafka: str = "127.0.0.1:9092"
    es: str = "http://127.0.0.1:9200"
    es_api_key: str | None = field(default=None, repr=False)  # secret: never in a repr or a log
    topics: Topics = field(default_factory=Topics)
    index_prefix: str = "tunnelsight"  # Elasticsearch index/alias/template names start with this
    partitions: int = 4
    replication: int = 1
    raw_retention_ms: int = 7 * 24 * 3600 * 1000
    deadletter_retention_ms: int = 30 * 24 * 3600 * 1000
    app_id: str = "tunnelsight"
    store: str = "rocksdb://"  # Faust table store: rocksdb:// (rocksdict) or memory://
    datadir: str = ".cache/worker"
    web_port: int = 6066
    # raw record batching: lines of one gateway gathered for at most this long / this many / this size
    batch_lines: int = 500
    batch_bytes: int = 64 * 1024
    batch_linger_ms: float = 5.0
    # sink
    sink_batch: int = 500
    sink_within_s: float = 0.25  # a partial bulk waits at most this long
    idle_flush_s: float = 10.0  # wall-clock seconds without lines before a gateway's episodes are closed
    emit_events: bool = False  # also publish parsed event batches (costly; for debugging/other consumers)
    inventory: str | None = None  # YAML/CSV inventory file for enrichment
    # parse + correlate in a child process (streams/offload.py), with this many records in flight
    engine_process: bool = True  # TUNNELSIGHT_ENGINE_PROCESS=0: everything in the worker's own process
    engine_depth: int = 8
    engine_timeout_s: float = 300.0  # a request unanswered this long crashes the worker (never a silent stall)

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            kafka=_env("TUNNELSIGHT_KAFKA", "127.0.0.1:9092"),
            es=_env("TUNNELSIGHT_ES", "http://127.0.0.1:9200"),
            es_api_key=os.environ.get("TUNNELSIGHT_ES_API_KEY") or None,
            topics=Topics(prefix=_env("TUNNELSIGHT_TOPIC_PREFIX", "tunnelsight")),
            index_prefix=_env("TUNNELSIGHT_INDEX_PREFIX", "tunnelsight"),
            partitions=_int("TUNNELSIGHT_PARTITIONS", 4),
            replication=_int("TUNNELSIGHT_REPLICATION", 1),
            app_id=_env("TUNNELSIGHT_APP_ID", "tunnelsight"),
            store=_env("TUNNELSIGHT_STORE", "rocksdb://"),
            datadir=_env("TUNNELSIGHT_DATADIR", ".cache/worker"),
            web_port=_int("TUNNELSIGHT_WEB_PORT", 6066),
            batch_lines=_int("TUNNELSIGHT_BATCH_LINES", 500),
            batch_bytes=_int("TUNNELSIGHT_BATCH_BYTES", 64 * 1024),
            batch_linger_ms=_float("TUNNELSIGHT_BATCH_LINGER_MS", 5.0),
            sink_batch=_int("TUNNELSIGHT_SINK_BATCH", 500),
            sink_within_s=_float("TUNNELSIGHT_SINK_WITHIN_S", 0.25),
            idle_flush_s=_float("TUNNELSIGHT_IDLE_FLUSH_S", 10.0),
            emit_events=_env("TUNNELSIGHT_EMIT_EVENTS", "0") == "1",
            inventory=os.environ.get("TUNNELSIGHT_INVENTORY") or None,
            engine_process=_env("TUNNELSIGHT_ENGINE_PROCESS", "1") != "0",
            engine_depth=max(1, _int("TUNNELSIGHT_ENGINE_DEPTH", 8)),
            engine_timeout_s=_float("TUNNELSIGHT_ENGINE_TIMEOUT_S", 300.0),
        )
