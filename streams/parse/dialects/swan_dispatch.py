"""The dispatch loop the strongSwan and Libreswan dialects share: `Dialect.parse`, with less per line.

Same contract as `patterns.Dialect.parse` (candidates by key in table order, first match wins, constants
then named groups, converted as `patterns.apply_fields` does), but keyed patterns are tried with an
anchored `match` and a dialect may fix fields up between constants and groups (`after_match`). A daemon
that logs thousands of lines a second spends most of its parse time here, so this is where it pays to
count: constants are converted once (`Pattern.consts`) and groups stored by `Pattern.fill_groups`.
"""

from __future__ import annotations

import re

from schemas.events import Action, Event
from streams.parse.envelope import Envelope
from streams.parse.patterns import Dialect, Pattern


class TableDialect(Dialect):
    """A Dialect whose parse step is tuned for high-volume daemons; subclasses may add `after_match`."""

    def __init__(self) -> None:
        super().__init__()
        # the hook costs a call per line: skip it for dialects that do not override it
        self._hooked = type(self).after_match is not TableDialect.after_match

    def after_match(self, ev: Event, p: Pattern, m: re.Match[str], prefix_id: str | None) -> None:
        """Hook for dialect-specific fix-ups once a pattern matched, before its groups are set (default: none)."""

    def parse(self, env: Envelope, ev: Event) -> None:
        body = self.prepare(env, ev)
        candidates = self._by_key.get(self.key_of(body))
        if candidates is not None:
            for p in candidates:
                m = p.compiled.match(body)
                if m is None:
                    continue
                ev.action = p.action
                ev.pattern = p.id
                for name, value in p.consts:
                    setattr(ev, name, value)
                if self._hooked:
                    self.after_match(ev, p, m, ev.ike_sa_id)
                p.fill_groups(ev, m)
                return
        for p in self._wildcard:
            m = p.compiled.search(body)
            if m is not None:
                ev.action = p.action
                ev.pattern = p.id
                p.fill(ev, m)
                return
        ev.action = Action.UNRECOGNIZED
