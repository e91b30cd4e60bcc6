"""`tunnelsight demo`: the whole pipeline on real servers with the built-in sample fleet (streams/demo.py)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser("demo", help="run the pipeline end to end on real servers with a sample fleet")
    p.add_argument("files", nargs="*", metavar="FILE", help="log files (default: the built-in sample fleet)")
    p.add_argument("--keep", action="store_true", help="leave the servers running (make infra-down stops them)")
    p.add_argument("--timeout", type=float, default=300.0, help="seconds to wait for every diagnosis")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from infra.errors import InfraError
    from infra.paths import cache_dir
    from streams.demo import run_demo
    from streams.samples import SAMPLE_FLEET

    files = [Path(f) for f in args.files] or sorted(SAMPLE_FLEET.glob("*.log"))
    try:
        ok = run_demo(files, args.keep, cache_dir() / "demo", timeout=args.timeout,
                      say=lambda s: print(s, flush=True))
    except InfraError as exc:
        print(f"tunnelsight demo: {exc}", file=sys.stderr)
        return 1
    return 0 if ok else 1
