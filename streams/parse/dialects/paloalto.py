"""Palo Alto Networks PAN-OS system log (CSV, bare or behind a syslog header), IKE/IPsec events.

SYSTEM CSV fields (PAN-OS syslog field descriptions, System Log Fields): 0 FUTURE_USE, 1 receive time,
2 serial, 3 type, 4 subtype, 5 FUTURE_USE, 6 generated time, 7 vsys, 8 event id, 9 object, 10-11
FUTURE_USE, 12 module, 13 severity, 14 description, 15 sequence number, 16 action flags, 17-20 device
group hierarchy, 21 vsys name, 22 device name, 23-24 FUTURE_USE, 25 high resolution timestamp.
Dispatch is by event id (ike-nego-p1-fail...), then the description text names the cause. A bare
description (`IKE phase-1 negotiation is failed as ...`) without the CSV around it is read too, its
event id inferred from its first words. `SA: a[500]-b[500]` prints the firewall's address first.

The object is the IKE gateway for phase-1 events (-> conn) and the IPsec tunnel for phase-2 events
(-> child). Host is the firewall's name as the other vendors' hosts are: the CSV's device name (SYSTEM
field 22, TRAFFIC field 52; PAN-OS 7.0+/8.1+), else the syslog header's host, else the serial number
(field 2, in every log type). The serial is not kept when a name is found: Event has no field for it.
Time is the high-resolution timestamp, else the generated time in the input's zone (`--tz`). Other
log types (TRAFFIC, THREAT, CONFIG...) stay UNRECOGNIZED.
"""

from __future__ import annotations

import re
from calendar import timegm

from schemas.events import Action, Event
from streams.parse.envelope import Envelope
from streams.parse.patterns import Dialect, Pattern

_DOC = "PAN-OS admin guide, Interpret VPN Error Messages: "
_SYS = "PAN-OS system log event ids (System Log Fields, vpn subtype): "

P1 = "ike-nego-p1-fail"
P2 = "ike-nego-p2-fail"
V2IKE = "ikev2-nego-ike-fail"
V2CHILD = "ikev2-nego-child-fail"

