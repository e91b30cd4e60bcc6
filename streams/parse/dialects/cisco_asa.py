"""Cisco ASA / FTD `%ASA-<sev>-<id>` and `%FTD-<sev>-<id>` IKE and IPsec messages.

Dispatch is on the message id (subsystem). IKEv1 messages (713xxx-715xxx) start with
`Group = g, Username = u, IP = p,` and IKEv2 ones (750xxx-751xxx) with `Local:a:p Remote:b:p Username:u`:
`split` moves those into conn / remote_ip / local and remote ports before the regexes run. 713900-713906
are one family of "descriptive event strings" (the same text comes under several ids) keyed
`7139xx:<first word>`.
IKEv2, tunnel manager and data plane messages are in cisco_asa_ikev2. Any other %ASA line stays
UNRECOGNIZED with vendor `cisco_asa`.
"""

from __future__ import annotations

import re

from schemas.events import Action, Event
from streams.parse.context import ParseContext
from streams.parse.dialects.cisco_asa_ikev2 import PATTERNS as IKEV2_PATTERNS
from streams.parse.dialects.cisco_common import MONTH_RX, CiscoDialect, device_time, ikev2_reason_key, ip
from streams.parse.envelope import Envelope
from streams.parse.patterns import Pattern

D = "cisco_asa"
G = "Cisco ASA Series Syslog Messages, "
V1 = {"ike_version": 1}
QM = {"ike_version": 1, "exchange": "QUICK_MODE"}
F = "7139xx"  # 713900-713906
PHASE1_TIMEOUT_STATES = r"(?:MM_WAIT_MSG2|AM_WAIT_MSG2|MM_SND_MSG1|AM_SND_MSG1)"

