"""FortiGate key=value event logs, subtype vpn (FortiOS log ids 0101037120-0101037141).

The body is `key=value` pairs (`key="quoted"` or `key=bare`, space- or comma-separated). `prepare`
reads only the keys we use with one regex pass, fills the addresses, names and the device clock into
the event, and hands the patterns a short canonical line:

    <action> <ike|child|-> reason=<reason>|notif=<peer_notif>|status=<status>|result=<result>|dir=<dir>
    |error=<error_num>

so the table below keys on `action` (negotiate, tunnel-up, install_sa, dpd...) and reads the reason
text. Phase comes from the log id (37120/37121/37124/37127/37128/37134 are phase 1). `locip`/`locport`
are this FortiGate, `remip`/`remport` the peer. Not here: SSL-VPN (logids 39xxx) and traffic logs,
which stay UNRECOGNIZED with host and time filled.
"""

from __future__ import annotations

import re
from calendar import timegm
from collections.abc import Callable

from schemas.events import Action, Event
from streams.parse.envelope import Envelope
from streams.parse.patterns import Dialect, Pattern

_REF = "FortiOS Log Message Reference, "
_KB = "Fortinet community KB / FortiGate IKE debug wording, "

_NEG = r"^negotiate (?P<detail>ike|child) reason="  # a negotiation result; the phase comes from the log id
_AFTER_REASON = r"[^|]*\|notif=[^|]*\|"
_ESP = r"^error [^ ]+ reason=[^|]*\|notif=[^|]*\|status=[^|]*\|result=[^|]*\|dir=[^|]*\|error=[^|]*"

