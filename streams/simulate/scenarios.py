"""Failure scenarios as data: for each failure class, the abstract steps of one attempt, how daemons
retry it, and what the other end of the tunnel gets to see.

A step is `(offset seconds, kind, arg)`. Kinds are vendor-neutral (`ike_start`, `ike_no_proposal`,
`retransmit`...); each module in vendors/ renders the kinds it knows into its own lines, from the
point of view of the side's role. Timing of whole tunnels lives in timeline.py, not here.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from streams.simulate.fleet import Fleet, Tunnel

Step = tuple[float, str, object]

# The catalogue (shared failure-classes.md), minus `unknown`, which no scenario injects on purpose.
CLASSES: tuple[str, ...] = (
    "ike.proposal_mismatch", "ike.dh_group_mismatch", "ike.auth_failed.psk_mismatch",
    "ike.auth_failed.certificate", "ike.auth_failed", "ike.id_mismatch", "ike.psk_not_found",
    "ike.invalid_version", "ike.attributes_not_supported", "ike.peer_unreachable", "ike.dpd_timeout",
    "ike.unauthenticated_quick_mode", "ike.phase1_failed", "child.ts_unacceptable",
    "child.mode_mismatch", "child.proposal_mismatch", "child.rekey_pfs_mismatch",
    "kernel.cipher_unsupported", "control.vici_message_too_large", "dataplane.replay_check_failed",
    "dataplane.integrity_check_failed", "dataplane.invalid_identity",
)

# strongSwan's retransmission schedule (timeout 4 s, base 1.8): 4, 11.2, 24.2, 47.6, 89.7, give up at 165.
RETX: tuple[float, ...] = (4.0, 11.2, 24.2, 47.6, 89.7)
GIVE_UP = 165.3
_SETUP: tuple[Step, ...] = ((0.0, "ike_start", None), (0.03, "ike_init_ok", None))


@dataclass(frozen=True, slots=True)
class Scenario:
    """One way a failure class shows up. `role` is the role of the side whose logs show `cls`."""

    cls: str
    phase: str  # setup: fails when the tunnel comes up | runtime: on an established tunnel | rekey | dpd
    role: str  # initiator | responder | either
    versions: tuple[int, ...]
    attempt: tuple[Step, ...]
    attempts: tuple[int, int] = (2, 5)  # attempts per episode, as the daemon retries
    gap: tuple[float, float] = (20.0, 90.0)  # seconds between attempts
    other: str | None = None  # class the other end's logs show; None: it sees nothing worth a diagnosis
    gateway_level: bool = False  # the lines name no peer (control plane): ground truth has no peer


def _s(cls: str, phase: str, role: str, versions: tuple[int, ...], attempt: tuple[Step, ...],
       **kw: object) -> Scenario:
    return Scenario(cls, phase, role, versions, attempt, **kw)  # type: ignore[arg-type]


_RETRIES: tuple[Step, ...] = tuple((t, "retransmit", n) for n, t in enumerate(RETX, 1))

def _burst(kind: str, n: int, every: float) -> tuple[Step, ...]:
    return tuple((i * every, kind, i) for i in range(n))


SCENARIOS: dict[str, tuple[Scenario, ...]] = {
    "ike.proposal_mismatch": (
        _s("ike.proposal_mismatch", "setup", "either", (1, 2), ((0.0, "ike_start", None), (0.03, "ike_no_proposal", None)),
           other="ike.proposal_mismatch"),
    ),
    "ike.dh_group_mismatch": (
        _s("ike.dh_group_mismatch", "setup", "either", (2,),
           ((0.0, "ike_start", None), (0.03, "dh_rejected", None), (0.05, "ike_start", "again"),
            (0.08, "dh_rejected", None)), attempts=(2, 4), gap=(5.0, 30.0), other="ike.dh_group_mismatch"),
    ),
    "ike.auth_failed.psk_mismatch": (
        _s("ike.auth_failed.psk_mismatch", "setup", "either", (1,),
           (*_SETUP, (0.06, "psk_garbled", 0), (10.0, "psk_garbled", 1), (20.0, "psk_garbled", 2)),
           other="ike.auth_failed.psk_mismatch"),
        _s("ike.auth_failed.psk_mismatch", "setup", "responder", (2,), (*_SETUP, (0.06, "psk_mac_mismatch", None)),
           other="ike.auth_failed"),
    ),
    "ike.auth_failed.certificate": (
        _s("ike.auth_failed.certificate", "setup", "either", (1, 2), (*_SETUP, (0.07, "cert_invalid", None)),
           other="ike.auth_failed"),
    ),
    "ike.auth_failed": (
        _s("ike.auth_failed", "setup", "initiator", (2,), (*_SETUP, (0.07, "auth_failed_notify", None)),
           other="ike.auth_failed.psk_mismatch"),
    ),
    "ike.id_mismatch": (
        _s("ike.id_mismatch", "setup", "responder", (2,), (*_SETUP, (0.06, "no_peer_config", None)),
           other="ike.auth_failed"),
        _s("ike.id_mismatch", "setup", "initiator", (1, 2), (*_SETUP, (0.07, "idr_mismatch", None)),
           other="ike.auth_failed"),
    ),
    "ike.psk_not_found": (
        _s("ike.psk_not_found", "setup", "responder", (1, 2), (*_SETUP, (0.06, "psk_not_found", None)),
           other="ike.auth_failed"),
    ),
    "ike.invalid_version": (
        _s("ike.invalid_version", "setup", "initiator", (2,), ((0.0, "ike_start", None), (0.02, "invalid_version", None))),
    ),
    "ike.attributes_not_supported": (
        _s("ike.attributes_not_supported", "setup", "initiator", (1, 2),
           (*_SETUP, (0.06, "attrs_not_supported", None))),
    ),
    "ike.peer_unreachable": (
        _s("ike.peer_unreachable", "setup", "initiator", (1, 2),
           ((0.0, "ike_start", None), *_RETRIES, (GIVE_UP, "give_up", len(RETX))),
           attempts=(1, 3), gap=(60.0, 300.0)),
    ),
    "ike.dpd_timeout": (
        _s("ike.dpd_timeout", "dpd", "either", (1, 2),
           ((0.0, "dpd_miss", None), *_RETRIES, (GIVE_UP, "dpd_dead", len(RETX))), attempts=(1, 1)),
    ),
    "ike.unauthenticated_quick_mode": (
        _s("ike.unauthenticated_quick_mode", "setup", "responder", (1,), _burst("unauth_qm", 3, 10.0),
           attempts=(2, 4), gap=(30.0, 120.0)),
    ),
    "ike.phase1_failed": (
        _s("ike.phase1_failed", "setup", "initiator", (1,),
           ((0.0, "ike_start", None), (0.04, "mm_answered", None), (10.0, "mm_answered", 1), (30.0, "p1_failed", None))),
    ),
    "child.ts_unacceptable": (
        _s("child.ts_unacceptable", "setup", "either", (1, 2), (*_SETUP, (0.07, "ts_unacceptable", None)),
           other="child.ts_unacceptable"),
    ),
    "child.mode_mismatch": (
        _s("child.mode_mismatch", "setup", "responder", (2,), (*_SETUP, (0.06, "ts_nat_transport", None)),
           other="child.ts_unacceptable"),
    ),
    "child.proposal_mismatch": (
        _s("child.proposal_mismatch", "setup", "either", (1, 2), (*_SETUP, (0.07, "child_no_proposal", None)),
           other="child.proposal_mismatch"),
    ),
    "child.rekey_pfs_mismatch": (
        _s("child.rekey_pfs_mismatch", "rekey", "initiator", (2,), _burst("rekey_pfs_fail", 5, 21.0),
           attempts=(1, 1), other="child.rekey_pfs_mismatch"),
    ),
    "kernel.cipher_unsupported": (
        _s("kernel.cipher_unsupported", "setup", "either", (1, 2), (*_SETUP, (0.07, "kernel_sa_fail", None))),
    ),
    "control.vici_message_too_large": (
        _s("control.vici_message_too_large", "runtime", "either", (1, 2), _burst("vici_too_large", 4, 60.0),
           attempts=(1, 1), gateway_level=True),
    ),
    "dataplane.replay_check_failed": (
        _s("dataplane.replay_check_failed", "runtime", "either", (1, 2), _burst("replay", 6, 37.0), attempts=(1, 1)),
    ),
    "dataplane.integrity_check_failed": (
        _s("dataplane.integrity_check_failed", "runtime", "either", (1, 2), _burst("integrity", 6, 29.0),
           attempts=(1, 1)),
    ),
    "dataplane.invalid_identity": (
        _s("dataplane.invalid_identity", "runtime", "either", (1, 2), _burst("invalid_identity", 5, 53.0),
           attempts=(1, 1)),
    ),
}

# Healthy episodes, and the benign noise the catalogue says is no failure.
HEALTHY_SETUP: tuple[Step, ...] = (*_SETUP, (0.06, "ike_established", None), (0.07, "child_established", None))
SETUP_RETX: tuple[Step, ...] = (
    (0.0, "ike_start", None), (4.0, "retransmit", 1), (4.04, "ike_init_ok", None),
    (4.07, "ike_established", None), (4.08, "child_established", None),
)
SETUP_INVALID_KE: tuple[Step, ...] = (
    (0.0, "ike_start", None), (0.02, "dh_rejected", None), (0.03, "ike_start", "again"),
    (0.06, "ike_init_ok", None), (0.09, "ike_established", None), (0.1, "child_established", None),
)
CHILD_REKEY: tuple[Step, ...] = ((0.0, "child_rekey", None),)
IKE_REKEY: tuple[Step, ...] = ((0.0, "ike_rekey", None),)
DPD: tuple[Step, ...] = ((0.0, "dpd", None),)
MAC_NOISE: tuple[Step, ...] = ((0.0, "integrity", "single"),)


def parse_mix(text: str | None) -> dict[str, float]:
    """`class=weight,...` to weights; classes not named get 0 once any is named."""
    if not text:
        return dict.fromkeys(CLASSES, 1.0)
    mix: dict[str, float] = {}
    for item in text.split(","):
        name, _, weight = item.strip().partition("=")
        if name not in SCENARIOS:
            raise ValueError(f"unknown failure class {name!r}")
        mix[name] = float(weight) if weight else 1.0
    return mix


Supports = Callable[[str, str], bool]  # (vendor, class) -> the vendor logs evidence for it
Versions = Callable[[str, str], tuple[int, ...]]  # (vendor, class) -> IKE versions it shows the class on
Renders = Callable[[str, str], bool]  # (vendor, step kind) -> the vendor prints something for that step

# Steps every setup has: a vendor that prints nothing for them may still show the failure that follows.
_SETUP_KINDS = frozenset({"ike_start", "ike_init_ok", "retransmit", "mm_answered"})


def evidence(sc: Scenario) -> frozenset[str]:
    """The step kinds that carry the failure's evidence (a vendor must render them to show the class)."""
    return frozenset(kind for _, kind, _ in sc.attempt) - _SETUP_KINDS


