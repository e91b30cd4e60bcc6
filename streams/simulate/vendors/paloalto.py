"""Palo Alto Networks PAN-OS system log (subtype vpn) as CSV behind the syslog server's header:

    Feb  5 21:29:53 pa-nyc-01 1,2026/02/05 21:29:53,012801004321,SYSTEM,vpn,0,2026/02/05 21:29:53,,
      ike-nego-p1-fail,ike-gw-branch-003,0,0,general,high,"IKE phase-1 negotiation is failed as ...",...

Event ids and descriptions from the PAN-OS System Log Fields and 'Interpret VPN Error Messages'.
"""

from __future__ import annotations

from streams.simulate.vendors.base import Renderer, SideState

ZERO = "0000000000000000"


class Paloalto(Renderer):
    vendor = "paloalto"
    classes = frozenset({
        "ike.proposal_mismatch", "ike.dh_group_mismatch", "ike.auth_failed.psk_mismatch", "ike.auth_failed",
        "ike.id_mismatch", "ike.peer_unreachable", "ike.dpd_timeout", "child.ts_unacceptable",
        "child.proposal_mismatch",
    })

    def line(self, t: float, body: str) -> str:
        tm = self.tm(t)
        stamp = f"{tm.tm_year}/{tm.tm_mon:02d}/{tm.tm_mday:02d} {tm.tm_hour:02d}:{tm.tm_min:02d}:{tm.tm_sec:02d}"
        hires = (f"{tm.tm_year}-{tm.tm_mon:02d}-{tm.tm_mday:02d}T{tm.tm_hour:02d}:{tm.tm_min:02d}:{tm.tm_sec:02d}"
                 f".{int(t * 1000) % 1000:03d}+00:00")
        self.seq += 1
        event_id, obj, severity, desc = body.split("\t", 3)
        sub = "vpn" if event_id.startswith(("ike", "ipsec", "tunnel")) else "auth" if event_id.startswith("auth") else "general"
        return (f"{self.bsd(t)} {self.host} 1,{stamp},{self.serial},SYSTEM,{sub},0,{stamp},,{event_id},{obj},"
                f"0,0,general,{severity},\"{desc}\",{7000000 + self.seq},0x0,0,0,0,0,,{self.host},0,0,{hires}")

    @property
    def serial(self) -> str:
        return f"0128010{self.gw.index:05d}"

    def host_ids(self) -> list[str]:
        return [self.host, self.serial]

    # body = event id, object, severity, description (tab separated; the line builder places them)
    def _e(self, event_id: str, obj: str, severity: str, desc: str) -> str:
        return f"{event_id}\t{obj}\t{severity}\t{desc}"

    def _sa(self, st: SideState, cookie: bool = True) -> str:
        s = st.side
        tail = f"cookie:{st.ike_spi_i}:{st.ike_spi_r}" if s.ike_version == 1 else f"SPI:{st.ike_spi_i}:{st.ike_spi_r}"
        return f"{s.local_ip}[500]-{s.remote_ip}[500] {tail}" if cookie else f"{s.local_ip}[500]-{s.remote_ip}[500]"

    def _how(self, st: SideState, rekey: bool = False) -> str:
        mode = "main mode" if st.side.ike_version == 1 else ("rekey" if rekey else "non-rekey")
        return f"as {st.side.role}, {mode}"

    def _p1(self, st: SideState, what: str, severity: str, rest: str) -> str:
        s = st.side
        if s.ike_version == 1:
            return self._e(f"ike-nego-p1-{what}", s.conn, severity, f"IKE phase-1 negotiation is {rest}")
        return self._e(f"ikev2-nego-ike-{what}", s.conn, severity, f"IKEv2 IKE SA negotiation is {rest}")

    def _p1_fail(self, st: SideState, why: str) -> str:
        return self._p1(st, "fail", "high", f"failed {self._how(st)}. Failed SA: {self._sa(st)}. Due to {why}.")

    def _p2(self, st: SideState, what: str, severity: str, rest: str) -> str:
        s = st.side
        tun = f"tun-{s.remote_name}"
        if s.ike_version == 1:
            return self._e(f"ike-nego-p2-{what}", tun, severity, f"IKE phase-2 negotiation is {rest}")
        return self._e(f"ikev2-nego-child-{what}", tun, severity, f"IKEv2 child SA negotiation is {rest}")

    def _p2_fail(self, st: SideState, why: str) -> str:
        mode = "quick mode" if st.side.ike_version == 1 else "non-rekey"
        return self._p2(st, "fail", "high", f"failed as {st.side.role}, {mode}. Failed SA: {self._sa(st, False)} "
                                            f"message id:0x{self.hex(8)}. Due to {why}.")

    # --- setup -------------------------------------------------------------------------------------
    def ike_start(self, st: SideState, arg: object) -> list[str]:
        if arg != "again":
            self.new_ike(st)
        st.ike_spi_r = ZERO
        return [self._p1(st, "start", "informational", f"started {self._how(st)}. Initiated SA: {self._sa(st)}.")]

    def ike_established(self, st: SideState, arg: object) -> list[str]:
        st.up = True
        st.ike_spi_r = self.hex(16)
        life = st.side.tunnel.ike_life
        return [self._p1(st, "succ", "informational",
                         f"succeeded {self._how(st)}. Established SA: {self._sa(st)} lifetime {life} Sec.")]

    def child_established(self, st: SideState, arg: object, rekey: bool = False) -> list[str]:
        s = st.side
        self.new_child(st)
        mode = "quick mode" if s.ike_version == 1 else ("rekey" if rekey else "non-rekey")
        mid = self.hex(8)
        return [self._p2(st, "start", "informational", f"started as {s.role}, {mode}. Initiated SA: {self._sa(st, False)} "
                                                       f"message id:0x{mid}."),
                self._p2(st, "succ", "informational", f"succeeded as {s.role}, {mode}. Established SA: {self._sa(st, False)} "
                                                      f"message id:0x{mid}, SPI:0x{st.spi_in}/0x{st.spi_out}, lifetime "
                                                      f"{s.tunnel.child_life} Sec."),
                self._e("ipsec-key-install", f"tun-{s.remote_name}", "informational",
                        f"IPSec key installed. Installed SA: {self._sa(st, False)} SPI:0x{st.spi_in}/0x{st.spi_out} "
                        f"lifetime {s.tunnel.child_life} Sec lifesize unlimited.")]

    def give_up(self, st: SideState, arg: object) -> list[str]:
        return [self._p1_fail(st, "timeout" if st.side.ike_version == 1 else "negotiation timeout")]

    # --- runtime -----------------------------------------------------------------------------------
    def child_rekey(self, st: SideState, arg: object) -> list[str]:
        old = f"SPI:0x{st.spi_in}/0x{st.spi_out}"
        out = self.child_established(st, arg, rekey=True)
        return [*out, self._e("ipsec-key-delete", f"tun-{st.side.remote_name}", "informational",
                              f"IPSec key deleted. Deleted SA: {self._sa(st, False)} {old}.")]

    def ike_rekey(self, st: SideState, arg: object) -> list[str]:
        self.new_ike(st)
        life = st.side.tunnel.ike_life
        return [self._p1(st, "succ", "informational",
                         f"succeeded {self._how(st, rekey=True)}. Established SA: {self._sa(st)} lifetime {life} Sec.")]

    def dpd_miss(self, st: SideState, arg: object) -> list[str]:
        st.up = True
        return []

    def dpd_dead(self, st: SideState, arg: object) -> list[str]:
        st.up = False
        s = st.side
        return [self._e("ike-dpd", s.conn, "medium", f"IKE phase-1 SA is dead due to DPD. SA: {self._sa(st)}."),
                self._e("tunnel-status-down", f"tun-{s.remote_name}", "informational", f"tunnel tun-{s.remote_name} is down")]

    # --- failures ----------------------------------------------------------------------------------
    def ike_no_proposal(self, st: SideState, arg: object) -> list[str]:
        s = st.side
        if s.ike_version == 1 and s.role == "responder":
            return [self._e("ike-nego-p1-fail", s.conn, "high", "IKE phase-1 negotiation is failed. Unable to process peer's SA payload.")]
        if s.ike_version == 1:
            return [self._e("ike-nego-p1-fail", s.conn, "high", f"Received unencrypted notify payload (no proposal chosen) "
                                                               f"from IP {s.remote_ip}[500] to {s.local_ip}[500], ignored...")]
        return [self._p1_fail(st, "received notify type NO_PROPOSAL_CHOSEN" if s.role == "initiator"
                              else "no suitable proposal found in peer's SA payload")]

    def dh_rejected(self, st: SideState, arg: object) -> list[str]:
        return [self._p1_fail(st, "received notify type INVALID_KE_PAYLOAD" if st.side.role == "initiator"
                              else "peer's KE payload DH group not acceptable, sent INVALID_KE_PAYLOAD")]

    def psk_garbled(self, st: SideState, arg: object) -> list[str]:
        return [self._p1_fail(st, "invalid HASH payload, probable pre-shared key mismatch")]

    def psk_mac_mismatch(self, st: SideState, arg: object) -> list[str]:
        if st.side.role == "initiator":
            return [self._p1_fail(st, "received notify type AUTHENTICATION_FAILED")]
        return [self._p1_fail(st, "authentication failure: could not verify the pre-shared key")]

    auth_failed_notify = psk_mac_mismatch

    def no_peer_config(self, st: SideState, arg: object) -> list[str]:
        if st.side.role == "initiator":
            return [self._p1_fail(st, "received notify type AUTHENTICATION_FAILED")]
        return [self._p1_fail(st, f"peer ID mismatch: received IDi {st.side.remote_name}.example.org")]

    def idr_mismatch(self, st: SideState, arg: object) -> list[str]:
        if st.side.role == "responder":
            return [self._p1_fail(st, "received notify type AUTHENTICATION_FAILED")]
        return [self._p1_fail(st, f"peer ID mismatch: IDr {st.side.remote_name}.example.org does not match")]

    def ts_unacceptable(self, st: SideState, arg: object) -> list[str]:
        s = st.side
        est = self.ike_established(st, None)
        if s.ike_version == 1 and s.role == "responder":
            return [*est, self._e("ike-nego-p2-fail", f"tun-{s.remote_name}", "high",
                                  f"IKE phase-2 negotiation failed when processing Proxy ID. Received local id {s.local_ts} "
                                  f"type IPv4 address protocol 0 port 0, received remote id {s.remote_ts} type IPv4 address "
                                  "protocol 0 port 0.")]
        if s.ike_version == 1:
            return [*est, self._p2_fail(st, "peer notification INVALID-ID-INFORMATION, proxy ID mismatch")]
        return [*est, self._p2_fail(st, "received notify type TS_UNACCEPTABLE" if s.role == "initiator"
                                    else "no matching proxy ID (traffic selector) found")]

    def child_no_proposal(self, st: SideState, arg: object) -> list[str]:
        s = st.side
        why = "received notify type NO_PROPOSAL_CHOSEN" if s.role == "initiator" else "no suitable proposal found in peer's SA payload"
        return [*self.ike_established(st, None), self._p2_fail(st, why)]

    def device_lines(self, t: float, roll: float) -> list[str]:
        k = int(roll * 60000)
        return [
            self._e("auth-success", "", "informational", f"authenticated for user 'netops'.   From: 10.0.0.{k % 50 + 10}."),
            self._e("general", "", "informational", f"User netops logged in via Web from 10.0.0.{k % 50 + 10} using https"),
            self._e("commit-succeeded", "", "informational", f"Commit job succeeded for user netops (job id {k % 900 + 100})"),
            self._e("routing", "", "informational", f"BGP peer 10.255.0.{k % 8 + 1} session established"),
        ]
