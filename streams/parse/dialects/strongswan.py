"""strongSwan charon (also pfSense/OPNsense, which log charon through their syslog).

Placeholder: the pattern table grows in the parsing issue.
"""

from __future__ import annotations

from streams.parse.patterns import Dialect, Pattern

PATTERNS: tuple[Pattern, ...] = ()


class Strongswan(Dialect):
    name = "strongswan"
    vendor = "strongswan"
    patterns = PATTERNS


DIALECT = Strongswan()
