"""Cisco IOS / IOS-XE crypto messages: `%CRYPTO-*`, `%IKEV2-*`, `%MOTCR-*`, `%PKI-*` and IKE/IPsec debug output.

The body after the syslog header may carry a message counter (`000123: `), a `logging origin-id`
hostname, a device clock (`*Mar  1 00:00:00.123:` unsynced, `.Mar 1` sync lost, `Feb  5 2026 21:29:53.123 UTC:`,
or uptime `1d02h:`) and then `%FAC-SEV-MNEMONIC: text` or a debug line (`ISAKMP:(1001):...`,
`IPSEC(create_sa): ...`, `IKEv2:(SESSION ID = 1,SA ID = 1):...`). `prepare` strips that prefix into the event
(counter -> thread, clock -> timestamp, facility-mnemonic -> subsystem); mnemonic lines dispatch on
`FAC-MNEMONIC` without the severity (IOS releases disagree on some severities), debug lines on their tag and
first word (`ISAKMP:atts`), see cisco_ios_debug. Any other `%FAC-SEV-MNEM` line is still Cisco's:
it stays UNRECOGNIZED with vendor `cisco`.
"""

from __future__ import annotations

import re

from schemas.events import Action, Event
from streams.parse.context import ParseContext
from streams.parse.dialects.cisco_common import (
    MONTH_RX,
    CiscoDialect,
    device_time,
    ikev2_error_patterns,
    ikev2_reason_key,
    ip,
)
from streams.parse.dialects.cisco_ios_debug import DEBUG_PATTERNS
from streams.parse.envelope import Envelope
from streams.parse.patterns import Pattern

D = "cisco_ios"
SMG = "Cisco IOS System Message Guide, "  # the ref prefix of messages documented there
REF004 = "shared reference 004 (Cisco IOS VPN error list); "
V1 = {"ike_version": 1}
V2 = {"ike_version": 2}

