"""The compact per-key state behind enrichers/fleet.py: one `Scope` per peer and one per gateway.

A scope remembers which members (gateways of a peer, peers of a gateway) failed inside the sliding
window, the incident it has open, and - for gateways - the health of each of the gateway's tunnels.
It serialises to a few hundred bytes of JSON (`to_bytes`/`from_bytes`) so the stream can keep it in a
Faust table; the logic that decides incidents and regressions is in enrichers/fleet.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import orjson

STATE_VERSION = 1


@dataclass(slots=True)
class TunnelHealth:
    """One tunnel of a gateway: is it down, since when, and which diagnosis opened the outage."""

    status: str  # down | up
    since: float
    last_failure: float | None = None
    last_recovery: float | None = None
    failures: int = 0
    outage_start: float | None = None  # first failure of the current outage
    outage_diag: str | None = None  # that failure's diagnosis id, stamped with the recovery later
    outage_ts: str | None = None  # and its @timestamp, which names its monthly index
    last_diag: str | None = None  # a redelivered diagnosis must not count twice
    last_recurrence: str | None = None

    def pack(self) -> list[Any]:
        return [self.status, self.since, self.last_failure, self.last_recovery, self.failures,
                self.outage_start, self.outage_diag, self.outage_ts, self.last_diag, self.last_recurrence]

    @classmethod
    def unpack(cls, v: list[Any]) -> TunnelHealth:
        return cls(*v)


@dataclass(slots=True)
class Member:
    """A gateway failing towards a peer (peer scope), or a peer failing from a gateway (gateway scope)."""

    last: float
    classes: dict[str, int] = field(default_factory=dict)
    tunnels: list[str] = field(default_factory=list)

    def pack(self) -> list[Any]:
        return [self.last, self.classes, self.tunnels]

    @classmethod
    def unpack(cls, v: list[Any]) -> Member:
        return cls(v[0], dict(v[1]), list(v[2]))


@dataclass(slots=True)
class Incident:
    """An open fleet incident of one scope."""

    id: str
    opened: float
    last: float
    failures: int = 0
    classes: dict[str, int] = field(default_factory=dict)
    tunnels: list[str] = field(default_factory=list)
    gateways: list[str] = field(default_factory=list)
    peers: list[str] = field(default_factory=list)

    def dominant(self) -> str:
        """The class with most failures; ties go to the alphabetically first, so it is stable."""
        return min(self.classes.items(), key=lambda kv: (-kv[1], kv[0]))[0] if self.classes else "unknown"

    def pack(self) -> list[Any]:
        return [self.id, self.opened, self.last, self.failures, self.classes, self.tunnels, self.gateways,
                self.peers]

    @classmethod
    def unpack(cls, v: list[Any]) -> Incident:
        return cls(v[0], v[1], v[2], v[3], dict(v[4]), list(v[5]), list(v[6]), list(v[7]))


@dataclass(slots=True)
class Scope:
    """Everything fleet.py remembers about one peer (side "peer") or one gateway (side "local")."""

    side: str
    key: str
    members: dict[str, Member] = field(default_factory=dict)
    incident: Incident | None = None
    tunnels: dict[str, TunnelHealth] = field(default_factory=dict)

    def expire(self, now: float, window: float) -> None:
        """Forget members whose last failure left the window."""
        for name in [m for m, member in self.members.items() if member.last < now - window]:
            del self.members[name]

    def to_bytes(self) -> bytes:
        return orjson.dumps({
            "v": STATE_VERSION,
            "s": self.side,
            "k": self.key,
            "m": {name: m.pack() for name, m in self.members.items()},
            "i": self.incident.pack() if self.incident else None,
            "t": {name: t.pack() for name, t in self.tunnels.items()},
        })

    @classmethod
    def from_bytes(cls, data: bytes) -> Scope:
        raw = orjson.loads(data)
        if raw.get("v") != STATE_VERSION:
            raise ValueError(f"fleet state version {raw.get('v')!r}, expected {STATE_VERSION}")
        return cls(
            side=raw["s"],
            key=raw["k"],
            members={name: Member.unpack(v) for name, v in raw["m"].items()},
            incident=Incident.unpack(raw["i"]) if raw["i"] else None,
            tunnels={name: TunnelHealth.unpack(v) for name, v in raw["t"].items()},
        )
