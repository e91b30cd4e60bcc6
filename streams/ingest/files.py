"""Replay log files (gzip too) into the raw topic: as fast as possible, at --rate, or following a file.

Lines are batched per gateway exactly as the syslog receiver batches them, so a replay exercises the
same path as live traffic. A line longer than the parser's limit (16 KiB) never enters a raw record: it
goes to `reject` (the dead-letter topic, with the reason and an excerpt), so records stay bounded.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from streams.batch import LineBatch
from streams.ingest.batcher import Batcher, GatewayOf
from streams.inputs import READ_LIMIT, read_lines
from streams.parse.context import DEFAULT_MAX_LINE
from streams.parse.line import EXCERPT

Reject = Callable[[str, bytes, str], None]  # gateway, excerpt, reason


@dataclass
class ReplayStats:
    lines: int = 0
    batches: int = 0
    seconds: float = 0.0
    rejected: int = 0  # over-long lines handed to `reject` instead of a raw record

    @property
    def rate(self) -> float:
        return self.lines / self.seconds if self.seconds else 0.0


def follow_lines(name: str, poll_s: float = 0.2, stop: Callable[[], bool] = lambda: False) -> Iterator[bytes]:
    """Yield lines of a growing file, like `tail -f` (from the start)."""
    with Path(name).open("rb") as fh:
        partial = b""
        while not stop():
            chunk = fh.readline(READ_LIMIT)
            if not chunk:
                time.sleep(poll_s)
                continue
            if len(partial) < READ_LIMIT:  # bounded like read_lines: the rest of an over-long line is dropped
                partial = (partial + chunk)[:READ_LIMIT]
            if chunk.endswith(b"\n"):
                yield partial
                partial = b""


def replay(paths: list[str], emit: Callable[[LineBatch], None], *, rate: float | None = None,
           follow: bool = False, opts: dict[str, Any] | None = None, batch_lines: int = 500,
           batch_bytes: int = 64 * 1024, progress: bool | None = None, flush_at_end: bool = True,
           reject: Reject | None = None, max_line: int = DEFAULT_MAX_LINE) -> ReplayStats:
    """Read the files in order and hand batches to `emit`; returns what was sent.

    With `flush_at_end`, each gateway's last batch is followed by an empty batch marked `flush`: the
    worker then closes that gateway's episodes as `tunnelsight diagnose` does at the end of a file.
    With `reject`, lines over `max_line` bytes go there (gateway, excerpt, reason) instead of a batch.
    """
    show = sys.stderr.isatty() if progress is None else progress
    batcher = Batcher(max_lines=batch_lines, max_bytes=batch_bytes, linger_s=0.005, opts=opts)
    stats = ReplayStats()
    start = time.monotonic()
    last_shown = start
    gateways: dict[str, None] = {}
    for name in paths:
        gateway_of = GatewayOf(fallback=Path(name).name.split(".")[0] if name != "-" else "stdin")
        source = follow_lines(name) if follow else read_lines(name)
        for raw in source:
            size = len(raw.rstrip(b"\r\n"))
            if reject is not None and size > max_line:
                head = raw[:1024].decode("utf-8", "backslashreplace")
                more = "more than " if size >= READ_LIMIT else ""  # read_lines cut it there
                reject(gateway_of(head), raw[:EXCERPT],
                       f"line of {more}{size} bytes exceeds the limit of {max_line}; excerpt of {EXCERPT} kept")
                stats.rejected += 1
                continue
            line = raw.decode("utf-8", "backslashreplace").rstrip("\r\n")
            now = time.time()
            gateway = gateway_of(line)
            gateways[gateway] = None
            done = batcher.add(gateway, line, now)
            stats.lines += 1
            if done is not None:
                emit(done)
                stats.batches += 1
            if rate:
                ahead = stats.lines / rate - (time.monotonic() - start)
                if ahead > 0.002:
                    for b in batcher.drain():  # do not hold lines back while we sleep
                        emit(b)
                        stats.batches += 1
                    time.sleep(ahead)
            if show and stats.lines % 5000 == 0 and time.monotonic() - last_shown > 0.25:
                last_shown = time.monotonic()
                elapsed = last_shown - start
                print(f"\r{stats.lines:,} lines  {stats.lines / elapsed:,.0f} lines/s", end="", file=sys.stderr)
            if follow:
                for b in batcher.due(time.time()):
                    emit(b)
                    stats.batches += 1
        for b in batcher.drain():
            emit(b)
            stats.batches += 1
    if flush_at_end and not follow:
        for gateway in gateways:
            emit(LineBatch(gateway=gateway, opts={**(opts or {}), "flush": True}))
            stats.batches += 1
    stats.seconds = time.monotonic() - start
    if show:
        print(f"\r{stats.lines:,} lines  {stats.rate:,.0f} lines/s  {stats.batches:,} records", file=sys.stderr)
    return stats
