"""FortiGate (FortiOS 7.x) event logs, subtype vpn, as a syslog server stores them:

    Feb  5 21:29:53 fgt-par-01 date=2026-02-05 time=21:29:53 devname="fgt-par-01" ... logid="0101037124"
      type="event" subtype="vpn" ... action="negotiate" ... status="negotiate_error" reason="peer SA proposal ..."

Log ids and fields from the FortiOS Log Message Reference (37124 phase 1 error, 37125 phase 2 error,
37127/37129 progress, 37133 install SA, 37136 DPD failure, 37138 connection up/down, 37131 ESP error).
"""

from __future__ import annotations

from streams.simulate.vendors.base import Renderer, SideState


class Fortigate(Renderer):
    vendor = "fortigate"
    classes = frozenset({
        "ike.proposal_mismatch", "ike.dh_group_mismatch", "ike.auth_failed.psk_mismatch", "ike.auth_failed.certificate",
        "ike.auth_failed", "ike.id_mismatch", "ike.peer_unreachable", "ike.dpd_timeout", "child.ts_unacceptable",
        "child.proposal_mismatch", "dataplane.replay_check_failed", "dataplane.integrity_check_failed",
    })

    def prefix(self, t: float) -> str:
        tm = self.tm(t)
        return (f"{self.bsd(t)} {self.host} date={tm.tm_year}-{tm.tm_mon:02d}-{tm.tm_mday:02d} "
                f"time={tm.tm_hour:02d}:{tm.tm_min:02d}:{tm.tm_sec:02d} devname=\"{self.host}\" "
                f"devid=\"FG100F{self.gw.index:010d}\" eventtime={int(t * 1e9)} tz=\"+0000\" ")

    def _ev(self, st: SideState, logid: str, level: str, desc: str, action: str, status: str, **kv: str) -> str:
        s = st.side
        local = s.role == "initiator"
        mode = 'mode="main"' if s.ike_version == 1 else f'version="IKEv2" exch="{kv.pop("exch", "SA_INIT")}"'
        extra = " ".join(f'{k}="{v}"' for k, v in kv.items())
        return (f'logid="01010{logid}" type="event" subtype="vpn" level="{level}" vd="root" logdesc="{desc}" '
                f'msg="{desc[0].lower() + desc[1:]}" action="{action}" remip={s.remote_ip} locip={s.local_ip} remport=500 '
                f'locport=500 outintf="wan1" cookies="{st.ike_spi_i}/{st.ike_spi_r}" user="N/A" group="N/A" useralt="N/A" '
                f'xauthuser="N/A" xauthgroup="N/A" assignip=N/A vpntunnel="{s.conn}" status="{status}" '
                f'init="{"local" if local else "remote"}" {mode} role="{s.role}" {extra}').rstrip()

    def _p1(self, st: SideState, result: str, direction: str, stage: int, exch: str = "SA_INIT") -> str:
        return self._ev(st, "37127", "notice", "Progress IPsec phase 1", "negotiate", "success", exch=exch,
                        dir=direction, stage=str(stage), result=result)

    def _err(self, st: SideState, reason: str, phase: int = 1, notif: str = "NOT-APPLICABLE") -> str:
        logid, desc = ("37124", "IPsec phase 1 error") if phase == 1 else ("37125", "IPsec phase 2 error")
        return self._ev(st, logid, "error", desc, "negotiate", "negotiate_error", exch="AUTH" if phase == 2 else "SA_INIT",
                        reason=reason, peer_notif=notif)

    # --- setup -------------------------------------------------------------------------------------
    def ike_start(self, st: SideState, arg: object) -> list[str]:
        if arg != "again":
            self.new_ike(st)
        out = "outbound" if st.side.role == "initiator" else "inbound"
        return [self._p1(st, "OK", out, 1)]

    def ike_established(self, st: SideState, arg: object) -> list[str]:
        st.up = True
        return [self._p1(st, "DONE", "inbound" if st.side.role == "initiator" else "outbound", 3, exch="AUTH")]

    def child_established(self, st: SideState, arg: object) -> list[str]:
        self.new_child(st)
        return [self._ev(st, "37129", "notice", "Progress IPsec phase 2", "negotiate", "success", exch="AUTH",
                         dir="outbound", stage="2", result="DONE"),
                self._ev(st, "37133", "notice", "Install IPsec SA", "install_sa", "success", in_spi=st.spi_in,
                         out_spi=st.spi_out),
                self._ev(st, "37138", "notice", "IPsec connection status changed", "tunnel-up", "success",
                         tunnelip="N/A", tunneltype="ipsec", duration="0")]

    def give_up(self, st: SideState, arg: object) -> list[str]:
        return [self._err(st, "peer is not responding")]

    # --- runtime -----------------------------------------------------------------------------------
    def child_rekey(self, st: SideState, arg: object) -> list[str]:
        self.new_child(st)
        return [self._ev(st, "37129", "notice", "Progress IPsec phase 2", "negotiate", "success", exch="CREATE_CHILD",
                         dir="outbound", stage="1", result="DONE"),
                self._ev(st, "37133", "notice", "Install IPsec SA", "install_sa", "success", in_spi=st.spi_in,
                         out_spi=st.spi_out)]

    def ike_rekey(self, st: SideState, arg: object) -> list[str]:
        self.new_ike(st)
        return [self._p1(st, "DONE", "outbound", 3, exch="CREATE_CHILD")]

    def dpd_miss(self, st: SideState, arg: object) -> list[str]:
        st.up = True
        return []

    def dpd_dead(self, st: SideState, arg: object) -> list[str]:
        st.up = False
        return [self._ev(st, "37136", "error", "IPsec DPD failed", "dpd", "dpd_failure"),
                self._ev(st, "37138", "notice", "IPsec connection status changed", "tunnel-down", "success",
                         tunnelip="N/A", tunneltype="ipsec", duration=str(int(self.now) % 86400))]

    # --- failures ----------------------------------------------------------------------------------
    def ike_no_proposal(self, st: SideState, arg: object) -> list[str]:
        return [self._err(st, "peer SA proposal not match local policy")]

    def dh_rejected(self, st: SideState, arg: object) -> list[str]:
        return [self._err(st, "INVALID_KE_PAYLOAD: peer requested DH group 19", notif="NOTIFY-INVALID_KE_PAYLOAD")]

    def psk_garbled(self, st: SideState, arg: object) -> list[str]:
        return [self._err(st, "probable pre-shared secret mismatch")]

    def psk_mac_mismatch(self, st: SideState, arg: object) -> list[str]:
        if st.side.role == "initiator":
            return [self._err(st, "authentication failed", notif="NOTIFY-AUTHENTICATION_FAILED")]
        return [self._err(st, "probable pre-shared secret mismatch")]

    auth_failed_notify = psk_mac_mismatch

    def cert_invalid(self, st: SideState, arg: object) -> list[str]:
        if not st.side.is_a:
            return [self._err(st, "authentication failed", notif="NOTIFY-AUTHENTICATION_FAILED")]
        return [self._err(st, "certificate validation failed: certificate has expired")]

    def no_peer_config(self, st: SideState, arg: object) -> list[str]:
        if st.side.role == "initiator":
            return [self._err(st, "authentication failed", notif="NOTIFY-AUTHENTICATION_FAILED")]
        return [self._err(st, "peer ID does not match any configured peer")]

    def idr_mismatch(self, st: SideState, arg: object) -> list[str]:
        if st.side.role == "responder":
            return [self._err(st, "authentication failed", notif="NOTIFY-AUTHENTICATION_FAILED")]
        return [self._err(st, "peer ID mismatch")]

    def ts_unacceptable(self, st: SideState, arg: object) -> list[str]:
        s = st.side
        est = self.ike_established(st, None)
        if s.ike_version == 2 and s.role == "initiator":
            return [*est, self._err(st, "peer notification", phase=2, notif="NOTIFY-TS_UNACCEPTABLE")]
        return [*est, self._err(st, "quick mode selectors mismatch", phase=2)]

    def child_no_proposal(self, st: SideState, arg: object) -> list[str]:
        return [*self.ike_established(st, None), self._err(st, "peer SA proposal not match local policy", phase=2)]

    def _esp(self, st: SideState, error: str) -> list[str]:
        s = st.side
        return [f'logid="0101037131" type="event" subtype="vpn" level="error" vd="root" logdesc="IPsec ESP" '
                f'msg="IPsec ESP" action="error" remip={s.remote_ip} locip={s.local_ip} remport=500 locport=500 '
                f'outintf="wan1" cookies="N/A" user="N/A" group="N/A" useralt="N/A" xauthuser="N/A" xauthgroup="N/A" '
                f'assignip=N/A vpntunnel="{s.conn}" status="esp_error" error_num="{error}" spi="{st.spi_in}" seq="{self.hex(8)}"']

    def replay(self, st: SideState, arg: object) -> list[str]:
        return self._esp(st, "Received ESP packet with replayed sequence number.")

    def integrity(self, st: SideState, arg: object) -> list[str]:
        return self._esp(st, "Received ESP packet with failed HMAC check.")

    def device_lines(self, t: float, roll: float) -> list[str]:
        k = int(roll * 60000)
        src = f"10.{k % 200}.{k % 7}.{k % 250 + 2}"
        return [
            f'logid="0000000013" type="traffic" subtype="forward" level="notice" vd="root" srcip={src} srcport={40000 + k % 20000} '
            f'srcintf="internal" srcintfrole="lan" dstip=203.0.113.{k % 250 + 2} dstport=443 dstintf="wan1" dstintfrole="wan" '
            f'sessionid={k * 13} proto=6 action="close" policyid=1 policytype="policy" service="HTTPS" trandisp="snat" '
            f'duration={k % 300} sentbyte={k * 3} rcvdbyte={k * 11} sentpkt={k % 90} rcvdpkt={k % 120}',
            f'logid="0100032001" type="event" subtype="system" level="information" vd="root" logdesc="Admin login successful" '
            f'sn="{k}" user="netops" ui="ssh(10.0.0.{k % 50 + 10})" method="ssh" srcip=10.0.0.{k % 50 + 10} dstip={self.gw.ip} '
            f'action="login" status="success" reason="none" profile="super_admin" msg="Administrator netops logged in successfully from ssh(10.0.0.{k % 50 + 10})"',
            'logid="0100020027" type="event" subtype="system" level="information" vd="root" logdesc="Outdated report files deleted" '
            'msg="Delete 3 old report files"',
        ]
