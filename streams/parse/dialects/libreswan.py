"""Libreswan pluto (3.x to 5.x), through syslog (`pluto[1234]: ...`) or its own logfile.

This module holds the prefix handling and the dispatch; the pattern tables live in `libreswan_flow.py`
(setup, messages, establishment) and `libreswan_faults.py` (failures, notifications, authentication,
DPD, deletion, kernel).

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
name their IKE SA (`... using #1`, `using isakmp#1`) or that only a Child SA's state logs
(`CHILD_STATE_PATTERNS`): there #N is the Child SA's (`child_id`).

Texts are learnt from the Libreswan sources at v3.25, v3.32, v4.6, v4.12, v5.0 and 5.x main
(programs/pluto/*.c) and from the whack transcripts of its test suite (testing/pluto/*/*.console.txt).
"""

from __future__ import annotations

import re

from schemas.events import Event
from streams.parse.dialects.libreswan_faults import FAULT_PATTERNS
from streams.parse.dialects.libreswan_flow import FLOW_PATTERNS
from streams.parse.dialects.swan_dispatch import TableDialect
from streams.parse.envelope import Envelope
from streams.parse.patterns import Pattern

PATTERNS: tuple[Pattern, ...] = FLOW_PATTERNS + FAULT_PATTERNS


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
_ADDRESS_START = frozenset("0123456789abcdefABCDEF:")


class Libreswan(TableDialect):
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
                peer = m["peer"]
                if peer and peer[0] in _ADDRESS_START and "/" not in peer:  # not `<ip address>`, no selector
                    ev.remote_ip = peer
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
        if w1 == "DPD:":  # 3.x `DPD: No response from peer ...`, `DPD: action - ...`: one key with `DPD action`
            return "DPD"
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

    def after_match(self, ev: Event, p: Pattern, m: re.Match[str], prefix_id: str | None) -> None:
        """On a Child SA's line, or one that names its IKE SA (`using #1`), the prefix #N is the Child SA's."""
        if prefix_id is None:
            return
        parent = m["ike_sa_id"] if "ike_sa_id" in p.compiled.groupindex else None
        if p.id in CHILD_STATE_PATTERNS or parent not in (None, prefix_id):
            ev.ike_sa_id = None
            if ev.child_id is None:
                ev.child_id = prefix_id


DIALECT = Libreswan()
