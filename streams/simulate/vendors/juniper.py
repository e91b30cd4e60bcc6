"""Juniper SRX kmd (Junos 21+) through syslog, tagged and untagged:

    Feb  5 21:29:53 srx-ams-01 kmd[1834]: KMD_VPN_UP_ALARM_USER: VPN vpn-branch-003 from 203.0.113.5 is up. ...
    Feb  5 21:29:53 srx-ams-01 kmd[1834]: IKE negotiation failed with error: No proposal chosen. IKE Version: 2, ...

Texts from the Junos System Log Explorer (KMD_*) and Juniper KB articles on kmd negotiation failures.
"""

from __future__ import annotations

from streams.simulate.vendors.base import Renderer, SideState


def _ts(cidr: str) -> str:
    return f"ipv4_subnet(any:0,[0..7]={cidr})"


class Juniper(Renderer):
    vendor = "juniper"
    classes = frozenset({
        "ike.proposal_mismatch", "ike.auth_failed", "ike.id_mismatch", "ike.peer_unreachable", "ike.dpd_timeout",
        "child.ts_unacceptable", "child.proposal_mismatch",
    })

    def line(self, t: float, body: str) -> str:
        if body.startswith(("RT_FLOW", "sshd", "mgd")):
            return f"{self.bsd(t)} {self.host} {body}"
        return f"{self.bsd(t)} {self.host} kmd[{self.gw.pid}]: {body}"

    def _neg(self, st: SideState) -> str:
        s = st.side
        return (f"IKE Version: {s.ike_version}, VPN: {s.conn} Gateway: gw-{s.remote_name}, Local: {s.local_ip}/500, "
                f"Remote: {s.remote_ip}/500, Local IKE-ID: {s.local_id}, Remote IKE-ID: "
                f"{s.remote_id if st.up else 'Not-Available'}, VR-ID: 0, Role: {s.role.capitalize()}")

    def _fail(self, st: SideState, error: str, phase: int = 1) -> str:
        what = "IKE" if phase == 1 else "IPSec"
        return f"{what} negotiation failed with error: {error}. {self._neg(st)}"

    def _alarm(self, st: SideState, up: bool) -> str:
        s = st.side
        word = "up" if up else "down"
        return (f"KMD_VPN_{word.upper()}_ALARM_USER: VPN {s.conn} from {s.remote_ip} is {word}. Local-ip: {s.local_ip}, "
                f"gateway name: gw-{s.remote_name}, vpn name: {s.conn}, tunnel-id: {131072 + s.tunnel.id}, local tunnel-if: "
                f"st0.{s.tunnel.id % 100}, remote tunnel-ip: Not-Available, Local IKE-ID: {s.local_id}, Remote IKE-ID: "
                f"{s.remote_id}, AAA username: Not-Applicable, VR id: 0, Traffic-selector: , Traffic-selector local ID: "
                f"{_ts(s.local_ts)}, Traffic-selector remote ID: {_ts(s.remote_ts)}, SA Type: Static")

    # --- setup -------------------------------------------------------------------------------------
    def ike_start(self, st: SideState, arg: object) -> list[str]:
        if arg != "again":
            self.new_ike(st)
        st.up = False
        return []

    def ike_established(self, st: SideState, arg: object) -> list[str]:
        st.up = True
        return [f"IKE negotiation successfully completed. {self._neg(st)}"]

    def child_established(self, st: SideState, arg: object) -> list[str]:
        s = st.side
        self.new_child(st)
        sa = [f"KMD_PM_SA_ESTABLISHED: Local gateway: {s.local_ip}, Remote gateway: {s.remote_ip}, Local ID: {_ts(s.local_ts)}, "
              f"Remote ID: {_ts(s.remote_ts)}, Direction: {d}, SPI: 0x{spi}, AUX-SPI: 0, Mode: Tunnel, Type: dynamic, "
              "Traffic-selector:  FC Name: " for d, spi in (("inbound", st.spi_in), ("outbound", st.spi_out))]
        return [*sa, f"IPSec negotiation successfully completed. {self._neg(st)}", self._alarm(st, True)]

    def give_up(self, st: SideState, arg: object) -> list[str]:
        return [self._fail(st, "Timed out")]

    # --- runtime -----------------------------------------------------------------------------------
    def child_rekey(self, st: SideState, arg: object) -> list[str]:
        return self.child_established(st, arg)[:3]

    def ike_rekey(self, st: SideState, arg: object) -> list[str]:
        self.new_ike(st)
        return [f"IKE negotiation successfully completed. {self._neg(st)}"]

    def dpd_miss(self, st: SideState, arg: object) -> list[str]:
        st.up = True
        return []

    def dpd_dead(self, st: SideState, arg: object) -> list[str]:
        st.up = False
        s = st.side
        return [f"KMD_DPD_PEER_DOWN: DPD detected peer {s.remote_ip} is dead, deleting IKE SA and IPsec SAs of gateway gw-{s.remote_name}",
                self._alarm(st, False)]

    # --- failures ----------------------------------------------------------------------------------
    def ike_no_proposal(self, st: SideState, arg: object) -> list[str]:
        return [self._fail(st, "No proposal chosen")]

    def psk_mac_mismatch(self, st: SideState, arg: object) -> list[str]:
        return [self._fail(st, "Authentication failed")]

    auth_failed_notify = psk_mac_mismatch

    def no_peer_config(self, st: SideState, arg: object) -> list[str]:
        s = st.side
        if s.role == "initiator":
            return [self._fail(st, "Authentication failed")]
        return [f"KMD_PM_P1_POLICY_LOOKUP_FAILURE: Policy lookup for Phase-1 [responder] failed for "
                f"p1_local=ipv4(udp:500,[0..3]={s.local_ip}) p1_remote=ipv4(udp:500,[0..3]={s.remote_ip})"]

    def idr_mismatch(self, st: SideState, arg: object) -> list[str]:
        if st.side.role == "responder":
            return [self._fail(st, "Authentication failed")]
        return [self._fail(st, "Invalid ID information")]

    def ts_unacceptable(self, st: SideState, arg: object) -> list[str]:
        s = st.side
        est = self.ike_established(st, None)
        if s.role == "responder":
            return [*est, f"KMD_PM_P2_POLICY_LOOKUP_FAILURE: Policy lookup for Phase-2 [responder] failed for "
                          f"p2_src_id={_ts(s.remote_ts)} p2_dst_id={_ts(s.local_ts)} p2_proto=any(0)"]
        return [*est, self._fail(st, "TS unacceptable" if s.ike_version == 2 else "Invalid ID information", phase=2)]

    def child_no_proposal(self, st: SideState, arg: object) -> list[str]:
        return [*self.ike_established(st, None), self._fail(st, "No proposal chosen", phase=2)]

    def device_lines(self, t: float, roll: float) -> list[str]:
        k = int(roll * 60000)
        src = f"10.{k % 200}.{k % 7}.{k % 250 + 2}"
        return [
            f"RT_FLOW: RT_FLOW_SESSION_CREATE: session created {src}/{40000 + k % 20000}->203.0.113.{k % 250 + 2}/443 "
            f"0x0 junos-https {self.gw.ip}/{k % 60000 + 1024}->203.0.113.{k % 250 + 2}/443 0x0 source rule r1 N/A N/A 6 "
            f"allow-web trust untrust {k * 7} N/A(N/A) ge-0/0/1.0 UNKNOWN UNKNOWN UNKNOWN N/A N/A -1 N/A N/A N/A",
            f"RT_FLOW: RT_FLOW_SESSION_CLOSE: session closed TCP FIN: {src}/{40000 + k % 20000}->203.0.113.{k % 250 + 2}/443 "
            f"0x0 junos-https {self.gw.ip}/{k % 60000 + 1024}->203.0.113.{k % 250 + 2}/443 0x0 source rule r1 N/A N/A 6 "
            f"allow-web trust untrust {k * 7} {k % 90}({k * 3}) {k % 120}({k * 11}) {k % 300} UNKNOWN UNKNOWN N/A(N/A) ge-0/0/1.0",
            f"sshd[{k % 30000 + 300}]: Accepted password for netops from 10.0.0.{k % 50 + 10} port {50000 + k % 10000} ssh2",
            f"mgd[{k % 30000 + 300}]: UI_COMMIT: User 'netops' requested 'commit' operation (comment: none)",
        ]
