"""The Faust app: topics, the episode table and thin agents. All the thinking is in streams.pipeline.

Topology (docs/architecture.md draws it):
  raw (N partitions, key gateway) --diagnose--> diagnoses (1 partition, one record per batch)
      --fleet (both ends, inventory, incidents)--> index (1 partition, lists of operations) --sink--> Elasticsearch
  and deadletter for lines we could not parse and documents Elasticsearch refused.
Settings come from the environment (streams.config) when this module is imported by the worker.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import weakref
from collections.abc import AsyncIterator
from typing import Any

import faust
import faust.streams as faust_streams
import orjson
from faust.web import Request, Response, View

from streams import faust_fixes
from streams.config import Settings
from streams.metrics import METRICS, prometheus_text
from streams.offload import EngineProcess
from streams.pipeline import Output, StreamPipeline

log = logging.getLogger("tunnelsight.worker")

settings = Settings.from_env()
faust_fixes.apply()  # close faust-streaming's seek race before the worker starts (docs/infra.md)

app = faust.App(
    settings.app_id,
    broker=f"kafka://{settings.kafka}",
    store=settings.store,
    datadir=settings.datadir,
    web_port=settings.web_port,
    web_host="127.0.0.1",
    topic_partitions=settings.partitions,
    topic_replication_factor=settings.replication,
    producer_acks=-1,  # a diagnosis is durable before the offset of its lines commits
    consumer_auto_offset_reset="earliest",
    producer_max_request_size=4 * 1024 * 1024,
    consumer_max_fetch_size=8 * 1024 * 1024,
    table_cleanup_interval=60.0,
    broker_commit_every=1000,
    broker_commit_interval=1.0,
)

raw_topic = app.topic(settings.topics.raw, key_type=bytes, value_type=bytes, value_serializer="raw",
                      key_serializer="raw", partitions=settings.partitions)
# Small (one record per raw batch that closed episodes) and seen whole by one consumer: 1 partition.
diagnoses_topic = app.topic(settings.topics.diagnoses, key_type=bytes, value_type=bytes,
                            value_serializer="raw", key_serializer="raw", partitions=1)
deadletter_topic = app.topic(settings.topics.deadletter, key_type=bytes, value_type=bytes,
                             value_serializer="raw", key_serializer="raw", partitions=1)
# One partition: a recovery stamp must never overtake the diagnosis it updates.
index_topic = app.topic(settings.topics.index_ops, key_type=bytes, value_type=bytes, value_serializer="raw",
                        key_serializer="raw", partitions=1)
events_topic = app.topic(settings.topics.events, key_type=bytes, value_type=bytes, value_serializer="raw",
                         key_serializer="raw", partitions=settings.partitions)

# Per-SA episode state, co-partitioned with the raw topic (keys start with the gateway).
# Faust derives a table's serializers from key_type/value_type: bytes -> raw, anything else -> json.
episodes = app.Table("episodes", default=None, key_type=bytes, value_type=bytes, partitions=settings.partitions)

# Failure diagnoses waiting for the other end of their tunnel (the diagnoses topic's one partition).
tunnel_ends = app.Table("tunnel-ends", default=None, key_type=str, partitions=1)

# Fleet context (incidents, tunnel health) of the single fleet partition.
fleet_state = app.Table("fleet", default=None, key_type=str, value_type=bytes, partitions=1)

pipeline = StreamPipeline(settings)


async def _send(out: Output, key: bytes | None, diagnoses: bytes | None = None) -> list[Any]:
    """Hand a record's diagnoses (`diagnoses`: already encoded), dead letters and events to the producer;
    the futures of their acks."""
    if diagnoses is None and out.diagnoses:
        diagnoses = orjson.dumps(out.diagnoses)
    pending = [await diagnoses_topic.send(key=key, value=diagnoses)] if diagnoses else []
    pending += [await deadletter_topic.send(key=k, value=v) for k, v in out.deadletters]
    pending += [await events_topic.send(key=k, value=v) for k, v in out.events]
    return pending


def _write_state(out: Output) -> None:
    for key, value in out.state_writes:
        if value is None:
            episodes.pop(key, None)
        else:
            episodes[key] = value


async def _publish(out: Output, key: bytes | None) -> None:
    """Diagnoses and dead letters first, confirmed by Kafka; only then the state that produced them."""
    pending = await _send(out, key)
    if pending:
        await asyncio.gather(*pending)
    else:
        # Nothing to wait for: yield anyway, or a backlog of raw records starves the fleet and sink
        # agents and the timers on this event loop until the backlog is gone.
        await asyncio.sleep(0)
    _write_state(out)


# With the engine process (the default), the agent hands records to it and a drain task publishes
# the results in order; records are acked only once published (so a revocation waits for them).
engine: EngineProcess | None = None
_in_flight: asyncio.Queue[tuple[Any, asyncio.Future[Any]]] = asyncio.Queue(maxsize=settings.engine_depth)
_sent: asyncio.Queue[tuple[Any, Output, list[Any]]] = asyncio.Queue(maxsize=64)


@app.agent(raw_topic)
async def diagnose(stream: faust.StreamT[bytes]) -> AsyncIterator[None]:
    """Raw batches of one gateway's lines -> diagnoses. One Kafka record = hundreds of lines."""
    if not settings.engine_process:
        async for event in stream.events():
            out = pipeline.process_record(event.value, event.message.partition, event.message.offset, episodes)
            await _publish(out, event.key)
            yield None
        return
    global engine
    if engine is None:
        engine = EngineProcess(settings)
    async for event in stream.noack().events():  # type: ignore[attr-defined]
        await _in_flight.put((event, engine.record(event.value, event.message.partition,
                                                     event.message.offset, episodes)))
        yield None


