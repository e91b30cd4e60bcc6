"""Libreswan pluto (4.x) through syslog: `pluto[pid]: "conn" #3: <text>`.

Texts follow pluto's own messages (initiating, IKE SA established, IPsec SA established tunnel mode,
'no local proposal matches remote proposals', 'probable authentication failure (mismatch of
preshared secrets?)', 'cannot respond to IPsec SA request because no connection is known for ...').
pluto numbers IKE and IPsec SAs from one state counter (#n).
"""

from __future__ import annotations

from streams.simulate.vendors.base import Renderer, SideState

IKE_ALGS = "{cipher=AES_GCM_16_256 integ=n/a prf=HMAC_SHA2_512 group=MODP2048}"
V1_ALGS = "{auth=PRESHARED_KEY cipher=AES_CBC_256 integ=HMAC_SHA2_256 group=MODP2048}"


class Libreswan(Renderer):
    vendor = "libreswan"
    classes = frozenset({
        "ike.proposal_mismatch", "ike.dh_group_mismatch", "ike.auth_failed.psk_mismatch", "ike.auth_failed.certificate",
        "ike.auth_failed", "ike.id_mismatch", "ike.psk_not_found", "ike.peer_unreachable", "ike.dpd_timeout",
        "child.ts_unacceptable", "child.proposal_mismatch", "child.rekey_pfs_mismatch", "kernel.cipher_unsupported",
    })

    def prefix(self, t: float) -> str:
        return f"{self.bsd(t)} {self.host} pluto[{self.gw.pid}]: "

    def _c(self, st: SideState, child: bool = False) -> str:
        return f"\"{st.side.conn}\" #{st.child_uid if child else st.ike_uid}:"

    def _state(self, st: SideState) -> str:
        return "STATE_V2_PARENT_I1" if st.side.ike_version == 2 else "STATE_MAIN_I1"

    def new_child(self, st: SideState) -> None:
        super().new_child(st)
        st.child_uid = self.next_ike  # pluto numbers every state from one counter
        self.next_ike += 1

    # --- setup -------------------------------------------------------------------------------------
    def ike_start(self, st: SideState, arg: object) -> list[str]:
        if arg != "again":
            self.new_ike(st)
        s = st.side
        c = self._c(st)
        if s.role == "responder":
            if s.ike_version == 2:
                return [f"{c} proposal 1:IKE=AES_GCM_16_256-HMAC_SHA2_512-MODP2048 chosen from remote proposals "
                        "1:IKE:ENCR=AES_GCM_16_256;PRF=HMAC_SHA2_512;KE=MODP2048[first-match]"]
            return [f"{c} responding to Main Mode"]
        if s.ike_version == 2:
            return [f"{c} initiating IKEv2 connection", f"{c} sent IKE_SA_INIT request to {s.remote_ip}:500"]
        return [f"{c} initiating IKEv1 Main Mode connection", f"{c} sent Main Mode request"]

    def ike_init_ok(self, st: SideState, arg: object) -> list[str]:
        s = st.side
        if s.role == "responder":
            return [f"{self._c(st)} sent IKE_SA_INIT reply {IKE_ALGS}"] if s.ike_version == 2 else []
        if s.ike_version == 2:
            return [f"{self._c(st)} sent IKE_AUTH request to {s.remote_ip}:4500 {IKE_ALGS}"]
        return [f"{self._c(st)} sent Main Mode I2", f"{self._c(st)} sent Main Mode I3"]

    def ike_established(self, st: SideState, arg: object) -> list[str]:
        st.up = True
        s = st.side
        if s.ike_version == 1:
            return [f"{self._c(st)} ISAKMP SA established {V1_ALGS}"]
        return [f"{self._c(st)} {s.role} established IKE SA; authenticated peer using authby=secret and "
                f"ID_IPV4_ADDR '{s.remote_id}'"]

    def child_established(self, st: SideState, arg: object) -> list[str]:
        s = st.side
        self.new_child(st)
        return [self._child_line(st, f"{s.role} established Child SA using #{st.ike_uid};")]

    def _child_line(self, st: SideState, head: str) -> str:
        s = st.side
        c = self._c(st, child=True)
        if s.ike_version == 1:
            return f"{c} IPsec SA established tunnel mode {{ESP=>0x{st.spi_out} <0x{st.spi_in} xfrm=AES_CBC_256-HMAC_SHA2_256_128 DPD=active}}"
        return (f"{c} {head} IPsec tunnel [{s.local_ts}==={s.remote_ts}] {{ESP/ESN=>0x{st.spi_out} <0x{st.spi_in} "
                "xfrm=AES_GCM_16_256-NONE DPD=active}")

    def retransmit(self, st: SideState, arg: object) -> list[str]:
        if st.side.role == "responder" and not st.up:
            return []
        state = "ESTABLISHED_IKE_SA" if st.up else self._state(st)
        return [f"{self._c(st)} {state}: retransmission; will wait {2 ** int(str(arg))} seconds for response"]

    def give_up(self, st: SideState, arg: object) -> list[str]:
        v = st.side.ike_version
        return [f"{self._c(st)} {self._state(st)}: 60 second timeout exceeded after {arg} retransmits.  No response "
                f"(or no acceptable response) to our first IKEv{v} message"]

    # --- runtime -----------------------------------------------------------------------------------
    def child_rekey(self, st: SideState, arg: object) -> list[str]:
        s = st.side
        old = st.child_uid
        self.new_child(st)
        c = self._c(st, child=True)
        if s.ike_version == 1:
            first = f"{c} initiating Quick Mode IKEv1+PSK+ENCRYPT+TUNNEL+UP+IKE_FRAG_ALLOW+ESN_NO to replace #{old}"
        else:
            first = f"{c} initiating rekey to replace Child SA #{old} using IKE SA #{st.ike_uid}"
        out = [first] if s.role == "initiator" else []
        return [*out, self._child_line(st, f"{s.role} rekeyed Child SA #{old} using #{st.ike_uid};"),
                f"\"{s.conn}\" #{old}: ESP traffic information: in=84KB out=91KB"]

    def ike_rekey(self, st: SideState, arg: object) -> list[str]:
        old = st.ike_uid
        self.new_ike(st)
        s = st.side
        if s.ike_version == 1:
            return [f"{self._c(st)} initiating IKEv1 Main Mode connection to replace #{old}", f"{self._c(st)} ISAKMP SA established {V1_ALGS}"]
        first = [f"{self._c(st)} initiating rekey to replace IKE SA #{old}"] if s.role == "initiator" else []
        return [*first, f"{self._c(st)} {s.role} rekeyed IKE SA #{old} {IKE_ALGS}"]

    def dpd_miss(self, st: SideState, arg: object) -> list[str]:
        st.up = True
        return []

    def dpd_dead(self, st: SideState, arg: object) -> list[str]:
        st.up = False
        if st.side.ike_version == 1:
            return [f"{self._c(st)} DPD: No response from peer - declaring peer dead",
                    f"{self._c(st)} DPD: Clearing Connection"]
        return [f"{self._c(st)} liveness_check - peer {st.side.remote_ip} has not responded in 165 seconds, with a timeout of 165, taking action=clear",
                f"{self._c(st)} deleting IKE SA (ESTABLISHED_IKE_SA) and NOT sending notification"]

    # --- failures ----------------------------------------------------------------------------------
    def ike_no_proposal(self, st: SideState, arg: object) -> list[str]:
        s = st.side
        c = self._c(st)
        if s.role == "responder":
            if s.ike_version == 1:
                return [f"{c} no acceptable Oakley Transform", f"{c} sending notification NO_PROPOSAL_CHOSEN to {s.remote_ip}:500"]
            return [f"{c} no local proposal matches remote proposals 1:IKE:ENCR=AES_CBC_128;INTEG=HMAC_SHA1_96;PRF=HMAC_SHA1;KE=MODP1024"]
        if s.ike_version == 1:
            return [f"{c} ignoring informational payload NO_PROPOSAL_CHOSEN, msgid=00000000, length=12"]
        return [f"{c} ignoring IKE_SA_INIT response containing NO_PROPOSAL_CHOSEN notification"]

    def dh_rejected(self, st: SideState, arg: object) -> list[str]:
        c = self._c(st)
        if st.side.role == "responder":
            return [f"{c} initiator guessed wrong keying material group (MODP2048); responding with INVALID_KE_PAYLOAD requesting DH19"]
        return [f"{c} received unauthenticated INVALID_KE_PAYLOAD response to DH MODP2048; resending with suggested DH19"]

    def psk_garbled(self, st: SideState, arg: object) -> list[str]:
        s = st.side
        return [f"{self._c(st)} probable authentication failure (mismatch of preshared secrets?): malformed payload in packet",
                f"{self._c(st)} sending notification PAYLOAD_MALFORMED to {s.remote_ip}:500"]

    def psk_mac_mismatch(self, st: SideState, arg: object) -> list[str]:
        if st.side.role == "initiator":
            return [f"{self._c(st)} IKE SA authentication request rejected by peer: AUTHENTICATION_FAILED"]
        return [f"{self._c(st)} authentication failed: computed hash does not match hash received from peer",
                f"{self._c(st)} responding to IKE_AUTH message (ID 1) from {st.side.remote_ip}:500 with encrypted "
                "notification AUTHENTICATION_FAILED"]

    auth_failed_notify = psk_mac_mismatch

    def cert_invalid(self, st: SideState, arg: object) -> list[str]:
        s = st.side
        if not s.is_a:
            return [f"{self._c(st)} IKE SA authentication request rejected by peer: AUTHENTICATION_FAILED"
                    if s.role == "initiator" else f"{self._c(st)} received AUTHENTICATION_FAILED notification"]
        return [f"{self._c(st)} NSS: ERROR: IPsec certificate CN={s.remote_name}.example.net invalid: "
                "SEC_ERROR_EXPIRED_CERTIFICATE: Peer's Certificate has expired.",
                f"{self._c(st)} X509: certificate payload rejected for this connection"]

    def no_peer_config(self, st: SideState, arg: object) -> list[str]:
        if st.side.role == "initiator":
            return self.psk_mac_mismatch(st, arg)
        return [f"{self._c(st)} no suitable connection for peer '@{st.side.remote_name}.example.org'"]

    def idr_mismatch(self, st: SideState, arg: object) -> list[str]:
        s = st.side
        if s.role == "responder":
            return [f"{self._c(st)} received AUTHENTICATION_FAILED notification"]
        if s.ike_version == 1:
            return [f"{self._c(st)} we require IKEv1 peer to have ID '{s.remote_id}', but peer declares '@{s.remote_name}.example.org'"]
        return [f"{self._c(st)} peer ID_DER_ASN1_DN 'CN={s.remote_name}.example.org' does not match expected 'CN={s.remote_id}'"]

    def psk_not_found(self, st: SideState, arg: object) -> list[str]:
        s = st.side
        if s.role == "initiator":
            return self.psk_mac_mismatch(st, arg)
        return [f"{self._c(st)} authentication failed: no PSK found for '{s.remote_id}'"]

    def ts_unacceptable(self, st: SideState, arg: object) -> list[str]:
        s = st.side
        est = self.ike_established(st, None)
        self.new_child(st)
        c = self._c(st, child=True)
        if s.ike_version == 1:
            if s.role == "responder":
                return [*est, f"{self._c(st)} cannot respond to IPsec SA request because no connection is known for "
                              f"{s.remote_ts}==={s.remote_ip}...{s.local_ip}==={s.local_ts}"]
            return [*est, f"{self._c(st)} ignoring informational payload INVALID_ID_INFORMATION, msgid=00000000, length=12"]
        if s.role == "responder":
            return [*est, f"{c} No IKEv2 connection found with compatible Traffic Selectors"]
        return [*est, f"{c} IKE_AUTH response rejected Child SA with TS_UNACCEPTABLE"]

    def child_no_proposal(self, st: SideState, arg: object) -> list[str]:
        s = st.side
        est = self.ike_established(st, None)
        self.new_child(st)
        c = self._c(st, child=True)
        if s.role == "responder":
            return [*est, f"{c} no local proposal matches remote proposals 1:ESP:ENCR=AES_CBC_128;INTEG=HMAC_SHA1_96;ESN=DISABLED"]
        return [*est, f"{c} IKE_AUTH response rejected Child SA with NO_PROPOSAL_CHOSEN"]

    def rekey_pfs_fail(self, st: SideState, arg: object) -> list[str]:
        c = self._c(st, child=True)
        if st.side.role == "responder":
            return [f"{c} no local proposal matches remote proposals 1:ESP:ENCR=AES_GCM_16_256;KE=MODP2048;ESN=DISABLED"]
        return [f"{c} CREATE_CHILD_SA failed with error notification NO_PROPOSAL_CHOSEN"]

    def kernel_sa_fail(self, st: SideState, arg: object) -> list[str]:
        s = st.side
        est = self.ike_established(st, None)
        self.new_child(st)
        c = self._c(st, child=True)
        return [*est, f"{c} ERROR: netlink response for Add SA esp.{st.spi_in}@{s.local_ip} included errno 38: Function not implemented",
                f"{c} ERROR: netlink response for Add SA esp.{st.spi_out}@{s.remote_ip} included errno 38: Function not implemented"]

    def device(self, t: float, roll: float, out: list[tuple[float, str]]) -> None:
        bsd = self.bsd(t)
        k = int(roll * 1000) % 4
        pid = 1000 + int(roll * 30000)
        other = (f"{bsd} {self.host} sshd[{pid}]: Accepted publickey for netops from 10.0.0.{k + 10} port {40000 + pid % 20000} ssh2",
                 f"{bsd} {self.host} CROND[{pid}]: (root) CMD (/usr/libexec/ipsec/ipsec-check)",
                 f"{bsd} {self.host} systemd[1]: Started Session {pid % 900} of User netops.",
                 f"{bsd} {self.host} chronyd[712]: Selected source 192.0.2.123 (ntp.example.net)")
        out.append((t, other[k]))
