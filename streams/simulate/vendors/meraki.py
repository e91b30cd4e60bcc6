"""Cisco Meraki MX event log syslog, non-Meraki site-to-site VPN peers over IKEv1 (racoon wording):

    1 1770326993.123456789 mx-sto-01 events Site-to-site VPN: ISAKMP-SA established 192.0.2.9[500]-203.0.113.4[500] spi:...

Shapes from Meraki's 'Syslog Event Types and Log Samples' and 'Troubleshooting Non-Meraki Site-to-site
VPN'; the other categories (flows, urls) are the device's non-VPN lines.
"""

from __future__ import annotations

from streams.simulate.vendors.base import Renderer, SideState

VPN = "Site-to-site VPN: "


class Meraki(Renderer):
    vendor = "meraki"
    versions = (1,)
    classes = frozenset({
        "ike.proposal_mismatch", "ike.auth_failed.psk_mismatch", "ike.psk_not_found", "ike.peer_unreachable",
        "ike.dpd_timeout", "child.ts_unacceptable", "child.proposal_mismatch",
    })

    def line(self, t: float, body: str) -> str:
        if body.startswith(("flows ", "urls ")):
            return f"1 {t:.9f} {self.host} {body}"
        return f"1 {t:.9f} {self.host} events {body}"

    def _ends(self, st: SideState, sep: str) -> str:
        s = st.side
        return f"{s.local_ip}[500]{sep}{s.remote_ip}[500]"

    def _cookies(self, st: SideState) -> str:
        return f"{st.ike_spi_i}:{st.ike_spi_r}"

    def ike_start(self, st: SideState, arg: object) -> list[str]:
        if arg != "again":
            self.new_ike(st)
        verb = "initiate" if st.side.role == "initiator" else "respond"
        return [f"{VPN}{verb} new phase 1 negotiation: {self._ends(st, '<=>')}"]

    def ike_established(self, st: SideState, arg: object) -> list[str]:
        st.up = True
        return [f"{VPN}ISAKMP-SA established {self._ends(st, '-')} spi:{self._cookies(st)}"]

    def child_established(self, st: SideState, arg: object) -> list[str]:
        s = st.side
        self.new_child(st)
        verb = "initiate" if s.role == "initiator" else "respond"
        return [f"{VPN}{verb} new phase 2 negotiation: {self._ends(st, '<=>')}",
                f"{VPN}IPsec-SA established: ESP/Tunnel {s.remote_ip}[500]->{s.local_ip}[500] spi={int(st.spi_in, 16)}(0x{st.spi_in})",
                f"{VPN}IPsec-SA established: ESP/Tunnel {s.local_ip}[500]->{s.remote_ip}[500] spi={int(st.spi_out, 16)}(0x{st.spi_out})"]

    def give_up(self, st: SideState, arg: object) -> list[str]:
        return [f"{VPN}phase1 negotiation failed due to time up. {st.ike_spi_i}:0000000000000000"]

    def child_rekey(self, st: SideState, arg: object) -> list[str]:
        s = st.side
        old = st.spi_out
        return [*self.child_established(st, arg),
                f"{VPN}IPsec-SA expired: ESP/Tunnel {s.local_ip}[500]->{s.remote_ip}[500] spi={int(old, 16)}(0x{old})"]

    def ike_rekey(self, st: SideState, arg: object) -> list[str]:
        old = self._cookies(st)
        self.new_ike(st)
        return [*self.ike_established(st, arg), f"{VPN}ISAKMP-SA expired {self._ends(st, '-')} spi:{old}"]

    def dpd_miss(self, st: SideState, arg: object) -> list[str]:
        st.up = True
        return []

    def dpd_dead(self, st: SideState, arg: object) -> list[str]:
        st.up = False
        return [f"{VPN}DPD: remote (ISAKMP-SA spi={self._cookies(st)}) seems to be dead.",
                f"{VPN}ISAKMP-SA deleted {self._ends(st, '-')} spi:{self._cookies(st)}"]

    def ike_no_proposal(self, st: SideState, arg: object) -> list[str]:
        if st.side.role == "initiator":
            return [f"{VPN}notification NO-PROPOSAL-CHOSEN received in informational exchange.",
                    f"{VPN}phase1 negotiation failed."]
        return [f"{VPN}no suitable proposal found.", f"{VPN}failed to get valid proposal.",
                f"{VPN}failed to pre-process ph1 packet (side: 1, status 1).", f"{VPN}phase1 negotiation failed."]

    def psk_garbled(self, st: SideState, arg: object) -> list[str]:
        return [f"{VPN}invalid HASH_V1 payload length, decryption failed?"]

    def psk_not_found(self, st: SideState, arg: object) -> list[str]:
        if st.side.role == "initiator":
            return [f"{VPN}notification AUTHENTICATION-FAILED received in informational exchange."]
        return [f"{VPN}couldn't find the pskey for {st.side.remote_ip}."]

    def ts_unacceptable(self, st: SideState, arg: object) -> list[str]:
        est = self.ike_established(st, None)
        if st.side.role == "initiator":
            return [*est, f"{VPN}initiate new phase 2 negotiation: {self._ends(st, '<=>')}",
                    f"{VPN}notification INVALID-ID-INFORMATION received in informational exchange.",
                    f"{VPN}give up to get IPsec-SA due to time up to wait."]
        return [*est, f"{VPN}respond new phase 2 negotiation: {self._ends(st, '<=>')}", f"{VPN}failed to get sainfo.",
                f"{VPN}failed to pre-process ph2 packet (side: 1, status: 1)."]

    def child_no_proposal(self, st: SideState, arg: object) -> list[str]:
        est = self.ike_established(st, None)
        if st.side.role == "initiator":
            return [*est, f"{VPN}initiate new phase 2 negotiation: {self._ends(st, '<=>')}",
                    f"{VPN}notification NO-PROPOSAL-CHOSEN received in informational exchange.",
                    f"{VPN}give up to get IPsec-SA due to time up to wait."]
        return [*est, f"{VPN}respond new phase 2 negotiation: {self._ends(st, '<=>')}",
                f"{VPN}failed to get proposal for responder.", f"{VPN}failed to pre-process ph2 packet (side: 1, status: 1)."]

    def device_lines(self, t: float, roll: float) -> list[str]:
        k = int(roll * 60000)
        src = f"10.{k % 200}.{k % 7}.{k % 250 + 2}"
        return [
            f"flows src={src} dst=203.0.113.{k % 250 + 2} mac=00:18:0A:{k % 256:02X}:{k // 256 % 256:02X}:17 protocol=tcp "
            f"sport={40000 + k % 20000} dport=443 pattern: allow all",
            f"urls src={src}:{40000 + k % 20000} dst=203.0.113.{k % 250 + 2}:443 mac=00:18:0A:{k % 256:02X}:3C:17 "
            f"request: UNKNOWN https://updates.example.com/",
            f"dhcp lease of ip {src} from server mac 00:18:0A:11:22:33 for client mac 00:18:0A:{k % 256:02X}:3C:17 "
            f"from router 10.{k % 200}.{k % 7}.1 on subnet 255.255.255.0 with dns 10.0.0.53",
        ]
