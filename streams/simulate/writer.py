"""Time-ordered, streaming output: one log file per gateway, a merged stream, the ground truth.

Each gateway is a set of episode iterators (its tunnel ends and its device noise). The writer walks
time in fixed windows: it renders every episode that starts before the window's end, sorts the
pending lines (a stable sort keeps the order of lines printed in the same instant) and writes those
that fall inside the window. Memory is bounded by one window's lines plus episodes in flight, never by
the run's length. Windows depend only on the arguments, so output bytes do too.
"""

from __future__ import annotations

import heapq
import math
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from operator import itemgetter
from pathlib import Path
from typing import IO, Any

import orjson

from streams.simulate import scenarios
from streams.simulate.fleet import Fleet, Gateway, Side, build_fleet, index_sides
from streams.simulate.timeline import Episode, device_noise, episodes
from streams.simulate.vendors import RENDERERS, renders, supports, versions
from streams.simulate.vendors.base import Out, SideState

_T = itemgetter(0)


@dataclass(slots=True)
class Config:
    seed: int = 1
    gateways: int = 8
    peers: int = 4
    start: float = datetime(2026, 2, 5, tzinfo=UTC).timestamp()
    duration: float = 6 * 3600.0
    weights: dict[str, float] | None = None
    mix: dict[str, float] = field(default_factory=lambda: scenarios.parse_mix(None))
    failure_share: float = 0.3  # share of tunnels that get a failure injected
    internal_share: float = 0.1  # share of tunnels whose far end is another gateway of the fleet
    device_gap: float = 90.0  # mean seconds between a gateway's non-VPN lines


@dataclass(slots=True)
class Stats:
    lines: int = 0
    bytes: int = 0
    per_gateway: Counter[str] = field(default_factory=Counter)
    episodes: Counter[str] = field(default_factory=Counter)  # ground-truth records per class ("healthy")


def make_fleet(cfg: Config) -> Fleet:
    fleet = build_fleet(cfg.seed, cfg.gateways, cfg.peers, cfg.weights, cfg.internal_share)
    scenarios.plan_failures(fleet, cfg.seed, cfg.failure_share, cfg.mix, supports, versions, renders)
    index_sides(fleet)
    return fleet


