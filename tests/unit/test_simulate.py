"""`tunnelsight simulate`: determinism, class coverage, bounded memory, ground truth that matches the logs."""

from __future__ import annotations

import io
import math
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest

from streams.cli import main
from streams.simulate import scenarios
from streams.simulate.vendors import RENDERERS
from streams.simulate.writer import Config, GatewayStream, Stats, generate, make_fleet

START = datetime(2026, 2, 5, tzinfo=UTC).timestamp()


def _cfg(**kw: object) -> Config:
    base: dict[str, object] = {"seed": 7, "gateways": 10, "peers": 4, "start": START, "duration": 3600.0}
    base.update(kw)
    return Config(**base)  # type: ignore[arg-type]


def _run(tmp: Path, cfg: Config, merged: bool = False) -> tuple[dict[str, bytes], bytes, bytes]:
    truth = io.BytesIO()
    out = io.StringIO() if merged else None
    generate(cfg, tmp, out, truth)
    files = {p.name: p.read_bytes() for p in sorted(tmp.glob("*.log"))}
    return files, truth.getvalue(), (out.getvalue().encode() if out else b"")


def _truth(raw: bytes) -> list[dict[str, object]]:
    return [orjson.loads(x) for x in raw.splitlines()]


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    a = _run(tmp_path / "a", _cfg(), merged=True)
    b = _run(tmp_path / "b", _cfg(), merged=True)
    assert a == b
    c = _run(tmp_path / "c", _cfg(seed=8))
    assert c[0] != a[0]


def test_merged_stream_is_the_per_gateway_files_in_time_order(tmp_path: Path) -> None:
    files, _, merged = _run(tmp_path, _cfg(internal_share=0.3), merged=True)
    lines = merged.decode().splitlines()
    assert sorted(lines) == sorted(x for f in files.values() for x in f.decode().splitlines())
    # each gateway's own order is kept inside the merged stream
    for name, data in files.items():
        host = name.removesuffix(".log")
        mine = [x for x in lines if f" {host} " in x[:64]]
        assert mine == data.decode().splitlines()


def test_every_class_is_injected_in_a_moderate_fleet(tmp_path: Path) -> None:
    cfg = _cfg(gateways=40, peers=6, duration=2 * 3600.0, failure_share=0.5)
    _, truth, _ = _run(tmp_path, cfg)
    seen = {r["class"] for r in _truth(truth)}
    assert set(scenarios.CLASSES) <= seen, sorted(set(scenarios.CLASSES) - seen)


def test_each_vendor_can_render_every_class_it_claims() -> None:
    for vendor, r in RENDERERS.items():
        for cls in r.classes:
            assert cls in scenarios.SCENARIOS, (vendor, cls)
            assert any(all(k in r.steps for k in scenarios.evidence(sc)) for sc in scenarios.SCENARIOS[cls]), \
                (vendor, cls)


def test_failure_mix_limits_the_classes(tmp_path: Path) -> None:
    cfg = _cfg(mix=scenarios.parse_mix("ike.peer_unreachable=1,child.ts_unacceptable=2"), failure_share=0.5)
    _, truth, _ = _run(tmp_path, cfg)
    injected = {r["injected"] for r in _truth(truth)} - {None}
    assert injected == {"ike.peer_unreachable", "child.ts_unacceptable"}
    with pytest.raises(ValueError):
        scenarios.parse_mix("ike.no_such_class=1")


def test_ground_truth_matches_the_lines() -> None:
    """Every failure record spans lines of its gateway that name its peer; healthy tunnels log too."""
    cfg = _cfg(gateways=30, peers=5, duration=2 * 3600.0, failure_share=0.5, internal_share=0.2)
    fleet = make_fleet(cfg)
    truth = io.BytesIO()
    lines: dict[str, list[tuple[float, str]]] = {}
    for gw in fleet.gateways:
        lines[gw.name] = GatewayStream(fleet, gw, cfg, truth, Stats()).lines_until(math.inf)
    records = _truth(truth.getvalue())
    assert records
    names = {g.name for g in fleet.gateways}
    for r in records:
        assert r["gateway"] in names
        assert r["vendor"] == next(g.vendor for g in fleet.gateways if g.name == r["gateway"])
        start = datetime.fromisoformat(str(r["start"]).replace("Z", "+00:00")).timestamp()
        end = datetime.fromisoformat(str(r["end"]).replace("Z", "+00:00")).timestamp()
        assert start <= end
        mine = [text for t, text in lines[str(r["gateway"])] if start - 0.001 <= t <= end + 0.001]
        if r["class"] is None:
            assert any(str(r["peer"]) in text for text in mine), r
            continue
        assert mine, r
        assert r["injected"] is not None
        # data-plane messages may name only the inner packet (IOS RECVD_PKT_INV_IDENTITY, PKT_REPLAY_ERR)
        if r["peer"] is not None and not str(r["class"]).startswith("dataplane."):
            assert any(str(r["peer"]) in text for text in mine), r


def test_lines_are_in_time_order_and_stay_in_the_documentation_ranges(tmp_path: Path) -> None:
    files, _, _ = _run(tmp_path, _cfg(gateways=12))
    import re
    addr = re.compile(r"(?<![\d.])(\d{1,3}\.\d{1,3}\.\d{1,3})\.\d{1,3}(?![\d.])")
    allowed = ("192.0.2", "198.51.100", "203.0.113")
    for data in files.values():
        for line in data.decode().splitlines():
            for net in addr.findall(line):
                assert net.startswith(allowed) or net.startswith(("10.", "255.")), line


def test_memory_stays_bounded_over_long_runs(tmp_path: Path) -> None:
    """Generating four times the duration must not need (nearly) four times the memory."""
    def peak(hours: float, where: Path) -> int:
        tracemalloc.start()
        try:
            stats = generate(_cfg(gateways=4, peers=4, duration=hours * 3600.0, device_gap=30.0), where, None, None)
            assert stats.lines > hours * 1000
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    short = peak(8, tmp_path / "short")
    long = peak(32, tmp_path / "long")  # ~50k lines, 4x the short run
    assert long < short * 1.5 + 256 * 1024, (short, long)
    assert long < 8 * 1024 * 1024


def test_cli_writes_logs_and_truth(tmp_path: Path) -> None:
    out = tmp_path / "fleet"
    assert main(["simulate", "--gateways", "3", "--peers", "2", "--duration", "30m", "--seed", "2",
                 "--out", str(out)]) == 0
    assert (out / "ground_truth.ndjson").stat().st_size > 0
    assert len(list(out.glob("*.log"))) == 3
    assert main(["simulate", "--gateways", "3", "--duration", "10m"]) == 2  # neither --out nor --merged
