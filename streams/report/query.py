"""The searches behind `tunnelsight report`: three requests, everything else is aggregation.

1. diagnoses (alias): failures in the period by class, peer, gateway, day, tunnel and recurrence, plus
   the time to recovery of the outages that ended;
2. tunnels (latest state): the tunnels down now;
3. incidents: the fleet incidents still open.
Field names are the catalogue's (schemas/fields.yaml); a unit test checks every one.
"""

from __future__ import annotations

import ipaddress
import re
from datetime import timedelta
from typing import Any

_SINCE = re.compile(r"^\s*(\d+)\s*([mhdw])\s*$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_since(text: str) -> timedelta:
    """`7d`, `24h`, `90m`, `2w`."""
    m = _SINCE.match(text)
    if not m:
        raise ValueError(f"--since {text!r}: use a number and a unit, m h d or w (e.g. 7d)")
    return timedelta(**{_UNITS[m[2]]: int(m[1])})


def peer_filter(peer: str | None) -> list[dict[str, Any]]:
    """A peer by address (`vpn.remote.ip`) or by the inventory's partner name."""
    if not peer:
        return []
    try:
        ipaddress.ip_address(peer)
    except ValueError:
        return [{"term": {"tunnelsight.peer.name": peer}}]
    return [{"term": {"vpn.remote.ip": peer}}]


FAILURES: list[dict[str, Any]] = [{"term": {"event.outcome": "failure"}}]
NOT_TUNNEL_LEVEL: list[dict[str, Any]] = [{"term": {"event.action": "tunnel_failed"}}]


def diagnoses_body(start: str, end: str, peer: str | None, top: int = 10) -> dict[str, Any]:
    return {
        "size": 0,
        "track_total_hits": True,
        "query": {"bool": {
            "filter": [*FAILURES, {"range": {"@timestamp": {"gte": start, "lte": end}}}, *peer_filter(peer)],
            "must_not": NOT_TUNNEL_LEVEL,
        }},
        "aggs": {
            "by_class": {"terms": {"field": "vpn.failure.class", "size": 30}},
            "by_peer": {"terms": {"field": "vpn.remote.ip", "size": top},
                        "aggs": {"name": {"terms": {"field": "tunnelsight.peer.name", "size": 1}},
                                 "class": {"terms": {"field": "vpn.failure.class", "size": 1}}}},
            "by_gateway": {"terms": {"field": "observer.hostname", "size": top},
                           "aggs": {"class": {"terms": {"field": "vpn.failure.class", "size": 1}}}},
            "by_day": {"date_histogram": {"field": "@timestamp", "calendar_interval": "1d", "min_doc_count": 0,
                                          "extended_bounds": {"min": start, "max": end}},
                       "aggs": {"class": {"terms": {"field": "vpn.failure.class", "size": 30}}}},
            "by_recurrence": {"terms": {"field": "tunnelsight.recurrence", "size": 3}},
            "top_tunnels": {"terms": {"field": "tunnelsight.tunnel.id", "size": top},
                            "aggs": {"class": {"terms": {"field": "vpn.failure.class", "size": 1}}}},
            "changed": {"filter": {"terms": {"tunnelsight.recurrence": ["new", "regression"]}},
                        "aggs": {"tunnels": {"terms": {"field": "tunnelsight.tunnel.id", "size": 50},
                                             "aggs": {"kind": {"terms": {"field": "tunnelsight.recurrence",
                                                                         "size": 2}},
                                                      "first": {"min": {"field": "@timestamp"}},
                                                      "class": {"terms": {"field": "vpn.failure.class",
                                                                          "size": 1}}}}}},
            "recovery": {"filter": {"exists": {"field": "tunnelsight.recovery.seconds"}},
                         "aggs": {"mean": {"avg": {"field": "tunnelsight.recovery.seconds"}},
                                  "pct": {"percentiles": {"field": "tunnelsight.recovery.seconds",
                                                          "percents": [50, 90]}},
                                  "by_class": {"terms": {"field": "vpn.failure.class", "size": 30},
                                               "aggs": {"mean": {"avg": {"field": "tunnelsight.recovery.seconds"}}}}}},
        },
    }


def tunnels_body(peer: str | None, size: int = 50) -> dict[str, Any]:
    return {
        "size": size,
        "track_total_hits": True,
        "query": {"bool": {"filter": [{"term": {"tunnelsight.tunnel.status": "down"}}, *peer_filter(peer)]}},
        "sort": [{"tunnelsight.tunnel.since": "asc"}],
        "_source": ["tunnelsight.tunnel.id", "tunnelsight.tunnel.since", "vpn.failure.class",
                    "tunnelsight.peer.name"],
    }


def incidents_body(peer: str | None, size: int = 20) -> dict[str, Any]:
    return {
        "size": size,
        "track_total_hits": True,
        "query": {"bool": {"filter": [{"term": {"tunnelsight.incident.status": "open"}}, *peer_filter(peer)]}},
        "sort": [{"event.start": "asc"}],
        "_source": ["message", "event.start", "tunnelsight.incident.id", "tunnelsight.incident.side",
                    "tunnelsight.incident.key", "tunnelsight.incident.tunnel_count", "vpn.failure.class"],
    }
