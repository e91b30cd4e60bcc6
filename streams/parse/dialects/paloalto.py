"""Palo Alto Networks PAN-OS system log (CSV and syslog), subtypes ike/ipsec.

Placeholder: the pattern table grows in the parsing issue.
"""

from __future__ import annotations

from streams.parse.patterns import Dialect, Pattern

PATTERNS: tuple[Pattern, ...] = ()


class Paloalto(Dialect):
    name = "paloalto"
    vendor = "paloalto"
    patterns = PATTERNS


DIALECT = Paloalto()
