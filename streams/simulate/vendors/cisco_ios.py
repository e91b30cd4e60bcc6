"""Cisco IOS / IOS-XE through syslog, with `debug crypto isakmp` on (as a troubleshooting router has it):

    Feb  5 21:29:53 rtr-ams-01 000123: Feb  5 21:29:53.120 UTC: %CRYPTO-6-IKMP_MODE_FAILURE: Processing ...
    Feb  5 21:29:53 rtr-ams-01 000124: Feb  5 21:29:53.121 UTC: ISAKMP:(1001): retransmitting phase 1 MM_NO_STATE...

Texts follow the IOS System Message Guide (%CRYPTO, %MOTCR, %PKI), shared reference 004 and Cisco's
debug TechNotes. IKEv2 shows as `IKEv2:(SESSION ID = n,SA ID = 1):` debug and %IKEV2-3-NEG_ABORT.
"""

from __future__ import annotations

from streams.simulate.vendors.base import Renderer, SideState

TRANSFORM = "esp-aes 256 esp-sha256-hmac "


class CiscoIos(Renderer):
    vendor = "cisco_ios"
    classes = frozenset({
        "ike.proposal_mismatch", "ike.auth_failed.psk_mismatch", "ike.auth_failed.certificate", "ike.auth_failed",
        "ike.psk_not_found", "ike.peer_unreachable", "ike.dpd_timeout", "ike.unauthenticated_quick_mode",
        "ike.phase1_failed", "child.ts_unacceptable", "child.proposal_mismatch", "dataplane.replay_check_failed",
        "dataplane.integrity_check_failed", "dataplane.invalid_identity",
    })

    def line(self, t: float, body: str) -> str:
        self.seq += 1
        bsd = self.bsd(t)
        return f"{bsd} {self.host} {self.seq:06d}: {bsd}.{int(t * 1000) % 1000:03d} UTC: {body}"

    # --- helpers -----------------------------------------------------------------------------------
    def _isa(self, st: SideState, before_auth: bool = False) -> str:
        return "ISAKMP:(0):" if before_auth else f"ISAKMP:({1000 + st.ike_uid}):"

    def _v2(self, st: SideState) -> str:
        return f"IKEv2:(SESSION ID = {st.ike_uid},SA ID = 1):"

    def _state(self, st: SideState) -> str:
        return "(I)" if st.side.role == "initiator" else "(R)"

    def _send(self, st: SideState, state: str, auth: bool = True) -> str:
        return f"{self._isa(st, not auth)} sending packet to {st.side.remote_ip} my_port 500 peer_port 500 {self._state(st)} {state}"

    def _recv(self, st: SideState, state: str, auth: bool = True) -> str:
        return f"{self._isa(st, not auth)} received packet from {st.side.remote_ip} dport 500 sport 500 Global {self._state(st)} {state}"

    def _status(self, st: SideState, up: bool) -> str:
        s = st.side
        word = "UP" if up else "DOWN"
        if s.ike_version == 2:
            return f"%CRYPTO-5-IKEV2_SESSION_STATUS: Crypto tunnel v2 is {word}.  Peer {s.remote_ip}:500 Id: {s.remote_id}"
        return f"%CRYPTO-5-SESSION_STATUS: Crypto tunnel is {word}.  Peer {s.remote_ip}:500       Id: {s.remote_id}"

    def _abort(self, reason: str) -> str:
        return f"%IKEV2-3-NEG_ABORT: Negotiation aborted due to ERROR: {reason}"

    def _v2_notify(self, st: SideState, notify: str) -> list[str]:
        return [f"{self._v2(st)}Received Packet [From {st.side.remote_ip}:500/To {st.side.local_ip}:500/VRF i0:f0]",
                f"{self._v2(st)}Received notify: {notify}"]

    # --- setup -------------------------------------------------------------------------------------
    def ike_start(self, st: SideState, arg: object) -> list[str]:
        if arg != "again":
            self.new_ike(st)
        s = st.side
        if s.ike_version == 2:
            if s.role == "initiator":
                return [f"%IKEV2-5-OSAL_INITIATE_TUNNEL: Received request to establish an IPsec tunnel; local traffic selector = "
                        f"Address Range: {s.local_ts} Protocol: 256 Port Range: 0-65535; remote traffic selector = "
                        f"Address Range: {s.remote_ts} Protocol: 256 Port Range: 0-65535",
                        f"{self._v2(st)}Sending Packet [To {s.remote_ip}:500/From {s.local_ip}:500/VRF i0:f0]"]
            return [f"{self._v2(st)}Received Packet [From {s.remote_ip}:500/To {s.local_ip}:500/VRF i0:f0]"]
        if s.role == "initiator":
            return ["ISAKMP:(0): beginning Main Mode exchange", self._send(st, "MM_NO_STATE", auth=False)]
        return [self._recv(st, "NEW SA", auth=False), "ISAKMP:(0):found peer pre-shared key matching " + s.remote_ip]

    def ike_init_ok(self, st: SideState, arg: object) -> list[str]:
        if st.side.ike_version == 2:
            return []
        i = "I" if st.side.role == "initiator" else "R"
        return ["ISAKMP:(0):atts are acceptable. Next payload is 0",
                f"ISAKMP:(0):Old State = IKE_{i}_MM2  New State = IKE_{i}_MM3", self._send(st, "MM_KEY_EXCH", auth=False)]

    def ike_established(self, st: SideState, arg: object) -> list[str]:
        st.up = True
        if st.side.ike_version == 2:
            return []
        i = "I" if st.side.role == "initiator" else "R"
        isa = self._isa(st)
        return [f"{isa}SA authentication status: authenticated", f"{isa}SA has been authenticated with {st.side.remote_ip}",
                f"{isa}Old State = IKE_{i}_MM6  New State = IKE_P1_COMPLETE"]

    def _qm_done(self, st: SideState) -> list[str]:
        s = st.side
        self.new_child(st)
        spi = int(st.spi_out, 16)
        i = "I" if s.role == "initiator" else "R"
        return [f"{self._isa(st)}beginning Quick Mode exchange, M-ID of {self.rng.randrange(1, 2**31)}" if i == "I"
                else f"{self._isa(st)}Checking IPSec proposal 1",
                f"IPSEC(create_sa): sa created, (sa) sa_dest= {s.remote_ip}, sa_proto= 50, sa_spi= 0x{st.spi_out}({spi}), "
                f"sa_trans= {TRANSFORM}, sa_conn_id= {2000 + st.child_uid}",
                f"{self._isa(st)}Old State = IKE_QM_{i}_QM1  New State = IKE_QM_PHASE2_COMPLETE"]

    def child_established(self, st: SideState, arg: object) -> list[str]:
        if st.side.ike_version == 2:
            self.new_child(st)
            return [self._status(st, True)]
        return [*self._qm_done(st), self._status(st, True)]

    def retransmit(self, st: SideState, arg: object) -> list[str]:
        if st.side.role == "responder" and not st.up:
            return []
        if st.side.ike_version == 2:
            return [f"{self._v2(st)}Retransmitting packet"]
        if st.up:  # DPD R_U_THERE unanswered
            return [f"{self._isa(st)}incrementing error counter on sa, attempt {arg} of 5: PEERS_ALIVE_TIMER",
                    f"{self._isa(st)}Sending NOTIFY DPD/R_U_THERE protocol 1"]
        return ["ISAKMP:(0): retransmitting phase 1 MM_NO_STATE...",
                f"ISAKMP:(0):incrementing error counter on sa, attempt {arg} of 5: retransmit phase 1",
                "ISAKMP:(0): retransmitting phase 1 MM_NO_STATE", self._send(st, "MM_NO_STATE", auth=False)]

    def give_up(self, st: SideState, arg: object) -> list[str]:
        if st.side.ike_version == 2:
            return [f"{self._v2(st)}Maximum number of retransmissions reached",
                    self._abort("Maximum number of retransmissions reached")]
        return ["ISAKMP:(0):peer does not do paranoid keepalives.",
                f'ISAKMP:(0):deleting SA reason "Death by retransmission P1" state (I) MM_NO_STATE (peer {st.side.remote_ip})']

    # --- runtime -----------------------------------------------------------------------------------
    def child_rekey(self, st: SideState, arg: object) -> list[str]:
        s = st.side
        old_spi, old_conn = st.spi_out, 2000 + st.child_uid
        if s.ike_version == 2:
            self.new_child(st)
            return []
        return [*self._qm_done(st),
                f"IPSEC(delete_sa): deleting SA, (sa) sa_dest= {s.remote_ip}, sa_proto= 50, sa_spi= 0x{old_spi}"
                f"({int(old_spi, 16)}), sa_trans= {TRANSFORM}, sa_conn_id= {old_conn}"]

    def ike_rekey(self, st: SideState, arg: object) -> list[str]:
        s = st.side
        old = self._isa(st)
        self.new_ike(st)
        if s.ike_version == 2:
            return []
        i = "I" if s.role == "initiator" else "R"
        return [f"{self._isa(st)}Old State = IKE_{i}_MM6  New State = IKE_P1_COMPLETE",
                f'{old}deleting SA reason "Expired" state {self._state(st)} QM_IDLE (peer {s.remote_ip})']

    def dpd(self, st: SideState, arg: object) -> list[str]:
        if st.side.ike_version == 2:
            return []
        isa = self._isa(st)
        if st.side.role == "initiator":
            return [f"{isa}Sending NOTIFY DPD/R_U_THERE protocol 1", self._send(st, "QM_IDLE"), self._recv(st, "QM_IDLE"),
                    f"{isa}processing NOTIFY DPD/R_U_THERE_ACK protocol 1"]
        return [self._recv(st, "QM_IDLE"), f"{isa}processing NOTIFY DPD/R_U_THERE protocol 1",
                f"{isa}Sending NOTIFY DPD/R_U_THERE_ACK protocol 1", self._send(st, "QM_IDLE")]

    def dpd_miss(self, st: SideState, arg: object) -> list[str]:
        st.up = True
        if st.side.ike_version == 2:
            return [f"{self._v2(st)}Sending DPD/liveness query"]
        return [f"{self._isa(st)}Sending NOTIFY DPD/R_U_THERE protocol 1", self._send(st, "QM_IDLE")]

    def dpd_dead(self, st: SideState, arg: object) -> list[str]:
        st.up = False
        s = st.side
        if s.ike_version == 2:
            return [f"{self._v2(st)}Maximum number of retransmissions reached", f"{self._v2(st)}Deleting SA",
                    self._status(st, False)]
        return [f"{self._isa(st)}peer {s.remote_ip} not responding!",
                f'{self._isa(st)}deleting SA reason "No reply to DPD PEERS_ALIVE_TIMER" state {self._state(st)} QM_IDLE '
                f"(peer {s.remote_ip})", self._status(st, False)]

    # --- failures ----------------------------------------------------------------------------------
    def ike_no_proposal(self, st: SideState, arg: object) -> list[str]:
        s = st.side
        if s.ike_version == 2:
            if s.role == "initiator":
                return [*self._v2_notify(st, "NO_PROPOSAL_CHOSEN"), self._abort("Received no proposal chosen notify")]
            return [self._abort("Failed to find a matching policy")]
        if s.role == "initiator":
            return [self._recv(st, "MM_NO_STATE", auth=False), "ISAKMP:(0):processing NOTIFY NO_PROPOSAL_CHOSEN protocol 1",
                    f"%CRYPTO-6-IKMP_SA_NOT_OFFERED: Remote peer {s.remote_ip} responded with attribute encryption not offered or changed"]
        return ["ISAKMP:(0):Checking ISAKMP transform 1 against priority 10 policy", "ISAKMP:      encryption AES-CBC",
                "ISAKMP:(0):Encryption algorithm offered does not match policy!",
                "ISAKMP:(0):atts are not acceptable. Next payload is 3", "ISAKMP:(0):no offers accepted!",
                f"ISAKMP:(0): phase 1 SA policy not acceptable! (local {s.local_ip} remote {s.remote_ip})",
                f'ISAKMP:(0):deleting SA reason "Phase1 SA policy proposal not accepted" state (R) MM_NO_STATE (peer {s.remote_ip})']

    def psk_garbled(self, st: SideState, arg: object) -> list[str]:
        return [f"%CRYPTO-4-IKMP_BAD_MESSAGE: IKE message from {st.side.remote_ip} failed its sanity check or is malformed",
                f"{self._isa(st)} phase 1 packet is a duplicate of a previous packet."]

    def psk_mac_mismatch(self, st: SideState, arg: object) -> list[str]:
        if st.side.role == "initiator":
            return [*self._v2_notify(st, "AUTHENTICATION_FAILED"), self._abort("Auth exchange failed")]
        return [f"{self._v2(st)}Verification of peer's authentication data FAILED",
                self._abort("Failed to authenticate the IKE SA")]

    auth_failed_notify = psk_mac_mismatch

    def cert_invalid(self, st: SideState, arg: object) -> list[str]:
        s = st.side
        if not s.is_a:
            if s.ike_version == 2:
                return [*self._v2_notify(st, "AUTHENTICATION_FAILED"), self._abort("Auth exchange failed")]
            return [f"%CRYPTO-6-IKMP_AUTH_FAIL: Authentication method 3 failed with host {s.remote_ip}"]
        return [f"%PKI-3-CERTIFICATE_INVALID_EXPIRED: Certificate chain validation has failed.  The certificate "
                f"(SN: {self.hex(8).upper()}) has expired.    Validity period ended on 00:00:00 UTC Jan 31 2026",
                f"%CRYPTO-6-IKMP_AUTH_FAIL: Authentication method 3 failed with host {s.remote_ip}"
                if s.ike_version == 1 else self._abort("Failed to authenticate the IKE SA: certificate validation failed")]

    def psk_not_found(self, st: SideState, arg: object) -> list[str]:
        s = st.side
        if s.ike_version == 2:
            if s.role == "initiator":
                return [*self._v2_notify(st, "AUTHENTICATION_FAILED"), self._abort("Auth exchange failed")]
            return [f"{self._v2(st)}Searching policy based on peer's identity '{s.remote_id}' of type 'IPv4 address'",
                    f"{self._v2(st)}Failed to locate an item in the database", self._abort("Failed to locate an item in the database")]
        return [f"ISAKMP:(0):No pre-shared key with {s.remote_ip}!"]

    def unauth_qm(self, st: SideState, arg: object) -> list[str]:
        return [f"%CRYPTO-6-IKMP_SA_NOT_AUTH: Cannot accept Quick Mode exchange from {st.side.remote_ip} if SA is not authenticated!"]

    def mm_answered(self, st: SideState, arg: object) -> list[str]:
        if arg:
            return ["ISAKMP:(0): retransmitting phase 1 MM_KEY_EXCH...", self._recv(st, "MM_KEY_EXCH", auth=False)]
        return [self._recv(st, "MM_NO_STATE", auth=False), "ISAKMP:(0):Old State = IKE_I_MM1  New State = IKE_I_MM2"]

    def p1_failed(self, st: SideState, arg: object) -> list[str]:
        return [f"%CRYPTO-6-IKMP_MODE_FAILURE: Processing of Main mode failed with peer at {st.side.remote_ip}"]

    def ts_unacceptable(self, st: SideState, arg: object) -> list[str]:
        s = st.side
        if s.ike_version == 2:
            if s.role == "initiator":
                return [*self._v2_notify(st, "TS_UNACCEPTABLE"), self._abort("Received TS_UNACCEPTABLE notify")]
            return [f"{self._v2(st)}There was no IPSEC policy found for received TS", self._abort("There was no IPSEC policy found for received TS")]
        est = self.ike_established(st, None)
        if s.role == "initiator":
            return [*est, f"{self._isa(st)}beginning Quick Mode exchange, M-ID of {self.rng.randrange(1, 2**31)}",
                    "IPSEC(initialize_sas): Invalid proxy IDs"]
        return [*est, "IPSEC(validate_transform_proposal): proxy identities not supported",
                f"{self._isa(st)} IPSec policy invalidated proposal with error 256",
                f"%CRYPTO-6-IKMP_MODE_FAILURE: Processing of Quick mode failed with peer at {s.remote_ip}"]

    def child_no_proposal(self, st: SideState, arg: object) -> list[str]:
        s = st.side
        if s.ike_version == 2:
            if s.role == "initiator":
                return [*self._v2_notify(st, "NO_PROPOSAL_CHOSEN")]
            return [self._abort("Failed to find a matching proposal")]
        est = self.ike_established(st, None)
        if s.role == "initiator":
            return [*est, f"{self._isa(st)}beginning Quick Mode exchange, M-ID of {self.rng.randrange(1, 2**31)}",
                    f"{self._isa(st)}processing NOTIFY PROPOSAL_NOT_CHOSEN protocol 3"]
        return [*est, "IPSEC(validate_proposal_request): proposal part #1",
                "IPSEC(validate_transform_proposal): transform proposal not supported for identity: {esp-3des esp-md5-hmac }",
                f"{self._isa(st)} IPSec policy invalidated proposal with error 32",
                f"{self._isa(st)} phase 2 SA policy not acceptable! (local {s.local_ip} remote {s.remote_ip})",
                f"%CRYPTO-6-IKMP_MODE_FAILURE: Processing of Quick mode failed with peer at {s.remote_ip}"]

    def replay(self, st: SideState, arg: object) -> list[str]:
        return [f"%CRYPTO-4-PKT_REPLAY_ERR: decrypt: replay check failed connection id={2000 + st.child_uid}, "
                f"sequence number={self.rng.randrange(1000, 900000)}"]

    def integrity(self, st: SideState, arg: object) -> list[str]:
        return ["%MOTCR-1-PKTENGRET_ERROR: MOTCR PktEng Return Value = 0x20000,  PktEngReturn_MACMiscompare"]

    def invalid_identity(self, st: SideState, arg: object) -> list[str]:
        s = st.side
        inner = s.local_ts.rsplit(".", 1)[0]
        return [f"%CRYPTO-4-RECVD_PKT_INV_IDENTITY: Rec'd packet has invalid identity. (ip) vrf/dest_addr= /{inner}.{20 + int(str(arg) or 0)}, "
                f"src_addr= {s.remote_ts.rsplit('.', 1)[0]}.9, prot= 1"]

    def device_lines(self, t: float, roll: float) -> list[str]:
        k = int(roll * 250)
        return [
            f"%SYS-5-CONFIG_I: Configured from console by netops on vty0 (10.0.0.{k % 50 + 10})",
            "%LINEPROTO-5-UPDOWN: Line protocol on Interface GigabitEthernet0/0/2, changed state to up",
            f"%SEC_LOGIN-5-LOGIN_SUCCESS: Login Success [user: netops] [Source: 10.0.0.{k % 50 + 10}] [localport: 22]",
            f"%SSH-5-SSH2_USERAUTH: User 'netops' authentication for SSH2 Session from 10.0.0.{k % 50 + 10} (tty = 0) "
            "using crypto cipher 'aes256-ctr', hmac 'hmac-sha2-256' Succeeded",
            f"%OSPF-5-ADJCHG: Process 1, Nbr 10.255.0.{k % 8 + 1} on Tunnel100 from LOADING to FULL, Loading Done",
            f"%DHCPD-4-PING_CONFLICT: DHCP address conflict:  server pinged 10.{k % 200}.1.17.",
        ]
