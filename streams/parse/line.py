"""parse_line: bytes or text in, exactly one Event out, never an exception.

Lines that are not log lines (binary junk, over-long, undecodable) become `parse_error` events with
the reason and a bounded excerpt, so every accepted line is accounted for downstream.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from schemas.events import Action, Event
from streams.parse.context import ParseContext
from streams.parse.envelope import split_envelope
from streams.parse.registry import by_name, detect

EXCERPT = 256  # characters of a rejected line kept in its error record
_CONTROL = frozenset(range(0, 32)) - {9}


def parse_line(line: str | bytes, ctx: ParseContext, received: float | None = None) -> Event:
    """Parse one line (without or with its trailing newline)."""
    if isinstance(line, bytes):
        text_or_err = _decode(line, ctx.max_line)
        if isinstance(text_or_err, Event):
            text_or_err.received = received
            return text_or_err
        text = text_or_err
    else:
        text = line
        if len(text) > ctx.max_line:
            return _error(text[:EXCERPT], f"line of {len(text)} characters exceeds the limit of {ctx.max_line}",
                          received)
    text = text.rstrip("\r\n")
    if _mostly_binary(text):
        return _error(text[:EXCERPT].encode("unicode_escape").decode("ascii"),
                      "binary data, not a log line", received)
    env = split_envelope(text, ctx)
    env.ctx = ctx
    dialect = by_name().get(ctx.vendor) if ctx.vendor else detect(env)
    ev = Event(raw=text, action=Action.UNRECOGNIZED, vendor=dialect.vendor if dialect else "unknown",
               timestamp=env.timestamp, received=received, envelope=env.format, host=env.host,
               program=env.program, pid=env.pid)
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


def _decode(raw: bytes, limit: int) -> str | Event:
    raw = raw.rstrip(b"\r\n")
    if len(raw) > limit:
        return _error(raw[:EXCERPT].decode("utf-8", "backslashreplace"),
                      f"line of {len(raw)} bytes exceeds the limit of {limit}", None)
    if b"\x00" in raw:
        return _error(raw[:EXCERPT].decode("utf-8", "backslashreplace"), "binary data (NUL bytes), not a log line",
                      None)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        # Gateways sometimes print Latin-1 hostnames or descriptions: keep the line, mark the bytes.
        return raw.decode("utf-8", "backslashreplace")


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
