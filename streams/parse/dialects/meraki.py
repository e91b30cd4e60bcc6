"""Cisco Meraki MX event log syslog (category `events`): Auto VPN state and non-Meraki (third-party) VPN.

Envelope: `<134>1 1675632593.123456789 MX84 events <message>` (format "meraki": epoch with nanoseconds,
the MX name, the category as program). Relays that add their own header give
`Feb  5 21:29:53 192.168.10.1 1 1675632593.1 MX84 events ...`; `prepare` re-reads the MX's own clock and
name from the body then (the header's are the relay's).

Messages, keyed by their first word:
  type=vpn_connectivity_change ...   Auto VPN peer up/down (key: the type value)
  [Site-to-Site VPN: ][msg: ]<racoon text>   IKEv1 non-Meraki peers (ipsec-tools racoon wording)
  [Site-to-Site VPN: ]<name|N> <charon text>  IKEv2 non-Meraki peers on MX 15.12+ (strongSwan charon)
racoon prints SA endpoints as `local[port]-remote[port]` and new negotiations as `local<=>remote`;
`IPsec-SA established` is logged once per direction (src->dst), so it sets no local/remote.
"""

from __future__ import annotations

import re

from schemas.events import Action, Event
from streams.parse.envelope import Envelope
from streams.parse.patterns import Dialect, Pattern

_SYSLOG = "Meraki 'Syslog Event Types and Log Samples' (MX events), "
_TSHOOT = "Meraki 'Troubleshooting Non-Meraki Site-to-site VPN' (event log messages), "
_RACOON = "ipsec-tools racoon message text (isakmp.c, isakmp_ident.c, pfkey.c), "
_CHARON = "strongSwan charon message text (libcharon), as MX 15.12+ logs it, "

# An address that may end a sentence (`... for 203.0.113.5.`): its last character is a hex digit or
# a colon (`2001:db8::`), never the period after it.
_ADDR = r"[0-9A-Fa-f.:]*[0-9A-Fa-f:]"
_EP = r"(?P<{0}_ip>[0-9A-Fa-f.:]+)\[(?P<{0}_port>\d+)\]"  # racoon's address[port]
_LOCAL, _REMOTE = _EP.format("local"), _EP.format("remote")
_COOKIE = r"(?P<ike_sa_id>[0-9a-f]{16}):[0-9a-f]{16}"

