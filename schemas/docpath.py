"""Small helpers over nested documents: dotted-name reads (`vpn.failure.class`), address checks, pruning."""

from __future__ import annotations

import ipaddress
from typing import Any


def get_path(doc: dict[str, Any], dotted: str) -> Any:
    """The value at `dotted` in a nested document, or None where any step is missing or not an object."""
    cur: Any = doc
    for part in dotted.split("."):
        if not isinstance(cur, dict):
            return None
        cur = cur.get(part)
    return cur


def is_ip(value: Any) -> bool:
    """An IPv4/IPv6 address as an Elasticsearch `ip` field takes it (a hostname is not)."""
    if not isinstance(value, str):
        return False
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def prune_deep(d: dict[str, Any]) -> dict[str, Any]:
    """The document without None values and without objects that end up empty, at every depth."""
    out: dict[str, Any] = {}
    for k, v in d.items():
        if isinstance(v, dict):
            v = prune_deep(v)
        if v is not None and v != {}:
            out[k] = v
    return out
