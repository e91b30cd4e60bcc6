"""Libreswan pluto: IKE and Child SA setup patterns (initiation, messages, progress, establishment).

Part of the Libreswan dialect: `libreswan.py` holds the prefix handling and the dispatch keys (the first
word, or the first two for the words in `libreswan.KEY_WORDS`, `%X` for an exchange name and `%s,` for a
3.x state story such as `sent MI2, expecting MR2`); failures, notifications, authentication, DPD,
deletion and kernel patterns live in `libreswan_faults.py`. Texts are learnt from the Libreswan sources
at v3.25, v3.32, v4.6, v4.12, v5.0 and 5.x main (programs/pluto/*.c) and the whack transcripts of its
test suite (testing/pluto/*/*.console.txt).
"""

from __future__ import annotations

from schemas.events import Action
from streams.parse.patterns import Pattern

# RFC 2408 section 3.14.1 (IKEv1) and RFC 7296 section 3.10.1 (IKEv2) error notifications, as pluto
# names them (sometimes with a v1N_/v2N_ prefix, which the regexes drop).
ERROR_NOTIFIES = (
    "INVALID_PAYLOAD_TYPE", "DOI_NOT_SUPPORTED", "SITUATION_NOT_SUPPORTED", "INVALID_COOKIE",
    "INVALID_MAJOR_VERSION", "INVALID_MINOR_VERSION", "INVALID_EXCHANGE_TYPE", "INVALID_FLAGS",
    "INVALID_MESSAGE_ID", "INVALID_PROTOCOL_ID", "INVALID_SPI", "INVALID_TRANSFORM_ID",
    "ATTRIBUTES_NOT_SUPPORTED", "NO_PROPOSAL_CHOSEN", "BAD_PROPOSAL_SYNTAX", "PAYLOAD_MALFORMED",
    "INVALID_KEY_INFORMATION", "INVALID_ID_INFORMATION", "INVALID_CERT_ENCODING", "INVALID_CERTIFICATE",
    "CERT_TYPE_UNSUPPORTED", "INVALID_CERT_AUTHORITY", "INVALID_HASH_INFORMATION", "AUTHENTICATION_FAILED",
    "INVALID_SIGNATURE", "ADDRESS_NOTIFICATION", "CERTIFICATE_UNAVAILABLE", "UNSUPPORTED_EXCHANGE_TYPE",
    "UNEQUAL_PAYLOAD_LENGTHS", "UNSUPPORTED_CRITICAL_PAYLOAD", "INVALID_IKE_SPI", "INVALID_SYNTAX",
    "INVALID_KE_PAYLOAD", "SINGLE_PAIR_REQUIRED", "NO_ADDITIONAL_SAS", "INTERNAL_ADDRESS_FAILURE",
    "FAILED_CP_REQUIRED", "TS_UNACCEPTABLE", "INVALID_SELECTORS", "TEMPORARY_FAILURE", "CHILD_SA_NOT_FOUND",
)
ERR = r"(?:v[12]N_)?(?P<notify>" + "|".join(ERROR_NOTIFIES) + r")"
# `192.0.2.1:500` (3.x, 4.x), `192.0.2.1:UDP/500`, `[2001:db8::1]:UDP/500` (5.x)
IP = r"\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]*:[0-9A-Fa-f:.]*"  # dotted quad or IPv6, not `<ip address>`


def ip(field: str, other: str = r"\S+") -> str:
    """An address captured into `field`; whatever else pluto prints there (log_ip=no) matches unset."""
    return r"(?:(?P<" + field + r">" + IP + r")|" + other + r")"


ENDPOINT = r"\[?(?P<remote_ip>[0-9A-Fa-f:.]*[0-9A-Fa-f])\]?:(?:(?:UDP|TCP)/)?(?P<remote_port>\d+)(?![\d:])"
# `[192.0.1.0/24===192.0.2.0/24]` (5.x) or `[192.0.1.0-192.0.1.255:0-65535 0] -> [...]` (4.x)
TS = r"\[(?P<ts_local>[^\]]*?)(?:===|\] -> \[)(?P<ts_remote>[^\]]*)\]"
INBOUND_SPI = r"(?:ESP|AH)[^ =]*=>0x[0-9a-f]+ <0x(?P<spi>[0-9a-f]+)"
TIMEOUT = r"^(?:max number of retransmissions \(\d+\) reached(?: after [\d.]+ seconds| (?P<detail>\w+))|[\d.]+ second timeout exceeded after \d+ retransmits)"

