"""Compact per-SA state: what the stream keeps in its table for one correlation key.

One `SAState` per gateway + peer: the identity of the SA as the logs name it, the IKE SA and
CHILD_SA lifecycles, the established period (for success documents and flapping), and at most one
open `Episode`. An episode keeps counts and the first line per signal, never its events, and at most
EVIDENCE_SLOTS lines, so a peer that fails for hours costs no more than one that failed once.
`to_bytes()` is a positional orjson list: no field names stored, well under 1 KiB per SA.
"""

from __future__ import annotations

import math
from typing import Any

import orjson

from schemas.events import Action
from streams.classify.signals import evidence_weight

EVIDENCE_SLOTS = 5  # lines kept per episode (the deciding ones are chosen from these)
EVIDENCE_CHARS = 170  # a longer line is cut: evidence, not an archive
EVIDENCE_BUDGET = 460  # characters of evidence per episode, so the serialised state stays under 1 KiB
MAX_CHILDREN = 8  # CHILD_SAs tracked by name per SA; more are counted, not named
MAX_UPS = 4  # recent establishment times kept for flapping

# IKE SA / CHILD_SA lifecycle states (docs/diagnosis.md draws the machine).
INITIATING = "initiating"
RETRANSMITTING = "retransmitting"
AUTHENTICATING = "authenticating"
ESTABLISHED = "established"
REKEYING = "rekeying"
DELETING = "deleting"
DELETED = "deleted"
FAILED = "failed"
REKEY_FAILED = "rekey_failed"  # CHILD_SA still installed, its rekeys refused
_INSTALLED = (ESTABLISHED, REKEYING, REKEY_FAILED)


def _offset(t: float, base: int) -> float:
    """`t - base` in as few digits as give `t` back exactly: microseconds for the times logs print (a
    whole-second base keeps them exact), all digits for anything else (a receive time)."""
    offset = round(t - base, 6)
    return offset if base + offset == t else t - base


class Episode:
    """One negotiation attempt group, rekey, liveness incident or error burst, still open."""

    __slots__ = ("attempts", "child", "ended", "evidence", "exchange", "ike_rekey", "ike_version",
                 "ike_was_up", "kind", "last", "ordinal", "prev", "rekey", "signals", "start")

    _FIELDS = ("kind", "start", "last", "ended", "attempts", "rekey", "ike_rekey", "ike_was_up",
               "exchange", "child", "ordinal", "signals", "evidence")

    def __init__(self, kind: str, start: float, *, rekey: bool = False, ike_rekey: bool = False,
                 ike_was_up: bool = False) -> None:
        self.kind = kind
        self.start = start
        self.last = start
        self.ended = False  # an explicit failure or end-of-attempt line was seen: quiet period runs
        self.attempts = 0
        self.rekey = rekey
        self.ike_rekey = ike_rekey
        self.ike_was_up = ike_was_up
        self.exchange: str | None = None
        self.child: str | None = None
        self.ordinal = 0
        # signal -> [count, first t, first ordinal, last t, distinct times]
        self.signals: dict[str, list[float]] = {}
        self.evidence: list[list[Any]] = []  # [signal, t, ordinal, line], first line per signal
        self.ike_version: int | None = None  # filled from the SA when classified (Facts protocol)
        self.prev: tuple[str, float, Action] | None = None  # last signal recorded, its time and action

    def record(self, sig: str, t: float, line: str) -> None:
        """Count a signal; keep its first line as evidence while slots last (important ones win)."""
        self.ordinal += 1
        entry = self.signals.get(sig)
        if entry is None:
            self.signals[sig] = [1, t, self.ordinal, t, 1]
            if line:
                self._keep_evidence(sig, t, line)
        else:
            entry[0] += 1
            if abs(t - entry[3]) >= 1.0:
                entry[4] += 1  # another moment: a repeat, not the same event restated by a second line
            if t < entry[1]:  # a late line: the signal happened earlier than first recorded
                entry[1] = t
            if t > entry[3]:
                entry[3] = t
        if t < self.start:
            self.start = t
        if t > self.last:
            self.last = t

    def _keep_evidence(self, sig: str, t: float, line: str) -> None:
        item: list[Any] = [sig, t, self.ordinal, line[:EVIDENCE_CHARS]]
        used = sum(len(e[3]) for e in self.evidence)
        if len(self.evidence) < EVIDENCE_SLOTS and used + len(item[3]) <= EVIDENCE_BUDGET:
            self.evidence.append(item)
            return
        # Full: the new line replaces the least telling one, if it tells more (and fits).
        weight = evidence_weight(sig)
        weakest = min(range(len(self.evidence)), key=lambda i: evidence_weight(self.evidence[i][0]))
        if (evidence_weight(self.evidence[weakest][0]) < weight
                and used - len(self.evidence[weakest][3]) + len(item[3]) <= EVIDENCE_BUDGET):
            self.evidence[weakest] = item

    def count(self, sig: str) -> int:
        entry = self.signals.get(sig)
        return int(entry[0]) if entry else 0

    def moments(self, sig: str) -> int:
        """How many distinct times the signal occurred (two lines telling one event count once)."""
        entry = self.signals.get(sig)
        return int(entry[4]) if entry else 0

    def to_list(self) -> list[Any]:
        """Times inside the episode are stored as offsets from the whole second of its start, exact
        (`_offset`). The last signal recorded follows when there is one: [its index in `signals`, its
        action] and its time when that is not `last` (a line restating it at the same time counts once)."""
        values = [getattr(self, name) for name in self._FIELDS]
        base = math.floor(self.start)
        values[-2] = {s: [e[0], _offset(e[1], base), e[2], _offset(e[3], base), e[4]]
                      for s, e in self.signals.items()}
        values[-1] = [[e[0], _offset(e[1], base), e[2], e[3]] for e in self.evidence]
        prev = self.prev
        if prev is not None:
            sig, t, action = prev
            values.append([list(self.signals).index(sig), action.value] if t == self.last else
                          [list(self.signals).index(sig), action.value, t])
        return values

    @classmethod
    def from_list(cls, values: list[Any]) -> Episode:
        ep = cls.__new__(cls)
        for name, value in zip(cls._FIELDS, values, strict=False):
            setattr(ep, name, value)
        base = math.floor(ep.start)
        for e in ep.signals.values():
            e[1] += base
            e[3] += base
        for e in ep.evidence:
            e[1] += base
        ep.ike_version = None
        ep.prev = None
        if len(values) > len(cls._FIELDS):
            prev = values[len(cls._FIELDS)]
            ep.prev = (list(ep.signals)[prev[0]], prev[2] if len(prev) > 2 else ep.last, Action(prev[1]))
        return ep


