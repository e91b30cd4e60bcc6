"""`tunnelsight diagnose FILE... | -`: which SA failed, why, and what to fix, from gateway logs.

Streams the input through the same engine the Faust app runs (bounded memory: per-SA state, never
the lines), prints NDJSON diagnoses as episodes close, or with `--format text` a report grouped by
tunnel. Exits 0 whether or not failures were found; 2 with a one-line reason for unreadable input.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections.abc import Iterator
from datetime import datetime
from typing import Any, TextIO

import orjson

from streams.commands.common import add_input_options, events_from, fail
from streams.correlate.engine import Config, Engine
from streams.correlate.tunnel import TunnelJoin
from streams.inputs import InputError
from streams.parse.context import zone

BATCH = 2048  # events per engine call: the same granularity the stream uses
Doc = dict[str, Any]
_DEFAULTS = Config()


def register(sub: Any) -> None:
    p = sub.add_parser("diagnose", help="diagnose IPsec/IKE failures: NDJSON diagnoses or a text report",
                       description="Correlate gateway log lines into episodes per SA and print one "
                                   "diagnosis per failed or established episode.")
    add_input_options(p)
    p.add_argument("--format", choices=("ndjson", "text"), default="ndjson",
                   help="ndjson (default): one diagnosis document per line; text: a report by tunnel")
    p.add_argument("--failures-only", action="store_true", help="omit success (established SA) documents")
    p.add_argument("--since", metavar="TIME",
                   help="only diagnoses ending at or after TIME (ISO 8601; naive times are in --tz)")
    p.add_argument("--quiet-period", type=float, default=_DEFAULTS.quiet, metavar="S",
                   help="seconds of silence after an explicit failure that close its episode (default 90)")
    p.add_argument("--timeout", type=float, default=_DEFAULTS.negotiation_timeout, metavar="S",
                   help="seconds without an outcome after which a negotiation closes (default 120)")
    p.add_argument("--lateness", type=float, default=_DEFAULTS.lateness, metavar="S",
                   help="how far out of order a gateway's lines may arrive (default 10)")
    p.add_argument("--stats", action="store_true", help="print line and episode counts to stderr at the end")
    p.set_defaults(func=run)


def _since(args: argparse.Namespace) -> float | None:
    if not args.since:
        return None
    try:
        when = datetime.fromisoformat(args.since.replace("Z", "+00:00"))
    except ValueError:
        raise InputError(f"--since {args.since!r} is not an ISO 8601 time") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=zone(args.tz))
    return when.timestamp()


def diagnoses(args: argparse.Namespace, engine: Engine) -> Iterator[Doc]:
    """Every diagnosis document the inputs produce, tunnel-level joins right after their second end."""
    join = TunnelJoin()
    events = events_from(args)
    while True:
        batch = list(itertools.islice(events, BATCH))
        closed = engine.feed(batch) if batch else engine.flush()
        for diagnosis in closed:
            doc = diagnosis.to_doc()
            yield doc
            yield from join.add(doc)
        if not batch:
            return


def _keep(doc: Doc, failures_only: bool, since: float | None) -> bool:
    outcome = doc["event"]["outcome"]
    if failures_only and outcome != "failure":
        return False
    if since is not None:
        end = doc["event"].get("end") or doc.get("@timestamp")
        if end and datetime.fromisoformat(end.replace("Z", "+00:00")).timestamp() < since:
            return False
    return True


def run(args: argparse.Namespace) -> int:
    config = Config(quiet=args.quiet_period, negotiation_timeout=args.timeout, lateness=args.lateness)
    engine = Engine(config)
    docs: list[Doc] = []
    out = sys.stdout.buffer
    try:
        since = _since(args)
        for doc in diagnoses(args, engine):
            if not _keep(doc, args.failures_only, since):
                continue
            if args.format == "text":
                docs.append(doc)
            else:
                out.write(orjson.dumps(doc, option=orjson.OPT_APPEND_NEWLINE))
    except InputError as exc:
        out.flush()
        return fail(str(exc))
    if args.format == "text":
        from streams.commands.diagnose_text import render

        render(docs, engine.stats, sys.stdout)
    out.flush()
    late = engine.stats.get("too_late", 0)
    if late:  # not an error, but a silent drop would hide failures from someone who cat'ed logs together
        print(f"tunnelsight: {late} line{'s' if late != 1 else ''} came more than {config.lateness:g} s after "
              "newer lines of the same gateway and were skipped (unsorted input? raise --lateness)",
              file=sys.stderr)
    if args.stats:
        print_stats(engine, sys.stderr)
    return 0


def print_stats(engine: Engine, stream: TextIO) -> None:
    stream.write(orjson.dumps(dict(sorted(engine.stats.items()))).decode() + "\n")
