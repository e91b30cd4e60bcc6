"""Juniper SRX kmd / iked: KMD_* tagged messages and the untagged negotiation summaries.

Shapes (Junos System Log Explorer; Elastic juniper_srx test-system.log):
  BSD      `Feb  5 21:29:53 srx01 kmd[1234]: KMD_VPN_DOWN_ALARM_USER: VPN x from 1.2.3.4 is down. ...`
  RFC 5424 `<30>1 2026-02-05T21:29:53.123+01:00 srx01 kmd 1234 KMD_PM_SA_ESTABLISHED [junos@2636... k="v"] text`
           (the tag is the MSGID; the structured data carries the same facts as key="value")
  untagged `IKE negotiation failed with error: No proposal chosen. IKE Version: 1, VPN: v Gateway: g,
           Local: 5.6.7.8/500, Remote: 1.2.3.4/500, Local IKE-ID: ..., Remote IKE-ID: ..., VR-ID: 0, Role: Initiator`
           `IPSec negotiation failed with error: ...` (phase 2), older `IKE Phase-1 Failure: ... [spi=, src_ip=, dst_ip=]`
The dispatch key is the tag, else `ike` (phase 1 wording) or `ipsec` (phase 2 wording). `conn` is the IKE
gateway name, `child` the VPN (IPsec) name. Traffic selectors print as ipv4_subnet(any:0,[0..7]=10.0.0.0/24).
"""

from __future__ import annotations

import re

from schemas.events import Action, Event
from streams.parse.envelope import Envelope
from streams.parse.patterns import Dialect, Pattern

_SLE = "Junos System Log Explorer, "
_KB = "Juniper KB (kmd/iked negotiation failure messages), "
_ELASTIC = "Elastic juniper_srx test-system.log, "

# The three ways kmd introduces a negotiation error, for phase 1 and phase 2 (anchored: one try per line).
_ERR_IKE = r"^(?:IKE negotiation failed with error: |IKE Phase-1 Failure: |Phase-1 \[\w+\] failed with error\()"
_ERR_IPSEC = r"^(?:IPS[Ee]c negotiation failed with error: |IKE Phase-2 Failure: |Phase-2 \[\w+\] failed with error\()"
_TS = r"\w+\([^)]*\)"  # ipv4_subnet(any:0,[0..7]=10.0.0.0/24)
_NA = r"(?:Not-Available|Not-Applicable)"
# KMD_VPN_{DOWN,UP}_ALARM_USER text; the structured-data form may carry no text at all.
_VPN_ALARM = (r" VPN (?P<child>\S+) from (?P<remote_ip>[^ ]+) is {0}\."
              r" Local-ip: (?P<local_ip>[^,]+), gateway name: (?P<conn>[^,]+),.*?, Local IKE-ID: (?:" + _NA +
              r"|(?P<local_id>[^,]*)), Remote IKE-ID: (?:" + _NA + r"|(?P<remote_id>[^,]*)),.*?"
              r"Traffic-selector local ID: (?P<ts_local>\S*?),? Traffic-selector remote ID: (?P<ts_remote>\S*?),?"
              r" SA Type: [^,]*")

# (slug, error wording after the prefix, action, reference); each row is instantiated for phase 1 and phase 2.
_ERRORS: tuple[tuple[str, str, Action, str], ...] = (
    ("no-proposal", r"No proposal chosen", Action.PROPOSAL_MISMATCH, _ELASTIC + "shared failure-classes"),
    ("timeout", r"(?:Timed out|Peer not responding|Timeout|Negotiation timed out)", Action.PEER_UNREACHABLE,
     _ELASTIC + "'IKE negotiation failed with error: Timed out'"),
    ("auth", r"Authentication failed", Action.AUTH_FAILED, _KB + "'Authentication failed'"),
    ("ts", r"(?:TS unacceptable|Traffic selectors? unacceptable|Peer proposed traffic-selectors are not in"
           r" configured range)", Action.TS_UNACCEPTABLE,
     _ELASTIC + "'IPSec negotiation failed with error: Peer proposed traffic-selectors are not in configured range'"),
    ("id", r"Invalid ID information", Action.ID_MISMATCH, _KB + "'Invalid ID information'"),
    ("ke", r"Invalid (?:KE|key exchange) payload", Action.DH_GROUP_REJECTED, _KB + "INVALID_KE_PAYLOAD"),
    ("syntax", r"Invalid syntax", Action.MESSAGE_PARSE_FAILED, _KB + "'Invalid syntax'"),
)


