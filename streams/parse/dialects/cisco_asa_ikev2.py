"""Cisco ASA / FTD IKEv2 (750xxx, 751xxx), tunnel manager (752xxx) and IPsec data plane (402xxx, 602xxx, 702xxx).

Regexes match the text after `Local:a:p Remote:b:p Username:u` (already in local/remote ip and port and conn).
Message ids and texts: Cisco Secure Firewall ASA Series Syslog Messages, messages 402114-402150,
602303-602306, 702305-702307, 750001-750016, 751001-751028, 752001-752017.
"""

from __future__ import annotations

from schemas.events import Action
from streams.parse.dialects.cisco_common import ikev2_error_patterns, ip
from streams.parse.patterns import Pattern

D = "cisco_asa"
G = "Cisco ASA Series Syslog Messages, "
V2 = {"ike_version": 2}
ESP = r"SPI= ?(?P<spi>0x[0-9A-Fa-f]+), sequence number ?= ?0x[0-9A-Fa-f]+\) from "

PATTERNS: tuple[Pattern, ...] = (
    # --- IKEv2 ------------------------------------------------------------------------------------------
    Pattern(id=f"{D}-750001-rekey", key="750001", action=Action.REKEY_STARTED,
            regex=r"Received request to rekey an IPsec tunnel; local traffic selector = (?P<ts_local>[^;]+?) ?; "
                  r"remote traffic selector = (?P<ts_remote>.+)", ref=G + "750001", fields=V2),
    Pattern(id=f"{D}-750001", key="750001", action=Action.CHILD_SA_INITIATING,
            regex=r"Received request to establish an IPsec tunnel; local traffic selector = (?P<ts_local>[^;]+?)"
                  r" ?; remote traffic selector = (?P<ts_remote>.+)", ref=G + "750001", fields=V2),
    Pattern(id=f"{D}-750002", key="750002", action=Action.IKE_INIT_RECEIVED,
            regex=r"Received a IKE_INIT_SA request", ref=G + "750002",
            fields={**V2, "role": "responder", "exchange": "IKE_SA_INIT", "direction": "in"}),
    *ikev2_error_patterns(D, "750003", G + "750003 (the ERROR text names the cause)"),
    Pattern(id=f"{D}-750004-cookie", key="750004", action=Action.NOTIFY_SENT,
            regex=r"Sending (?P<notify>COOKIE) challenge", ref=G + "750004",
            fields={**V2, "direction": "out", "detail": "DoS throttle"}),
    Pattern(id=f"{D}-750004", key="750004", action=Action.NOTIFY_SENT,
            regex=r"Sending notification to peer: ?(?P<notify>[A-Z_]+)", ref=G + "750004",
            fields={**V2, "direction": "out"}),
    Pattern(id=f"{D}-750005", key="750005", action=Action.SA_DELETED,
            regex=r"(?P<detail>IPsec rekey collision) detected.*?inbound SPI (?P<spi>0x[0-9A-Fa-f]+)",
            ref=G + "750005", fields=V2),
    Pattern(id=f"{D}-750006", key="750006", action=Action.IKE_SA_ESTABLISHED,
            regex=r"SA UP\.?(?: Reason: (?P<detail>.+))?", ref=G + "750006", fields=V2),
    Pattern(id=f"{D}-750007-dpd", key="750007", action=Action.DPD_TIMEOUT,
            regex=r"SA DOWN\.? Reason: (?P<detail>.*?(?:DPD|[Dd]ead [Pp]eer|[Pp]eer [Ll]ost|[Ll]ost [Cc]ontact"
                  r"|[Kk]eepalive).*)",
            ref=G + "750007", fields=V2),
    Pattern(id=f"{D}-750007", key="750007", action=Action.SA_DELETED,
            regex=r"SA DOWN\.?(?: Reason: (?P<detail>.+))?", ref=G + "750007", fields=V2),
    Pattern(id=f"{D}-750008", key="750008", action=Action.IKE_SA_FAILED,
            regex=r"(?P<detail>SA rejected due to system resource low)", ref=G + "750008", fields=V2),
    Pattern(id=f"{D}-750009", key="750009", action=Action.IKE_SA_FAILED,
            regex=r"SA request rejected due to CAC limit reached: (?:Rejection reason: )?(?P<detail>.+)",
            ref=G + "750009", fields=V2),
    Pattern(id=f"{D}-750011", key="750011", action=Action.PROPOSAL_MISMATCH,
            regex=r"(?P<detail>Selected IKEv2 encryption algorithm .+? is not strong enough .+)", ref=G + "750011",
            fields={**V2, "exchange": "CREATE_CHILD_SA"}),
    Pattern(id=f"{D}-750012", key="750012", action=Action.PROPOSAL_MISMATCH,
            regex=r"(?P<detail>Selected IKEv2 encryption algorithm .+? is not strong enough .+)", ref=G + "750012",
            fields=V2),
    Pattern(id=f"{D}-750013", key="750013", action=Action.INFO, regex=r"(?P<detail>Peer Moved)", ref=G + "750013",
            fields=V2),
    Pattern(id=f"{D}-750014", key="750014", action=Action.SA_DELETED,
            regex=r"Session aborted\. Reason: (?P<detail>Initial Contact received)"
                  r"(?: for Local ID: (?P<local_id>\S+?), Remote ID: (?P<remote_id>\S+?) )?", ref=G + "750014",
            fields=V2),
    Pattern(id=f"{D}-750015", key="750015", action=Action.SA_DELETED,
            regex=r"deleting IPSec SA\. Reason: (?P<detail>invalid SPI notification) received for SPI "
                  r"(?P<spi>0x[0-9A-Fa-f]+)(?:; local traffic selector = (?P<ts_local>[^;]+?) ?; remote traffic "
                  r"selector = (?P<ts_remote>.+))?", ref=G + "750015",
            fields={**V2, "notify": "INVALID_SPI", "direction": "in"}),
    Pattern(id=f"{D}-750016", key="750016", action=Action.DPD_SENT, regex=r"Need to send a DPD message",
            ref=G + "750016", fields=V2),
    Pattern(id=f"{D}-751001", key="751001", action=Action.IKE_SA_FAILED,
            regex=r"(?P<detail>Failed to complete Diffie-Hellman operation.*)", ref=G + "751001", fields=V2),
    Pattern(id=f"{D}-751002", key="751002", action=Action.PSK_NOT_FOUND,
            regex=r"No pre-shared key or trustpoint configured for self in tunnel group (?P<conn>\S+)",
            ref=G + "751002", fields=V2),
    Pattern(id=f"{D}-751003", key="751003", action=Action.DPD_SENT, regex=r"Need to send a DPD message",
            ref=G + "751003", fields=V2),
    Pattern(id=f"{D}-751004", key="751004", action=Action.PSK_NOT_FOUND,
            regex=r"No remote authentication method configured for peer in tunnel group (?P<conn>\S+)",
            ref=G + "751004", fields=V2, note="neither a pre-shared key nor a certificate for the peer"),
    Pattern(id=f"{D}-751006", key="751006", action=Action.CERT_INVALID,
            regex=r"Certificate authentication failed\.(?: Error: (?P<detail>.+))?", ref=G + "751006", fields=V2),
    Pattern(id=f"{D}-751008", key="751008", action=Action.INVALID_VERSION,
            regex=r"Group=(?P<conn>[^,]+), Tunnel rejected: (?P<detail>IKEv2 not enabled in group policy)",
            ref=G + "751008", fields=V2, note="vpn-tunnel-protocol of the group policy lacks ikev2"),
    Pattern(id=f"{D}-751009", key="751009", action=Action.PEER_CONFIG_NOT_FOUND,
            regex=r"(?P<detail>Unable to find tunnel group for peer)", ref=G + "751009", fields=V2),
    Pattern(id=f"{D}-751010", key="751010", action=Action.PEER_CONFIG_NOT_FOUND,
            regex=r"(?P<detail>Unable to determine self-authentication method.*)", ref=G + "751010", fields=V2),
    Pattern(id=f"{D}-751011", key="751011", action=Action.AUTH_FAILED,
            regex=r"Failed user authentication\.(?: Error: (?P<detail>.+))?", ref=G + "751011", fields=V2),
    Pattern(id=f"{D}-751022", key="751022", action=Action.TS_UNACCEPTABLE,
            regex=r"Tunnel rejected: Crypto Map Policy not found for remote traffic selector (?P<ts_remote>\S+) "
                  r"local traffic selector (?P<ts_local>[^!\s]+)", ref=G + "751022", fields=V2),
    Pattern(id=f"{D}-751025", key="751025", action=Action.INFO, regex=r"(?P<detail>assigned to session)",
            ref=G + "751025", fields=V2),
    Pattern(id=f"{D}-751027", key="751027", action=Action.NOTIFY_RECEIVED,
            regex=r"Received (?P<notify>INVALID_SELECTORS) Notification from peer(?:\. Peer received a packet "
                  r"\(SPI=(?P<spi>[0-9A-Fa-fx]+)\))?", ref=G + "751027", fields={**V2, "direction": "in"},
            note="the peer got a packet from us outside the SA's selectors"),
    Pattern(id=f"{D}-751028", key="751028", action=Action.INFO, regex=r"(?P<detail>Overriding configured keepalive)",
            ref=G + "751028", fields=V2),
    # --- tunnel manager -----------------------------------------------------------------------------------
    Pattern(id=f"{D}-752003", key="752003", action=Action.INFO,
            regex=r"(?P<detail>dispatching a KEY_ACQUIRE message to IKEv2)", ref=G + "752003", fields=V2),
    Pattern(id=f"{D}-752004", key="752004", action=Action.INFO,
            regex=r"(?P<detail>dispatching a KEY_ACQUIRE message to IKEv1)", ref=G + "752004",
            fields={"ike_version": 1}),
    Pattern(id=f"{D}-752012", key="752012", action=Action.CONNECTION_FAILED,
            regex=r"IKEv(?P<ike_version>[12]) was unsuccessful at setting up a tunnel", ref=G + "752012"),
    Pattern(id=f"{D}-752015", key="752015", action=Action.CONNECTION_FAILED,
            regex=r"(?P<detail>All configured IKE versions failed to establish the tunnel)", ref=G + "752015"),
    Pattern(id=f"{D}-752016", key="752016", action=Action.TUNNEL_UP,
            regex=r"IKEv(?P<ike_version>[12]) was successful at setting up a tunnel", ref=G + "752016"),
    # --- IPsec data plane -----------------------------------------------------------------------------------
    Pattern(id=f"{D}-402114", key="402114", action=Action.INFO,
            regex=r"Received an? \w+ packet \(" + ESP + ip("remote_ip") + r" to " + ip("local_ip")
                  + r" with an (?P<detail>invalid SPI)", ref=G + "402114", note="stale SA on the peer"),
    Pattern(id=f"{D}-402116", key="402116", action=Action.INVALID_IDENTITY,
            regex=r"Received an? \w+ packet \(" + ESP + ip("remote_ip") + r" \(user= ?(?P<conn>[^)]*)\) to "
                  + ip("local_ip") + r"\. The (?P<detail>decapsulated inner packet doesn't match the negotiated "
                  r"policy)", ref=G + "402116",
            note="decrypted traffic outside the SA's selectors (the ASA's RECVD_PKT_INV_IDENTITY)"),
    Pattern(id=f"{D}-402117", key="402117", action=Action.INFO,
            regex=r"Received a (?P<detail>(?i:non-IPsec)) \(\w+\) packet from " + ip("remote_ip") + r" to "
                  + ip("local_ip"),
            ref=G + "402117", note="clear-text packet where ESP was expected"),
    Pattern(id=f"{D}-402118", key="402118", action=Action.INFO,
            regex=r"(?P<detail>illegal IP fragment)", ref=G + "402118"),
    Pattern(id=f"{D}-402119", key="402119", action=Action.REPLAY_CHECK_FAILED,
            regex=r"Received an? \w+ packet \(" + ESP + ip("remote_ip") + r" \(user= ?(?P<conn>[^)]*)\) to "
                  + ip("local_ip") + r" that (?P<detail>failed anti-replay checking)", ref=G + "402119"),
    Pattern(id=f"{D}-402120", key="402120", action=Action.INTEGRITY_CHECK_FAILED,
            regex=r"Received an? \w+ packet \(" + ESP + ip("remote_ip") + r" \(user= ?(?P<conn>[^)]*)\) to "
                  + ip("local_ip") + r" that (?P<detail>failed authentication)", ref=G + "402120",
            note="ESP HMAC check failed (the 402126 of the brief is the crypto archive message, see 402126)"),
    Pattern(id=f"{D}-402121", key="402121", action=Action.INFO,
            regex=r"was dropped by IPsec \((?P<detail>[^)]+)\)", ref=G + "402121"),
    Pattern(id=f"{D}-402123", key="402123", action=Action.INFO,
            regex=r"(?P<detail>hardware accelerator encountered an error.*)", ref=G + "402123"),
    Pattern(id=f"{D}-402124", key="402124", action=Action.INFO,
            regex=r"(?P<detail>hardware accelerator encountered an error)", ref=G + "402124"),
    Pattern(id=f"{D}-402126", key="402126", action=Action.INFO, regex=r"(?P<detail>Archive.*)", ref=G + "402126",
            note="a crypto archive file was written after an accelerator error; not a per-packet failure"),
    Pattern(id=f"{D}-402130", key="402130", action=Action.INTEGRITY_CHECK_FAILED,
            regex=r"from " + ip("remote_ip") + r" .*?with (?P<detail>incorrect IPsec padding)", ref=G + "402130",
            note="bad padding after decryption: the keys (or the data) do not match"),
    Pattern(id=f"{D}-602303", key="602303", action=Action.CHILD_SA_ESTABLISHED,
            regex=r"An? (?P<direction>inbound|outbound) (?P<detail>.+?) SA \(SPI= ?(?P<spi>0x[0-9A-Fa-f]+)\) between "
                  r"(?P<local_ip>\S+) and (?P<remote_ip>\S+) \(user= ?(?P<conn>[^)]*)\) has been created",
            ref=G + "602303"),
    Pattern(id=f"{D}-602304", key="602304", action=Action.SA_DELETED,
            regex=r"An? (?P<direction>inbound|outbound) (?P<detail>.+?) SA \(SPI= ?(?P<spi>0x[0-9A-Fa-f]+)\) between "
                  r"(?P<local_ip>\S+) and (?P<remote_ip>\S+) \(user= ?(?P<conn>[^)]*)\) has been deleted",
            ref=G + "602304"),
    Pattern(id=f"{D}-602305", key="602305", action=Action.SAD_INSTALL_FAILED,
            regex=r"SA creation error, source " + ip("local_ip") + r", destination " + ip("remote_ip")
                  + r", reason (?P<detail>.+)", ref=G + "602305"),
    *(Pattern(id=f"{D}-{mid}", key=mid, action=Action.REKEY_STARTED,
              regex=r"An? (?P<direction>inbound|outbound) .+? SA \(SPI= ?(?P<spi>0x[0-9A-Fa-f]+)\) between "
                    r"(?P<local_ip>\S+) and (?P<remote_ip>\S+) \(user= ?(?P<conn>[^)]*)\) is rekeying due to "
                    r"(?P<detail>.+?)\.?$", ref=G + mid)
      for mid in ("702305", "702307")),
)
