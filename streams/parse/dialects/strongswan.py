"""strongSwan charon, also as pfSense and OPNsense run it (their syslog carries charon's own lines).

This module holds the dispatch: which programs and line shapes are charon's, how the charon prefix
is taken apart, and the dispatch key. The pattern tables live in `strongswan_ike.py` (IKE SA) and
`strongswan_child.py` (CHILD_SA, kernel, DPD, deletion, control socket).

Line shapes charon writes (src/libcharon/bus/listeners/sys_logger.c, file_logger.c,
src/charon-systemd/charon-systemd.c, src/swanctl/commands/*.c):
  syslog / file logger  `14[IKE] <conn|3> msg`, `14[IKE] <3> msg` (no peer config yet),
                        `14[IKE] msg` (ike_name = no), `14[IKE1] msg` (log_level = yes)
  file logger, JSON     `{"time":"...","thread":14,"group":"IKE","level":1,"ikesa-name":"conn",
                        "ikesa-uniqueid":"3","msg":"..."}`
  charon-systemd        the bare message; the journal keeps GROUP, THREAD, IKE_SA_NAME and
                        IKE_SA_UNIQUE_ID as fields (read back from `journalctl -o json`)
  swanctl --initiate    `[IKE] msg`; `ipsec up` prints the bare message
"""

from __future__ import annotations

import re

import orjson

from schemas.events import Event
from streams.parse.dialects.strongswan_child import CHILD_PATTERNS
from streams.parse.dialects.strongswan_ike import EXCHANGES, IKE_PATTERNS
from streams.parse.dialects.swan_dispatch import TableDialect
from streams.parse.envelope import Envelope
from streams.parse.patterns import Pattern

PATTERNS: tuple[Pattern, ...] = IKE_PATTERNS + CHILD_PATTERNS

# First words whose messages are told apart by the next word(s): the key is that many words.
KEY_WORDS: dict[str, int] = {
    "received": 2, "sending": 2, "no": 2, "initiating": 2, "establishing": 2, "deleting": 2,
    "closing": 2, "peer": 2, "IKE_SA": 2, "CHILD_SA": 2, "unable": 3,
}
_EXCHANGES = frozenset(EXCHANGES)
# thread, group (+ level digit when log_level = yes), optional <name|unique id> or <unique id>
_PREFIX = re.compile(r"(?P<thread>\d{2,3})?\[(?P<group>[A-Z]{3})-?\d?\](?: <(?:(?P<name>[^|>]*)\|)?(?P<id>\d+)>)? ")


class Strongswan(TableDialect):
    name = "strongswan"
    vendor = "strongswan"
    programs = ("charon", "charon-systemd", "charon-cmd", "charon-nm", "charon-svc", "charon-tkm", "swanctl")
    patterns = PATTERNS

    def sniff(self, env: Envelope) -> bool:
        """`09[IKE] ...` (file logger, container stdout), `[IKE] ...` (swanctl), or the JSON file logger."""
        m = env.msg
        if len(m) < 8:
            return False
        c = m[0]
        if c.isdigit():
            return (m[2] == "[" or m[3] == "[") and _PREFIX.match(m) is not None
        if c == "[":
            return m[4] == "]" and _PREFIX.match(m) is not None
        return c == "{" and m.startswith('{"') and '"group":"' in m and '"msg":"' in m

    def prepare(self, env: Envelope, ev: Event) -> str:
        msg = env.msg
        if msg[:1] == "{":
            msg = self._json(env, ev)
        elif env.format == "journald-json":
            self._journal_fields(ev)
        m = _PREFIX.match(msg)
        if m is not None:
            ev.thread, ev.subsystem, name, unique = m.groups()
            if unique is not None:
                ev.ike_sa_id = unique
                if name:
                    ev.conn = name
            msg = msg[m.end():]
        if msg[:1] == " ":  # charon indents detail lines (`  SPI 0x..., src ... dst ...`)
            msg = msg.lstrip(" ")
        return msg

    def key_of(self, body: str) -> str:
        sp = body.find(" ")
        w1 = body[:sp] if sp >= 0 else body
        n = KEY_WORDS.get(w1)
        if n is not None and sp >= 0:
            sp2 = body.find(" ", sp + 1)
            if n == 2 or sp2 >= 0:
                w2 = body[sp + 1:sp2] if sp2 >= 0 else body[sp + 1:]
                if w2[-1:] in ("]", "}"):  # IKE_SA name[3], CHILD_SA name{4}
                    w2 = "*"
                elif w1 == "received" and w2.isupper():  # a notify, payload or exchange name
                    w2 = "%N"
                if w1 == "received" and body.endswith(" vendor ID"):
                    return "vendor ID"
                if n == 2:
                    return f"{w1} {w2}"
                sp3 = body.find(" ", sp2 + 1)
                return f"{w1} {w2} {body[sp2 + 1:sp3] if sp3 >= 0 else body[sp2 + 1:]}"
        if w1 in _EXCHANGES:
            return "%X"
        c = w1[:1]
        if c.isdigit() or (":" in w1 and c in "0123456789abcdefABCDEF"):
            return "%H"
        return w1

    @staticmethod
    def _json(env: Envelope, ev: Event) -> str:
        """charon's JSON file logger (`json = yes`): take its fields, return its message."""
        try:
            obj = orjson.loads(env.msg)
        except orjson.JSONDecodeError:
            return env.msg
        if not isinstance(obj, dict) or not isinstance(obj.get("msg"), str):
            return env.msg
        thread, group = obj.get("thread"), obj.get("group")
        ev.thread = f"{thread:02d}" if isinstance(thread, int) else None
        ev.subsystem = group if isinstance(group, str) else None
        name, unique = obj.get("ikesa-name"), obj.get("ikesa-uniqueid")
        ev.conn = name if isinstance(name, str) and name else None
        ev.ike_sa_id = unique if isinstance(unique, str) and unique else None
        msg: str = obj["msg"]
        return msg

    @staticmethod
    def _journal_fields(ev: Event) -> None:
        """charon-systemd keeps thread, group and IKE SA in journal fields, not in the message."""
        try:
            obj = orjson.loads(ev.raw)
        except orjson.JSONDecodeError:
            return
        if not isinstance(obj, dict):
            return
        for field, attr in (("THREAD", "thread"), ("GROUP", "subsystem"), ("IKE_SA_NAME", "conn"),
                            ("IKE_SA_UNIQUE_ID", "ike_sa_id")):
            value = obj.get(field)
            if isinstance(value, str) and value:
                setattr(ev, attr, value.zfill(2) if attr == "thread" else value)


DIALECT = Strongswan()
