"""What the index design relies on, on the real (integ-test zip) server: a composable template with a strict
mapping, idempotent bulk indexing by explicit id, search, terms and date_histogram aggregations."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from elasticsearch import BadRequestError, Elasticsearch, helpers

DOCS = 10_000
GATEWAYS = 20
START = datetime(2026, 3, 1, tzinfo=UTC)

MAPPING = {
    "dynamic": "strict",
    "properties": {
        "@timestamp": {"type": "date"},
        "gateway": {"type": "keyword"},
        "action": {"type": "keyword"},
        "message": {"type": "text"},
        "peer": {"type": "ip"},
        "seq": {"type": "long"},
    },
}


@pytest.fixture
def index(es_client: Elasticsearch, index_name: str) -> Iterator[str]:
    """An index created from its own composable template (as the stream's indices are), deleted after."""
    template = f"{index_name}-template"
    es_client.indices.put_index_template(
        name=template,
        index_patterns=[f"{index_name}*"],
        template={"settings": {"number_of_shards": 1, "number_of_replicas": 0}, "mappings": MAPPING},
        priority=500,
    )
    try:
        yield index_name
    finally:
        es_client.indices.delete(index=index_name, ignore_unavailable=True)
        es_client.indices.delete_index_template(name=template)


def _doc(i: int) -> dict[str, object]:
    return {
        "@timestamp": (START + timedelta(seconds=36 * i)).isoformat(),  # 10,000 docs over 100 hours
        "gateway": f"gw-{i % GATEWAYS:02d}",
        "action": "proposal_rejected" if i % 10 == 0 else "sa_established",
        "message": f"IKE_SA tunnel-{i} established between 192.0.2.1 and 198.51.100.{i % 250}",
        "peer": f"198.51.100.{i % 250}",
        "seq": i,
    }


def _bulk(es: Elasticsearch, index: str) -> int:
    actions = ({"_index": index, "_id": f"ev-{i}", "_source": _doc(i)} for i in range(DOCS))
    ok, errors = helpers.bulk(es, actions, chunk_size=2000, refresh="wait_for", raise_on_error=True)
    assert not errors
    return ok


def test_bulk_is_idempotent_by_id(es_client: Elasticsearch, index: str) -> None:
    assert _bulk(es_client, index) == DOCS
    assert es_client.count(index=index)["count"] == DOCS
    assert _bulk(es_client, index) == DOCS  # replayed from Kafka after a restart: same ids, no duplicates
    assert es_client.count(index=index)["count"] == DOCS
    mapping = es_client.indices.get_mapping(index=index)[index]["mappings"]
    assert mapping["dynamic"] == "strict"


def test_search_and_aggregations(es_client: Elasticsearch, index: str) -> None:
    _bulk(es_client, index)
    hits = es_client.search(index=index, query={"match": {"message": "tunnel-4242"}})["hits"]
    assert hits["hits"][0]["_id"] == "ev-4242"

    result = es_client.search(
        index=index,
        size=0,
        query={"term": {"action": "proposal_rejected"}},
        aggs={
            "by_gateway": {"terms": {"field": "gateway", "size": GATEWAYS}},
            "per_day": {"date_histogram": {"field": "@timestamp", "calendar_interval": "day"}},
        },
    )
    assert result["hits"]["total"]["value"] == DOCS // 10
    buckets = result["aggregations"]["by_gateway"]["buckets"]
    assert sum(b["doc_count"] for b in buckets) == DOCS // 10
    assert {b["key"] for b in buckets} == {"gw-00", "gw-10"}  # every 10th doc, 20 gateways in turn
    days = result["aggregations"]["per_day"]["buckets"]
    assert [d["key_as_string"][:10] for d in days] == [
        "2026-03-01",
        "2026-03-02",
        "2026-03-03",
        "2026-03-04",
        "2026-03-05",
    ]
    assert sum(d["doc_count"] for d in days) == DOCS // 10


def test_upsert_merges_without_scripts(es_client: Elasticsearch, index: str) -> None:
    """No painless in this distribution: partial updates are doc_as_upsert."""
    es_client.update(index=index, id="d1", doc={"gateway": "gw-01", "seq": 1}, doc_as_upsert=True)
    es_client.update(index=index, id="d1", doc={"action": "sa_established"}, doc_as_upsert=True, refresh=True)
    assert es_client.get(index=index, id="d1")["_source"] == {
        "gateway": "gw-01",
        "seq": 1,
        "action": "sa_established",
    }


def test_strict_mapping_rejects_unknown_field(es_client: Elasticsearch, index: str) -> None:
    es_client.index(index=index, id="ok", document=_doc(1))
    with pytest.raises(BadRequestError) as excinfo:
        es_client.index(index=index, id="bad", document={**_doc(2), "surprise": "field"})
    assert excinfo.value.error == "strict_dynamic_mapping_exception"
    with pytest.raises(BadRequestError):
        es_client.index(index=index, id="bad-ip", document={**_doc(3), "peer": "not-an-ip"})
