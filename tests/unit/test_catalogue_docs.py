"""Every document the code emits validates against the catalogue: parsed events and diagnoses of every
golden log, and the latest-state, incident and recovery documents the fleet context derives from them.
A field added to a document without a catalogue entry fails here, before Elasticsearch rejects it."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pytest

from enrichers.fleet import FleetConfig, FleetContext
from enrichers.inventory import Inventory
from schemas.catalogue import validate
from schemas.indices import deadletter_doc

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
# Known gaps in documents other parts emit, found by these tests. A case whose only problems are of these
# kinds is an expected failure (reported, not hidden: `pytest -rx` lists them); any other problem fails.
KNOWN = {
    "@timestamp: required": "engine: lines that print no time give a diagnosis without @timestamp "
                            "(no monthly index, invisible in Kibana)",
}
LOGS = sorted(GOLDEN.rglob("*.log"))
INVENTORY = Path(__file__).resolve().parents[2] / "enrichers" / "samples" / "inventory.yaml"


def check(problems: list[str], where: object) -> None:
    unexplained = [p for p in problems if not any(k in p for k in KNOWN)]
    assert unexplained == [], where
    if problems:
        pytest.xfail("; ".join(sorted({why for k, why in KNOWN.items() if any(k in p for p in problems)})))


def _args(log: Path) -> argparse.Namespace:
    from tests.golden.golden import case_args

    ns = argparse.Namespace(files=[str(log)], vendor=None, year=2026, tz="UTC")
    extra = case_args(log)
    for flag, attr in (("--vendor", "vendor"), ("--year", "year"), ("--tz", "tz")):
        if flag in extra:
            value = extra[extra.index(flag) + 1]
            setattr(ns, attr, int(value) if attr == "year" else value)
    return ns


def _diagnoses(log: Path) -> list[dict[str, Any]]:
    from streams.commands.diagnose import diagnoses
    from streams.correlate.engine import Engine

    return list(diagnoses(_args(log), Engine()))


@pytest.mark.parametrize("log", LOGS, ids=[str(p.relative_to(GOLDEN)) for p in LOGS])
def test_parsed_events_validate(log: Path) -> None:
    from streams.commands.common import events_from

    problems = [f"line {n}: {p}" for n, ev in enumerate(events_from(_args(log)), start=1)
                for p in validate(ev.to_doc(), "event")]
    check(problems, log.name)


@pytest.mark.parametrize("log", LOGS, ids=[str(p.relative_to(GOLDEN)) for p in LOGS])
def test_diagnoses_and_what_the_fleet_derives_validate(log: Path) -> None:
    inventory = Inventory.load(INVENTORY)
    # thresholds of 1: every failure opens an incident, so incident documents get checked too
    fleet = FleetContext(FleetConfig(min_gateways=1, min_peers=1), enrich=inventory.enrich)
    problems: list[str] = []
    for doc in _diagnoses(log):
        problems += validate(doc, "diagnosis")
        if not doc.get("@timestamp"):
            continue
        obs = fleet.observe(inventory.enrich(doc))
        problems += validate(obs.diagnosis, "diagnosis")
        if obs.tunnel:
            problems += validate(obs.tunnel, "tunnel")
        for incident in obs.incidents:
            problems += validate(incident, "incident")
        for op in obs.ops():
            if op.upsert and "-diagnoses-" in op.index:  # a recovery stamp merged into its diagnosis
                merged = {**obs.diagnosis, "tunnelsight": {**obs.diagnosis["tunnelsight"], **op.doc["tunnelsight"]}}
                problems += validate(merged, "diagnosis")
    for incident in fleet.tick(4_000_000_000):
        problems += validate(incident, "incident")
    check(problems, log.name)


def test_deadletters_validate() -> None:
    doc = deadletter_doc("parse", "not a batch", b"\xff\xfe garbage", timestamp="2026-02-05T21:29:53Z",
                         error_type="bad_batch", topic="tunnelsight-raw", partition=3, offset=17)
    assert validate(doc, "deadletter") == []
