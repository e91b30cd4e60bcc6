"""Libreswan pluto (3.x to 5.x), through syslog (`pluto[1234]: ...`) or its own logfile.

pluto prefixes a line with what it is about (programs/pluto/log.c, connections.c jam_connection):
  `"conn"[3] 192.0.2.1 #5: msg`   an instance of a template connection, its peer, state #5
  `"conn" #5: msg`                 a permanent connection's state
  `"conn": msg`, `"conn"[3] 192.0.2.1: msg`   the connection, no state
  `packet from 192.0.2.1:500: msg`   a message no state claimed yet
  `ERROR: "conn" #5: msg`, `"conn" #5: ERROR: msg`   errors (5.x puts ERROR: first, 3.x inside)
IKEv1 and 3.x IKEv2 progress lines start with the state (`STATE_MAIN_I4: ISAKMP SA established`);
5.x retransmit lines with its short name (`IKE_SA_INIT_I: 30 second timeout exceeded ...`). The
state goes to `detail` unless the pattern sets one. The logfile (`logfile=`, `logtime=yes`) prints
`Feb  5 21:29:53.123456: ` first, which the envelope reads as a year-less syslog time.

pluto's #N numbers every state, IKE and IPsec alike: it goes to `ike_sa_id`, except on lines that
name their IKE SA (`... using #1`, `using isakmp#1`), where #N is the Child SA's (`child_id`).

Texts are learnt from the Libreswan sources at v3.25, v3.32, v4.6, v4.12, v5.0 and 5.x main
(programs/pluto/*.c) and from the whack transcripts of its test suite (testing/pluto/*/*.console.txt).
"""

from __future__ import annotations

import re

