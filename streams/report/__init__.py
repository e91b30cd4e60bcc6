"""`tunnelsight report`: failures by class, peer, gateway and day, the top offenders, new and regressed
tunnels and the mean time to recovery, from Elasticsearch (query.py), as data (model.py), text
(text.py) or a chart (chart.py). The command line is streams/commands/report.py.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from schemas.indices import DEFAULT_INDICES, Indices
from streams.report import query
from streams.report.model import Report, build


def fetch(es: Any, since: timedelta, peer: str | None = None, *, indices: Indices = DEFAULT_INDICES,
          now: datetime | None = None) -> Report:
    """Run the three searches (missing indices count as empty) and build the report."""
    end_dt = now or datetime.now(UTC)
    start, end = ((end_dt - since).strftime("%Y-%m-%dT%H:%M:%SZ"), end_dt.strftime("%Y-%m-%dT%H:%M:%SZ"))
    opts = {"ignore_unavailable": True, "allow_no_indices": True}
    diagnoses = es.search(index=indices.diagnoses, body=query.diagnoses_body(start, end, peer), **opts).body
    tunnels = es.search(index=indices.tunnels, body=query.tunnels_body(peer), **opts).body
    incidents = es.search(index=indices.incidents, body=query.incidents_body(peer), **opts).body
    return build(start, end, peer, diagnoses, tunnels, incidents)


__all__ = ["Report", "build", "fetch", "query"]