PATTERNS: tuple[Pattern, ...] = (
    # --- negotiation results (37120-37130): the reason text names the cause ---
    Pattern(id="fortigate-proposal-mismatch", key="negotiate", action=Action.PROPOSAL_MISMATCH,
            regex=_NEG + r"peer SA proposal not match local policy",
            ref=_REF + "37124 MESGID_NEG_I_P1_ERROR (reason field); Fortinet KB 'IPsec Not Match Local Policy'"),
    Pattern(id="fortigate-no-sa-proposal", key="negotiate", action=Action.PROPOSAL_MISMATCH,
            regex=_NEG + r"(?:no SA proposal chosen|no suitable proposal)",
            ref=_KB + "'no SA proposal chosen'"),
    Pattern(id="fortigate-psk-mismatch", key="negotiate", action=Action.PSK_MISMATCH,
            regex=_NEG + r"probable pre-shared secret mismatch",
            ref=_KB + "'probable pre-shared secret mismatch' (phase 1 error reason)"),
    Pattern(id="fortigate-no-gateway", key="negotiate", action=Action.PEER_CONFIG_NOT_FOUND,
            regex=_NEG + r"(?:no matching gateway|no gateway found)",
            ref=_KB + "'no matching gateway for new request' (no phase1 for this peer)"),
    Pattern(id="fortigate-selectors-mismatch", key="negotiate", action=Action.TS_UNACCEPTABLE,
            regex=_NEG + r"(?:quick mode selectors mismatch|no matching phase2|no matching selectors|TS_UNACCEPTABLE)",
            ref=_KB + "'no matching phase2 found' / quick mode selector mismatch; shared failure-classes"),
    Pattern(id="fortigate-timeout", key="negotiate", action=Action.PEER_UNREACHABLE,
            regex=_NEG + r"(?:negotiation timeout|peer is not responding|no response from peer|timeout)",
            ref=_KB + "'negotiation timeout, deleting' / peer not responding"),
    Pattern(id="fortigate-peer-id", key="negotiate", action=Action.ID_MISMATCH,
            regex=_NEG + r"(?:peer ID|peer's ID|peer id|IDr? )",
            ref=_KB + "peer ID mismatch reasons"),
    Pattern(id="fortigate-auth-failed", key="negotiate", action=Action.AUTH_FAILED,
            regex=_NEG + r"(?:authentication fail|auth fail)",
            ref=_KB + "authentication failure reasons"),
    Pattern(id="fortigate-dh-group", key="negotiate", action=Action.DH_GROUP_REJECTED,
            regex=_NEG + r"[^|]*(?:INVALID_KE|DH group)",
            ref=_KB + "INVALID_KE_PAYLOAD / DH group"),
    Pattern(id="fortigate-certificate", key="negotiate", action=Action.CERT_INVALID,
            regex=_NEG + r"[^|]*certificate",
            ref=_KB + "certificate verification reasons"),
    Pattern(id="fortigate-peer-notify", key="negotiate", action=Action.NOTIFY_RECEIVED,
            regex=_NEG + r"[^|]*\|notif=NOTIFY-(?P<notify>[A-Z_-]+)",
            ref=_REF + "37121/37124 peer_notif field (IPsec VPN Peer Notification)",
            note="the peer's error notify, e.g. NOTIFY-TS_UNACCEPTABLE; NOT-APPLICABLE means none"),
    Pattern(id="fortigate-ike-done", key="negotiate", action=Action.IKE_SA_ESTABLISHED,
            regex=r"^negotiate ike reason=" + _AFTER_REASON + r"status=success\|result=(?:DONE|-\|dir=-)",
            ref=_REF + "37127 MESGID_NEG_PROGRESS_P1_NOTIF result=DONE, 37120 negotiate IPsec phase 1 success"),
    Pattern(id="fortigate-child-done", key="negotiate", action=Action.CHILD_SA_ESTABLISHED,
            regex=r"^negotiate child reason=" + _AFTER_REASON + r"status=success\|result=(?:DONE|-\|dir=-)",
            ref=_REF + "37129 progress IPsec phase 2 result=DONE, 37122 negotiate IPsec phase 2 success"),
    Pattern(id="fortigate-progress-out", key="negotiate", action=Action.MESSAGE_SENT,
            regex=r"^negotiate \w+ reason=" + _AFTER_REASON + r"status=success\|result=\w+\|dir=outbound",
            ref=_REF + "37127/37129 progress IPsec phase 1/2 (stage, dir, result=OK)"),
    Pattern(id="fortigate-progress-in", key="negotiate", action=Action.MESSAGE_RECEIVED,
            regex=r"^negotiate \w+ reason=" + _AFTER_REASON + r"status=success\|result=\w+\|dir=inbound",
            ref=_REF + "37127/37129 progress IPsec phase 1/2 (stage, dir, result=OK)"),
    Pattern(id="fortigate-phase1-error", key="negotiate", action=Action.PHASE1_FAILED,
            regex=r"^negotiate ike reason=" + _AFTER_REASON + r"status=(?!success\|)",
            ref=_REF + "37121/37124/37128 phase 1 error without a reason we know",
            note="the printed reason stays in the event's original text"),
    Pattern(id="fortigate-phase2-error", key="negotiate", action=Action.CHILD_SA_FAILED,
            regex=r"^negotiate child reason=" + _AFTER_REASON + r"status=(?!success\|)",
            ref=_REF + "37123/37125/37130 phase 2 error without a reason we know"),
    # --- SA and tunnel life cycle ---
    Pattern(id="fortigate-install-sa", key="install_sa", action=Action.CHILD_SA_ESTABLISHED,
            regex=r"^install_sa", ref=_REF + "37133 MESGID_INSTALL_SA (IPsec SA installed, in_spi/out_spi)"),
    Pattern(id="fortigate-phase2-up", key="phase2-up", action=Action.CHILD_SA_ESTABLISHED,
            regex=r"^phase2-up", ref=_REF + "IPsec phase 2 status changed (action phase2-up)"),
    Pattern(id="fortigate-phase2-down", key="phase2-down", action=Action.SA_DELETED,
            regex=r"^phase2-down", ref=_REF + "IPsec phase 2 status changed (action phase2-down)",
            fields={"detail": "child"}),
    Pattern(id="fortigate-delete-p1", key="delete_phase1_sa", action=Action.SA_DELETED,
            regex=r"^delete_phase1_sa", ref=_REF + "37134 IPsec phase 1 SA deleted", fields={"detail": "ike"}),
    Pattern(id="fortigate-delete-p2", key="delete_phase2_sa", action=Action.SA_DELETED,
            regex=r"^delete_phase2_sa", ref=_REF + "37135 IPsec phase 2 SA deleted", fields={"detail": "child"}),
    Pattern(id="fortigate-dpd", key="dpd", action=Action.DPD_TIMEOUT,
            regex=r"^dpd ", ref=_REF + "37136 MESGID_DPD_FAILURE (IPsec DPD failed, status dpd_failure)"),
    Pattern(id="fortigate-tunnel-up", key="tunnel-up", action=Action.TUNNEL_UP,
            regex=r"^tunnel-up", ref=_REF + "37138 MESGID_CONN_UPDOWN (IPsec connection status changed)"),
    Pattern(id="fortigate-tunnel-down", key="tunnel-down", action=Action.TUNNEL_DOWN,
            regex=r"^tunnel-down", ref=_REF + "37138 MESGID_CONN_UPDOWN (IPsec connection status changed)"),
    Pattern(id="fortigate-tunnel-stats", key="tunnel-stats", action=Action.INFO,
            regex=r"^tunnel-stats", ref=_REF + "37141 IPsec tunnel statistics"),
    Pattern(id="fortigate-connection-failed", key="connection-failed", action=Action.CONNECTION_FAILED,
            regex=r"^connection-failed", ref=_REF + "37137 MESGID_CONN_FAILURE (IPsec connection failed)"),
    # --- ESP errors (37131/37132): error_num says what was wrong with the packet ---
    Pattern(id="fortigate-esp-replay", key="error", action=Action.REPLAY_CHECK_FAILED,
            regex=_ESP + r"replay", ref=_REF + "37131/37132 MESGID_ESP_ERROR error_num"),
    Pattern(id="fortigate-esp-hmac", key="error", action=Action.INTEGRITY_CHECK_FAILED,
            regex=_ESP + r"(?:HMAC|authentication fail)", ref=_REF + "37131/37132 MESGID_ESP_ERROR error_num"),
    Pattern(id="fortigate-esp-unknown-spi", key="error", action=Action.INFO,
            regex=_ESP + r"unknown SPI", ref=_REF + "37131/37132 MESGID_ESP_ERROR error_num",
            fields={"detail": "unknown_spi"}, note="stale SA on one side; no failure class of its own"),
)