from schemas.events import Action, Event
from streams.parse.envelope import Envelope
from streams.parse.patterns import Dialect, Pattern, apply_fields

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
_ERR = r"(?:v[12]N_)?(?P<notify>" + "|".join(ERROR_NOTIFIES) + r")"
_ADDR = r"[^\s\[\]]+?"
# `192.0.2.1:500` (3.x, 4.x), `192.0.2.1:UDP/500`, `[2001:db8::1]:UDP/500` (5.x)
_ENDPOINT = r"\[?(?P<remote_ip>[0-9A-Fa-f:.]*[0-9A-Fa-f])\]?:(?:(?:UDP|TCP)/)?(?P<remote_port>\d+)(?![\d:])"
# `[192.0.1.0/24===192.0.2.0/24]` (5.x) or `[192.0.1.0-192.0.1.255:0-65535 0] -> [...]` (4.x)
_TS = r"\[(?P<ts_local>[^\]]*?)(?:===|\] -> \[)(?P<ts_remote>[^\]]*)\]"
_INBOUND_SPI = r"(?:ESP|AH)[^ =]*=>0x[0-9a-f]+ <0x(?P<spi>[0-9a-f]+)"
_TIMEOUT = r"^(?:max number of retransmissions \(\d+\) reached(?: after [\d.]+ seconds| (?P<detail>\w+))|[\d.]+ second timeout exceeded after \d+ retransmits)"

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
PATTERNS: tuple[Pattern, ...] = (
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
      regex=r"^initiating IKEv2 (?:IKE SA|connection)(?: to (?P<remote_ip>[^\s(]+)(?: \([^)]*\))? using (?:UDP|TCP))?",
      fields={"role": "initiator", "ike_version": 2, "exchange": "IKE_SA_INIT"},
      ref=IKEV2_INIT_C + ": \"initiating IKEv2 IKE SA\" (3.32), \"initiating IKEv2 connection[ to %s using %s]\""),
    P(id="libreswan-initiate-v2-parent", key="initiating v2", action=Action.IKE_INIT_SENT,
      regex=r"^initiating v2 parent SA", fields={"role": "initiator", "ike_version": 2, "exchange": "IKE_SA_INIT"},
      ref="programs/pluto/ikev2_parent.c (3.x): \"initiating v2 parent SA\""),
    P(id="libreswan-responding-main-mode", key="responding to", action=Action.IKE_INIT_RECEIVED,
      regex=r"^responding to Main Mode(?: from unknown peer (?:" + _ENDPOINT + r"|(?P<detail>\S+) on port \d+))?$",
      fields={"role": "responder", "ike_version": 1, "exchange": "ID_PROT"},
      ref=IKEV1_MAIN_C + ": \"responding to Main Mode[ from unknown peer %s]\""),
    P(id="libreswan-responding-aggressive", key="responding to", action=Action.IKE_INIT_RECEIVED,
      regex=r"^responding to Aggressive Mode, state #\d+, connection .* from (?P<remote_ip>\S+)$",
      fields={"role": "responder", "ike_version": 1, "exchange": "AGGRESSIVE"},
      ref="programs/pluto/ikev1_aggr.c: \"responding to Aggressive Mode, state #%lu, connection %s from %s\""),
    P(id="libreswan-responder-v2-3", key="received %s,", action=Action.IKE_INIT_RECEIVED,
      regex=r"^received v2I1, sent v2R1(?: \{(?P<proposals>[^}]*)\})?",
      fields={"role": "responder", "ike_version": 2, "exchange": "IKE_SA_INIT"},
      ref=STATES + " (3.x): STATE_PARENT_R1 \"received v2I1, sent v2R1\""),
    P(id="libreswan-responder-v2", key="sent %X", action=Action.IKE_INIT_RECEIVED,
      regex=r"^sent IKE_SA_INIT (?:reply|response)(?: to " + _ENDPOINT + r")?(?: \{(?P<proposals>[^}]*)\})?",
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
      regex=r"^dropping (?P<exchange>IKE_SA_INIT) request from " + _ENDPOINT + r" received on \S+, no suitable "
            r"connection found with IKEv2 policy$", fields={"ike_version": 2},
      ref="programs/pluto/ikev2_unsecured.c (5.x): \"dropping %s request from %s received on %s, no suitable "
          "connection found with IKEv2 policy\""),
    P(id="libreswan-no-suitable-connection", key="no suitable", action=Action.PEER_CONFIG_NOT_FOUND,
      regex=r"^no suitable connection for peer '(?P<remote_id>[^']*)'$",
      ref="programs/pluto/ikev2.c (3.25): \"no suitable connection for peer '%s'\""),
    P(id="libreswan-major-version", key="ignoring packet", action=Action.INVALID_VERSION,
      regex=r"^ignoring packet with IKE major version '(?P<ike_version>\d+)'$",
      ref="programs/pluto/demux.c: \"ignoring packet with IKE major version '%d'\""),
    P(id="libreswan-major-version-unsupported", key="message contains", action=Action.INVALID_VERSION,
      regex=r"^message contains unsupported IKE major version '(?P<ike_version>\d+)'$",
      ref="programs/pluto/demux.c (3.32): \"message contains unsupported IKE major version '%d'\""),

    # --- progress (state stories) and messages -----------------------------------------------------
    P(id="libreswan-isakmp-established", key="ISAKMP", action=Action.IKE_SA_ESTABLISHED,
      regex=r"^ISAKMP SA established(?: \{(?P<proposals>[^}]*)\})?", fields={"ike_version": 1},
      ref=STATES + ": \"ISAKMP SA established\"; programs/pluto/ikev1.c: \" {auth=... cipher=... group=...}\""),
    P(id="libreswan-isakmp-established-sent", key="sent %s,", action=Action.IKE_SA_ESTABLISHED,
      regex=r"^sent (?:MR3|AI2), ISAKMP SA established(?: \{(?P<proposals>[^}]*)\})?", fields={"ike_version": 1},
      ref=STATES + ": STATE_MAIN_R3 \"sent MR3, ISAKMP SA established\", STATE_AGGR_I2"),
    P(id="libreswan-ipsec-established-sent", key="sent %s,", action=Action.CHILD_SA_ESTABLISHED,
      regex=r"^sent QI2, IPsec SA established (?P<detail>tunnel|transport) mode \{" + _INBOUND_SPI,
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
            r"(?P<detail>request)(?: to " + _ENDPOINT + r")?",
      fields={"ike_version": 2, "direction": "out"},
      ref=STATES + " (4.x): \"sent IKE_SA_INIT request\"; " + IKEV2_INIT_C + " (5.x): \"sent %s request to %s\""),
    P(id="libreswan-v2-processed", key="processed %X", action=Action.MESSAGE_RECEIVED,
      regex=r"^processed (?P<exchange>IKE_SA_INIT|IKE_INTERMEDIATE|IKE_SESSION_RESUME) (?P<detail>response) from "
            + _ENDPOINT + r"(?: \{(?P<proposals>[^}]*)\})?",
      fields={"ike_version": 2, "direction": "in"},
      ref=IKEV2_INIT_C + " (5.x): \"processed IKE_SA_INIT response from %s {...}, initiating IKE_AUTH\""),
    P(id="libreswan-v2-processing-decrypted", key="processing decrypted", action=Action.MESSAGE_RECEIVED,
      regex=r"^processing decrypted (?P<exchange>IKE_AUTH|IKE_INTERMEDIATE|CREATE_CHILD_SA|INFORMATIONAL) "
            r"(?P<detail>request|response)[^:]*: (?:SK\{)?(?:[^}]*?\bN\(" + _ERR + r"\))?",
      fields={"ike_version": 2, "direction": "in"},
      ref="programs/pluto/ikev2_ike_auth.c (3.32, 4.x): \"processing decrypted %s %s: SK{payloads}\""),
    P(id="libreswan-v2-processing", key="processing %X", action=Action.MESSAGE_RECEIVED,
      regex=r"^processing (?P<exchange>IKE_AUTH|IKE_INTERMEDIATE|CREATE_CHILD_SA|INFORMATIONAL|IKE_SA_INIT) "
            r"(?P<detail>request|response) from " + _ENDPOINT + r"(?: containing (?:SK\{)?(?:[^}]*?\bN\(" + _ERR
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
      regex=_TIMEOUT + r".*\.  No response \(or no acceptable response\) to our first IKEv(?P<ike_version>\d) message$",
      note="the peer never answered our first message: down, filtered or wrong address",
      ref=RETRANSMIT_C + ": \"... timeout exceeded after %lu retransmits.  No response (or no acceptable response) "
          "to our first IKEv1 message\""),
    P(id="libreswan-timeout-first-message-old", key="max", action=Action.PEER_UNREACHABLE,
      regex=_TIMEOUT + r".*\.  No response \(or no acceptable response\) to our first IKE(?:v(?P<ike_version>\d))? "
            r"message$",
      ref=RETRANSMIT_C + ": \"max number of retransmissions (%d) reached %s.  No response (or no acceptable "
          "response) to our first IKE message\""),
    P(id="libreswan-timeout-encrypted", key="%d", action=Action.AUTH_FAILED,
      regex=_TIMEOUT + r".*\.  Possible authentication failure: no acceptable response to our first encrypted "
            r"message$",
      note="the peer dropped our first encrypted message: usually a PSK or identity mismatch",
      ref=RETRANSMIT_C + ": \"Possible authentication failure: no acceptable response to our first encrypted "
          "message\""),
    P(id="libreswan-timeout-encrypted-old", key="max", action=Action.AUTH_FAILED,
      regex=_TIMEOUT + r".*\.  Possible authentication failure: no acceptable response to our first encrypted "
            r"message$",
      ref=RETRANSMIT_C + " (3.x): \"max number of retransmissions (%d) reached %s.  Possible authentication failure"
          "...\""),
    P(id="libreswan-timeout-quick-mode", key="%d", action=Action.CHILD_SA_FAILED,
      regex=_TIMEOUT + r".*\.  No acceptable response to our first Quick Mode message: perhaps peer likes no "
            r"proposal$",
      fields={"ike_version": 1, "exchange": "QUICK_MODE"},
      note="the peer silently dropped quick mode: proposals or selectors differ",
      ref=RETRANSMIT_C + ": \"No acceptable response to our first Quick Mode message: perhaps peer likes no proposal\""),
    P(id="libreswan-timeout-quick-mode-old", key="max", action=Action.CHILD_SA_FAILED,
      regex=_TIMEOUT + r".*\.  No acceptable response to our first Quick Mode message: perhaps peer likes no "
            r"proposal$",
      fields={"ike_version": 1, "exchange": "QUICK_MODE"},
      ref=RETRANSMIT_C + " (3.x): \"max number of retransmissions ...: perhaps peer likes no proposal\""),
    P(id="libreswan-timeout-other", key="%d", action=Action.PEER_UNREACHABLE,
      regex=_TIMEOUT, note="on an established IKE SA: the liveness (DPD) probes or a rekey went unanswered",
      ref=RETRANSMIT_C + ": \"%s second timeout exceeded after %lu retransmits.  No response (or no acceptable "
          "response) to our %s message\""),
    P(id="libreswan-timeout-other-old", key="max", action=Action.PEER_UNREACHABLE,
      regex=_TIMEOUT, ref=RETRANSMIT_C + ": \"max number of retransmissions (%d) reached %s%s\""),

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
      regex=r"^IPsec SA established (?P<detail>tunnel|transport) mode \{" + _INBOUND_SPI,
      ref=STATES + ": \"IPsec SA established\"; programs/pluto/ipsec_doi.c: \" tunnel mode {ESP=>0x%08x <0x%08x ...}\""),
    P(id="libreswan-child-established-initiator", key="initiator", action=Action.CHILD_SA_ESTABLISHED,
      regex=r"^initiator established Child SA using #(?P<ike_sa_id>\d+); IPsec (?P<detail>tunnel|transport) " + _TS
            + r"(?: \{" + _INBOUND_SPI + r")?",
      fields={"ike_version": 2, "role": "initiator"},
      ref=IKEV2_CHILD_C + " (4.12+): \"%s established Child SA using #%lu; IPsec %s [%s] {...}\""),
    P(id="libreswan-child-established-responder", key="responder", action=Action.CHILD_SA_ESTABLISHED,
      regex=r"^responder established Child SA using #(?P<ike_sa_id>\d+); IPsec (?P<detail>tunnel|transport) " + _TS
            + r"(?: \{" + _INBOUND_SPI + r")?",
      fields={"ike_version": 2, "role": "responder"},
      ref=IKEV2_CHILD_C + " (4.12+): \"%s established Child SA using #%lu; IPsec %s [%s] {...}\""),
    P(id="libreswan-child-established-46", key="established", action=Action.CHILD_SA_ESTABLISHED,
      regex=r"^established Child SA using #(?P<ike_sa_id>\d+); IPsec (?P<detail>tunnel|transport) " + _TS
            + r"(?: \{" + _INBOUND_SPI + r")?",
      fields={"ike_version": 2}, ref=IKEV2_CHILD_C + " (4.6): \"established Child SA using #%lu; ...\""),
    P(id="libreswan-child-rekeyed-initiator", key="initiator", action=Action.REKEY_COMPLETED,
      regex=r"^initiator rekeyed Child SA #\d+ using #(?P<ike_sa_id>\d+); IPsec (?:tunnel|transport) " + _TS
            + r"(?: \{" + _INBOUND_SPI + r")?",
      fields={"ike_version": 2, "detail": "child", "role": "initiator"},
      ref=IKEV2_CHILD_C + ": \"%s rekeyed Child SA #%lu using #%lu; IPsec %s [%s] {...}\""),
    P(id="libreswan-child-rekeyed-responder", key="responder", action=Action.REKEY_COMPLETED,
      regex=r"^responder rekeyed Child SA #\d+ using #(?P<ike_sa_id>\d+); IPsec (?:tunnel|transport) " + _TS
            + r"(?: \{" + _INBOUND_SPI + r")?",
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
    P(id="libreswan-initiator-processed", key="initiator", action=Action.MESSAGE_RECEIVED,
      regex=r"^initiator processed (?P<exchange>IKE_INTERMEDIATE|IKE_SESSION_RESUME), initiating ",
      fields={"ike_version": 2, "direction": "in", "detail": "response"},
      ref="programs/pluto/ikev2_ike_intermediate.c: \"initiator processed IKE_INTERMEDIATE, initiating IKE_AUTH\""),
    P(id="libreswan-negotiated-connection", key="negotiated", action=Action.INFO,
      regex=r"^negotiated connection " + _TS + r"$", ref="programs/pluto/ikev2_child.c (4.x): \"negotiated connection [%s] -> [%s]\""),
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

    # --- notifications -----------------------------------------------------------------------------
    P(id="libreswan-auth-rejected", key="IKE SA", action=Action.NOTIFY_RECEIVED,
      regex=r"^IKE SA authentication (?:request rejected by peer: |failed, incomplete IKE_AUTH response contains "
            r"the Child SA error notification )" + _ERR,
      fields={"ike_version": 2, "exchange": "IKE_AUTH", "direction": "in"},
      ref=IKEV2_AUTH_C + ": \"IKE SA authentication request rejected by peer: %s\""),
    P(id="libreswan-auth-response-error", key="IKE_AUTH response", action=Action.NOTIFY_RECEIVED,
      regex=r"^IKE_AUTH response contained the (?:CHILD SA )?error notification '?" + _ERR,
      fields={"ike_version": 2, "exchange": "IKE_AUTH", "direction": "in"},
      ref=IKEV2_AUTH_C + ": \"IKE_AUTH response contained the error notification %s\""),
    P(id="libreswan-auth-response-child-rejected", key="IKE_AUTH response", action=Action.NOTIFY_RECEIVED,
      regex=r"^IKE_AUTH response rejected Child SA with " + _ERR,
      fields={"ike_version": 2, "exchange": "IKE_AUTH", "direction": "in"},
      ref=IKEV2_CHILD_C + " (4.x, 5.x): \"IKE_AUTH response rejected Child SA with %s\" (logged by the Child SA)"),
    P(id="libreswan-auth-response-error-3", key="AUTH", action=Action.NOTIFY_RECEIVED,
      regex=r"^AUTH response contained the error notification " + _ERR,
      fields={"ike_version": 2, "exchange": "IKE_AUTH", "direction": "in"},
      ref="programs/pluto/ikev2_parent.c (3.25): \"AUTH response contained the error notification %s\""),
    P(id="libreswan-create-child-error", key="CREATE_CHILD_SA failed", action=Action.NOTIFY_RECEIVED,
      regex=r"^CREATE_CHILD_SA failed with error notification " + _ERR,
      fields={"ike_version": 2, "exchange": "CREATE_CHILD_SA", "direction": "in"},
      ref="programs/pluto/ikev2_create_child_sa.c: \"CREATE_CHILD_SA failed with error notification %s\""),
    P(id="libreswan-child-response-rejected", key="response", action=Action.NOTIFY_RECEIVED,
      regex=r"^response for Child SA #(?P<child_id>\d+) was rejected with " + _ERR,
      fields={"ike_version": 2, "direction": "in"},
      ref="programs/pluto/ikev2_create_child_sa.c (5.x): \"response for Child SA #%lu was rejected with %s; ...\""),
    P(id="libreswan-child-failed", key="CHILD SA", action=Action.CHILD_SA_FAILED,
      regex=r"^CHILD SA (?:failed|encountered fatal error): " + _ERR, fields={"ike_version": 2},
      ref=IKEV2_CHILD_C + ": \"CHILD SA failed: %s\""),
    P(id="libreswan-init-response-error", key="ignoring %X", action=Action.NOTIFY_RECEIVED,
      regex=r"^ignoring IKE_SA_INIT response containing " + _ERR + r" notification",
      fields={"ike_version": 2, "exchange": "IKE_SA_INIT", "direction": "in"},
      ref=IKEV2_INIT_C + " (5.x): \"ignoring IKE_SA_INIT response containing %s notification (...)\""),
    P(id="libreswan-unexpected-init-error", key="dropping unexpected", action=Action.NOTIFY_RECEIVED,
      regex=r"^dropping unexpected IKE_SA_INIT message containing " + _ERR + r" notification",
      fields={"ike_version": 2, "exchange": "IKE_SA_INIT", "direction": "in"},
      ref=IKEV2_INIT_C + " (4.x): \"dropping unexpected IKE_SA_INIT message containing %s notification\""),
    P(id="libreswan-unauthenticated-error", key="received unauthenticated", action=Action.NOTIFY_RECEIVED,
      regex=r"^received unauthenticated " + _ERR + r" - ignored$",
      fields={"ike_version": 2, "exchange": "IKE_SA_INIT", "direction": "in"},
      ref="programs/pluto/ikev2_parent.c (3.x): \"%s: received unauthenticated %s - ignored\""),
    P(id="libreswan-invalid-ke", key="received unauthenticated", action=Action.DH_GROUP_REJECTED,
      regex=r"^received unauthenticated INVALID_KE_PAYLOAD response to (?:Key Exchange Method \(DH\)|DH) "
            r"(?P<detail>\S+); resending with suggested (?P<proposals>\S+)$",
      fields={"ike_version": 2, "notify": "INVALID_KE_PAYLOAD", "direction": "in"},
      ref=IKEV2_INIT_C + ": \"received unauthenticated INVALID_KE_PAYLOAD response to %s %s; resending with "
          "suggested %s\""),
    P(id="libreswan-v1-notify-ignored", key="received and", action=Action.NOTIFY_RECEIVED,
      regex=r"^received and ignored notification payload: " + _ERR + r"$",
      fields={"ike_version": 1, "direction": "in"},
      ref=IKEV1_C + ": \"received and ignored notification payload: %s\""),
    P(id="libreswan-v1-informational", key="ignoring informational", action=Action.NOTIFY_RECEIVED,
      regex=r"^ignoring informational payload " + _ERR + r"[, ]", fields={"ike_version": 1, "direction": "in"},
      ref=IKEV1_C + ": \"ignoring informational payload %s, msgid=%08x, length=%d\""),
    P(id="libreswan-v1-informational-5", key="ignoring secured", action=Action.NOTIFY_RECEIVED,
      regex=r"^ignoring secured informational payload " + _ERR + r",", fields={"ike_version": 1, "direction": "in"},
      ref=IKEV1_C + " (5.x): \"ignoring secured informational payload %s, msgid=%08x, length=%d\""),
    P(id="libreswan-v1-informational-unsecured", key="ignoring unsecured", action=Action.NOTIFY_RECEIVED,
      regex=r"^ignoring unsecured informational payload " + _ERR + r",", fields={"ike_version": 1, "direction": "in"},
      ref=IKEV1_C + " (5.x): \"ignoring unsecured informational payload %s, length=%d\""),
    P(id="libreswan-notify-other", key="ignoring informational", action=Action.INFO,
      regex=r"^ignoring informational payload ", ref=IKEV1_C + ": other (status) informational payloads"),
    P(id="libreswan-v1-notify-sent", key="sending notification", action=Action.NOTIFY_SENT,
      regex=r"^sending notification " + _ERR + r" to " + _ENDPOINT + r"$", fields={"ike_version": 1, "direction": "out"},
      ref="programs/pluto/ikev1_notification.c (ikev1_main.c): \"sending notification %s to %s\""),
    P(id="libreswan-v1-notify-sent-encrypted", key="sending encrypted", action=Action.NOTIFY_SENT,
      regex=r"^sending encrypted notification " + _ERR + r" to " + _ENDPOINT + r"$",
      fields={"ike_version": 1, "direction": "out"},
      ref="programs/pluto/ikev1_main.c: \"sending encrypted notification %s to %s\""),
    P(id="libreswan-v2-notify-sent", key="responding to", action=Action.NOTIFY_SENT,
      regex=r"^responding to (?P<exchange>[A-Z_]+)(?: \(\d+\))? message \((?:Message )?ID (?P<message_id>\d+)\)"
            r"(?: from " + _ENDPOINT + r")? with (?:un)?encrypted notification " + _ERR + r"$",
      fields={"ike_version": 2, "direction": "out"},
      ref="programs/pluto/ikev2_send.c: \"responding to %s message (ID %u) from %s with encrypted notification %s\""),
    P(id="libreswan-transition-failed", key="state transition", action=Action.NOTIFY_SENT,
      regex=r"^state transition '[^']*' failed with " + _ERR + r"$", fields={"direction": "out"},
      ref="programs/pluto/ikev2.c (3.32): \"state transition '%s' failed with %s\""),

    # --- proposals ---------------------------------------------------------------------------------
    P(id="libreswan-no-oakley-transform", key="no acceptable", action=Action.PROPOSAL_MISMATCH,
      regex=r"^no acceptable Oakley Transform$", fields={"ike_version": 1, "exchange": "ID_PROT"},
      ref="programs/pluto/ikev1_spdb_struct.c: \"no acceptable Oakley Transform\""),
    P(id="libreswan-no-ipsec-proposal", key="no acceptable", action=Action.PROPOSAL_MISMATCH,
      regex=r"^no acceptable Proposal in IPsec SA$", fields={"ike_version": 1, "exchange": "QUICK_MODE"},
      ref="programs/pluto/ikev1_spdb_struct.c: \"no acceptable Proposal in IPsec SA\""),
    P(id="libreswan-no-local-proposal", key="no local", action=Action.PROPOSAL_MISMATCH,
      regex=r"^no local proposal matches remote proposals (?P<proposals>.+)$", fields={"ike_version": 2},
      ref="programs/pluto/ikev2_proposals.c: \"no local proposal matches remote proposals %s\""),
    P(id="libreswan-proposal-chosen", key="proposal", action=Action.INFO,
      regex=r"^proposal (?P<proposals>\S+) (?:SPI=\S+ )?chosen from remote proposals ",
      ref="programs/pluto/ikev2_proposals.c: \"proposal %s chosen from remote proposals %s\""),

    # --- authentication ----------------------------------------------------------------------------
    P(id="libreswan-psk-probable", key="probable", action=Action.PSK_MISMATCH,
      regex=r"^probable authentication failure \(mismatch of preshared secrets\?\): (?P<detail>.+)$",
      fields={"ike_version": 1, "direction": "in"},
      ref=IKEV1_C + ": \"probable authentication failure (mismatch of preshared secrets?): %smalformed payload in "
          "packet\""),
    P(id="libreswan-malformed", key="malformed", action=Action.MESSAGE_PARSE_FAILED,
      regex=r"^malformed payload in packet(?:: (?P<detail>.+))?$", fields={"direction": "in"},
      ref=IKEV1_C + ", programs/pluto/ikev2.c: \"malformed payload in packet\""),
    P(id="libreswan-psk-hash-mismatch", key="authentication failed:", action=Action.PSK_MISMATCH,
      regex=r"^authentication failed: (?:computed hash does not match hash received from peer|\d+ byte hash received "
            r"from peer) (?:ID_)?\w+ '(?P<remote_id>[^']*)'",
      fields={"ike_version": 2},
      ref=PSK_C + " (4.x, 5.x): \"authentication failed: computed hash does not match hash received from peer %s '%s'\""),
    P(id="libreswan-psk-not-found", key="authentication failed:", action=Action.PSK_NOT_FOUND,
      regex=r"^authentication failed: no PSK found for '(?P<remote_id>[^']*)'$", fields={"ike_version": 2},
      ref=PSK_C + ": \"authentication failed: no PSK found for '%s'\""),
    P(id="libreswan-auth-method-mismatch", key="authentication failed:", action=Action.AUTH_FAILED,
      regex=r"^authentication failed: (?P<detail>peer (?:attempted|authentication requires) .+)$",
      fields={"ike_version": 2},
      ref="programs/pluto/ikev2_auth.c: \"authentication failed: peer attempted PSK authentication but we want %s\""),
    P(id="libreswan-auth-signature-failed", key="authentication failed:", action=Action.CERT_INVALID,
      regex=r"^authentication failed: (?P<detail>(?:using|no certificate matched|rejecting|unknown or unsupported) .+)$",
      fields={"ike_version": 2},
      ref=KEYS_C + ": \"authentication failed: using %s with %s for '%s' tried%s\""),
    P(id="libreswan-psk-mismatch-3", key="PSK", action=Action.PSK_MISMATCH,
      regex=r"^PSK Authentication failed: AUTH mismatch", fields={"ike_version": 2},
      ref="programs/pluto/ikev2_parent.c (3.x): \"PSK Authentication failed: AUTH mismatch in %s!\""),
    P(id="libreswan-auth-mismatch-3", key="AUTH", action=Action.PSK_MISMATCH,
      regex=r"^AUTH mismatch: Received AUTH != computed AUTH$", fields={"ike_version": 2},
      ref="programs/pluto/ikev2_psk.c (3.x): \"AUTH mismatch: Received AUTH != computed AUTH\""),
    P(id="libreswan-signature-check", key="Signature", action=Action.CERT_INVALID,
      regex=r"^Signature check \(on (?P<remote_id>.*?)\) failed", ref=KEYS_C + " (3.25): \"Signature check (on %s) failed\""),
    P(id="libreswan-rsa-signature-check", key="RSA", action=Action.CERT_INVALID,
      regex=r"^RSA Signature check \(on (?P<remote_id>.*?)\) failed",
      ref=KEYS_C + " (3.32): \"%s Signature check (on %s) failed (wrong key?); tried%s\""),
    P(id="libreswan-digital-signature-failed", key="Digital", action=Action.CERT_INVALID,
      regex=r"^Digital Signature authentication using \S+ failed",
      ref="programs/pluto/ikev2_parent.c (3.x): \"Digital Signature authentication using %s failed in %s\""),
    P(id="libreswan-x509-id-mismatch", key="X509:", action=Action.ID_MISMATCH,
      regex=r"^X509: authentication failed; (?P<detail>.*(?:does not match|no subjectAltName).*)$",
      ref="programs/pluto/peer_id.c: \"X509: authentication failed; \" + x509.c identity checks"),
    P(id="libreswan-x509-rejected", key="X509:", action=Action.CERT_INVALID,
      regex=r"^X509: (?P<detail>.+)$", ref="programs/pluto/x509.c, ikev1_cert.c: \"X509: %s\""),
    P(id="libreswan-authenticated-3", key="Authenticated", action=Action.AUTH_SUCCEEDED,
      regex=r"^Authenticated using (?P<detail>.+)$", fields={"ike_version": 2},
      ref=PSK_C + ", " + KEYS_C + " (3.x): \"Authenticated using authby=%s\", \"Authenticated using RSA with %s\""),
    P(id="libreswan-id-mismatch-v1", key="we", action=Action.ID_MISMATCH,
      regex=r"^we require IKEv1 peer to have ID '(?P<detail>[^']*)', but peer declares '(?P<remote_id>[^']*)'$",
      fields={"ike_version": 1},
      note="`remote_id` is the identity the peer sent, `detail` the one the configuration expects",
      ref=IKEV1_C + ": \"we require IKEv1 peer to have ID '%s', but peer declares '%s'\""),
    P(id="libreswan-dn-mismatch", key="peer", action=Action.ID_MISMATCH,
      regex=r"^peer ID[ _]DER_ASN1_DN '(?P<remote_id>[^']*)' does not match expected '(?P<detail>[^']*)'$",
      ref="programs/pluto/x509.c: \"peer ID_DER_ASN1_DN '%s' does not match expected '%s'\""),
    P(id="libreswan-nss-cert-invalid", key="NSS:", action=Action.CERT_INVALID,
      regex=r"^NSS: ERROR: IPsec certificate (?P<remote_id>.*) invalid: (?P<detail>.+)$",
      ref="programs/pluto/nss_cert_verify.c: \"NSS: ERROR: IPsec certificate %s invalid: %s\""),
    P(id="libreswan-cert-expired-3", key="Peer's", action=Action.CERT_INVALID,
      regex=r"^(?P<detail>Peer's Certificate .+)$",
      ref="programs/pluto/nss_cert_verify.c (3.x): \"ERROR: Peer's Certificate has expired.\""),
    P(id="libreswan-issuer-invalid-3", key="Issuer", action=Action.CERT_INVALID,
      regex=r"^(?P<detail>Issuer certificate .+)$",
      ref="programs/pluto/nss_cert_verify.c (3.x): \"ERROR: Issuer certificate is invalid.\""),
    P(id="libreswan-cert-revoked", key="certificate", action=Action.CERT_INVALID,
      regex=r"^certificate revoked!$", ref="programs/pluto/nss_cert_verify.c (3.x): \"certificate revoked!\""),

    # --- DPD / liveness ----------------------------------------------------------------------------
    P(id="libreswan-liveness-check", key="liveness_check", action=Action.DPD_TIMEOUT,
      regex=r"^liveness_check - peer (?P<remote_ip>\S+) has not responded in \d+ seconds",
      ref="programs/pluto/timer.c (3.x): \"liveness_check - peer %s has not responded in %jd seconds, with a timeout "
          "of %s, taking %s\""),
    P(id="libreswan-liveness-action", key="liveness", action=Action.DPD_TIMEOUT,
      regex=r"^liveness action - (?P<detail>.+)$",
      ref="programs/pluto/ikev2_retry.c (4.x), connections.c (3.x): \"liveness action - %s\""),
    P(id="libreswan-dpd-action", key="DPD", action=Action.DPD_TIMEOUT,
      regex=r"^DPD:? action - (?P<detail>.+)$",
      ref="programs/pluto/ikev1_dpd.c: \"DPD action - putting connection into hold\""),
    P(id="libreswan-liveness-action-3", key="IKEv2", action=Action.DPD_TIMEOUT,
      regex=r"^IKEv2 liveness:? action - (?P<detail>.+)$",
      ref="programs/pluto/connections.c (3.32 testing transcripts): \"IKEv2 liveness: action - %s\""),
    P(id="libreswan-revival", key="connection is", action=Action.INFO,
      regex=r"^connection is supposed to remain up; ", ref="programs/pluto/revival.c: revival scheduling"),

    # --- deletion ----------------------------------------------------------------------------------
    P(id="libreswan-delete-child", key="deleting", action=Action.SA_DELETED,
      regex=r"^deleting (?:(?:IPsec|Child) SA \(|(?:other )?state (?:#\d+ )?(?:connection )?\((?:STATE_)?"
            r"(?:QUICK|V2_IPSEC|V2_ESTABLISHED_CHILD|V2_CHILD|V2_NEW_CHILD|V2_REKEY_CHILD|CHILDSA))",
      fields={"detail": "child"}, ref=STATE_C + ": \"deleting state (%s) ... and %ssending notification\""),
    P(id="libreswan-delete-ike", key="deleting", action=Action.SA_DELETED,
      regex=r"^deleting (?:(?:IKE|ISAKMP) SA \(|(?:other )?state (?:#\d+ )?(?:connection )?\()",
      fields={"detail": "ike"},
      ref=STATE_C + ": \"deleting state (%s)...\" (3.x, 4.x), \"deleting IKE SA (%s)...\" (5.x)"),
    P(id="libreswan-delete-child-v2", key="deleting", action=Action.SA_DELETED,
      regex=r"^deleting \w+ Child SA using IKE SA #(?P<ike_sa_id>\d+)$", fields={"detail": "child"},
      ref="programs/pluto/ikev2_delete.c (4.x): \"deleting %s Child SA using IKE SA #%lu\""),
    P(id="libreswan-delete-received", key="received Delete", action=Action.INFO,
      regex=r"^received Delete SA(?:\(0x[0-9a-f]+\))? payload: (?P<detail>.+)$", fields={"direction": "in"},
      ref="programs/pluto/ikev1_delete.c: \"received Delete SA payload: %s\""),
    P(id="libreswan-traffic-info", key="ESP", action=Action.INFO,
      regex=r"^(?:ESP|AH|IPCOMP) traffic information: ", ref="programs/pluto/state.c: \"ESP traffic information: in=%s out=%s\""),
    P(id="libreswan-fatal-error", key="encountered", action=Action.IKE_SA_FAILED,
      regex=r"^encountered fatal error in state (?P<detail>\S+)$",
      ref="programs/pluto/ikev2.c (5.x): \"encountered fatal error in state %s\""),

    # --- kernel -------------------------------------------------------------------------------------
    P(id="libreswan-netlink-add-sa", key="netlink response", action=Action.SAD_INSTALL_FAILED,
      regex=r"^netlink response for (?:Add|Update) SA (?:esp|ah|comp)\.(?P<spi>[0-9a-f]+)@(?P<remote_ip>\S+?)(?::| "
            r"included errno \d+:) (?P<detail>.+)$",
      note="errno 93/38 (protocol or function not supported): the kernel lacks the negotiated cipher",
      ref=KERNEL_C + ": \"netlink response for %s %s included errno %d: %s\" (3.x, 4.6), \"... %s: %s (errno %d)\""),
    P(id="libreswan-netlink-error", key="netlink response", action=Action.KERNEL_ERROR,
      regex=r"^netlink response for (?P<detail>.+)$", ref=KERNEL_C + ": \"netlink response for %s %s...\""),
    P(id="libreswan-spd-failed", key="kernel:", action=Action.KERNEL_ERROR,
      regex=r"^kernel: (?P<detail>\S+\(\) failed to add SPD for .+)$",
      ref="programs/pluto/kernel_policy.c (5.x): \"kernel: %s() failed to add SPD for %s=>%s\""),
    P(id="libreswan-half-sa-failed", key="setup_half_ipsec_sa()", action=Action.KERNEL_ERROR,
      regex=r"^setup_half_ipsec_sa\(\) hit fail:$", ref="programs/pluto/kernel.c (3.x): \"setup_half_ipsec_sa() hit fail:\""),
    P(id="libreswan-eroute-failed", key="raw_eroute()", action=Action.KERNEL_ERROR,
      regex=r"^raw_eroute\(\) in setup_half_ipsec_sa\(\) failed to add inbound$",
      ref="programs/pluto/kernel.c (3.x): \"raw_eroute() in setup_half_ipsec_sa() failed to add inbound\""),

    # --- daemon noise ------------------------------------------------------------------------------
    P(id="libreswan-added-connection", key="added", action=Action.INFO,
      regex=r"^added (?:IKEv[12] )?connection", ref="programs/pluto/whack_add.c: \"added IKEv2 connection\""),
    P(id="libreswan-loading-secrets", key="loading", action=Action.INFO,
      regex=r"^loading secrets from ", ref="programs/pluto/keys.c: \"loading secrets from \\\"%s\\\"\""),
    P(id="libreswan-loaded-psk", key="loaded", action=Action.INFO,
      regex=r"^loaded (?:PSK|private key|PPK) ", ref="lib/libswan/secrets.c: \"loaded PSK secret for %s\""),
    P(id="libreswan-listening", key="listening", action=Action.INFO,
      regex=r"^listening for IKE messages$", ref="programs/pluto/server.c: \"listening for IKE messages\""),
    P(id="libreswan-adding-interface", key="adding", action=Action.INFO,
      regex=r"^adding (?:UDP |TCP )?interface ", ref="programs/pluto/iface.c: \"adding UDP interface %s %s\""),
    P(id="libreswan-switched", key="switched", action=Action.INFO,
      regex=r"^switched (?:from|to) ", ref="programs/pluto/ikev2_peer_id.c: \"switched to %s\""),
    P(id="libreswan-debug", key="|", action=Action.INFO,
      regex=r"^\| ", note="debug output (plutodebug=...)", ref=LOG_C + ": DEBUG_PREFIX \"| \""),
)

