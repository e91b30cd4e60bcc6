"""The raw Kafka record: a batch of lines from one gateway, not one line per record.

Faust spends ~200 µs per record whatever its size, so one line per record caps a worker near 5k
lines/s; a few hundred lines per record moves the cost to parsing, where it belongs.

Wire format (orjson): {"v": 1, "gw": key, "src": sender address, "t0": receive time of the first line,
"dt": [ms offsets of each line from t0], "lines": [...], "opts": {"year": .., "tz": .., "vendor": ..}}
`opts` carries the parse options a replay was started with, so the stream parses exactly as
`tunnelsight diagnose` would. A record with "tick" instead of "lines" is a timer tick (see agents).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import orjson

VERSION = 1


@dataclass(slots=True)
class LineBatch:
    gateway: str
    lines: list[str] = field(default_factory=list)
    offsets_ms: list[int] = field(default_factory=list)
    t0: float = 0.0
    source: str | None = None
    opts: dict[str, Any] = field(default_factory=dict)
    size: int = 0  # bytes of lines, for the size bound

    def add(self, line: str, received: float) -> None:
        if not self.lines:
            self.t0 = received
        self.lines.append(line)
        self.offsets_ms.append(int((received - self.t0) * 1000))
        self.size += len(line)

    def received_at(self, i: int) -> float:
        return self.t0 + self.offsets_ms[i] / 1000.0

    def encode(self) -> bytes:
        doc: dict[str, Any] = {"v": VERSION, "gw": self.gateway, "t0": self.t0, "dt": self.offsets_ms,
                               "lines": self.lines}
        if self.source:
            doc["src"] = self.source
        if self.opts:
            doc["opts"] = self.opts
        return orjson.dumps(doc)


class BadRecord(ValueError):
    """A raw record that is not a batch we understand; it goes to the dead-letter topic."""


def decode(value: bytes) -> LineBatch | float:
    """A LineBatch, or the wall-clock time of a tick record."""
    try:
        doc = orjson.loads(value)
    except orjson.JSONDecodeError as exc:
        raise BadRecord(f"raw record is not JSON: {exc}") from None
    if not isinstance(doc, dict):
        raise BadRecord("raw record is not a JSON object")
    if "tick" in doc:
        return float(doc["tick"])
    lines = doc.get("lines")
    if doc.get("v") != VERSION or not isinstance(lines, list) or not all(isinstance(x, str) for x in lines):
        raise BadRecord(f"raw record of unknown version {doc.get('v')!r} or without a list of lines")
    offsets = doc.get("dt")
    if not isinstance(offsets, list) or len(offsets) != len(lines):
        offsets = [0] * len(lines)
    return LineBatch(gateway=str(doc.get("gw", "")), lines=lines, offsets_ms=offsets,
                     t0=float(doc.get("t0", 0.0)), source=doc.get("src"), opts=doc.get("opts") or {})


def tick(now: float) -> bytes:
    return orjson.dumps({"tick": now})
