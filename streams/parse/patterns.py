"""Pattern tables and the dialect base class.

A dialect module is mostly a tuple of `Pattern`s a network engineer can review: an id, the dispatch
key, the regex, the normalised action, constant fields, and where the message was learnt from.
Dispatch is a dict lookup on the key the dialect extracts (mnemonic, ASA message id, strongSwan
subsystem + first word), then a few regexes at most: never every regex in turn.

Named groups in a regex must be `Event` field names; values are converted to the field's type.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from schemas.events import EVENT_FIELD_NAMES, Action, Event, normalise_notify
from streams.parse.envelope import Envelope

_INT_FIELDS = frozenset({"pid", "local_port", "remote_port", "ike_version", "message_id"})
WILDCARD = "*"


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

    def __post_init__(self) -> None:
        rx = re.compile(self.regex)
        bad = set(rx.groupindex) - set(EVENT_FIELD_NAMES)
        if bad:
            raise ValueError(f"pattern {self.id}: groups {sorted(bad)} are not Event fields")
        bad_const = set(self.fields) - set(EVENT_FIELD_NAMES)
        if bad_const:
            raise ValueError(f"pattern {self.id}: fields {sorted(bad_const)} are not Event fields")
        object.__setattr__(self, "compiled", rx)


def apply_fields(ev: Event, values: Mapping[str, Any]) -> None:
    """Set event fields from regex groups or constants, converting types; None/empty values are skipped."""
    for name, value in values.items():
        if value is None or value == "":
            continue
        if name in _INT_FIELDS:
            try:
                value = int(value)
            except (TypeError, ValueError):
                continue
        elif name == "notify":  # racoon, RouterOS and PAN-OS print INVALID-ID-INFORMATION
            value = normalise_notify(str(value).replace("-", "_"))
        elif name == "role":  # the contract says initiator | responder; vendors print Initiator
            value = str(value).lower()
        setattr(ev, name, value)


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
        for p in (*self._by_key.get(self.key_of(body), ()), *self._wildcard):
            m = p.compiled.search(body)
            if m is not None:
                ev.action = p.action
                ev.pattern = p.id
                apply_fields(ev, p.fields)
                apply_fields(ev, m.groupdict())
                return
        ev.action = Action.UNRECOGNIZED