async def _fatal(what: str, exc: BaseException) -> None:
    """A task of the record path failed: crash the worker (its unacked records are replayed elsewhere)
    rather than leave it alive and processing nothing."""
    log.critical("%s failed: %s; %s", what, exc, engine.describe() if engine is not None else "no engine",
                 exc_info=exc)
    await app.crash(exc)


@app.task
async def _drain_in_flight() -> None:
    """Send what the engine process returns, in the order the records came; `_commit_sent` finishes."""
    if not settings.engine_process:
        return
    while True:
        event, future = await _in_flight.get()
        try:
            out, _, _, diagnoses = await future
            await _sent.put((event, out, await _send(out, event.key, diagnoses)))
        except Exception as exc:
            await _fatal("the engine process or the producer", exc)
            return


@app.task
async def _commit_sent() -> None:
    """Once Kafka has a record's diagnoses and dead letters: its state, then its ack, in record order.

    Apart from `_drain_in_flight` so that the acks of many records are awaited together, not one
    round trip to Kafka per record."""
    if not settings.engine_process:
        return
    while True:
        event, out, pending = await _sent.get()
        try:
            if pending:
                await asyncio.gather(*pending)
            # Table writes find their partition through the current event; this task is not the stream's.
            faust_streams._current_event.set(weakref.ref(event))
            _write_state(out)
            event.ack()
        except Exception as exc:
            await _fatal("publishing a record's diagnoses or writing its state", exc)
            return


@app.timer(interval=5.0)
async def _watch_engine() -> None:
    """A record takes the engine process milliseconds: one unanswered for minutes means it is wedged."""
    if engine is None:
        return
    waited = engine.waiting_s()
    if waited > settings.engine_timeout_s:
        await _fatal("the engine process", TimeoutError(f"no answer in {waited:.0f} s"))
    elif waited > 30.0:
        log.warning("the engine process has not answered for %.0f s: %s; %d records queued, %d being published",
                    waited, engine.describe(), _in_flight.qsize(), _sent.qsize())


