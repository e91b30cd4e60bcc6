"""MikroTik RouterOS ipsec topics.

Placeholder: the pattern table grows in the parsing issue.
"""

from __future__ import annotations

from streams.parse.patterns import Dialect, Pattern

PATTERNS: tuple[Pattern, ...] = ()


class Mikrotik(Dialect):
    name = "mikrotik"
    vendor = "mikrotik"
    patterns = PATTERNS


DIALECT = Mikrotik()
