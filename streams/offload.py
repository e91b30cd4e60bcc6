"""The diagnose agent's pure work (parse + correlate) in a child process, so a worker uses two cores.

The default; `TUNNELSIGHT_ENGINE_PROCESS=0` keeps everything in one process. (It was opt-in for a while
after a worker taking over after a kill -9 processed nothing: that was records lost by a Faust race at
assignment, fixed in streams/faust_fixes.py, which could hit the one-process worker as well.)

Why: Python runs one thread of Python at a time. In one process the worker's event loop spends about
two thirds of its time in `StreamPipeline.process_record` and the rest in Faust and aiokafka (fetching,
producing, table writes, commits); the two cannot overlap. With the pipeline in a child process the
event loop only moves bytes, and record N+1 is parsed while the diagnoses of record N are produced.

Order is kept: one child, one pipe, requests answered in the order they were sent. Nothing about the
guarantees changes: the agent still publishes a record's diagnoses, then writes its state, then acks it
(streams.app), and the child holds no state that the table does not (it is loaded from the table after
every assignment, exactly as `StreamPipeline.load` does in-process). If the child dies, every pending
request fails and the worker crashes rather than go on without its engine.
"""

from __future__ import annotations

import asyncio
import collections
import logging
import multiprocessing
import queue
import threading
import time
from collections.abc import Iterable
from multiprocessing.connection import Connection
from typing import Any

import orjson

from streams.config import Settings
from streams.metrics import METRICS
from streams.pipeline import Output, StreamPipeline

log = logging.getLogger(__name__)

# output (its diagnoses moved to the last element, as the JSON list the diagnoses topic carries),
# metric increments, episodes open
Reply = tuple[Output, dict[str, float], int, bytes | None]


def _serve(conn: Connection, settings: Settings) -> None:
    """The child: answer ("load", items) / ("record", value, partition, offset) / ("forget", parts)."""
    from streams.runtime import tune_gc

    tune_gc()
    pipeline = StreamPipeline(settings)
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):  # the worker is gone (even after kill -9): so are we
            return
        before = dict(METRICS.counters)
        try:
            kind = request[0]
            out = Output()
            if kind == "record":
                out = pipeline.process_record(request[1], request[2], request[3], {})
            elif kind == "load":
                pipeline.load(request[1])
            elif kind == "forget":
                pipeline.forget(request[1])
            else:
                raise ValueError(f"unknown request {kind!r}")
            deltas = {k: v - before.get(k, 0) for k, v in METRICS.counters.items() if v != before.get(k, 0)}
            # encoded here, where the CPU is to spare: bytes cross the pipe at no cost, dicts do not
            diagnoses = orjson.dumps(out.diagnoses) if out.diagnoses else None
            out.diagnoses = []
            conn.send((out, deltas, pipeline.open_episodes(), diagnoses))
        except Exception as exc:  # handed to the worker, which crashes on it
            conn.send(exc)


class EngineProcess:
    """The child process and the two threads that talk to it without blocking the event loop."""

    def __init__(self, settings: Settings) -> None:
        ctx = multiprocessing.get_context("spawn")  # never fork a process that runs threads
        self._conn, child_conn = ctx.Pipe()
        self._proc = ctx.Process(target=_serve, args=(child_conn, settings), name="tunnelsight-engine",
                                 daemon=True)
        self._proc.start()
        child_conn.close()
        self._loop: asyncio.AbstractEventLoop | None = None
        # each request's future and when it was sent (monotonic): the watchdog reads the oldest
        self._pending: collections.deque[tuple[asyncio.Future[Reply], float]] = collections.deque()
        self._outbox: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self.episodes_open = 0
        self.loaded = False
        self._broken: BaseException | None = None
        threading.Thread(target=self._send_loop, name="engine-send", daemon=True).start()
        threading.Thread(target=self._receive_loop, name="engine-receive", daemon=True).start()

    # -- requests (event loop side) --------------------------------------------------------------
    def record(self, value: bytes, partition: int, offset: int, table: Any) -> asyncio.Future[Reply]:
        """Queue a raw record; the future resolves with its Output once the child has processed it."""
        if not self.loaded:  # after an assignment: the table's state first, as StreamPipeline.load does
            self._request(("load", {bytes(k): bytes(v) for k, v in table.items()}))
            self.loaded = True
        return self._request(("record", value, partition, offset))

    def forget(self, partitions: Iterable[int]) -> asyncio.Future[Reply]:
        """After a revocation (every in-flight record is acked by then): reload on the next record."""
        self.loaded = False
        return self._request(("forget", list(partitions)))

    def _request(self, request: tuple[Any, ...]) -> asyncio.Future[Reply]:
        if self._loop is None:
            self._loop = asyncio.get_running_loop()
        future: asyncio.Future[Reply] = self._loop.create_future()
        if self._broken is not None:
            future.set_exception(self._broken)
            return future
        self._pending.append((future, time.monotonic()))
        self._outbox.put(request)
        return future

    # -- health (event loop side) ------------------------------------------------------------------
    def waiting_s(self) -> float:
        """How long the oldest unanswered request has waited (0 when none): a record takes milliseconds."""
        return time.monotonic() - self._pending[0][1] if self._pending else 0.0

    @property
    def pending(self) -> int:
        return len(self._pending)

    def describe(self) -> str:
        """For the log line of a stuck or failed engine: what a post-mortem needs first."""
        return (f"engine process pid {self._proc.pid} alive {self._proc.is_alive()} exit code {self._proc.exitcode}, "
                f"{self.pending} requests pending (oldest {self.waiting_s():.1f} s), loaded {self.loaded}, "
                f"broken {self._broken!r}")

    # -- threads -----------------------------------------------------------------------------------
    def _send_loop(self) -> None:
        """A full pipe blocks `send` while the child works: that wait belongs here, not on the loop."""
        while True:
            request = self._outbox.get()
            if request is None:
                return
            try:
                self._conn.send(request)
            except Exception as exc:  # a closed pipe, or anything else: pending records must fail, not hang
                self._fail(exc)
                return

    def _receive_loop(self) -> None:
        while True:
            try:
                reply = self._conn.recv()
            except Exception as exc:  # EOF when the child is gone; anything else is as fatal (never a hang)
                self._fail(exc)
                return
            loop = self._loop
            if loop is not None:
                loop.call_soon_threadsafe(self._resolve, reply)

    def _resolve(self, reply: Reply | BaseException) -> None:
        if not self._pending:  # never expected; a silent IndexError in a loop callback would hang the worker
            self._fail(RuntimeError("the engine process answered a request that was not sent"))
            return
        future, _ = self._pending.popleft()
        if isinstance(reply, BaseException):
            future.set_exception(reply)
            return
        _, deltas, self.episodes_open, _ = reply
        for name, by in deltas.items():
            METRICS.inc(name, by)
        future.set_result(reply)

    def _fail(self, exc: BaseException) -> None:
        if self._broken is not None:
            return
        self._broken = RuntimeError(f"the engine process stopped ({type(exc).__name__}: {exc}); "
                                    f"exit code {self._proc.exitcode}")
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._fail_pending)

    def _fail_pending(self) -> None:
        while self._pending:
            future, _ = self._pending.popleft()
            if not future.done():
                assert self._broken is not None
                future.set_exception(self._broken)

    def close(self) -> None:
        self._outbox.put(None)
        self._conn.close()
        self._proc.join(5)
        if self._proc.is_alive():
            self._proc.kill()
