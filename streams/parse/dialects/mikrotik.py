"""MikroTik RouterOS `ipsec` topic messages (remote syslog action), RouterOS v6 and v7.

RouterOS writes `<topics> <message>`: `Feb  5 21:29:53 MikroTik ipsec,error phase1 negotiation failed ...`.
The envelope leaves the topic list (`ipsec,error`, `ipsec,info`, `ipsec,debug`, `ipsec,warning`,
`ipsec,info,account`, ...) at the head of the message, or as the program when a relay wrote
`ipsec: ...`; both are read. Other topics (system, dhcp, interface, l2tp...) stay UNRECOGNIZED.
Some messages start with the peer's address (`1.2.3.4 failed to get valid proposal.`), taken as remote.

IKEv1 wording is racoon's (RouterOS' IKE daemon derives from it): endpoints print `local[port]<=>remote[port]`
or `local[port]-remote[port]`, cookies `icookie:rcookie`. `IPsec-SA established` is logged once per
direction (src->dst), so it sets no local/remote. IKEv2 (`exchange-mode=ike2`) lines read
`ike2 request, exchange: AUTH:1 1.2.3.4[4500]`, `got fatal error: AUTHENTICATION_FAILED`.
"""

from __future__ import annotations

from schemas.events import Action, Event
from streams.parse.envelope import Envelope
from streams.parse.patterns import Dialect, Pattern

_ROS = "MikroTik RouterOS IPsec manual (help.mikrotik.com, IPsec > Troubleshooting) / forum log excerpts, "
_RACOON = "ipsec-tools racoon message text (isakmp.c, isakmp_ident.c, pfkey.c), "

_IP = r"[0-9A-Fa-f.:]+"
# An address that may end a sentence (`... for 203.0.113.5.`): its last character is a hex digit or
# a colon (`2001:db8::`), never the period after it.
_ADDR = r"[0-9A-Fa-f.:]*[0-9A-Fa-f:]"
_EP = r"(?P<{0}_ip>" + _IP + r")\[(?P<{0}_port>\d+)\]"
_LOCAL, _REMOTE = _EP.format("local"), _EP.format("remote")
_COOKIE = r"(?P<ike_sa_id>[0-9a-f]{16}):[0-9a-f]{16}"

