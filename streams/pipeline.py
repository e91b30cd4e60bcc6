"""What a worker does with records, as plain code: the Faust agents in streams.app only move bytes.

Per gateway (the raw topic's key) a `GatewayRun` holds a correlation engine and a parse context. The
engine's state lives in the Faust table under `<gateway>\\x1f<SA key>`, with the engine's context of each
host (`<gateway>\\x1f\\x00<host>`, which also holds the parse context's year inference) beside it, so a
worker that takes the gateway over from the table goes on exactly as this one would. Writes are
buffered during a record and applied only after the record's diagnoses are handed to Kafka. The first
write of a record is its partition's journal (`\\x00offset|<partition>`): the record's offset and every
write that follows, in one message. A worker loading the table applies the journals over what it read,
so one that died part-way through a record's writes left nothing half done, and it skips records the
journals say are in the table (docs/architecture.md, "Guarantees").
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterable, Iterator, MutableMapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from schemas.events import Action, Event, iso
from streams.batch import BadRecord, LineBatch, decode
from streams.config import Settings
from streams.correlate.engine import Config, Engine
from streams.metrics import METRICS
from streams.parse import ParseContext, parse_line
from streams.parse.context import zone

log = logging.getLogger(__name__)

SEP = "\x1f"
OFFSET_KEY = b"\x00offset|"  # + partition: the journal of the last record whose effects are in the table
KV = tuple[bytes, bytes]


@dataclass
class Output:
    diagnoses: list[dict[str, Any]] = field(default_factory=list)  # leave as ONE record (a JSON list)
    deadletters: list[KV] = field(default_factory=list)
    events: list[KV] = field(default_factory=list)
    state_writes: list[tuple[bytes, bytes | None]] = field(default_factory=list)


class BufferedStore(MutableMapping[str, bytes]):
    """The engine's store for one gateway: reads what was loaded, buffers writes for the table."""

    def __init__(self, initial: dict[str, bytes] | None = None) -> None:
        self.data: dict[str, bytes] = initial or {}
        self.pending: dict[str, bytes | None] = {}

    def __getitem__(self, key: str) -> bytes:
        return self.data[key]

    def __setitem__(self, key: str, value: bytes) -> None:
        self.data[key] = value
        self.pending[key] = value

    def __delitem__(self, key: str) -> None:
        del self.data[key]
        self.pending[key] = None

    def __iter__(self) -> Iterator[str]:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)

    def take_pending(self) -> dict[str, bytes | None]:
        pending, self.pending = self.pending, {}
        return pending


_DELETED = object()


class WriteBack(MutableMapping[str, Any]):
    """A Faust table seen through a buffer for one record: each key changed is written once, at `flush`.

    Why: every table write is a changelog message, and Faust sends those one at a time; the fleet stage
    rewrites a gateway's and a peer's context once per diagnosis, dozens of times in one record.
    """

    def __init__(self, table: MutableMapping[str, Any]) -> None:
        self.table = table
        self.changed: dict[str, Any] = {}

    def __getitem__(self, key: str) -> Any:
        value = self.changed.get(key, self)
        if value is self:
            return self.table[key]
        if value is _DELETED:
            raise KeyError(key)
        return value

    def __setitem__(self, key: str, value: Any) -> None:
        self.changed[key] = value

    def __delitem__(self, key: str) -> None:
        if key not in self:
            raise KeyError(key)
        self.changed[key] = _DELETED

    def __iter__(self) -> Iterator[str]:
        changed = self.changed
        yield from (k for k in self.table if k not in changed)
        yield from (k for k, v in changed.items() if v is not _DELETED)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def flush(self) -> None:
        for key, value in self.changed.items():
            if value is _DELETED:
                self.table.pop(key, None)
            else:
                self.table[key] = value
        self.changed.clear()


@dataclass
class GatewayRun:
    gateway: str
    partition: int
    engine: Engine
    store: BufferedStore
    ctx: ParseContext
    last_wall: float = 0.0
    newest: float = 0.0  # newest event time seen
    idle_closed: bool = False


def journal(offset: int, writes: list[tuple[bytes, bytes | None]]) -> bytes:
    """One message saying what a record changed: `[offset, [[table key, value or null], ...]]` in key
    order (values are JSON already and go in as they are)."""
    return orjson.dumps([offset, [[key.decode(), None if value is None else orjson.Fragment(value)]
                                  for key, value in sorted(writes)]])


