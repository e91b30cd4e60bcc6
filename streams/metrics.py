"""Counters and gauges of a worker, rendered as Prometheus text on its web endpoint (/metrics).

Plain dicts: the hot path increments per batch, never per line.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

PREFIX = "tunnelsight_"

HELP: dict[str, str] = {
    "lines_total": "log lines processed by the diagnose agent",
    "records_total": "raw Kafka records (line batches) processed",
    "diagnoses_total": "diagnosis documents produced",
    "deadletters_total": "lines or documents sent to the dead-letter topic",
    "parse_errors_total": "lines that were not log lines (binary, over-long)",
    "unrecognized_total": "lines of a known or unknown vendor that no pattern covered",
    "fleet_records_total": "diagnosis records the fleet agent joined and enriched",
    "sink_records_total": "operation records the sink agent took",
    "indexed_total": "documents indexed into Elasticsearch",
    "sink_retries_total": "bulk retries after 429/5xx or an unreachable Elasticsearch",
    "episodes_open": "episodes open in this worker's partitions",
    "consumer_lag": "raw records not yet processed, summed over assigned partitions",
    "engine_requests_pending": "records handed to the engine process and not answered yet (engine process mode)",
    "engine_wait_seconds": "how long the oldest of them has waited; minutes mean a wedged engine process",
    "uptime_seconds": "seconds since the worker started",
}


@dataclass
class Metrics:
    counters: dict[str, float] = field(default_factory=dict)
    gauges: dict[str, float] = field(default_factory=dict)
    started: float = field(default_factory=time.time)

    def inc(self, name: str, by: float = 1) -> None:
        self.counters[name] = self.counters.get(name, 0) + by

    def set_gauge(self, name: str, value: float) -> None:
        self.gauges[name] = value


METRICS = Metrics()


def prometheus_text(m: Metrics) -> str:
    m.set_gauge("uptime_seconds", time.time() - m.started)
    out: list[str] = []
    for kind, values in (("counter", m.counters), ("gauge", m.gauges)):
        for name in sorted(values):
            full = PREFIX + name
            if name in HELP:
                out.append(f"# HELP {full} {HELP[name]}")
            out.append(f"# TYPE {full} {kind}")
            out.append(f"{full} {values[name]:g}")
    return "\n".join(out) + "\n"


def parse_prometheus(text: str) -> dict[str, float]:
    """The inverse, for `tunnelsight status`."""
    values: dict[str, float] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition(" ")
            try:
                values[name.removeprefix(PREFIX)] = float(value)
            except ValueError:
                continue
    return values