PATTERNS: tuple[Pattern, ...] = (
    # --- phase 1 ---
    Pattern(id="mikrotik-ph1-timeout", key="phase1", action=Action.PEER_UNREACHABLE,
            regex=r"^phase1 negotiation failed due to time up(?:\.? " + _LOCAL + "<=>" + _REMOTE + r")?(?: " + _COOKIE + ")?",
            ref=_ROS + "'phase1 negotiation failed due to time up'", fields={"detail": "ike", "ike_version": 1}),
    Pattern(id="mikrotik-ph1-failed", key="phase1", action=Action.PHASE1_FAILED,
            regex=r"^phase1 negotiation failed", ref=_ROS + "'phase1 negotiation failed.'", fields={"ike_version": 1}),
    Pattern(id="mikrotik-ph1-initiate", key="initiate", action=Action.IKE_INIT_SENT,
            regex=r"^initiate new phase 1 (?:negotiation|\([^)]*\)): " + _LOCAL + "<=>" + _REMOTE,
            ref=_RACOON + "'initiate new phase 1 negotiation'", fields={"role": "initiator", "ike_version": 1}),
    Pattern(id="mikrotik-ph2-initiate", key="initiate", action=Action.CHILD_SA_INITIATING,
            regex=r"^initiate new phase 2 negotiation: " + _LOCAL + "<=>" + _REMOTE,
            ref=_RACOON + "'initiate new phase 2 negotiation'", fields={"role": "initiator", "ike_version": 1}),
    Pattern(id="mikrotik-ph1-respond", key="respond", action=Action.IKE_INIT_RECEIVED,
            regex=r"^respond new phase 1 (?:negotiation|\([^)]*\)): " + _LOCAL + "<=>" + _REMOTE,
            ref=_RACOON + "'respond new phase 1 (Identity Protection)'", fields={"role": "responder", "ike_version": 1}),
    Pattern(id="mikrotik-ph2-respond", key="respond", action=Action.CHILD_SA_INITIATING,
            regex=r"^respond new phase 2 negotiation: " + _LOCAL + "<=>" + _REMOTE,
            ref=_RACOON + "'respond new phase 2 negotiation'", fields={"role": "responder", "ike_version": 1}),
    Pattern(id="mikrotik-ike-established", key="ISAKMP-SA", action=Action.IKE_SA_ESTABLISHED,
            regex=r"^ISAKMP-SA established " + _LOCAL + "-" + _REMOTE + r"(?: spi:" + _COOKIE + ")?",
            ref=_ROS + "'ISAKMP-SA established'", fields={"ike_version": 1}),
    Pattern(id="mikrotik-ike-deleted", key="ISAKMP-SA", action=Action.SA_DELETED,
            regex=r"^ISAKMP-SA (?:deleted|expired) " + _LOCAL + "-" + _REMOTE + r"(?: spi:" + _COOKIE + ")?",
            ref=_ROS + "'ISAKMP-SA deleted'", fields={"detail": "ike", "ike_version": 1}),
    Pattern(id="mikrotik-ike-purged", key="purging", action=Action.SA_DELETED,
            regex=r"^purging ISAKMP-SA (?:" + _LOCAL + "-" + _REMOTE + " )?spi=" + _COOKIE,
            ref="ipsec-tools racoon isakmp_inf.c (purge_remote): 'purging ISAKMP-SA spi=%s.'; RouterOS adds the endpoints",
            fields={"detail": "ike", "ike_version": 1}, note="follows 'DPD: remote ... seems to be dead'"),
    Pattern(id="mikrotik-no-proposal", key="no", action=Action.PROPOSAL_MISMATCH,
            regex=r"^no suitable proposal found", ref=_ROS + "'no suitable proposal found'"),
    Pattern(id="mikrotik-no-policy", key="no", action=Action.TS_UNACCEPTABLE,
            regex=r"^no (?:suitable )?policy found", ref=_ROS + "'no policy found' (phase 2 selectors)",
            fields={"detail": "child"}),
    Pattern(id="mikrotik-policy-not-found", key="policy", action=Action.TS_UNACCEPTABLE,
            regex=r"^policy not found", ref=_ROS + "'policy not found'", fields={"detail": "child"}),
    Pattern(id="mikrotik-no-config", key="could", action=Action.PEER_CONFIG_NOT_FOUND,
            regex=r"^could not find configuration for " + _REMOTE, ref=_ROS + "'could not find configuration for'",
            note="no /ip ipsec peer matches this address"),
    Pattern(id="mikrotik-no-valid-proposal", key="failed", action=Action.PROPOSAL_MISMATCH,
            regex=r"^failed to get valid proposal", ref=_ROS + "'failed to get valid proposal.'"),
    Pattern(id="mikrotik-no-proposal-responder", key="failed", action=Action.PROPOSAL_MISMATCH,
            regex=r"^failed to get proposal for responder", ref="ipsec-tools racoon isakmp_quick.c (quick_r1recv): 'failed to get proposal for responder.'",
            fields={"exchange": "QUICK_MODE", "ike_version": 1}),
    Pattern(id="mikrotik-ph1-preprocess-i", key="failed", action=Action.PHASE1_FAILED,
            regex=r"^failed to pre-process ph1 packet \(side: 0", ref=_ROS + "'failed to pre-process ph1 packet'",
            fields={"role": "initiator", "ike_version": 1}, note="racoon side 0 = initiator, 1 = responder"),
    Pattern(id="mikrotik-ph1-preprocess-r", key="failed", action=Action.PHASE1_FAILED,
            regex=r"^failed to pre-process ph1 packet \(side: 1", ref=_ROS + "'failed to pre-process ph1 packet'",
            fields={"role": "responder", "ike_version": 1}),
    Pattern(id="mikrotik-ph2-preprocess", key="failed", action=Action.CHILD_SA_FAILED,
            regex=r"^failed to pre-process ph2 packet", ref=_RACOON + "'failed to pre-process ph2 packet'",
            fields={"ike_version": 1}),
    Pattern(id="mikrotik-no-sainfo", key="failed", action=Action.TS_UNACCEPTABLE,
            regex=r"^failed to get sainfo", ref=_RACOON + "'failed to get sainfo'", fields={"detail": "child"}),
    # --- authentication and identities ---
    Pattern(id="mikrotik-peer-id-cert", key="peer's", action=Action.ID_MISMATCH,
            regex=r"^peer's ID does not match", ref=_ROS + "'peer's ID does not match certificate'"),
    Pattern(id="mikrotik-identity-not-found", key="identity", action=Action.ID_MISMATCH,
            regex=r"^identity not found(?: for peer: (?P<remote_id>\S+))?",
            ref=_ROS + "'identity not found for peer: ADDR4:1.2.3.4' (no /ip ipsec identity matches)"),
    Pattern(id="mikrotik-hash-decrypt", key="invalid", action=Action.PSK_MISMATCH,
            regex=r"^invalid HASH_V1 payload length, decryption failed", ref=_RACOON + "'invalid HASH_V1 payload length'",
            fields={"ike_version": 1}, note="identity mismatch looks the same; the engine weighs the episode"),
    Pattern(id="mikrotik-hash-mismatch", key="hash", action=Action.PSK_MISMATCH,
            regex=r"^hash mismatch", ref=_ROS + "'hash mismatch'", fields={"ike_version": 1}),
    Pattern(id="mikrotik-wrong-password", key="parsing", action=Action.PSK_MISMATCH,
            regex=r"^parsing packet failed, possible cause: wrong password", ref=_ROS + "'possible cause: wrong password'"),
    Pattern(id="mikrotik-peer-auth-wrong-password", key="peer", action=Action.PSK_MISMATCH,
            regex=r"^peer authentication failed, possible cause: wrong password",
            ref=_ROS + "'peer authentication failed, possible cause: wrong password'",
            note="RouterOS names the cause itself; without it the line would be a generic AUTH_FAILED"),
    Pattern(id="mikrotik-no-pskey", key="couldn't", action=Action.PSK_NOT_FOUND,
            regex=r"^couldn't find the pskey for (?P<remote_ip>" + _ADDR + ")", ref=_RACOON + "'couldn't find the pskey for'"),
    Pattern(id="mikrotik-notify", key="received", action=Action.NOTIFY_RECEIVED,
            regex=r"^received notify type (?P<notify>[A-Z][A-Z_-]+)", ref=_ROS + "'received notify type ...'",
            fields={"direction": "in"}),
    Pattern(id="mikrotik-notification", key="notification", action=Action.NOTIFY_RECEIVED,
            regex=r"^notification (?P<notify>[A-Z][A-Z_-]+) received", ref=_RACOON + "'notification %s received in "
            "informational exchange'", fields={"direction": "in", "ike_version": 1}),
    Pattern(id="mikrotik-notify-short", key="notify:", action=Action.NOTIFY_RECEIVED,
            regex=r"^notify: (?P<notify>[A-Z][A-Z_-]+)", ref=_ROS + "'notify: INVALID_ID_INFORMATION'",
            fields={"direction": "in"}),
    Pattern(id="mikrotik-fatal-error", key="got", action=Action.NOTIFY_RECEIVED,
            regex=r"^got fatal error: (?P<notify>[A-Z][A-Z_-]+)", ref=_ROS + "IKEv2 'got fatal error: AUTHENTICATION_FAILED'",
            fields={"direction": "in", "ike_version": 2}),
    # --- phase 2 / child SAs ---
    Pattern(id="mikrotik-child-established", key="IPsec-SA", action=Action.CHILD_SA_ESTABLISHED,
            regex=r"^IPsec-SA established: (?P<detail>\S+ \S+->\S+) spi=(?P<spi>\S+)", ref=_ROS + "'IPsec-SA established: ESP/Tunnel'",
            note="one line per direction; detail keeps the printed src->dst"),
    Pattern(id="mikrotik-child-expired", key="IPsec-SA", action=Action.SA_DELETED,
            regex=r"^IPsec-SA (?:expired|killing)[: ]", ref=_ROS + "'IPsec-SA expired'", fields={"detail": "child"}),
    Pattern(id="mikrotik-ph2-wait-ph1", key="phase2", action=Action.CHILD_SA_FAILED,
            regex=r"^phase2 negotiation failed due to time up waiting for phase1", ref=_RACOON + "'time up waiting for phase1'",
            fields={"detail": "waiting for phase1", "ike_version": 1}),
    Pattern(id="mikrotik-ph2-failed", key="phase2", action=Action.CHILD_SA_FAILED,
            regex=r"^phase2 negotiation failed", ref=_RACOON + "'phase2 negotiation failed'", fields={"ike_version": 1}),
    # --- DPD ---
    Pattern(id="mikrotik-dpd-dead", key="DPD:", action=Action.DPD_TIMEOUT,
            regex=r"^DPD: remote \(ISAKMP-SA spi=" + _COOKIE + r"\) seems to be dead", ref=_RACOON + "'DPD: remote ... seems to be dead'"),
    Pattern(id="mikrotik-peer-not-responding", key="peer", action=Action.DPD_TIMEOUT,
            regex=r"^peer (?:(?P<remote_ip>" + _IP + r")(?:\[\d+\])? )?(?:is )?not responding", ref=_ROS + "'peer ... not responding'"),
    # --- IKEv2 ---
    Pattern(id="mikrotik-ike2-request", key="ike2", action=Action.MESSAGE_RECEIVED,
            regex=r"^ike2 request, exchange: (?P<exchange>[A-Z_]+):(?P<message_id>\d+) " + _REMOTE,
            ref=_ROS + "'ike2 request, exchange: SA_INIT:0 1.2.3.4[500]'", fields={"ike_version": 2, "direction": "in"}),
    Pattern(id="mikrotik-ike2-reply", key="ike2", action=Action.MESSAGE_RECEIVED,
            regex=r"^ike2 reply, exchange: (?P<exchange>[A-Z_]+):(?P<message_id>\d+) " + _REMOTE,
            ref=_ROS + "'ike2 reply, exchange: AUTH:1 1.2.3.4[4500]'", fields={"ike_version": 2, "direction": "in"}),
    Pattern(id="mikrotik-ike2-init", key="ike2", action=Action.IKE_INIT_SENT,
            regex=r"^ike2 init: (?:\S+ )?" + _LOCAL + r"(?:->|-)" + _REMOTE, ref=_ROS + "'ike2 init'",
            fields={"ike_version": 2, "role": "initiator"}),
    Pattern(id="mikrotik-ike2-new-sa-i", key="new", action=Action.IKE_INIT_SENT,
            regex=r"^new ike2 SA \(I\): (?:\S+ )?" + _LOCAL + "-" + _REMOTE + "(?: spi:" + _COOKIE + ")?",
            ref=_ROS + "'new ike2 SA (I)'",
            fields={"ike_version": 2, "role": "initiator"}),
    Pattern(id="mikrotik-ike2-new-sa-r", key="new", action=Action.IKE_INIT_RECEIVED,
            regex=r"^new ike2 SA \(R\): (?:\S+ )?" + _LOCAL + "-" + _REMOTE + "(?: spi:" + _COOKIE + ")?",
            ref=_ROS + "'new ike2 SA (R)'",
            fields={"ike_version": 2, "role": "responder"}),
    Pattern(id="mikrotik-ike2-killing", key="killing", action=Action.SA_DELETED,
            regex=r"^killing ike2 SA(?:: (?:(?P<conn>[^ \[]+) )?" + _LOCAL + "-" + _REMOTE + "(?: spi:" + _COOKIE + ")?)?",
            ref=_ROS + "'killing ike2 SA: peer local-remote spi:...'", fields={"detail": "ike", "ike_version": 2}),
    Pattern(id="mikrotik-ts-unacceptable", key="*", action=Action.TS_UNACCEPTABLE,
            regex=r"\bTS_UNACCEPTABLE\b|\bts unacceptable\b|traffic selectors? (?:unacceptable|mismatch)",
            ref=_ROS + "IKEv2 TS_UNACCEPTABLE", fields={"detail": "child"}),
    Pattern(id="mikrotik-auth-failed", key="*", action=Action.AUTH_FAILED,
            regex=r"(?i)\bauth(?:entication)? failed\b", ref=_ROS + "IKEv2 authentication failed"),
)

