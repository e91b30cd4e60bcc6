"""Reading nested document fields by their dotted name (`vpn.failure.class`), as the catalogue names them."""

from __future__ import annotations

from typing import Any


def get_path(doc: dict[str, Any], dotted: str) -> Any:
    """The value at `dotted` in a nested document, or None where any step is missing or not an object."""
    cur: Any = doc
    for part in dotted.split("."):
        if not isinstance(cur, dict):
            return None
        cur = cur.get(part)
    return cur
