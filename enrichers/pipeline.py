"""From diagnoses to bulk operations: inventory, then fleet context, then index names and ids.

This is the order the stream's sink should follow (and `tunnelsight diagnose --es`, the demo and the
integration tests do): enrich each diagnosis with the inventory, let the fleet context annotate it and
derive the tunnel state, the incidents and the recoveries, and turn all of it into `IndexOp`s for
streams.sink.bulk (`Action(**dataclasses.asdict(op))`) or elasticsearch.helpers.bulk (`op.action()`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from enrichers.fleet import FleetContext
from enrichers.inventory import Inventory
from schemas.indices import DEFAULT_INDICES, IndexOp, Indices


def operations(diagnoses: Iterable[dict[str, Any]], inventory: Inventory, fleet: FleetContext,
               indices: Indices = DEFAULT_INDICES) -> list[IndexOp]:
    """Every operation the diagnoses cause, in a safe order (a diagnosis before updates of it)."""
    ops: list[IndexOp] = []
    for doc in diagnoses:
        ops.extend(fleet.observe(inventory.enrich(doc)).ops(indices))
    return ops


def finish(fleet: FleetContext, now: float, indices: Indices = DEFAULT_INDICES) -> list[IndexOp]:
    """At the end of an offline run (or on an idle timer): resolve the incidents gone quiet by `now`."""
    from schemas.indices import incident_op

    return [incident_op(d, indices) for d in fleet.tick(now)]
