"""When things happen on one tunnel: setups, rekeys, DPD, benign noise and the injected failure.

`episodes(tunnel, ...)` yields the tunnel's episodes in start order, drawn from an RNG seeded by the
run seed and the tunnel id only, so both ends of a fleet-internal tunnel replay the same timeline
without sharing state, and gateways can be generated one at a time.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass

from streams.simulate import scenarios as sc
from streams.simulate.fleet import Gateway, Tunnel

AbsStep = tuple[float, str, object]


@dataclass(slots=True)
class Episode:
    start: float
    steps: list[AbsStep]
    scenario: sc.Scenario | None = None  # set on an injected failure episode
    attempts: int = 0
    healthy_setup: bool = False  # a successful setup (the start of a healthy tunnel's record)

    @property
    def end(self) -> float:
        return self.steps[-1][0] if self.steps else self.start


def _at(start: float, steps: tuple[sc.Step, ...]) -> list[AbsStep]:
    return [(start + off, kind, arg) for off, kind, arg in steps]


def _failure(rng: random.Random, scen: sc.Scenario, start: float, end: float) -> Episode:
    """One episode: the attempts a daemon makes before it stops retrying for a while."""
    n = rng.randint(*scen.attempts)
    steps: list[AbsStep] = []
    t = start
    done = 0
    for _ in range(n):
        if t >= end:
            break
        steps.extend(_at(t, scen.attempt))
        done += 1
        t = steps[-1][0] + rng.uniform(*scen.gap)
    return Episode(start, steps, scen, done)


def _lives(rng: random.Random, life: int) -> float:
    """Rekey after 85-95 % of the lifetime, as strongSwan's rekey margin and jitter do."""
    return life * rng.uniform(0.85, 0.95)


def episodes(t: Tunnel, seed: int, start: float, end: float, dpd: bool = True) -> Iterator[Episode]:
    """The tunnel's episodes in start order. `dpd=False` leaves out idle DPD exchanges (for a vendor
    that does not log them) without changing anything else: the DPD schedule draws no random numbers."""
    rng = random.Random(f"{seed}:tunnel:{t.id}")
    scen = sc.scenario_for(t)
    span = end - start
    now = start + rng.uniform(1.0, max(2.0, min(600.0, span * 0.05)))
    if scen is not None and scen.phase == "setup":
        while now < end:
            ep = _failure(rng, scen, now, end)
            yield ep
            now = ep.end + rng.uniform(1800.0, 5400.0)
        return
    fail_at = math.inf
    if scen is not None and scen.phase in ("runtime", "dpd"):
        fail_at = start + rng.uniform(0.2, 0.7) * span
    while now < end:
        roll = rng.random()
        if roll < 0.04:
            setup = sc.SETUP_RETX
        elif roll < 0.08 and t.ike_version == 2:
            setup = sc.SETUP_INVALID_KE
        else:
            setup = sc.HEALTHY_SETUP
        ep = Episode(now, _at(now, setup), healthy_setup=True)
        yield ep
        up = ep.end
        next_child = up + _lives(rng, t.child_life)
        next_ike = up + _lives(rng, t.ike_life)
        next_dpd = math.inf if t.busy or not dpd else up + t.dpd_delay
        next_mac = up + rng.expovariate(1 / (8 * 3600.0))
        while True:
            nxt = min(next_child, next_ike, next_dpd, next_mac, fail_at)
            if nxt >= end:
                return
            if nxt == fail_at:
                assert scen is not None
                ep = _failure(rng, scen, fail_at, end)
                yield ep
                fail_at = math.inf
                if scen.phase == "dpd":  # the peer is gone; it comes back and the tunnel is set up anew
                    now = ep.end + rng.uniform(600.0, 2400.0)
                    break
                continue
            if nxt == next_child:
                if scen is not None and scen.phase == "rekey":
                    ep = _failure(rng, scen, next_child, end)
                    yield ep
                    now = ep.end + rng.uniform(300.0, 1200.0)  # the CHILD_SA expired; traffic brings it back
                    break
                yield Episode(nxt, _at(nxt, sc.CHILD_REKEY))
                next_child += _lives(rng, t.child_life)
            elif nxt == next_ike:
                yield Episode(nxt, _at(nxt, sc.IKE_REKEY))
                next_ike += _lives(rng, t.ike_life)
            elif nxt == next_dpd:
                yield Episode(nxt, _at(nxt, sc.DPD))
                next_dpd += t.dpd_delay
            else:
                yield Episode(nxt, _at(nxt, sc.MAC_NOISE))
                next_mac += rng.expovariate(1 / (8 * 3600.0))


def device_noise(gw: Gateway, seed: int, start: float, end: float, mean_gap: float) -> Iterator[Episode]:
    """The gateway's other lines (logins, interfaces, traffic): one every `mean_gap` seconds on average."""
    rng = random.Random(f"{seed}:noise:{gw.index}")
    t = start + rng.expovariate(1 / mean_gap)
    while t < end:
        yield Episode(t, [(t, "device", rng.random())])
        t += rng.expovariate(1 / mean_gap)
