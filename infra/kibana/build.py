"""Turn infra/kibana/spec.py into Kibana 8.19 saved objects and into Elasticsearch searches.

`saved_objects()` gives the NDJSON lines of infra/kibana/tunnelsight.ndjson (index-pattern, lens,
search, dashboard; by reference, as Kibana exports them). `es_search(panel)` gives the search Kibana
would run for a panel, minus the time picker: the integration tests run it on demo data.
`tunnelsight kibana build` rewrites the file; a unit test fails when it is stale.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from infra.kibana.spec import DASHBOARDS, DATA_VIEWS, Bucket, Dashboard, DataView, Filter, Metric, Panel
from schemas.indices import DEFAULT_INDICES, Indices

NDJSON = Path(__file__).with_name("tunnelsight.ndjson")
CORE_MIGRATION = "8.8.0"
TYPE_MIGRATION = {"index-pattern": "8.0.0", "lens": "8.9.0", "search": "10.5.0", "dashboard": "8.9.0"}
LENS_TYPES = {"bar_stacked": "lnsXY", "bar_horizontal": "lnsXY", "line": "lnsXY", "metric": "lnsMetric",
              "table": "lnsDatatable", "pie": "lnsPie"}
SERIES = {"bar_stacked": "bar_stacked", "bar_horizontal": "bar_horizontal_stacked", "line": "line"}
DURATION = {"id": "duration", "params": {"inputFormat": "seconds", "outputFormat": "humanizePrecise",
                                         "outputPrecision": 1}}


def index_title(dv: DataView, indices: Indices = DEFAULT_INDICES) -> str:
    kind = dv.kind
    return indices.pattern(kind)


# --- queries -------------------------------------------------------------------------------------------


def kql(where: tuple[Filter, ...]) -> str:
    """The panel's filters in KQL, the language Kibana stores with each panel."""
    parts = []
    for f in where:
        if not f.values:
            clause = f"{f.field} : *"
        elif len(f.values) == 1:
            clause = f'{f.field} : "{f.values[0]}"'
        else:
            clause = f"{f.field} : (" + " or ".join(f'"{v}"' for v in f.values) + ")"
        parts.append(f"not {clause}" if f.negate else clause)
    return " and ".join(parts)


def es_query(where: tuple[Filter, ...], time_field: str | None = None,
             time_range: tuple[str, str] | None = None) -> dict[str, Any]:
    """The same filters in Query DSL (what Kibana compiles the KQL to), plus an optional time range."""
    must: list[dict[str, Any]] = []
    must_not: list[dict[str, Any]] = []
    for f in where:
        if not f.values:
            clause: dict[str, Any] = {"exists": {"field": f.field}}
        elif len(f.values) == 1:
            clause = {"term": {f.field: f.values[0]}}
        else:
            clause = {"terms": {f.field: list(f.values)}}
        (must_not if f.negate else must).append(clause)
    if time_field and time_range:
        must.append({"range": {time_field: {"gte": time_range[0], "lte": time_range[1]}}})
    return {"bool": {"filter": must, "must_not": must_not}}


def _metric_agg(m: Metric) -> dict[str, Any] | None:
    op = {"unique_count": "cardinality", "average": "avg", "max": "max", "sum": "sum"}.get(m.op)
    if m.op == "count":
        return None  # a bucket's doc_count
    if op is None or not m.field:
        raise ValueError(f"metric {m.op} needs a field")
    return {op: {"field": m.field}}


def auto_interval(time_range: tuple[str, str] | None) -> str:
    """What Lens's `auto` comes to: about 50 buckets over the range, on a round interval. (This server
    lacks auto_date_histogram, and Kibana computes the interval itself anyway.)"""
    if not time_range:
        return "1d"
    span = (datetime.fromisoformat(time_range[1]) - datetime.fromisoformat(time_range[0])).total_seconds()
    for interval, seconds in (("1m", 60), ("5m", 300), ("10m", 600), ("30m", 1800), ("1h", 3600),
                              ("3h", 10800), ("12h", 43200), ("1d", 86400)):
        if span / seconds <= 60:
            return interval
    return "7d"


