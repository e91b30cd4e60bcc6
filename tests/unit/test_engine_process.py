"""The worker's engine process (streams/offload.py) answers exactly what the in-process pipeline does,
in order, with the same metrics, reloads from the table after a revocation, and fails loudly when it dies.
A real child process; no Kafka needed."""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path
from typing import Any

import orjson
import pytest

from streams.config import Settings
from streams.ingest.files import replay
from streams.metrics import METRICS
from streams.offload import EngineProcess
from streams.pipeline import Output, StreamPipeline
from tests.unit.pipeline_kit import apply_state_writes

SAMPLES = Path(__file__).resolve().parents[2] / "streams" / "samples" / "fleet"


def _records() -> list[bytes]:
    records: list[bytes] = []
    paths = [str(p) for p in sorted(SAMPLES.glob("*.log"))]
    replay(paths, lambda b: records.append(b.encode()), opts={"year": 2026}, batch_lines=20, progress=False)
    return records


def _in_process(records: list[bytes], revoke_at: int) -> list[Output]:
    pipeline, table, outs = StreamPipeline(Settings()), {}, []
    for offset, record in enumerate(records):
        if offset == revoke_at:
            pipeline.forget([0])
        out = pipeline.process_record(record, 0, offset, table)
        apply_state_writes(table, out.state_writes)
        outs.append(out)
    return outs


def _output(reply: Any) -> Output:
    """The child's reply as the in-process Output (its diagnoses come back encoded)."""
    out, _, _, diagnoses = reply
    out.diagnoses = orjson.loads(diagnoses) if diagnoses else []
    return out


async def _child(records: list[bytes], revoke_at: int) -> tuple[list[Output], dict[str, float]]:
    engine, table, outs = EngineProcess(Settings()), {}, []
    before = dict(METRICS.counters)
    try:
        futures: list[asyncio.Future[Any]] = []
        for offset, record in enumerate(records):
            if offset == revoke_at:  # as on a revocation: everything in flight is published first
                for future in futures:
                    out = _output(await future)
                    apply_state_writes(table, out.state_writes)
                    outs.append(out)
                futures = []
                await engine.forget([0])
            futures.append(engine.record(record, 0, offset, table))
        for future in futures:
            out = _output(await future)
            apply_state_writes(table, out.state_writes)
            outs.append(out)
    finally:
        engine.close()
    return outs, {k: v - before.get(k, 0) for k, v in METRICS.counters.items()}


def test_the_engine_process_answers_as_the_pipeline_does_in_order_across_a_revocation() -> None:
    records = _records()
    assert len(records) > 8
    revoke_at = len(records) // 2
    before = dict(METRICS.counters)
    expected = _in_process(records, revoke_at)
    expected_lines = METRICS.counters.get("lines_total", 0) - before.get("lines_total", 0)
    got, deltas = asyncio.run(_child(records, revoke_at))
    assert [o.diagnoses for o in got] == [o.diagnoses for o in expected]
    # the same writes (their order within a record follows set iteration, which differs by process),
    # the partition's journal (the record's offset and writes, in key order) first
    assert [dict(o.state_writes) for o in got] == [dict(o.state_writes) for o in expected]
    assert [o.state_writes[0] for o in got] == [o.state_writes[0] for o in expected]
    assert [o.deadletters for o in got] == [o.deadletters for o in expected]
    assert sum(len(o.diagnoses) for o in got) > 0
    assert deltas.get("lines_total", 0) == expected_lines  # the child's counters reach the worker's


def test_a_dead_engine_process_fails_every_pending_record() -> None:
    async def run() -> None:
        engine = EngineProcess(Settings())
        try:
            records = _records()
            await engine.record(records[0], 0, 0, {})  # it works
            os.kill(engine._proc.pid, signal.SIGKILL)
            engine._proc.join(10)
            with pytest.raises(RuntimeError, match="engine process stopped"):
                await asyncio.wait_for(engine.record(records[1], 0, 1, {}), 10)
        finally:
            engine.close()

    asyncio.run(run())


def test_the_watchdog_sees_how_long_the_oldest_request_waits_and_a_stray_answer_breaks_the_engine() -> None:
    """What `_watch_engine` in streams/app.py reads to crash a worker whose engine no longer answers."""
    async def run() -> None:
        engine = EngineProcess(Settings())
        try:
            records = _records()
            assert (engine.pending, engine.waiting_s()) == (0, 0.0)
            pending = engine.record(records[0], 0, 0, {})  # a load, then the record: two requests
            assert engine.pending == 2 and engine.waiting_s() >= 0.0
            await asyncio.sleep(0.05)
            assert engine.pending == 0 or engine.waiting_s() >= 0.05  # the child may still be starting
            await pending
            assert (engine.pending, engine.waiting_s()) == (0, 0.0)
            assert "alive True" in engine.describe()
            engine._resolve((Output(), {}, 0, None))  # an answer nobody asked for: never a silent IndexError
            await asyncio.sleep(0)
            with pytest.raises(RuntimeError, match="answered a request that was not sent"):
                await asyncio.wait_for(engine.record(records[1], 0, 1, {}), 10)
        finally:
            engine.close()

    asyncio.run(run())


def test_write_back_reads_its_own_writes_and_writes_each_key_once() -> None:
    from streams.pipeline import WriteBack

    writes: list[tuple[str, object]] = []

    class Table(dict[str, object]):
        def __setitem__(self, key: str, value: object) -> None:
            writes.append((key, value))
            super().__setitem__(key, value)

    table = Table(a=1, b=2)
    writes.clear()
    view = WriteBack(table)
    view["a"] = 10
    view["a"] = 11
    del view["b"]
    view["c"] = 3
    assert view["a"] == 11 and "b" not in view and view.get("b") is None and sorted(view) == ["a", "c"]
    with pytest.raises(KeyError):
        del view["b"]
    assert table == {"a": 1, "b": 2} and not writes  # nothing reaches the table before flush
    view.flush()
    assert table == {"a": 11, "c": 3} and writes == [("a", 11), ("c", 3)]
