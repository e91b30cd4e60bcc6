"""The Kibana saved objects are well formed and name only catalogue fields; the import command posts
them as Kibana's _import API wants (checked against a local HTTP server: Kibana cannot run here)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest

from infra.kibana.build import NDJSON, es_search, kql, layout, render
from infra.kibana.spec import DASHBOARDS, DATA_VIEWS, Filter
from schemas.catalogue import load
from streams.commands.kibana import import_objects

OBJECTS = [json.loads(line) for line in render().splitlines()]
BY_ID = {(o["type"], o["id"]): o for o in OBJECTS}
KIND_OF_DATA_VIEW = {dv.id: dv.kind for dv in DATA_VIEWS.values()}


def test_the_committed_ndjson_is_current() -> None:
    assert NDJSON.read_text() == render(), "run `tunnelsight kibana build`"


def test_every_reference_resolves() -> None:
    for o in OBJECTS:
        for ref in o["references"]:
            assert (ref["type"], ref["id"]) in BY_ID, (o["id"], ref)


def _fields_of_lens(o: dict[str, Any]) -> set[str]:
    layers = o["attributes"]["state"]["datasourceStates"]["formBased"]["layers"]
    return {c["sourceField"] for layer in layers.values() for c in layer["columns"].values()
            if c.get("sourceField") not in (None, "___records___")}


def _kind(o: dict[str, Any]) -> str:
    return KIND_OF_DATA_VIEW[o["references"][0]["id"]]


def test_visualizations_name_only_catalogue_fields() -> None:
    cat = load()
    for o in OBJECTS:
        if o["type"] == "lens":
            fields = _fields_of_lens(o)
            layer = next(iter(o["attributes"]["state"]["datasourceStates"]["formBased"]["layers"].values()))
            assert set(layer["columnOrder"]) == set(layer["columns"])
        elif o["type"] == "search":
            fields = set(o["attributes"]["columns"])
        else:
            continue
        for f in fields:
            assert cat.has(_kind(o), f), f"{o['id']}: {f} is not a {_kind(o)} field"


def test_queries_and_controls_name_only_catalogue_fields() -> None:
    cat = load()
    for d in DASHBOARDS:
        for p in d.panels:
            kind = DATA_VIEWS[p.data_view].kind
            for f in p.where:
                assert cat.has(kind, f.field), (p.id, f.field)
                for v in f.values:
                    spec = cat.field(kind, f.field)
                    assert spec is not None and (spec.values is None or v in spec.values), (p.id, v)
        for c in d.controls:
            assert cat.has(DATA_VIEWS[c.data_view].kind, c.field)


def test_dashboards_are_well_formed() -> None:
    for d in DASHBOARDS:
        o = BY_ID[("dashboard", d.id)]
        panels = json.loads(o["attributes"]["panelsJSON"])
        refs = {r["name"] for r in o["references"]}
        for p in panels:
            assert f"{p['panelIndex']}:{p['panelRefName']}" in refs
            g = p["gridData"]
            assert g["x"] >= 0 and g["x"] + g["w"] <= 48
        cells = set()
        for g in layout(d.panels):  # no two panels overlap
            mine = {(x, y) for x in range(g["x"], g["x"] + g["w"]) for y in range(g["y"], g["y"] + g["h"])}
            assert not mine & cells
            cells |= mine
        if d.controls:
            controls = json.loads(o["attributes"]["controlGroupInput"]["panelsJSON"])
            assert {f"controlGroup_{cid}:optionsListDataView" for cid in controls} <= refs
    titles = [o["attributes"]["title"] for o in OBJECTS if o["type"] == "dashboard"]
    assert titles == ["tunnelsight - fleet overview", "tunnelsight - peer detail", "tunnelsight - trends"]


def test_kql_and_query_dsl_say_the_same() -> None:
    where = (Filter("event.outcome", ("failure",)), Filter("event.action", ("a", "b"), negate=True),
             Filter("tunnelsight.recovery.seconds"))
    assert kql(where) == ('event.outcome : "failure" and not event.action : ("a" or "b") and '
                          "tunnelsight.recovery.seconds : *")
    panel = DASHBOARDS[0].panels[4]
    search = es_search(panel)
    assert search["index"] == "tunnelsight-diagnoses-*"
    assert search["body"]["aggs"]["b0"]["aggs"]["b1"]["terms"]["field"] == "vpn.failure.class"


class _Kibana(BaseHTTPRequestHandler):
    seen: list[tuple[str, dict[str, str], bytes]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.seen.append((self.path, {k.lower(): v for k, v in self.headers.items()}, body))
        answer = json.dumps({"success": True, "successCount": body.count(b'"type"')}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def kibana() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), _Kibana)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_import_posts_multipart_with_xsrf_and_api_key(kibana: str) -> None:
    _Kibana.seen.clear()
    answer = import_objects(kibana, NDJSON.read_bytes(), api_key="abc", space="noc")
    assert answer["success"]
    path, headers, body = _Kibana.seen[0]
    assert path == "/s/noc/api/saved_objects/_import?overwrite=true"
    assert headers["kbn-xsrf"] and headers["authorization"] == "ApiKey abc"
    assert headers["content-type"].startswith("multipart/form-data; boundary=")
    assert b'name="file"; filename="tunnelsight.ndjson"' in body and NDJSON.read_bytes() in body
