"""`python -m infra` and `tunnelsight infra`: ACTION [kafka|elasticsearch|all], ACTION being one of:

fetch  downloads into the cache (Maven), idempotent, offline once done;
start  leaves servers running for development (state in .cache/run/), reusing running ones;
stop   stops what start started;
status says where each server answers and prints the export lines that point tests and the demo at it;
reset  deletes a stopped developer server's data (the next start begins empty).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from typing import Any

from infra import dev
from infra.errors import InfraError
from infra.paths import REPO_ROOT

ACTIONS = ("fetch", "start", "stop", "status", "reset")


def register(sub: Any) -> None:
    p = sub.add_parser(
        "infra",
        help="fetch, start, stop or check the Kafka and Elasticsearch servers",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_arguments(p)
    p.set_defaults(func=run)


def _add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", choices=ACTIONS)
    p.add_argument("server", nargs="?", default="all", choices=(*dev.SERVERS, "all"))
    p.add_argument("--kafka-port", type=int, help="start: broker port (default 9092, else a free one)")
    p.add_argument("--es-port", type=int, help="start: HTTP port (default 9200, else a free one)")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m infra", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    _add_arguments(parser)
    return run(parser.parse_args(argv))


def run(args: argparse.Namespace) -> int:
    names = dev.SERVERS if args.server == "all" else (args.server,)
    ports = {"kafka": args.kafka_port, "elasticsearch": args.es_port}
    status = 0
    for name in names:
        try:
            status = max(status, _ACTIONS[args.action](name, ports[name]))
        except InfraError as exc:
            print(f"{name}: {exc}", file=sys.stderr)
            status = 1
    return status


def _fetch(name: str, port: int | None) -> int:
    external = dev.from_env(name)
    if external:
        print(f"{name}: using {external} from the environment, nothing to fetch")
        return 0
    began = time.monotonic()
    path = dev.fetch(name)
    print(f"{name}: ready in {_show(path)} ({time.monotonic() - began:.1f}s)")
    return 0


def _start(name: str, port: int | None) -> int:
    began = time.monotonic()
    endpoint = dev.up(name, port)
    verb = {"env": "using (from the environment)", "running": "already running at", "started": "started at"}
    took = f" in {time.monotonic() - began:.1f}s" if endpoint.source == "started" else ""
    print(f"{name}: {verb[endpoint.source]} {endpoint.address}{took}")
    return 0


def _stop(name: str, port: int | None) -> int:
    if dev.from_env(name):
        print(f"{name}: external ({dev.from_env(name)}), not ours to stop")
    elif dev.down(name):
        print(f"{name}: stopped")
    else:
        print(f"{name}: not running")
    return 0


def _status(name: str, port: int | None) -> int:
    external = dev.from_env(name)
    endpoint = dev.Endpoint(name, external, "env") if external else dev.running(name)
    if endpoint is None:
        print(f"{name}: not running (python -m infra start {name})")
        return 1
    ok = dev.healthy(name, endpoint.address)
    where = (
        "from the environment"
        if endpoint.source == "env"
        else f"pid {endpoint.pid}, log {_show(endpoint.log)}"
    )
    print(f"{name}: {endpoint.address} {'healthy' if ok else 'NOT answering'} ({where})")
    if ok and endpoint.source != "env":
        print(f"  {endpoint.export_line()}")
    return 0 if ok else 1


def _reset(name: str, port: int | None) -> int:
    dev.reset(name)
    print(f"{name}: data deleted")
    return 0


_ACTIONS = {"fetch": _fetch, "start": _start, "stop": _stop, "status": _status, "reset": _reset}


def _show(path: object) -> str:
    """Paths inside the repo shown relative to it, so output pastes into docs and issues."""
    text = str(path)
    root = str(REPO_ROOT) + "/"
    return text[len(root) :] if text.startswith(root) else text
