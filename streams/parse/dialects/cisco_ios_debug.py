"""Cisco IOS `debug crypto isakmp|ipsec|ikev2` lines, as they reach syslog.

Keys are the debug tag and the first word of the text (`ISAKMP:atts`, `IKEv2:Received`) or the IPSEC
function (`IPSEC(create_sa)`); the `ISAKMP:(1001):` / `IKEv2:(SESSION ID = 1,SA ID = 1):` prefix is already in
`ike_sa_id`. Regexes match the text after it. Formats follow Cisco's debug TechNotes (IKEv1 "IPsec
Troubleshooting: Understanding and Using debug Commands", IKEv2 115934) and public debug excerpts.
Chatty lines that carry no signal are listed in BENIGN so they are INFO, not UNRECOGNIZED.
"""

from __future__ import annotations

from schemas.events import Action
from streams.parse.dialects.cisco_common import ikev2_error_patterns, ip
from streams.parse.patterns import Pattern

D = "cisco_ios-debug"
R1 = "Cisco IOS debug crypto isakmp (TechNote 'IPsec Troubleshooting: Understanding and Using debug Commands')"
RP = "Cisco IOS debug crypto ipsec (TechNote 'IPsec Troubleshooting: Understanding and Using debug Commands')"
R2 = "Cisco IOS debug crypto ikev2 (TechNote 115934, IOS IKEv2 Debugs for Site-to-Site VPN with PSKs)"
QM = {"exchange": "QUICK_MODE"}
ROLE = r"\((?P<role>[IRN])\)"
PROXY = r"(?P<{0}>[^\s,]+)(?: \(type=\d+\))?"

# Debug keys recognised as INFO without a regex of their own (payload processing, attribute dumps, locks).
BENIGN = ("processing", "Checking", "Input", "Created", "New", "Locking", "Unlocking", "local", "insert", "found",
          "Looking", "set", "purging", "constructing", "vendor", "encryption", "hash", "auth", "default",
          "life", "keylength", "transform", "attributes", "SA", "Sending", "Can", "Trying", "Scanning",
          "ID", "Find", "Deleting", "Total", "peer", "Unity/DPD", "Node", "starting", "My", "Responder",
          "Initiator", "encaps", "authenticator", "group", "Acceptable", "Main", "atts")

BENIGN_V2 = ("Generating", "Processing", "Building", "Found", "Computing", "Construct", "Next", "Request",
             "Verify", "Check", "Completed", "SA", "Sending", "Received")