class SAState:
    """Everything the engine remembers about one correlation key between batches."""

    __slots__ = ("child", "children", "conn", "episode", "exchange", "flapping", "host", "ike",
                 "ike_ids", "ike_sa_id", "ike_version", "last", "local_id", "local_ip", "local_port",
                 "rekeys", "remote_id", "remote_ip", "remote_port", "role", "stage", "success_at",
                 "ts_local", "ts_remote", "up_since", "ups", "vendor")

    _FIELDS = ("host", "vendor", "conn", "child", "ike_sa_id", "ike_ids", "local_ip", "local_port",
               "local_id", "remote_ip", "remote_port", "remote_id", "ts_local", "ts_remote",
               "ike_version", "role", "ike", "stage", "exchange", "up_since", "rekeys", "children",
               "ups", "flapping", "last", "success_at")

    def __init__(self, host: str | None, vendor: str) -> None:
        self.host = host
        self.vendor = vendor
        self.conn: str | None = None
        self.child: str | None = None
        self.ike_sa_id: str | None = None
        self.ike_ids: list[str] = []  # recent IKE SA unique ids bound to this key (aliases)
        self.local_ip: str | None = None
        self.local_port: int | None = None
        self.local_id: str | None = None
        self.remote_ip: str | None = None
        self.remote_port: int | None = None
        self.remote_id: str | None = None
        self.ts_local: str | None = None
        self.ts_remote: str | None = None
        self.ike_version: int | None = None
        self.role: str | None = None
        self.ike: str | None = None  # IKE SA lifecycle state
        self.stage: str | None = None  # stage of the last exchange seen (init/auth/child/info)
        self.exchange: str | None = None
        self.up_since: float | None = None  # start of the established period
        self.rekeys = 0
        self.children: dict[str, list[Any]] = {}  # CHILD_SA name -> [lifecycle state, rekeys, instance id]
        self.ups: list[float] = []  # recent establishment times (flapping)
        self.flapping = False
        self.last = 0.0  # latest event time on this key
        self.success_at = float("-inf")  # when the last episode closed on success
        self.episode: Episode | None = None

    @property
    def is_up(self) -> bool:
        return self.up_since is not None

    def child_was_up(self, name: str | None) -> bool:
        """Was this CHILD_SA (any, when the line names none) established before?"""
        if name is not None:
            entry = self.children.get(name)
            return entry is not None and entry[0] in _INSTALLED
        return any(c[0] in _INSTALLED for c in self.children.values())

    def set_child(self, name: str, status: str, rekey: bool = False, instance: str | None = None) -> None:
        entry = self.children.get(name)
        if entry is None:
            if len(self.children) >= MAX_CHILDREN:
                return
            entry = self.children[name] = [status, 0, instance]
        entry[0] = status
        if rekey:
            entry[1] += 1
        if instance is not None:
            entry[2] = instance

    def child_closed(self, name: str | None, instance: str | None) -> None:
        """A CHILD_SA closed; the old instance a rekey replaced (another id) leaves the name up."""
        entry = self.children.get(name) if name is not None else None
        if entry is None:
            return
        if instance is not None and entry[2] is not None and instance != entry[2]:
            return
        entry[0] = DELETED

    def to_bytes(self, names: list[Any] | None = None) -> bytes:
        """`names`: how the key index's aliases of this SA differ from what it names (KeyIndex.export_names)."""
        values = [getattr(self, name) for name in self._FIELDS]
        values.append(self.episode.to_list() if self.episode is not None else None)
        if self.success_at == float("-inf"):
            values[_SUCCESS_AT] = None
        if names is not None:
            values.append(names)
        return orjson.dumps(values)

    @classmethod
    def from_bytes(cls, data: bytes) -> SAState:
        return cls.decode(data)[0]

    @classmethod
    def decode(cls, data: bytes) -> tuple[SAState, list[Any] | None]:
        """The state and the `names` it was saved with."""
        values = orjson.loads(data)
        st = cls.__new__(cls)
        for name, value in zip(cls._FIELDS, values, strict=False):
            setattr(st, name, value)
        if st.success_at is None:
            st.success_at = float("-inf")
        episode = values[len(cls._FIELDS)]
        st.episode = Episode.from_list(episode) if episode is not None else None
        return st, values[len(cls._FIELDS) + 1] if len(values) > len(cls._FIELDS) + 1 else None


_SUCCESS_AT = SAState._FIELDS.index("success_at")
