"""Pattern tables and the dialect base class.

A dialect module is mostly a tuple of `Pattern`s a network engineer can review: an id, the dispatch
key, the regex, the normalised action, constant fields, and where the message was learnt from.
Dispatch is a dict lookup on the key the dialect extracts (mnemonic, ASA message id, strongSwan
subsystem + first word), then a few regexes at most: never every regex in turn.

Named groups in a regex must be `Event` field names; values are converted to the field's type
(`apply_fields`). Each pattern converts its constants once and compiles, when it is built, a small
function that stores them and its groups (`Pattern.fill`): a match then costs a few attribute stores,
not a dict and a loop per line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from schemas.events import EVENT_FIELD_NAMES, Action, Event, normalise_notify
from streams.parse.envelope import Envelope

_INT_FIELDS = frozenset({"pid", "local_port", "remote_port", "ike_version", "message_id"})
WILDCARD = "*"
SKIP: Any = object()  # `convert`'s answer for a value that sets nothing
Filler = Callable[[Event, "re.Match[str]"], None]


def convert(name: str, value: Any) -> Any:
    """The value `apply_fields` stores in field `name`, or SKIP (None, empty, or no number for an int field)."""
    if value is None or value == "":
        return SKIP
    if name in _INT_FIELDS:
        try:
            return int(value)
        except (TypeError, ValueError):
            return SKIP
    if name == "notify":  # racoon, RouterOS and PAN-OS print INVALID-ID-INFORMATION
        return normalise_notify(str(value).replace("-", "_"))
    if name == "role":  # the contract says initiator | responder; vendors print Initiator
        return str(value).lower()
    return value


def apply_fields(ev: Event, values: Mapping[str, Any]) -> None:
    """Set event fields from regex groups or constants, converting types; None/empty values are skipped."""
    for name, value in values.items():
        value = convert(name, value)
        if value is not SKIP:
            setattr(ev, name, value)


@dataclass(frozen=True, slots=True)
class Pattern:
    id: str  # stable, unique across dialects: "<dialect>-<slug>"
    key: str  # dispatch key as the dialect's `key_of` computes it; "*" = tried after keyed ones
    action: Action
    regex: str
    ref: str  # where the message format was learnt (doc, source file, reference document)
    fields: Mapping[str, Any] = field(default_factory=dict)  # constants set on a match
    note: str = ""  # false positives, vendor quirks
    compiled: re.Pattern[str] = field(init=False, repr=False, compare=False)
    consts: tuple[tuple[str, Any], ...] = field(init=False, repr=False, compare=False)  # `fields`, converted
    fill: Filler = field(init=False, repr=False, compare=False)  # `fill(ev, m)`: constants, then groups
    fill_groups: Filler = field(init=False, repr=False, compare=False)  # groups only

    def __post_init__(self) -> None:
        rx = re.compile(self.regex)
        bad = set(rx.groupindex) - set(EVENT_FIELD_NAMES)
        if bad:
            raise ValueError(f"pattern {self.id}: groups {sorted(bad)} are not Event fields")
        bad_const = set(self.fields) - set(EVENT_FIELD_NAMES)
        if bad_const:
            raise ValueError(f"pattern {self.id}: fields {sorted(bad_const)} are not Event fields")
        object.__setattr__(self, "compiled", rx)
        converted = ((name, convert(name, value)) for name, value in self.fields.items())
        consts = tuple((name, value) for name, value in converted if value is not SKIP)
        groups = tuple(sorted(rx.groupindex.items(), key=lambda x: x[1]))  # groupdict order
        object.__setattr__(self, "consts", consts)
        object.__setattr__(self, "fill", _filler(consts, groups))
        object.__setattr__(self, "fill_groups", _filler((), groups))


def _filler(consts: tuple[tuple[str, Any], ...], groups: tuple[tuple[str, int], ...]) -> Filler:
    """`apply_fields(ev, dict(consts))` then `apply_fields(ev, m.groupdict())`, as straight-line code.

    The source holds only Event field names (checked by Pattern) and group numbers; constant values
    travel in the namespace.
    """
    ns: dict[str, Any] = {"normalise_notify": normalise_notify}
    src = ["def fill(ev, m):"]
    for i, (name, value) in enumerate(consts):
        ns[f"c{i}"] = value
        src.append(f"    ev.{name} = c{i}")
    if groups:
        src.append("    g = m.groups()")
    for name, number in groups:
        src += [f"    v = g[{number - 1}]", "    if v:"]  # None (group took no part) or empty: skipped
        if name in _INT_FIELDS:
            src += ["        try:", f"            ev.{name} = int(v)", "        except ValueError:", "            pass"]
        elif name == "notify":
            src.append(f"        ev.{name} = normalise_notify(v.replace('-', '_'))")
        elif name == "role":
            src.append(f"        ev.{name} = v.lower()")
        else:
            src.append(f"        ev.{name} = v")
    if len(src) == 1:
        src.append("    pass")
    exec("\n".join(src), ns)
    filler: Filler = ns["fill"]
    return filler


class Dialect:
    """One vendor's message language. Subclasses set the class attributes and may override hooks."""

    name: str = ""
    vendor: str = ""  # observer.vendor of its events
    programs: tuple[str, ...] = ()  # syslog program names that always mean this dialect
    patterns: Sequence[Pattern] = ()

    def __init__(self) -> None:
        self._by_key: dict[str, list[Pattern]] = {}
        ids: set[str] = set()
        for p in self.patterns:
            if p.id in ids:
                raise ValueError(f"duplicate pattern id {p.id}")
            ids.add(p.id)
            self._by_key.setdefault(p.key, []).append(p)
        self._wildcard = tuple(self._by_key.pop(WILDCARD, ()))
        # candidates per key, keyed ones first, then the wildcards (built once, not per line)
        self._candidates: dict[str, tuple[Pattern, ...]] = {k: (*v, *self._wildcard) for k, v in self._by_key.items()}

    def sniff(self, env: Envelope) -> bool:
        """Cheap test (startswith, `in`) that an envelope with an unknown program is this dialect's."""
        return False

    def prepare(self, env: Envelope, ev: Event) -> str:
        """Strip vendor prefixes (thread ids, sequence numbers, device clocks) into `ev`; return the body."""
        return env.msg

    def key_of(self, body: str) -> str:
        """The dispatch key of a message body."""
        return body.split(" ", 1)[0]

    def parse(self, env: Envelope, ev: Event) -> None:
        """Fill `ev` from the envelope; a body no pattern covers leaves `ev.action` UNRECOGNIZED."""
        body = self.prepare(env, ev)
        for p in self._candidates.get(self.key_of(body), self._wildcard):
            m = p.compiled.search(body)
            if m is not None:
                ev.action = p.action
                ev.pattern = p.id
                p.fill(ev, m)
                return
        ev.action = Action.UNRECOGNIZED
