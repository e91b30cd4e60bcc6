"""`tunnelsight` command line. Each subcommand lives in its own module with `register(subparsers)`.

Modules are imported lazily per command where they pull heavy dependencies (Faust, Elasticsearch),
so `tunnelsight parse` and `diagnose` start fast and work without servers.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from streams import __version__
from streams.runtime import tune_gc

# Modules that define `register(subparsers)`; each adds one or more subcommands.
COMMAND_MODULES: tuple[str, ...] = (
    "streams.commands.parse",
    "streams.commands.diagnose",
    "streams.commands.simulate",
    "streams.commands.ingest",
    "streams.commands.worker",
    "streams.commands.status",
    "streams.commands.indices",
    "streams.commands.report",
    "streams.commands.kibana",
    "infra.cli",
    "streams.commands.demo",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tunnelsight",
        description="Diagnose IPsec/IKE VPN tunnel failures from gateway logs, offline or live.",
    )
    parser.add_argument("--version", action="version", version=f"tunnelsight {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue  # a command not built yet
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    tune_gc()
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `tunnelsight diagnose x | head`
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
