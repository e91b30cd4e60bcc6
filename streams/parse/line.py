"""parse_line: bytes or text in, exactly one Event out, never an exception.

Lines that are not log lines (binary junk, over-long, undecodable) become `parse_error` events with
the reason and a bounded excerpt, so every accepted line is accounted for downstream.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from schemas.events import EVENT_FIELD_NAMES, Action, Event
from streams.parse.context import ParseContext
from streams.parse.envelope import split_envelope
from streams.parse.registry import by_name, detect

EXCERPT = 256  # characters of a rejected line kept in its error record
_CONTROL = frozenset(range(0, 32)) - {9}
_BY_NAME = by_name()
# parse_line builds the Event positionally (a third cheaper than by keyword): guard the field order.
if EVENT_FIELD_NAMES[:9] != ("raw", "action", "vendor", "timestamp", "received", "envelope", "host", "program", "pid"):
    raise ImportError("schemas.events.Event changed its first fields: update parse_line's positional Event(...)")
_UNRECOGNIZED = Action.UNRECOGNIZED


def parse_line(line: str | bytes, ctx: ParseContext, received: float | None = None) -> Event:
    """Parse one line (without or with its trailing newline)."""
    if isinstance(line, bytes):
        raw = line.rstrip(b"\r\n")
        if len(raw) > ctx.max_line:
            return _error(raw[:EXCERPT].decode("utf-8", "backslashreplace"),
                          f"line of {len(raw)} bytes exceeds the limit of {ctx.max_line}", received)
        if b"\x00" in raw:
            return _error(raw[:EXCERPT].decode("utf-8", "backslashreplace"),
                          "binary data (NUL bytes), not a log line", received)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            # Gateways sometimes print Latin-1 hostnames or descriptions: keep the line, mark the bytes.
            text = raw.decode("utf-8", "backslashreplace")
        # no \r or \n left: UTF-8 never hides them inside a multi-byte sequence
    else:
        text = line
        if len(text) > ctx.max_line:
            return _error(text[:EXCERPT], f"line of {len(text)} characters exceeds the limit of {ctx.max_line}",
                          received)
        text = text.rstrip("\r\n")
    sample = text[:512]  # what _mostly_binary looks at; the common case without its call
    if not (sample.isprintable() and "\ufffd" not in sample) and _mostly_binary(text):
        return _error(text[:EXCERPT].encode("unicode_escape").decode("ascii"),
                      "binary data, not a log line", received)
    env = split_envelope(text, ctx)
    env.ctx = ctx
    dialect = _BY_NAME.get(ctx.vendor) if ctx.vendor else detect(env)
    ev = Event(text, _UNRECOGNIZED, dialect.vendor if dialect is not None else "unknown", env.timestamp, received,
               env.format, env.host, env.program, env.pid)
    if dialect is not None:
        try:
            dialect.parse(env, ev)
        except (ValueError, IndexError, KeyError, OverflowError) as exc:  # a pattern bug must not stop the stream
            ev.action = Action.PARSE_ERROR
            ev.error = f"{dialect.name} dialect failed: {type(exc).__name__}: {exc}"
    return ev


def parse_lines(lines: Iterable[str | bytes], ctx: ParseContext) -> Iterator[Event]:
    for line in lines:
        yield parse_line(line, ctx)


def _mostly_binary(text: str) -> bool:
    if not text:
        return False
    sample = text[:512]
    if sample.isprintable() and "\ufffd" not in sample:  # the common case, without a per-character loop
        return False
    bad = sum(1 for ch in sample if ord(ch) in _CONTROL or ch == "\ufffd")
    return bad * 10 > len(sample)


def _error(excerpt: str, reason: str, received: float | None) -> Event:
    return Event(raw=excerpt, action=Action.PARSE_ERROR, vendor="unknown", received=received, error=reason)