def _bucket_agg(b: Bucket, metric: Metric, time_range: tuple[str, str] | None = None) -> dict[str, Any]:
    if b.op == "date_histogram":
        if b.interval == "auto":
            return {"date_histogram": {"field": b.field, "fixed_interval": auto_interval(time_range),
                                       "min_doc_count": 1}}
        return {"date_histogram": {"field": b.field, "calendar_interval": b.interval, "min_doc_count": 1}}
    terms: dict[str, Any] = {"field": b.field, "size": b.size}
    if metric.op != "count":
        terms["order"] = {"m": "desc"}
    return {"terms": terms}


def es_search(panel: Panel, indices: Indices = DEFAULT_INDICES,
              time_range: tuple[str, str] | None = None) -> dict[str, Any]:
    """{index, body} of the search behind one panel: filters, then buckets nested x > split > rows."""
    dv = DATA_VIEWS[panel.data_view]
    body: dict[str, Any] = {"size": 0, "track_total_hits": True,
                            "query": es_query(panel.where, dv.time_field, time_range)}
    if panel.chart == "search":
        body.update(size=50, sort=[{"@timestamp": "desc"}], _source=list(panel.columns))
        return {"index": index_title(dv, indices), "body": body}
    buckets = [b for b in (panel.x, panel.split) if b] + list(panel.rows)
    metric = _metric_agg(panel.metric)
    # The metric sits under every bucket level, as Lens computes it, so each level can sort by it.
    aggs: dict[str, Any] = {"m": metric} if metric else {}
    for depth, b in reversed(list(enumerate(buckets))):
        node = _bucket_agg(b, panel.metric, time_range)
        if aggs:
            node["aggs"] = aggs
        aggs = {f"b{depth}": node, **({"m": metric} if metric and depth else {})}
    if aggs:
        body["aggs"] = aggs
    return {"index": index_title(dv, indices), "body": body}


# --- Lens ----------------------------------------------------------------------------------------------


def _column_label(b: Bucket) -> str:
    return b.label or b.field


def _bucket_column(b: Bucket, order_by: str) -> dict[str, Any]:
    if b.op == "date_histogram":
        return {"label": b.label or "@timestamp", "dataType": "date", "operationType": "date_histogram",
                "sourceField": b.field, "isBucketed": True, "scale": "interval",
                "params": {"interval": b.interval, "includeEmptyRows": True, "dropPartials": False}}
    return {"label": _column_label(b), "customLabel": bool(b.label), "dataType": "string",
            "operationType": "terms", "sourceField": b.field, "isBucketed": True, "scale": "ordinal",
            "params": {"size": b.size, "orderBy": {"type": "column", "columnId": order_by},
                       "orderDirection": "desc", "otherBucket": True, "missingBucket": False,
                       "parentFormat": {"id": "terms"}, "include": [], "exclude": [],
                       "includeIsRegex": False, "excludeIsRegex": False}}


def _metric_column(m: Metric) -> dict[str, Any]:
    if m.op == "count":
        return {"label": m.label or "Count of records", "customLabel": bool(m.label), "dataType": "number",
                "operationType": "count", "isBucketed": False, "scale": "ratio", "sourceField": "___records___",
                "params": {"emptyAsNull": True}}
    data_type = "date" if m.op == "max" and m.field and (m.field.endswith("since") or "last_" in m.field) \
        else "number"
    col: dict[str, Any] = {"label": m.label or f"{m.op} of {m.field}", "customLabel": bool(m.label),
                           "dataType": data_type, "operationType": m.op, "sourceField": m.field,
                           "isBucketed": False, "scale": "ratio", "params": {"emptyAsNull": True}}
    if m.field == "tunnelsight.recovery.seconds":
        col["params"]["format"] = DURATION
    return col