PATTERNS: tuple[Pattern, ...] = (
    # --- phase 1 / phase 2 progress -------------------------------------------------------------------------
    Pattern(id=f"{D}-713041-new-p1", key="713041", action=Action.IKE_INIT_SENT,
            regex=r"IKE Initiator: New Phase 1, Intf \S+, IKE Peer " + ip("remote_ip")
                  + r"\s+local Proxy Address (?P<ts_local>[^,]+), remote Proxy Address (?P<ts_remote>[^,]+)",
            ref=G + "713041", fields={**V1, "role": "initiator"}),
    Pattern(id=f"{D}-713041-new-p2", key="713041", action=Action.CHILD_SA_INITIATING,
            regex=r"IKE Initiator: New Phase 2, Intf \S+, IKE Peer " + ip("remote_ip")
                  + r"\s+local Proxy Address (?P<ts_local>[^,]+), remote Proxy Address (?P<ts_remote>[^,]+)",
            ref=G + "713041", fields={**QM, "role": "initiator"}),
    Pattern(id=f"{D}-713041-rekey-p1", key="713041", action=Action.REKEY_STARTED,
            regex=r"IKE Initiator: Rekey Phase 1, Intf \S+, IKE Peer " + ip("remote_ip"), ref=G + "713041",
            fields={**V1, "role": "initiator", "detail": "ike"}),
    Pattern(id=f"{D}-713041-rekey-p2", key="713041", action=Action.REKEY_STARTED,
            regex=r"IKE Initiator: Rekey Phase 2, Intf \S+, IKE Peer " + ip("remote_ip")
                  + r"\s+local Proxy Address (?P<ts_local>[^,]+), remote Proxy Address (?P<ts_remote>[^,]+)",
            ref=G + "713041", fields={**QM, "role": "initiator"}),
    Pattern(id=f"{D}-713119", key="713119", action=Action.IKE_SA_ESTABLISHED, regex=r"PHASE 1 COMPLETED",
            ref=G + "713119", fields=V1),
    Pattern(id=f"{D}-713120", key="713120", action=Action.CHILD_SA_ESTABLISHED,
            regex=r"PHASE 2 COMPLETED(?: \(msgid=(?P<message_id>[0-9a-fA-F]+)\))?", ref=G + "713120", fields=QM),
    Pattern(id=f"{D}-713049", key="713049", action=Action.CHILD_SA_ESTABLISHED,
            regex=r"Security negotiation complete for (?P<detail>.+?) \([^)]*\)\s+(?P<role>Initiator|Responder), "
                  r"Inbound SPI = (?P<spi>0x[0-9a-fA-F]+)", ref=G + "713049", fields=QM,
            note="spi is the inbound one"),
    Pattern(id=f"{D}-713052", key="713052", action=Action.AUTH_SUCCEEDED,
            regex=r"User \((?P<remote_id>[^)]*)\) authenticated", ref=G + "713052", fields=V1),
    Pattern(id=f"{D}-713201-p2", key="713201", action=Action.RETRANSMIT,
            regex=r"Duplicate (?P<detail>Phase 2) packet detected", ref=G + "713201", fields=QM,
            note="the peer resent a packet: our answer was lost or is late"),
    Pattern(id=f"{D}-713201", key="713201", action=Action.RETRANSMIT,
            regex=r"Duplicate (?P<detail>Phase \d) packet detected", ref=G + "713201", fields=V1),
    # --- proposals and selectors ----------------------------------------------------------------------------
    Pattern(id=f"{D}-713257-p2", key="713257", action=Action.PROPOSAL_MISMATCH,
            regex=r"Phase 2 failure:\s+Mismatched attribute types for class (?P<detail>[^:]+?)\s*:\s+"
                  r"(?P<proposals>Rcv'd:.+?)\s*$", ref=G + "713257", fields=QM),
    Pattern(id=f"{D}-713257", key="713257", action=Action.PROPOSAL_MISMATCH,
            regex=r"Phase 1 failure:\s+Mismatched attribute types for class (?P<detail>[^:]+?)\s*:\s+"
                  r"(?P<proposals>Rcv'd:.+?)\s*$", ref=G + "713257", fields=V1,
            note="class Group is the DH group: an IKEv1 proposal mismatch (no INVALID_KE retry as in IKEv2)"),
    Pattern(id=f"{D}-713065", key="713065", action=Action.PROPOSAL_MISMATCH,
            regex=r"IKE Remote Peer did not negotiate the following: (?P<detail>.+)", ref=G + "713065", fields=V1),
    Pattern(id=f"{D}-713047", key="713047", action=Action.PROPOSAL_MISMATCH,
            regex=r"(?P<detail>Unsupported Oakley group: Group \d+)", ref=G + "713047", fields=V1),
    Pattern(id=f"{D}-713118", key="713118", action=Action.PROPOSAL_MISMATCH,
            regex=r"(?P<detail>Detected invalid Diffie-Hel+mann group.*?\d+)", ref=G + "713118", fields=V1),
    Pattern(id=f"{D}-713061", key="713061", action=Action.TS_UNACCEPTABLE,
            regex=r"Rejecting IPSec tunnel: no matching crypto map entry for remote proxy (?P<ts_remote>\S+) "
                  r"local proxy (?P<ts_local>\S+)", ref=G + "713061; public excerpt (ASA 9.2 to AWS)", fields=QM),
    Pattern(id=f"{D}-713061-policy", key="713061", action=Action.TS_UNACCEPTABLE,
            regex=r"Tunnel rejected: Crypto Map Policy not found for Src:\s*(?P<ts_local>[^,\s]+),\s*"
                  r"Dst:\s*(?P<ts_remote>[^!\s]+)", ref=G + "713061", fields=QM),
    Pattern(id=f"{D}-713042", key="713042", action=Action.CHILD_CONFIG_NOT_FOUND,
            regex=r"IKE Initiator unable to find policy: Intf \S+, Src: (?P<ts_local>[^,]+), Dst: (?P<ts_remote>\S+)",
            ref=G + "713042", fields=V1),
    Pattern(id=f"{D}-713221", key="713221", action=Action.CHILD_CONFIG_LOOKUP,
            regex=r"Static Crypto Map check, (?P<detail>checking map = [^,]+, seq = \d+)", ref=G + "713221", fields=QM),
    Pattern(id=f"{D}-713222", key="713222", action=Action.CHILD_CONFIG_LOOKUP,
            regex=r"Static Crypto Map check, map = \S+, seq = \d+, (?P<detail>ACL does not match proxy IDs) "
                  r"src:(?P<ts_remote>\S+) dst:(?P<ts_local>\S+)", ref=G + "713222", fields=QM,
            note="one crypto map entry did not match; a failure only if no entry matches (713061 follows)"),
    Pattern(id=f"{D}-713225", key="713225", action=Action.CHILD_CONFIG_LOOKUP,
            regex=r"Static Crypto Map check, map \S+, seq = \d+ (?P<detail>is a successful match)", ref=G + "713225",
            fields=QM),
    Pattern(id=f"{D}-713024", key="713024", action=Action.INFO, regex=r"Received local Proxy Host data in ID "
            r"Payload:\s+Address (?P<ts_local>\S+?),", ref=G + "713024", fields=QM),
    Pattern(id=f"{D}-713025", key="713025", action=Action.INFO, regex=r"Received remote Proxy Host data in ID "
            r"Payload:\s+Address (?P<ts_remote>\S+?),", ref=G + "713025", fields=QM),
    Pattern(id=f"{D}-713034", key="713034", action=Action.INFO,
            regex=r"Received local IP Proxy Subnet data in ID Payload:\s+Address (?P<ts_local>\S+?), Mask", ref=G
            + "713034", fields=QM),
    Pattern(id=f"{D}-713035", key="713035", action=Action.INFO,
            regex=r"Received remote IP Proxy Subnet data in ID Payload:\s+Address (?P<ts_remote>\S+?), Mask",
            ref=G + "713035", fields=QM),
    # --- notifies, deletes, DPD -------------------------------------------------------------------------------
    Pattern(id=f"{D}-713068", key="713068", action=Action.NOTIFY_RECEIVED,
            regex=r"Received non-routine Notify message: (?P<detail>.+?) \((?P<notify>\d+)\)", ref=G + "713068",
            fields={**V1, "direction": "in"}, note="the number is the RFC 2408 notify type (18 = INVALID_ID_INFO)"),
    Pattern(id=f"{D}-713117", key="713117", action=Action.NOTIFY_RECEIVED,
            regex=r"Received Invalid SPI notify \(SPI (?P<spi>\S+?)\s*\)", ref=G + "713117",
            fields={**V1, "notify": "INVALID_SPI", "direction": "in"}),
    Pattern(id=f"{D}-713123", key="713123", action=Action.DPD_TIMEOUT,
            regex=r"IKE lost contact with remote peer, deleting connection \(keepalive type: (?P<detail>[^)]+)\)",
            ref=G + "713123", fields=V1),
    Pattern(id=f"{D}-713122", key="713122", action=Action.INFO, regex=r"(?P<detail>Keep-alives configured.+)",
            ref=G + "713122", fields=V1),
    Pattern(id=f"{D}-713050", key="713050", action=Action.SA_DELETED,
            regex=r"Connection terminated for peer " + ip("remote_ip") + r"\.?\s+Reason: (?P<detail>.+?)"
                  r"(?:\s+Remote Proxy (?P<ts_remote>\S+), Local Proxy (?P<ts_local>\S+))?\s*$", ref=G + "713050",
            fields=V1),
    Pattern(id=f"{D}-713169", key="713169", action=Action.SA_DELETED,
            regex=r"IKE Received delete for (?P<detail>rekeyed SA)", ref=G + "713169", fields=V1),
    Pattern(id=f"{D}-713170", key="713170", action=Action.SA_DELETED,
            regex=r"IKE Received delete for (?P<detail>rekeyed centry)", ref=G + "713170", fields=QM),
    Pattern(id=f"{D}-713194", key="713194", action=Action.SA_DELETED,
            regex=r"Sending (?:IKE|IPsec|IPSec) Delete With Reason message: (?P<detail>.+)", ref=G + "713194",
            fields={**V1, "direction": "out"}),
    Pattern(id=f"{D}-713259", key="713259", action=Action.SA_DELETED,
            regex=r"Session is being torn down\. Reason: (?P<detail>.+)", ref=G + "713259", fields=V1),
    Pattern(id=f"{D}-113019-dpd", key="113019", action=Action.DPD_TIMEOUT,
            regex=r"Session disconnected\..*Reason: (?P<detail>.*?(?:DPD|[Dd]ead [Pp]eer|[Kk]eepalive).*)",
            ref=G + "113019"),
    Pattern(id=f"{D}-113019", key="113019", action=Action.TUNNEL_DOWN,
            regex=r"Session disconnected\. Session Type: [^,]+,.*Reason: (?P<detail>.+)", ref=G + "113019"),
    # --- configuration, authentication -----------------------------------------------------------------------
    Pattern(id=f"{D}-713022", key="713022", action=Action.PEER_CONFIG_NOT_FOUND,
            regex=r"No Group found matching (?P<remote_id>\S+) for Pre-shared key peer " + ip("remote_ip"),
            ref=G + "713022", fields=V1),
    Pattern(id=f"{D}-713138", key="713138", action=Action.PSK_NOT_FOUND,
            regex=r"Group (?P<conn>\S+) not found and (?P<detail>BASE GROUP default preshared key not configured)",
            ref=G + "713138", fields=V1),
    Pattern(id=f"{D}-713139", key="713139", action=Action.INFO,
            regex=r"(?P<detail>not found, using BASE GROUP default preshared key)", ref=G + "713139", fields=V1),
    Pattern(id=f"{D}-713056", key="713056", action=Action.PEER_CONFIG_NOT_FOUND,
            regex=r"Tunnel rejected: (?P<detail>SA \(.*?\) not found for group.*)", ref=G + "713056", fields=V1),
    Pattern(id=f"{D}-713060", key="713060", action=Action.AUTH_FAILED,
            regex=r"Tunnel Rejected: (?P<detail>User .+ group-lock check failed)", ref=G + "713060", fields=V1),
    Pattern(id=f"{D}-713187", key="713187", action=Action.PEER_CONFIG_NOT_FOUND,
            regex=r"Tunnel Rejected: (?P<detail>IKE peer does not match remote peer as defined in L2L policy)",
            ref=G + "713187", fields=V1),
    Pattern(id=f"{D}-713255", key="713255", action=Action.ID_MISMATCH,
            regex=r"Received ISAKMP Aggressive Mode message 1 with (?P<detail>unknown tunnel group name) "
                  r"(?P<remote_id>\S+)", ref=G + "713255", fields={**V1, "exchange": "AGGRESSIVE"}),
    Pattern(id=f"{D}-713198", key="713198", action=Action.AUTH_FAILED,
            regex=r"(?i)(?P<detail>User Authorization failed.*)", ref=G + "713198", fields=V1),
    Pattern(id=f"{D}-713166", key="713166", action=Action.AUTH_FAILED,
            regex=r"(?P<detail>Headend security gateway has failed our user authentication attempt)", ref=G + "713166",
            fields=V1),
    Pattern(id=f"{D}-713167", key="713167", action=Action.AUTH_FAILED,
            regex=r"(?P<detail>Remote peer has failed user authentication)", ref=G + "713167", fields=V1),
    Pattern(id=f"{D}-713130", key="713130", action=Action.ATTRIBUTES_NOT_SUPPORTED,
            regex=r"Received unsupported transaction mode attribute: (?P<detail>\S+)", ref=G + "713130", fields=V1),
    Pattern(id=f"{D}-713048", key="713048", action=Action.MESSAGE_PARSE_FAILED,
            regex=r"(?P<detail>Error processing payload: Payload ID: \d+)", ref=G + "713048", fields=V1),
    Pattern(id=f"{D}-713136-p1", key="713136", action=Action.PEER_UNREACHABLE,
            regex=r"IKE session establishment timed out \[(?P<detail>" + PHASE1_TIMEOUT_STATES + r")\]",
            ref=G + "713136", fields=V1, note="stuck waiting for the peer's first answer"),
    Pattern(id=f"{D}-713136", key="713136", action=Action.IKE_SA_FAILED,
            regex=r"IKE session establishment timed out \[(?P<detail>[^\]]+)\]", ref=G + "713136", fields=V1),
    Pattern(id=f"{D}-713172", key="713172", action=Action.INFO,
            regex=r"Automatic NAT Detection Status:\s+(?P<detail>.+?)\s*$", ref=G + "713172", fields=V1),
    Pattern(id=f"{D}-713228", key="713228", action=Action.INFO,
            regex=r"(?P<detail>Assigned private IP address \S+)", ref=G + "713228", fields=V1),
    Pattern(id=f"{D}-715036", key="715036", action=Action.DPD_SENT,
            regex=r"Sending keep-alive of type (?P<detail>DPD R-U-THERE)", ref=G + "715036",
            fields={**V1, "direction": "out"}),
    Pattern(id=f"{D}-715075", key="715075", action=Action.INFO,
            regex=r"Received keep-alive of type (?P<detail>DPD R-U-THERE(?:-ACK)?)", ref=G + "715075",
            fields={**V1, "direction": "in"}),
    *(Pattern(id=f"{D}-{mid}", key=mid, action=Action.INFO, regex=r"(?P<detail>\w+ .*?payload)", ref=G + mid,
              fields=V1) for mid in ("715046", "715047")),
    Pattern(id=f"{D}-715009", key="715009", action=Action.SA_DELETED,
            regex=r"IKE Deleting SA: Remote Proxy (?P<ts_remote>[^,]+), Local Proxy (?P<ts_local>\S+)",
            ref=G + "715009", fields=QM),
    Pattern(id=f"{D}-717009", key="717009", action=Action.CERT_INVALID,
            regex=r"Certificate validation failed\.? ?(?P<detail>.*)", ref=G + "717009"),
    Pattern(id=f"{D}-717027", key="717027", action=Action.CERT_INVALID,
            regex=r"Certificate chain failed validation\.? ?(?P<detail>.*)", ref=G + "717027"),
    # --- 713900-713906 descriptive strings, keyed 7139xx:<first word> ----------------------------------------
    Pattern(id=f"{D}-qm-fsm-error", key=F + ":QM", action=Action.CHILD_SA_FAILED,
            regex=r"(?P<detail>QM FSM error) \(P2 struct &0x[0-9a-fA-F]+, mess id 0x(?P<message_id>[0-9a-fA-F]+)\)",
            ref=G + "713902; public excerpt (ASA 9.2 to AWS)", fields=QM),
    Pattern(id=f"{D}-psk-decrypt-error", key=F + ":ERROR,", action=Action.PSK_MISMATCH,
            regex=r"(?P<detail>had problems decrypting packet, probably due to mismatched pre-shared key)",
            ref=G + "713903", fields=V1),
    Pattern(id=f"{D}-invalid-payloads", key=F + ":Received", action=Action.DECRYPT_FAILED,
            regex=r"Received encrypted Oakley (?P<exchange>Main|Aggressive|Quick) Mode packet with "
                  r"(?P<detail>invalid payloads)", ref=G + "713904", fields=V1,
            note="Cisco documents it as a pre-shared key mismatch: the packet decrypts to garbage"),
    Pattern(id=f"{D}-unencrypted-no-proposal", key=F + ":Received", action=Action.PROPOSAL_MISMATCH,
            regex=r"Received an un-encrypted (?P<notify>NO_PROPOSAL_CHOSEN) notify message", ref=G + "713904",
            fields={**V1, "direction": "in"}),
    Pattern(id=f"{D}-unencrypted-notify", key=F + ":Received", action=Action.NOTIFY_RECEIVED,
            regex=r"Received an un-encrypted (?P<notify>\w+) notify message", ref=G + "713904",
            fields={**V1, "direction": "in"},
            note="PAYLOAD_MALFORMED or INVALID_HASH_INFO in clear text: the peer could not decrypt us (PSK)"),
    Pattern(id=f"{D}-no-matching-sa", key=F + ":Received", action=Action.INFO,
            regex=r"(?P<detail>Received encrypted packet with no matching SA)", ref=G + "713904", fields=V1),
    Pattern(id=f"{D}-all-ipsec-proposals-unacceptable", key=F + ":All", action=Action.PROPOSAL_MISMATCH,
            regex=r"(?P<detail>All IPSec SA proposals found unacceptable)", ref=G + "713902", fields=QM),
    Pattern(id=f"{D}-all-proposals-unacceptable", key=F + ":All", action=Action.PROPOSAL_MISMATCH,
            regex=r"(?P<detail>All SA proposals found unacceptable)", ref=G + "713902", fields=V1),
    Pattern(id=f"{D}-rejecting-tunnel-proposals", key=F + ":Rejecting", action=Action.PROPOSAL_MISMATCH,
            regex=r"Rejecting IPSec tunnel: (?P<detail>.*proposals? (?:found )?unacceptable.*)", ref=G + "713902",
            fields=QM),
    Pattern(id=f"{D}-decode-sending", key=F + ":IKE", action=Action.PACKET_SENT,
            regex=r"IKE DECODE SENDING Message \(msgid=(?P<message_id>[0-9a-fA-F]+)\) with payloads ?: ?(?P<detail>.+?)"
                  r"(?: total length|$)", ref=G + "713906", fields={**V1, "direction": "out"}),
    Pattern(id=f"{D}-decode-received", key=F + ":IKE", action=Action.PACKET_RECEIVED,
            regex=r"IKE DECODE RECEIVED Message \(msgid=(?P<message_id>[0-9a-fA-F]+)\) with payloads ?: ?(?P<detail>.+?)"
                  r"(?: total length|$)", ref=G + "713906", fields={**V1, "direction": "in"}),
    Pattern(id=f"{D}-payload-error", key=F + ":Error", action=Action.MESSAGE_PARSE_FAILED,
            regex=r"(?P<detail>Error processing payload: Payload ID: \d+)", ref=G + "713902", fields=V1),
    Pattern(id=f"{D}-no-tunnel-group", key=F + ":Can't", action=Action.PEER_CONFIG_NOT_FOUND,
            regex=r"(?P<detail>Can't find a valid tunnel group)", ref=G + "713902", fields=V1),
    Pattern(id=f"{D}-missing-sa-payload", key=F + ":Header", action=Action.MESSAGE_PARSE_FAILED,
            regex=r"(?P<detail>Header invalid, missing SA payload!?.*)", ref=G + "713902", fields=V1),
    Pattern(id=f"{D}-tunnel-rejected", key=F + ":Tunnel", action=Action.IKE_SA_FAILED,
            regex=r"Tunnel Rejected: (?P<detail>.+)", ref=G + "713902", fields=V1),
    *(Pattern(id=f"{D}-{slug}", key=f"{F}:{word}", action=Action.INFO, regex=rx, ref=G + "713902-713906", fields=V1)
      for slug, word, rx in (
          ("peer-table", "Removing", r"(?P<detail>Removing peer from (?:peer|correlator) table failed)"),
          ("peer-tbl-entry", "Error:", r"(?P<detail>Unable to remove PeerTblEntry)"),
          ("dn-attributes", "Freeing", r"(?P<detail>Freeing previously allocated memory for authorization-dn-attributes)"),
          ("info-exchange-failed", "Information", r"(?P<detail>Information Exchange processing failed)"),
          ("redirect-url", "ERROR:", r"(?P<detail>Failed to install Redirect URL)"))),
    *IKEV2_PATTERNS,
)