PATTERNS: tuple[Pattern, ...] = (
    # --- the shared reference 004 list -------------------------------------------------------------------
    Pattern(id=f"{D}-ikmp-sa-not-offered", key="CRYPTO-IKMP_SA_NOT_OFFERED", action=Action.PROPOSAL_MISMATCH,
            regex=r"Remote peer " + ip("remote_ip") + r" responded with attribute (?P<detail>.+?) not offered",
            ref=REF004 + SMG + "CRYPTO-6-IKMP_SA_NOT_OFFERED", fields=V1,
            note="the responder answered with a policy the initiator never offered"),
    Pattern(id=f"{D}-ikmp-sa-not-auth", key="CRYPTO-IKMP_SA_NOT_AUTH", action=Action.UNAUTHENTICATED_QUICK_MODE,
            regex=r"Canno[nt] accept Quick Mode exchange from " + ip("remote_ip"),
            ref=REF004 + SMG + "CRYPTO-6-IKMP_SA_NOT_AUTH", fields={**V1, "exchange": "QUICK_MODE"},
            note="reference 004 prints 'Cannon accept': both spellings match"),
    Pattern(id=f"{D}-pkt-replay-err", key="CRYPTO-PKT_REPLAY_ERR", action=Action.REPLAY_CHECK_FAILED,
            regex=r"replay check failed (?:for )?(?P<detail>connection id ?= ?(?:(?P<child_id>\d+)|\S*?))\.?"
                  r"(?:,? sequence number ?= ?\d+)?$",
            ref=REF004 + SMG + "CRYPTO-4-PKT_REPLAY_ERR",
            note="connection id is the crypto engine's IPsec SA id (child_id, as IPSEC(create_sa) sa_conn_id)"),
    Pattern(id=f"{D}-ikmp-mode-failure-main", key="CRYPTO-IKMP_MODE_FAILURE", action=Action.PHASE1_FAILED,
            regex=r"(?i:Processing of (?P<exchange>main) mode failed) with peer at " + ip("remote_ip"),
            ref=REF004 + SMG + "CRYPTO-6-IKMP_MODE_FAILURE", fields=V1),
    Pattern(id=f"{D}-ikmp-mode-failure-aggressive", key="CRYPTO-IKMP_MODE_FAILURE", action=Action.PHASE1_FAILED,
            regex=r"(?i:Processing of (?P<exchange>aggressive) mode failed) with peer at " + ip("remote_ip"),
            ref=SMG + "CRYPTO-6-IKMP_MODE_FAILURE", fields=V1),
    Pattern(id=f"{D}-ikmp-mode-failure-quick", key="CRYPTO-IKMP_MODE_FAILURE", action=Action.CHILD_SA_FAILED,
            regex=r"(?i:Processing of (?P<exchange>quick) mode failed) with peer at " + ip("remote_ip"),
            ref=SMG + "CRYPTO-6-IKMP_MODE_FAILURE", fields=V1),
    Pattern(id=f"{D}-ikmp-mode-failure-info", key="CRYPTO-IKMP_MODE_FAILURE", action=Action.INFO,
            regex=r"(?i:Processing of (?P<detail>informational) mode failed) with peer at " + ip("remote_ip"),
            ref=SMG + "CRYPTO-6-IKMP_MODE_FAILURE", fields={**V1, "exchange": "INFORMATIONAL_V1"}),
    Pattern(id=f"{D}-ikmp-mode-failure-other", key="CRYPTO-IKMP_MODE_FAILURE", action=Action.IKE_SA_FAILED,
            regex=r"Processing of (?P<detail>.+?) failed with peer at " + ip("remote_ip"),
            ref=SMG + "CRYPTO-6-IKMP_MODE_FAILURE", fields=V1, note="transaction (mode config/xauth) mode"),
    Pattern(id=f"{D}-motcr-mac-miscompare", key="MOTCR-PKTENGRET_ERROR", action=Action.INTEGRITY_CHECK_FAILED,
            regex=r"(?P<detail>PktEngReturn_MACMiscompare)",
            ref=REF004 + "MOTCR-1-PKTENGRET_ERROR",
            note="HMAC check of an ESP packet failed on the accelerator; a few are normal, many point at the "
                 "keys or the card. Reference 004 prints the value with a multiplication sign "
                 "(0\u00d720000): the regex ignores the value"),
    Pattern(id=f"{D}-motcr-other", key="MOTCR-PKTENGRET_ERROR", action=Action.INFO,
            regex=r"Return Value = (?P<detail>.+)", ref=REF004 + "MOTCR-1-PKTENGRET_ERROR"),
    Pattern(id=f"{D}-recvd-pkt-inv-identity-acl", key="CRYPTO-RECVD_PKT_INV_IDENTITY_ACL",
            action=Action.INVALID_IDENTITY, regex=r"", ref=SMG + "CRYPTO-4-RECVD_PKT_INV_IDENTITY_ACL",
            fields={"detail": "identity not allowed by ACL"},
            note="addresses in the text are the inner packet's, not the peers'"),
    Pattern(id=f"{D}-recvd-pkt-inv-identity", key="CRYPTO-RECVD_PKT_INV_IDENTITY", action=Action.INVALID_IDENTITY,
            regex=r"", ref=REF004 + SMG + "CRYPTO-4-RECVD_PKT_INV_IDENTITY",
            note="reference 004: packets decrypted with the wrong SA with several peers (IOS defect)"),
    # --- other CRYPTO system messages ----------------------------------------------------------------------
    Pattern(id=f"{D}-ikmp-no-sa-dpd", key="CRYPTO-IKMP_NO_SA", action=Action.DPD_TIMEOUT,
            regex=r"IKE message from " + ip("remote_ip") + r" has no SA.*(?P<detail>DPD|dead peer)",
            ref=SMG + "CRYPTO-4-IKMP_NO_SA; shared failure-classes.md (ike.dpd_timeout)", fields=V1),
    Pattern(id=f"{D}-ikmp-no-sa", key="CRYPTO-IKMP_NO_SA", action=Action.INFO,
            regex=r"IKE message from " + ip("remote_ip") + r" has (?P<detail>no SA)",
            ref=SMG + "CRYPTO-4-IKMP_NO_SA", fields=V1,
            note="a message for an SA this side no longer has (stale SA after a reboot or a delete): noise "
                 "unless it repeats"),
    Pattern(id=f"{D}-ikmp-bad-message", key="CRYPTO-IKMP_BAD_MESSAGE", action=Action.DECRYPT_FAILED,
            regex=r"IKE message from " + ip("remote_ip") + r" (?P<detail>failed its sanity check|is malformed)",
            ref=SMG + "CRYPTO-4-IKMP_BAD_MESSAGE", fields=V1,
            note="Cisco: typically a pre-shared key mismatch (the payloads decrypt to garbage)"),
    Pattern(id=f"{D}-ikmp-not-encrypted", key="CRYPTO-IKMP_NOT_ENCRYPTED", action=Action.MESSAGE_PARSE_FAILED,
            regex=r"IKE packet from " + ip("remote_ip") + r" was (?P<detail>not encrypted)",
            ref=SMG + "CRYPTO-6-IKMP_NOT_ENCRYPTED", fields=V1,
            note="often the peer's clear-text error notify after it failed to decrypt (PSK mismatch)"),
    Pattern(id=f"{D}-ikmp-auth-fail", key="CRYPTO-IKMP_AUTH_FAIL", action=Action.AUTH_FAILED,
            regex=r"(?P<detail>Authentication method \d+) failed with host " + ip("remote_ip"),
            ref=SMG + "CRYPTO-6-IKMP_AUTH_FAIL", fields=V1),
    Pattern(id=f"{D}-ikmp-unk-exchange", key="CRYPTO-IKMP_UNK_EXCHANGE", action=Action.MESSAGE_PARSE_FAILED,
            regex=r"IKE peer at " + ip("remote_ip") + r" sent a message with (?P<detail>unknown exchange \d+)",
            ref=SMG + "CRYPTO-6-IKMP_UNK_EXCHANGE", fields=V1),
    Pattern(id=f"{D}-session-status-up", key="CRYPTO-SESSION_STATUS", action=Action.TUNNEL_UP,
            regex=r"Crypto tunnel is UP\W+Peer (?P<remote_ip>\S+):(?P<remote_port>\d+)(?:\s+Id: (?P<remote_id>\S+))?",
            ref=SMG + "CRYPTO-5-SESSION_STATUS"),
    Pattern(id=f"{D}-session-status-down", key="CRYPTO-SESSION_STATUS", action=Action.TUNNEL_DOWN,
            regex=r"Crypto tunnel is DOWN\W+Peer (?P<remote_ip>\S+):(?P<remote_port>\d+)"
                  r"(?:\s+Id: (?P<remote_id>\S+))?", ref=SMG + "CRYPTO-5-SESSION_STATUS"),
    Pattern(id=f"{D}-ikev2-session-status-up", key="CRYPTO-IKEV2_SESSION_STATUS", action=Action.TUNNEL_UP,
            regex=r"Crypto tunnel v2 is UP\W+Peer (?P<remote_ip>\S+):(?P<remote_port>\d+)",
            ref=SMG + "CRYPTO-5-IKEV2_SESSION_STATUS", fields=V2),
    Pattern(id=f"{D}-ikev2-session-status-down", key="CRYPTO-IKEV2_SESSION_STATUS", action=Action.TUNNEL_DOWN,
            regex=r"Crypto tunnel v2 is DOWN\W+Peer (?P<remote_ip>\S+):(?P<remote_port>\d+)",
            ref=SMG + "CRYPTO-5-IKEV2_SESSION_STATUS", fields=V2),
    Pattern(id=f"{D}-recvd-pkt-mac-err", key="CRYPTO-RECVD_PKT_MAC_ERR", action=Action.INTEGRITY_CHECK_FAILED,
            regex=r"(?P<detail>mac verification failed)(?: for connection id ?= ?(?P<child_id>\d+))?",
            ref=SMG + "CRYPTO-4-RECVD_PKT_MAC_ERR"),
    Pattern(id=f"{D}-recvd-pkt-not-ipsec", key="CRYPTO-RECVD_PKT_NOT_IPSEC", action=Action.INFO,
            regex=r"(?P<detail>not an IPSEC packet)", ref=SMG + "CRYPTO-4-RECVD_PKT_NOT_IPSEC",
            note="a clear-text packet matched a crypto ACL: the peer does not encrypt this flow (mirror its "
                 "ACL); addresses are the packet's, not the peers'"),
    Pattern(id=f"{D}-recvd-pkt-inv-spi", key="CRYPTO-RECVD_PKT_INV_SPI", action=Action.INFO,
            regex=r"(?P<detail>invalid spi) for destaddr= ?" + ip("local_ip") + r".*?spi= ?(?P<spi>0x[0-9A-Fa-f]+)"
                  r".*?srcaddr= ?" + ip("remote_ip"),
            ref=SMG + "CRYPTO-4-RECVD_PKT_INV_SPI", note="stale SA on the peer; noise unless it repeats"),
    Pattern(id=f"{D}-ikmp-no-id-cert", key="CRYPTO-IKMP_NO_ID_CERT_FOUND", action=Action.CERT_INVALID,
            regex=r"", ref=SMG + "CRYPTO-6-IKMP_NO_ID_CERT_FOUND", fields={**V1, "detail": "no identity certificate"}),
    Pattern(id=f"{D}-ikmp-query-key", key="CRYPTO-IKMP_QUERY_KEY", action=Action.CERT_INVALID,
            regex=r"(?P<detail>Querying key pair failed)", ref=SMG + "CRYPTO-3-IKMP_QUERY_KEY", fields=V1,
            note="no RSA key pair for signature authentication"),
    Pattern(id=f"{D}-ike-quickmode-bad-cert", key="CRYPTO-IKE_QUICKMODE_BAD_CERT", action=Action.CERT_INVALID,
            regex=r"(?P<detail>.+)", ref=SMG + "CRYPTO-4-IKE_QUICKMODE_BAD_CERT", fields=V1),
    Pattern(id=f"{D}-ike-deny-sa-req", key="CRYPTO-IKE_DENY_SA_REQ", action=Action.IKE_SA_FAILED,
            regex=r"(?:from " + ip("remote_ip") + r" .*?)?(?:due to (?P<detail>.+))?$",
            ref=SMG + "CRYPTO-4-IKE_DENY_SA_REQ"),
    Pattern(id=f"{D}-isakmp-on-off", key="CRYPTO-ISAKMP_ON_OFF", action=Action.INFO, regex=r"ISAKMP is (?P<detail>\w+)",
            ref=SMG + "CRYPTO-6-ISAKMP_ON_OFF"),
    Pattern(id=f"{D}-ipsec-proxy", key="CRYPTO-IPSEC_*", action=Action.TS_UNACCEPTABLE,
            regex=r"(?i)(?P<detail>.*prox(?:y|ies).*)", ref=SMG + "CRYPTO facility, IPSEC_* messages",
            note="any %CRYPTO-n-IPSEC_* message about proxy identities (the crypto ACL selectors)"),
    Pattern(id=f"{D}-dpd-timeout", key="CRYPTO-*DPD*", action=Action.DPD_TIMEOUT,
            regex=r"(?i)(?P<detail>.*(?:time[d ]?out|not respond|no response|dead|lost).*)",
            ref=SMG + "CRYPTO facility, DPD messages", note="any %CRYPTO DPD message whose text says the peer died"),
    # --- IKEv2 -------------------------------------------------------------------------------------------------
    *ikev2_error_patterns(D, "IKEV2-NEG_ABORT", SMG + "IKEV2-3-NEG_ABORT"),
    Pattern(id=f"{D}-ikev2-initiate-tunnel", key="IKEV2-OSAL_INITIATE_TUNNEL", action=Action.CHILD_SA_INITIATING,
            regex=r"local traffic selector = (?P<ts_local>[^;]+?) ?; remote traffic selector = (?P<ts_remote>.+)",
            ref=SMG + "IKEV2-5-OSAL_INITIATE_TUNNEL", fields=V2),
    Pattern(id=f"{D}-ikev2-sa-up", key="IKEV2-SA_UP", action=Action.IKE_SA_ESTABLISHED, regex=r"",
            ref=SMG + "IKEV2-5-SA_UP", fields=V2),
    Pattern(id=f"{D}-ikev2-sa-down", key="IKEV2-SA_DOWN", action=Action.SA_DELETED,
            regex=r"(?:Reason:? (?P<detail>.+))?$", ref=SMG + "IKEV2-5-SA_DOWN", fields=V2),
    # --- PKI (certificate authentication) --------------------------------------------------------------------
    *(Pattern(id=f"{D}-pki-{mn.lower().replace('_', '-')}", key=f"PKI-{mn}", action=Action.CERT_INVALID,
              regex=r"(?P<detail>.+)", ref=SMG + f"PKI-3-{mn}")
      for mn in ("CERTIFICATE_INVALID", "CERTIFICATE_INVALID_EXPIRED", "CERTIFICATE_INVALID_NOT_YET_VALID",
                 "CERTIFICATE_REVOKED", "CERTIFICATE_INVALID_UNAUTHORIZED", "CRL_FETCH_FAIL")),
    *DEBUG_PATTERNS,
)

