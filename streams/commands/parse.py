"""`tunnelsight parse FILE... | -`: print one NDJSON event record per input line."""

from __future__ import annotations

import argparse
import sys
from typing import Any

import orjson

from streams.commands.common import add_input_options, events_from, fail
from streams.inputs import InputError


def register(sub: Any) -> None:
    p = sub.add_parser("parse", help="parse gateway log lines into NDJSON event records")
    add_input_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    out = sys.stdout.buffer
    try:
        for ev in events_from(args):
            out.write(orjson.dumps(ev.to_doc(), option=orjson.OPT_APPEND_NEWLINE))
    except InputError as exc:
        out.flush()
        return fail(str(exc))
    out.flush()
    return 0
