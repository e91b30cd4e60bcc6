"""Parse only, and parse + diagnose offline: lines/s on one core, per vendor and mixed."""

from __future__ import annotations

import time
from typing import Any

from bench.load import VENDORS, lines_of, simulated
from streams.correlate.engine import Engine
from streams.parse import ParseContext, parse_line


def parse_rate(lines: list[bytes]) -> float:
    ctx = ParseContext(year=2026)
    start = time.perf_counter()
    for line in lines:
        parse_line(line, ctx)
    return len(lines) / (time.perf_counter() - start)


def diagnose_rate(lines: list[bytes], batch: int = 2048) -> tuple[float, int]:
    ctx = ParseContext(year=2026)
    engine = Engine()
    produced = 0
    start = time.perf_counter()
    for i in range(0, len(lines), batch):
        produced += len(engine.feed([parse_line(x, ctx) for x in lines[i:i + batch]]))
    produced += len(engine.flush())
    return len(lines) / (time.perf_counter() - start), produced


def run(tiny: bool) -> dict[str, Any]:
    duration = "20m" if tiny else "6h"
    gateways = 3 if tiny else 12
    result: dict[str, Any] = {"per_vendor": {}}
    for vendor in VENDORS:
        path = simulated(f"v-{vendor}", gateways=gateways, peers=6, duration=duration, vendors=f"{vendor}=1")
        lines = lines_of(path, 20_000 if tiny else 300_000)
        if not lines:
            continue
        d_rate, _ = diagnose_rate(lines)
        result["per_vendor"][vendor] = {"lines": len(lines), "parse_lines_per_s": round(parse_rate(lines)),
                                        "parse_diagnose_lines_per_s": round(d_rate)}
    mixed = simulated("mixed", gateways=gateways * 3, peers=6, duration=duration)
    lines = lines_of(mixed, 30_000 if tiny else 1_000_000)
    d_rate, produced = diagnose_rate(lines)
    result["mixed"] = {"lines": len(lines), "parse_lines_per_s": round(parse_rate(lines)),
                       "parse_diagnose_lines_per_s": round(d_rate), "diagnoses": produced}
    return result
