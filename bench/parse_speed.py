"""Parse-step speed: lines/s of `parse_line` on one core, mixed and per vendor (CPU time, best of N).

    python -m bench.parse_speed FILE [FILE ...] [--repeat 3] [--profile] [--json OUT]

Lines are read as bytes, as `tunnelsight parse` reads them, and parsed with a fresh `ParseContext` per
run. Time is `time.process_time` (the machine is shared: wall time is noisy); the best of `--repeat`
runs is reported. "Per vendor" groups the lines by the vendor the parser gives them and times each
group alone. `--profile` prints the cProfile top of one mixed run (where the time goes).
Standalone on purpose: it needs nothing from bench/ and writes nothing unless `--json` is given.
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import pstats
import sys
import time
from collections import defaultdict
from pathlib import Path

import orjson

from streams.parse import ParseContext, parse_line


def read(paths: list[str]) -> list[bytes]:
    lines: list[bytes] = []
    for name in paths:
        raw = Path(name).read_bytes()
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        lines.extend(raw.splitlines(keepends=True))
    return lines


def rate(lines: list[bytes], repeat: int) -> float:
    """Best lines/s over `repeat` runs, in CPU time."""
    best = float("inf")
    for _ in range(repeat):
        ctx = ParseContext(year=2026)
        start = time.process_time()
        for line in lines:
            parse_line(line, ctx)
        best = min(best, time.process_time() - start)
    return len(lines) / best if best > 0 else float("inf")


def by_vendor(lines: list[bytes]) -> dict[str, list[bytes]]:
    ctx = ParseContext(year=2026)
    groups: dict[str, list[bytes]] = defaultdict(list)
    for line in lines:
        groups[parse_line(line, ctx).vendor].append(line)
    return dict(sorted(groups.items()))


def profile(lines: list[bytes], top: int) -> None:
    ctx = ParseContext(year=2026)
    prof = cProfile.Profile()
    prof.enable()
    for line in lines:
        parse_line(line, ctx)
    prof.disable()
    pstats.Stats(prof, stream=sys.stdout).strip_dirs().sort_stats("tottime").print_stats(top)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.parse_speed", description=__doc__.split("\n")[0])
    ap.add_argument("files", nargs="+", metavar="FILE")
    ap.add_argument("--repeat", type=int, default=3, help="runs per measurement; the best counts (default 3)")
    ap.add_argument("--no-vendors", action="store_true", help="mixed rate only")
    ap.add_argument("--profile", action="store_true", help="print the cProfile top of one mixed run")
    ap.add_argument("--top", type=int, default=30, help="rows of the profile (default 30)")
    ap.add_argument("--json", metavar="OUT", help="also write the figures as JSON")
    args = ap.parse_args(argv)

    lines = read(args.files)
    result: dict[str, dict[str, int]] = {}
    if not args.no_vendors:
        for vendor, group in by_vendor(lines).items():
            result[vendor] = {"lines": len(group), "lines_per_s": round(rate(group, args.repeat))}
    result["mixed"] = {"lines": len(lines), "lines_per_s": round(rate(lines, args.repeat))}
    width = max(len(k) for k in result)
    for name, row in result.items():
        print(f"{name:<{width}}  {row['lines']:>9,} lines  {row['lines_per_s']:>9,} lines/s")
    if args.json:
        Path(args.json).write_bytes(orjson.dumps(result, option=orjson.OPT_INDENT_2))
    if args.profile:
        profile(lines, args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