PATTERNS: tuple[Pattern, ...] = (
    # --- IKEv1 phase 1 ---
    Pattern(id="paloalto-p1-start", key="ike-nego-p1-start", action=Action.IKE_INIT_SENT,
            regex=r"as initiator", ref=_SYS + "ike-nego-p1-start"),
    Pattern(id="paloalto-p1-start-responder", key="ike-nego-p1-start", action=Action.IKE_INIT_RECEIVED,
            regex=r"as responder", ref=_SYS + "ike-nego-p1-start"),
    Pattern(id="paloalto-p1-succ", key="ike-nego-p1-succ", action=Action.IKE_SA_ESTABLISHED,
            regex=r"succeeded", ref=_SYS + "ike-nego-p1-succ"),
    Pattern(id="paloalto-p1-timeout", key=P1, action=Action.PEER_UNREACHABLE,
            regex=r"(?i)due to (?:negotiation )?timeout", ref=_DOC + "'IKE phase-1 negotiation is failed ... due to timeout'",
            fields={"detail": "ike"}),
    Pattern(id="paloalto-p1-no-config", key=P1, action=Action.PEER_CONFIG_NOT_FOUND,
            regex=r"(?i)couldn't find configuration for IKE phase-1 request for peer IP (?P<remote_ip>[0-9A-Fa-f.:]+)"
                  r"\[(?P<remote_port>\d+)\]",
            ref=_DOC + "'Couldn't find configuration for IKE phase-1 request for peer IP'", fields={"detail": "ike"}),
    Pattern(id="paloalto-p1-proposal", key=P1, action=Action.PROPOSAL_MISMATCH,
            regex=r"(?i)no suitable proposal|NO_PROPOSAL_CHOSEN|no proposal chosen|unable to process peer's SA payload",
            ref=_DOC + "'Unable to process peer's SA payload' / 'no suitable proposal found'", fields={"detail": "ike"}),
    Pattern(id="paloalto-p1-psk", key=P1, action=Action.PSK_MISMATCH,
            regex=r"(?i)pre-shared key|invalid HASH|hash (?:payload )?mismatch|decryption failed",
            ref=_DOC + "pre-shared key verification failures", fields={"detail": "ike"}),
    Pattern(id="paloalto-p1-auth", key=P1, action=Action.AUTH_FAILED,
            regex=r"(?i)authentication fail", ref=_DOC + "authentication failure", fields={"detail": "ike"}),
    Pattern(id="paloalto-p1-id", key=P1, action=Action.ID_MISMATCH,
            regex=r"(?i)peer ID mismatch|invalid ID information|ID_INFORMATION|peer identifier",
            ref=_DOC + "peer ID mismatch / INVALID-ID-INFORMATION", fields={"detail": "ike"}),
    Pattern(id="paloalto-p1-dh", key=P1, action=Action.DH_GROUP_REJECTED,
            regex=r"(?i)INVALID_KE_PAYLOAD|DH group", ref=_DOC + "DH group mismatch", fields={"detail": "ike"}),
    Pattern(id="paloalto-p1-fail", key=P1, action=Action.PHASE1_FAILED,
            regex=r"failed", ref=_SYS + "ike-nego-p1-fail (reason not recognised)"),
    # --- IKEv1 phase 2 ---
    Pattern(id="paloalto-p2-start", key="ike-nego-p2-start", action=Action.CHILD_SA_INITIATING,
            regex=r"started", ref=_SYS + "ike-nego-p2-start"),
    Pattern(id="paloalto-p2-succ", key="ike-nego-p2-succ", action=Action.CHILD_SA_ESTABLISHED,
            regex=r"succeeded", ref=_SYS + "ike-nego-p2-succ"),
    Pattern(id="paloalto-p2-proxy-id", key=P2, action=Action.TS_UNACCEPTABLE,
            regex=r"(?i)Proxy ID\.?(?: Received local id:? (?P<ts_local>[^ ,]+).*? received remote id:?"
                  r" (?P<ts_remote>[^ ,]+?)(?: type|\.? *$|,))?",
            ref=_DOC + "'IKE phase-2 negotiation failed when processing Proxy ID. Received local id ...'",
            fields={"detail": "child"},
            note="ts_local/ts_remote are the ids the peer proposed, from this firewall's point of view"),
    Pattern(id="paloalto-p2-ts", key=P2, action=Action.TS_UNACCEPTABLE,
            regex=r"(?i)TS_UNACCEPTABLE|proxy ?id mismatch", ref=_DOC + "proxy ID mismatch",
            fields={"detail": "child"}),
    Pattern(id="paloalto-p2-proposal", key=P2, action=Action.PROPOSAL_MISMATCH,
            regex=r"(?i)no suitable proposal|NO_PROPOSAL_CHOSEN|no proposal chosen|pfs group mismatch",
            ref=_DOC + "'No suitable proposal found in peer's SA payload' / 'pfs group mismatched'",
            fields={"detail": "child"}),
    Pattern(id="paloalto-p2-timeout", key=P2, action=Action.PEER_UNREACHABLE,
            regex=r"(?i)due to (?:negotiation )?timeout", ref=_SYS + "ike-nego-p2-fail 'Due to timeout.'",
            fields={"detail": "child"}, note="quick mode unanswered; a silent selector mismatch looks the same"),
    Pattern(id="paloalto-p2-fail", key=P2, action=Action.CHILD_SA_FAILED,
            regex=r"fail", ref=_SYS + "ike-nego-p2-fail (reason not recognised)"),
    # --- IKEv2 IKE SA ---
    Pattern(id="paloalto-v2-ike-start", key="ikev2-nego-ike-start", action=Action.IKE_INIT_SENT,
            regex=r"as initiator", ref=_SYS + "ikev2-nego-ike-start"),
    Pattern(id="paloalto-v2-ike-start-responder", key="ikev2-nego-ike-start", action=Action.IKE_INIT_RECEIVED,
            regex=r"as responder", ref=_SYS + "ikev2-nego-ike-start"),
    Pattern(id="paloalto-v2-ike-rekey", key="ikev2-nego-ike-succ", action=Action.REKEY_COMPLETED,
            regex=r", rekey\.", ref=_SYS + "ikev2-nego-ike-succ (rekey)", fields={"detail": "ike"}),
    Pattern(id="paloalto-v2-ike-succ", key="ikev2-nego-ike-succ", action=Action.IKE_SA_ESTABLISHED,
            regex=r"succeeded", ref=_SYS + "ikev2-nego-ike-succ"),
    Pattern(id="paloalto-v2-ike-timeout", key=V2IKE, action=Action.PEER_UNREACHABLE,
            regex=r"(?i)due to (?:negotiation )?timeout", ref=_SYS + "ikev2-nego-ike-fail 'Due to timeout.'",
            fields={"detail": "ike"}),
    Pattern(id="paloalto-v2-ike-ke", key=V2IKE, action=Action.DH_GROUP_REJECTED,
            regex=r"(?i)INVALID_KE_PAYLOAD", ref=_SYS + "ikev2-nego-ike-fail 'received INVALID_KE_PAYLOAD'",
            fields={"detail": "ike", "notify": "INVALID_KE_PAYLOAD"}),
    Pattern(id="paloalto-v2-ike-proposal", key=V2IKE, action=Action.PROPOSAL_MISMATCH,
            regex=r"(?i)NO_PROPOSAL_CHOSEN|no suitable proposal|no proposal chosen",
            ref=_SYS + "ikev2-nego-ike-fail NO_PROPOSAL_CHOSEN", fields={"detail": "ike"}),
    Pattern(id="paloalto-v2-ike-psk", key=V2IKE, action=Action.PSK_MISMATCH,
            regex=r"(?i)pre-shared key", ref=_DOC + "'Could not verify the pre-shared key'", fields={"detail": "ike"}),
    Pattern(id="paloalto-v2-ike-auth", key=V2IKE, action=Action.AUTH_FAILED,
            regex=r"(?i)AUTHENTICATION_FAILED|authentication fail", ref=_SYS + "ikev2-nego-ike-fail authentication",
            fields={"detail": "ike"}),
    Pattern(id="paloalto-v2-ike-id", key=V2IKE, action=Action.ID_MISMATCH,
            regex=r"(?i)peer ID mismatch|ID_INFORMATION|IDr? .*(?:mismatch|not match)",
            ref=_DOC + "peer ID mismatch", fields={"detail": "ike"}),
    Pattern(id="paloalto-v2-ike-fail", key=V2IKE, action=Action.PHASE1_FAILED,
            regex=r"failed", ref=_SYS + "ikev2-nego-ike-fail (reason not recognised)"),
    # --- IKEv2 child SA ---
    Pattern(id="paloalto-v2-child-start", key="ikev2-nego-child-start", action=Action.CHILD_SA_INITIATING,
            regex=r"started", ref=_SYS + "ikev2-nego-child-start"),
    Pattern(id="paloalto-v2-child-rekey", key="ikev2-nego-child-succ", action=Action.REKEY_COMPLETED,
            regex=r", rekey\.", ref=_SYS + "ikev2-nego-child-succ (rekey)", fields={"detail": "child"}),
    Pattern(id="paloalto-v2-child-succ", key="ikev2-nego-child-succ", action=Action.CHILD_SA_ESTABLISHED,
            regex=r"succeeded", ref=_SYS + "ikev2-nego-child-succ"),
    Pattern(id="paloalto-v2-child-ts", key=V2CHILD, action=Action.TS_UNACCEPTABLE,
            regex=r"(?i)TS_UNACCEPTABLE|traffic selector|proxy ?id", ref=_SYS + "ikev2-nego-child-fail TS_UNACCEPTABLE",
            fields={"detail": "child"}),
    Pattern(id="paloalto-v2-child-ke", key=V2CHILD, action=Action.DH_GROUP_REJECTED,
            regex=r"(?i)INVALID_KE_PAYLOAD", ref=_SYS + "ikev2-nego-child-fail INVALID_KE_PAYLOAD (PFS group)",
            fields={"detail": "child", "notify": "INVALID_KE_PAYLOAD"}),
    Pattern(id="paloalto-v2-child-proposal", key=V2CHILD, action=Action.PROPOSAL_MISMATCH,
            regex=r"(?i)NO_PROPOSAL_CHOSEN|no suitable proposal|no proposal chosen",
            ref=_SYS + "ikev2-nego-child-fail NO_PROPOSAL_CHOSEN", fields={"detail": "child"}),
    Pattern(id="paloalto-v2-child-timeout", key=V2CHILD, action=Action.PEER_UNREACHABLE,
            regex=r"(?i)due to (?:negotiation )?timeout", ref=_SYS + "ikev2-nego-child-fail 'Due to timeout.'",
            fields={"detail": "child"}),
    Pattern(id="paloalto-v2-child-fail", key=V2CHILD, action=Action.CHILD_SA_FAILED,
            regex=r"fail", ref=_SYS + "ikev2-nego-child-fail (reason not recognised)"),
    # --- deletes, keys, DPD, tunnel state ---
    Pattern(id="paloalto-send-p1-delete", key="ike-send-p1-delete", action=Action.SA_DELETED,
            regex=r"", ref=_SYS + "ike-send-p1-delete", fields={"detail": "ike", "direction": "out"}),
    Pattern(id="paloalto-recv-p1-delete", key="ike-recv-p1-delete", action=Action.SA_DELETED,
            regex=r"", ref=_SYS + "ike-recv-p1-delete", fields={"detail": "ike", "direction": "in"}),
    Pattern(id="paloalto-send-p2-delete", key="ike-send-p2-delete", action=Action.SA_DELETED,
            regex=r"", ref=_SYS + "ike-send-p2-delete", fields={"detail": "child", "direction": "out"}),
    Pattern(id="paloalto-recv-p2-delete", key="ike-recv-p2-delete", action=Action.SA_DELETED,
            regex=r"", ref=_SYS + "ike-recv-p2-delete", fields={"detail": "child", "direction": "in"}),
    Pattern(id="paloalto-key-install", key="ipsec-key-install", action=Action.INFO,
            regex=r"", ref=_SYS + "ipsec-key-install", fields={"detail": "key_install"},
            note="the kernel install that follows ike-nego-p2-succ; establishment is reported there"),
    Pattern(id="paloalto-key-delete", key="ipsec-key-delete", action=Action.SA_DELETED,
            regex=r"", ref=_SYS + "ipsec-key-delete", fields={"detail": "child"}),
    Pattern(id="paloalto-dpd", key="ike-dpd", action=Action.DPD_TIMEOUT,
            regex=r"(?i)dead|DPD", ref=_DOC + "'phase-1 SA is dead due to DPD'"),
    Pattern(id="paloalto-keepalive", key="keepalive-timeout", action=Action.DPD_TIMEOUT,
            regex=r"", ref=_SYS + "keepalive-timeout", fields={"detail": "keepalive"}),
    Pattern(id="paloalto-tunnel-up", key="tunnel-status-up", action=Action.TUNNEL_UP,
            regex=r"", ref=_SYS + "tunnel-status-up"),
    Pattern(id="paloalto-tunnel-down", key="tunnel-status-down", action=Action.TUNNEL_DOWN,
            regex=r"", ref=_SYS + "tunnel-status-down"),
    # --- ike-generic-event and friends: the description alone says what happened ---
    Pattern(id="paloalto-dpd-any", key="*", action=Action.DPD_TIMEOUT,
            regex=r"(?i)SA is dead due to DPD|dead peer detect", ref=_DOC + "'phase-1 SA is dead due to DPD'"),
    Pattern(id="paloalto-unencrypted-notify", key="*", action=Action.NOTIFY_RECEIVED,
            regex=r"(?i)received unencrypted notify payload \((?P<notify>[\w -]+?)\) from IP (?P<remote_ip>[0-9A-Fa-f.:]+)"
                  r"\[(?P<remote_port>\d+)\] to (?P<local_ip>[0-9A-Fa-f.:]+)\[(?P<local_port>\d+)\]",
            ref=_DOC + "'Received unencrypted notify payload (no proposal chosen) from IP ...'",
            note="notify text is printed in words ('no proposal chosen'); normalised to the RFC name"),
    Pattern(id="paloalto-notify-received", key="*", action=Action.NOTIFY_RECEIVED,
            regex=r"(?i)notif\w* (?:message |payload )?received:? (?P<notify>[A-Z][A-Z_-]+[A-Z])",
            ref=_SYS + "ike-generic-event 'IKE protocol notification message received: INVALID-ID-INFORMATION'"),
    Pattern(id="paloalto-pfs-mismatch", key="*", action=Action.PROPOSAL_MISMATCH,
            regex=r"pfs group mismatched", ref=_DOC + "'pfs group mismatched:my: 2peer: 0'",
            fields={"detail": "child"}),
)

