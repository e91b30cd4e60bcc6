"""What every vendor renderer shares: per-side SA state, the renderer base class, time stamps.

A renderer turns one abstract step of a side into zero or more complete log lines (envelope
included). It keeps the counters a real daemon keeps per gateway (IKE SA ids, sequence numbers), so
it is created once per gateway and fed that gateway's steps in time order of their episodes.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import Any, ClassVar

from streams.simulate.fleet import Gateway, Side

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
Out = list[tuple[float, str]]


class SideState:
    """The SA state of one tunnel end, as far as log lines print it."""

    __slots__ = ("child_uid", "ike_spi_i", "ike_spi_r", "ike_uid", "mid", "side", "spi_in", "spi_out", "up")

    def __init__(self, side: Side) -> None:
        self.side = side
        self.ike_uid = 0
        self.child_uid = 0
        self.mid = 0
        self.spi_in = "00000000"
        self.spi_out = "00000000"
        self.ike_spi_i = "0000000000000000"
        self.ike_spi_r = "0000000000000000"
        self.up = False


StepFn = Callable[[Any, SideState, Any], list[str]]

# Every step kind scenarios.py and timeline.py emit. A renderer method of the same name renders it.
STEP_KINDS = frozenset({
    "ike_start", "ike_init_ok", "ike_established", "child_established", "retransmit", "give_up",
    "child_rekey", "ike_rekey", "dpd", "dpd_miss", "dpd_dead", "ike_no_proposal", "dh_rejected",
    "psk_garbled", "psk_mac_mismatch", "cert_invalid", "auth_failed_notify", "no_peer_config",
    "idr_mismatch", "psk_not_found", "invalid_version", "attrs_not_supported", "unauth_qm",
    "mm_answered", "p1_failed", "ts_unacceptable", "ts_nat_transport", "child_no_proposal",
    "rekey_pfs_fail", "kernel_sa_fail", "vici_too_large", "replay", "integrity", "invalid_identity",
})


class Renderer:
    """Base of the vendor renderers. Subclasses fill `steps` (kind -> method) and `line`."""

    vendor: ClassVar[str] = ""
    classes: ClassVar[frozenset[str]] = frozenset()  # failure classes this vendor logs evidence for
    versions: ClassVar[tuple[int, ...]] = (1, 2)
    class_versions: ClassVar[dict[str, tuple[int, ...]]] = {}  # a class this vendor shows on fewer versions
    steps: ClassVar[dict[str, StepFn]] = {}

    def __init_subclass__(cls, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        cls.steps = {k: getattr(cls, k) for k in STEP_KINDS if callable(getattr(cls, k, None))}

    def __init__(self, gw: Gateway, seed: int) -> None:
        self.gw = gw
        self.host = gw.name
        self.rng = random.Random(f"{seed}:render:{gw.index}")
        self.next_ike = 1
        self.next_child = 1
        self.seq = 0
        self._sec = -1
        self._tm: time.struct_time = time.gmtime(0)
        self._bsd_sec = -1
        self._bsd = ""
        self.now = 0.0  # time of the step being rendered, for vendors that print it inside the message

    # --- helpers shared by the vendors -------------------------------------------------------
    def tm(self, t: float) -> time.struct_time:
        """gmtime cached per second: most lines of a burst share their second."""
        s = int(t)
        if s != self._sec:
            self._sec = s
            self._tm = time.gmtime(s)
        return self._tm

    def bsd(self, t: float) -> str:
        """RFC 3164 time stamp: `Feb  5 21:29:53` (cached per second: a burst shares its second)."""
        sec = int(t)
        if sec != self._bsd_sec:
            tm = self.tm(t)
            self._bsd_sec = sec
            self._bsd = f"{MONTHS[tm.tm_mon - 1]} {tm.tm_mday:2d} {tm.tm_hour:02d}:{tm.tm_min:02d}:{tm.tm_sec:02d}"
        return self._bsd

    def hex(self, digits: int) -> str:
        return f"{self.rng.getrandbits(digits * 4):0{digits}x}"

    def new_ike(self, st: SideState) -> None:
        st.ike_uid = self.next_ike
        self.next_ike += 1
        st.mid = 0
        st.ike_spi_i = self.hex(16)
        st.ike_spi_r = self.hex(16)

    def new_child(self, st: SideState) -> None:
        st.child_uid = self.next_child
        self.next_child += 1
        st.spi_in = f"c{self.hex(7)}"
        st.spi_out = f"c{self.hex(7)}"

    # --- the interface the writer uses --------------------------------------------------------
    def render(self, st: SideState, t: float, kind: str, arg: object, out: Out) -> None:
        fn = self.steps.get(kind)
        if fn is None:
            return
        self.now = t
        if kind == "ike_start":
            st.up = False  # a new negotiation: retransmits are of its first message, not of an exchange on an SA
        bodies = fn(self, st, arg)
        pre = self.prefix(t)
        if pre is None:
            out.extend([(t, self.line(t, body)) for body in bodies])
        else:
            out.extend([(t, pre + body) for body in bodies])

    def prefix(self, t: float) -> str | None:
        """The envelope in front of every body at time `t`, when it does not vary per line (None: call `line`)."""
        return None

    def line(self, t: float, body: str) -> str:
        pre = self.prefix(t)
        if pre is None:
            raise NotImplementedError
        return pre + body

    def host_ids(self) -> list[str]:
        """Every name the gateway's lines give it (hostname, and a serial number where the vendor prints one)."""
        return [self.host]

    def device(self, t: float, roll: float, out: Out) -> None:
        """One of the gateway's non-VPN lines (logins, interfaces, traffic), picked by `roll`."""
        bodies = self.device_lines(t, roll)
        if bodies:
            out.append((t, self.line(t, bodies[int(roll * 7919) % len(bodies)])))

    def device_lines(self, t: float, roll: float) -> list[str]:
        return []
