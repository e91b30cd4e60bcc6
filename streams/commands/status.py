"""`tunnelsight status`: a worker's counters (lag, lines/s, episodes, diagnoses, dead letters)."""

from __future__ import annotations

import argparse
import time
import urllib.error
import urllib.request
from typing import Any

from streams.commands.common import fail
from streams.metrics import parse_prometheus


def register(sub: Any) -> None:
    p = sub.add_parser("status", help="show a running worker's metrics")
    p.add_argument("--url", default="http://127.0.0.1:6066/metrics", help="the worker's /metrics URL")
    p.add_argument("--interval", type=float, default=1.0, help="seconds between the two samples for rates")
    p.set_defaults(func=run)


def _sample(url: str) -> dict[str, float]:
    with urllib.request.urlopen(url, timeout=5) as resp:
        return parse_prometheus(resp.read().decode())


def run(args: argparse.Namespace) -> int:
    try:
        first = _sample(args.url)
        time.sleep(args.interval)
        second = _sample(args.url)
    except (urllib.error.URLError, OSError) as exc:
        return fail(f"no worker answers at {args.url}: {exc}")
    rate = {k: (second.get(k, 0) - first.get(k, 0)) / args.interval for k in second if k.endswith("_total")}
    rows = [
        ("consumer lag (records)", second.get("consumer_lag", 0)),
        ("lines/s", rate.get("lines_total", 0)),
        ("episodes open", second.get("episodes_open", 0)),
        ("diagnoses/s", rate.get("diagnoses_total", 0)),
        ("dead letters/s", rate.get("deadletters_total", 0)),
        ("lines total", second.get("lines_total", 0)),
        ("diagnoses total", second.get("diagnoses_total", 0)),
        ("indexed total", second.get("indexed_total", 0)),
        ("dead letters total", second.get("deadletters_total", 0)),
        ("uptime (s)", second.get("uptime_seconds", 0)),
    ]
    for name, value in rows:
        print(f"{name:<24}{value:>14,.1f}")
    return 0
