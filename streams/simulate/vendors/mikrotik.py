"""MikroTik RouterOS 7 remote syslog (topics, then the message):

    Feb  5 21:29:53 mt-waw-01 ipsec,error 203.0.113.5 parsing packet failed, possible cause: wrong password

Texts as RouterOS' IPsec (racoon-derived IKEv1, its own IKEv2) prints them at info/error level.
"""

from __future__ import annotations

from streams.simulate.vendors.base import Renderer, SideState


class Mikrotik(Renderer):
    vendor = "mikrotik"
    classes = frozenset({
        "ike.proposal_mismatch", "ike.dh_group_mismatch", "ike.auth_failed.psk_mismatch", "ike.auth_failed",
        "ike.id_mismatch", "ike.peer_unreachable", "ike.dpd_timeout", "child.ts_unacceptable", "child.proposal_mismatch",
    })
    class_versions = {"ike.peer_unreachable": (1,), "ike.dpd_timeout": (1,)}

    def prefix(self, t: float) -> str:
        return f"{self.bsd(t)} {self.host} "

    def _ends(self, st: SideState, sep: str) -> str:
        return f"{st.side.local_ip}[500]{sep}{st.side.remote_ip}[500]"

    def _err(self, st: SideState, text: str) -> str:
        return f"ipsec,error {st.side.remote_ip} {text}"

    def ike_start(self, st: SideState, arg: object) -> list[str]:
        if arg != "again":
            self.new_ike(st)
        if st.side.ike_version == 2:
            return []
        verb = "initiate" if st.side.role == "initiator" else "respond"
        return [f"ipsec,info {verb} new phase 1 (Identity Protection): {self._ends(st, '<=>')}"]

    def ike_established(self, st: SideState, arg: object) -> list[str]:
        st.up = True
        s = st.side
        if s.ike_version == 2:
            return [f"ipsec,info new ike2 SA ({'I' if s.role == 'initiator' else 'R'}): {s.conn} {self._ends(st, '-')} "
                    f"spi:{st.ike_spi_r}:{st.ike_spi_i}"]
        return [f"ipsec,info ISAKMP-SA established {self._ends(st, '-')} spi:{st.ike_spi_i}:{st.ike_spi_r}"]

    def child_established(self, st: SideState, arg: object) -> list[str]:
        s = st.side
        self.new_child(st)
        return [f"ipsec,info IPsec-SA established: ESP/Tunnel {s.remote_ip}[500]->{s.local_ip}[500] spi=0x{st.spi_in}",
                f"ipsec,info IPsec-SA established: ESP/Tunnel {s.local_ip}[500]->{s.remote_ip}[500] spi=0x{st.spi_out}"]

    def give_up(self, st: SideState, arg: object) -> list[str]:
        return [self._err(st, f"phase1 negotiation failed due to time up {self._ends(st, '<=>')} {st.ike_spi_i}:0000000000000000")]

    def child_rekey(self, st: SideState, arg: object) -> list[str]:
        return self.child_established(st, arg)

    def ike_rekey(self, st: SideState, arg: object) -> list[str]:
        old = f"{st.ike_spi_i}:{st.ike_spi_r}"
        self.new_ike(st)
        out = self.ike_established(st, arg)
        if st.side.ike_version == 1:
            out.append(f"ipsec,info ISAKMP-SA expired {self._ends(st, '-')} spi:{old}")
        return out

    def dpd_miss(self, st: SideState, arg: object) -> list[str]:
        st.up = True
        return []

    def dpd_dead(self, st: SideState, arg: object) -> list[str]:
        st.up = False
        return [f"ipsec,info DPD: remote (ISAKMP-SA spi={st.ike_spi_i}:{st.ike_spi_r}) seems to be dead.",
                f"ipsec,info purging ISAKMP-SA {self._ends(st, '-')} spi={st.ike_spi_i}:{st.ike_spi_r}."]

    def _fatal(self, st: SideState, notify: str) -> str:
        return self._err(st, f"got fatal error: {notify}")

    def ike_no_proposal(self, st: SideState, arg: object) -> list[str]:
        s = st.side
        if s.role == "initiator":
            if s.ike_version == 2:
                return [self._fatal(st, "NO_PROPOSAL_CHOSEN")]
            return [self._err(st, "notification NO-PROPOSAL-CHOSEN received in informational exchange"),
                    self._err(st, "phase1 negotiation failed.")]
        return ["ipsec,error no suitable proposal found", self._err(st, "failed to get valid proposal."),
                self._err(st, "failed to pre-process ph1 packet (side: 1, status 1)."), self._err(st, "phase1 negotiation failed.")]

    def dh_rejected(self, st: SideState, arg: object) -> list[str]:
        if st.side.role == "initiator":
            return [self._fatal(st, "INVALID_KE_PAYLOAD")]
        return [self._err(st, "peer's DH group modp2048 not acceptable, requesting ecp256")]

    def psk_garbled(self, st: SideState, arg: object) -> list[str]:
        return [self._err(st, "parsing packet failed, possible cause: wrong password")]

    def psk_mac_mismatch(self, st: SideState, arg: object) -> list[str]:
        if st.side.role == "initiator":
            return [self._fatal(st, "AUTHENTICATION_FAILED")]
        return [self._err(st, "peer authentication failed, possible cause: wrong password")]

    auth_failed_notify = psk_mac_mismatch

    def no_peer_config(self, st: SideState, arg: object) -> list[str]:
        if st.side.role == "initiator":
            return [self._fatal(st, "AUTHENTICATION_FAILED")]
        return [f"ipsec,error identity not found for peer: FQDN: {st.side.remote_name}.example.org"]

    def idr_mismatch(self, st: SideState, arg: object) -> list[str]:
        if st.side.role == "responder":
            return [self._fatal(st, "AUTHENTICATION_FAILED")]
        return [self._err(st, f"peer's ID does not match: FQDN: {st.side.remote_name}.example.org")]

    def ts_unacceptable(self, st: SideState, arg: object) -> list[str]:
        s = st.side
        est = self.ike_established(st, None)
        if s.role == "initiator":
            return [*est, self._fatal(st, "TS_UNACCEPTABLE") if s.ike_version == 2
                    else self._err(st, "notification INVALID-ID-INFORMATION received in informational exchange")]
        return [*est, self._err(st, "no policy found/generated"), self._err(st, "failed to get sainfo.")]

    def child_no_proposal(self, st: SideState, arg: object) -> list[str]:
        s = st.side
        est = self.ike_established(st, None)
        if s.role == "initiator":
            return [*est, self._fatal(st, "NO_PROPOSAL_CHOSEN") if s.ike_version == 2
                    else self._err(st, "notification NO-PROPOSAL-CHOSEN received in informational exchange")]
        return [*est, self._err(st, "failed to get valid proposal."), self._err(st, "failed to pre-process ph2 packet (side: 1, status: 1).")]

    def device_lines(self, t: float, roll: float) -> list[str]:
        k = int(roll * 60000)
        return [
            f"system,info,account user netops logged in from 10.0.0.{k % 50 + 10} via ssh",
            f"dhcp,info dhcp1 assigned 10.{k % 200}.{k % 7}.{k % 250 + 2} for 00:0C:42:{k % 256:02X}:3C:17 mt-client-{k % 40}",
            f"firewall,info input: in:ether1 out:(unknown 0), connection-state:new proto TCP (SYN), "
            f"203.0.113.{k % 250 + 2}:{40000 + k % 20000}->{self.gw.ip}:22, len 60",
            "interface,info ether3 link up (speed 1G, full duplex)",
        ]
