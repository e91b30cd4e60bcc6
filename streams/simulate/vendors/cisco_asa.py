"""Cisco ASA through syslog (`logging timestamp`, `logging device-id hostname`, trap level informational):

    Feb 05 2026 21:29:53 asa-fra-01 : %ASA-5-713119: Group = 198.51.100.7, IP = 198.51.100.7, PHASE 1 COMPLETED

Message ids and texts from the ASA syslog messages guide: 7131xx/7139xx IKEv1, 7500xx IKEv2, 6023xx
IPsec SAs, 4021xx ESP packet errors, 3020xx connections (the device's other traffic).
"""

from __future__ import annotations

from streams.simulate.vendors.base import MONTHS, Renderer, SideState


def _mask(cidr: str) -> str:
    net, _, bits = cidr.partition("/")
    n = int(bits or 32)
    m = (0xFFFFFFFF << (32 - n)) & 0xFFFFFFFF
    return f"{net}/{m >> 24}.{(m >> 16) & 255}.{(m >> 8) & 255}.{m & 255}"


class CiscoAsa(Renderer):
    vendor = "cisco_asa"
    classes = frozenset({
        "ike.proposal_mismatch", "ike.auth_failed.psk_mismatch", "ike.peer_unreachable", "ike.dpd_timeout",
        "child.ts_unacceptable", "child.proposal_mismatch", "dataplane.replay_check_failed",
        "dataplane.integrity_check_failed",
    })
    class_versions = {"ike.peer_unreachable": (2,)}

    def prefix(self, t: float) -> str:
        tm = self.tm(t)
        return (f"{MONTHS[tm.tm_mon - 1]} {tm.tm_mday:02d} {tm.tm_year} {tm.tm_hour:02d}:{tm.tm_min:02d}:{tm.tm_sec:02d} "
                f"{self.host} : ")

    def _g(self, st: SideState) -> str:
        return f"Group = {st.side.conn}, IP = {st.side.remote_ip},"

    def _v2(self, st: SideState, user: str = "Unknown") -> str:
        s = st.side
        return f"Local:{s.local_ip}:500 Remote:{s.remote_ip}:500 Username:{user if user != 'peer' else s.remote_ip}"

    def _abort(self, st: SideState, reason: str) -> str:
        return f"%ASA-4-750003: {self._v2(st)} IKEv2 Negotiation aborted due to ERROR: {reason}"

    def _sa(self, st: SideState, verb: str) -> list[str]:
        s = st.side
        return [f"%ASA-6-{'602303' if verb == 'created' else '602304'}: IPSEC: An {d} LAN-to-LAN SA (SPI= 0x{spi}) between "
                f"{s.local_ip} and {s.remote_ip} (user= {s.conn}) has been {verb}."
                for d, spi in (("outbound", st.spi_out), ("inbound", st.spi_in))]

    # --- setup -------------------------------------------------------------------------------------
    def ike_start(self, st: SideState, arg: object) -> list[str]:
        if arg != "again":
            self.new_ike(st)
        s = st.side
        if s.ike_version == 2:
            if s.role == "initiator":
                return [f"%ASA-6-750001: {self._v2(st)} Received request to establish an IPsec tunnel; local traffic selector = "
                        f"Address Range: {s.local_ts.split('/')[0]}-{s.local_ts.rsplit('.', 1)[0]}.255 Protocol: 0 Port Range: 0-65535; "
                        f"remote traffic selector = Address Range: {s.remote_ts.split('/')[0]}-{s.remote_ts.rsplit('.', 1)[0]}.255 "
                        "Protocol: 0 Port Range: 0-65535"]
            return [f"%ASA-5-750002: {self._v2(st)} Received a IKE_INIT_SA request"]
        if s.role == "initiator":
            return [f"%ASA-5-713041: IP = {s.remote_ip}, IKE Initiator: New Phase 1, Intf outside, IKE Peer {s.remote_ip}  "
                    f"local Proxy Address {s.local_ts.split('/')[0]}, remote Proxy Address {s.remote_ts.split('/')[0]},  "
                    "Crypto map (outside_map)"]
        return []

    def ike_established(self, st: SideState, arg: object) -> list[str]:
        st.up = True
        if st.side.ike_version == 2:
            return [f"%ASA-5-750006: {self._v2(st, 'peer')} IKEv2 SA UP. Reason: New Connection Established"]
        return [f"%ASA-6-713172: {self._g(st)} Automatic NAT Detection Status:     Remote end is NOT behind a NAT device     "
                "This   end is NOT behind a NAT device", f"%ASA-5-713119: {self._g(st)} PHASE 1 COMPLETED"]

    def child_established(self, st: SideState, arg: object) -> list[str]:
        self.new_child(st)
        s = st.side
        out = self._sa(st, "created")
        if s.ike_version == 1:
            role = "Initiator" if s.role == "initiator" else "Responder"
            out = [f"%ASA-5-713049: {self._g(st)} Security negotiation complete for LAN-to-LAN Group ({s.conn})  {role}, "
                   f"Inbound SPI = 0x{st.spi_in}, Outbound SPI = 0x{st.spi_out}", *out,
                   f"%ASA-5-713120: {self._g(st)} PHASE 2 COMPLETED (msgid={self.hex(8)})"]
        return out

    def give_up(self, st: SideState, arg: object) -> list[str]:
        return [self._abort(st, "Maximum number of retransmissions reached")]

    # --- runtime -----------------------------------------------------------------------------------
    def child_rekey(self, st: SideState, arg: object) -> list[str]:
        old = self._sa(st, "deleted")
        return [*self.child_established(st, arg), *old]

    def ike_rekey(self, st: SideState, arg: object) -> list[str]:
        self.new_ike(st)
        if st.side.ike_version == 2:
            return [f"%ASA-5-750006: {self._v2(st, 'peer')} IKEv2 SA UP. Reason: Rekey"]
        return [f"%ASA-5-713119: {self._g(st)} PHASE 1 COMPLETED"]

    def dpd_miss(self, st: SideState, arg: object) -> list[str]:
        st.up = True
        return []

    def dpd_dead(self, st: SideState, arg: object) -> list[str]:
        st.up = False
        return [f"%ASA-4-713123: {self._g(st)} IKE lost contact with remote peer, deleting connection (keepalive type: DPD)",
                f"%ASA-5-713259: {self._g(st)} Session is being torn down. Reason: Lost Service", *self._sa(st, "deleted")]

    # --- failures ----------------------------------------------------------------------------------
    def ike_no_proposal(self, st: SideState, arg: object) -> list[str]:
        s = st.side
        if s.ike_version == 2:
            return [self._abort(st, "Received no proposal chosen notify" if s.role == "initiator"
                                else "Failed to find a matching policy")]
        if s.role == "initiator":
            return [f"%ASA-5-713068: IP = {s.remote_ip}, Received non-routine Notify message: No proposal chosen (14)"]
        return ["%ASA-5-713257: Phase 1 failure:  Mismatched attribute types for class Group Description:  Rcv'd: Group 2  Cfg'd: Group 14",
                f"%ASA-3-713902: IP = {s.remote_ip}, All SA proposals found unacceptable"]

    def psk_garbled(self, st: SideState, arg: object) -> list[str]:
        s = st.side
        return [f"%ASA-4-713903: {self._g(st)} ERROR, had problems decrypting packet, probably due to mismatched pre-shared key.  Aborting",
                f"%ASA-3-713902: IP = {s.remote_ip}, Removing peer from peer table failed, no match!"]

    def ts_unacceptable(self, st: SideState, arg: object) -> list[str]:
        s = st.side
        if s.ike_version == 2:
            return [self._abort(st, "Received TS_UNACCEPTABLE notify" if s.role == "initiator"
                                else "There was no IPSEC policy found for received TS")]
        est = self.ike_established(st, None)
        if s.role == "initiator":
            return [*est, f"%ASA-5-713068: {self._g(st)} Received non-routine Notify message: Invalid ID info (18)"]
        return [*est, f"%ASA-3-713061: {self._g(st)} Rejecting IPSec tunnel: no matching crypto map entry for remote proxy "
                      f"{_mask(s.remote_ts)}/0/0 local proxy {_mask(s.local_ts)}/0/0 on interface outside"]

    def child_no_proposal(self, st: SideState, arg: object) -> list[str]:
        s = st.side
        if s.ike_version == 2:
            est = [f"%ASA-5-750006: {self._v2(st, 'peer')} IKEv2 SA UP. Reason: New Connection Established"]
            return [*est, self._abort(st, "Received no proposal chosen notify" if s.role == "initiator"
                                      else "Failed to find a matching proposal")]
        est = self.ike_established(st, None)
        if s.role == "initiator":
            return [*est, f"%ASA-5-713068: {self._g(st)} Received non-routine Notify message: No proposal chosen (14)"]
        return [*est, f"%ASA-3-713902: {self._g(st)} All IPSec SA proposals found unacceptable!",
                f"%ASA-3-713902: {self._g(st)} QM FSM error (P2 struct &0x00007f3a2c1e8d40, mess id 0x{self.hex(8)})!"]

    def _esp(self, st: SideState, msgid: str, what: str) -> list[str]:
        s = st.side
        return [f"%ASA-4-{msgid}: IPSEC: Received an ESP packet (SPI= 0x{st.spi_in}, sequence number= 0x{self.hex(4)}) "
                f"from {s.remote_ip} (user= {s.conn}) to {s.local_ip} that failed {what}."]

    def replay(self, st: SideState, arg: object) -> list[str]:
        return self._esp(st, "402119", "anti-replay checking")

    def integrity(self, st: SideState, arg: object) -> list[str]:
        return self._esp(st, "402120", "authentication")

    def device_lines(self, t: float, roll: float) -> list[str]:
        k = int(roll * 60000)
        src = f"10.{k % 200}.{k % 7}.{k % 250 + 2}"
        return [
            f"%ASA-6-302013: Built outbound TCP connection {k} for outside:203.0.113.{k % 250 + 2}/443 "
            f"(203.0.113.{k % 250 + 2}/443) to inside:{src}/{40000 + k % 20000} ({self.gw.ip}/{40000 + k % 20000})",
            f"%ASA-6-302014: Teardown TCP connection {k} for outside:203.0.113.{k % 250 + 2}/443 to inside:{src}/"
            f"{40000 + k % 20000} duration 0:00:{k % 60:02d} bytes {k * 7} TCP FINs from inside",
            f"%ASA-6-305011: Built dynamic UDP translation from inside:{src}/{50000 + k % 10000} to outside:{self.gw.ip}/{k % 60000 + 1024}",
            "%ASA-5-111008: User 'netops' executed the 'show crypto ipsec sa' command.",
            f"%ASA-6-605005: Login permitted from 10.0.0.{k % 50 + 10}/{50000 + k % 10000} to management:{self.gw.ip}/ssh for user \"netops\"",
        ]