def window_seconds(fleet: Fleet) -> float:
    """Smaller windows for bigger fleets, so one window of the merged stream stays a few MB
    (a tunnel logs a line every few seconds at most)."""
    return float(max(10, min(300, 600000 // max(1, len(fleet.tunnels)))))


def iso(ts: float) -> str:
    dt = datetime.fromtimestamp(ts, UTC)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


class GatewayStream:
    """One gateway's lines in time order, window by window."""

    def __init__(self, fleet: Fleet, gw: Gateway, cfg: Config, truth: IO[bytes] | None, stats: Stats) -> None:
        self.gw = gw
        self.end = cfg.start + cfg.duration
        self.renderer = RENDERERS[gw.vendor](gw, cfg.seed)
        self.truth = truth
        self.stats = stats
        self.sources: list[tuple[Iterator[Episode], SideState | None]] = [
            (episodes(side.tunnel, cfg.seed, cfg.start, self.end, dpd="dpd" in self.renderer.steps), SideState(side))
            for side in fleet.sides.get(gw.index, [])
        ]
        self.sources.append((device_noise(gw, cfg.seed, cfg.start, self.end, cfg.device_gap), None))
        # Episodes are rendered in start order across the gateway's sources, whatever the window size,
        # so the daemon counters (IKE SA ids, sequence numbers) come out the same in every output mode.
        self.heap: list[tuple[float, int, Episode]] = []
        for i, (it, _) in enumerate(self.sources):
            ep = next(it, None)
            if ep is not None:
                self.heap.append((ep.start, i, ep))
        heapq.heapify(self.heap)
        self.healthy_done: set[int] = set()
        self.pending: Out = []

    def lines_until(self, w1: float) -> Out:
        """Every line stamped before `w1`, in time order; later ones stay pending."""
        pending = self.pending
        heap, sources, device = self.heap, self.sources, self.renderer.device
        while heap and heap[0][0] < w1:
            _, i, ep = heap[0]
            it, st = sources[i]
            if st is None:
                for t, _, arg in ep.steps:
                    device(t, float(arg), pending)  # type: ignore[arg-type]
            else:
                self._render(ep, st, pending)
            nxt = next(it, None)
            if nxt is None:
                heapq.heappop(heap)
            else:
                heapq.heapreplace(heap, (nxt.start, i, nxt))
        pending.sort(key=_T)
        k = len(pending) if w1 == math.inf else bisect_left(pending, w1, key=_T)
        if k == len(pending):
            self.pending = []
            return pending
        out, self.pending = pending[:k], pending[k:]
        return out

    def _render(self, ep: Episode, st: SideState, out: Out) -> None:
        side = st.side
        scen = ep.scenario
        render = self.renderer.render
        if scen is None:
            if ep.healthy_setup and side.tunnel.failure is None and side.tunnel.id not in self.healthy_done:
                self.healthy_done.add(side.tunnel.id)
                self._record(side, None, ep.start, self.end, 0, False)
            for t, kind, arg in ep.steps:
                render(st, t, kind, arg, out)
            return
        cls = scen.cls if side.is_a else scen.other
        if cls is None:
            return  # the other end sees nothing of this failure
        before = len(out)
        for t, kind, arg in ep.steps:
            render(st, t, kind, arg, out)
        if len(out) > before:
            self._record(side, cls, out[before][0], out[-1][0], ep.attempts, scen.gateway_level)

    def _record(self, side: Side, cls: str | None, start: float, end: float, attempts: int, gw_level: bool) -> None:
        self.stats.episodes[cls or "healthy"] += 1
        if self.truth is None:
            return
        rec: dict[str, Any] = {
            "gateway": self.gw.name, "vendor": self.gw.vendor,
            "peer": None if gw_level else side.remote_ip, "peer_name": None if gw_level else side.remote_name,
            "connection": None if gw_level else side.conn, "class": cls,
            "start": iso(start), "end": iso(end), "attempts": attempts,
            "ike_version": side.ike_version, "role": side.role, "tunnel": side.tunnel.id,
            "injected": side.tunnel.failure, "host_ids": self.renderer.host_ids(),
        }
        self.truth.write(orjson.dumps(rec, option=orjson.OPT_APPEND_NEWLINE))


def _write(fh: IO[str], lines: Out, stats: Stats, name: str) -> None:
    if not lines:
        return
    text = "\n".join([line for _, line in lines]) + "\n"
    fh.write(text)
    stats.lines += len(lines)
    stats.bytes += len(text)
    stats.per_gateway[name] += len(lines)


def generate(cfg: Config, out_dir: Path | None, merged: IO[str] | None, truth: IO[bytes] | None) -> Stats:
    """Write the fleet's logs; per gateway one after another unless a merged stream is wanted."""
    fleet = make_fleet(cfg)
    stats = Stats()
    step = window_seconds(fleet) if merged is not None else 3600.0
    windows = [cfg.start + step * (i + 1) for i in range(math.ceil(cfg.duration / step))] + [math.inf]
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
    if merged is None:
        assert out_dir is not None
        for gw in fleet.gateways:
            stream = GatewayStream(fleet, gw, cfg, truth, stats)
            with (out_dir / f"{gw.name}.log").open("w", encoding="utf-8", newline="\n") as fh:
                for w in windows:
                    _write(fh, stream.lines_until(w), stats, gw.name)
        return stats
    streams = [GatewayStream(fleet, gw, cfg, truth, stats) for gw in fleet.gateways]
    files = ([(out_dir / f"{gw.name}.log").open("w", encoding="utf-8", newline="\n") for gw in fleet.gateways]
             if out_dir is not None else [])
    try:
        for w in windows:
            chunks = [s.lines_until(w) for s in streams]
            for fh, chunk, s in zip(files, chunks, streams, strict=False):
                _write(fh, chunk, Stats(), s.gw.name)
            merged_chunk: Out = []
            for chunk, s in zip(chunks, streams, strict=True):
                stats.per_gateway[s.gw.name] += len(chunk)
                merged_chunk += chunk
            merged_chunk.sort(key=_T)  # timsort merges the sorted runs; ties keep gateway order
            text = "\n".join([line for _, line in merged_chunk])
            if text:
                merged.write(text + "\n")
                stats.lines += len(merged_chunk)
                stats.bytes += len(text) + 1
    finally:
        for fh in files:
            fh.close()
    return stats