PATTERNS: tuple[Pattern, ...] = (
    # --- Auto VPN ---
    Pattern(id="meraki-autovpn-down", key="type=vpn_connectivity_change", action=Action.TUNNEL_DOWN,
            regex=r"vpn_type='(?P<detail>[^']*)' peer_contact='\[?(?P<remote_ip>[0-9A-Fa-f.:]+?)\]?:(?P<remote_port>\d+)'"
                  r" peer_ident='(?P<remote_id>[^']*)' connectivity='false'",
            ref=_SYSLOG + "'vpn connectivity change' sample"),
    Pattern(id="meraki-autovpn-up", key="type=vpn_connectivity_change", action=Action.TUNNEL_UP,
            regex=r"vpn_type='(?P<detail>[^']*)' peer_contact='\[?(?P<remote_ip>[0-9A-Fa-f.:]+?)\]?:(?P<remote_port>\d+)'"
                  r" peer_ident='(?P<remote_id>[^']*)' connectivity='true'",
            ref=_SYSLOG + "'vpn connectivity change' sample"),
    # --- IKEv1 (racoon) ---
    Pattern(id="meraki-ph2-queued", key="IPsec-SA", action=Action.CHILD_SA_INITIATING,
            regex=r"^IPsec-SA request for (?P<remote_ip>[0-9A-Fa-f.:]+) queued due to no phase1 found",
            ref=_TSHOOT + "'IPsec-SA request for ... queued due to no phase1 found'", fields={"detail": "queued"},
            note="phase 2 waits for phase 1; racoon starts phase 1 next"),
    Pattern(id="meraki-child-established", key="IPsec-SA", action=Action.CHILD_SA_ESTABLISHED,
            regex=r"^IPsec-SA established: (?P<detail>\S+ \S+->\S+) spi=(?P<spi>\d+\(0x[0-9a-f]+\)|\S+)",
            ref=_RACOON + "'IPsec-SA established: %s spi=%u(0x%x)'",
            note="one line per direction; detail keeps the printed src->dst"),
    Pattern(id="meraki-child-expired", key="IPsec-SA", action=Action.SA_DELETED,
            regex=r"^IPsec-SA expired: \S+ \S+->\S+ spi=(?P<spi>\d+\(0x[0-9a-f]+\)|\S+)",
            ref=_RACOON + "'IPsec-SA expired'", fields={"detail": "child"}),
    Pattern(id="meraki-ike-established", key="ISAKMP-SA", action=Action.IKE_SA_ESTABLISHED,
            regex=r"^ISAKMP-SA established " + _LOCAL + "-" + _REMOTE + r" spi:" + _COOKIE,
            ref=_TSHOOT + "'ISAKMP-SA established'", fields={"ike_version": 1}),
    Pattern(id="meraki-ike-deleted", key="ISAKMP-SA", action=Action.SA_DELETED,
            regex=r"^ISAKMP-SA (?:deleted|expired) " + _LOCAL + "-" + _REMOTE + r" spi:" + _COOKIE,
            ref=_RACOON + "'ISAKMP-SA deleted/expired'", fields={"detail": "ike", "ike_version": 1}),
    Pattern(id="meraki-no-sainfo", key="failed", action=Action.TS_UNACCEPTABLE,
            regex=r"^failed to get sainfo", ref=_TSHOOT + "'failed to get sainfo' (subnets/selectors do not match)",
            fields={"detail": "child", "ike_version": 1},
            note="racoon has no sainfo for the peer's proposed subnets: the selectors differ"),
    Pattern(id="meraki-ph2-preprocess-i", key="failed", action=Action.CHILD_SA_FAILED,
            regex=r"^failed to pre-process ph2 packet \(side: 0", ref=_TSHOOT + "'failed to pre-process ph2 packet'",
            fields={"ike_version": 1, "role": "initiator"}, note="racoon's side: 0 initiator, 1 responder"),
    Pattern(id="meraki-ph2-preprocess-r", key="failed", action=Action.CHILD_SA_FAILED,
            regex=r"^failed to pre-process ph2 packet \(side: 1", ref=_TSHOOT + "'failed to pre-process ph2 packet'",
            fields={"ike_version": 1, "role": "responder"}),
    Pattern(id="meraki-ph1-preprocess-i", key="failed", action=Action.PHASE1_FAILED,
            regex=r"^failed to pre-process ph1 packet \(side: 0", ref=_RACOON + "'failed to pre-process ph1 packet'",
            fields={"ike_version": 1, "role": "initiator"}),
    Pattern(id="meraki-ph1-preprocess-r", key="failed", action=Action.PHASE1_FAILED,
            regex=r"^failed to pre-process ph1 packet \(side: 1", ref=_RACOON + "'failed to pre-process ph1 packet'",
            fields={"ike_version": 1, "role": "responder"}),
    Pattern(id="meraki-no-valid-proposal", key="failed", action=Action.PROPOSAL_MISMATCH,
            regex=r"^failed to get valid proposal", ref=_RACOON + "'failed to get valid proposal'",
            fields={"ike_version": 1}),
    Pattern(id="meraki-no-proposal-responder", key="failed", action=Action.PROPOSAL_MISMATCH,
            regex=r"^failed to get proposal for responder", ref="ipsec-tools racoon isakmp_quick.c (quick_r1recv): 'failed to get proposal for responder.'",
            fields={"exchange": "QUICK_MODE", "ike_version": 1},
            note="phase 2: none of the peer's ESP/AH proposals matches this side's sainfo"),
    Pattern(id="meraki-ph2-wait-ph1", key="phase2", action=Action.CHILD_SA_FAILED,
            regex=r"^phase2 negotiation failed due to time up waiting for phase1\. [A-Z]+ "
                  r"(?P<remote_ip>[0-9A-Fa-f.:]+)\[\d+\]->(?P<local_ip>[0-9A-Fa-f.:]+)\[\d+\]",
            ref=_TSHOOT + "'phase2 negotiation failed due to time up waiting for phase1'",
            fields={"detail": "waiting for phase1", "ike_version": 1},
            note="a symptom: phase 1 never completed; racoon prints the SA as peer->local"),
    Pattern(id="meraki-ph1-timeout", key="phase1", action=Action.PEER_UNREACHABLE,
            regex=r"^phase1 negotiation failed due to time up(?:[. ]+" + _COOKIE + ")?",
            ref=_TSHOOT + "'phase1 negotiation failed due to time up'",
            fields={"detail": "ike", "ike_version": 1}),
    Pattern(id="meraki-ph1-failed", key="phase1", action=Action.PHASE1_FAILED,
            regex=r"^phase1 negotiation failed", ref=_RACOON + "'phase1 negotiation failed'", fields={"ike_version": 1}),
    Pattern(id="meraki-no-proposal", key="no", action=Action.PROPOSAL_MISMATCH,
            regex=r"^no suitable proposal found", ref=_TSHOOT + "'no suitable proposal found'", fields={"ike_version": 1}),
    Pattern(id="meraki-no-policy", key="no", action=Action.TS_UNACCEPTABLE,
            regex=r"^no (?:suitable )?policy found", ref=_RACOON + "'no policy found'",
            fields={"detail": "child", "ike_version": 1}),
    Pattern(id="meraki-no-config", key="no", action=Action.PEER_CONFIG_NOT_FOUND,
            regex=r"^no configuration found for (?P<remote_ip>" + _ADDR + ")", ref=_RACOON + "'no configuration found for'",
            fields={"ike_version": 1}),
    Pattern(id="meraki-exchange-not-allowed", key="exchange", action=Action.PEER_CONFIG_NOT_FOUND,
            regex=r"^exchange (?P<detail>.+?) not allowed in any applicable rmconf",
            ref=_TSHOOT + "'exchange Identity Protection not allowed in any applicable rmconf'",
            fields={"exchange": "ID_PROT", "ike_version": 1},
            note="no remote configuration accepts this peer in main mode: unknown peer address or mode mismatch"),
    Pattern(id="meraki-hash-decrypt", key="invalid", action=Action.PSK_MISMATCH,
            regex=r"^invalid HASH_V1 payload length, decryption failed",
            ref=_TSHOOT + "'invalid HASH_V1 payload length, decryption failed?'; shared failure-classes note",
            fields={"ike_version": 1}, note="identity mismatch looks the same; the engine weighs the episode"),
    Pattern(id="meraki-pskey-missing", key="couldn't", action=Action.PSK_NOT_FOUND,
            regex=r"^couldn't find the pskey for (?P<remote_ip>" + _ADDR + ")", ref=_RACOON + "'couldn't find the pskey'",
            fields={"ike_version": 1}),
    Pattern(id="meraki-dpd-dead", key="DPD:", action=Action.DPD_TIMEOUT,
            regex=r"^DPD: remote \(ISAKMP-SA spi=" + _COOKIE + r"\) seems to be dead", ref=_RACOON + "'DPD: remote ... seems to be dead'",
            fields={"ike_version": 1}),
    Pattern(id="meraki-ph1-initiate", key="initiate", action=Action.IKE_INIT_SENT,
            regex=r"^initiate new phase 1 negotiation: " + _LOCAL + "<=>" + _REMOTE, ref=_RACOON + "'initiate new phase 1'",
            fields={"role": "initiator", "ike_version": 1}),
    Pattern(id="meraki-ph2-initiate", key="initiate", action=Action.CHILD_SA_INITIATING,
            regex=r"^initiate new phase 2 negotiation: " + _LOCAL + "<=>" + _REMOTE, ref=_RACOON + "'initiate new phase 2'",
            fields={"role": "initiator", "ike_version": 1}),
    Pattern(id="meraki-ph1-respond", key="respond", action=Action.IKE_INIT_RECEIVED,
            regex=r"^respond new phase 1 negotiation: " + _LOCAL + "<=>" + _REMOTE, ref=_RACOON + "'respond new phase 1'",
            fields={"role": "responder", "ike_version": 1}),
    Pattern(id="meraki-ph2-respond", key="respond", action=Action.CHILD_SA_INITIATING,
            regex=r"^respond new phase 2 negotiation: " + _LOCAL + "<=>" + _REMOTE, ref=_RACOON + "'respond new phase 2'",
            fields={"role": "responder", "ike_version": 1}),
    Pattern(id="meraki-give-up-ph2", key="give", action=Action.CHILD_SA_FAILED,
            regex=r"^give up to get IPsec-SA due to time up", ref=_RACOON + "'give up to get IPsec-SA due to time up to wait'",
            fields={"ike_version": 1}),
    Pattern(id="meraki-notify", key="notification", action=Action.NOTIFY_RECEIVED,
            regex=r"^notification (?P<notify>[A-Z][A-Z-]+) received", ref=_RACOON + "'notification %s received'",
            fields={"ike_version": 1}),
    Pattern(id="meraki-fatal-notify", key="fatal", action=Action.NOTIFY_RECEIVED,
            regex=r"^fatal (?P<notify>[A-Z][A-Z-]+) notify", ref=_RACOON + "'fatal %s notify messsage, phase1 should be deleted'",
            fields={"ike_version": 1}),
    # --- IKEv2 (charon, after the <name|N> prefix) ---
    Pattern(id="meraki-v2-notify-error", key="received", action=Action.NOTIFY_RECEIVED,
            regex=r"^received (?P<notify>[A-Z_]+) notify error", ref=_CHARON + "'received %N notify error'",
            fields={"ike_version": 2, "direction": "in"}),
    Pattern(id="meraki-v2-dh", key="peer", action=Action.DH_GROUP_REJECTED,
            regex=r"^peer didn't accept DH group (?P<proposals>[^, ]+)", ref=_CHARON + "'peer didn't accept DH group'",
            fields={"ike_version": 2}),
    Pattern(id="meraki-v2-idr", key="IDir", action=Action.ID_MISMATCH,
            regex=r"^IDir '(?P<remote_id>[^']*)' does not match to '(?P<detail>[^']*)'", ref=_CHARON + "'IDir ... does not match to'",
            fields={"ike_version": 2}, note="detail is the configured remote id"),
    Pattern(id="meraki-v2-no-psk", key="no", action=Action.PSK_NOT_FOUND,
            regex=r"^no shared key found for '(?P<local_id>[^']*)' - '(?P<remote_id>[^']*)'", ref=_CHARON + "'no shared key found for'",
            fields={"ike_version": 2}),
    Pattern(id="meraki-v2-no-ike-config", key="no", action=Action.PEER_CONFIG_NOT_FOUND,
            regex=r"^no IKE config found for (?P<local_ip>[0-9A-Fa-f.:]+)\.\.\.(?P<remote_ip>" + _ADDR + ")",
            ref=_CHARON + "'no IKE config found for ..., sending NO_PROPOSAL_CHOSEN'", fields={"ike_version": 2}),
    Pattern(id="meraki-v2-no-proposal", key="no", action=Action.PROPOSAL_MISMATCH,
            regex=r"^no acceptable proposal found", ref=_CHARON + "'no acceptable proposal found'", fields={"ike_version": 2}),
    Pattern(id="meraki-v2-no-peer-config", key="no", action=Action.PEER_CONFIG_NOT_FOUND,
            regex=r"^no matching peer config found", ref=_CHARON + "'no matching peer config found'", fields={"ike_version": 2}),
    Pattern(id="meraki-v2-ts", key="no", action=Action.TS_UNACCEPTABLE,
            regex=r"^no matching CHILD_SA config found", ref=_CHARON + "'no matching CHILD_SA config found'",
            fields={"ike_version": 2, "detail": "child"}),
    Pattern(id="meraki-v2-ike-established", key="IKE_SA", action=Action.IKE_SA_ESTABLISHED,
            regex=r"^IKE_SA \S+\[\d+\] established between (?P<local_ip>[0-9A-Fa-f.:]+)\[(?P<local_id>[^\]]*)\]\.\.\."
                  r"(?P<remote_ip>[0-9A-Fa-f.:]+)\[(?P<remote_id>[^\]]*)\]",
            ref=_CHARON + "'IKE_SA %s[%d] established between'; Elastic cisco_meraki test-events.log", fields={"ike_version": 2}),
    Pattern(id="meraki-v2-child-established", key="CHILD_SA", action=Action.CHILD_SA_ESTABLISHED,
            regex=r"^CHILD_SA (?P<child>[^{ ]+)\{\d+\} established with SPIs (?P<spi>\w+\(inbound\) \w+\(outbound\))"
                  r" and TS (?P<ts_local>.+?) === (?P<ts_remote>.+)$",
            ref=_CHARON + "'CHILD_SA %s{%d} established with SPIs'; Elastic cisco_meraki test-events.log",
            fields={"ike_version": 2}),
    Pattern(id="meraki-v2-child-failed", key="failed", action=Action.CHILD_SA_FAILED,
            regex=r"^failed to establish CHILD_SA, keeping IKE_SA", ref=_CHARON + "'failed to establish CHILD_SA, keeping IKE_SA'",
            fields={"ike_version": 2}),
    Pattern(id="meraki-v2-give-up", key="giving", action=Action.PEER_UNREACHABLE,
            regex=r"^giving up after \d+ retransmits", ref=_CHARON + "'giving up after %d retransmits'",
            fields={"ike_version": 2}),
    Pattern(id="meraki-v2-retransmit", key="retransmit", action=Action.RETRANSMIT,
            regex=r"^retransmit \d+ of request with message ID (?P<message_id>\d+)", ref=_CHARON + "'retransmit %d of request'",
            fields={"ike_version": 2}),
    Pattern(id="meraki-v2-init", key="initiating", action=Action.IKE_INIT_SENT,
            regex=r"^initiating IKE_SA (?P<conn>[^\[ ]+)\[\d+\] to (?P<remote_ip>" + _ADDR + ")", ref=_CHARON + "'initiating IKE_SA'",
            fields={"ike_version": 2, "role": "initiator"}),
    Pattern(id="meraki-v2-auth-failed", key="*", action=Action.AUTH_FAILED,
            regex=r"^authentication of '(?P<remote_id>[^']*)' with (?P<detail>[^ ]+(?: [^ ]+)?) failed",
            ref=_CHARON + "'authentication of ... failed'", fields={"ike_version": 2}),
)