# RouterOS logging topics (/system logging topics=...): a first token made only of these is a topic list.
TOPICS = frozenset({
    "account", "async", "backup", "bfd", "bgp", "bridge", "caps", "certificate", "critical", "ddns", "debug",
    "dhcp", "disk", "dns", "dot1x", "e-mail", "error", "event", "firewall", "gsm", "gps", "hotspot", "igmp-proxy",
    "info", "interface", "ipsec", "ipv6", "isdn", "iscsi", "kvm", "l2tp", "ldp", "lora", "lte", "manager", "mme",
    "mpls", "netwatch", "ntp", "ospf", "ovpn", "packet", "pim", "poe-out", "ppp", "pppoe", "pptp", "radius",
    "radvd", "raw", "read", "rip", "route", "rsvp", "script", "sertcp", "snmp", "ssh", "sstp", "state", "store",
    "stp", "system", "telephony", "tftp", "timer", "ups", "vrrp", "warning", "watchdog", "web-proxy", "wireguard",
    "wireless", "write", "container", "fetch", "health", "ike2", "ipsec-peer", "smb", "zerotier",
})
_EXCHANGES = {"SA_INIT": "IKE_SA_INIT", "AUTH": "IKE_AUTH", "CREATE_CHILD_SA": "CREATE_CHILD_SA",
              "CREATE_CHILD": "CREATE_CHILD_SA", "INFORMATIONAL": "INFORMATIONAL", "INFO": "INFORMATIONAL"}