_ASA_ID = re.compile(r"%(?:ASA|FTD)-(?P<sev>[0-7])-(?P<id>\d{6,7}):? ?")
_CLOCK = re.compile(r"(?:<\d{1,3}>)?(?P<mon>" + MONTH_RX + r") +(?P<day>\d{1,2})(?: (?P<year>\d{4}))? "
                    r"(?P<h>\d\d):(?P<m>\d\d):(?P<s>\d\d)(?P<frac>\.\d{1,6})?(?: (?P<zone>[A-Za-z]{1,5}))?")
_GROUP = re.compile(r"(?:Group = (?P<conn>[^,]*), )?(?:Username = [^,]*, )?IP = (?P<ip>[^,\s]+),? ")
_LOCAL_REMOTE = re.compile(r"Local: ?(?P<lip>\S+?)(?::(?P<lport>\d+))? Remote: ?(?P<rip>\S+?)(?::(?P<rport>\d+))?"
                           r" Username: ?(?P<user>\S*) ")
_FAMILY = frozenset({"713900", "713901", "713902", "713903", "713904", "713905", "713906"})


class CiscoAsa(CiscoDialect):
    name = "cisco_asa"
    vendor = "cisco_asa"
    patterns = PATTERNS
    hex_message_ids = True

    def sniff(self, env: Envelope) -> bool:
        msg = env.msg
        return "%" in msg and ("%ASA-" in msg or "%FTD-" in msg)

    def prepare_ctx(self, env: Envelope, ev: Event, ctx: ParseContext | None) -> str:
        msg = env.msg
        i = msg.find("%ASA-")
        if i < 0:
            i = msg.find("%FTD-")
        if i > 0:  # a device clock (and host) the envelope left: relayed, or a bare `<166>` line
            m = _CLOCK.match(msg)
            if m is not None:
                ts = device_time(ctx, env.timestamp, ev.host, m["mon"], int(m["day"]),
                                 int(m["year"]) if m["year"] else None, int(m["h"]), int(m["m"]),
                                 int(m["s"]) + (float(m["frac"]) if m["frac"] else 0.0), m["zone"])
                if ts is not None:
                    ev.timestamp = ts
            return msg[i:]
        return msg

    def split(self, body: str, ev: Event | None) -> tuple[str, str]:
        j = body.find(":", 7)
        mid = body[7:j]
        if j > 7 and body[6:7] == "-" and mid.isdigit():  # `%ASA-6-713119: ...` without the regex
            text = body[j + 2:] if body[j + 1:j + 2] == " " else body[j + 1:]
        else:
            m = _ASA_ID.match(body)
            if m is None:
                return "", body
            mid = m["id"]
            text = body[m.end():]
        if ev is not None:
            ev.subsystem = mid
        c = text[:1]
        if c == "G" or c == "I":
            g = _GROUP.match(text)
            if g is not None:
                if ev is not None:
                    if g["conn"]:
                        ev.conn = g["conn"]
                    ev.remote_ip = g["ip"]
                text = text[g.end():]
        elif c == "L":
            lr = _LOCAL_REMOTE.match(text)
            if lr is not None:
                if ev is not None:
                    ev.local_ip, ev.remote_ip = lr["lip"], lr["rip"]
                    if lr["lport"]:
                        ev.local_port = int(lr["lport"])
                    if lr["rport"]:
                        ev.remote_port = int(lr["rport"])
                    if lr["user"] and lr["user"] != "Unknown":
                        ev.conn = lr["user"]
                text = text[lr.end():]
        if mid == "750003":
            return ikev2_reason_key(mid, text), text
        if mid in _FAMILY:
            return f"{F}:{text.split(' ', 1)[0]}", text
        return mid, text


DIALECT = CiscoAsa()
