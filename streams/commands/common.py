"""Options and input handling shared by the offline commands (parse, diagnose)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from zoneinfo import ZoneInfoNotFoundError

from schemas.events import Event
from streams.inputs import InputError, read_lines
from streams.parse import ParseContext, parse_line
from streams.parse.context import zone
from streams.parse.registry import by_name


def add_input_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="+", metavar="FILE", help="log files (gzip too), or - for standard input")
    p.add_argument("--vendor", choices=sorted(by_name()), help="force a dialect instead of detecting it")
    p.add_argument("--year", type=int, help="year of the first line when the log prints none")
    p.add_argument("--tz", default="UTC", help="time zone of timestamps that print none (IANA name)")


def context_from(args: argparse.Namespace) -> ParseContext:
    try:
        tz = zone(args.tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(f"unknown time zone {args.tz!r}") from None
    return ParseContext(year=args.year, tz=tz, vendor=args.vendor)


def events_from(args: argparse.Namespace) -> Iterator[Event]:
    """Events of every input file in order, one parse context per file."""
    for name in args.files:
        ctx = context_from(args)
        for line in read_lines(name):
            yield parse_line(line, ctx)


def fail(message: str) -> int:
    print(f"tunnelsight: {message}", file=sys.stderr)
    return 2
