"""The report as data: built from the three search responses, printed as text, JSON or a chart.

Pure functions of the responses, so the unit tests feed recorded ones and the integration test feeds the
real server's.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(slots=True)
class Count:
    key: str
    count: int
    label: str | None = None  # a partner name for a peer, the dominant class for a tunnel


@dataclass(slots=True)
class Changed:
    tunnel: str
    kind: str  # new | regression
    first: str | None
    failure_class: str | None


@dataclass(slots=True)
class Recovery:
    outages: int = 0
    mean_s: float | None = None
    median_s: float | None = None
    p90_s: float | None = None
    by_class: list[tuple[str, float, int]] = field(default_factory=list)  # class, mean seconds, outages


@dataclass(slots=True)
class Report:
    start: str
    end: str
    peer: str | None
    failures: int = 0
    by_class: list[Count] = field(default_factory=list)
    by_peer: list[Count] = field(default_factory=list)
    by_gateway: list[Count] = field(default_factory=list)
    by_day: list[tuple[str, dict[str, int]]] = field(default_factory=list)  # day, class -> count
    recurrence: dict[str, int] = field(default_factory=dict)
    top_tunnels: list[Count] = field(default_factory=list)
    changed: list[Changed] = field(default_factory=list)
    recovery: Recovery = field(default_factory=Recovery)
    down_now: list[dict[str, Any]] = field(default_factory=list)
    down_total: int = 0
    open_incidents: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _buckets(aggs: dict[str, Any], name: str) -> list[dict[str, Any]]:
    return list((aggs.get(name) or {}).get("buckets") or [])


def _top_key(bucket: dict[str, Any], sub: str) -> str | None:
    inner = _buckets(bucket, sub)
    return str(inner[0]["key"]) if inner else None


def _total(resp: dict[str, Any]) -> int:
    total = resp.get("hits", {}).get("total", 0)
    return int(total["value"] if isinstance(total, dict) else total)


def _sources(resp: dict[str, Any]) -> list[dict[str, Any]]:
    return [h.get("_source", {}) for h in resp.get("hits", {}).get("hits", [])]


def build(start: str, end: str, peer: str | None, diagnoses: dict[str, Any], tunnels: dict[str, Any] | None,
          incidents: dict[str, Any] | None) -> Report:
    a = diagnoses.get("aggregations") or {}
    r = Report(start=start, end=end, peer=peer, failures=_total(diagnoses))
    r.by_class = [Count(str(b["key"]), b["doc_count"]) for b in _buckets(a, "by_class")]
    r.by_peer = [Count(str(b["key"]), b["doc_count"], _top_key(b, "name")) for b in _buckets(a, "by_peer")]
    r.by_gateway = [Count(str(b["key"]), b["doc_count"], _top_key(b, "class")) for b in _buckets(a, "by_gateway")]
    days = [(str(b["key_as_string"])[:10], {str(c["key"]): c["doc_count"] for c in _buckets(b, "class")})
            for b in _buckets(a, "by_day")]
    while days and not days[0][1]:  # the period may start long before the data: skip the empty lead-in
        days.pop(0)
    r.by_day = days
    r.recurrence = {str(b["key"]): b["doc_count"] for b in _buckets(a, "by_recurrence")}
    r.top_tunnels = [Count(str(b["key"]), b["doc_count"], _top_key(b, "class")) for b in _buckets(a, "top_tunnels")]
    changed = (a.get("changed") or {})
    for b in _buckets(changed, "tunnels"):
        kinds = [str(k["key"]) for k in _buckets(b, "kind")]
        r.changed.append(Changed(str(b["key"]), "regression" if "regression" in kinds else "new",
                                 (b.get("first") or {}).get("value_as_string"), _top_key(b, "class")))
    rec = a.get("recovery") or {}
    pct = (rec.get("pct") or {}).get("values") or {}
    r.recovery = Recovery(
        outages=int(rec.get("doc_count", 0)),
        mean_s=(rec.get("mean") or {}).get("value"),
        median_s=pct.get("50.0"),
        p90_s=pct.get("90.0"),
        by_class=[(str(b["key"]), float(b["mean"]["value"]), b["doc_count"]) for b in _buckets(rec, "by_class")
                  if (b.get("mean") or {}).get("value") is not None],
    )
    if tunnels is not None:
        r.down_total = _total(tunnels)
        r.down_now = [_flat(s) for s in _sources(tunnels)]
    if incidents is not None:
        r.open_incidents = [_flat(s) for s in _sources(incidents)]
    return r


def _flat(doc: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in doc.items():
        if isinstance(v, dict):
            out.update(_flat(v, f"{prefix}{k}."))
        else:
            out[f"{prefix}{k}"] = v
    return out


def duration(seconds: float | None) -> str:
    """`1h 05m`, `4m 10s`, `12s`."""
    if seconds is None:
        return "-"
    s = round(seconds)
    if s >= 86400:
        return f"{s // 86400}d {s % 86400 // 3600:02d}h"
    if s >= 3600:
        return f"{s // 3600}h {s % 3600 // 60:02d}m"
    if s >= 60:
        return f"{s // 60}m {s % 60:02d}s"
    return f"{s}s"
