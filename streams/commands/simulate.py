"""`tunnelsight simulate` (write a simulated fleet's logs and ground truth) and `tunnelsight evaluate`
(score diagnoses against that ground truth). Argument parsing and output only."""

from __future__ import annotations

import argparse
import sys
import time
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from streams.commands.common import fail
from streams.simulate import evaluate as ev
from streams.simulate import scenarios
from streams.simulate.fleet import DEFAULT_WEIGHTS, VENDORS
from streams.simulate.writer import Config, generate


def register(sub: Any) -> None:
    p = sub.add_parser("simulate", help="write a simulated multi-vendor fleet's gateway logs and their ground truth")
    p.add_argument("--gateways", type=int, default=8, metavar="N", help="gateways in the fleet (default 8)")
    p.add_argument("--peers", type=int, default=4, metavar="M", help="tunnels (peers) per gateway (default 4)")
    p.add_argument("--duration", default="6h", help="simulated time span: 90s, 45m, 6h, 2d (default 6h)")
    p.add_argument("--seed", type=int, default=1, help="RNG seed: same arguments, same bytes (default 1)")
    p.add_argument("--start", default="2026-02-05T00:00:00Z", help="simulated start time, RFC 3339 (default %(default)s)")
    p.add_argument("--failure-mix", metavar="CLASS=W,...", help="weights of the injected failure classes (default: all equal)")
    p.add_argument("--failure-rate", type=float, default=0.3, help="share of tunnels with an injected failure (default 0.3)")
    p.add_argument("--vendors", metavar="VENDOR=W,...", help=f"vendor weights (default {_weights_text()})")
    p.add_argument("--internal-share", type=float, default=0.1,
                   help="share of tunnels between two gateways of the fleet, logged at both ends (default 0.1)")
    p.add_argument("--device-gap", type=float, default=90.0, help="mean seconds between a gateway's non-VPN lines")
    p.add_argument("--out", type=Path, metavar="DIR", help="write <gateway>.log files and ground_truth.ndjson here")
    p.add_argument("--merged", metavar="FILE", help="also write all gateways' lines interleaved in time order (- = stdout)")
    p.add_argument("--truth", type=Path, metavar="FILE", help="ground truth file (default DIR/ground_truth.ndjson)")
    p.add_argument("--list-classes", action="store_true", help="print the classes each vendor can show, then exit")
    p.set_defaults(func=run)

    e = sub.add_parser("evaluate", help="precision and recall of diagnoses against a simulated fleet's ground truth")
    e.add_argument("--truth", type=Path, required=True, help="ground_truth.ndjson written by `tunnelsight simulate`")
    e.add_argument("--diagnoses", type=Path, required=True, help="NDJSON diagnoses (`tunnelsight diagnose` output)")
    e.add_argument("--slack", type=float, default=120.0, help="seconds of tolerance when matching times (default 120)")
    e.add_argument("--json", action="store_true", help="print the figures as JSON instead of a table")
    e.set_defaults(func=run_evaluate)


def _weights_text() -> str:
    return ",".join(f"{v}={w:g}" for v, w in DEFAULT_WEIGHTS.items())


def parse_duration(text: str) -> float:
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    text = text.strip().lower()
    if text and text[-1] in units:
        return float(text[:-1]) * units[text[-1]]
    return float(text)


def _vendor_weights(text: str | None) -> dict[str, float] | None:
    if not text:
        return None
    weights = dict.fromkeys(VENDORS, 0.0)
    for item in text.split(","):
        name, _, w = item.strip().partition("=")
        if name not in weights:
            raise ValueError(f"unknown vendor {name!r} (known: {', '.join(VENDORS)})")
        weights[name] = float(w) if w else 1.0
    return weights


def config_from(args: argparse.Namespace) -> Config:
    start = datetime.fromisoformat(args.start.replace("Z", "+00:00"))
    if start.tzinfo is None:
        start = start.replace(tzinfo=UTC)
    return Config(seed=args.seed, gateways=args.gateways, peers=args.peers, start=start.timestamp(),
                  duration=parse_duration(args.duration), weights=_vendor_weights(args.vendors),
                  mix=scenarios.parse_mix(args.failure_mix), failure_share=args.failure_rate,
                  internal_share=args.internal_share, device_gap=args.device_gap)


def run(args: argparse.Namespace) -> int:
    if args.list_classes:
        from streams.simulate.vendors import RENDERERS
        for cls in scenarios.CLASSES:
            print(f"{cls:36} {' '.join(v for v, r in RENDERERS.items() if cls in r.classes)}")
        return 0
    try:
        cfg = config_from(args)
    except ValueError as exc:
        return fail(str(exc))
    if args.out is None and args.merged is None:
        return fail("give --out DIR, --merged FILE, or both")
    if cfg.gateways < 1 or cfg.peers < 0 or cfg.duration <= 0:
        return fail("--gateways must be >= 1, --peers >= 0 and --duration > 0")
    truth_path = args.truth or (args.out / "ground_truth.ndjson" if args.out else None)
    began = time.perf_counter()
    with ExitStack() as stack:
        if truth_path is not None:
            truth_path.parent.mkdir(parents=True, exist_ok=True)
        truth: IO[bytes] | None = stack.enter_context(truth_path.open("wb")) if truth_path else None
        merged: IO[str] | None = None
        if args.merged == "-":
            merged = sys.stdout
        elif args.merged:
            merged = stack.enter_context(open(args.merged, "w", encoding="utf-8", newline="\n", buffering=1 << 20))
        stats = generate(cfg, args.out, merged, truth)
    took = time.perf_counter() - began
    failures = sum(n for c, n in stats.episodes.items() if c != "healthy")
    print(f"tunnelsight simulate: {stats.lines} lines ({stats.bytes / 1e6:.1f} MB) from {len(stats.per_gateway)} gateways "
          f"in {took:.2f}s ({stats.lines / max(took, 1e-9):,.0f} lines/s); {failures} failure episodes, "
          f"{stats.episodes.get('healthy', 0)} healthy tunnel ends"
          + (f"; ground truth in {truth_path}" if truth_path else ""), file=sys.stderr)
    return 0


def run_evaluate(args: argparse.Namespace) -> int:
    try:
        report = ev.evaluate(ev.load_truth(args.truth), ev.load_diagnoses(args.diagnoses), slack=args.slack)
    except (OSError, ValueError) as exc:
        return fail(str(exc))
    print(ev.to_json(report) if args.json else ev.table(report))
    return 0