_SA = re.compile(r"SA: (?P<local_ip>[0-9A-Fa-f.:]+)\[(?P<local_port>\d+)\]-(?P<remote_ip>[0-9A-Fa-f.:]+)"
                 r"\[(?P<remote_port>\d+)\](?: (?:cookie|SPI):(?P<ike_sa_id>[0-9a-fA-F]+))?")
_MSGID = re.compile(r"message id:?\s*(0x[0-9a-fA-F]+|\d+)")
_CHILD_SPI = re.compile(r"SPI:(0x[0-9a-fA-F]+/0x[0-9a-fA-F]+)")
_TEXT_EVENT = re.compile(r"(IKEv2 IKE SA|IKEv2 child SA|IKE phase-1|IKE phase-2|IKE phase 1) negotiation is"
                         r" (started|succeeded|failed)")
_TEXT_IDS = {"IKEv2 IKE SA": "ikev2-nego-ike", "IKEv2 child SA": "ikev2-nego-child", "IKE phase-1": "ike-nego-p1",
             "IKE phase 1": "ike-nego-p1", "IKE phase-2": "ike-nego-p2"}
_TEXT_RESULT = {"started": "start", "succeeded": "succ", "failed": "fail"}
_TEXT_PREFIXES = ("IKE phase-1 ", "IKE phase-2 ", "IKE phase 1 ", "IKEv2 IKE SA ", "IKEv2 child SA ")
_MODES = {"main mode": "ID_PROT", "aggressive mode": "AGGRESSIVE", "quick mode": "QUICK_MODE"}
_NOTIFY_WORDS = {"no proposal chosen": "NO_PROPOSAL_CHOSEN", "invalid id information": "INVALID_ID_INFORMATION",
                 "invalid payload type": "INVALID_PAYLOAD_TYPE", "invalid spi": "INVALID_SPI"}
