"""FortiGate key=value event logs, subtype vpn.

Placeholder: the pattern table grows in the parsing issue.
"""

from __future__ import annotations

from streams.parse.patterns import Dialect, Pattern

PATTERNS: tuple[Pattern, ...] = ()


class Fortigate(Dialect):
    name = "fortigate"
    vendor = "fortinet"
    patterns = PATTERNS


DIALECT = Fortigate()
