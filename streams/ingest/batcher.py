"""Gather lines per gateway into raw records bounded by count, bytes and age.

Pure and clock-injected, so the bounds are tested without Kafka or sleeping.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from streams.batch import LineBatch
from streams.parse.context import ParseContext
from streams.parse.envelope import split_envelope


class Batcher:
    def __init__(self, max_lines: int = 500, max_bytes: int = 64 * 1024, linger_s: float = 0.005,
                 opts: dict[str, Any] | None = None) -> None:
        self.max_lines = max_lines
        self.max_bytes = max_bytes
        self.linger_s = linger_s
        self.opts = opts or {}
        self._open: dict[str, LineBatch] = {}

    def add(self, gateway: str, line: str, received: float, source: str | None = None) -> LineBatch | None:
        """Add a line; returns a batch that this line completed, if any."""
        batch = self._open.get(gateway)
        if batch is None:
            batch = self._open[gateway] = LineBatch(gateway=gateway, source=source, opts=self.opts)
        batch.add(line, received)
        if len(batch.lines) >= self.max_lines or batch.size >= self.max_bytes:
            del self._open[gateway]
            return batch
        return None

    def due(self, now: float) -> Iterator[LineBatch]:
        """Batches older than the linger time (call every few milliseconds)."""
        for gw in [g for g, b in self._open.items() if now - b.t0 >= self.linger_s]:
            yield self._open.pop(gw)

    def drain(self) -> Iterator[LineBatch]:
        while self._open:
            _, batch = self._open.popitem()
            yield batch

    @property
    def pending_lines(self) -> int:
        return sum(len(b.lines) for b in self._open.values())


class GatewayOf:
    """Which gateway a line belongs to: its syslog host, else the sender address or file name.

    The key decides the partition, so all lines of one gateway (and of each of its SAs) stay in order.
    """

    def __init__(self, fallback: str) -> None:
        self.fallback = fallback
        self._ctx = ParseContext(year=2000)  # only the host is used; the year is irrelevant here

    def __call__(self, line: str) -> str:
        return split_envelope(line, self._ctx).host or self.fallback
