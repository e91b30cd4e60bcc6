"""Raw records through the worker's pipeline without servers, as the diagnose agent would apply them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import orjson

from streams.config import Settings
from streams.metrics import METRICS
from streams.pipeline import StreamPipeline


def apply_state_writes(table: dict[bytes, bytes], writes: Iterable[tuple[bytes, bytes | None]]) -> None:
    """A record's state writes (all or a part) into a dict table, as the diagnose agent writes them into
    the Faust table."""
    for key, value in writes:
        if value is None:
            table.pop(key, None)
        else:
            table[key] = value


def run_records(records: list[bytes]) -> tuple[list[dict[str, Any]], Callable[[str], float]]:
    """Feed records in order, applying each record's state writes to a dict table; returns the dead
    letters (decoded) and `delta(metric)`, how much a counter grew meanwhile."""
    before = dict(METRICS.counters)
    pipeline = StreamPipeline(Settings())
    table: dict[bytes, bytes] = {}
    dead: list[dict[str, Any]] = []
    for offset, record in enumerate(records):
        out = pipeline.process_record(record, 0, offset, table)
        dead += [orjson.loads(v) for _, v in out.deadletters]
        apply_state_writes(table, out.state_writes)

    def delta(name: str) -> float:
        return METRICS.counters.get(name, 0) - before.get(name, 0)

    return dead, delta