@app.timer(interval=max(1.0, settings.idle_flush_s / 2), on_leader=True)
async def tick() -> None:
    """Timers cannot write tables, so a tick record goes through each raw partition instead."""
    value = orjson.dumps({"tick": time.time()})
    for partition in range(settings.partitions):
        await raw_topic.send(value=value, partition=partition)


@app.agent(diagnoses_topic)
async def fleet(stream: faust.StreamT[bytes]) -> AsyncIterator[None]:
    """The whole fleet's diagnoses, one record per raw batch, in one partition: both ends of a tunnel
    meet, one peer failing from many gateways becomes one incident, inventory fields are added.
    Everything leaves as Elasticsearch operations, a diagnosis before any update of it."""
    async for value in stream:
        METRICS.inc("fleet_records_total")
        ops = pipeline.fleet(value, tunnel_ends, fleet_state)
        if ops is not None:
            await index_topic.send(key=b"ops", value=ops)
        yield None


@app.timer(interval=30.0, on_leader=True)
async def resolve_incidents() -> None:
    """Incidents gone quiet resolve on the wall clock too, when no diagnosis arrives to tell."""
    await diagnoses_topic.send(key=b"tick", value=orjson.dumps({"tick": time.time()}))


# The sink batches by hand: events are not acked (so their offsets are not committed) until the bulk
# request that carries them has succeeded. (stream.take() stalled after rebalances here: docs/infra.md.)
_sink_buffer: list[faust.types.EventT[bytes]] = []
_sink_lock = asyncio.Lock()


async def _flush_sink() -> None:
    async with _sink_lock:
        events = list(_sink_buffer)
        _sink_buffer.clear()
        if not events:
            return
        for key, value in await pipeline.index([e.value for e in events]):
            await deadletter_topic.send(key=key, value=value)
        for e in events:
            e.ack()


@app.agent(index_topic)
async def sink(stream: faust.StreamT[bytes]) -> AsyncIterator[None]:
    """Operations -> Elasticsearch in bulk, deterministic ids; rejections to the dead-letter topic."""
    async for event in stream.noack().events():  # type: ignore[attr-defined]
        _sink_buffer.append(event)
        METRICS.inc("sink_records_total")
        # A record carries the operations of one raw batch; a few dozen records make a good bulk request.
        if len(_sink_buffer) >= max(1, settings.sink_batch // 10):
            await _flush_sink()
        yield None


@app.timer(interval=settings.sink_within_s)
async def sink_linger() -> None:
    """A partial batch waits at most `sink_within_s` before it is indexed."""
    await _flush_sink()


@app.on_partitions_revoked.connect  # type: ignore[arg-type]
async def _revoked(sender: Any, revoked: Any, **kwargs: Any) -> None:
    partitions = [p.partition for p in revoked if p.topic == settings.topics.raw]
    if engine is not None:  # Faust has waited for every in-flight record's ack: nothing is half done
        await engine.forget(partitions)
    else:
        pipeline.forget(partitions)


@app.task
async def _startup() -> None:
    await pipeline.start_sink()


def _consumer_lag() -> float:
    """Records in the raw topic this worker owns but has not committed yet."""
    consumer = app.consumer
    lag = 0
    for tp in consumer.assignment():
        if tp.topic != settings.topics.raw:
            continue
        end = consumer.highwater(tp)
        done = consumer._committed_offset.get(tp)  # type: ignore[attr-defined]  # no public getter
        if end is not None:
            lag += max(0, end - (done if done is not None else 0))
    return float(lag)


class Metrics(View):
    async def get(self, request: Request) -> Response:
        METRICS.set_gauge("episodes_open", engine.episodes_open if engine is not None else pipeline.open_episodes())
        if engine is not None:
            METRICS.set_gauge("engine_requests_pending", engine.pending)
            METRICS.set_gauge("engine_wait_seconds", engine.waiting_s())
        with contextlib.suppress(Exception):  # before the first assignment there is no consumer state
            METRICS.set_gauge("consumer_lag", _consumer_lag())
        return self.text(prometheus_text(METRICS))


app.page("/metrics")(Metrics)