# Log id (last five digits) -> phase of the negotiation it reports.
_PHASE = {
    "37120": "ike", "37121": "ike", "37124": "ike", "37127": "ike", "37128": "ike", "37134": "ike",
    "37122": "child", "37123": "child", "37125": "child", "37126": "child", "37129": "child",
    "37130": "child", "37135": "child", "37139": "child",
}
# Log ids whose meaning does not depend on the printed action.
_KEY_BY_LOGID = {"37136": "dpd", "37137": "connection-failed", "37141": "tunnel-stats"}
_MODE = {"main": "ID_PROT", "aggressive": "AGGRESSIVE", "quick": "QUICK_MODE"}
_EXCH = {"SA_INIT": "IKE_SA_INIT", "IKE_SA_INIT": "IKE_SA_INIT", "AUTH": "IKE_AUTH", "IKE_AUTH": "IKE_AUTH",
         "CREATE_CHILD": "CREATE_CHILD_SA", "CREATE_CHILD_SA": "CREATE_CHILD_SA",
         "INFORMATIONAL": "INFORMATIONAL"}
_KEYS = ("date|time|devname|devid|eventtime|tz|logid|subtype|action|status|reason|peer_notif|result|remip"
         "|locip|remport|locport|vpntunnel|cookies|role|init|version|exch|mode|dir|in_spi|out_spi|error_num")
# ` key="quoted value"` or ` key=bare`: the lookbehind takes a quoted value up to its closing quote, so
# the values come out unquoted from one findall. FortiGate's `csv` log format separates with commas.
# Placeholders (N/A, NOT-APPLICABLE, empty) do not match, so the dict holds only real values.
_VALUE = r'="?(?!N/A(?:"|[ ,]|$)|NOT-APPLICABLE"|"|[ ,]|$)((?<=")[^"]*|[^ ,"]*)'
_KV = re.compile(r" (" + _KEYS + r")" + _VALUE)
_KV_CSV = re.compile(r"[ ,](" + _KEYS + r")" + _VALUE)
_HEAD_KV = re.compile(r" (date|time|devname|devid|eventtime|tz|logid|subtype)" + _VALUE)
_HEAD_PREFIXES = ("date=", "logver=", "devname=", "logid=", "itime=", "eventtime=", "time=")
_day_cache: dict[str, float] = {}


def _strip_pri(text: str) -> str:
    if text.startswith("<"):
        end = text.find(">", 1, 6)
        if end > 0:
            return text[end + 1:]
    return text