_seen: dict[str, bool] = {}


def _topics(token: str) -> bool:
    """A RouterOS topic list (`ipsec,error`); memoised, as a router prints only a few of them."""
    known = _seen.get(token)
    if known is None:
        known = "," in token and token[:1].isalpha() and all(part in TOPICS for part in token.split(","))
        if len(_seen) > 1024:
            _seen.clear()
        _seen[token] = known
    return known


class Mikrotik(Dialect):
    name = "mikrotik"
    vendor = "mikrotik"
    patterns = PATTERNS

    def sniff(self, env: Envelope) -> bool:
        m = env.msg
        return m[:1].isalpha() and _topics(m.partition(" ")[0])

    def prepare(self, env: Envelope, ev: Event) -> str:
        m = env.msg
        head, _, body = m.partition(" ")
        if _topics(head):
            topics = head
        elif env.program and (env.program in TOPICS or _topics(env.program)):
            topics, body = env.program, m
        else:
            return ""
        ev.subsystem = topics
        if "ipsec" not in topics.split(","):
            return ""  # system, dhcp, l2tp, ppp...: not IPsec
        body = body.lstrip(" ")
        first, _, rest = body.partition(" ")
        if (first[:1].isdigit() or first.count(":") > 1) and _is_address(first):  # `1.2.3.4 failed to ...`
            ev.remote_ip = first
            body = rest
        return body.rstrip()

    def parse(self, env: Envelope, ev: Event) -> None:
        super().parse(env, ev)
        if ev.exchange is not None:
            ev.exchange = _EXCHANGES.get(ev.exchange, ev.exchange)


def _is_address(token: str) -> bool:
    if token.count(".") == 3:
        return all(part.isdigit() for part in token.split("."))
    return token.count(":") >= 2 and all(c in "0123456789abcdefABCDEF:" for c in token)


DIALECT = Mikrotik()
