"""The simulated fleet: gateways, peers, tunnels and the per-side view a gateway has of a tunnel.

Everything here is drawn from one seeded RNG so a seed always yields the same fleet. Addresses come
only from the documentation ranges (RFC 5737, RFC 3849); inside subnets from 10.0.0.0/8, as in the
diagnosis examples. Nothing here knows a log format: vendors/ renders, scenarios/timeline time.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

VENDORS: tuple[str, ...] = (
    "strongswan", "libreswan", "cisco_ios", "cisco_asa", "fortigate",
    "paloalto", "juniper", "meraki", "mikrotik",
)
DEFAULT_WEIGHTS: dict[str, float] = {
    "strongswan": 3.0, "libreswan": 1.0, "cisco_ios": 2.0, "cisco_asa": 2.0, "fortigate": 2.0,
    "paloalto": 1.5, "juniper": 1.0, "meraki": 1.5, "mikrotik": 1.0,
}
# Hostname prefix per vendor: what a network team would call the box.
HOST_PREFIX: dict[str, str] = {
    "strongswan": "vpn", "libreswan": "ipsec", "cisco_ios": "rtr", "cisco_asa": "asa",
    "fortigate": "fgt", "paloalto": "pa", "juniper": "srx", "meraki": "mx", "mikrotik": "mt",
}
# Share of a vendor's tunnels that run IKEv1 (Meraki's non-Meraki VPN defaults to it, so do old ASAs).
IKEV1_SHARE: dict[str, float] = {
    "strongswan": 0.2, "libreswan": 0.2, "cisco_ios": 0.5, "cisco_asa": 0.4, "fortigate": 0.3,
    "paloalto": 0.3, "juniper": 0.3, "meraki": 1.0, "mikrotik": 0.5,
}
SITES: tuple[str, ...] = (
    "ams", "fra", "lon", "par", "nyc", "sfo", "sin", "syd", "tok", "mad", "mil", "sto", "waw", "dub",
    "zrh", "vie", "bru", "cph", "osl", "hel", "lis", "ath", "ist", "dxb", "bom", "hkg", "sea", "chi",
    "dal", "tor", "mex", "sao",
)
PEER_KINDS: tuple[str, ...] = ("branch", "partner", "dc", "cloud", "store", "lab")


@dataclass(frozen=True, slots=True)
class Gateway:
    index: int
    name: str
    vendor: str
    ip: str
    subnet: str  # the site's inside network
    pid: int  # daemon pid printed in the syslog tag


@dataclass(frozen=True, slots=True)
class Endpoint:
    """The far end of a tunnel: an outside peer, or a gateway of the fleet (`gateway` set)."""

    name: str
    ip: str
    subnet: str
    gateway: int | None = None


@dataclass(frozen=True, slots=True)
class Tunnel:
    """One configured tunnel. `a` is a fleet gateway; `b` an outside peer or another fleet gateway."""

    id: int
    a: int  # gateway index
    b: Endpoint
    initiator_is_a: bool
    ike_version: int
    ike_life: int
    child_life: int
    dpd_delay: int
    busy: bool = False  # carries traffic all the time: no idle DPD exchanges to log
    failure: str | None = None  # the failure class injected on this tunnel (seen by side a)

    @property
    def internal(self) -> bool:
        return self.b.gateway is not None


@dataclass(frozen=True, slots=True)
class Side:
    """A tunnel as one gateway sees and names it: what its log lines print."""

    tunnel: Tunnel
    gateway: Gateway
    role: str  # "initiator" | "responder" for the setups this side starts or answers
    conn: str  # connection / tunnel / phase 1 name in this gateway's configuration
    child: str
    local_ip: str
    remote_ip: str
    local_id: str
    remote_id: str
    local_ts: str
    remote_ts: str
    remote_name: str
    is_a: bool  # the side an injected failure targets; the other side sees the scenario's `other` view

    @property
    def vendor(self) -> str:
        return self.gateway.vendor

    @property
    def ike_version(self) -> int:
        return self.tunnel.ike_version


@dataclass(slots=True)
class Fleet:
    gateways: list[Gateway]
    tunnels: list[Tunnel]
    sides: dict[int, list[Side]] = field(default_factory=dict)  # gateway index -> its sides


def _gateway_ip(i: int) -> str:
    if i < 250:
        return f"192.0.2.{i + 2}"
    if i < 500:
        return f"198.51.100.{i - 248}"
    return f"2001:db8:0:{i:x}::1"


def _peer_ip(k: int) -> str:
    if k < 250:
        return f"203.0.113.{k + 2}"
    return f"2001:db8:1:{k:x}::1"


def _subnet(n: int) -> str:
    return f"10.{(n >> 8) & 0xFF}.{n & 0xFF}.0/24"


def build_fleet(seed: int, gateways: int, peers: int, weights: dict[str, float] | None = None,
                internal_share: float = 0.1) -> Fleet:
    """A fleet of `gateways` gateways with `peers` tunnels each; some tunnels join two gateways."""
    rng = random.Random(f"fleet:{seed}")
    w = weights or DEFAULT_WEIGHTS
    names = [v for v in VENDORS if w.get(v, 0) > 0]
    if not names:
        raise ValueError("every vendor weight is zero")
    vendor_weights = [w[v] for v in names]
    gws: list[Gateway] = []
    per_name: dict[str, int] = {}
    for i in range(gateways):
        vendor = rng.choices(names, vendor_weights)[0]
        site = SITES[rng.randrange(len(SITES))]
        stem = f"{HOST_PREFIX[vendor]}-{site}"
        per_name[stem] = per_name.get(stem, 0) + 1
        gws.append(Gateway(i, f"{stem}-{per_name[stem]:02d}", vendor, _gateway_ip(i), _subnet(i + 1),
                           rng.randrange(300, 30000)))
    tunnels: list[Tunnel] = []
    pairs: set[tuple[int, int]] = set()
    peer_no = 0
    for g in gws:
        for _ in range(peers):
            other = rng.randrange(gateways) if gateways > 1 and rng.random() < internal_share else g.index
            if other != g.index and (min(other, g.index), max(other, g.index)) not in pairs:
                pairs.add((min(other, g.index), max(other, g.index)))
                og = gws[other]
                end = Endpoint(og.name, og.ip, og.subnet, gateway=other)
            else:
                kind = PEER_KINDS[rng.randrange(len(PEER_KINDS))]
                end = Endpoint(f"{kind}-{peer_no + 1:03d}", _peer_ip(peer_no), _subnet(4096 + peer_no))
                peer_no += 1
            v1 = rng.random() < max(IKEV1_SHARE[g.vendor],
                                    IKEV1_SHARE[gws[end.gateway].vendor] if end.gateway is not None else 0)
            tunnels.append(Tunnel(
                id=len(tunnels), a=g.index, b=end, initiator_is_a=rng.random() < 0.75,
                ike_version=1 if v1 else 2,
                ike_life=rng.choice((14400, 28800, 28800, 86400)),
                child_life=rng.choice((3600, 3600, 3600, 7200, 28800)),
                dpd_delay=rng.choice((10, 30, 30, 60, 120)),
                busy=rng.random() < 0.4,
            ))
    return Fleet(gws, tunnels)


def index_sides(fleet: Fleet) -> None:
    """Fill `fleet.sides`: each tunnel once for gateway a, and once more for b when b is a gateway."""
    gws = fleet.gateways
    fleet.sides = {}
    for t in fleet.tunnels:
        fleet.sides.setdefault(t.a, []).append(_side(t, gws[t.a], a_side=True, gws=gws))
        if t.b.gateway is not None:
            fleet.sides.setdefault(t.b.gateway, []).append(_side(t, gws[t.b.gateway], a_side=False, gws=gws))


def _side(t: Tunnel, g: Gateway, a_side: bool, gws: list[Gateway]) -> Side:
    if a_side:
        remote_name, remote_ip, remote_net = t.b.name, t.b.ip, t.b.subnet
        role = "initiator" if t.initiator_is_a else "responder"
    else:
        ga = gws[t.a]
        remote_name, remote_ip, remote_net = ga.name, ga.ip, ga.subnet
        role = "responder" if t.initiator_is_a else "initiator"
    short = remote_name.replace(".", "-")
    return Side(
        tunnel=t, gateway=g, role=role, conn=_conn_name(g.vendor, short, remote_ip, t.id), child=f"{short}-lan",
        local_ip=g.ip, remote_ip=remote_ip, local_id=g.ip if g.vendor != "strongswan" else f"{g.name}.example.net",
        remote_id=remote_ip, local_ts=g.subnet, remote_ts=remote_net, remote_name=remote_name, is_a=a_side,
    )


def _conn_name(vendor: str, short: str, remote_ip: str, tid: int) -> str:
    """The name the vendor's configuration gives the tunnel (some vendors have none worth printing)."""
    if vendor in ("cisco_ios",):
        return f"Tunnel{100 + tid % 900}"
    if vendor == "cisco_asa":
        return remote_ip  # L2L tunnel-groups are named by the peer address: `Group = <peer ip>`
    if vendor == "fortigate":
        return f"to-{short}"[:15]  # FortiOS phase 1 names are at most 15 characters
    if vendor == "paloalto":
        return f"ike-gw-{short}"
    if vendor == "juniper":
        return f"vpn-{short}"
    return short
