"""`tunnelsight kibana {build,import}`: regenerate the saved objects, or post them to a Kibana.

import sends infra/kibana/tunnelsight.ndjson to Kibana's saved-objects `_import` API (multipart, with
the `kbn-xsrf` header Kibana demands of every write), overwriting our own objects, so running it again
after an upgrade of tunnelsight updates the dashboards in place. stdlib only: no Kibana client needed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser("kibana", help="build or import the Kibana data views and dashboards")
    ksub = p.add_subparsers(dest="kibana_command", metavar="ACTION", required=True)
    b = ksub.add_parser("build", help="regenerate infra/kibana/tunnelsight.ndjson from infra/kibana/spec.py")
    b.set_defaults(func=run_build)
    i = ksub.add_parser("import", help="post the saved objects to Kibana's _import API")
    i.add_argument("--url", default=os.environ.get("TUNNELSIGHT_KIBANA", "http://127.0.0.1:5601"),
                   help="Kibana base URL (env TUNNELSIGHT_KIBANA)")
    i.add_argument("--api-key", default=os.environ.get("TUNNELSIGHT_KIBANA_API_KEY"),
                   help="an API key (env TUNNELSIGHT_KIBANA_API_KEY); without one, no Authorization header")
    i.add_argument("--space", help="a Kibana space id (default: the default space)")
    i.add_argument("--file", type=Path, help="NDJSON to import (default: the bundled one)")
    i.add_argument("--timeout", type=float, default=60.0)
    i.set_defaults(func=run_import)


def run_build(args: argparse.Namespace) -> int:
    from infra.kibana.build import NDJSON, write

    print(f"{NDJSON}: {'rewritten' if write() else 'up to date'}")
    return 0


def multipart(name: str, filename: str, content: bytes) -> tuple[bytes, str]:
    """A multipart/form-data body with one file part; returns (body, content type)."""
    boundary = f"tunnelsight-{uuid.uuid4().hex}"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\n"
            "Content-Type: application/ndjson\r\n\r\n").encode()
    return head + content + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def import_objects(url: str, ndjson: bytes, *, api_key: str | None = None, space: str | None = None,
                   timeout: float = 60.0) -> dict[str, Any]:
    """POST to /api/saved_objects/_import?overwrite=true; returns Kibana's JSON answer."""
    base = url.rstrip("/") + (f"/s/{space}" if space else "")
    body, ctype = multipart("file", "tunnelsight.ndjson", ndjson)
    req = urllib.request.Request(f"{base}/api/saved_objects/_import?overwrite=true", data=body, method="POST")
    req.add_header("kbn-xsrf", "tunnelsight")
    req.add_header("Content-Type", ctype)
    if api_key:
        req.add_header("Authorization", f"ApiKey {api_key}")
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        answer: dict[str, Any] = json.loads(resp.read() or b"{}")
        return answer


def run_import(args: argparse.Namespace) -> int:
    from infra.kibana.build import NDJSON

    path = args.file or NDJSON
    try:
        answer = import_objects(args.url, path.read_bytes(), api_key=args.api_key, space=args.space,
                                timeout=args.timeout)
    except urllib.error.HTTPError as exc:
        return fail(f"Kibana answered {exc.code}: {exc.read()[:500].decode('utf-8', 'replace')}")
    except (urllib.error.URLError, OSError) as exc:
        return fail(f"cannot reach Kibana at {args.url}: {exc}")
    errors = answer.get("errors") or []
    print(f"imported {answer.get('successCount', 0)} objects into {args.url}")
    for err in errors:
        print(f"  {err.get('type')} {err.get('id')}: {json.dumps(err.get('error'))}", file=sys.stderr)
    return 0 if answer.get("success") and not errors else 1


def fail(message: str) -> int:
    """Own copy of commands.common.fail: importing that module loads the whole parser."""
    print(f"tunnelsight: {message}", file=sys.stderr)
    return 2
