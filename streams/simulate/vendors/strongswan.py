"""strongSwan charon (5.9, default log levels) through syslog: `charon[pid]: 09[IKE] <conn|3> ...`.

Runtime exchanges (rekeys, DPD) and every failure step. Texts follow charon's DBG1 strings
(ike_init.c, child_create.c, child_rekey.c, psk_authenticator.c) and shared reference 000: TS_UNACCEPT
behind `IDr payload missing`, IKEv1 `invalid HASH_V1 payload length`, netlink error 38, vici 524288.
"""

from __future__ import annotations

from streams.simulate.vendors.base import SideState
from streams.simulate.vendors.strongswan_core import ESP_PROP, IKE_PROP, PEER_IKE_PROP, StrongswanCore


class Strongswan(StrongswanCore):
    classes = frozenset({
        "ike.proposal_mismatch", "ike.dh_group_mismatch", "ike.auth_failed.psk_mismatch",
        "ike.auth_failed.certificate", "ike.auth_failed", "ike.id_mismatch", "ike.psk_not_found",
        "ike.invalid_version", "ike.attributes_not_supported", "ike.peer_unreachable", "ike.dpd_timeout",
        "child.ts_unacceptable", "child.mode_mismatch", "child.proposal_mismatch",
        "child.rekey_pfs_mismatch", "kernel.cipher_unsupported", "control.vici_message_too_large",
    })

    # --- runtime ---------------------------------------------------------------------------------
    def child_rekey(self, st: SideState, arg: object) -> list[str]:
        s = st.side
        thr, tag = self._p(st)
        old_tag, old_in, old_out = self._child_tag(st), st.spi_in, st.spi_out
        if self._v1(st):
            self.new_child(st)
            return [f"{thr}[KNL] {tag} creating rekey job for CHILD_SA ESP/0x{old_out}/{s.remote_ip}",
                    f"{thr}[IKE] {tag} CHILD_SA {self._child_tag(st)} established with SPIs {st.spi_in}_i {st.spi_out}_o "
                    f"and TS {s.local_ts} === {s.remote_ts}"]
        mid = st.mid
        st.mid += 2
        self.new_child(st)
        done = [f"{thr}[CFG] {tag} selected proposal: {ESP_PROP}",
                f"{thr}[IKE] {tag} CHILD_SA {self._child_tag(st)} established with SPIs {st.spi_in}_i {st.spi_out}_o "
                f"and TS {s.local_ts} === {s.remote_ts}"]
        close = f"{thr}[IKE] {tag} closing CHILD_SA {old_tag} with SPIs {old_in}_i (184320 bytes) {old_out}_o (201216 bytes) " \
                f"and TS {s.local_ts} === {s.remote_ts}"
        if s.role == "initiator":
            return [f"{thr}[KNL] {tag} creating rekey job for CHILD_SA ESP/0x{old_out}/{s.remote_ip}",
                    f"{thr}[ENC] {tag} generating CREATE_CHILD_SA request {mid} [ N(REKEY_SA) SA No TSi TSr ]",
                    self._send(st, thr, tag, 288), self._recv(st, thr, tag, 256),
                    f"{thr}[ENC] {tag} parsed CREATE_CHILD_SA response {mid} [ SA No TSi TSr ]", *done, close,
                    f"{thr}[IKE] {tag} sending DELETE for ESP CHILD_SA with SPI {old_in}",
                    f"{thr}[ENC] {tag} generating INFORMATIONAL request {mid + 1} [ D ]", self._send(st, thr, tag, 80)]
        return [self._recv(st, thr, tag, 288), f"{thr}[ENC] {tag} parsed CREATE_CHILD_SA request {mid} [ N(REKEY_SA) SA No TSi TSr ]",
                *done, f"{thr}[ENC] {tag} generating CREATE_CHILD_SA response {mid} [ SA No TSi TSr ]",
                self._send(st, thr, tag, 256), f"{thr}[IKE] {tag} received DELETE for ESP CHILD_SA with SPI {old_out}", close]

    def ike_rekey(self, st: SideState, arg: object) -> list[str]:
        s = st.side
        thr, tag = self._p(st)
        old = st.ike_uid
        if self._v1(st):
            self.new_ike(st)
            st.mid = 1
            return [f"{thr}[IKE] {tag} reauthenticating IKE_SA {s.conn}[{old}]",
                    f"{thr}[IKE] <{s.conn}|{st.ike_uid}> IKE_SA {s.conn}[{st.ike_uid}] established between {self._between(st)}"]
        mid = st.mid
        self.new_ike(st)
        st.mid = 1
        new_tag = f"<{s.conn}|{st.ike_uid}>"
        if s.role == "initiator":
            return [f"{thr}[ENC] {tag} generating CREATE_CHILD_SA request {mid} [ SA No KE ]", self._send(st, thr, tag, 336),
                    self._recv(st, thr, tag, 336), f"{thr}[ENC] {tag} parsed CREATE_CHILD_SA response {mid} [ SA No KE ]",
                    f"{thr}[CFG] {tag} selected proposal: {IKE_PROP}",
                    f"{thr}[IKE] {tag} scheduling rekeying in {int(s.tunnel.ike_life * 0.9)}s",
                    f"{thr}[IKE] {tag} maximum IKE_SA lifetime {int(s.tunnel.ike_life * 1.1)}s",
                    f"{thr}[IKE] {new_tag} IKE_SA {s.conn}[{st.ike_uid}] rekeyed between {s.local_ip}[{s.local_id}]...{s.remote_ip}[{s.remote_id}]",
                    f"{thr}[IKE] {tag} deleting IKE_SA {s.conn}[{old}] between {self._between(st)}"]
        return [self._recv(st, thr, tag, 336), f"{thr}[ENC] {tag} parsed CREATE_CHILD_SA request {mid} [ SA No KE ]",
                f"{thr}[CFG] {tag} selected proposal: {IKE_PROP}",
                f"{thr}[ENC] {tag} generating CREATE_CHILD_SA response {mid} [ SA No KE ]", self._send(st, thr, tag, 336),
                f"{thr}[IKE] {tag} received DELETE for IKE_SA {s.conn}[{old}]",
                f"{thr}[IKE] {tag} deleting IKE_SA {s.conn}[{old}] between {self._between(st)}",
                f"{thr}[IKE] {tag} IKE_SA deleted"]

    def dpd(self, st: SideState, arg: object) -> list[str]:
        thr, tag = self._p(st)
        mid = st.mid
        st.mid += 1
        if self._v1(st):
            seq = 1000000000 + self.rng.randrange(3000000000)
            if st.side.role == "initiator":
                return [f"{thr}[IKE] {tag} sending DPD request", f"{thr}[ENC] {tag} generating INFORMATIONAL_V1 request {seq} [ HASH N(DPD) ]",
                        self._send(st, thr, tag, 108), self._recv(st, thr, tag, 108),
                        f"{thr}[ENC] {tag} parsed INFORMATIONAL_V1 request {seq + 7} [ HASH N(DPD_ACK) ]"]
            return [self._recv(st, thr, tag, 108), f"{thr}[ENC] {tag} parsed INFORMATIONAL_V1 request {seq} [ HASH N(DPD) ]",
                    f"{thr}[ENC] {tag} generating INFORMATIONAL_V1 request {seq + 7} [ HASH N(DPD_ACK) ]", self._send(st, thr, tag, 108)]
        if st.side.role == "initiator":
            return [f"{thr}[IKE] {tag} sending DPD request", f"{thr}[ENC] {tag} generating INFORMATIONAL request {mid} [ ]",
                    self._send(st, thr, tag, 80), self._recv(st, thr, tag, 80), f"{thr}[ENC] {tag} parsed INFORMATIONAL response {mid} [ ]"]
        return [self._recv(st, thr, tag, 80), f"{thr}[ENC] {tag} parsed INFORMATIONAL request {mid} [ ]",
                f"{thr}[ENC] {tag} generating INFORMATIONAL response {mid} [ ]", self._send(st, thr, tag, 80)]

    def dpd_miss(self, st: SideState, arg: object) -> list[str]:
        st.up = True
        thr, tag = self._p(st)
        ex = "INFORMATIONAL_V1" if self._v1(st) else "INFORMATIONAL"
        payloads = "[ HASH N(DPD) ]" if self._v1(st) else "[ ]"
        return [f"{thr}[IKE] {tag} sending DPD request", f"{thr}[ENC] {tag} generating {ex} request {st.mid} {payloads}",
                self._send(st, thr, tag, 80)]

    def dpd_dead(self, st: SideState, arg: object) -> list[str]:
        s = st.side
        thr, tag = self._p(st)
        st.up = False
        first = f"{thr}[IKE] {tag} DPD check timed out, enforcing DPD action" if self._v1(st) else \
            f"{thr}[IKE] {tag} giving up after {arg} retransmits"
        return [first, f"{thr}[IKE] {tag} deleting IKE_SA {s.conn}[{st.ike_uid}] between {self._between(st)}",
                f"{thr}[IKE] {tag} closing CHILD_SA {self._child_tag(st)} with SPIs {st.spi_in}_i (0 bytes) {st.spi_out}_o (0 bytes) "
                f"and TS {s.local_ts} === {s.remote_ts}"]

    # --- IKE failures ---------------------------------------------------------------------------
    def ike_no_proposal(self, st: SideState, arg: object) -> list[str]:
        thr, tag = self._p(st)
        v1 = self._v1(st)
        if st.side.role == "responder":
            u = f"<{st.ike_uid}>"
            return [f"{thr}[CFG] {u} received proposals: {PEER_IKE_PROP}", f"{thr}[CFG] {u} configured proposals: {IKE_PROP}",
                    f"{thr}[IKE] {u} {'no proposal found' if v1 else 'received proposals unacceptable'}",
                    *self._notify_back(st, thr, u, "INFORMATIONAL_V1" if v1 else "IKE_SA_INIT", "NO_PROP")]
        if v1:
            return [self._recv(st, thr, tag, 76), f"{thr}[ENC] {tag} parsed INFORMATIONAL_V1 request 3104928172 [ N(NO_PROP) ]",
                    f"{thr}[IKE] {tag} received NO_PROPOSAL_CHOSEN error notify"]
        return [self._recv(st, thr, tag, 36), f"{thr}[ENC] {tag} parsed IKE_SA_INIT response 0 [ N(NO_PROP) ]",
                f"{thr}[IKE] {tag} received NO_PROPOSAL_CHOSEN notify error"]

    def dh_rejected(self, st: SideState, arg: object) -> list[str]:
        thr, tag = self._p(st)
        if st.side.role == "responder":
            u = f"<{st.ike_uid}>"
            return [f"{thr}[IKE] {u} DH group MODP_2048 unacceptable, requesting ECP_256",
                    *self._notify_back(st, thr, u, "IKE_SA_INIT", "INVAL_KE")]
        return [self._recv(st, thr, tag, 38), f"{thr}[ENC] {tag} parsed IKE_SA_INIT response 0 [ N(INVAL_KE) ]",
                f"{thr}[IKE] {tag} peer didn't accept DH group MODP_2048, it requested ECP_256"]

    def psk_garbled(self, st: SideState, arg: object) -> list[str]:
        """IKEv1 main mode under a wrong PSK: the encrypted ID/HASH message cannot be decrypted."""
        thr, tag = self._p(st)
        verb = "request" if st.side.role == "responder" else "response"
        return [self._recv(st, thr, tag, 108), f"{thr}[ENC] {tag} invalid HASH_V1 payload length, decryption failed?",
                f"{thr}[ENC] {tag} could not decrypt payloads", f"{thr}[IKE] {tag} message parsing failed",
                f"{thr}[IKE] {tag} ID_PROT {verb} with message ID 0 processing failed"]

    def psk_mac_mismatch(self, st: SideState, arg: object) -> list[str]:
        s = st.side
        thr, tag = self._p(st)
        if s.role == "initiator":
            return self._auth_failed_in(st, thr, tag)
        return [f"{thr}[CFG] {tag} selected peer config '{s.conn}'",
                f"{thr}[IKE] {tag} tried 1 shared key for '{s.local_id}' - '{s.remote_id}', but MAC mismatched",
                *self._notify_back(st, thr, tag, "IKE_AUTH", "AUTH_FAILED")]

    auth_failed_notify = psk_mac_mismatch

    def cert_invalid(self, st: SideState, arg: object) -> list[str]:
        s = st.side
        thr, tag = self._p(st)
        target = s.is_a
        if not target:  # the other end refused our certificate, or we got its refusal of its own
            if s.role == "initiator":
                return self._auth_failed_in(st, thr, tag)
            return [self._recv(st, thr, tag, 76), f"{thr}[ENC] {tag} parsed INFORMATIONAL request 2 [ N(AUTH_FAILED) ]",
                    f"{thr}[IKE] {tag} received AUTHENTICATION_FAILED notify error"]
        subject = f"C=US, O=Example, CN={s.remote_name}.example.net"
        out = [f"{thr}[IKE] {tag} received end entity cert \"{subject}\"",
               f"{thr}[CFG] {tag}   using certificate \"{subject}\"",
               f"{thr}[CFG] {tag} subject certificate invalid (valid from Jan 31 00:00:00 2025 to Jan 31 00:00:00 2026)",
               f"{thr}[CFG] {tag} no trusted RSA public key found for '{s.remote_name}.example.net'"]
        if s.role == "initiator":
            return [self._recv(st, thr, tag, 1324), f"{thr}[ENC] {tag} parsed IKE_AUTH response 1 [ IDr CERT AUTH SA TSi TSr ]", *out,
                    f"{thr}[ENC] {tag} generating INFORMATIONAL request 2 [ N(AUTH_FAILED) ]", self._send(st, thr, tag, 76)]
        return [f"{thr}[CFG] {tag} selected peer config '{s.conn}'", *out,
                *self._notify_back(st, thr, tag, "IKE_AUTH", "AUTH_FAILED")]

    def no_peer_config(self, st: SideState, arg: object) -> list[str]:
        s = st.side
        thr, tag = self._p(st)
        if s.role == "initiator":
            return self._auth_failed_in(st, thr, tag)
        u = f"<{st.ike_uid}>"
        return [f"{thr}[CFG] {u} looking for peer configs matching {s.local_ip}[{s.local_id}]...{s.remote_ip}[{s.remote_name}.example.org]",
                f"{thr}[CFG] {u} no matching peer config found", *self._notify_back(st, thr, u, "IKE_AUTH", "AUTH_FAILED")]

    def idr_mismatch(self, st: SideState, arg: object) -> list[str]:
        s = st.side
        thr, tag = self._p(st)
        if s.role == "responder":
            return [self._recv(st, thr, tag, 76), f"{thr}[ENC] {tag} parsed INFORMATIONAL request 2 [ N(AUTH_FAILED) ]",
                    f"{thr}[IKE] {tag} received AUTHENTICATION_FAILED notify error"]
        parsed = "ID_PROT response 0 [ ID HASH ]" if self._v1(st) else "IKE_AUTH response 1 [ IDr AUTH SA TSi TSr ]"
        return [self._recv(st, thr, tag, 236), f"{thr}[ENC] {tag} parsed {parsed}",
                f"{thr}[CFG] {tag} IDir '{s.remote_name}.example.org' does not match to '{s.remote_id}'",
                f"{thr}[ENC] {tag} generating INFORMATIONAL request 2 [ N(AUTH_FAILED) ]", self._send(st, thr, tag, 76)]

    def psk_not_found(self, st: SideState, arg: object) -> list[str]:
        s = st.side
        thr, tag = self._p(st)
        if s.role == "initiator":
            return self._auth_failed_in(st, thr, tag)
        return [f"{thr}[CFG] {tag} selected peer config '{s.conn}'",
                f"{thr}[IKE] {tag} no shared key found for '{s.local_id}' - '{s.remote_id}'",
                *self._notify_back(st, thr, tag, "INFORMATIONAL_V1" if self._v1(st) else "IKE_AUTH", "AUTH_FAILED")]

    def invalid_version(self, st: SideState, arg: object) -> list[str]:
        thr, tag = self._p(st)
        return [self._recv(st, thr, tag, 40), f"{thr}[ENC] {tag} parsed IKE_SA_INIT response 0 [ N(INVAL_MAJOR) ]",
                f"{thr}[IKE] {tag} received INVALID_MAJOR_VERSION notify error"]

    def attrs_not_supported(self, st: SideState, arg: object) -> list[str]:
        thr, tag = self._p(st)
        return [self._recv(st, thr, tag, 76), f"{thr}[ENC] {tag} parsed INFORMATIONAL_V1 request 2631823337 [ HASH N(ATTR_NOT_SUPP) ]",
                f"{thr}[IKE] {tag} received ATTRIBUTES_NOT_SUPPORTED error notify"]

    # --- CHILD_SA failures -----------------------------------------------------------------------
    def _child_refused(self, st: SideState, thr: str, tag: str, notify: str, lookup: str | None) -> list[str]:
        """Responder: IKE_SA comes up, the CHILD_SA is refused with `notify`."""
        s = st.side
        out = self.ike_established(st, None)
        if lookup is not None:
            out.append(f"{thr}[CFG] {tag} looking for a child config for {lookup}")
        out += [f"{thr}[IKE] {tag} no matching CHILD_SA config found" if notify == "TS_UNACCEPT"
                else f"{thr}[IKE] {tag} no acceptable proposal found",
                f"{thr}[IKE] {tag} failed to establish CHILD_SA, keeping IKE_SA",
                f"{thr}[ENC] {tag} generating IKE_AUTH response 1 [ IDr AUTH N({notify}) ]", self._send(st, thr, tag, 220)]
        if notify == "NO_PROP":
            out[-4:-4] = [f"{thr}[CFG] {tag} received proposals: ESP:AES_CBC_128/HMAC_SHA1_96/NO_EXT_SEQ",
                          f"{thr}[CFG] {tag} configured proposals: {ESP_PROP}"]
        del s
        return out

    def ts_unacceptable(self, st: SideState, arg: object) -> list[str]:
        s = st.side
        thr, tag = self._p(st)
        if self._v1(st):
            out = self.ike_established(st, None)
            if s.role == "responder":
                return [*out, f"{thr}[IKE] {tag} no matching CHILD_SA config found for {s.local_ts} === {s.remote_ts}",
                        f"{thr}[ENC] {tag} generating INFORMATIONAL_V1 request 1773948817 [ HASH N(INVAL_ID) ]",
                        self._send(st, thr, tag, 92)]
            return [*out, f"{thr}[ENC] {tag} generating QUICK_MODE request 2894716212 [ HASH SA No ID ID ]",
                    self._send(st, thr, tag, 204), self._recv(st, thr, tag, 92),
                    f"{thr}[ENC] {tag} parsed INFORMATIONAL_V1 request 1773948817 [ HASH N(INVAL_ID) ]",
                    f"{thr}[IKE] {tag} received INVALID_ID_INFORMATION error notify"]
        if s.role == "responder":
            return self._child_refused(st, thr, tag, "TS_UNACCEPT", f"{s.local_ts} === {s.remote_ts}")
        if self.rng.random() < 0.5:  # the peer (a Meraki, say) answers IKE_AUTH with the notify alone
            return [self._recv(st, thr, tag, 76), f"{thr}[ENC] {tag} parsed IKE_AUTH response 1 [ N(TS_UNACCEPT) ]",
                    f"{thr}[IKE] {tag} IDr payload missing",
                    f"{thr}[ENC] {tag} generating INFORMATIONAL request 2 [ N(AUTH_FAILED) ]", self._send(st, thr, tag, 76)]
        return [self._recv(st, thr, tag, 220), f"{thr}[ENC] {tag} parsed IKE_AUTH response 1 [ IDr AUTH N(TS_UNACCEPT) ]",
                f"{thr}[IKE] {tag} authentication of '{s.remote_id}' with pre-shared key successful",
                *self._established(st, thr, tag), f"{thr}[IKE] {tag} received TS_UNACCEPTABLE notify, no CHILD_SA built",
                f"{thr}[IKE] {tag} failed to establish CHILD_SA, keeping IKE_SA"]

    def ts_nat_transport(self, st: SideState, arg: object) -> list[str]:
        s = st.side
        thr, tag = self._p(st)
        if s.role == "initiator":
            return self.ts_unacceptable(st, arg)
        out = self._child_refused(st, thr, tag, "TS_UNACCEPT", f"{s.local_ip}/32 === {s.remote_ip}/32")
        i = next(k for k, line in enumerate(out) if "looking for a child config" in line)
        out.insert(i, f"{thr}[IKE] {tag} changing received traffic selectors {s.remote_ts}=== {s.local_ts} due to NAT")
        return out

    def child_no_proposal(self, st: SideState, arg: object) -> list[str]:
        s = st.side
        thr, tag = self._p(st)
        if s.role == "responder" and not self._v1(st):
            return self._child_refused(st, thr, tag, "NO_PROP", None)
        out = self.ike_established(st, None)
        if self._v1(st):
            return [*out, f"{thr}[ENC] {tag} generating QUICK_MODE request 3355417236 [ HASH SA No ID ID ]",
                    self._send(st, thr, tag, 204), self._recv(st, thr, tag, 92),
                    f"{thr}[ENC] {tag} parsed INFORMATIONAL_V1 request 4096253716 [ HASH N(NO_PROP) ]",
                    f"{thr}[IKE] {tag} received NO_PROPOSAL_CHOSEN error notify"]
        out[1] = f"{thr}[ENC] {tag} parsed IKE_AUTH response 1 [ IDr AUTH N(NO_PROP) ]"
        return [*out, f"{thr}[IKE] {tag} received NO_PROPOSAL_CHOSEN notify, no CHILD_SA built",
                f"{thr}[IKE] {tag} failed to establish CHILD_SA, keeping IKE_SA"]

    def rekey_pfs_fail(self, st: SideState, arg: object) -> list[str]:
        s = st.side
        thr, tag = self._p(st)
        mid = st.mid
        st.mid += 1
        if s.role == "responder":
            return [self._recv(st, thr, tag, 544), f"{thr}[ENC] {tag} parsed CREATE_CHILD_SA request {mid} [ N(REKEY_SA) SA No KE TSi TSr ]",
                    f"{thr}[CFG] {tag} received proposals: ESP:AES_GCM_16_256/MODP_2048/NO_EXT_SEQ",
                    f"{thr}[CFG] {tag} configured proposals: {ESP_PROP}", f"{thr}[IKE] {tag} no acceptable proposal found",
                    f"{thr}[IKE] {tag} failed to establish CHILD_SA, keeping IKE_SA",
                    f"{thr}[ENC] {tag} generating CREATE_CHILD_SA response {mid} [ N(NO_PROP) ]", self._send(st, thr, tag, 80)]
        out = [f"{thr}[KNL] {tag} creating rekey job for CHILD_SA ESP/0x{st.spi_out}/{s.remote_ip}"] if arg == 0 else []
        out += [f"{thr}[ENC] {tag} generating CREATE_CHILD_SA request {mid} [ N(REKEY_SA) SA No KE TSi TSr ]",
                self._send(st, thr, tag, 544), self._recv(st, thr, tag, 80),
                f"{thr}[ENC] {tag} parsed CREATE_CHILD_SA response {mid} [ N(NO_PROP) ]",
                f"{thr}[IKE] {tag} received NO_PROPOSAL_CHOSEN notify, no CHILD_SA built",
                f"{thr}[IKE] {tag} CHILD_SA rekeying failed, trying again in {15 + self.rng.randrange(10)} seconds"]
        return out

    def kernel_sa_fail(self, st: SideState, arg: object) -> list[str]:
        s = st.side
        thr, tag = self._p(st)
        out = self.ike_established(st, None)
        self.new_child(st)
        ct = f"{thr}[CHD] {tag}"
        out += [f"{thr}[CFG] {tag} selected proposal: ESP:3DES_CBC/HMAC_SHA1_96/NO_EXT_SEQ",
                f"{ct} CHILD_SA {self._child_tag(st)} state change: CREATED => INSTALLING",
                f"{ct} using 3DES_CBC for encryption", f"{ct} using HMAC_SHA1_96 for integrity"]
        for direction, spi, src, dst in (("inbound", st.spi_in, s.remote_ip, s.local_ip),
                                         ("outbound", st.spi_out, s.local_ip, s.remote_ip)):
            out += [f"{ct} adding {direction} ESP SA", f"{ct} SPI 0x{spi}, src {src} dst {dst}",
                    f"{thr}[KNL] {tag} received netlink error: Function not implemented (38)",
                    f"{thr}[KNL] {tag} unable to add SAD entry with SPI {spi} (FAILED)"]
        return [*out, f"{thr}[IKE] {tag} unable to install inbound and outbound IPsec SA (SAD) in kernel",
                f"{thr}[IKE] {tag} failed to establish CHILD_SA, keeping IKE_SA",
                f"{thr}[IKE] {tag} sending DELETE for ESP CHILD_SA with SPI {st.spi_in}"]

    def vici_too_large(self, st: SideState, arg: object) -> list[str]:
        """`swanctl --list-sas` by the monitoring: the reply outgrows vici's 512 KiB and is dropped."""
        thr = f"{self.rng.randrange(1, 17):02d}"
        return [f"{thr}[ENC] vici message size {524288 + self.rng.randrange(1, 400000)} exceeds maximum size of 524288, discarded"]
