"""Cisco Meraki MX event log syslog.

Placeholder: the pattern table grows in the parsing issue.
"""

from __future__ import annotations

from streams.parse.patterns import Dialect, Pattern

PATTERNS: tuple[Pattern, ...] = ()


class Meraki(Dialect):
    name = "meraki"
    vendor = "meraki"
    patterns = PATTERNS


DIALECT = Meraki()