def lens(panel: Panel) -> dict[str, Any]:
    """A by-reference Lens saved object for a panel."""
    layer = f"layer-{panel.id}"
    metric_id = f"{panel.id}-metric"
    columns: dict[str, Any] = {metric_id: _metric_column(panel.metric)}
    bucket_ids: list[str] = []
    for name, b in (("x", panel.x), ("split", panel.split)):
        if b:
            columns[f"{panel.id}-{name}"] = _bucket_column(b, metric_id)
            bucket_ids.append(f"{panel.id}-{name}")
    for i, b in enumerate(panel.rows):
        columns[f"{panel.id}-row{i}"] = _bucket_column(b, metric_id)
        bucket_ids.append(f"{panel.id}-row{i}")
    vis_type = LENS_TYPES[panel.chart]
    if vis_type == "lnsXY":
        xy_layer: dict[str, Any] = {"layerId": layer, "layerType": "data", "seriesType": SERIES[panel.chart],
                                    "xAccessor": f"{panel.id}-x", "accessors": [metric_id],
                                    "palette": {"type": "palette", "name": "default"}}
        if panel.split:
            xy_layer["splitAccessor"] = f"{panel.id}-split"
        visualization: dict[str, Any] = {
            "legend": {"isVisible": True, "position": "right"}, "valueLabels": "hide",
            "preferredSeriesType": SERIES[panel.chart], "layers": [xy_layer],
            "axisTitlesVisibilitySettings": {"x": True, "yLeft": True, "yRight": True}}
    elif vis_type == "lnsMetric":
        visualization = {"layerId": layer, "layerType": "data", "metricAccessor": metric_id}
    elif vis_type == "lnsDatatable":
        visualization = {"layerId": layer, "layerType": "data",
                         "columns": [{"columnId": c} for c in [*bucket_ids, metric_id]]}
    else:
        visualization = {"shape": "donut", "layers": [{
            "layerId": layer, "layerType": "data", "primaryGroups": [f"{panel.id}-x"], "metrics": [metric_id],
            "numberDisplay": "percent", "categoryDisplay": "default", "legendDisplay": "default",
            "nestedLegend": False}]}
    return {
        "type": "lens",
        "id": f"tunnelsight-{panel.id}",
        "attributes": {
            "title": panel.title,
            "description": panel.description,
            "visualizationType": vis_type,
            "state": {
                "datasourceStates": {"formBased": {"layers": {layer: {
                    "columns": columns, "columnOrder": [*bucket_ids, metric_id], "incompleteColumns": {}}}}},
                "visualization": visualization,
                "query": {"query": kql(panel.where), "language": "kuery"},
                "filters": [],
                "internalReferences": [],
                "adHocDataViews": {},
            },
        },
        "references": [{"type": "index-pattern", "id": DATA_VIEWS[panel.data_view].id,
                        "name": f"indexpattern-datasource-layer-{layer}"}],
        "coreMigrationVersion": CORE_MIGRATION,
        "typeMigrationVersion": TYPE_MIGRATION["lens"],
        "managed": False,
    }


def saved_search(panel: Panel) -> dict[str, Any]:
    source = {"query": {"query": kql(panel.where), "language": "kuery"}, "filter": [],
              "highlightAll": True, "version": True, "indexRefName": "kibanaSavedObjectMeta.searchSourceJSON.index"}
    return {
        "type": "search",
        "id": f"tunnelsight-{panel.id}",
        "attributes": {"title": panel.title, "description": panel.description, "columns": list(panel.columns),
                       "sort": [["@timestamp", "desc"]], "grid": {}, "hideChart": False, "isTextBasedQuery": False,
                       "kibanaSavedObjectMeta": {"searchSourceJSON": json.dumps(source)}},
        "references": [{"type": "index-pattern", "id": DATA_VIEWS[panel.data_view].id,
                        "name": "kibanaSavedObjectMeta.searchSourceJSON.index"}],
        "coreMigrationVersion": CORE_MIGRATION,
        "typeMigrationVersion": TYPE_MIGRATION["search"],
        "managed": False,
    }


def data_view(dv: DataView, indices: Indices = DEFAULT_INDICES) -> dict[str, Any]:
    attrs: dict[str, Any] = {"title": index_title(dv, indices), "name": dv.name, "allowNoIndex": True,
                             "fieldFormatMap": json.dumps({"tunnelsight.recovery.seconds": DURATION})}
    if dv.time_field:
        attrs["timeFieldName"] = dv.time_field
    return {"type": "index-pattern", "id": dv.id, "attributes": attrs, "references": [],
            "coreMigrationVersion": CORE_MIGRATION, "typeMigrationVersion": TYPE_MIGRATION["index-pattern"],
            "managed": False}