LOG_C = "programs/pluto/log.c"
RETRANSMIT_C = "programs/pluto/retransmit.c (timer.c in 3.x)"
IKEV1_C = "programs/pluto/ikev1.c"
IKEV1_MAIN_C = "programs/pluto/ikev1_main.c"
IKEV1_QUICK_C = "programs/pluto/ikev1_quick.c"
IKEV2_AUTH_C = "programs/pluto/ikev2_ike_auth.c (ikev2_parent.c in 3.x)"
IKEV2_CHILD_C = "programs/pluto/ikev2_child.c"
IKEV2_INIT_C = "programs/pluto/ikev2_ike_sa_init.c (ikev2_parent.c in 3.x)"
STATES = "programs/pluto/ikev1_states.c, ikev2_states.c (state stories)"
STATE_C = "programs/pluto/state.c"
KEYS_C = "programs/pluto/keys.c"
PSK_C = "programs/pluto/ikev2_psk.c"
KERNEL_C = "programs/pluto/kernel_xfrm.c (kernel_netlink.c in 3.x)"

P = Pattern
FLOW_PATTERNS: tuple[Pattern, ...] = (
    # --- IKE SA setup -----------------------------------------------------------------------------
    P(id="libreswan-initiate-main-mode", key="initiating Main", action=Action.IKE_INIT_SENT,
      regex=r"^initiating Main Mode(?: connection)?(?: to replace #\d+)?$",
      fields={"role": "initiator", "ike_version": 1, "exchange": "ID_PROT"},
      ref=IKEV1_MAIN_C + ": \"initiating Main Mode\" (3.x)"),
    P(id="libreswan-initiate-main-mode-4", key="initiating IKEv1", action=Action.IKE_INIT_SENT,
      regex=r"^initiating IKEv1 Main Mode connection(?: to replace #\d+)?$",
      fields={"role": "initiator", "ike_version": 1, "exchange": "ID_PROT"},
      ref=IKEV1_MAIN_C + ": \"initiating IKEv1 Main Mode connection\" (4.x, 5.x)"),
    P(id="libreswan-initiate-aggressive", key="initiating Aggressive", action=Action.IKE_INIT_SENT,
      regex=r"^initiating Aggressive Mode(?: #\d+ to replace #\d+)?$",
      fields={"role": "initiator", "ike_version": 1, "exchange": "AGGRESSIVE"},
      ref="programs/pluto/ikev1_aggr.c: \"initiating Aggressive Mode\" (3.x)"),
    P(id="libreswan-initiate-aggressive-4", key="initiating IKEv1", action=Action.IKE_INIT_SENT,
      regex=r"^initiating IKEv1 Aggressive Mode connection",
      fields={"role": "initiator", "ike_version": 1, "exchange": "AGGRESSIVE"},
      ref="programs/pluto/ikev1_aggr.c: \"initiating IKEv1 Aggressive Mode connection\" (4.x, 5.x)"),
    P(id="libreswan-initiate-ikev2", key="initiating IKEv2", action=Action.IKE_INIT_SENT,
      regex=r"^initiating IKEv2 (?:IKE SA|connection)(?: to " + ip("remote_ip", r"[^\s(]+")
            + r"(?: \([^)]*\))? using (?:UDP|TCP))?",
      fields={"role": "initiator", "ike_version": 2, "exchange": "IKE_SA_INIT"},
      ref=IKEV2_INIT_C + ": \"initiating IKEv2 IKE SA\" (3.32), \"initiating IKEv2 connection[ to %s using %s]\""),
    P(id="libreswan-initiate-v2-parent", key="initiating v2", action=Action.IKE_INIT_SENT,
      regex=r"^initiating v2 parent SA", fields={"role": "initiator", "ike_version": 2, "exchange": "IKE_SA_INIT"},
      ref="programs/pluto/ikev2_parent.c (3.x): \"initiating v2 parent SA\""),
    P(id="libreswan-responding-main-mode", key="responding to", action=Action.IKE_INIT_RECEIVED,
      regex=r"^responding to Main Mode(?: from unknown peer (?:" + ENDPOINT + r"|(?P<detail>\S+) on port \d+))?$",
      fields={"role": "responder", "ike_version": 1, "exchange": "ID_PROT"},
      ref=IKEV1_MAIN_C + ": \"responding to Main Mode[ from unknown peer %s]\""),
    P(id="libreswan-responding-aggressive", key="responding to", action=Action.IKE_INIT_RECEIVED,
      regex=r"^responding to Aggressive Mode, state #\d+, connection .* from " + ip("remote_ip") + r"$",
      fields={"role": "responder", "ike_version": 1, "exchange": "AGGRESSIVE"},
      ref="programs/pluto/ikev1_aggr.c: \"responding to Aggressive Mode, state #%lu, connection %s from %s\""),
    P(id="libreswan-responder-v2-3", key="received %s,", action=Action.IKE_INIT_RECEIVED,
      regex=r"^received v2I1, sent v2R1(?: \{(?P<proposals>[^}]*)\})?",
      fields={"role": "responder", "ike_version": 2, "exchange": "IKE_SA_INIT"},
      ref=STATES + " (3.x): STATE_PARENT_R1 \"received v2I1, sent v2R1\""),
    P(id="libreswan-responder-v2", key="sent %X", action=Action.IKE_INIT_RECEIVED,
      regex=r"^sent IKE_SA_INIT (?:reply|response)(?: to " + ENDPOINT + r")?(?: \{(?P<proposals>[^}]*)\})?",
      fields={"role": "responder", "ike_version": 2, "exchange": "IKE_SA_INIT", "direction": "out"},
      note="the responder's first line: it answered a peer's IKE_SA_INIT",
      ref=STATES + " (4.x): \"sent IKE_SA_INIT reply\"; " + IKEV2_INIT_C + " (5.x): \"sent IKE_SA_INIT response to %s\""),
    P(id="libreswan-no-connection-authorized", key="initial Main", action=Action.PEER_CONFIG_NOT_FOUND,
      regex=r"^initial Main Mode message received (?:on \S+ )?but no connection has been authorized with (?P<detail>.+)$",
      fields={"ike_version": 1},
      ref="programs/pluto/ikev1_host_pair.c (ikev1_main.c in 3.x): \"initial Main Mode message received on %s but "
          "no connection has been authorized with policy %s\""),
    P(id="libreswan-no-connection-aggressive", key="initial Aggressive", action=Action.PEER_CONFIG_NOT_FOUND,
      regex=r"^initial Aggressive Mode packet claiming to be from (?P<remote_id>\S+) on \S+ but no connection has "
            r"been authorized$",
      fields={"ike_version": 1},
      ref="programs/pluto/ikev1_aggr.c: \"initial Aggressive Mode packet claiming to be from %s on %s but no "
          "connection has been authorized\""),
    P(id="libreswan-no-connection-v2", key="%X", action=Action.PEER_CONFIG_NOT_FOUND,
      regex=r"^(?P<exchange>IKE_SA_INIT) message received on \S+ but no (?:suitable connection found with "
            r"IKEv2 policy|connection has been authorized with policy (?P<detail>[^,]+))",
      fields={"ike_version": 2},
      ref="programs/pluto/ikev2_host_pair.c: \"%s message received on %s but no suitable connection found with "
          "IKEv2 policy\""),
    P(id="libreswan-no-connection-v2-3", key="initial parent", action=Action.PEER_CONFIG_NOT_FOUND,
      regex=r"^initial parent SA message received on \S+ but no (?:suitable connection found|connection has been "
            r"authorized)", fields={"ike_version": 2},
      ref="programs/pluto/hostpair.c (3.x): \"initial parent SA message received on %s but no suitable connection "
          "found with IKEv2 policy\""),
    P(id="libreswan-no-connection-v2-5", key="dropping %X", action=Action.PEER_CONFIG_NOT_FOUND,
      regex=r"^dropping (?P<exchange>IKE_SA_INIT) request from " + ENDPOINT + r" received on \S+, no suitable "
            r"connection found with IKEv2 policy$", fields={"ike_version": 2},
      ref="programs/pluto/ikev2_unsecured.c (5.x): \"dropping %s request from %s received on %s, no suitable "
          "connection found with IKEv2 policy\""),
    P(id="libreswan-no-suitable-connection", key="no suitable", action=Action.PEER_CONFIG_NOT_FOUND,
      regex=r"^no suitable connection for peer '(?P<remote_id>[^']*)'$",
      ref="programs/pluto/ikev2.c (3.25): \"no suitable connection for peer '%s'\""),
    P(id="libreswan-major-version", key="ignoring packet", action=Action.INVALID_VERSION,
      regex=r"^ignoring packet with IKE major version '(?P<detail>\d+)'$",
      ref="programs/pluto/demux.c: \"ignoring packet with IKE major version '%d'\""),
    P(id="libreswan-major-version-unsupported", key="message contains", action=Action.INVALID_VERSION,
      regex=r"^message contains unsupported IKE major version '(?P<detail>\d+)'$",
      ref="programs/pluto/demux.c (3.32): \"message contains unsupported IKE major version '%d'\""),

    # --- progress (state stories) and messages -----------------------------------------------------
    P(id="libreswan-isakmp-established", key="ISAKMP", action=Action.IKE_SA_ESTABLISHED,
      regex=r"^ISAKMP SA established(?: \{(?P<proposals>[^}]*)\})?", fields={"ike_version": 1},
      ref=STATES + ": \"ISAKMP SA established\"; programs/pluto/ikev1.c: \" {auth=... cipher=... group=...}\""),
    P(id="libreswan-isakmp-established-sent", key="sent %s,", action=Action.IKE_SA_ESTABLISHED,
      regex=r"^sent (?:MR3|AI2), ISAKMP SA established(?: \{(?P<proposals>[^}]*)\})?", fields={"ike_version": 1},
      ref=STATES + ": STATE_MAIN_R3 \"sent MR3, ISAKMP SA established\", STATE_AGGR_I2"),
    P(id="libreswan-ipsec-established-sent", key="sent %s,", action=Action.CHILD_SA_ESTABLISHED,
      regex=r"^sent QI2, IPsec SA established (?P<detail>tunnel|transport) mode \{" + INBOUND_SPI,
      fields={"ike_version": 1, "exchange": "QUICK_MODE"},
      ref=STATES + ": STATE_QUICK_I2 \"sent QI2, IPsec SA established\"; programs/pluto/ipsec_doi.c"),
    P(id="libreswan-v1-story-main", key="sent %s,", action=Action.MESSAGE_SENT,
      regex=r"^sent (?P<detail>M[IR]\d), expecting M[IR]\d$",
      fields={"ike_version": 1, "exchange": "ID_PROT", "direction": "out"},
      ref=STATES + " (3.x): \"sent MI1, expecting MR1\""),
    P(id="libreswan-v1-story-aggressive", key="sent %s,", action=Action.MESSAGE_SENT,
      regex=r"^sent (?P<detail>A[IR]\d), expecting A[IR]\d$",
      fields={"ike_version": 1, "exchange": "AGGRESSIVE", "direction": "out"},
      ref=STATES + " (3.x): \"sent AI1, expecting AR1\""),
    P(id="libreswan-v1-story-quick", key="sent %s,", action=Action.MESSAGE_SENT,
      regex=r"^sent (?P<detail>Q[IR]\d), (?:inbound IPsec SA installed, )?expecting Q[IR]\d$",
      fields={"ike_version": 1, "exchange": "QUICK_MODE", "direction": "out"},
      ref=STATES + " (3.x): \"sent QI1, expecting QR1\", \"sent QR1, inbound IPsec SA installed, expecting QI2\""),
    P(id="libreswan-v2-story-init", key="sent %s,", action=Action.MESSAGE_SENT,
      regex=r"^sent v2I1, expected v2R1$",
      fields={"ike_version": 2, "exchange": "IKE_SA_INIT", "direction": "out", "detail": "request"},
      ref=STATES + " (3.x): STATE_PARENT_I1 \"sent v2I1, expected v2R1\""),
    P(id="libreswan-v2-story-auth", key="sent %s,", action=Action.MESSAGE_SENT,
      regex=r"^sent v2I2, expected v2R2(?: \{(?P<proposals>[^}]*)\})?",
      fields={"ike_version": 2, "exchange": "IKE_AUTH", "direction": "out", "detail": "request"},
      ref=STATES + " (3.x): STATE_PARENT_I2 \"sent v2I2, expected v2R2\""),
    P(id="libreswan-v1-sent-main", key="sent Main", action=Action.MESSAGE_SENT,
      regex=r"^sent Main Mode (?P<detail>request|[IR]\d)$",
      fields={"ike_version": 1, "exchange": "ID_PROT", "direction": "out"},
      ref=STATES + " (4.x, 5.x): \"sent Main Mode request\", \"sent Main Mode I2\""),
    P(id="libreswan-v1-sent-aggressive", key="sent Aggressive", action=Action.MESSAGE_SENT,
      regex=r"^sent Aggressive Mode (?P<detail>request|reply|[IR]\d)",
      fields={"ike_version": 1, "exchange": "AGGRESSIVE", "direction": "out"},
      ref=STATES + " (4.x, 5.x): \"sent Aggressive Mode request\""),
    P(id="libreswan-v1-sent-quick", key="sent Quick", action=Action.MESSAGE_SENT,
      regex=r"^sent Quick Mode (?P<detail>request|reply)",
      fields={"ike_version": 1, "exchange": "QUICK_MODE", "direction": "out"},
      ref=STATES + " (4.x, 5.x): \"sent Quick Mode request\""),
    P(id="libreswan-v2-sent", key="sent %X", action=Action.MESSAGE_SENT,
      regex=r"^sent (?P<exchange>IKE_SA_INIT|IKE_AUTH|IKE_INTERMEDIATE|CREATE_CHILD_SA|INFORMATIONAL|IKE_SESSION_RESUME) "
            r"(?P<detail>request)(?: to " + ENDPOINT + r")?",
      fields={"ike_version": 2, "direction": "out"},
      ref=STATES + " (4.x): \"sent IKE_SA_INIT request\"; " + IKEV2_INIT_C + " (5.x): \"sent %s request to %s\""),
    P(id="libreswan-v2-processed", key="processed %X", action=Action.MESSAGE_RECEIVED,
      regex=r"^processed (?P<exchange>IKE_SA_INIT|IKE_INTERMEDIATE|IKE_SESSION_RESUME) (?P<detail>response) from "
            + ENDPOINT + r"(?: \{(?P<proposals>[^}]*)\})?",
      fields={"ike_version": 2, "direction": "in"},
      ref=IKEV2_INIT_C + " (5.x): \"processed IKE_SA_INIT response from %s {...}, initiating IKE_AUTH\""),
    P(id="libreswan-v2-processing-decrypted", key="processing decrypted", action=Action.MESSAGE_RECEIVED,
      regex=r"^processing decrypted (?P<exchange>IKE_AUTH|IKE_INTERMEDIATE|CREATE_CHILD_SA|INFORMATIONAL) "
            r"(?P<detail>request|response)[^:]*: (?:SK\{)?(?:[^}]*?\bN\(" + ERR + r"\))?",
      fields={"ike_version": 2, "direction": "in"},
      ref="programs/pluto/ikev2_ike_auth.c (3.32, 4.x): \"processing decrypted %s %s: SK{payloads}\""),
    P(id="libreswan-v2-processing", key="processing %X", action=Action.MESSAGE_RECEIVED,
      regex=r"^processing (?P<exchange>IKE_AUTH|IKE_INTERMEDIATE|CREATE_CHILD_SA|INFORMATIONAL|IKE_SA_INIT) "
            r"(?P<detail>request|response) from " + ENDPOINT + r"(?: containing (?:SK\{)?(?:[^}]*?\bN\(" + ERR
            + r"\))?)?",
      fields={"ike_version": 2, "direction": "in"},
      ref="programs/pluto/ikev2.c (5.x): \"processing %s %s from %s containing SK{payloads}\""),
    P(id="libreswan-retransmit-story", key="retransmission;", action=Action.RETRANSMIT,
      regex=r"^retransmission; will wait [\d.]+ \w+ for response$", fields={"direction": "out"},
      ref=RETRANSMIT_C + ": \"%s: retransmission; will wait %s seconds for response\" (state prefix -> detail)"),
    P(id="libreswan-retransmit", key="retransmitting", action=Action.RETRANSMIT,
      regex=r"^retransmitting (?P<exchange>[A-Z_]+) (?:request|response)(?: \(fragments\))?; will wait ",
      fields={"direction": "out"},
      ref="programs/pluto/ikev2_retransmit.c (5.x): \"retransmitting %s; will wait %s for response\""),
    P(id="libreswan-keying-attempt", key="starting", action=Action.RETRANSMIT,
      regex=r"^starting keying attempt (?P<detail>\d+) of (?:an unlimited number|at most \d+)",
      note="a new keying try after the previous one timed out (keyingtries)",
      ref=RETRANSMIT_C + ": \"starting keying attempt %ld of an unlimited number\""),
    P(id="libreswan-retransmit-duplicate", key="retransmitting", action=Action.INFO,
      regex=r"^retransmitting in response to duplicate packet",
      ref=IKEV1_C + ": \"retransmitting in response to duplicate packet; already %s\""),
    P(id="libreswan-timeout-first-message", key="%d", action=Action.PEER_UNREACHABLE,
      regex=TIMEOUT + r".*\.  No response \(or no acceptable response\) to our first IKEv(?P<ike_version>\d) message$",
      note="the peer never answered our first message: down, filtered or wrong address",
      ref=RETRANSMIT_C + ": \"... timeout exceeded after %lu retransmits.  No response (or no acceptable response) "
          "to our first IKEv1 message\""),
    P(id="libreswan-timeout-first-message-old", key="max", action=Action.PEER_UNREACHABLE,
      regex=TIMEOUT + r".*\.  No response \(or no acceptable response\) to our first IKE(?:v(?P<ike_version>\d))? "
            r"message$",
      ref=RETRANSMIT_C + ": \"max number of retransmissions (%d) reached %s.  No response (or no acceptable "
          "response) to our first IKE message\""),
    P(id="libreswan-timeout-encrypted", key="%d", action=Action.AUTH_FAILED,
      regex=TIMEOUT + r".*\.  Possible authentication failure: no acceptable response to our first encrypted "
            r"message$",
      note="the peer dropped our first encrypted message: usually a PSK or identity mismatch",
      ref=RETRANSMIT_C + ": \"Possible authentication failure: no acceptable response to our first encrypted "
          "message\""),
    P(id="libreswan-timeout-encrypted-old", key="max", action=Action.AUTH_FAILED,
      regex=TIMEOUT + r".*\.  Possible authentication failure: no acceptable response to our first encrypted "
            r"message$",
      ref=RETRANSMIT_C + " (3.x): \"max number of retransmissions (%d) reached %s.  Possible authentication failure"
          "...\""),
    P(id="libreswan-timeout-quick-mode", key="%d", action=Action.CHILD_SA_FAILED,
      regex=TIMEOUT + r".*\.  No acceptable response to our first Quick Mode message: perhaps peer likes no "
            r"proposal$",
      fields={"ike_version": 1, "exchange": "QUICK_MODE"},
      note="the peer silently dropped quick mode: proposals or selectors differ",
      ref=RETRANSMIT_C + ": \"No acceptable response to our first Quick Mode message: perhaps peer likes no proposal\""),
    P(id="libreswan-timeout-quick-mode-old", key="max", action=Action.CHILD_SA_FAILED,
      regex=TIMEOUT + r".*\.  No acceptable response to our first Quick Mode message: perhaps peer likes no "
            r"proposal$",
      fields={"ike_version": 1, "exchange": "QUICK_MODE"},
      ref=RETRANSMIT_C + " (3.x): \"max number of retransmissions ...: perhaps peer likes no proposal\""),
    P(id="libreswan-timeout-other", key="%d", action=Action.PEER_UNREACHABLE,
      regex=TIMEOUT, note="on an established IKE SA: the liveness (DPD) probes or a rekey went unanswered",
      ref=RETRANSMIT_C + ": \"%s second timeout exceeded after %lu retransmits.  No response (or no acceptable "
          "response) to our %s message\""),
    P(id="libreswan-timeout-other-old", key="max", action=Action.PEER_UNREACHABLE,
      regex=TIMEOUT, ref=RETRANSMIT_C + ": \"max number of retransmissions (%d) reached %s%s\""),

    # --- established -----------------------------------------------------------------------------
    P(id="libreswan-parent-established", key="PARENT", action=Action.IKE_SA_ESTABLISHED,
      regex=r"^PARENT SA established(?: \{(?P<proposals>[^}]*)\})?", fields={"ike_version": 2},
      ref=STATES + " (3.x): STATE_PARENT_I3 \"PARENT SA established\""),
    P(id="libreswan-parent-established-responder", key="received %s,", action=Action.IKE_SA_ESTABLISHED,
      regex=r"^received v2I2, PARENT SA established(?: \{(?P<proposals>[^}]*)\})?",
      fields={"ike_version": 2, "role": "responder"},
      ref=STATES + " (3.x): STATE_PARENT_R2 \"received v2I2, PARENT SA established\""),
    P(id="libreswan-ike-established-initiator", key="initiator", action=Action.IKE_SA_ESTABLISHED,
      regex=r"^initiator established IKE SA; authenticated[^']*'(?P<remote_id>[^']*)'",
      fields={"ike_version": 2, "role": "initiator"},
      ref=KEYS_C + ", " + PSK_C + " (4.12+): \"%s established IKE SA; authenticated peer ... '%s'\""),
    P(id="libreswan-ike-established-responder", key="responder", action=Action.IKE_SA_ESTABLISHED,
      regex=r"^responder established IKE SA; authenticated[^']*'(?P<remote_id>[^']*)'",
      fields={"ike_version": 2, "role": "responder"},
      ref=KEYS_C + ", " + PSK_C + " (4.12+): \"%s established IKE SA; authenticated peer ... '%s'\""),
    P(id="libreswan-ike-established-46", key="established", action=Action.IKE_SA_ESTABLISHED,
      regex=r"^established IKE SA; authenticated[^']*'(?P<remote_id>[^']*)'", fields={"ike_version": 2},
      ref=KEYS_C + ", " + PSK_C + " (4.6): \"established IKE SA; authenticated using authby=%s and peer %s '%s'\""),
    P(id="libreswan-ipsec-established", key="IPsec", action=Action.CHILD_SA_ESTABLISHED,
      regex=r"^IPsec SA established (?P<detail>tunnel|transport) mode \{" + INBOUND_SPI,
      ref=STATES + ": \"IPsec SA established\"; programs/pluto/ipsec_doi.c: \" tunnel mode {ESP=>0x%08x <0x%08x ...}\""),
    P(id="libreswan-child-established-initiator", key="initiator", action=Action.CHILD_SA_ESTABLISHED,
      regex=r"^initiator established Child SA using #(?P<ike_sa_id>\d+); IPsec (?P<detail>tunnel|transport) " + TS
            + r"(?: \{" + INBOUND_SPI + r")?",
      fields={"ike_version": 2, "role": "initiator"},
      ref=IKEV2_CHILD_C + " (4.12+): \"%s established Child SA using #%lu; IPsec %s [%s] {...}\""),
    P(id="libreswan-child-established-responder", key="responder", action=Action.CHILD_SA_ESTABLISHED,
      regex=r"^responder established Child SA using #(?P<ike_sa_id>\d+); IPsec (?P<detail>tunnel|transport) " + TS
            + r"(?: \{" + INBOUND_SPI + r")?",
      fields={"ike_version": 2, "role": "responder"},
      ref=IKEV2_CHILD_C + " (4.12+): \"%s established Child SA using #%lu; IPsec %s [%s] {...}\""),
    P(id="libreswan-child-established-46", key="established", action=Action.CHILD_SA_ESTABLISHED,
      regex=r"^established Child SA using #(?P<ike_sa_id>\d+); IPsec (?P<detail>tunnel|transport) " + TS
            + r"(?: \{" + INBOUND_SPI + r")?",
      fields={"ike_version": 2}, ref=IKEV2_CHILD_C + " (4.6): \"established Child SA using #%lu; ...\""),
    P(id="libreswan-child-rekeyed-initiator", key="initiator", action=Action.REKEY_COMPLETED,
      regex=r"^initiator rekeyed Child SA #\d+ using #(?P<ike_sa_id>\d+); IPsec (?:tunnel|transport) " + TS
            + r"(?: \{" + INBOUND_SPI + r")?",
      fields={"ike_version": 2, "detail": "child", "role": "initiator"},
      ref=IKEV2_CHILD_C + ": \"%s rekeyed Child SA #%lu using #%lu; IPsec %s [%s] {...}\""),
    P(id="libreswan-child-rekeyed-responder", key="responder", action=Action.REKEY_COMPLETED,
      regex=r"^responder rekeyed Child SA #\d+ using #(?P<ike_sa_id>\d+); IPsec (?:tunnel|transport) " + TS
            + r"(?: \{" + INBOUND_SPI + r")?",
      fields={"ike_version": 2, "detail": "child", "role": "responder"},
      ref=IKEV2_CHILD_C + ": \"%s rekeyed Child SA #%lu using #%lu; IPsec %s [%s] {...}\""),
    P(id="libreswan-ike-rekeyed-initiator", key="initiator", action=Action.REKEY_COMPLETED,
      regex=r"^initiator rekeyed IKE SA #\d+(?: \{(?P<proposals>[^}]*)\})?",
      fields={"ike_version": 2, "detail": "ike", "role": "initiator"},
      ref="programs/pluto/ikev2_create_child_sa.c: \"%s rekeyed IKE SA #%lu {...}\""),
    P(id="libreswan-ike-rekeyed-responder", key="responder", action=Action.REKEY_COMPLETED,
      regex=r"^responder rekeyed IKE SA #\d+(?: \{(?P<proposals>[^}]*)\})?",
      fields={"ike_version": 2, "detail": "ike", "role": "responder"},
      ref="programs/pluto/ikev2_create_child_sa.c: \"%s rekeyed IKE SA #%lu {...}\""),
    P(id="libreswan-invalid-ke-sent", key="initiator", action=Action.DH_GROUP_REJECTED,
      regex=r"^initiator guessed wrong keying material group \((?P<detail>[^)]+)\); responding with INVALID_KE_PAYLOAD "
            r"requesting (?P<proposals>\S+)$",
      fields={"ike_version": 2, "notify": "INVALID_KE_PAYLOAD", "direction": "out", "exchange": "IKE_SA_INIT"},
      ref="programs/pluto/ikev2_parent.c: \"initiator guessed wrong keying material group (%s); responding with "
          "INVALID_KE_PAYLOAD requesting %s\""),
    P(id="libreswan-initiator-processed", key="initiator", action=Action.MESSAGE_RECEIVED,
      regex=r"^initiator processed (?P<exchange>IKE_INTERMEDIATE|IKE_SESSION_RESUME), initiating ",
      fields={"ike_version": 2, "direction": "in", "detail": "response"},
      ref="programs/pluto/ikev2_ike_intermediate.c: \"initiator processed IKE_INTERMEDIATE, initiating IKE_AUTH\""),
    P(id="libreswan-negotiated-connection", key="negotiated", action=Action.INFO,
      regex=r"^negotiated connection " + TS + r"$", ref="programs/pluto/ikev2_child.c (4.x): \"negotiated connection [%s] -> [%s]\""),
    P(id="libreswan-peer-id", key="Peer", action=Action.INFO,
      regex=r"^Peer ID is (?P<detail>\w+): '(?P<remote_id>[^']*)'$",
      ref="programs/pluto/ikev1_peer_id.c: \"Peer ID is %s: '%s'\""),
    P(id="libreswan-peer-id-v2", key="IKEv2", action=Action.INFO,
      regex=r"^IKEv2 mode peer ID is (?P<detail>\w+): '(?P<remote_id>[^']*)'$",
      ref="programs/pluto/ikev2.c (3.x): \"IKEv2 mode peer ID is %s: '%s'\""),

    # --- child SAs ---------------------------------------------------------------------------------
    P(id="libreswan-initiate-quick-mode", key="initiating Quick", action=Action.CHILD_SA_INITIATING,
      regex=r"^initiating Quick Mode (?P<detail>\S+)(?: to replace #\d+)?(?: \{using isakmp#(?P<ike_sa_id>\d+)"
            r"(?: msgid:\w+)?(?: proposal=(?P<proposals>.*?))?(?: pfsgroup=\S+)?(?: \S+===\S+)?\})?$",
      fields={"ike_version": 1, "exchange": "QUICK_MODE"},
      ref=IKEV1_QUICK_C + ": \"initiating Quick Mode %s {using isakmp#%lu msgid:%08x proposal=%s pfsgroup=%s}\""),
    P(id="libreswan-initiate-child", key="initiating Child", action=Action.CHILD_SA_INITIATING,
      regex=r"^initiating Child SA using IKE SA #(?P<ike_sa_id>\d+)$",
      fields={"ike_version": 2, "exchange": "CREATE_CHILD_SA"},
      ref="programs/pluto/ikev2_create_child_sa.c: \"initiating Child SA using IKE SA #%lu\""),
    P(id="libreswan-rekey-child", key="initiating rekey", action=Action.REKEY_STARTED,
      regex=r"^initiating rekey to replace Child SA #\d+(?: using IKE SA #(?P<ike_sa_id>\d+))?$",
      fields={"ike_version": 2, "detail": "child"},
      ref="programs/pluto/ikev2_create_child_sa.c: \"initiating rekey to replace Child SA #%lu using IKE SA #%lu\""),
    P(id="libreswan-rekey-ike", key="initiating rekey", action=Action.REKEY_STARTED,
      regex=r"^initiating rekey to replace IKE SA #\d+", fields={"ike_version": 2, "detail": "ike"},
      ref="programs/pluto/ikev2_create_child_sa.c: \"initiating rekey to replace IKE SA #%lu\""),
    P(id="libreswan-reauth", key="initiate", action=Action.REKEY_STARTED,
      regex=r"^initiate reauthentication of IKE SA$", fields={"detail": "ike"},
      ref="programs/pluto/ikev2_replace.c: \"initiate reauthentication of IKE SA\""),
    P(id="libreswan-peer-proposed", key="the", action=Action.CHILD_CONFIG_LOOKUP,
      regex=r"^the peer proposed: (?P<detail>.+)$", fields={"ike_version": 1},
      note="printed before looking for a connection matching the peer's quick mode selectors",
      ref=IKEV1_QUICK_C + ": \"the peer proposed: %s\""),
    P(id="libreswan-no-connection-ipsec", key="cannot respond", action=Action.CHILD_CONFIG_NOT_FOUND,
      regex=r"^cannot respond to IPsec SA request because no connection is known for (?P<detail>.+)$",
      fields={"ike_version": 1, "exchange": "QUICK_MODE"},
      ref=IKEV1_QUICK_C + ": \"cannot respond to IPsec SA request because no connection is known for %s\""),
    P(id="libreswan-ts-no-connection-4", key="No IKEv2", action=Action.TS_UNACCEPTABLE,
      regex=r"^No IKEv2 connection found with compatible Traffic Selectors$", fields={"ike_version": 2},
      ref="programs/pluto/ikev2_ts.c (4.x): \"No IKEv2 connection found with compatible Traffic Selectors\""),
    P(id="libreswan-ts-no-connection-5", key="Child", action=Action.TS_UNACCEPTABLE,
      regex=r"^Child SA's Traffic Selector request \{(?P<detail>[^}]*)\} does not match .*; responding with "
            r"TS_UNACCEPTABLE$",
      fields={"ike_version": 2, "notify": "TS_UNACCEPTABLE", "direction": "out"},
      ref="programs/pluto/ikev2_ts.c (5.x): \"... does not match any IKEv2 connection; responding with TS_UNACCEPTABLE\""),
    P(id="libreswan-ts-not-existing", key="Received", action=Action.TS_UNACCEPTABLE,
      regex=r"^Received TSr payload\(s\) does not contain existing IPsec SA Traffic Selectors$",
      ref="programs/pluto/ikev2_ts.c (3.32): \"Received TSr payload(s) does not contain existing IPsec SA Traffic "
          "Selectors\""),

)