def _phase_errors(key: str, prefix: str, detail: str, generic: Action) -> tuple[Pattern, ...]:
    rows = tuple(
        Pattern(id=f"juniper-{key}-{slug}", key=key, action=action, regex=prefix + wording, ref=ref,
                fields={"detail": detail})
        for slug, wording, action, ref in _ERRORS
    )
    return (*rows, Pattern(id=f"juniper-{key}-failed", key=key, action=generic, regex=prefix,
                           ref=_KB + "negotiation failed, error not recognised", fields={"detail": detail}))


PATTERNS: tuple[Pattern, ...] = (
    # --- tagged ---
    Pattern(id="juniper-vpn-down-dpd", key="KMD_VPN_DOWN_ALARM_USER", action=Action.DPD_TIMEOUT,
            regex=r"^KMD_VPN_DOWN_ALARM_USER" + _VPN_ALARM.format("down")
                  + r", Reason: (?P<detail>[^,]*(?:DPD|[Dd]ead [Pp]eer)[^,]*)",
            ref=_SLE + "KMD_VPN_DOWN_ALARM_USER with a DPD reason",
            note="the tunnel went down because dead peer detection got no answer"),
    Pattern(id="juniper-vpn-down", key="KMD_VPN_DOWN_ALARM_USER", action=Action.TUNNEL_DOWN,
            regex=r"^KMD_VPN_DOWN_ALARM_USER(?:" + _VPN_ALARM.format("down") + r"(?:, Reason: (?P<detail>.*))?)?",
            ref=_SLE + "KMD_VPN_DOWN_ALARM_USER; Azure SRX sample (show log kmd-logs)"),
    Pattern(id="juniper-vpn-up", key="KMD_VPN_UP_ALARM_USER", action=Action.TUNNEL_UP,
            regex=r"^KMD_VPN_UP_ALARM_USER(?:" + _VPN_ALARM.format("up") + ")?",
            ref=_SLE + "KMD_VPN_UP_ALARM_USER; Azure SRX sample (show log kmd-logs)"),
    Pattern(id="juniper-sa-established", key="KMD_PM_SA_ESTABLISHED", action=Action.CHILD_SA_ESTABLISHED,
            regex=r"^KMD_PM_SA_ESTABLISHED(?: Local gateway: (?P<local_ip>[^,]+), Remote gateway: (?P<remote_ip>[^,]+),"
                  r" Local ID: (?P<ts_local>\S+?), Remote ID: (?P<ts_remote>\S+?), Direction: (?P<direction>in|out)bound,"
                  r" SPI: (?P<spi>0x[0-9a-fA-F]+))?",
            ref=_SLE + "KMD_PM_SA_ESTABLISHED; " + _ELASTIC + "RFC 5424 form with junos@ structured data",
            note="one line per direction; Local/Remote ID are the proxy ids (traffic selectors)"),
    Pattern(id="juniper-p1-lookup-failure", key="KMD_PM_P1_POLICY_LOOKUP_FAILURE", action=Action.PEER_CONFIG_NOT_FOUND,
            regex=r"^KMD_PM_P1_POLICY_LOOKUP_FAILURE(?: Policy lookup for Phase-1 \[(?P<role>initiator|responder)\] failed"
                  r" for p1_local=\w+\([^=]*=(?P<local_ip>[^)]+)\) p1_remote=\w+\([^=]*=(?P<remote_ip>[^)]+)\))?",
            ref=_SLE + "KMD_PM_P1_POLICY_LOOKUP_FAILURE (no IKE gateway for this peer)", fields={"detail": "ike"}),
    Pattern(id="juniper-p2-lookup-responder", key="KMD_PM_P2_POLICY_LOOKUP_FAILURE", action=Action.TS_UNACCEPTABLE,
            regex=r"^KMD_PM_P2_POLICY_LOOKUP_FAILURE Policy lookup for Phase-2 \[(?P<role>responder)\] failed for"
                  r" p2_src_id=(?P<ts_remote>" + _TS + r") p2_dst_id=(?P<ts_local>" + _TS + ")",
            ref=_SLE + "KMD_PM_P2_POLICY_LOOKUP_FAILURE", fields={"detail": "child"},
            note="as responder the ids are the peer's: its source is our remote selector"),
    Pattern(id="juniper-p2-lookup-failure", key="KMD_PM_P2_POLICY_LOOKUP_FAILURE", action=Action.TS_UNACCEPTABLE,
            regex=r"^KMD_PM_P2_POLICY_LOOKUP_FAILURE(?: Policy lookup for Phase-2 \[(?P<role>initiator)\] failed for"
                  r" p2_src_id=(?P<ts_local>" + _TS + r") p2_dst_id=(?P<ts_remote>" + _TS + "))?",
            ref=_SLE + "KMD_PM_P2_POLICY_LOOKUP_FAILURE", fields={"detail": "child"}),
    Pattern(id="juniper-ts-mismatch", key="KMD_VPN_TS_MISMATCH", action=Action.TS_UNACCEPTABLE,
            regex=r"^KMD_VPN_TS_MISMATCH(?:.*?vpn name: (?P<child>[^,]+))?(?:.*?local-ip: (?P<ts_remote>[^,]+))?"
                  r"(?:.*?remote-ip: (?P<ts_local>[^,]+))?",
            ref=_SLE + "KMD_VPN_TS_MISMATCH (traffic-selector mismatch)", fields={"detail": "child"},
            note="the selectors the peer proposed: its local is our remote"),
    # --- untagged phase 1 (key ike) and phase 2 (key ipsec) ---
    Pattern(id="juniper-ike-completed", key="ike", action=Action.IKE_SA_ESTABLISHED,
            regex=r"^IKE negotiation successfully completed", ref=_ELASTIC + "'IKE negotiation successfully completed'"),
    Pattern(id="juniper-ike-completed-legacy", key="ike", action=Action.IKE_SA_ESTABLISHED,
            regex=r"^IKE Phase-1: \((?P<role>Initiator|Responder)\) Completed IKE negotiations with remote peer"
                  r"(?: \w+\([^=]*=(?P<remote_ip>[^)]+)\))?",
            ref=_KB + "'IKE Phase-1: (Initiator) Completed IKE negotiations with remote peer'"),
    Pattern(id="juniper-ike-proxy-ids", key="ipsec", action=Action.TS_UNACCEPTABLE,
            regex=r"Failed to match the peer proxy ids \[p2_remote_proxy_id=(?P<ts_remote>" + _TS + r"),"
                  r" p2_local_proxy_id=(?P<ts_local>" + _TS + r")\](?: for the remote peer:\w+\([^=]*=(?P<remote_ip>[^)]+)\))?",
            ref=_KB + "'IKE Phase-2: Failed to match the peer proxy ids'", fields={"detail": "child"}),
    Pattern(id="juniper-ipsec-completed", key="ipsec", action=Action.CHILD_SA_ESTABLISHED,
            regex=r"^IPS[Ee]c negotiation successfully completed", ref=_KB + "'IPSec negotiation successfully completed'"),
    Pattern(id="juniper-ipsec-completed-legacy", key="ipsec", action=Action.CHILD_SA_ESTABLISHED,
            regex=r"^IKE Phase-2: \((?P<role>Initiator|Responder)\) Completed", ref=_KB + "'IKE Phase-2: (...) Completed'"),
    *_phase_errors("ike", _ERR_IKE, "ike", Action.PHASE1_FAILED),
    *_phase_errors("ipsec", _ERR_IPSEC, "child", Action.CHILD_SA_FAILED),
    # --- DPD, whatever the wording ---
    Pattern(id="juniper-dpd", key="*", action=Action.DPD_TIMEOUT,
            regex=r"(?i)dead peer detect\w* .*(?:dead|down|fail|timeout)|\bDPD\b.*(?:dead|down|timed? ?out)",
            ref=_KB + "DPD peer dead / down"),
)