def layout(panels: tuple[Panel, ...]) -> list[dict[str, int]]:
    """Flow the panels left to right on Kibana's 48-column grid."""
    x = y = row_h = 0
    out = []
    for p in panels:
        if x + p.w > 48:
            x, y, row_h = 0, y + row_h, 0
        out.append({"x": x, "y": y, "w": p.w, "h": p.h})
        x, row_h = x + p.w, max(row_h, p.h)
    return out


def dashboard(d: Dashboard) -> dict[str, Any]:
    panels, refs = [], []
    for i, (p, grid) in enumerate(zip(d.panels, layout(d.panels), strict=True)):
        index = f"p{i}"
        kind = "search" if p.chart == "search" else "lens"
        panels.append({"type": kind, "gridData": {**grid, "i": index}, "panelIndex": index,
                       "embeddableConfig": {"enhancements": {}}, "title": p.title,
                       "panelRefName": f"panel_{index}"})
        refs.append({"type": kind, "id": f"tunnelsight-{p.id}", "name": f"{index}:panel_{index}"})
    attrs: dict[str, Any] = {
        "title": d.title, "description": d.description, "version": 1, "timeRestore": True,
        "timeFrom": d.time_from, "timeTo": "now", "refreshInterval": {"pause": False, "value": 60000},
        "panelsJSON": json.dumps(panels),
        "optionsJSON": json.dumps({"useMargins": True, "syncColors": True, "syncCursor": True,
                                   "syncTooltips": False, "hidePanelTitles": False}),
        "kibanaSavedObjectMeta": {"searchSourceJSON": json.dumps({"query": {"query": "", "language": "kuery"},
                                                                  "filter": []})},
    }
    if d.controls:
        controls = {}
        for i, c in enumerate(d.controls):
            cid = f"{d.id}-control-{i}"
            controls[cid] = {"order": i, "width": "medium", "grow": True, "type": "optionsListControl",
                             "explicitInput": {"id": cid, "fieldName": c.field, "title": c.title,
                                               "dataViewId": DATA_VIEWS[c.data_view].id, "enhancements": {}}}
            refs.append({"type": "index-pattern", "id": DATA_VIEWS[c.data_view].id,
                         "name": f"controlGroup_{cid}:optionsListDataView"})
        attrs["controlGroupInput"] = {
            "controlStyle": "oneLine", "chainingSystem": "HIERARCHICAL", "showApplySelections": False,
            "panelsJSON": json.dumps(controls),
            "ignoreParentSettingsJSON": json.dumps({"ignoreFilters": False, "ignoreQuery": False,
                                                    "ignoreTimerange": False, "ignoreValidations": False}),
        }
    return {"type": "dashboard", "id": d.id, "attributes": attrs, "references": refs,
            "coreMigrationVersion": CORE_MIGRATION, "typeMigrationVersion": TYPE_MIGRATION["dashboard"],
            "managed": False}


def saved_objects(indices: Indices = DEFAULT_INDICES) -> list[dict[str, Any]]:
    """Data views first, then visualizations, then dashboards: the order Kibana resolves references in."""
    objs = [data_view(dv, indices) for dv in DATA_VIEWS.values()]
    seen: set[str] = set()
    for d in DASHBOARDS:
        for p in d.panels:
            if p.id not in seen:
                seen.add(p.id)
                objs.append(saved_search(p) if p.chart == "search" else lens(p))
    objs.extend(dashboard(d) for d in DASHBOARDS)
    return objs


def render(indices: Indices = DEFAULT_INDICES) -> str:
    return "".join(json.dumps(o, sort_keys=True) + "\n" for o in saved_objects(indices))


def write(path: Path = NDJSON) -> bool:
    """Rewrite the NDJSON file; True when it changed."""
    text = render()
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True
