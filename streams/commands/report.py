"""`tunnelsight report [--since 7d] [--peer X] [--format text|json|png] [--es URL]`.

Failures by class, peer, gateway and day, the top offenders, new and regressed tunnels and the mean time
to recovery, from the indices the stream fills. `--format png` writes a chart (--output, default
tunnelsight-report.png) and prints its path.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser("report", help="failures by class, peer, gateway and day; top offenders; MTTR")
    p.add_argument("--since", default="7d", help="how far back: 90m, 24h, 7d, 4w (default 7d)")
    p.add_argument("--peer", help="only this peer: an address, or a partner name from the inventory")
    p.add_argument("--format", choices=("text", "json", "png"), default="text")
    p.add_argument("--output", type=Path, help="png: where to write the chart (default tunnelsight-report.png)")
    p.add_argument("--es", default=os.environ.get("TUNNELSIGHT_ES", "http://127.0.0.1:9200"),
                   help="Elasticsearch URL (env TUNNELSIGHT_ES)")
    p.add_argument("--prefix", default=os.environ.get("TUNNELSIGHT_INDEX_PREFIX", "tunnelsight"),
                   help="index name prefix (env TUNNELSIGHT_INDEX_PREFIX)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from elastic_transport import TransportError

    from schemas.indices import Indices
    from streams.es_client import CredentialsError, EsConfig, redact, sync_client
    from streams.report import fetch, query

    try:
        since = query.parse_since(args.since)
    except ValueError as exc:
        return _fail(str(exc))
    where = redact(args.es)  # messages never show credentials given in the URL
    try:
        es = sync_client(EsConfig.from_env(url=args.es, request_timeout=60))
    except CredentialsError as exc:
        return _fail(str(exc))
    try:
        report = fetch(es, since, args.peer, indices=Indices(args.prefix))
    except (TransportError, ConnectionError) as exc:
        return _fail(f"cannot query Elasticsearch at {where}: {exc}")
    except Exception as exc:  # ApiError and friends: say what the server said, not a traceback
        return _fail(f"Elasticsearch at {where} refused the report's searches: {exc}")
    if args.format == "json":
        print(json.dumps(report.to_json(), indent=2))
    elif args.format == "png":
        from streams.report.chart import render as render_png

        print(render_png(report, args.output or Path("tunnelsight-report.png")))
    else:
        from streams.commands.diagnose_text import printable
        from streams.report.text import render as render_text

        sys.stdout.write(printable(render_text(report)))  # names and peers come from logs: escaped
    return 0


def _fail(message: str) -> int:
    print(f"tunnelsight: {message}", file=sys.stderr)
    return 2