_KEYS = {("IKE", "negotiation"): "ike", ("IKE", "Phase-1"): "ike", ("IKE", "Phase-1:"): "ike",
         ("IKE", "Phase-2"): "ipsec", ("IKE", "Phase-2:"): "ipsec", ("IPSec", "negotiation"): "ipsec",
         ("IPsec", "negotiation"): "ipsec"}
_NEG = re.compile(r"IKE Version: (?P<ike_version>\d)(?:, VPN: (?P<child>[^ ,]+),?)?(?: Gateway: (?P<conn>[^,]+),)?"
                  r" Local: (?P<local_ip>\S+?)/(?P<local_port>\d+), Remote: (?P<remote_ip>\S+?)/(?P<remote_port>\d+)"
                  r"(?:, Local IKE-ID: (?P<local_id>[^,]*), Remote IKE-ID: (?P<remote_id>[^,]*))?"
                  r"(?:.*?Role: (?P<role>Initiator|Responder))?")
_SRC_DST = re.compile(r"\[spi=(?P<spi>[^,]*), src_ip=(?P<local_ip>[^,]+), dst_ip=(?P<remote_ip>[^\]]+)\]")
_PHASE = re.compile(r"^Phase-[12] \[(?P<role>initiator|responder)\] failed with error\([^)]*\) for local=\w+\([^=]*="
                    r"(?P<local_ip>[^)]*)\) remote=\w+\([^=]*=(?P<remote_ip>[^)]*)\)")
