"""Every dashboard panel's query and aggregation, and `tunnelsight report`, on the real server filled with
the demo (the engine on the simulated fleet): each must return sensible, non-empty results."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from elasticsearch import Elasticsearch

from infra.kibana.build import es_search
from infra.kibana.spec import DASHBOARDS, DATA_VIEWS, Panel
from schemas.failure_classes import CODES
from schemas.indices import Indices
from streams.report import fetch
from streams.report.chart import render as render_png
from streams.report.text import render as render_text
from tests.integration import demo_data

PANELS = {p.id: p for d in DASHBOARDS for p in d.panels}
# The open-incidents panels show what is open *now*; the demo's incidents may all have resolved.
MAY_BE_EMPTY = {"fleet-open-incidents", "fleet-open-incidents-count"}


@pytest.fixture(scope="module")
def demo(es_client: Elasticsearch, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    indices = Indices(f"ts-kibana-{uuid.uuid4().hex[:8]}")
    docs, _ops, errors = demo_data.setup(es_client, indices, tmp_path_factory.mktemp("demo"))
    assert errors == []
    stamps = sorted(d["@timestamp"] for d in docs if d.get("@timestamp"))
    time_range = (stamps[0], stamps[-1])
    try:
        yield {"es": es_client, "indices": indices, "docs": docs, "range": time_range}
    finally:
        demo_data.teardown(es_client, indices)


def _run(demo: dict[str, Any], panel: Panel) -> dict[str, Any]:
    search = es_search(panel, demo["indices"], demo["range"])
    resp: dict[str, Any] = demo["es"].search(index=search["index"], body=search["body"]).body
    return resp


def _leaves(aggs: dict[str, Any], depth: int = 0) -> list[tuple[list[Any], dict[str, Any]]]:
    """(bucket keys from the top, leaf bucket) for every leaf of the nested b0 > b1 > ... buckets."""
    node = aggs.get(f"b{depth}")
    if node is None:
        return [([], aggs)]
    out = []
    for b in node["buckets"]:
        for keys, leaf in _leaves(b, depth + 1):
            out.append(([b.get("key_as_string", b["key"]), *keys], leaf))
    return out


@pytest.mark.parametrize("panel_id", sorted(PANELS))
def test_panel_returns_sensible_results(demo: dict[str, Any], panel_id: str) -> None:
    panel = PANELS[panel_id]
    resp = _run(demo, panel)
    total = resp["hits"]["total"]["value"]
    if panel_id in MAY_BE_EMPTY and total == 0:
        return
    assert total > 0, f"{panel_id}: no document matches {panel.where}"
    if panel.chart == "search":
        hits = resp["hits"]["hits"]
        assert hits and all(h["_source"].get("vpn", {}).get("failure", {}).get("class") for h in hits)
        assert all(h["_source"]["vpn"].get("evidence") for h in hits[:10])
        return
    aggs = resp.get("aggregations", {})
    leaves = _leaves(aggs)
    assert leaves, panel_id
    for keys, leaf in leaves:
        value = leaf["m"].get("value") if "m" in leaf else leaf.get("doc_count", total)
        assert value is not None and (not isinstance(value, int | float) or value >= 0), (panel_id, keys)
        for bucket, key in zip([b for b in (panel.x, panel.split) if b] + list(panel.rows), keys, strict=False):
            if bucket.field == "vpn.failure.class":
                assert key in CODES, (panel_id, key)
            if bucket.field == "tunnelsight.recurrence":
                assert key in ("new", "regression", "recurring")
    if panel.metric.field == "tunnelsight.recovery.seconds":
        assert all(0 <= leaf["m"]["value"] < 7 * 86400 for _, leaf in leaves)


def test_the_fleet_dashboard_sees_failures_by_class_over_time(demo: dict[str, Any]) -> None:
    resp = _run(demo, PANELS["fleet-failures-over-time"])
    classes = {b["key"] for day in resp["aggregations"]["b0"]["buckets"] for b in day["b1"]["buckets"]}
    assert len(classes) >= 3
    days = [b for b in resp["aggregations"]["b0"]["buckets"] if b["doc_count"]]
    assert len(days) >= 3  # the demo has failures in three of its four weeks


def test_the_trends_dashboard_sees_weeks_recurrence_and_mttr(demo: dict[str, Any]) -> None:
    weeks = _run(demo, PANELS["trends-classes-weekly"])["aggregations"]["b0"]["buckets"]
    assert len([w for w in weeks if w["doc_count"]]) >= 2
    recurrence = {b["key"] for w in _run(demo, PANELS["trends-recurrence-weekly"])["aggregations"]["b0"]["buckets"]
                  for b in w["b1"]["buckets"]}
    assert {"new", "regression"} <= recurrence or {"new", "recurring"} <= recurrence
    mttr = [w["m"]["value"] for w in _run(demo, PANELS["trends-mttr-weekly"])["aggregations"]["b0"]["buckets"]
            if w["m"]["value"] is not None]
    assert mttr and all(v >= 0 for v in mttr)


def test_data_views_match_the_indices(demo: dict[str, Any]) -> None:
    es, ix = demo["es"], demo["indices"]
    for dv in DATA_VIEWS.values():
        assert es.indices.get(index=ix.pattern(dv.kind)), dv.id


def test_report_text_json_and_png(demo: dict[str, Any], tmp_path: Path) -> None:
    es, ix = demo["es"], demo["indices"]
    end = datetime.fromisoformat(demo["range"][1]) + timedelta(minutes=1)
    report = fetch(es, timedelta(days=30), indices=ix, now=end.astimezone(UTC))
    assert report.failures > 0
    assert report.by_class and all(c.key in CODES for c in report.by_class)
    assert report.by_gateway and report.by_peer and report.by_day and report.top_tunnels
    assert sum(sum(day.values()) for _, day in report.by_day) >= report.failures  # a class per failure
    assert report.changed and {c.kind for c in report.changed} <= {"new", "regression"}
    assert report.recovery.outages > 0 and (report.recovery.mean_s or 0) > 0
    text = render_text(report)
    assert "Failures by class" in text and "mean time to recovery" in text
    assert report.to_json()["failures"] == report.failures
    png = render_png(report, tmp_path / "report.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000
    one_peer = report.by_peer[0].key
    narrowed = fetch(es, timedelta(days=30), one_peer, indices=ix, now=end.astimezone(UTC))
    assert 0 < narrowed.failures <= report.failures
    assert [p.key for p in narrowed.by_peer] == [one_peer]