# Patterns whose line is logged by a Child SA's state: its #N is `child_id`, not `ike_sa_id`.
CHILD_STATE_PATTERNS = frozenset((
    "libreswan-ipsec-established-sent", "libreswan-ipsec-established", "libreswan-v1-story-quick",
    "libreswan-v1-sent-quick", "libreswan-timeout-quick-mode", "libreswan-timeout-quick-mode-old",
    "libreswan-delete-child", "libreswan-create-child-error", "libreswan-child-failed", "libreswan-netlink-add-sa",
    "libreswan-auth-response-child-rejected", "libreswan-half-sa-failed",
))
_EXCHANGES = frozenset(("IKE_SA_INIT", "IKE_AUTH", "CREATE_CHILD_SA", "INFORMATIONAL", "IKE_INTERMEDIATE",
                        "IKE_SESSION_RESUME"))
# First words whose messages are told apart by the next word.
KEY_WORDS = frozenset(("initiating", "sent", "received", "processing", "processed", "responding", "initial",
                       "ignoring", "sending", "dropping", "no", "IKE", "IKE_AUTH", "CREATE_CHILD_SA", "CHILD",
                       "cannot", "message", "No", "netlink", "state", "connection", "authentication"))
# "conn"[inst] peer #serial:    (every part after the name optional)
_PREFIX = re.compile(r'"(?P<conn>[^"]+)"(?:\[\d+\])?(?: (?P<peer>[^\s#"]+?))?(?: #(?P<serial>\d+))?: ')
_PACKET_FROM = re.compile(r"packet from (?P<ip>[^\s\[\]]+?|\[[^\]]+\]):(?P<port>\d+): ")
_STATE = re.compile(r"(?P<state>STATE_[A-Z0-9_]+|(?:IKE_SA_INIT|IKE_INTERMEDIATE|IKE_AUTH(?:_EAP)?|IKE_SESSION_RESUME|"
                    r"NEW_CHILD|REKEY_CHILD|REKEY_IKE)_[IR]\w*|ESTABLISHED_(?:IKE|CHILD)_SA|(?:IKE|CHILD)_SA_DELETE|"
                    r"(?:MAIN|AGGR|QUICK|XAUTH|MODE_CFG)_[IR]\d): ")
