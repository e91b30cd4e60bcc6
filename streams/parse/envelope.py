"""Split the transport framing (syslog header, journald, file logger) off a line.

Recognised envelopes (the `format` value):
  rfc5424        <PRI>1 2026-02-05T21:29:53.1Z host app procid msgid [sd] msg
  rfc3164        <PRI>Feb  5 21:29:53 host prog[pid]: msg   (year, hostname, PRI all optional)
  iso            2026-02-05T21:29:53+01:00 host prog[pid]: msg  (rsyslog RFC 3339, journalctl -o short-iso)
  journald-json  {"MESSAGE": ..., "_HOSTNAME": ..., "__REALTIME_TIMESTAMP": ...}  (journalctl -o json)
  meraki         <PRI>1 1675632593.123456789 host category msg
  bare           anything else (charon stdout `09[IKE] ...`, FortiGate key=value, PAN-OS CSV): the whole
                 line is the message; the dialect finds its own time and host in it.
Never raises: whatever the input, an Envelope comes back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

import orjson

from streams.parse.context import MONTHS, ParseContext


@dataclass(slots=True)
class Envelope:
    msg: str
    format: str
    timestamp: float | None = None
    host: str | None = None
    program: str | None = None
    pid: int | None = None
    structured: str | None = None  # RFC 5424 structured data, as printed
    msgid: str | None = None  # RFC 5424 MSGID (Junos puts its tag here: KMD_VPN_DOWN_ALARM_USER)
    ctx: ParseContext | None = None  # the input's context, for dialects that read a zone-less device clock


_PRI = r"(?:<\d{1,3}>)?"
# The regexes stop where the message starts (no `(?P<rest>.*)`: scanning the rest of the line costs more
# than the header); the message is `text[m.end():]`.
_RFC3164 = re.compile(
    _PRI + r"(?P<mon>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) {1,2}(?P<day>\d{1,2})"
    r"(?: (?P<year>\d{4}))? (?P<h>\d\d):(?P<m>\d\d):(?P<s>\d\d)(?P<frac>\.\d{1,9})?"
    r"(?: ?(?P<zone>UTC|GMT|Z))?:? ")
_ISO = re.compile(
    _PRI + r"(?P<ts>\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d{1,9})?(?:Z|[+-]\d\d:?\d\d)?) ")
_RFC5424 = re.compile(_PRI + r"1 (?P<ts>\S+) (?P<host>\S+) (?P<app>\S+) (?P<procid>\S+) (?P<msgid>\S+) ")
_TAG = re.compile(r"(?P<prog>[A-Za-z_][A-Za-z0-9_./-]{0,47})(?:\[(?P<pid>\d{1,10})\])?:$")
_MERAKI = re.compile(_PRI + r"1 (?P<ts>\d{9,11}\.\d{1,9}) (?P<host>\S+) (?P<category>\S+) ?")
_SD = re.compile(r'\[(?:[^\]"]|"(?:[^"\\]|\\.)*")*\]')
_ISO_FRAC = re.compile(r"[.,](\d{1,9})")

# The fast path for the commonest headers, `[<PRI>]Mmm dd hh:mm:ss ` and `[<PRI>]Mmm dd yyyy hh:mm:ss `
# (RFC 3164, Cisco ASA; no fraction or zone): the text up to the hour names the hour, the next six
# characters the minute and second. Both are looked up, not parsed; anything else (and any doubt) goes to
# `_RFC3164`, which gives the same answer.
_HOUR_KEY = re.compile(r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ( \d|\d\d)(?: (\d{4}))? (\d\d)\Z")
_MMSS = {f":{m:02d}:{s:02d}": m * 60 + s for m in range(60) for s in range(60)}
# `Feb  5 21` -> (2, 5, 21, None), `Feb 05 2026 21` -> (2, 5, 21, 2026): the same tuple object each time
_hour_keys: dict[str, tuple[int, int, int, int | None] | None] = {}
_MONTH_INITIALS = frozenset("JFMASOND")
# What a header token is: (program, pid) for `prog[pid]:`, True for a host name, False for neither.
_tokens: dict[str, tuple[str, int | None] | bool] = {}
_CACHE_MAX = 8192
_TAG_START = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")


def split_envelope(text: str, ctx: ParseContext) -> Envelope:
    """Best-effort split; an unknown framing yields format 'bare' with the whole text as message."""
    if not text:
        return Envelope("", "bare")
    first = text[0]
    base = 0
    if first == "<":  # skip a syslog PRI to see what follows it
        end = text.find(">", 2, 5)
        if end > 0 and text[1:end].isdecimal():
            base = end + 1
            first = text[base:base + 1]
    try:
        if first in _MONTH_INITIALS:  # RFC 3164 can only start here (after the PRI)
            env = _bsd_fast(text, base, ctx)
            if env is not None:
                return env
            m = _RFC3164.match(text)
            if m is not None:
                env = _tagged(text[m.end():], "rfc3164", None)
                # Year inference is per host, so stamp once the host is known.
                env.timestamp = ctx.stamp(
                    env.host, MONTHS[m["mon"]], int(m["day"]), int(m["h"]), int(m["m"]),
                    int(m["s"]) + (float(m["frac"]) if m["frac"] else 0.0),
                    int(m["year"]) if m["year"] else None,
                )
                return env
        elif first == "{":
            if base == 0:
                env = _journald_json(text, ctx)
                if env is not None:
                    return env
        elif first.isdigit():
            if text[base:base + 2] == "1 ":  # RFC 5424 version (Meraki's too)
                env = _rfc5424(text, ctx)
                if env is not None:
                    return env
            m = _ISO.match(text)
            if m is not None:
                return _tagged(text[m.end():], "iso", _iso_ts(m["ts"], ctx))
    except (ValueError, IndexError, OverflowError, orjson.JSONDecodeError):
        pass
    return Envelope(text, "bare")


def _bsd_fast(text: str, base: int, ctx: ParseContext) -> Envelope | None:
    """`Mmm dd [yyyy ]hh:mm:ss rest` at `base`, or None to let `_RFC3164` decide."""
    if text[base + 9:base + 10] == ":":
        end = base + 9
    elif text[base + 14:base + 15] == ":":
        end = base + 14
    else:
        return None
    hour_text = text[base:end]
    try:
        hour = _hour_keys[hour_text]
    except KeyError:
        m = _HOUR_KEY.match(hour_text)
        hour = (MONTHS[m[1]], int(m[2]), int(m[4]), int(m[3]) if m[3] else None) if m is not None else None
        if len(_hour_keys) >= _CACHE_MAX:
            _hour_keys.clear()
        _hour_keys[hour_text] = hour
    if hour is None:
        return None
    seconds = _MMSS.get(text[end:end + 6])
    # A space must follow; `UTC`/`GMT`/`Z` after it may be a zone the full regex drops: let it decide.
    if seconds is None or text[end + 6:end + 7] != " " or text[end + 7:end + 8] in ("U", "G", "Z"):
        return None
    env = _tagged(text[end + 7:], "rfc3164", None)
    env.timestamp = ctx.stamp_hour(env.host, hour, seconds)
    return env


def _token(token: str) -> tuple[str, int | None] | bool:
    """Classify a header token (memoised: hosts and `prog[pid]:` tags repeat on every line)."""
    kind = _tokens.get(token)
    if kind is None:
        tag = _TAG.match(token)
        if tag is not None:
            kind = (tag["prog"], int(tag["pid"]) if tag["pid"] else None)
        else:
            kind = _looks_like_host(token)
        if len(_tokens) >= _CACHE_MAX:
            _tokens.clear()
        _tokens[token] = kind
    return kind


def _tagged(rest: str, fmt: str, ts: float | None) -> Envelope:
    """`host prog[pid]: msg`, `prog[pid]: msg`, `host msg` or `msg` after a header time."""
    if rest[:1] == " ":  # Junos `show log` and some relays pad the time with two spaces
        rest = rest.lstrip(" ")
    head, _, tail = rest.partition(" ")
    if not head:
        return Envelope(rest.lstrip(), fmt, ts)
    kind = _tokens.get(head)
    if kind is None:
        kind = _token(head)
    if isinstance(kind, tuple):  # no hostname: `charon[812]: ...`
        prog, pid = kind
        return Envelope(tail, fmt, ts, None, prog, pid)
    if kind is False:
        return Envelope(rest, fmt, ts)
    head2, _, tail2 = tail.partition(" ")
    # Only a `prog[pid]:` tag matters here; skip the cache for what cannot be one (Cisco's `000123:`
    # counters would fill it). `_TAG`'s `$` also matches before a final newline.
    last = head2[-1:]
    if (last == ":" or last == "\n") and head2[0] in _TAG_START:
        kind = _tokens.get(head2)
        if kind is None:
            kind = _token(head2)
    else:
        kind = False
    if isinstance(kind, tuple):
        prog, pid = kind
        return Envelope(tail2, fmt, ts, head, prog, pid)
    if head2 == ":":  # ASA: `asa01 : %ASA-...`
        return Envelope(tail2, fmt, ts, head)
    return Envelope(tail, fmt, ts, head)


def _looks_like_host(token: str) -> bool:
    """A hostname or address, not the start of a message (`%ASA-`, `09[IKE]`, `"conn"`, `date=`, `1,2026/`)."""
    c = token[0]
    if c in '%"*[(<{#|' or "=" in token or "," in token or token.endswith(":"):
        return False
    # charon file logger thread `09[IKE]`; Cisco debug `ISAKMP:(0):atts` (no host name holds a parenthesis)
    return not ("[" in token and token.endswith("]")) and "(" not in token


def _rfc5424(text: str, ctx: ParseContext) -> Envelope | None:
    mk = _MERAKI.match(text)
    if mk is not None:  # Meraki: RFC 5424 version, then epoch.nanos instead of RFC 3339, no procid/msgid
        return Envelope(text[mk.end():], "meraki", float(mk["ts"]), mk["host"], mk["category"])
    m = _RFC5424.match(text)
    if m is None:
        return None
    ts_text = m["ts"]
    ts = None if ts_text == "-" else _iso_ts(ts_text, ctx)
    rest = text[m.end():]
    structured = None
    if rest.startswith("-"):
        rest = rest[2:] if rest.startswith("- ") else rest[1:]
    elif rest.startswith("["):
        end = 0
        for sd in _SD.finditer(rest):
            if sd.start() != end:
                break
            end = sd.end()
        structured, rest = rest[:end], rest[end:].lstrip(" ")
    if rest.startswith("\ufeff"):
        rest = rest[1:]
    procid = m["procid"]
    return Envelope(
        msg=rest, format="rfc5424", timestamp=ts,
        host=None if m["host"] == "-" else m["host"],
        program=None if m["app"] == "-" else m["app"],
        pid=int(procid) if procid.isdigit() else None,
        structured=structured,
        msgid=None if m["msgid"] == "-" else m["msgid"],
    )


def _iso_ts(text: str, ctx: ParseContext) -> float | None:
    """RFC 3339 (or journalctl's +0100) to epoch; naive times are in the context zone."""
    t = text.replace(",", ".")
    frac = 0.0
    fm = _ISO_FRAC.search(t)
    if fm is not None:
        frac = float("0." + fm.group(1))
        t = t[: fm.start()] + t[fm.end():]
    if t.endswith("Z"):
        t = t[:-1] + "+00:00"
    try:
        dt = datetime.fromisoformat(t)
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=ctx.tz)
    return dt.timestamp() + frac


def _journald_json(text: str, ctx: ParseContext) -> Envelope | None:
    obj = orjson.loads(text)
    if not isinstance(obj, dict) or "MESSAGE" not in obj:
        return None
    msg = obj["MESSAGE"]
    if isinstance(msg, list):  # journald prints non-UTF-8 messages as byte arrays
        msg = bytes(b for b in msg if isinstance(b, int) and 0 <= b < 256).decode("utf-8", "replace")
    realtime = obj.get("__REALTIME_TIMESTAMP")
    pid = obj.get("_PID") or obj.get("SYSLOG_PID")
    return Envelope(
        msg=str(msg), format="journald-json",
        timestamp=int(realtime) / 1e6 if isinstance(realtime, str) and realtime.isdigit() else None,
        host=_str_or_none(obj.get("_HOSTNAME")),
        program=_str_or_none(obj.get("SYSLOG_IDENTIFIER") or obj.get("_COMM")),
        pid=int(pid) if isinstance(pid, str) and pid.isdigit() else None,
    )


def _str_or_none(v: object) -> str | None:
    return v if isinstance(v, str) and v else None
