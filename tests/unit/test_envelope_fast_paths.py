"""The parse step's shortcuts give the answers of the slow paths they bypass.

`split_envelope` reads the commonest RFC 3164 header by lookup (`_bsd_fast`) and lets `_RFC3164` decide
anything else; `ParseContext.stamp_hour` reuses a host's hour; `Pattern.fill` is generated code for
`apply_fields`. Each is checked against the path it replaces, on lines built to hit the corners (year
inside or not, fractions, zones after the time, New Year, hosts interleaving, malformed clocks).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schemas.events import EVENT_FIELD_NAMES, Action, Event
from streams.parse import ParseContext
from streams.parse import envelope as envelope_module
from streams.parse.context import zone
from streams.parse.envelope import Envelope, split_envelope
from streams.parse.patterns import Pattern, apply_fields

_FIELDS = ("msg", "format", "timestamp", "host", "program", "pid", "structured", "msgid")

_MONTH = st.sampled_from(["Jan", "Feb", "Jun", "Dec", "Foo", "feb"])
_DAY = st.sampled_from(["  5", " 05", " 5", " 31", "  31", " 30", " 00", " 99"])
_YEAR = st.sampled_from(["", "", " 2025", " 2026", " 99999"])
_CLOCK = st.builds(lambda h, m, s: f" {h:02d}:{m:02d}:{s:02d}", st.integers(0, 25), st.sampled_from([0, 7, 59, 60, 99]),
                   st.integers(0, 61))
_AFTER = st.sampled_from(["", "", ".123", ".1234567891", " UTC", " GMT", "Z", " Z", ":", " UTC:"])
_SEP = st.sampled_from([" ", "  ", "", ":"])
_HOST = st.sampled_from(["gw1", "gw2", "UTC", "Zed", "GW3", "-", "charon:", "a[1]:", "", "asa01 :"])
_TAG = st.sampled_from(["charon[12]:", "pluto:", ":", "", "%ASA-1-2: x", "UTC x", "000123:"])
_REST = st.sampled_from(["msg x", "", " y", "GMT: z", "09[IKE] <c|1> sending DPD request"])
_PRI = st.sampled_from(["", "", "<30>", "<1>", "<999>", "<1234>", "<>", "<3a>"])
LINES = st.builds(lambda *parts: "".join(parts), _PRI, _MONTH, _DAY, _YEAR, _CLOCK, _AFTER, _SEP, _HOST, _SEP, _TAG,
                  st.just(" "), _REST)


def _fields(env: Envelope) -> tuple[object, ...]:
    return tuple(getattr(env, name) for name in _FIELDS)


@settings(max_examples=300, deadline=None)
@given(st.lists(LINES, min_size=1, max_size=40), st.sampled_from(["UTC", "Europe/Riga"]),
       st.sampled_from([2025, None]))
def test_fast_header_path_agrees_with_the_regex(lines: list[str], tz: str, year: int | None) -> None:
    """Line by line, with the per-host year state carried along, the fast path changes nothing."""
    fast = ParseContext(year=year, tz=zone(tz), reference=1770000000.0)
    slow = ParseContext(year=year, tz=zone(tz), reference=1770000000.0)
    for line in lines:
        expected = _slow_split(line, slow)
        assert _fields(split_envelope(line, fast)) == _fields(expected), line


def _slow_split(line: str, ctx: ParseContext) -> Envelope:
    saved = envelope_module._bsd_fast
    envelope_module._bsd_fast = lambda text, base, ctx: None  # type: ignore[assignment]
    try:
        return split_envelope(line, ctx)
    finally:
        envelope_module._bsd_fast = saved


def test_year_inference_across_new_year_on_the_fast_path() -> None:
    ctx = ParseContext(year=2025)
    lines = ["Dec 31 23:59:40 gw1 charon[1]: 14[IKE] a", "Dec 31 23:59:50 gw1 charon[1]: 14[IKE] b",
             "Jan  1 00:00:10 gw1 charon[1]: 03[KNL] c", "Dec 31 23:59:59 gw2 charon[1]: 14[IKE] d",
             "Dec 31 23:59:58 gw1 charon[1]: 14[IKE] late"]
    stamps = [split_envelope(line, ctx).timestamp for line in lines]
    new_year = 1767225600.0  # 2026-01-01T00:00:00Z
    # gw1 crosses into 2026, gw2 has not; gw1's late December line stays in 2025 without moving gw1 back
    assert stamps == [new_year - 20, new_year - 10, new_year + 10, new_year - 1, new_year - 2]


@pytest.mark.parametrize(("regex", "text", "fields"), [
    (r"(?P<remote_port>\d+) (?P<local_port>\w+) (?P<notify>[A-Z-]+) (?P<role>\w+)(?P<conn>x?)(?P<child>NEVER)?",
     "4500 x1 NO-PROP Responder", {"ike_version": 1, "role": "Initiator", "notify": "INVALID-ID-INFORMATION",
                                   "detail": ""}),
    (r"(?P<message_id>\d+) (?P<remote_ip>\S+)", "12 2001:db8::1", {}),
    (r"(unnamed) (?P<spi>\w+)", "unnamed c0ffee", {"direction": "in", "pid": "notanumber"}),
])
def test_generated_fill_is_apply_fields(regex: str, text: str, fields: dict[str, object]) -> None:
    p = Pattern(id="t-fill", key="x", action=Action.INFO, regex=regex, ref="test", fields=fields)
    m = p.compiled.match(text)
    assert m is not None
    expected, got = Event(raw="", action=Action.INFO, vendor=""), Event(raw="", action=Action.INFO, vendor="")
    apply_fields(expected, fields)
    apply_fields(expected, m.groupdict())
    p.fill(got, m)
    assert [getattr(got, f) for f in EVENT_FIELD_NAMES] == [getattr(expected, f) for f in EVENT_FIELD_NAMES]
