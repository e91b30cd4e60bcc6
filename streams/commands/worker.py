"""`tunnelsight worker`: run the Faust worker (several may join one consumer group)."""

from __future__ import annotations

import argparse
import logging
import os
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser("worker", help="run the stream worker: raw lines -> diagnoses -> Elasticsearch")
    p.add_argument("--loglevel", default="info")
    p.add_argument("--web-port", type=int, help="port of /metrics (default TUNNELSIGHT_WEB_PORT or 6066)")
    p.add_argument("--store", choices=("rocksdb://", "memory://"), help="table store (default rocksdb://)")
    p.add_argument("--datadir", help="where RocksDB tables live (default .cache/worker)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    # streams.app reads its settings from the environment when imported: set them first.
    if args.web_port:
        os.environ["TUNNELSIGHT_WEB_PORT"] = str(args.web_port)
    if args.store:
        os.environ["TUNNELSIGHT_STORE"] = args.store
    if args.datadir:
        os.environ["TUNNELSIGHT_DATADIR"] = args.datadir
    from faust.worker import Worker

    from streams.app import app, settings
    from streams.topics import ensure_topics

    ensure_topics(settings)
    logging.getLogger("elastic_transport").setLevel(logging.WARNING)  # one INFO line per request otherwise
    worker = Worker(app, loglevel=args.loglevel, quiet=True)
    worker.execute_from_commandline()
    return 0
