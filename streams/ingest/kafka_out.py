"""Producing raw batches to Kafka (kafka-python for the synchronous file replayer).

`RawSender` is what `ingest file` uses: every send's outcome is counted (a batch is "sent" only once
Kafka acknowledged it), a Kafka that stops acknowledging is reported while it lasts, and memory stays
bounded: at most BUFFER_BYTES of records wait for acknowledgement (kafka-python 3 has no buffer bound
of its own), then sending blocks (and says so) until the broker takes records again. A record Kafka
has not taken within DELIVERY_TIMEOUT_S fails and is counted: the command then exits non-zero instead
of pretending the replay was complete. `CheckedSends` is the light version for the benchmark: failures
counted, nothing else added per record.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import threading
import time
from collections import Counter
from typing import Any

import orjson
from kafka import KafkaProducer
from kafka.errors import KafkaError, KafkaTimeoutError

from streams.batch import LineBatch
from streams.config import Settings

log = logging.getLogger(__name__)

BUFFER_BYTES = 32 * 1024 * 1024  # records waiting for Kafka's acknowledgement; beyond, sending blocks
BLOCK_S = 5.0  # one wait for Kafka's metadata; we say so and wait again
DELIVERY_TIMEOUT_S = 300.0  # a record Kafka has not acknowledged after this long fails (and is counted)
STALL_S = 5.0  # no acknowledgement for this long while records wait: say so


def make_producer(s: Settings) -> KafkaProducer:
    # acks=all + idempotence: a batch the replayer counted as sent is in Kafka, once. Retries are bounded
    # by the delivery timeout, not a count: a broker restart must not use them up in a second.
    return KafkaProducer(
        bootstrap_servers=s.kafka,
        acks="all",
        linger_ms=5,
        max_request_size=4 * 1024 * 1024,
        client_id=f"{s.app_id}-ingest",
        max_in_flight_requests_per_connection=1,
        max_block_ms=int(BLOCK_S * 1000),
        delivery_timeout_ms=int(DELIVERY_TIMEOUT_S * 1000),
        request_timeout_ms=30_000,
    )


def send_batch(producer: KafkaProducer, topic: str, batch: LineBatch) -> None:
    producer.send(topic, key=batch.gateway.encode(), value=batch.encode())


def shortfall(failed: int, sent: int, errors: Counter[str]) -> str | None:
    """None when Kafka took every record sent, else how many it did not take and why."""
    if not failed:
        return None
    why = ", ".join(f"{n} {name}" for name, n in errors.most_common())
    return f"Kafka did not take {failed} of {sent} records ({why})"


class CheckedSends:
    """Raw batches sent as `send_batch` does, each record's failure counted (one errback per record, so a
    benchmark's timing stays as it was). After `producer.flush()` every record has succeeded or failed:
    `shortfall()` then says what Kafka did not take."""

    def __init__(self, producer: KafkaProducer, topic: str) -> None:
        self.producer = producer
        self.topic = topic
        self.sent = 0
        self.errors: Counter[str] = Counter()  # written by the producer's thread only

    def __call__(self, batch: LineBatch) -> None:
        self.producer.send(self.topic, key=batch.gateway.encode(), value=batch.encode()).add_errback(self._failed)
        self.sent += 1

    def _failed(self, exc: BaseException) -> None:
        self.errors[type(exc).__name__] += 1

    def shortfall(self) -> str | None:
        return shortfall(sum(self.errors.values()), self.sent, self.errors)


class RawSender:
    """Raw batches and ingest dead letters to Kafka, with every outcome counted."""

    def __init__(self, producer: KafkaProducer, settings: Settings, stall_s: float = STALL_S,
                 max_buffer: int = BUFFER_BYTES) -> None:
        self.producer = producer
        self.settings = settings
        self.stall_s = stall_s
        self.max_buffer = max_buffer
        self.sent = 0
        self.acked = 0
        self.failed = 0
        self.waiting_bytes = 0
        self.errors: Counter[str] = Counter()
        self.deadletters = 0
        self._lock = threading.Lock()  # callbacks run in the producer's thread
        self._last_ack = time.monotonic()
        self._stalled_since: float | None = None
        self._last_said = 0.0

    @property
    def waiting(self) -> int:
        return self.sent - self.acked - self.failed

    def batch(self, batch: LineBatch) -> None:
        self._send(self.settings.topics.raw, batch.gateway.encode(), batch.encode())

    def deadletter(self, gateway: str, doc: dict[str, Any]) -> None:
        self._send(self.settings.topics.deadletter, gateway.encode(), orjson.dumps(doc))
        self.deadletters += 1

    def _send(self, topic: str, key: bytes, value: bytes) -> None:
        size = len(key) + len(value)
        while self.waiting and self.waiting_bytes + size > self.max_buffer:  # bounded: wait for Kafka
            with contextlib.suppress(KafkaTimeoutError):
                self.producer.flush(timeout=self.stall_s)
            self._check(blocked=True)
        while True:
            try:
                future = self.producer.send(topic, key=key, value=value)
                break
            except KafkaTimeoutError:  # no metadata: Kafka is not reachable
                self._stalled(blocked=True)
        with self._lock:
            self.sent += 1
            self.waiting_bytes += size
        future.add_callback(functools.partial(self._ok, size))
        future.add_errback(functools.partial(self._failed, size))
        self._check()

    def _ok(self, size: int, _metadata: Any) -> None:
        with self._lock:
            self.acked += 1
            self.waiting_bytes -= size
            self._last_ack = time.monotonic()

    def _failed(self, size: int, exc: BaseException) -> None:
        with self._lock:
            self.failed += 1
            self.waiting_bytes -= size
            self.errors[type(exc).__name__] += 1
            first = self.errors[type(exc).__name__] == 1
        if first:
            log.error("ingest: Kafka refused a record: %s (further ones are counted)", exc)

    def _check(self, blocked: bool = False) -> None:
        if self.waiting and time.monotonic() - self._last_ack > self.stall_s:
            self._stalled(blocked)
        elif self._stalled_since is not None and self._last_ack > self._stalled_since:
            log.warning("ingest: Kafka at %s acknowledges again after %.0fs", self.settings.kafka,
                        time.monotonic() - self._stalled_since)
            self._stalled_since = None

    def _stalled(self, blocked: bool) -> None:
        now = time.monotonic()
        if self._stalled_since is None:
            self._stalled_since = now
        if now - self._last_said >= self.stall_s:
            self._last_said = now
            how = "the replay waits" if blocked else "buffering"
            log.warning("ingest: Kafka at %s has acknowledged nothing for %.0fs; %d records (%.1f MiB) "
                        "waiting, %s (at most %d MiB are buffered; a record fails after %.0fs)",
                        self.settings.kafka, now - self._last_ack, self.waiting, self.waiting_bytes / 2**20,
                        how, self.max_buffer // 2**20, DELIVERY_TIMEOUT_S)

    def shortfall(self) -> str | None:
        """After `flush()`: None when Kafka took every record, else what it did not take and why."""
        return shortfall(self.failed, self.sent, self.errors)

    def flush(self) -> None:
        """Wait until every record is acknowledged or failed, saying so while Kafka is away."""
        while self.waiting:
            try:
                self.producer.flush(timeout=self.stall_s)
            except KafkaTimeoutError:  # still waiting: _check() says so
                pass
            except KafkaError as exc:  # e.g. a batch refused as too large: its records fail in errbacks
                log.debug("flush: %s; waiting for the failed records to be counted", exc)
                time.sleep(0.1)
            self._check()
        self._check()