_HEAD = re.compile(r"(?:<\d{1,3}>)?(?:1 )?(\d{9,11}\.\d{1,9}) (\S+) (\S+) ?")
_CHARON_PREFIX = re.compile(r"<(?:(?P<conn>[^|>]*)\|)?(?P<id>\d+)> ")
_STRIP = ("Site-to-Site VPN: ", "Site-to-site VPN: ", "Non-Meraki / Client VPN negotiation: ", "non_meraki_vpn: ")


class Meraki(Dialect):
    name = "meraki"
    vendor = "meraki"
    patterns = PATTERNS

    def sniff(self, env: Envelope) -> bool:
        if env.format == "meraki":
            return True
        m = env.msg
        return m[:1].isdigit() and _HEAD.match(m) is not None

    def prepare(self, env: Envelope, ev: Event) -> str:
        body = env.msg
        if env.format != "meraki":  # a relay's header in front: the MX's clock and name are in the body
            head = _HEAD.match(body)
            if head is None:
                return ""
            ev.timestamp, ev.host, ev.program = float(head[1]), head[2], head[3]
            body = body[head.end():]
        if ev.program != "events":
            return ""  # urls, flows, firewall, ids-alerts: no VPN state
        if body.startswith("type="):
            ev.subsystem = body[5:body.find(" ")] if " " in body else body[5:]
            if not ev.subsystem.startswith("non_meraki"):
                return body
            body = body[body.find(" ") + 1:] if " " in body else ""
        for prefix in _STRIP:
            if body.startswith(prefix):
                body = body[len(prefix):]
                break
        if body.startswith("msg: "):
            body = body[5:]
        elif body.startswith("<"):
            pre = _CHARON_PREFIX.match(body)
            if pre is not None:
                ev.conn = pre["conn"] or ev.conn
                ev.ike_sa_id = pre["id"]
                body = body[pre.end():]
        return body.rstrip()


DIALECT = Meraki()