# seq (`000123: `, `123: `, `: `), origin-id hostname, second counter, then a clock or an uptime.
_HEAD = re.compile(
    r"(?:<\d{1,3}>)?(?:(?P<seq>\d*): )?"
    r"(?:(?P<origin>(?=[\w.-]*[A-Za-z])[A-Za-z0-9][\w.-]{0,62}): (?=[*.]?(?:" + MONTH_RX + r") |\d+: |%|\d\d:\d\d:\d\d))?"
    r"(?:(?P<seq2>\d+): )?"
    r"(?:(?P<sync>[*.])?(?P<mon>" + MONTH_RX + r") +(?P<day>\d{1,2})(?: (?P<year>\d{4}))? "
    r"(?P<h>\d\d):(?P<m>\d\d):(?P<s>\d\d)(?P<frac>\.\d{1,6})?"
    r"(?: (?P<zone>[A-Za-z]{1,5}(?:[+-]\d{1,2}(?::?\d\d)?)?))?: "
    r"|(?:\d+[ywdh]){1,3}: |\d\d:\d\d:\d\d(?:\.\d+)?: )?")
# The commonest head, `000123: *Feb  5 21:29:53.123 UTC: `, in a regex a third the cost of `_HEAD`. Whatever
# it matches, `_HEAD` matches the same way (no origin can precede a month, no year fits before `hh:`).
_HEAD_FAST = re.compile(r"(\d+): ([*.]?)(" + MONTH_RX + r") +(\d{1,2}) (\d\d):(\d\d):(\d\d)(\.\d{1,6})? ([A-Za-z]{1,5}): ")
_hour_starts: dict[tuple[object, int, str, str, str, str], float | None] = {}  # see prepare_ctx
_MNEMONIC = re.compile(r"%(?P<fac>[A-Z][A-Z0-9_]*(?:-[A-Z][A-Z0-9_]*)?)-(?P<sev>[0-7])-(?P<mn>[A-Z][A-Z0-9_]*)(?: ?: ?|$)")
_ISAKMP = re.compile(r"ISAKMP(?P<sub>-[A-Z]+)?(?: ?:)? ?(?:\((?:\d+:)?(?P<id>\d+)\) ?:*)? *")
_IPSEC = re.compile(r"IPSEC(?::\(SESSION ID = \d+\) )?\((?P<fn>\w+)\):? ?")
_IKEV2 = re.compile(r"IKEv2(?P<sub>-[A-Z]+(?:-\d)?)?:(?:\((?:SESSION ID = \d+, ?)?(?:SA ID = )?(?P<id>\d+)\))?:* ?")
_SNIFF = re.compile(r"%[A-Z][A-Z0-9_]*(?:-[A-Z][A-Z0-9_]*)?-[0-7]-[A-Z][A-Z0-9_]*(?: ?:|$)|ISAKMP(?::| \(|-PAK:|-ERROR:)"
                    r"|IPSEC(?:\(|:\(SESSION)|IKEv2(?::|-[A-Z]+:|-[A-Z]+-\d:)|crypto_engine:|CryptoEngine\d*:")