_SD = re.compile(r'([\w.-]+)="((?:[^"\\]|\\.)*)"')
# junos@2636 structured-data names -> Event fields
_SD_FIELDS = {"local-address": "local_ip", "remote-address": "remote_ip", "vpn-name": "child",
              "gateway-name": "conn", "local-ike-id": "local_id", "remote-ike-id": "remote_id",
              "local-initiator": "ts_local", "remote-responder": "ts_remote"}
_UNKNOWN = frozenset({"", "Not-Available", "Not-Applicable", "unknown", "N/A", "(null)"})


class Juniper(Dialect):
    name = "juniper"
    vendor = "juniper"
    programs = ("kmd", "iked")
    patterns = PATTERNS

    def sniff(self, env: Envelope) -> bool:
        """KMD tags, or any Junos daemon's RFC 5424 structured data (stays UNRECOGNIZED, vendor known)."""
        if env.msg.startswith("KMD_"):
            return True
        sd = env.structured
        return sd is not None and sd.startswith("[junos@")

    def prepare(self, env: Envelope, ev: Event) -> str:
        body = env.msg
        tag = ""
        if env.msgid is not None and env.msgid.startswith(("KMD_", "IKED_")):
            tag = env.msgid
        elif body.startswith("KMD_"):
            tag, _, body = body.partition(":")
            body = body.lstrip()
        if tag:
            ev.subsystem = tag
        if env.structured is not None and "junos@" in env.structured:
            _structured(ev, env.structured)
        if "IKE Version:" in body:
            _known(ev, _NEG.search(body))
        elif "src_ip=" in body:
            _known(ev, _SRC_DST.search(body))
        elif body.startswith("Phase-"):
            _known(ev, _PHASE.match(body))
        return f"{tag} {body}" if tag else body

    def key_of(self, body: str) -> str:
        end = body.find(" ")
        if end < 0:
            return body
        first = body[:end]
        if first.startswith("KMD_"):
            return first
        if first.startswith("Phase-"):
            return "ike" if first == "Phase-1" else "ipsec"
        end2 = body.find(" ", end + 1)
        return _KEYS.get((first, body[end + 1:end2] if end2 > 0 else body[end + 1:]), first)


def _known(ev: Event, m: re.Match[str] | None) -> None:
    """Fields from a match, skipping Junos' Not-Available placeholders."""
    if m is None:
        return
    for name, value in m.groupdict().items():
        if value is None or value in _UNKNOWN:
            continue
        if name in ("local_port", "remote_port", "ike_version"):
            setattr(ev, name, int(value))
        elif name == "role":
            ev.role = value.lower()
        else:
            setattr(ev, name, value)


def _structured(ev: Event, sd: str) -> None:
    for key, raw in _SD.findall(sd):
        value = raw.replace("\\]", "]").replace('\\"', '"').replace("\\\\", "\\")
        if value in _UNKNOWN:
            continue
        name = _SD_FIELDS.get(key)
        if name is not None:
            setattr(ev, name, value)
        elif key == "argument1" and value in ("inbound", "outbound"):
            ev.direction = "out" if value == "outbound" else "in"
        elif key == "index1" and value.isdigit() and ev.subsystem == "KMD_PM_SA_ESTABLISHED":
            ev.spi = f"0x{int(value):08x}"


DIALECT = Juniper()
