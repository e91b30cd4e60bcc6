"""split_envelope and parse_line: the framings gateways and relays wrap lines in, and robustness.

Table-driven: each row is a line as a gateway or relay writes it and the envelope it must split into.
The property tests feed arbitrary text and bytes: whatever arrives, one record comes out, no exception.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schemas.events import Action
from streams.parse import ParseContext, parse_line
from streams.parse.context import zone
from streams.parse.envelope import split_envelope


def _ts(text: str) -> float:
    return datetime.fromisoformat(text).timestamp()


JOURNAL = json.dumps({
    "__REALTIME_TIMESTAMP": "1770326993125000", "_HOSTNAME": "gw.example.nl", "SYSLOG_IDENTIFIER": "charon-systemd",
    "_PID": "741", "MESSAGE": "initiating IKE_SA office[1] to 198.51.100.12", "GROUP": "IKE", "THREAD": "12",
})

# line, format, timestamp (UTC ISO or None), host, program, pid, message
ENVELOPES = [
    pytest.param("Feb  5 21:29:53 vpn-edge01.corp.example.com charon[1184]: 14[IKE] <gw|3> initiating IKE_SA gw[3]",
                 "rfc3164", "2026-02-05T21:29:53+00:00", "vpn-edge01.corp.example.com", "charon", 1184,
                 "14[IKE] <gw|3> initiating IKE_SA gw[3]", id="rfc3164-dotted-host-pid"),
    pytest.param("Feb  5 08:00:03 gw-a charon: 14[IKE] <gw-b|1> peer supports MOBIKE",
                 "rfc3164", "2026-02-05T08:00:03+00:00", "gw-a", "charon", None,
                 "14[IKE] <gw-b|1> peer supports MOBIKE", id="rfc3164-no-pid"),
    pytest.param("<30>Feb  5 21:29:53 pfsense charon[51536]: 09[IKE] <con1|3> sending DPD request",
                 "rfc3164", "2026-02-05T21:29:53+00:00", "pfsense", "charon", 51536,
                 "09[IKE] <con1|3> sending DPD request", id="rfc3164-pri-pfsense"),
    pytest.param("Jul 14 03:12:40.250 03[NET] received packet: from 203.0.113.5[500] to 192.0.2.10[500] (464 bytes)",
                 "rfc3164", "2026-07-14T03:12:40.250+00:00", None, None, None,
                 "03[NET] received packet: from 203.0.113.5[500] to 192.0.2.10[500] (464 bytes)",
                 id="charon-file-logger-ms"),
    pytest.param("Feb  5 21:29:53 14[IKE] <3> 203.0.113.50 is initiating an IKE_SA",
                 "rfc3164", "2026-02-05T21:29:53+00:00", None, None, None,
                 "14[IKE] <3> 203.0.113.50 is initiating an IKE_SA", id="charon-file-logger"),
    pytest.param("09[IKE] <conn|3> giving up after 5 retransmits", "bare", None, None, None, None,
                 "09[IKE] <conn|3> giving up after 5 retransmits", id="container-stdout"),
    pytest.param("[IKE] initiating IKE_SA Phase1-Meraki[1] to 203.0.113.9", "bare", None, None, None, None,
                 "[IKE] initiating IKE_SA Phase1-Meraki[1] to 203.0.113.9", id="swanctl-output"),
    pytest.param("2026-04-02T09:15:44+0200 fw2.branch.example.org charon-systemd[655]: initiating IKE_SA b[2] to 203.0.113.77",
                 "iso", "2026-04-02T07:15:44+00:00", "fw2.branch.example.org", "charon-systemd", 655,
                 "initiating IKE_SA b[2] to 203.0.113.77", id="journalctl-short-iso"),
    pytest.param("<30>1 2026-05-19T22:41:08.250000+00:00 hq-vpn.example.net charon 3311 - - 04[NET] <12> sending packet",
                 "rfc5424", "2026-05-19T22:41:08.250+00:00", "hq-vpn.example.net", "charon", 3311,
                 "04[NET] <12> sending packet", id="rfc5424"),
    pytest.param('<30>1 2026-02-05T21:29:53+01:00 OPNsense.localdomain charon 90117 - [meta sequenceId="1"] 11[IKE] <con1|1> x',
                 "rfc5424", "2026-02-05T20:29:53+00:00", "OPNsense.localdomain", "charon", 90117,
                 "11[IKE] <con1|1> x", id="rfc5424-opnsense-structured-data"),
    pytest.param(JOURNAL, "journald-json", "2026-02-05T21:29:53.125+00:00", "gw.example.nl", "charon-systemd", 741,
                 "initiating IKE_SA office[1] to 198.51.100.12", id="journalctl-json"),
    pytest.param('Feb  5 21:29:53 vpn1 pluto[2281]: "site-b"[1] 2001:db8::7 #1: initiating IKEv1 Main Mode connection',
                 "rfc3164", "2026-02-05T21:29:53+00:00", "vpn1", "pluto", 2281,
                 '"site-b"[1] 2001:db8::7 #1: initiating IKEv1 Main Mode connection', id="pluto-syslog-ipv6"),
    pytest.param('Dec 31 23:59:30.250000: "a" #1: sent Main Mode request',
                 "rfc3164", "2026-12-31T23:59:30.250+00:00", None, None, None,
                 '"a" #1: sent Main Mode request', id="pluto-logfile"),
    pytest.param("packet from 198.51.100.201:500: initial Main Mode message received", "bare", None, None, None, None,
                 "packet from 198.51.100.201:500: initial Main Mode message received", id="pluto-stderr-bare"),
]


@pytest.mark.parametrize(("line", "fmt", "ts", "host", "program", "pid", "msg"), ENVELOPES)
def test_split_envelope(line: str, fmt: str, ts: str | None, host: str | None, program: str | None,
                        pid: int | None, msg: str) -> None:
    env = split_envelope(line, ParseContext(year=2026))
    assert env.format == fmt
    assert env.timestamp == (None if ts is None else pytest.approx(_ts(ts)))
    assert (env.host, env.program, env.pid) == (host, program, pid)
    assert env.msg == msg


@pytest.mark.parametrize(("tz", "local", "utc"), [
    ("Europe/Amsterdam", "Mar 29 01:59:45", "2026-03-29T00:59:45+00:00"),  # CET, the minute before the jump
    ("Europe/Amsterdam", "Mar 29 03:00:15", "2026-03-29T01:00:15+00:00"),  # CEST
    ("Europe/Amsterdam", "Oct 25 01:30:00", "2026-10-24T23:30:00+00:00"),
    ("UTC", "Feb  5 21:29:53", "2026-02-05T21:29:53+00:00"),
])
def test_zone_of_zoneless_times(tz: str, local: str, utc: str) -> None:
    env = split_envelope(f"{local} 04[IKE] sending DPD request", ParseContext(year=2026, tz=zone(tz)))
    assert env.timestamp == pytest.approx(_ts(utc))


def test_year_rolls_over_per_host() -> None:
    ctx = ParseContext(year=2025)
    dec = split_envelope("Dec 31 23:59:40 gw1 charon[1]: 14[IKE] sending DPD request", ctx)
    jan = split_envelope("Jan  1 00:00:10 gw1 charon[1]: 03[KNL] creating rekey job", ctx)
    other = split_envelope("Dec 31 23:59:59 gw2 charon[1]: 14[IKE] sending DPD request", ctx)
    assert dec.timestamp == pytest.approx(_ts("2025-12-31T23:59:40+00:00"))
    assert jan.timestamp == pytest.approx(_ts("2026-01-01T00:00:10+00:00"))
    assert other.timestamp == pytest.approx(_ts("2025-12-31T23:59:59+00:00"))  # gw2 has not seen New Year


@pytest.mark.parametrize(("line", "vendor", "thread", "subsystem", "conn", "ike_sa_id"), [
    ("Feb  5 21:29:53 gw charon[1]: 14[IKE] <gw-b|3> sending DPD request", "strongswan", "14", "IKE", "gw-b", "3"),
    ("Feb  5 21:29:53 gw charon[1]: 14[IKE] <3> sending DPD request", "strongswan", "14", "IKE", None, "3"),
    ("Feb  5 21:29:53 gw charon[1]: 114[IKE1] sending DPD request", "strongswan", "114", "IKE", None, None),
    ("09[NET] <con1|12> sending keep alive to 203.0.113.5[4500]", "strongswan", "09", "NET", "con1", "12"),
    (JOURNAL, "strongswan", "12", "IKE", "office", "1"),
    ('Feb  5 21:29:53 vpn1 pluto[2281]: "rw"[4] 203.0.113.81 #21: sent IKE_SA_INIT reply', "libreswan", None, None,
     "rw", "21"),
    ('Dec 31 23:59:30.250000: "a" #1: sent Main Mode request', "libreswan", None, None, "a", "1"),
])
def test_dialect_prefixes(line: str, vendor: str, thread: str | None, subsystem: str | None, conn: str | None,
                          ike_sa_id: str | None) -> None:
    """Program names and bare signatures pick the dialect; its prefix lands in the event fields."""
    ev = parse_line(line, ParseContext(year=2026))
    assert ev.vendor == vendor
    assert (ev.thread, ev.subsystem, ev.conn, ev.ike_sa_id) == (thread, subsystem, conn, ike_sa_id)
    assert ev.action not in (Action.UNRECOGNIZED, Action.PARSE_ERROR)


def test_binary_and_overlong_lines_become_parse_errors() -> None:
    ctx = ParseContext(year=2026, max_line=64)
    assert parse_line(b"\x00\x01\x02charon", ctx).action is Action.PARSE_ERROR
    assert parse_line("x" * 65, ctx).action is Action.PARSE_ERROR
    assert parse_line(b"\xff\xfe" + b"\x07" * 40, ctx).action is Action.PARSE_ERROR


_LINEISH = st.one_of(
    st.text(max_size=300),
    st.builds(lambda head, tail: head + tail, st.sampled_from([
        "Feb  5 21:29:53 gw charon[812]: 14[IKE] <", "<30>1 2026-02-05T21:29:53Z h charon 1 - [", "{\"MESSAGE\":",
        "09[IKE] <conn|", '"conn"[', "packet from ", "2026-02-05T21:29:53+0100 h pluto[1]: ", "[IKE] ",
        '{"time":"x","thread":1,"group":"IKE","msg":', "Dec 31 23:59:59.99 ",
    ]), st.text(max_size=200)),
)


@settings(max_examples=400, deadline=None)
@given(_LINEISH, st.sampled_from([None, "strongswan", "libreswan"]))
def test_parse_line_never_raises_on_text(line: str, vendor: str | None) -> None:
    ctx = ParseContext(year=2026, vendor=vendor)
    split_envelope(line, ctx)
    ev = parse_line(line, ctx)
    assert ev.action is not None
    ev.to_doc()


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=400))
def test_parse_line_never_raises_on_bytes(raw: bytes) -> None:
    ev = parse_line(raw, ParseContext(year=2026))
    assert isinstance(ev.raw, str)
    ev.to_doc()


def test_reference_clock_infers_year_without_option() -> None:
    ref = datetime(2026, 1, 3, tzinfo=UTC).timestamp()
    env = split_envelope("Dec 30 10:00:00 gw charon[1]: 14[IKE] x", ParseContext(reference=ref))
    assert env.timestamp == pytest.approx(_ts("2025-12-30T10:00:00+00:00"))
