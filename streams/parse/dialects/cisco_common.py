"""What the Cisco IOS and ASA dialects share: address regexes, device clocks, dispatch and field clean-up.

Both dialects dispatch on a key (IOS facility-mnemonic or debug keyword, ASA message id), then match a few
regexes against the message text with the vendor prefixes (sequence number, device clock, `%FAC-SEV-MNEM:`,
`Group = x, IP = y,`) already stripped into the event. Nothing here knows one message's wording.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import date

from schemas.events import Action, Event
from streams.parse.context import MONTHS, ParseContext
from streams.parse.envelope import Envelope
from streams.parse.patterns import Dialect, Pattern

# Addresses as Cisco prints them; IPV6 is loose on purpose (compressed forms, a trailing :port is backtracked).
IPV4 = r"\d{1,3}(?:\.\d{1,3}){3}"
IPV6 = r"[0-9A-Fa-f]{0,4}:[0-9A-Fa-f:.]*[0-9A-Fa-f]"
IP = rf"(?:{IPV4}|{IPV6})"


def ip(name: str) -> str:
    """An address into field `name`, or a placeholder (`%151`, `xx.xx.xx.xx` in Cisco's docs) left uncaptured."""
    return rf"(?:(?P<{name}>{IP})(?![\w:])|\S+?)"


MONTH_RX = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"

# Zone abbreviations IOS prints after `service timestamps ... show-timezone` (the name is whatever
# `clock timezone` set; these are the usual ones). Minutes east of UTC. Unknown names fall back to --tz.
ZONE_OFFSETS: dict[str, int] = {
    "UTC": 0, "GMT": 0, "UT": 0, "Z": 0, "WET": 0, "WEST": 60, "BST": 60, "CET": 60, "CEST": 120,
    "MET": 60, "MEST": 120, "EET": 120, "EEST": 180, "MSK": 180, "EST": -300, "EDT": -240,
    "CST": -360, "CDT": -300, "MST": -420, "MDT": -360, "PST": -480, "PDT": -420, "AKST": -540,
    "AKDT": -480, "HST": -600, "JST": 540, "KST": 540, "SGT": 480, "HKT": 480, "AWST": 480,
    "ACST": 570, "ACDT": 630, "AEST": 600, "AEDT": 660, "NZST": 720, "NZDT": 780,
}
_ZONE_RX = re.compile(r"([A-Za-z]{1,5})(?:([+-])(\d{1,2})(?::?(\d\d))?)?$")
_zone_cache: dict[str, int | None] = {}
_day_cache: dict[tuple[int, int, int], int] = {}
_relayed_hours: dict[tuple[object, int, int, int, int, int | None], float] = {}
_last_hour: dict[tuple[int, str | None], tuple[ParseContext, tuple[int, int, int, int | None], float]] = {}
_HALF_YEAR = 183 * 86400.0


def zone_offset(name: str) -> int | None:
    """Minutes east of UTC for `CET`, `mdt`, `UTC+1`, `UTC+07:30`; None when the name is unknown."""
    cached = _zone_cache.get(name, -1)
    if cached != -1:
        return cached
    m = _ZONE_RX.match(name)
    off: int | None = None
    if m is not None:
        base = ZONE_OFFSETS.get(m.group(1).upper())
        if base is not None:
            off = base
            if m.group(2):
                delta = int(m.group(3)) * 60 + int(m.group(4) or 0)
                off += delta if m.group(2) == "+" else -delta
    if len(_zone_cache) < 1024:
        _zone_cache[name] = off
    return off


def _day_epoch(year: int, month: int, day: int) -> int:
    key = (year, month, day)
    v = _day_cache.get(key)
    if v is None:
        v = (date(year, month, day).toordinal() - 719163) * 86400
        if len(_day_cache) > 4096:
            _day_cache.clear()
        _day_cache[key] = v
    return v


def _year_of(epoch: float, month: int) -> int:
    """The year in which `month` falls for a local time near `epoch` (zone offsets are under a day)."""
    gm = time.gmtime(epoch)
    if month == 1 and gm.tm_mon == 12:
        return gm.tm_year + 1
    if month == 12 and gm.tm_mon == 1:
        return gm.tm_year - 1
    return gm.tm_year


def _epoch(ctx: ParseContext | None, year: int, month: int, day: int, hour: int, minute: int, second: float,
           offset: int | None) -> float:
    if offset is None and ctx is not None:
        return ctx.hour_start(year, month, day, hour) + minute * 60 + second
    return _day_epoch(year, month, day) + hour * 3600 + minute * 60 + second - (offset or 0) * 60


def device_time(ctx: ParseContext | None, header: float | None, host: str | None, mon: str, day: int,
                year: int | None, hour: int, minute: int, second: float, zone: str | None) -> float | None:
    """Epoch of a device clock reading.

    A printed zone abbreviation wins over --tz. A year-less reading takes the year that puts it nearest the
    envelope's header time (the relay's clock) when there is one, else the context's per-host year inference.
    """
    month = MONTHS[mon]
    offset = zone_offset(zone) if zone else None
    try:
        if year is None:
            if header is not None:  # a pure function of the header's hour: cache the hour's epoch
                key = (ctx.tz if ctx is not None else None, int(header) // 3600, month, day, hour, offset)
                start = _relayed_hours.get(key)
                if start is None:
                    year = _year_of(header, month)
                    start = _epoch(ctx, year, month, day, hour, 0, 0.0, offset)
                    if start - header > _HALF_YEAR:
                        start = _epoch(ctx, year - 1, month, day, hour, 0, 0.0, offset)
                    elif header - start > _HALF_YEAR:
                        start = _epoch(ctx, year + 1, month, day, hour, 0, 0.0, offset)
                    if len(_relayed_hours) > 4096:
                        _relayed_hours.clear()
                    _relayed_hours[key] = start
                return start + minute * 60 + second
            if ctx is None:
                year = time.gmtime().tm_year
            else:  # the context infers the year per host; reuse its answer while the host stays in one hour
                memo_key = (id(ctx), host)
                clock = (month, day, hour, offset)
                hit = _last_hour.get(memo_key)
                if hit is not None and hit[0] is ctx and hit[1] == clock:
                    return hit[2] + minute * 60 + second
                start = ctx.stamp(host, month, day, hour, 0, 0.0)
                if start is None:
                    return None
                if offset is not None:
                    start = _epoch(ctx, _year_of(start, month), month, day, hour, 0, 0.0, offset)
                if len(_last_hour) > 4096:
                    _last_hour.clear()
                _last_hour[memo_key] = (ctx, clock, start)  # holds ctx: its id cannot be reused meanwhile
                return start + minute * 60 + second
        return _epoch(ctx, year, month, day, hour, minute, second, offset)
    except (ValueError, OverflowError):
        return None


# IKEv1 notify message types (RFC 2408 3.14.1) as the ASA prints them in numbers, and Cisco's own spellings.
IKEV1_NOTIFY_CODES: dict[int, str] = {
    1: "INVALID_PAYLOAD_TYPE", 2: "DOI_NOT_SUPPORTED", 3: "SITUATION_NOT_SUPPORTED", 4: "INVALID_COOKIE",
    5: "INVALID_MAJOR_VERSION", 6: "INVALID_MINOR_VERSION", 7: "INVALID_EXCHANGE_TYPE", 8: "INVALID_FLAGS",
    9: "INVALID_MESSAGE_ID", 10: "INVALID_PROTOCOL_ID", 11: "INVALID_SPI", 12: "INVALID_TRANSFORM_ID",
    13: "ATTRIBUTES_NOT_SUPPORTED", 14: "NO_PROPOSAL_CHOSEN", 15: "BAD_PROPOSAL_SYNTAX",
    16: "PAYLOAD_MALFORMED", 17: "INVALID_KEY_INFORMATION", 18: "INVALID_ID_INFORMATION",
    19: "INVALID_CERT_ENCODING", 20: "INVALID_CERTIFICATE", 21: "CERT_TYPE_UNSUPPORTED",
    22: "INVALID_CERT_AUTHORITY", 23: "INVALID_HASH_INFORMATION", 24: "AUTHENTICATION_FAILED",
    25: "INVALID_SIGNATURE", 26: "ADDRESS_NOTIFICATION", 27: "NOTIFY_SA_LIFETIME",
    28: "CERTIFICATE_UNAVAILABLE", 29: "UNSUPPORTED_EXCHANGE_TYPE", 30: "UNEQUAL_PAYLOAD_LENGTHS",
    24576: "RESPONDER_LIFETIME", 24577: "REPLAY_STATUS", 24578: "INITIAL_CONTACT",
    36136: "R_U_THERE", 36137: "R_U_THERE_ACK",
}
CISCO_NOTIFY_NAMES: dict[str, str] = {
    "INVALID_ID_INFO": "INVALID_ID_INFORMATION",
    "INVALID_HASH_INFO": "INVALID_HASH_INFORMATION",
    "INVALID_KEY_INFO": "INVALID_KEY_INFORMATION",
    "PROPOSAL_NOT_CHOSEN": "NO_PROPOSAL_CHOSEN",
    "DPD/R_U_THERE": "R_U_THERE",
    "DPD/R_U_THERE_ACK": "R_U_THERE_ACK",
    "COOKIE_CHALLENGE": "COOKIE",
}
Searcher = Callable[[str], "re.Match[str] | None"]
_ROLES = {"i": "initiator", "r": "responder", "initiator": "initiator", "responder": "responder"}
_EXCHANGES = {"Main": "ID_PROT", "main": "ID_PROT", "Aggressive": "AGGRESSIVE", "aggressive": "AGGRESSIVE",
              "Quick": "QUICK_MODE", "quick": "QUICK_MODE"}
_DIRECTIONS = {"inbound": "in", "outbound": "out", "in": "in", "out": "out"}


class CiscoDialect(Dialect):
    """Dispatch on `split` (key + message text), then tidy the fields every Cisco table fills the same way."""

    hex_message_ids = False  # ASA prints quick mode message ids in hex, IOS in signed decimal

    def __init__(self) -> None:
        super().__init__()
        wild = self._wildcard
        self._table: dict[str, tuple[Pattern, ...]] = {k: (*v, *wild) for k, v in self._by_key.items()}
        # (bound search, pattern) pairs: the loop below runs for every line
        self._search: dict[str, tuple[tuple[Searcher, Pattern], ...]] = {
            k: tuple((p.compiled.search, p) for p in v) for k, v in self._table.items()}
        self._search_wild = tuple((p.compiled.search, p) for p in wild)

    def split(self, body: str, ev: Event | None) -> tuple[str, str]:
        """(dispatch key, message text) of a prepared body; fills `ev` from the prefix it strips."""
        return body.split(" ", 1)[0], body

    def key_of(self, body: str) -> str:
        return self.split(body, None)[0]

    def prepare_ctx(self, env: Envelope, ev: Event, ctx: ParseContext | None) -> str:
        return env.msg

    def prepare(self, env: Envelope, ev: Event) -> str:
        return self.prepare_ctx(env, ev, env.ctx)

    def parse(self, env: Envelope, ev: Event) -> None:
        key, text = self.split(self.prepare_ctx(env, ev, env.ctx), ev)
        for search, p in self._search.get(key, self._search_wild):
            m = search(text)
            if m is not None:
                ev.action = p.action
                ev.pattern = p.id
                p.fill(ev, m)
                if self.hex_message_ids and "message_id" in p.compiled.groupindex:
                    mid = m["message_id"]
                    if mid:
                        ev.message_id = int(mid, 16)
                tidy(ev)
                return
        ev.action = Action.UNRECOGNIZED


def tidy(ev: Event) -> None:
    """One spelling per concept: role, exchange and direction words, RFC notify names, unsigned message ids."""
    if ev.role is not None:
        ev.role = _ROLES.get(ev.role)
    if ev.exchange is not None:
        ev.exchange = _EXCHANGES.get(ev.exchange, ev.exchange)
    if ev.direction is not None:
        ev.direction = _DIRECTIONS.get(ev.direction.lower(), ev.direction)
    n = ev.notify
    if n is not None:
        if n.isdigit():
            ev.notify = IKEV1_NOTIFY_CODES.get(int(n), n)
        else:
            ev.notify = CISCO_NOTIFY_NAMES.get(n, n)
    if ev.message_id is not None and ev.message_id < 0:  # IOS prints the 32-bit id signed
        ev.message_id += 1 << 32


# `Negotiation aborted due to ERROR: <reason>`: substring tests on the lower-cased reason sort it into a family,
# so only that family's one or two patterns run. Families are tried in this order.
_IKEV2_REASONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("proposal", ("no proposal chosen", "no_proposal_chosen", "failed to find a matching", "no matching policy",
                  "no matching proposal")),
    ("ts", ("ts_unacceptable", "no ipsec policy found for received ts", "traffic selector")),
    ("dh", ("invalid_ke_payload", "dh group")),
    ("auth", ("authentication_failed", "auth exchange failed", "authentication failed", "auth failed",
              "failed to authenticate", "authentication data")),
    ("cert", ("certificate", "trustpoint", "signature")),
    ("retransmit", ("maximum number of retransmissions",)),
)


def ikev2_reason_key(key: str, text: str) -> str:
    """The dispatch key of an IKEv2 abort reason: `750003/ts`, `IKEV2-NEG_ABORT/other`..."""
    i = text.find("ERROR:")
    if i >= 0:
        reason = text[i:].lower()
        for family, words in _IKEV2_REASONS:
            for w in words:
                if w in reason:
                    return f"{key}/{family}"
    return f"{key}/other"


def ikev2_error_patterns(dialect: str, key: str, ref: str) -> tuple[Pattern, ...]:
    """`Negotiation aborted due to ERROR: <reason>` (IOS NEG_ABORT and debug, ASA 750003), keyed by family."""
    reason = r"ERROR: ?(?P<detail>.+)"
    v2 = {"ike_version": 2}
    k = key.lower().replace(":", "-")
    return (
        Pattern(id=f"{dialect}-{k}-no-proposal-notify", key=f"{key}/proposal", action=Action.PROPOSAL_MISMATCH,
                regex=r"ERROR: ?(?P<detail>(?i:(?:received|got) (?:a )?(?:notify:? ?)?no[ _]proposal[ _]chosen).*)",
                ref=ref, fields={**v2, "notify": "NO_PROPOSAL_CHOSEN", "direction": "in"}),
        Pattern(id=f"{dialect}-{k}-no-matching-policy", key=f"{key}/proposal", action=Action.PROPOSAL_MISMATCH,
                regex=reason, ref=ref, fields=v2, note="the responder found no IKEv2 policy/proposal for the offer"),
        Pattern(id=f"{dialect}-{k}-ts-notify", key=f"{key}/ts", action=Action.TS_UNACCEPTABLE,
                regex=r"ERROR: ?(?P<detail>(?i:received) .*TS_UNACCEPTABLE.*)", ref=ref,
                fields={**v2, "notify": "TS_UNACCEPTABLE", "direction": "in"}),
        Pattern(id=f"{dialect}-{k}-ts", key=f"{key}/ts", action=Action.TS_UNACCEPTABLE, regex=reason, ref=ref,
                fields=v2),
        Pattern(id=f"{dialect}-{k}-dh", key=f"{key}/dh", action=Action.DH_GROUP_REJECTED, regex=reason, ref=ref,
                fields=v2),
        Pattern(id=f"{dialect}-{k}-auth", key=f"{key}/auth", action=Action.AUTH_FAILED, regex=reason, ref=ref,
                fields=v2),
        Pattern(id=f"{dialect}-{k}-cert", key=f"{key}/cert", action=Action.CERT_INVALID, regex=reason, ref=ref,
                fields=v2),
        Pattern(id=f"{dialect}-{k}-retransmissions", key=f"{key}/retransmit", action=Action.PEER_UNREACHABLE,
                regex=reason, ref=ref, fields=v2),
        Pattern(id=f"{dialect}-{k}-other", key=f"{key}/other", action=Action.IKE_SA_FAILED, regex=reason,
                ref=ref, fields=v2, note="reason kept in detail; e.g. 'Failed to receive the AUTH msg before the "
                                         "timer expired' (often fragmentation/MTU, or the peer refusing IKE_AUTH)"),
    )