class Fortigate(Dialect):
    name = "fortigate"
    vendor = "fortinet"
    patterns = PATTERNS

    def sniff(self, env: Envelope) -> bool:
        m = env.msg
        if m[:1] == "<":
            m = _strip_pri(m)
        return m.startswith(_HEAD_PREFIXES)

    def prepare(self, env: Envelope, ev: Event) -> str:
        text = " " + _strip_pri(env.msg)
        vpn = 'subtype="vpn"' in text or "subtype=vpn" in text
        if not vpn:  # traffic, UTM and system logs: host, time and log id, from the header keys
            kv = dict(_HEAD_KV.findall(text[:300]))
        elif ",time=" in text[:40]:
            kv = dict(_KV_CSV.findall(text))
        else:
            kv = dict(_KV.findall(text))
        get = kv.get
        host = get("devname") or get("devid")
        if host:
            ev.host = host
        ts = _clock(kv, env)
        if ts is not None:
            ev.timestamp = ts
        logid = get("logid")
        if logid:
            ev.subsystem = logid
        short = logid[-5:] if logid else ""
        if not vpn or not short.startswith("371") or get("subtype") != "vpn":
            return ""  # traffic, UTM, system and SSL-VPN (391xx, 399xx) logs: host and time only
        _fill(ev, get)
        action = _KEY_BY_LOGID.get(short) or get("action") or "-"
        return (f"{action} {_PHASE.get(short, '-')} reason={get('reason', '-')}|notif={get('peer_notif', '-')}"
                f"|status={get('status', '-')}|result={get('result', '-')}|dir={get('dir', '-')}"
                f"|error={get('error_num', '-')}")


def _fill(ev: Event, get: Callable[..., str | None]) -> None:
    """Addresses, names and SA ids; fields a line does not carry stay unset."""
    ev.local_ip = get("locip")
    ev.remote_ip = get("remip")
    port = get("locport")
    if port and port.isdigit() and port != "0":
        ev.local_port = int(port)
    port = get("remport")
    if port and port.isdigit() and port != "0":
        ev.remote_port = int(port)
    ev.conn = get("vpntunnel")
    cookies = get("cookies")
    if cookies:
        icookie = cookies.partition("/")[0]
        if icookie.strip("0"):
            ev.ike_sa_id = icookie
    role = get("role")
    if role == "initiator" or role == "responder":
        ev.role = role
    else:
        init = get("init")
        if init == "local" or init == "remote":
            ev.role = "initiator" if init == "local" else "responder"
    version = get("version")
    if version and version[-1:] in ("1", "2"):
        ev.ike_version = int(version[-1])
    exch = get("exch")
    if exch and exch.upper() in _EXCH:
        ev.exchange = _EXCH[exch.upper()]
        ev.ike_version = ev.ike_version or 2
    else:
        mode = get("mode")
        if mode in _MODE:
            ev.exchange = _MODE[mode]
            ev.ike_version = ev.ike_version or 1
    direction = get("dir")
    if direction == "inbound" or direction == "outbound":
        ev.direction = "in" if direction == "inbound" else "out"
    in_spi, out_spi = get("in_spi"), get("out_spi")
    if in_spi or out_spi:
        ev.spi = f"{in_spi or '-'}/{out_spi or '-'}"  # inbound/outbound, as the install_sa log pairs them


def _clock(kv: dict[str, str], env: Envelope) -> float | None:
    """The FortiGate's own clock: eventtime (s, ms, us or ns since the epoch), else date/time/tz."""
    et = kv.get("eventtime")
    if et and et.isdigit():
        digits = len(et)
        if digits >= 18:
            return int(et) / 1e9
        if digits >= 15:
            return int(et) / 1e6
        if digits >= 12:
            return int(et) / 1e3
        return float(et)
    date, time_ = kv.get("date"), kv.get("time")
    if not date or not time_ or len(date) != 10 or len(time_) < 8:
        return None
    try:
        y, mo, d = int(date[0:4]), int(date[5:7]), int(date[8:10])
        h, mi, s = int(time_[0:2]), int(time_[3:5]), int(time_[6:8])
    except ValueError:
        return None
    tz = kv.get("tz")
    if tz and len(tz) == 5 and tz[0] in "+-" and tz[1:].isdigit():
        offset = (int(tz[1:3]) * 3600 + int(tz[3:5]) * 60) * (1 if tz[0] == "+" else -1)
        day = _day_cache.get(date)
        if day is None:
            if len(_day_cache) > 4096:
                _day_cache.clear()
            day = _day_cache[date] = float(timegm((y, mo, d, 0, 0, 0)))
        return day + h * 3600 + mi * 60 + s - offset
    if env.ctx is not None:  # no zone printed: the input's --tz
        try:
            return env.ctx.hour_start(y, mo, d, h) + mi * 60 + s
        except (ValueError, OverflowError):
            return None
    return float(timegm((y, mo, d, h, mi, s)))


DIALECT = Fortigate()
