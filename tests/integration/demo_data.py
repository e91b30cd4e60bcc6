"""Demo data for the Elasticsearch tests: the real engine on the simulated fleet, through the real pipeline.

Logs come from streams.simulate (three six-hour windows a week apart, the same seeded fleet, so the
same tunnels fail again: new, regressed and recurring failures and weekly trends all show), or, if the
simulator cannot run, from the golden logs. They go through `tunnelsight diagnose`'s path (parse,
Engine, TunnelJoin), then enrichers.pipeline (inventory, fleet context, index names): exactly what the
stream's sink indexes. Not a test module: the two test modules import it.
"""

from __future__ import annotations

import argparse
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from elasticsearch import Elasticsearch, helpers

from enrichers.fleet import FleetContext
from enrichers.inventory import Inventory
from enrichers.pipeline import finish, operations
from schemas.indices import IndexOp, Indices
from schemas.templates import apply

ROOT = Path(__file__).resolve().parents[2]
INVENTORY = ROOT / "enrichers" / "samples" / "inventory.yaml"
START = datetime(2026, 2, 5, tzinfo=UTC)
WEEKS = 4
Doc = dict[str, Any]


def simulated_logs(workdir: Path) -> list[Path]:
    """Log files of the demo fleet (seed 1, the simulator's default size), one per week.

    The second week is healthy (no failure injected), so week-one outages recover in it (time to recovery)
    and the same failures in weeks three and four are regressions, then recurring: the trends panels
    need all of these, and failures on three separate days.
    """
    from streams.simulate import Config, generate

    paths = []
    for week in range(WEEKS):
        start = START + timedelta(weeks=week)
        cfg = Config(seed=1, start=start.timestamp(), duration=6 * 3600.0,
                     failure_share=0.0 if week == 1 else 0.3)
        buf = io.StringIO()
        generate(cfg, None, buf, None)
        path = workdir / f"fleet-week{week}.log"
        path.write_text(buf.getvalue(), encoding="utf-8")
        paths.append(path)
    return paths


def golden_logs() -> list[Path]:
    return sorted((ROOT / "tests" / "golden").rglob("*.log"))


def engine_diagnoses(paths: list[Path]) -> list[Doc]:
    """Diagnosis documents exactly as `tunnelsight diagnose` prints them."""
    from streams.commands.diagnose import diagnoses
    from streams.correlate.engine import Engine

    docs: list[Doc] = []
    for path in paths:  # one engine per week: each window is a separate capture
        args = argparse.Namespace(files=[str(path)], vendor=None, year=2026, tz="UTC")
        docs.extend(diagnoses(args, Engine()))
    docs.sort(key=lambda d: d.get("@timestamp") or "")
    return docs


def demo_diagnoses(workdir: Path) -> list[Doc]:
    try:
        paths = simulated_logs(workdir)
    except ImportError:
        paths = golden_logs()
    docs = engine_diagnoses(paths)
    assert docs, f"the engine produced no diagnosis from {paths}"
    return docs


def demo_operations(docs: list[Doc], indices: Indices) -> tuple[list[IndexOp], FleetContext]:
    inventory = Inventory.load(INVENTORY)
    fleet = FleetContext(enrich=inventory.enrich)
    ops = operations(docs, inventory, fleet, indices)
    return ops, fleet


def load(es: Elasticsearch, ops: list[IndexOp]) -> list[Any]:
    """Bulk-index the operations in order; returns the items Elasticsearch rejected."""
    _, errors = helpers.bulk(es, (op.action() for op in ops), raise_on_error=False, refresh="wait_for",
                             chunk_size=500)
    return list(errors)


def setup(es: Elasticsearch, indices: Indices, workdir: Path) -> tuple[list[Doc], list[IndexOp], list[Any]]:
    """Templates, then the demo's diagnoses and everything derived from them. Returns (diagnoses, ops, errors)."""
    apply(es, indices)
    docs = demo_diagnoses(workdir)
    ops, _fleet = demo_operations(docs, indices)
    errors = load(es, ops)
    return docs, ops, errors


def teardown(es: Elasticsearch, indices: Indices) -> None:
    """Delete the test's indices and templates by name (the server refuses wildcard deletes)."""
    names = list(es.indices.get(index=f"{indices.prefix}-*", allow_no_indices=True, expand_wildcards="all"))
    if names:
        es.indices.delete(index=",".join(names), ignore_unavailable=True)
    templates = es.indices.get_index_template()["index_templates"]
    for t in templates:
        if t["name"].startswith(f"{indices.prefix}-"):
            es.indices.delete_index_template(name=t["name"])


__all__ = ["demo_diagnoses", "demo_operations", "finish", "load", "setup", "teardown"]
