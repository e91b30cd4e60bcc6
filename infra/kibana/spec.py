"""The dashboards as data: every panel's query and aggregation in one small, reviewable table.

infra/kibana/build.py turns this into Kibana 8.19 saved objects (tunnelsight.ndjson: data views, Lens
visualizations, a saved search, dashboards) *and* into plain Elasticsearch searches, which the
integration tests run against a real server: a panel that would be empty or name a field outside the
catalogue fails a test instead of a demo.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class DataView:
    id: str
    kind: str  # catalogue kind whose fields it shows
    family: str  # index family: "diagnoses" -> tunnelsight-diagnoses-* (or the single index)
    name: str
    time_field: str | None  # None: the time picker does not filter it (latest state, open incidents)


@dataclass(frozen=True, slots=True)
class Filter:
    """`field` is one of `values` (exists when empty); `negate` turns it into "is not"."""

    field: str
    values: tuple[str, ...] = ()
    negate: bool = False


@dataclass(frozen=True, slots=True)
class Bucket:
    op: str  # date_histogram | terms
    field: str
    interval: str = "auto"  # date_histogram: auto (Lens picks; ES: auto_date_histogram), 1d, 1w
    size: int = 10  # terms
    label: str | None = None


@dataclass(frozen=True, slots=True)
class Metric:
    op: str = "count"  # count | unique_count | average | max | sum
    field: str | None = None
    label: str | None = None


@dataclass(frozen=True, slots=True)
class Panel:
    id: str
    title: str
    data_view: str
    chart: str  # bar_stacked | bar_horizontal | line | metric | table | pie | search
    where: tuple[Filter, ...] = ()
    x: Bucket | None = None  # XY charts: the x axis; pie: the slices
    split: Bucket | None = None  # XY charts: the breakdown
    rows: tuple[Bucket, ...] = ()  # tables
    metric: Metric = field(default_factory=Metric)
    columns: tuple[str, ...] = ()  # saved search
    w: int = 24
    h: int = 12
    description: str = ""


@dataclass(frozen=True, slots=True)
class Control:
    field: str
    title: str
    data_view: str


@dataclass(frozen=True, slots=True)
class Dashboard:
    id: str
    title: str
    description: str
    panels: tuple[Panel, ...]
    controls: tuple[Control, ...] = ()
    time_from: str = "now-7d"


DATA_VIEWS: dict[str, DataView] = {
    "diagnoses": DataView("tunnelsight-diagnoses", "diagnosis", "diagnoses", "tunnelsight diagnoses", "@timestamp"),
    "tunnels": DataView("tunnelsight-tunnels", "tunnel", "tunnels", "tunnelsight tunnels (latest state)", None),
    "incidents": DataView("tunnelsight-incidents", "incident", "incidents", "tunnelsight fleet incidents", None),
}

# A failure, not a success and not the tunnel-level repeat of two per-gateway diagnoses.
FAILURES = (Filter("event.outcome", ("failure",)), Filter("event.action", ("tunnel_failed",), negate=True))
CLASS = Bucket("terms", "vpn.failure.class", size=12, label="Failure class")
COUNT = Metric("count", label="Failures")
DOWN = (Filter("tunnelsight.tunnel.status", ("down",)),)
OPEN = (Filter("tunnelsight.incident.status", ("open",)),)

FLEET = Dashboard(
    id="tunnelsight-fleet-overview",
    title="tunnelsight - fleet overview",
    description="Failures over time by class, the peers and gateways that fail most, open fleet incidents "
                "and the tunnels down now.",
    panels=(
        Panel("fleet-down-count", "Tunnels down now", "tunnels", "metric", where=DOWN,
              metric=Metric("unique_count", "tunnelsight.tunnel.id", "Tunnels down"), w=12, h=7),
        Panel("fleet-open-incidents-count", "Open fleet incidents", "incidents", "metric", where=OPEN,
              metric=Metric("count", label="Open incidents"), w=12, h=7),
        Panel("fleet-failures-count", "Failures", "diagnoses", "metric", where=FAILURES, metric=COUNT, w=12, h=7),
        Panel("fleet-peers-count", "Failing peers", "diagnoses", "metric", where=FAILURES,
              metric=Metric("unique_count", "vpn.remote.ip", "Failing peers"), w=12, h=7),
        Panel("fleet-failures-over-time", "Failures over time by class", "diagnoses", "bar_stacked",
              where=FAILURES, x=Bucket("date_histogram", "@timestamp"), split=CLASS, metric=COUNT, w=48, h=14),
        Panel("fleet-top-peers", "Top failing peers", "diagnoses", "bar_horizontal", where=FAILURES,
              x=Bucket("terms", "vpn.remote.ip", size=10, label="Peer"), split=CLASS, metric=COUNT),
        Panel("fleet-top-gateways", "Top failing gateways", "diagnoses", "bar_horizontal", where=FAILURES,
              x=Bucket("terms", "observer.hostname", size=10, label="Gateway"), split=CLASS, metric=COUNT),
        Panel("fleet-vendors", "Failures by vendor (log dialect)", "diagnoses", "pie", where=FAILURES,
              x=Bucket("terms", "observer.vendor", size=10, label="Vendor"), metric=COUNT, w=16),
        Panel("fleet-open-incidents", "Open fleet incidents", "incidents", "table", where=OPEN,
              rows=(Bucket("terms", "tunnelsight.incident.side", label="Side"),
                    Bucket("terms", "tunnelsight.incident.key", size=20, label="Peer or gateway"),
                    Bucket("terms", "vpn.failure.class", size=5, label="Dominant class")),
              metric=Metric("max", "tunnelsight.incident.tunnel_count", "Tunnels"), w=32),
        Panel("fleet-down-tunnels", "Tunnels down now", "tunnels", "table", where=DOWN,
              rows=(Bucket("terms", "tunnelsight.tunnel.id", size=50, label="Tunnel"),
                    Bucket("terms", "vpn.failure.class", size=5, label="Last failure")),
              metric=Metric("max", "tunnelsight.tunnel.since", "Down since"), w=48, h=14),
    ),
)

PEER = Dashboard(
    id="tunnelsight-peer-detail",
    title="tunnelsight - peer detail",
    description="One peer: its tunnels on every gateway, its failure classes over time and the evidence. "
                "Pick the peer with the control at the top.",
    controls=(Control("vpn.remote.ip", "Peer address", "diagnoses"),
              Control("tunnelsight.peer.name", "Partner", "diagnoses")),
    panels=(
        Panel("peer-tunnels", "This peer's tunnels", "tunnels", "table",
              rows=(Bucket("terms", "tunnelsight.tunnel.id", size=50, label="Tunnel"),
                    Bucket("terms", "tunnelsight.tunnel.status", size=2, label="Status"),
                    Bucket("terms", "vpn.failure.class", size=5, label="Last failure")),
              metric=Metric("max", "tunnelsight.tunnel.last_failure", "Last failure at"), w=48),
        Panel("peer-classes-over-time", "Failure classes over time", "diagnoses", "bar_stacked", where=FAILURES,
              x=Bucket("date_histogram", "@timestamp"), split=CLASS, metric=COUNT, w=24),
        Panel("peer-gateways", "Failures by gateway", "diagnoses", "bar_horizontal", where=FAILURES,
              x=Bucket("terms", "observer.hostname", size=10, label="Gateway"), split=CLASS, metric=COUNT),
        Panel("peer-evidence", "Evidence", "diagnoses", "search", where=FAILURES,
              columns=("observer.hostname", "vpn.connection", "vpn.failure.class", "vpn.failure.reason",
                       "vpn.evidence", "vpn.remediation.summary"), w=48, h=18),
    ),
)

TRENDS = Dashboard(
    id="tunnelsight-trends",
    title="tunnelsight - trends",
    description="Failure classes per week, new versus recurring failures and the mean time to recovery.",
    time_from="now-90d",
    panels=(
        Panel("trends-classes-weekly", "Failure classes per week", "diagnoses", "bar_stacked", where=FAILURES,
              x=Bucket("date_histogram", "@timestamp", interval="1w"), split=CLASS, metric=COUNT, w=48),
        Panel("trends-recurrence-weekly", "New, regressed and recurring failures per week", "diagnoses",
              "bar_stacked", where=FAILURES, x=Bucket("date_histogram", "@timestamp", interval="1w"),
              split=Bucket("terms", "tunnelsight.recurrence", size=3, label="Recurrence"), metric=COUNT),
        Panel("trends-mttr-weekly", "Mean time to recovery per week", "diagnoses", "line",
              where=(Filter("tunnelsight.recovery.seconds"),),
              x=Bucket("date_histogram", "@timestamp", interval="1w"),
              metric=Metric("average", "tunnelsight.recovery.seconds", "Mean time to recovery")),
        Panel("trends-mttr-class", "Mean time to recovery by class", "diagnoses", "bar_horizontal",
              where=(Filter("tunnelsight.recovery.seconds"),), x=CLASS,
              metric=Metric("average", "tunnelsight.recovery.seconds", "Mean time to recovery")),
        Panel("trends-worst-tunnels", "Tunnels that fail most", "diagnoses", "table", where=FAILURES,
              rows=(Bucket("terms", "tunnelsight.tunnel.id", size=20, label="Tunnel"),
                    Bucket("terms", "vpn.failure.class", size=3, label="Class")), metric=COUNT),
    ),
)

DASHBOARDS: tuple[Dashboard, ...] = (FLEET, PEER, TRENDS)