_DEBUG_TAGS = frozenset({"ISAKMP", "IPSEC", "IKEv2", "ISAKMP-PAK", "ISAKMP-ERROR", "IKEv2-ERROR", "IKEv2-PAK",
                         "IKEv2-INTERNAL"})
_ZONE_TAG = re.compile(r"[A-Za-z]{1,5}(?:[+-]\d{1,2}(?::?\d\d)?)?$")


class CiscoIos(CiscoDialect):
    name = "cisco_ios"
    vendor = "cisco"
    patterns = PATTERNS

    def __init__(self) -> None:
        super().__init__()
        self._mnemonics: dict[str, tuple[str, str]] = {}  # `CRYPTO-6-IKMP_NO_SA` -> (key, subsystem)

    def sniff(self, env: Envelope) -> bool:
        msg = env.msg
        cheap = "%" in msg or "ISAKMP" in msg or "IPSEC" in msg or "IKEv2" in msg or "rypto" in msg
        if cheap and _SNIFF.search(msg) is not None:
            return True
        return env.program in _DEBUG_TAGS or env.host in _DEBUG_TAGS

    def prepare_ctx(self, env: Envelope, ev: Event, ctx: ParseContext | None) -> str:
        msg = env.msg
        header = env.timestamp
        if env.program is not None:
            if env.host is None and env.format == "rfc3164" and _ZONE_TAG.match(env.program):
                # `<189>Feb  5 21:29:53.123 CET: %CRYPTO-...`: the envelope took the zone for a program tag
                # and read the clock in --tz; read the device clock again from the raw line.
                msg, header = ev.raw, None
            else:  # `ISAKMP: reserved not zero...` after a relay header looks like a `prog: msg` tag
                msg = f"{env.program}: {msg}"
            ev.program = None
        elif env.host in _DEBUG_TAGS:  # `<191>Feb  5 21:29:53.123: ISAKMP (0): ...` read as host `ISAKMP`
            msg = f"{env.host} {msg}"
            ev.host = None
        fast = _HEAD_FAST.match(msg)
        if fast is not None:
            seq, _, mon, day, h, mi, sec, frac, zone = fast.groups()
            ev.thread = seq
            second = float(sec + frac) if frac else int(sec)
            if header is not None and ctx is not None:
                # device_time is then a pure function of the header's hour and the clock's hour: keep it
                key = (ctx.tz, int(header) // 3600, mon, day, h, zone)
                try:
                    start = _hour_starts[key]
                except KeyError:
                    start = device_time(ctx, header, ev.host, mon, int(day), None, int(h), 0, 0, zone)
                    if len(_hour_starts) >= 4096:
                        _hour_starts.clear()
                    _hour_starts[key] = start
                ts = None if start is None else start + int(mi) * 60 + second
            else:
                ts = device_time(ctx, header, ev.host, mon, int(day), None, int(h), int(mi), second, zone)
            if ts is not None:
                ev.timestamp = ts
            return msg[fast.end():]
        m = _HEAD.match(msg)
        if m is None or m.end() == 0:
            return msg
        seq, seq2, origin, mon, day, year, h, mi, sec, frac, zone = m.group(
            "seq", "seq2", "origin", "mon", "day", "year", "h", "m", "s", "frac", "zone")
        if seq or seq2:
            ev.thread = seq or seq2
        if origin and ev.host is None:
            ev.host = origin
        if mon:
            ts = device_time(ctx, header, ev.host, mon, int(day), int(year) if year else None, int(h), int(mi),
                             float(sec + frac) if frac else int(sec), zone)
            if ts is not None:
                ev.timestamp = ts
        return msg[m.end():]

    def split(self, body: str, ev: Event | None) -> tuple[str, str]:
        c = body[:1]
        if c == "%":
            return self._mnemonic(body, ev)
        if c == "I":
            if body.startswith("ISAKMP"):
                m = _ISAKMP.match(body)
                if m is not None:
                    return self._debug(ev, "ISAKMP:", body, m, 1)
            elif body.startswith("IPSEC"):
                m = _IPSEC.match(body)
                if m is not None:
                    if ev is not None:
                        ev.subsystem = "IPSEC"
                    return f"IPSEC({m['fn']})", body[m.end():]
            elif body.startswith("IKEv2"):
                m = _IKEV2.match(body)
                if m is not None:
                    return self._debug(ev, "IKEv2:", body, m, 2)
        i = body.find("%")  # a mnemonic after vendor noise (IOS-XE platform prefixes, a stray quote)
        if i > 0 and _MNEMONIC.match(body, i) is not None:
            return self._mnemonic(body[i:], ev)
        return "", body

    def _mnemonic(self, body: str, ev: Event | None) -> tuple[str, str]:
        j = body.find(":")
        known = self._mnemonics.get(body[1:j]) if j > 0 else None
        if known is not None:  # the common case: a mnemonic seen before, without the regex
            key, subsystem = known
            text = body[j + 2:] if body[j + 1:j + 2] == " " else body[j + 1:]
        else:
            m = _MNEMONIC.match(body)
            if m is None:
                return "", body
            fac, mn = m["fac"], m["mn"]
            key, subsystem = f"{fac}-{mn}", f"{fac}-{m['sev']}-{mn}"
            if key not in self._table and fac == "CRYPTO":  # families: any IPSEC_* proxy message, any DPD one
                if mn.startswith("IPSEC_"):
                    key = "CRYPTO-IPSEC_*"
                elif "DPD" in mn:
                    key = "CRYPTO-*DPD*"
            if j > 0 and m.end() in (j + 1, j + 2) and len(self._mnemonics) < 4096:
                self._mnemonics[body[1:j]] = (key, subsystem)
            text = body[m.end():]
        if ev is not None:
            ev.subsystem = subsystem
        if key == "IKEV2-NEG_ABORT":
            return ikev2_reason_key(key, text), text
        return key, text

    @staticmethod
    def _debug(ev: Event | None, tag: str, body: str, m: re.Match[str], version: int) -> tuple[str, str]:
        text = body[m.end():]
        if ev is not None:
            ev.subsystem = tag[:-1] + (m["sub"] or "")
            sa = m["id"]
            if sa and sa != "0":  # conn-id 0: no SA yet
                ev.ike_sa_id = sa
            ev.ike_version = version
        key = tag + text.split(" ", 1)[0]
        if key == "IKEv2:Negotiation":
            return ikev2_reason_key(key, text), text
        return key, text


DIALECT = CiscoIos()