_day_cache: dict[str, float] = {}


def _is_csv(m: str) -> bool:
    """`1,2026/02/05 21:29:53,serial,...`: a digit, a comma, then a year/month/day."""
    comma = m.find(",", 0, 4)
    return comma > 0 and m[comma + 5:comma + 6] == "/" and m[comma + 8:comma + 9] == "/" and m[:comma].isdigit()


class Paloalto(Dialect):
    name = "paloalto"
    vendor = "paloalto"
    patterns = PATTERNS

    def sniff(self, env: Envelope) -> bool:
        m = env.msg
        if m[1:2] == "," or m[2:3] == ",":
            return _is_csv(m)
        return m[:3] == "IKE" and m.startswith(_TEXT_PREFIXES)

    def prepare(self, env: Envelope, ev: Event) -> str:
        m = env.msg
        if _is_csv(m):
            event_id, desc = self._csv(m, env, ev)
        else:
            event_id, desc = _event_of_text(m), m
        if not event_id:
            return ""
        ev.subsystem = event_id
        _fill(ev, event_id, desc)
        return f"{event_id} {desc}"

    def _csv(self, m: str, env: Envelope, ev: Event) -> tuple[str, str]:
        head = m.split(",", 14)
        if len(head) < 15:
            return "", ""
        serial, log_type, generated, event_id, obj = head[2], head[3], head[6], head[8], head[9]
        if log_type != "SYSTEM":  # TRAFFIC, THREAT, CONFIG...: other layouts, no VPN state
            name = ""
            if log_type == "TRAFFIC" and '"' not in m:  # unquoted: field 52 is the device name
                fields = m.split(",", 53)
                name = fields[52] if len(fields) > 53 else ""
            ev.host = name or ev.host or serial
            ts = _local(generated, env)
            if ts is not None:
                ev.timestamp = ts
            return "", ""
        desc, tail = _description(head[14])
        ev.host = (tail[7] if len(tail) > 7 else "") or ev.host or serial  # field 22, the device name
        hires = tail[10] if len(tail) > 10 else ""
        ts = _iso_offset(hires) if hires else None
        if ts is None:
            ts = _local(generated, env)
        if ts is not None:
            ev.timestamp = ts
        if not event_id.startswith(("ike", "ipsec", "tunnel", "keepalive")):
            return "", ""
        if obj:
            if "-p2-" in event_id or "-child-" in event_id or event_id.startswith(("ipsec", "tunnel")):
                ev.child = obj
            else:
                ev.conn = obj
        return event_id, desc

    def parse(self, env: Envelope, ev: Event) -> None:
        super().parse(env, ev)
        if ev.notify is not None and " " in ev.notify:  # 'NO PROPOSAL CHOSEN' from the words form
            ev.notify = _NOTIFY_WORDS.get(ev.notify.lower().replace("_", " "), ev.notify.replace(" ", "_"))


