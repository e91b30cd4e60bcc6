"""Which dialect speaks a line: by forced vendor, by program name, then by cheap body signatures."""

from __future__ import annotations

from functools import cache

from streams.parse.dialects import ALL_DIALECTS
from streams.parse.envelope import Envelope
from streams.parse.patterns import Dialect


@cache
def by_name() -> dict[str, Dialect]:
    return {d.name: d for d in ALL_DIALECTS}


@cache
def _by_program() -> dict[str, Dialect]:
    table: dict[str, Dialect] = {}
    for d in ALL_DIALECTS:
        for prog in d.programs:
            table[prog.lower()] = d
    return table


_programs: dict[str, Dialect | None] = {}  # program name as printed -> its dialect (memo of _by_program)


def detect(env: Envelope) -> Dialect | None:
    """The dialect for this envelope, or None for a vendor we do not know."""
    prog = env.program
    if prog:
        try:
            known = _programs[prog]
        except KeyError:
            known = _by_program().get(prog.lower())
            if len(_programs) >= 4096:
                _programs.clear()
            _programs[prog] = known
        if known is not None:
            return known
    for d in ALL_DIALECTS:
        if d.sniff(env):
            return d
    return None