PATTERNS: tuple[Pattern, ...] = (
    # --- phase 1 proposals --------------------------------------------------------------------------------
    Pattern(id=f"{D}-atts-not-acceptable", key="ISAKMP:atts", action=Action.PROPOSAL_MISMATCH,
            regex=r"atts are not acceptable", ref=R1, note="one transform against one policy; 'no offers "
            "accepted' or 'phase 1 SA policy not acceptable' follows when none matched"),
    Pattern(id=f"{D}-no-offers-accepted", key="ISAKMP:no", action=Action.PROPOSAL_MISMATCH,
            regex=r"no offers accepted", ref=R1),
    Pattern(id=f"{D}-no-psk-hostname", key="ISAKMP:no", action=Action.INFO,
            regex=r"no pre-shared key based on hostname (?P<remote_id>\S+?)!?$", ref=R1,
            note="IOS then tries the key by address"),
    *(Pattern(id=f"{D}-{word.lower()}-offered-mismatch", key=f"ISAKMP:{word}", action=Action.PROPOSAL_RECEIVED,
              regex=r"(?P<detail>.+? offered (?:but )?does not match policy)", ref=R1,
              note="evidence of which attribute differs; a later policy may still match")
      for word in ("Encryption", "Hash", "Diffie-Hellman", "Authentication", "Preshared", "Lifetime")),
    Pattern(id=f"{D}-phase1-policy-not-acceptable", key="ISAKMP:phase", action=Action.PROPOSAL_MISMATCH,
            regex=r"phase 1 SA policy not acceptable!?(?: \(local " + ip("local_ip") + r" remote "
                  + ip("remote_ip") + r"\))?", ref=R1),
    Pattern(id=f"{D}-phase2-policy-not-acceptable", key="ISAKMP:phase", action=Action.PROPOSAL_MISMATCH,
            regex=r"phase 2 SA policy not acceptable!?(?: \(local " + ip("local_ip") + r" remote "
                  + ip("remote_ip") + r"\))?", ref=R1, fields=QM),
    Pattern(id=f"{D}-ipsec-policy-invalidated-proxy", key="ISAKMP:IPSec", action=Action.TS_UNACCEPTABLE,
            regex=r"IPSec policy invalidated proposal with (?P<detail>error 256)", ref=R1, fields=QM,
            note="error 256 goes with 'proxy identities not supported' (crypto ACLs do not mirror)"),
    Pattern(id=f"{D}-ipsec-policy-invalidated", key="ISAKMP:IPSec", action=Action.PROPOSAL_MISMATCH,
            regex=r"IPSec policy invalidated proposal with (?P<detail>error \d+)", ref=R1, fields=QM,
            note="error 32: no transform set matches"),
    # --- retransmits, deletes, state --------------------------------------------------------------------
    Pattern(id=f"{D}-retransmitting-p2", key="ISAKMP:retransmitting", action=Action.RETRANSMIT,
            regex=r"retransmitting phase 2 (?P<detail>\w+)", ref=R1, fields=QM),
    Pattern(id=f"{D}-retransmitting", key="ISAKMP:retransmitting", action=Action.RETRANSMIT,
            regex=r"retransmitting phase 1 (?P<detail>\w+)", ref=R1),
    Pattern(id=f"{D}-error-counter-retransmit", key="ISAKMP:incrementing", action=Action.RETRANSMIT,
            regex=r"incrementing error counter on (?:sa|node), (?P<detail>attempt \d+ of \d+: retransmit phase \d)",
            ref=R1),
    Pattern(id=f"{D}-error-counter-dpd", key="ISAKMP:incrementing", action=Action.DPD_SENT,
            regex=r"incrementing error counter on (?:sa|node), (?P<detail>attempt \d+ of \d+: PEERS_ALIVE_TIMER)",
            ref=R1, note="a DPD R-U-THERE went unanswered"),
    Pattern(id=f"{D}-error-counter", key="ISAKMP:incrementing", action=Action.INFO,
            regex=r"incrementing error counter on (?:sa|node), (?P<detail>attempt \d+ of \d+: .+)", ref=R1),
    Pattern(id=f"{D}-death-by-retransmission-p2", key="ISAKMP:deleting", action=Action.PEER_UNREACHABLE,
            regex=r'deleting (?:SA|node).*?reason "(?P<detail>Death by retransmission P2)"', ref=R1, fields=QM),
    Pattern(id=f"{D}-death-by-retransmission", key="ISAKMP:deleting", action=Action.PEER_UNREACHABLE,
            regex=r'deleting SA reason "(?P<detail>Death by retransmission P1)" state ' + ROLE
                  + r" \S+ \(peer " + ip("remote_ip") + r"\)", ref=R1),
    Pattern(id=f"{D}-delete-peers-alive", key="ISAKMP:deleting", action=Action.DPD_TIMEOUT,
            regex=r'deleting SA reason "(?P<detail>[^"]*PEERS_ALIVE_TIMER[^"]*)" state ' + ROLE
                  + r" \S+ \(peer " + ip("remote_ip") + r"\)", ref=R1),
    Pattern(id=f"{D}-delete-policy-not-accepted", key="ISAKMP:deleting", action=Action.PROPOSAL_MISMATCH,
            regex=r'deleting SA reason "(?P<detail>Phase1 SA policy proposal not accepted)" state ' + ROLE
                  + r" \S+ \(peer " + ip("remote_ip") + r"\)", ref=R1),
    Pattern(id=f"{D}-delete-sa", key="ISAKMP:deleting", action=Action.SA_DELETED,
            regex=r'deleting SA reason "(?P<detail>[^"]*)" state ' + ROLE + r" \S+ \(peer " + ip("remote_ip")
                  + r"\)", ref=R1),
    Pattern(id=f"{D}-delete-node", key="ISAKMP:deleting", action=Action.INFO,
            regex=r'deleting node (?P<message_id>-?\d+) error (?:TRUE|FALSE) reason "(?P<detail>[^"]*)"', ref=R1),
    Pattern(id=f"{D}-state-p1-complete", key="ISAKMP:Old", action=Action.IKE_SA_ESTABLISHED,
            regex=r"Old State = (?!IKE_P1_COMPLETE)\S+ +New State = (?P<detail>IKE_P1_COMPLETE)", ref=R1),
    Pattern(id=f"{D}-state-p2-complete", key="ISAKMP:Old", action=Action.CHILD_SA_ESTABLISHED,
            regex=r"Old State = (?!IKE_QM_PHASE2_COMPLETE)\S+ +New State = (?P<detail>IKE_QM_PHASE2_COMPLETE)",
            ref=R1, fields=QM),
    Pattern(id=f"{D}-state-qm", key="ISAKMP:Old", action=Action.PHASE1_STATE,
            regex=r"Old State = \S+ +New State = (?P<detail>IKE_QM_(?:(?P<role>[IR])_)?\w+)", ref=R1, fields=QM),
    Pattern(id=f"{D}-state", key="ISAKMP:Old", action=Action.PHASE1_STATE,
            regex=r"Old State = \S+ +New State = (?P<detail>IKE_(?P<role>[IR])_\w+|\S+)", ref=R1),
    # --- authentication and keys --------------------------------------------------------------------------
    Pattern(id=f"{D}-sa-authenticated-status", key="ISAKMP:SA", action=Action.AUTH_SUCCEEDED,
            regex=r"SA authentication status:\s*(?P<detail>authenticated)", ref=R1),
    Pattern(id=f"{D}-sa-authenticated-with", key="ISAKMP:SA", action=Action.AUTH_SUCCEEDED,
            regex=r"SA has been authenticated with " + ip("remote_ip"), ref=R1),
    Pattern(id=f"{D}-sa-doing-auth", key="ISAKMP:SA", action=Action.AUTH_STARTED,
            regex=r"SA is doing (?P<detail>.+? authentication)(?: using id type (?P<local_id>\S+))?", ref=R1),
    Pattern(id=f"{D}-reserved-not-zero", key="ISAKMP:reserved", action=Action.DECRYPT_FAILED,
            regex=r"(?P<detail>reserved not zero on \S+ payload)", ref=R1,
            note="the payload decrypted to garbage: typically a pre-shared key mismatch"),
    Pattern(id=f"{D}-no-psk", key="ISAKMP:No", action=Action.PSK_NOT_FOUND,
            regex=r"No pre-shared key with " + ip("remote_ip"), ref=R1),
    Pattern(id=f"{D}-found-psk", key="ISAKMP:found", action=Action.INFO,
            regex=r"found peer pre-shared key matching " + ip("remote_ip"), ref=R1),
    # --- packets and exchanges ----------------------------------------------------------------------------
    Pattern(id=f"{D}-sending-packet", key="ISAKMP:sending", action=Action.PACKET_SENT,
            regex=r"sending packet to " + ip("remote_ip") + r"(?: my_port (?P<local_port>\d+) peer_port "
                  r"(?P<remote_port>\d+))? " + ROLE + r" (?P<detail>\S+)", ref=R1, fields={"direction": "out"}),
    Pattern(id=f"{D}-received-packet", key="ISAKMP:received", action=Action.PACKET_RECEIVED,
            regex=r"received packet from " + ip("remote_ip") + r"(?: dport (?P<local_port>\d+) sport "
                  r"(?P<remote_port>\d+))?(?: \S+)? " + ROLE + r" (?P<detail>.+?)\s*$", ref=R1,
            fields={"direction": "in"}),
    Pattern(id=f"{D}-beginning-main", key="ISAKMP:beginning", action=Action.IKE_INIT_SENT,
            regex=r"beginning (?P<exchange>Main|Aggressive) Mode exchange", ref=R1, fields={"role": "initiator"}),
    Pattern(id=f"{D}-beginning-quick", key="ISAKMP:beginning", action=Action.CHILD_SA_INITIATING,
            regex=r"beginning Quick Mode exchange(?:, M-ID of (?P<message_id>-?\d+))?", ref=R1,
            fields={**QM, "role": "initiator"}),
    Pattern(id=f"{D}-notify-status", key="ISAKMP:processing", action=Action.INFO,
            regex=r"processing NOTIFY (?P<notify>DPD/R_U_THERE(?:_ACK)?|INITIAL_CONTACT|RESPONDER_LIFETIME|"
                  r"REPLAY_STATUS|CONNECTED|UNITY\w*) protocol", ref=R1, fields={"direction": "in"}),
    Pattern(id=f"{D}-notify-no-proposal-p2", key="ISAKMP:processing", action=Action.PROPOSAL_MISMATCH,
            regex=r"processing NOTIFY (?P<notify>PROPOSAL_NOT_CHOSEN|NO_PROPOSAL_CHOSEN) protocol [234]\b", ref=R1,
            fields={**QM, "direction": "in"},
            note="protocol 2/3/4 is AH/ESP/IPCOMP (RFC 2408 3.14.1): the peer refused a quick mode (phase 2) offer"),
    Pattern(id=f"{D}-notify-no-proposal", key="ISAKMP:processing", action=Action.PROPOSAL_MISMATCH,
            regex=r"processing NOTIFY (?P<notify>PROPOSAL_NOT_CHOSEN|NO_PROPOSAL_CHOSEN) protocol", ref=R1,
            fields={"direction": "in"}),
    Pattern(id=f"{D}-notify-error", key="ISAKMP:processing", action=Action.NOTIFY_RECEIVED,
            regex=r"processing NOTIFY (?P<notify>\S+) protocol", ref=R1, fields={"direction": "in"}),
    Pattern(id=f"{D}-send-dpd", key="ISAKMP:Sending", action=Action.DPD_SENT,
            regex=r"Sending NOTIFY (?P<notify>DPD/R_U_THERE) protocol", ref=R1, fields={"direction": "out"}),
    Pattern(id=f"{D}-send-notify-status", key="ISAKMP:Sending", action=Action.INFO,
            regex=r"Sending NOTIFY (?P<notify>DPD/R_U_THERE_ACK|INITIAL_CONTACT|RESPONDER_LIFETIME|\w*STATUS\w*)"
                  r" protocol", ref=R1, fields={"direction": "out"}),
    Pattern(id=f"{D}-send-notify", key="ISAKMP:Sending", action=Action.NOTIFY_SENT,
            regex=r"Sending NOTIFY (?P<notify>\S+) protocol", ref=R1, fields={"direction": "out"}),
    Pattern(id=f"{D}-peer-not-responding", key="ISAKMP:peer", action=Action.DPD_TIMEOUT,
            regex=r"peer " + ip("remote_ip") + r" (?P<detail>not responding)", ref=R1),
    Pattern(id=f"{D}-dpd-not-responding", key="ISAKMP:DPD", action=Action.DPD_TIMEOUT,
            regex=r"(?i)(?P<detail>.*(?:not respond|time ?out|dead).*)", ref=R1),
    Pattern(id=f"{D}-dpd-other", key="ISAKMP:DPD", action=Action.INFO, regex=r"(?P<detail>.+)", ref=R1),
    *(Pattern(id=f"{D}-benign-{word.lower().replace('/', '-')}", key=f"ISAKMP:{word}", action=Action.INFO,
              regex=r"", ref=R1) for word in BENIGN),
    # --- IPSEC(...) -------------------------------------------------------------------------------------------
    Pattern(id=f"{D}-invalid-proxy-ids", key="IPSEC(initialize_sas)", action=Action.TS_UNACCEPTABLE,
            regex=r"(?P<detail>[Ii]nvalid proxy IDs)", ref="shared reference 004; " + RP, fields=QM,
            note="the crypto ACLs do not mirror: one side supernets, the other lists hosts"),
    Pattern(id=f"{D}-initialize-sas", key="IPSEC(initialize_sas)", action=Action.INFO,
            regex=r"(?P<direction>INBOUND|OUTBOUND) local= ?" + ip("local_ip") + r"(?::\d+)?, remote= ?"
                  + ip("remote_ip") + r"(?::\d+)?, local_proxy= ?" + PROXY.format("ts_local")
                  + r", remote_proxy= ?" + PROXY.format("ts_remote"), ref=RP),
    Pattern(id=f"{D}-proxy-not-supported", key="IPSEC(validate_transform_proposal)", action=Action.TS_UNACCEPTABLE,
            regex=r"(?P<detail>proxy identities not supported)", ref=RP, fields=QM),
    Pattern(id=f"{D}-transform-not-supported", key="IPSEC(validate_transform_proposal)",
            action=Action.PROPOSAL_MISMATCH,
            regex=r"(?P<detail>transform proposal not supported for identity)[: ]*(?P<proposals>.*)", ref=RP,
            fields=QM),
    Pattern(id=f"{D}-peer-not-found", key="IPSEC(validate_transform_proposal)",
            action=Action.PEER_CONFIG_NOT_FOUND, regex=r"peer address " + ip("remote_ip") + r" (?P<detail>not found)",
            ref=RP, note="no crypto map entry names this peer"),
    Pattern(id=f"{D}-invalid-local-address", key="IPSEC(validate_proposal)", action=Action.PEER_CONFIG_NOT_FOUND,
            regex=r"(?P<detail>invalid local address) " + ip("local_ip"), ref=RP,
            note="the crypto map is not applied to the interface the peer talks to"),
    Pattern(id=f"{D}-proposal-request", key="IPSEC(validate_proposal_request)", action=Action.PROPOSAL_RECEIVED,
            regex=r"(?P<detail>proposal part #\d+)(?:.*?local= ?" + ip("local_ip") + r"(?::\d+)?, remote= ?"
                  + ip("remote_ip") + r"(?::\d+)?, local_proxy= ?" + PROXY.format("ts_local")
                  + r", remote_proxy= ?" + PROXY.format("ts_remote") + r")?(?:.*?transform= ?(?P<proposals>[^,(]+?) *[,(])?",
            ref=RP, fields=QM),
    Pattern(id=f"{D}-sa-request", key="IPSEC(sa_request)", action=Action.CHILD_SA_INITIATING,
            regex=r"local= ?" + ip("local_ip") + r"(?::\d+)?, remote= ?" + ip("remote_ip")
                  + r"(?::\d+)?, local_proxy= ?" + PROXY.format("ts_local") + r", remote_proxy= ?"
                  + PROXY.format("ts_remote"), ref=RP, fields={**QM, "role": "initiator"}),
    Pattern(id=f"{D}-create-sa", key="IPSEC(create_sa)", action=Action.CHILD_SA_ESTABLISHED,
            regex=r"sa created,?(?:.*?sa_spi= ?(?P<spi>0x[0-9A-Fa-f]+))?(?:.*?sa_trans= ?(?P<proposals>[^,]+?) ?,)?"
                  r"(?:.*?sa_conn_id= ?(?P<child_id>\d+))?", ref=RP,
            note="sa_dest is the SA's destination (local for the inbound SA): not mapped to an endpoint"),
    Pattern(id=f"{D}-delete-sa-ipsec", key="IPSEC(delete_sa)", action=Action.SA_DELETED,
            regex=r"deleting SA,?(?:.*?sa_spi= ?(?P<spi>0x[0-9A-Fa-f]+))?(?:.*?sa_conn_id= ?(?P<child_id>\d+))?",
            ref=RP),
    Pattern(id=f"{D}-key-engine-delete", key="IPSEC(key_engine_delete_sas)", action=Action.SA_DELETED,
            regex=r"(?P<detail>rec'd delete notify from ISAKMP|.+)", ref=RP),
    Pattern(id=f"{D}-sa-initiate-deny", key="IPSEC(sa_initiate)", action=Action.INFO,
            regex=r"(?P<detail>ACL = deny; no sa created)", ref=RP),
    Pattern(id=f"{D}-key-engine", key="IPSEC(key_engine)", action=Action.INFO, regex=r"", ref=RP),
    Pattern(id=f"{D}-spi-response", key="IPSEC(spi_response)", action=Action.INFO, regex=r"", ref=RP),
    Pattern(id=f"{D}-update-outbound", key="IPSEC(update_current_outbound_sa)", action=Action.INFO, regex=r"",
            ref=RP),
    Pattern(id=f"{D}-process-proposal", key="IPSEC(process_proxy_ids)", action=Action.INFO, regex=r"", ref=RP),
    # --- IKEv2 ----------------------------------------------------------------------------------------------
    Pattern(id=f"{D}-ikev2-recv-packet", key="IKEv2:Received", action=Action.PACKET_RECEIVED,
            regex=r"Received Packet \[From (?P<remote_ip>\S+?):(?P<remote_port>\d+)/To (?P<local_ip>\S+?):"
                  r"(?P<local_port>\d+)(?=[/\]])", ref=R2, fields={"direction": "in"}),
    Pattern(id=f"{D}-ikev2-recv-no-proposal", key="IKEv2:Received", action=Action.PROPOSAL_MISMATCH,
            regex=r"\A(?i:received (?:notify|notification|response with notify payload))[: ]+\(?"
                  r"(?P<notify>NO_PROPOSAL_CHOSEN)", ref=R2, fields={"direction": "in"}),
    Pattern(id=f"{D}-ikev2-recv-ts", key="IKEv2:Received", action=Action.TS_UNACCEPTABLE,
            regex=r"\A(?i:received (?:notify|notification))[: ]+\(?(?P<notify>TS_UNACCEPTABLE)", ref=R2,
            fields={"direction": "in"}),
    Pattern(id=f"{D}-ikev2-recv-auth", key="IKEv2:Received", action=Action.AUTH_FAILED,
            regex=r"\A(?i:received (?:notify|notification))[: ]+\(?(?P<notify>AUTHENTICATION_FAILED)", ref=R2,
            fields={"direction": "in"}),
    Pattern(id=f"{D}-ikev2-recv-ke", key="IKEv2:Received", action=Action.DH_GROUP_REJECTED,
            regex=r"\A(?i:received (?:notify|notification))[: ]+\(?(?P<notify>INVALID_KE_PAYLOAD)", ref=R2,
            fields={"direction": "in"}),
    Pattern(id=f"{D}-ikev2-recv-notify", key="IKEv2:Received", action=Action.NOTIFY_RECEIVED,
            regex=r"\A(?i:received (?:notify|notification))[: ]+\(?(?P<notify>[A-Z_]+)", ref=R2, fields={"direction": "in"}),
    Pattern(id=f"{D}-ikev2-send-packet", key="IKEv2:Sending", action=Action.PACKET_SENT,
            regex=r"Sending Packet \[To (?P<remote_ip>\S+?):(?P<remote_port>\d+)/From (?P<local_ip>\S+?):"
                  r"(?P<local_port>\d+)(?=[/\]])", ref=R2, fields={"direction": "out"}),
    Pattern(id=f"{D}-ikev2-send-notify", key="IKEv2:Sending", action=Action.NOTIFY_SENT,
            regex=r"(?i)Sending (?:notify|notification)[: ]+\(?(?P<notify>[A-Z_]+)", ref=R2, fields={"direction": "out"}),
    Pattern(id=f"{D}-ikev2-send-named-notify", key="IKEv2:Sending", action=Action.NOTIFY_SENT,
            regex=r"Sending (?P<notify>[A-Z][A-Z_]{3,}) notify", ref=R2, fields={"direction": "out"}),
    Pattern(id=f"{D}-ikev2-retransmit", key="IKEv2:Retransmitting", action=Action.RETRANSMIT,
            regex=r"(?P<detail>.*)", ref=R2),
    Pattern(id=f"{D}-ikev2-max-retransmit", key="IKEv2:Maximum", action=Action.PEER_UNREACHABLE,
            regex=r"(?P<detail>Maximum number of retransmissions reached)", ref=R2),
    Pattern(id=f"{D}-ikev2-no-policy", key="IKEv2:Failed", action=Action.PROPOSAL_MISMATCH,
            regex=r"(?P<detail>Failed to find a matching (?:policy|proposal))", ref=R2),
    Pattern(id=f"{D}-ikev2-no-profile", key="IKEv2:Failed", action=Action.PEER_CONFIG_NOT_FOUND,
            regex=r"(?P<detail>Failed to locate an item in the database)", ref=R2,
            note="usually no IKEv2 profile matches the peer's identity"),
    Pattern(id=f"{D}-ikev2-failed-auth", key="IKEv2:Failed", action=Action.AUTH_FAILED,
            regex=r"(?i)(?P<detail>Failed to (?:authenticate|verify).*)", ref=R2),
    Pattern(id=f"{D}-ikev2-auth-exchange-failed", key="IKEv2:Auth", action=Action.AUTH_FAILED,
            regex=r"(?P<detail>Auth exchange failed)", ref=R2),
    Pattern(id=f"{D}-ikev2-verification-failed", key="IKEv2:Verification", action=Action.PSK_MISMATCH,
            regex=r"(?P<detail>Verification of peer's authentication data FAILED)", ref=R2,
            note="the peer's AUTH payload does not verify: with PSK authentication (the common case, and the "
                 "only one that prints this without a certificate error before it) the pre-shared keys differ"),
    Pattern(id=f"{D}-ikev2-no-ipsec-policy", key="IKEv2:There", action=Action.TS_UNACCEPTABLE,
            regex=r"(?P<detail>There was no IPSEC policy found for received TS)", ref=R2),
    Pattern(id=f"{D}-ikev2-searching-policy", key="IKEv2:Searching", action=Action.PEER_CONFIG_LOOKUP,
            regex=r"Searching policy based on peer's identity '(?P<remote_id>[^']*)'", ref=R2),
    Pattern(id=f"{D}-ikev2-deleting", key="IKEv2:Deleting", action=Action.SA_DELETED, regex=r"(?P<detail>.*)",
            ref=R2),
    *ikev2_error_patterns(D, "IKEv2:Negotiation", R2),
    *(Pattern(id=f"{D}-ikev2-benign-{word.lower()}", key=f"IKEv2:{word}", action=Action.INFO, regex=r"", ref=R2)
      for word in BENIGN_V2),
)

DEBUG_PATTERNS = PATTERNS
