"""The Elasticsearch data model on the real server: templates, strict mappings, monthly indices and the
read alias, deterministic ids, latest-state upserts, recoveries, retention, and the catalogue's
validator agreeing with what the server accepts. Demo data: the engine on the simulated fleet."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from elasticsearch import BadRequestError, Elasticsearch

from schemas.catalogue import load as load_catalogue
from schemas.catalogue import validate
from schemas.indices import IndexOp, Indices, diagnosis_op, enforce_retention
from schemas.templates import apply
from tests.integration import demo_data

Doc = dict[str, Any]


@pytest.fixture(scope="module")
def demo(es_client: Elasticsearch, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    indices = Indices(f"ts-model-{uuid.uuid4().hex[:8]}")
    docs, ops, errors = demo_data.setup(es_client, indices, tmp_path_factory.mktemp("demo"))
    try:
        yield {"es": es_client, "indices": indices, "docs": docs, "ops": ops, "errors": errors}
    finally:
        demo_data.teardown(es_client, indices)


@pytest.fixture
def empty(es_client: Elasticsearch) -> Iterator[Indices]:
    indices = Indices(f"ts-empty-{uuid.uuid4().hex[:8]}")
    try:
        yield indices
    finally:
        demo_data.teardown(es_client, indices)


def _count(es: Elasticsearch, index: str, query: Doc | None = None) -> int:
    es.indices.refresh(index=index, allow_no_indices=True, ignore_unavailable=True)
    return int(es.count(index=index, query=query or {"match_all": {}}, allow_no_indices=True,
                        ignore_unavailable=True)["count"])


def test_every_document_the_pipeline_emits_is_accepted_and_validates(demo: dict[str, Any]) -> None:
    assert demo["errors"] == [], demo["errors"][:3]
    kinds = {"diagnoses": "diagnosis", "tunnels": "tunnel", "incidents": "incident"}
    for op in demo["ops"]:
        if op.upsert:
            continue  # partial documents: validated once merged, below
        kind = next(k for name, k in kinds.items() if f"-{name}" in op.index)
        assert validate(op.doc, kind) == [], (op.index, op.id)


def test_diagnoses_land_in_their_month_and_the_alias_reads_them_all(demo: dict[str, Any]) -> None:
    es, ix = demo["es"], demo["indices"]
    ids = {d["tunnelsight"]["id"] for d in demo["docs"]}
    assert _count(es, ix.diagnoses) == len(ids)
    months = {op.index for op in demo["ops"] if op.index.startswith(f"{ix.diagnoses}-")}
    aliased = set(es.indices.get_alias(name=ix.diagnoses))
    assert months <= aliased
    for index in months:  # nothing outside its own month
        month = index.rsplit("-", 1)[1].replace(".", "-")
        inside = {"range": {"@timestamp": {"gte": f"{month}-01", "lt": f"{month}-01||+1M"}}}
        assert _count(es, index, {"bool": {"must_not": inside}}) == 0


def test_replaying_the_same_documents_duplicates_nothing(demo: dict[str, Any]) -> None:
    es, ix = demo["es"], demo["indices"]
    before = _count(es, ix.diagnoses), _count(es, ix.tunnels), _count(es, ix.incidents)
    assert demo_data.load(es, demo["ops"]) == []
    assert (_count(es, ix.diagnoses), _count(es, ix.tunnels), _count(es, ix.incidents)) == before


def test_latest_state_has_one_document_per_tunnel(demo: dict[str, Any]) -> None:
    es, ix = demo["es"], demo["indices"]
    tunnel_ids = {op.id for op in demo["ops"] if op.index == ix.tunnels}
    assert _count(es, ix.tunnels) == len(tunnel_ids) > 0
    hits = es.search(index=ix.tunnels, size=1000)["hits"]["hits"]
    for hit in hits:
        assert validate(hit["_source"], "tunnel") == [], hit["_id"]
        state = hit["_source"]["tunnelsight"]["tunnel"]
        assert state["id"] == hit["_id"] and state["status"] in ("up", "down")
    # a tunnel that failed and came back keeps its last failure's class: the upsert merged
    recovered = [h["_source"] for h in hits if h["_source"]["tunnelsight"]["tunnel"]["status"] == "up"
                 and h["_source"]["tunnelsight"]["tunnel"].get("failures")]
    assert recovered, "no tunnel of the demo failed and recovered"
    assert all(s["vpn"]["failure"]["class"] for s in recovered)


def test_recoveries_stamp_the_outage_that_opened_them(demo: dict[str, Any]) -> None:
    es, ix = demo["es"], demo["indices"]
    hits = es.search(index=ix.diagnoses, size=100,
                     query={"exists": {"field": "tunnelsight.recovery.seconds"}})["hits"]["hits"]
    assert hits, "no outage of the demo recovered"
    for hit in hits:
        doc = hit["_source"]
        assert validate(doc, "diagnosis") == []
        assert doc["event"]["outcome"] == "failure"
        assert doc["tunnelsight"]["recovery"]["at"] >= doc["@timestamp"]
        assert doc["tunnelsight"]["recovery"]["seconds"] >= 0


def test_apply_is_idempotent_versioned_and_strict(es_client: Elasticsearch, empty: Indices) -> None:
    first = apply(es_client, empty)
    second = apply(es_client, empty)
    assert any(line.startswith("index ") for line in first)
    assert not any(line.startswith("index ") for line in second)  # nothing left to create
    cat = load_catalogue()
    for kind in cat.kinds:
        t = es_client.indices.get_index_template(name=empty.family(kind))["index_templates"][0]["index_template"]
        assert t["version"] == cat.version
    doc = {"@timestamp": "2026-02-05T21:29:53Z", "event": {"dataset": "tunnelsight.diagnosis"},
           "tunnelsight": {"id": "x"}}
    op = diagnosis_op(doc, empty)
    es_client.index(index=op.index, id=op.id, document=op.doc)
    with pytest.raises(BadRequestError, match="strict_dynamic_mapping_exception"):
        es_client.index(index=op.index, id="y", document={**doc, "surprise": 1})


@pytest.mark.parametrize(
    ("change", "rejected"),
    [
        (lambda d: d.update(surprise=1), True),
        (lambda d: d["vpn"].update(attempts="many"), True),
        (lambda d: d.update({"@timestamp": "yesterday"}), True),
        (lambda d: d["vpn"]["remote"].update(ip="peer.example.net"), False),  # kept, not indexed
        (lambda d: d["vpn"]["evidence"].append("x" * 40_000), False),  # over ignore_above: kept, not indexed
    ],
)
def test_the_validator_agrees_with_the_server(demo: dict[str, Any], empty: Indices, change: Any,
                                              rejected: bool) -> None:
    es = demo["es"]
    apply(es, empty)
    failure = next(d for d in demo["docs"] if d["event"]["outcome"] == "failure" and d["vpn"].get("remote"))
    doc = copy.deepcopy(failure)
    doc["vpn"].setdefault("evidence", [])
    op = diagnosis_op(doc, empty)  # the index of the document's real month, whatever the change does
    change(doc)
    problems = validate(doc, "diagnosis")
    op = IndexOp(op.index, op.id, doc)
    if rejected:
        assert problems
        with pytest.raises(BadRequestError):
            es.index(index=op.index, id=op.id, document=op.doc)
    else:
        es.index(index=op.index, id=op.id, document=op.doc, refresh=True)
        assert _count(es, op.index, {"ids": {"values": [op.id]}}) == 1


def test_retention_deletes_whole_old_months_only(es_client: Elasticsearch, empty: Indices) -> None:
    apply(es_client, empty)
    for month in ("2025.01", "2025.12", "2026.01", "2026.02"):
        es_client.indices.create(index=f"{empty.diagnoses}-{month}")
    now = datetime(2026, 2, 10, tzinfo=UTC)
    assert enforce_retention(es_client, 2, indices=empty, now=now, dry_run=True) == [
        f"{empty.diagnoses}-2025.01", f"{empty.diagnoses}-2025.12"]
    deleted = enforce_retention(es_client, 2, indices=empty, now=now)
    assert deleted == [f"{empty.diagnoses}-2025.01", f"{empty.diagnoses}-2025.12"]
    left = set(es_client.indices.get(index=f"{empty.diagnoses}-*"))
    assert {f"{empty.diagnoses}-2026.01", f"{empty.diagnoses}-2026.02"} <= left
    assert not left & set(deleted)
    assert enforce_retention(es_client, 2, indices=empty, now=now) == []  # idempotent
    assert set(es_client.indices.get_alias(name=empty.diagnoses)) == left


def test_the_demo_is_rich_enough_for_the_dashboards(demo: dict[str, Any]) -> None:
    docs = demo["docs"]
    failures = [d for d in docs if d["event"]["outcome"] == "failure"]
    assert len({d["vpn"]["failure"]["class"] for d in failures}) >= 3
    assert len({d["observer"].get("hostname") for d in failures}) >= 3
    assert any(op.index == demo["indices"].incidents for op in demo["ops"]), "no fleet incident in the demo"


def test_generated_template_files_match_what_apply_puts(es_client: Elasticsearch, empty: Indices) -> None:
    apply(es_client, empty)
    committed = Path(__file__).resolve().parents[2] / "schemas" / "index_templates" / "tunnelsight-diagnoses.json"
    assert committed.exists()
    got = es_client.indices.get_index_template(name=empty.diagnoses)["index_templates"][0]["index_template"]
    assert got["template"]["mappings"]["dynamic"] == "strict"