def _description(rest: str) -> tuple[str, list[str]]:
    """The description (field 14, quoted when it holds commas) and the fields after it."""
    if rest.startswith('"'):
        end = 1
        while True:
            end = rest.find('"', end)
            if end < 0:
                return rest[1:].replace('""', '"'), []
            if rest.startswith('""', end):
                end += 2
                continue
            break
        desc = rest[1:end].replace('""', '"')
        return desc, rest[end + 2:].split(",")
    desc, _, after = rest.partition(",")
    return desc, after.split(",")


def _event_of_text(m: str) -> str:
    t = _TEXT_EVENT.match(m)
    if t is None:
        return ""
    return f"{_TEXT_IDS[t[1]]}-{_TEXT_RESULT[t[2]]}"


def _fill(ev: Event, event_id: str, desc: str) -> None:
    ev.ike_version = 2 if event_id.startswith("ikev2") else 1 if event_id.startswith("ike-") else None
    if "as initiator" in desc:
        ev.role = "initiator"
    elif "as responder" in desc:
        ev.role = "responder"
    for words, exchange in _MODES.items():
        if words in desc:
            ev.exchange = exchange
            break
    sa = _SA.search(desc)
    if sa is not None:
        ev.local_ip, ev.remote_ip = sa["local_ip"], sa["remote_ip"]
        ev.local_port, ev.remote_port = int(sa["local_port"]), int(sa["remote_port"])
        if sa["ike_sa_id"] and sa["ike_sa_id"].strip("0"):
            ev.ike_sa_id = sa["ike_sa_id"]
    if "message id" in desc:
        mid = _MSGID.search(desc)
        if mid is not None:
            ev.message_id = int(mid[1], 16) if mid[1].startswith("0x") else int(mid[1])
    if "SPI:0x" in desc:
        spi = _CHILD_SPI.search(desc)
        if spi is not None:
            ev.spi = spi[1]