_SEVERITY = ("ERROR: ", "WARNING: ", "warning: ")


class Libreswan(Dialect):
    name = "libreswan"
    vendor = "libreswan"
    programs = ("pluto", "ipsec_pluto", "libreswan")
    patterns = PATTERNS

    def sniff(self, env: Envelope) -> bool:
        """A pluto logfile line: `"conn" #3: ...`, `"conn"[1] 1.2.3.4 #3: ...` or `packet from 1.2.3.4:500: ...`."""
        m = env.msg
        if m[:1] == '"':
            return _PREFIX.match(m) is not None
        return m.startswith("packet from ") and _PACKET_FROM.match(m) is not None

    def prepare(self, env: Envelope, ev: Event) -> str:
        msg = env.msg
        if msg[:1] in "EWw" and msg.startswith(_SEVERITY):
            msg = msg[msg.index(" ") + 1:]
        c = msg[:1]
        if c == '"':
            m = _PREFIX.match(msg)
            if m is not None:
                ev.conn = m["conn"]
                if m["peer"]:
                    ev.remote_ip = m["peer"]
                if m["serial"]:
                    ev.ike_sa_id = m["serial"]
                msg = msg[m.end():]
                if msg[:1] in "EWw" and msg.startswith(_SEVERITY):
                    msg = msg[msg.index(" ") + 1:]
        elif c == "p" and msg.startswith("packet from "):
            m = _PACKET_FROM.match(msg)
            if m is not None:
                ev.remote_ip = m["ip"].strip("[]")
                ev.remote_port = int(m["port"])
                msg = msg[m.end():]
        c = msg[:1]
        if c.isupper() and ": " in msg[:40]:
            m = _STATE.match(msg)
            if m is not None:
                ev.detail = m["state"]
                msg = msg[m.end():]
        return msg

    def key_of(self, body: str) -> str:
        parts = body.split(" ", 2)
        w1 = parts[0]
        if w1 in KEY_WORDS and len(parts) > 1:
            w2 = parts[1]
            if w2 in _EXCHANGES:
                w2 = "%X"
            elif w2[-1:] == ",":  # 3.x state stories: sent MI1, ... / received v2I1, ...
                w2 = "%s,"
            return f"{w1} {w2}"
        if w1 in _EXCHANGES:
            return "%X"
        if w1[:1].isdigit():
            return "%d"
        return w1

    def parse(self, env: Envelope, ev: Event) -> None:
        """The base dispatch, plus: on a Child SA's line, or one naming its IKE SA, #N is the Child SA's."""
        body = self.prepare(env, ev)
        serial = ev.ike_sa_id
        for p in self._by_key.get(self.key_of(body), ()):
            m = p.compiled.match(body)
            if m is not None:
                ev.action = p.action
                ev.pattern = p.id
                apply_fields(ev, p.fields)
                groups = m.groupdict()
                parent = groups.get("ike_sa_id")
                if serial is not None and (p.id in CHILD_STATE_PATTERNS or parent not in (None, serial)):
                    ev.ike_sa_id = None
                    if ev.child_id is None:
                        ev.child_id = serial
                apply_fields(ev, groups)
                return
        ev.action = Action.UNRECOGNIZED


DIALECT = Libreswan()
