"""`tunnelsight indices {apply,retention,generate}`: the Elasticsearch side's maintenance.

apply      puts the index templates and creates the indices and aliases (what the stream does at start-up)
retention  deletes monthly indices older than N months: this server has no ILM, so run it daily (cron,
           a Kubernetes CronJob); it is idempotent
generate   rewrites schemas/index_templates/ and docs/fields.md from schemas/fields.yaml (--check: only
           say whether they are stale, exit 1 if so; CI runs that)
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any


def add_es_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--es", default=os.environ.get("TUNNELSIGHT_ES", "http://127.0.0.1:9200"),
                   help="Elasticsearch URL (env TUNNELSIGHT_ES)")
    p.add_argument("--prefix", default=os.environ.get("TUNNELSIGHT_INDEX_PREFIX", "tunnelsight"),
                   help="index name prefix (env TUNNELSIGHT_INDEX_PREFIX)")


def es_client(url: str) -> Any:
    from streams.es_client import EsConfig, sync_client  # credentials and TLS from the environment

    return sync_client(EsConfig.from_env(url=url))


def register(sub: Any) -> None:
    p = sub.add_parser("indices", help="apply index templates, enforce retention, regenerate the catalogue's files")
    isub = p.add_subparsers(dest="indices_command", metavar="ACTION", required=True)
    a = isub.add_parser("apply", help="put the index templates, create indices and aliases (idempotent)")
    add_es_options(a)
    a.add_argument("--replicas", type=int, default=0)
    a.set_defaults(func=run_apply)
    r = isub.add_parser("retention", help="delete monthly indices older than --months")
    add_es_options(r)
    r.add_argument("--months", type=int, default=int(os.environ.get("TUNNELSIGHT_RETENTION_MONTHS", "13")),
                   help="months to keep, the current one included (env TUNNELSIGHT_RETENTION_MONTHS, 13)")
    r.add_argument("--dry-run", action="store_true", help="print what would be deleted")
    r.set_defaults(func=run_retention)
    g = isub.add_parser("generate", help="regenerate schemas/index_templates/ and docs/fields.md")
    g.add_argument("--check", action="store_true", help="exit 1 when the generated files are stale")
    g.set_defaults(func=run_generate)


def run_apply(args: argparse.Namespace) -> int:
    from schemas.indices import Indices
    from schemas.templates import apply
    from streams.es_client import redact

    try:
        for line in apply(es_client(args.es), Indices(args.prefix), replicas=args.replicas):
            print(line)
    except Exception as exc:  # the client's errors have no common base worth importing here
        return fail(f"cannot apply the templates at {redact(args.es)}: {exc}")
    return 0


def run_retention(args: argparse.Namespace) -> int:
    from schemas.indices import Indices, enforce_retention
    from streams.es_client import redact

    try:
        doomed = enforce_retention(es_client(args.es), args.months, indices=Indices(args.prefix),
                                   dry_run=args.dry_run)
    except ValueError as exc:
        return fail(str(exc))
    except Exception as exc:
        return fail(f"retention failed at {redact(args.es)}: {exc}")
    verb = "would delete" if args.dry_run else "deleted"
    print(f"{verb} {len(doomed)} indices" + "".join(f"\n  {n}" for n in doomed))
    return 0


def run_generate(args: argparse.Namespace) -> int:
    from schemas.templates import generate

    stale = generate(check=args.check)
    for path in stale:
        print(f"{'stale' if args.check else 'wrote'} {path}")
    return 1 if args.check and stale else 0


def fail(message: str) -> int:
    """Own copy of commands.common.fail: importing that module loads the whole parser."""
    print(f"tunnelsight: {message}", file=sys.stderr)
    return 2