def _local(text: str, env: Envelope) -> float | None:
    """`2026/02/05 21:29:53` in the firewall's zone, which PAN-OS does not print: the input's --tz."""
    if len(text) < 19:
        return None
    try:
        y, mo, d = int(text[0:4]), int(text[5:7]), int(text[8:10])
        h, mi, s = int(text[11:13]), int(text[14:16]), int(text[17:19])
        if env.ctx is not None:
            return env.ctx.hour_start(y, mo, d, h) + mi * 60 + s
        return float(timegm((y, mo, d, h, mi, s)))
    except (ValueError, OverflowError):
        return None


def _iso_offset(text: str) -> float | None:
    """`2026-02-05T21:29:53.440+01:00` or `...53.440000Z` (PAN-OS 10+ high resolution timestamp)."""
    if len(text) < 20 or text[10] != "T":
        return None
    try:
        y, mo, d = int(text[0:4]), int(text[5:7]), int(text[8:10])
        h, mi, s = int(text[11:13]), int(text[14:16]), int(text[17:19])
        if text[-1] == "Z":
            offset, rest = 0, text[19:-1]
        else:
            zone = text[-6:]
            if zone[0] not in "+-" or zone[3] != ":":
                return None
            offset = (int(zone[1:3]) * 3600 + int(zone[4:6]) * 60) * (1 if zone[0] == "+" else -1)
            rest = text[19:-6]
        frac = float("0" + rest) if rest[:1] == "." else 0.0
    except ValueError:
        return None
    day = _day_cache.get(text[:10])
    if day is None:
        if len(_day_cache) > 4096:
            _day_cache.clear()
        day = _day_cache[text[:10]] = float(timegm((y, mo, d, 0, 0, 0)))
    return day + h * 3600 + mi * 60 + s + frac - offset


DIALECT = Paloalto()