def variants_for(t: Tunnel, cls: str, fleet: Fleet, supports: Supports, versions: Versions,
                 renders: Renders) -> list[tuple[Scenario, tuple[int, ...]]]:
    """Scenarios of `cls` that tunnel `t` can carry: both ends speak the version and can show their views."""
    a_vendor = fleet.gateways[t.a].vendor
    if not supports(a_vendor, cls):
        return []
    out = []
    for sc in SCENARIOS[cls]:
        if not all(renders(a_vendor, k) for k in evidence(sc)):
            continue
        vers = set(sc.versions) & set(versions(a_vendor, cls))
        if t.b.gateway is not None:
            b_vendor = fleet.gateways[t.b.gateway].vendor
            if sc.gateway_level:
                continue
            if sc.other is not None:
                if not supports(b_vendor, sc.other) or not all(renders(b_vendor, k) for k in evidence(sc)):
                    continue
                vers &= set(versions(b_vendor, sc.other))
        if vers:
            out.append((sc, tuple(sorted(vers))))
    return out


def plan_failures(fleet: Fleet, seed: int, share: float, mix: Mapping[str, float], supports: Supports,
                  versions: Versions, renders: Renders) -> None:
    """Pick the failing tunnels and their classes: every weighted class first once, then by weight.

    A chosen tunnel is adjusted to its scenario (IKE version, which end initiates), as a real
    misconfiguration would only show on tunnels configured that way.
    """
    rng = random.Random(f"plan:{seed}")
    budget = round(len(fleet.tunnels) * share)
    free = list(range(len(fleet.tunnels)))
    rng.shuffle(free)
    wanted = [c for c in CLASSES if mix.get(c, 0) > 0]
    order = list(wanted)
    rng.shuffle(order)  # a small fleet gets a varied handful, not always the catalogue's first classes
    weights = [mix[c] for c in wanted]
    while budget > 0 and free and wanted:
        cls = order.pop(0) if order else rng.choices(wanted, weights)[0]
        for pos, ti in enumerate(free):
            t = fleet.tunnels[ti]
            options = variants_for(t, cls, fleet, supports, versions, renders)
            if options:
                sc, vers = options[rng.randrange(len(options))]
                fleet.tunnels[ti] = _fit(t, sc, vers)
                free.pop(pos)
                budget -= 1
                break


def _fit(t: Tunnel, sc: Scenario, vers: tuple[int, ...]) -> Tunnel:
    version = t.ike_version if t.ike_version in vers else vers[0]
    initiator_is_a = t.initiator_is_a if sc.role == "either" else sc.role == "initiator"
    return replace(t, failure=sc.cls, ike_version=version, initiator_is_a=initiator_is_a)


def scenario_for(t: Tunnel) -> Scenario | None:
    """The scenario a planned tunnel carries (the first variant matching its version and role)."""
    if t.failure is None:
        return None
    role = "initiator" if t.initiator_is_a else "responder"
    for sc in SCENARIOS[t.failure]:
        if t.ike_version in sc.versions and sc.role in ("either", role):
            return sc
    return SCENARIOS[t.failure][0]
