"""strongSwan charon, healthy half: line helpers, setup, retransmits, device noise.

strongswan.py adds the failure steps. Texts follow charon 5.9's DBG1 strings at default log levels.
"""

from __future__ import annotations

from streams.simulate.vendors.base import Renderer, SideState

THREADS = tuple(f"{i:02d}" for i in range(1, 17))  # charon's worker thread numbers
IKE_PROP = "IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048"
PEER_IKE_PROP = "IKE:AES_CBC_128/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024"
ESP_PROP = "ESP:AES_GCM_16_256/NO_EXT_SEQ"
INIT_REQ = "[ SA KE No N(NATD_S_IP) N(NATD_D_IP) N(FRAG_SUP) N(HASH_ALG) N(REDIR_SUP) ]"
INIT_RESP = "[ SA KE No N(NATD_S_IP) N(NATD_D_IP) N(FRAG_SUP) N(HASH_ALG) N(MULT_AUTH) ]"
AUTH_REQ = "[ IDi N(INIT_CONTACT) IDr AUTH SA TSi TSr N(MOBIKE_SUP) N(ADD_4_ADDR) N(MULT_AUTH) N(EAP_ONLY) N(MSG_ID_SYN_SUP) ]"


class StrongswanCore(Renderer):
    vendor = "strongswan"

    def prefix(self, t: float) -> str:
        return f"{self.bsd(t)} {self.host} charon[{self.gw.pid}]: "

    # --- line builders ---------------------------------------------------------------------------
    def _p(self, st: SideState) -> tuple[str, str]:
        """Thread number and `<conn|id>` tag for the lines of one step (one worker thread handles it)."""
        return THREADS[int(self.rng.random() * 16)], f"<{st.side.conn}|{st.ike_uid}>"

    def _port(self, st: SideState) -> int:
        return 500 if st.mid == 0 else 4500

    def _send(self, st: SideState, thr: str, tag: str, size: int) -> str:
        s, p = st.side, self._port(st)
        return f"{thr}[NET] {tag} sending packet: from {s.local_ip}[{p}] to {s.remote_ip}[{p}] ({size} bytes)"

    def _recv(self, st: SideState, thr: str, tag: str, size: int) -> str:
        s, p = st.side, self._port(st)
        return f"{thr}[NET] {tag} received packet: from {s.remote_ip}[{p}] to {s.local_ip}[{p}] ({size} bytes)"

    def _between(self, st: SideState) -> str:
        s = st.side
        return f"{s.local_ip}[{s.local_id}]...{s.remote_ip}[{s.remote_id}]"

    def _child_tag(self, st: SideState) -> str:
        return f"{st.side.child}{{{st.child_uid}}}"

    def _v1(self, st: SideState) -> bool:
        return st.side.ike_version == 1

    def _request(self, st: SideState, thr: str, tag: str, exchange: str, payloads: str, size: int) -> list[str]:
        return [f"{thr}[ENC] {tag} generating {exchange} request {st.mid} {payloads}", self._send(st, thr, tag, size)]

    def _notify_back(self, st: SideState, thr: str, tag: str, exchange: str, notify: str) -> list[str]:
        """The responder's refusal: a response carrying only the error notify."""
        kind = "response" if exchange != "INFORMATIONAL_V1" else "request"
        return [f"{thr}[ENC] {tag} generating {exchange} {kind} {st.mid} [ N({notify}) ]",
                self._send(st, thr, tag, 76)]

    def _auth_failed_in(self, st: SideState, thr: str, tag: str) -> list[str]:
        if self._v1(st):
            return [self._recv(st, thr, tag, 92), f"{thr}[ENC] {tag} parsed INFORMATIONAL_V1 request 2217 [ N(AUTH_FAILED) ]",
                    f"{thr}[IKE] {tag} received AUTHENTICATION_FAILED error notify"]
        return [self._recv(st, thr, tag, 76), f"{thr}[ENC] {tag} parsed IKE_AUTH response 1 [ N(AUTH_FAILED) ]",
                f"{thr}[IKE] {tag} received AUTHENTICATION_FAILED notify error"]

    # --- setup ---------------------------------------------------------------------------------
    def ike_start(self, st: SideState, arg: object) -> list[str]:
        s = st.side
        if arg != "again":
            self.new_ike(st)
        st.mid = 0
        thr, tag = self._p(st)
        if s.role == "responder":
            ex = "ID_PROT" if self._v1(st) else "IKE_SA_INIT"
            pl = "[ SA V V V V V ]" if self._v1(st) else INIT_REQ
            return [self._recv(st, thr, f"<{st.ike_uid}>", 464), f"{thr}[ENC] <{st.ike_uid}> parsed {ex} request 0 {pl}",
                    f"{thr}[IKE] <{st.ike_uid}> {s.remote_ip} is initiating a{' Main Mode' if self._v1(st) else 'n'} IKE_SA"]
        if self._v1(st):
            return [f"{thr}[IKE] {tag} initiating Main Mode IKE_SA {s.conn}[{st.ike_uid}] to {s.remote_ip}",
                    *self._request(st, thr, tag, "ID_PROT", "[ SA V V V V V ]", 180)]
        return [f"{thr}[IKE] {tag} initiating IKE_SA {s.conn}[{st.ike_uid}] to {s.remote_ip}",
                *self._request(st, thr, tag, "IKE_SA_INIT", INIT_REQ, 464)]

    def ike_init_ok(self, st: SideState, arg: object) -> list[str]:
        s = st.side
        thr, tag = self._p(st)
        if self._v1(st) and s.role == "responder":
            u = f"<{st.ike_uid}>"
            out = [f"{thr}[CFG] {u} selected proposal: {IKE_PROP}",
                   f"{thr}[ENC] {u} generating ID_PROT response 0 [ SA V V V ]", self._send(st, thr, u, 160),
                   self._recv(st, thr, u, 372), f"{thr}[ENC] {u} parsed ID_PROT request 0 [ KE No NAT-D NAT-D ]",
                   f"{thr}[ENC] {u} generating ID_PROT response 0 [ KE No NAT-D NAT-D ]", self._send(st, thr, u, 372)]
            st.mid = 1
            return [*out, self._recv(st, thr, u, 108), f"{thr}[ENC] {u} parsed ID_PROT request 0 [ ID HASH N(INITIAL_CONTACT) ]",
                    f"{thr}[CFG] {u} looking for pre-shared key peer configs matching {s.local_ip}...{s.remote_ip}[{s.remote_id}]"]
        if self._v1(st):
            out = [self._recv(st, thr, tag, 160), f"{thr}[ENC] {tag} parsed ID_PROT response 0 [ SA V V V ]",
                   f"{thr}[IKE] {tag} received NAT-T (RFC 3947) vendor ID", f"{thr}[IKE] {tag} received DPD vendor ID",
                   f"{thr}[CFG] {tag} selected proposal: {IKE_PROP}"]
            out += self._request(st, thr, tag, "ID_PROT", "[ KE No NAT-D NAT-D ]", 372)
            out += [self._recv(st, thr, tag, 372), f"{thr}[ENC] {tag} parsed ID_PROT response 0 [ KE No NAT-D NAT-D ]"]
            st.mid = 1  # NAT-T: port 4500 from here on
            return [*out, *self._request(st, thr, tag, "ID_PROT", "[ ID HASH N(INITIAL_CONTACT) ]", 108)]
        if s.role == "responder":
            u = f"<{st.ike_uid}>"
            out = [f"{thr}[CFG] {u} selected proposal: {IKE_PROP}",
                   f"{thr}[ENC] {u} generating IKE_SA_INIT response 0 {INIT_RESP}", self._send(st, thr, u, 472)]
            st.mid = 1
            return [*out, self._recv(st, thr, u, 348), f"{thr}[ENC] {u} parsed IKE_AUTH request 1 {AUTH_REQ}",
                    f"{thr}[CFG] {u} looking for peer configs matching {s.local_ip}[%any]...{s.remote_ip}[{s.remote_id}]"]
        out = [self._recv(st, thr, tag, 472), f"{thr}[ENC] {tag} parsed IKE_SA_INIT response 0 {INIT_RESP}",
               f"{thr}[CFG] {tag} selected proposal: {IKE_PROP}",
               f"{thr}[IKE] {tag} authentication of '{s.local_id}' (myself) with pre-shared key",
               f"{thr}[IKE] {tag} establishing CHILD_SA {s.child}{{{self.next_child}}}"]
        st.mid = 1
        return [*out, *self._request(st, thr, tag, "IKE_AUTH", AUTH_REQ, 348)]

    def _established(self, st: SideState, thr: str, tag: str) -> list[str]:
        s = st.side
        life = s.tunnel.ike_life
        word = "reauthentication" if self._v1(st) else "rekeying"
        st.up = True
        return [f"{thr}[IKE] {tag} IKE_SA {s.conn}[{st.ike_uid}] established between {self._between(st)}",
                f"{thr}[IKE] {tag} scheduling {word} in {int(life * 0.9)}s",
                f"{thr}[IKE] {tag} maximum IKE_SA lifetime {int(life * 1.1)}s"]

    def ike_established(self, st: SideState, arg: object) -> list[str]:
        s = st.side
        thr, tag = self._p(st)
        if self._v1(st):
            if s.role == "responder":
                return [f"{thr}[CFG] {tag} selected peer config \"{s.conn}\"", *self._established(st, thr, tag),
                        f"{thr}[ENC] {tag} generating ID_PROT response 0 [ ID HASH ]", self._send(st, thr, tag, 76)]
            return [self._recv(st, thr, tag, 76), f"{thr}[ENC] {tag} parsed ID_PROT response 0 [ ID HASH ]",
                    *self._established(st, thr, tag)]
        if s.role == "responder":
            return [f"{thr}[CFG] {tag} selected peer config '{s.conn}'",
                    f"{thr}[IKE] {tag} authentication of '{s.remote_id}' with pre-shared key successful",
                    f"{thr}[IKE] {tag} authentication of '{s.local_id}' (myself) with pre-shared key",
                    *self._established(st, thr, tag)]
        return [self._recv(st, thr, tag, 236), f"{thr}[ENC] {tag} parsed IKE_AUTH response 1 [ IDr AUTH SA TSi TSr N(AUTH_LFT) ]",
                f"{thr}[IKE] {tag} authentication of '{s.remote_id}' with pre-shared key successful",
                *self._established(st, thr, tag)]

    def child_established(self, st: SideState, arg: object) -> list[str]:
        s = st.side
        thr, tag = self._p(st)
        self.new_child(st)
        done = [f"{thr}[CFG] {tag} selected proposal: {ESP_PROP}",
                f"{thr}[IKE] {tag} CHILD_SA {self._child_tag(st)} established with SPIs {st.spi_in}_i {st.spi_out}_o "
                f"and TS {s.local_ts} === {s.remote_ts}"]
        if self._v1(st):
            qm = 1000000000 + self.rng.randrange(3000000000)
            verb = "request" if s.role == "initiator" else "response"
            return [f"{thr}[ENC] {tag} generating QUICK_MODE {verb} {qm} [ HASH SA No ID ID ]", self._send(st, thr, tag, 204),
                    self._recv(st, thr, tag, 204), f"{thr}[ENC] {tag} parsed QUICK_MODE {verb} {qm} [ HASH SA No ID ID ]",
                    *done]
        if s.role == "responder":
            st.mid = 2
            return [f"{thr}[CFG] {tag} looking for a child config for {s.local_ts} === {s.remote_ts}", *done,
                    f"{thr}[ENC] {tag} generating IKE_AUTH response 1 [ IDr AUTH SA TSi TSr N(AUTH_LFT) N(MOBIKE_SUP) ]",
                    self._send(st, thr, tag, 236)]
        st.mid = 2
        return done

    def retransmit(self, st: SideState, arg: object) -> list[str]:
        if st.side.role == "responder" and not st.up:
            return []
        thr, tag = self._p(st)
        return [f"{thr}[IKE] {tag} retransmit {arg} of request with message ID {st.mid}", self._send(st, thr, tag, 464)]

    def give_up(self, st: SideState, arg: object) -> list[str]:
        thr, tag = self._p(st)
        return [f"{thr}[IKE] {tag} giving up after {arg} retransmits",
                f"{thr}[IKE] {tag} establishing IKE_SA failed, peer not responding"]

    def device(self, t: float, roll: float, out: list[tuple[float, str]]) -> None:
        """A Linux gateway's other programs: sshd, cron, systemd, kernel, and charon's vici chatter."""
        bsd = self.bsd(t)
        k = int(roll * 1000) % 8
        pid = 1000 + int(roll * 30000)
        other = (
            f"{bsd} {self.host} sshd[{pid}]: Accepted publickey for netops from 10.0.0.{k + 10} port {40000 + pid % 20000} ssh2: ED25519 SHA256:Zk3lJ0e9Qh0sWn1rVb8",
            f"{bsd} {self.host} CRON[{pid}]: (root) CMD (/usr/local/bin/ipsec-export-metrics)",
            f"{bsd} {self.host} systemd[1]: Started Session {pid % 900} of User netops.",
            f"{bsd} {self.host} kernel: [{int(t) % 9000000}.{pid % 1000:03d}] nft-drop IN=eth0 OUT= SRC=203.0.113.{k + 200} DST={self.gw.ip} PROTO=TCP DPT=22",
            f"{bsd} {self.host} charon[{self.gw.pid}]: 0{k + 1}[KNL] interface eth{k % 3} activated",
            f"{bsd} {self.host} rsyslogd[511]: imjournal: journal files changed, reloading...  [v8.2302.0]",
            f"{bsd} {self.host} systemd-timesyncd[412]: Initial synchronization to time server 192.0.2.123:123 (ntp.example.net).",
            f"{bsd} {self.host} sshd[{pid}]: pam_unix(sshd:session): session closed for user netops",
        )
        out.append((t, other[k]))