def encode_ops(ops: Iterable[Any]) -> bytes:
    """IndexOps as one record for the sink: a JSON list, in the order they must be applied."""
    return orjson.dumps([{"index": op.index, "id": op.id, "doc": op.doc, "upsert": op.upsert} for op in ops])


class StreamPipeline:
    def __init__(self, settings: Settings, engine_config: Config | None = None) -> None:
        self.settings = settings
        self.engine_config = engine_config or Config()
        self.runs: dict[str, GatewayRun] = {}
        self.applied: dict[int, int] = {}
        self.loaded = False
        self._es: Any = None
        from enrichers.inventory import Inventory
        from schemas.indices import Indices

        self.indices = Indices(prefix=settings.index_prefix)
        # No inventory configured: no enrichment, and no "no entry for ..." line per peer either.
        self.inventory = Inventory.load(settings.inventory) if settings.inventory else None
        self._fleet: Any = None

    # -- state -----------------------------------------------------------------------------------
    def load(self, table: Any) -> None:
        """Rebuild every gateway's engine from the table once after (re)assignment: one pass, then each
        partition's journal over it (the writes of the last record, complete even if the table is not)."""
        grouped: dict[str, dict[str, bytes]] = {}
        journals: list[list[list[Any]]] = []
        for raw_key, value in table.items():
            key = bytes(raw_key)
            if key.startswith(OFFSET_KEY):
                partition, value = int(key[len(OFFSET_KEY):]), bytes(value)
                if value.startswith(b"["):
                    self.applied[partition], writes = orjson.loads(value)
                    journals.append(writes)
                else:  # the bare offset an earlier build wrote
                    self.applied[partition] = int(value)
                continue
            gateway, _, sa_key = key.decode("utf-8", "replace").partition(SEP)
            grouped.setdefault(gateway, {})[sa_key] = bytes(value)
        for writes in journals:
            for name, state in writes:
                gateway, _, sa_key = name.partition(SEP)
                if state is None:
                    grouped.get(gateway, {}).pop(sa_key, None)
                else:
                    grouped.setdefault(gateway, {})[sa_key] = orjson.dumps(state)
        for gateway, states in grouped.items():
            if gateway not in self.runs:
                self.runs[gateway] = self._new_run(gateway, -1, states, {})
        self.loaded = True
        log.info("loaded state of %d gateways (%d SAs)", len(grouped), sum(map(len, grouped.values())))

    def forget(self, partitions: Iterable[int]) -> None:
        """After a rebalance: drop memory; the next record reloads what this worker now owns."""
        log.info("partitions revoked: dropping %d gateways from memory", len(self.runs))
        self.runs.clear()
        self.applied.clear()
        self.loaded = False

    def open_episodes(self) -> int:
        return sum(len(r.engine.sa_keys()) for r in self.runs.values())

    def _new_run(self, gateway: str, partition: int, states: dict[str, bytes], opts: dict[str, Any]) -> GatewayRun:
        store = BufferedStore(states)
        ctx = ParseContext(year=opts.get("year"), tz=zone(opts.get("tz")), vendor=opts.get("vendor"))
        engine = Engine(self.engine_config, store, keep_late=True)
        clocks = engine.attached(gateway)
        if isinstance(clocks, list):
            ctx.restore_clocks(clocks)
        return GatewayRun(gateway, partition, engine, store, ctx, newest=engine.newest() or 0.0)

    # -- records ---------------------------------------------------------------------------------
    def process_record(self, value: bytes, partition: int, offset: int, table: Any) -> Output:
        if not self.loaded:
            self.load(table)
        out = Output()
        if offset <= self.applied.get(partition, -1):
            METRICS.inc("records_skipped_replayed")
            return out  # its effects are already in the table (a crash between state write and commit)
        try:
            item = decode(value)
        except BadRecord as exc:
            out.deadletters.append(self._deadletter("raw", str(exc), value, partition, offset))
        else:
            if isinstance(item, float):
                self._tick(item, partition, out)
            elif item.opts.get("flush"):
                self._flush(item.gateway, out)
            else:
                self._batch(item, partition, offset, out)
        self.applied[partition] = offset
        out.state_writes.insert(0, (OFFSET_KEY + str(partition).encode(), journal(offset, out.state_writes)))
        return out

    def _run_for(self, batch: LineBatch, partition: int) -> GatewayRun:
        run = self.runs.get(batch.gateway)
        if run is None:
            run = self.runs[batch.gateway] = self._new_run(batch.gateway, partition, {}, batch.opts)
        elif batch.opts:  # a replay's options apply to its lines; the year-inference memory stays
            run.ctx.year = batch.opts.get("year", run.ctx.year)
            run.ctx.vendor = batch.opts.get("vendor", run.ctx.vendor)
            if batch.opts.get("tz"):
                run.ctx.tz = zone(batch.opts["tz"])
        run.partition = partition
        return run

    def _batch(self, batch: LineBatch, partition: int, offset: int, out: Output) -> None:
        run = self._run_for(batch, partition)
        ctx = run.ctx
        ctx.reference = batch.t0
        events: list[Event] = []
        errors = 0
        t0, offsets_ms = batch.t0, batch.offsets_ms  # batch.received_at(i), without a call per line
        for i, line in enumerate(batch.lines):
            # Offline parsing reads bytes and refuses NUL bytes; the stream carries text: the same rule here.
            ev = parse_line(line.encode("utf-8", "backslashreplace") if "\x00" in line else line, ctx,
                            t0 + offsets_ms[i] / 1000.0)
            if ev.action is Action.PARSE_ERROR:
                errors += 1
                original = line if len(line) <= ctx.max_line else ev.raw  # an over-long line: its excerpt
                out.deadletters.append(self._deadletter(
                    "parse", ev.error or "unparsable line", original, partition, offset, host=batch.gateway))
                continue
            if ev.action is Action.UNRECOGNIZED:
                METRICS.inc("unrecognized_total")
            if ev.timestamp is not None and ev.timestamp > run.newest:
                run.newest = ev.timestamp
            events.append(ev)
        run.engine.attach(run.gateway, ctx.clocks())  # saved with the engine's context when it changed
        run.last_wall = time.time()
        run.idle_closed = False
        self._emit(run, run.engine.feed(events), out)
        late = run.engine.take_late()  # beyond the allowed lateness: not correlated, so dead letters
        METRICS.inc("lines_too_late_total", len(late))
        for ev, newest in late:
            out.deadletters.append(self._deadletter(
                "correlate", self._late_reason(ev, newest), ev.raw, partition, offset, host=batch.gateway,
                error_type="too_late"))
        if self.settings.emit_events:
            out.events.append((batch.gateway.encode(), orjson.dumps([e.to_doc() for e in events])))
        METRICS.inc("records_total")
        METRICS.inc("lines_total", len(batch.lines))
        METRICS.inc("parse_errors_total", errors)

    def _tick(self, now: float, partition: int, out: Output) -> None:
        """A silent gateway's open episodes close once it has been quiet (wall clock) for a while."""
        horizon = max(self.engine_config.quiet, self.engine_config.negotiation_timeout) + \
            self.engine_config.lateness + 1.0
        for run in self.runs.values():
            if run.partition != partition or run.idle_closed:
                continue
            if now - run.last_wall >= self.settings.idle_flush_s:
                self._emit(run, run.engine.advance(run.newest + horizon), out)
                run.idle_closed = True

    def _flush(self, gateway: str, out: Output) -> None:
        """End of a replayed input for this gateway: the same as the end of `tunnelsight diagnose`."""
        run = self.runs.get(gateway)
        if run is not None:
            self._emit(run, run.engine.flush(), out)

    def _emit(self, run: GatewayRun, diagnoses: list[Any], out: Output) -> None:
        if diagnoses:
            out.diagnoses.extend(d.to_doc() for d in diagnoses)
            METRICS.inc("diagnoses_total", len(diagnoses))
        prefix = run.gateway + SEP
        for key, value in run.store.take_pending().items():
            out.state_writes.append(((prefix + key).encode(), value))

    def _late_reason(self, ev: Event, newest: float) -> str:
        behind = newest - (ev.timestamp or newest)
        return (f"late by {behind:.3f} s, beyond the allowed lateness of {self.engine_config.lateness:g} s "
                f"(line at {iso(ev.timestamp)}, its gateway already at {iso(newest)}); not correlated")

    def _deadletter(self, stage: str, reason: str, original: str | bytes, partition: int, offset: int,
                    host: str | None = None, error_type: str | None = None) -> KV:
        from schemas.indices import deadletter_doc

        METRICS.inc("deadletters_total")
        doc = deadletter_doc(stage, reason, original, timestamp=iso(time.time()) or "", hostname=host,
                             topic=self.settings.topics.raw, partition=partition, offset=offset,
                             error_type=error_type or stage)
        return (host or "").encode(), orjson.dumps(doc)

    # -- fleet level -----------------------------------------------------------------------------
    def fleet(self, value: bytes, ends: MutableMapping[str, Any], table: MutableMapping[str, bytes]) -> bytes | None:
        """One record of diagnoses (or a tick) -> one record of index operations, in order.

        Both ends of a tunnel are joined first (`ends`: diagnoses waiting for their other end), then the
        inventory and the fleet context (`table`) annotate each diagnosis and derive tunnel state,
        incidents and recoveries. A diagnosis always comes before any update of it.
        """
        from enrichers.fleet import FleetContext
        from schemas.indices import incident_op
        from streams.correlate.tunnel import TunnelJoin

        fleet_state, waiting_ends = WriteBack(table), WriteBack(ends)
        if self._fleet is None:
            self._fleet = FleetContext(store=fleet_state)
        self._fleet.store = fleet_state
        item = orjson.loads(value)
        ops = []
        if isinstance(item, dict) and "tick" in item:
            ops = [incident_op(d, self.indices) for d in self._fleet.tick(float(item["tick"]))]
        else:
            join = TunnelJoin(store=waiting_ends)
            for doc in item:
                for d in (doc, *join.add(doc)):
                    enriched = self.inventory.enrich(d) if self.inventory is not None else d
                    ops.extend(self._fleet.observe(enriched).ops(self.indices))
        fleet_state.flush()
        waiting_ends.flush()
        return encode_ops(ops) if ops else None

    # -- sink ------------------------------------------------------------------------------------
    async def start_sink(self) -> None:
        """Templates first (retried with backoff while Elasticsearch is unreachable), then the bulk client."""
        from elastic_transport import ConnectionError as EsConnectionError
        from elastic_transport import ConnectionTimeout

        from schemas.templates import apply
        from streams.es_client import EsConfig, async_client, sync_client

        cfg = EsConfig.from_env(url=self.settings.es)
        log.info("elasticsearch: %s", cfg.describe())  # describe() never shows a secret

        def apply_templates() -> None:
            sync = sync_client(cfg)
            try:
                apply(sync, self.indices)
            finally:
                sync.close()

        delay = 1.0
        while True:
            try:
                await asyncio.to_thread(apply_templates)  # blocking client: keep the event loop free
                break
            except (EsConnectionError, ConnectionTimeout) as exc:
                log.warning("elasticsearch %s unreachable (%s); applying templates again in %.0fs",
                            cfg.describe(), type(exc).__name__, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30.0)
        self._es = async_client(cfg)
        METRICS.set_gauge("sink_ready", 1.0)  # templates applied: the sink indexes from now on

    async def index(self, values: list[bytes]) -> list[KV]:
        """Bulk-index records of operations (JSON lists, or single ops/documents); returns dead letters
        for what Elasticsearch refused."""
        from schemas import indices
        from streams.sink import Action as BulkAction
        from streams.sink import bulk

        while self._es is None:  # the start-up task applies templates first
            await asyncio.sleep(0.1)
        actions: list[BulkAction] = []
        dead: list[KV] = []
        for value in values:
            try:
                item = orjson.loads(value)
            except orjson.JSONDecodeError as exc:
                dead.append(self._deadletter("sink", f"not JSON: {exc}", value, -1, -1))
                continue
            for op in item if isinstance(item, list) else [item]:
                try:
                    if "index" not in op:  # a whole document: route it by its dataset
                        routed = indices.route(op, self.indices)
                        op = {"index": routed.index, "id": routed.id, "doc": routed.doc, "upsert": routed.upsert}
                    actions.append(BulkAction(op["index"], op["id"], op["doc"], bool(op.get("upsert"))))
                except (KeyError, ValueError, TypeError, AttributeError) as exc:
                    dead.append(self._deadletter("sink", f"not an indexable operation: {exc}",
                                                 orjson.dumps(op), -1, -1))
        result = await bulk(self._es, actions)
        METRICS.inc("indexed_total", result.indexed)
        METRICS.inc("sink_retries_total", result.retries)
        for action, reason in result.rejected:
            dead.append(self._deadletter("sink", reason, orjson.dumps(action.doc), -1, -1))
        return dead
