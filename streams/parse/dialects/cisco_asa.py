"""Cisco ASA / FTD %ASA-<sev>-7xxxxx IKE and IPsec messages.

Placeholder: the pattern table grows in the parsing issue.
"""

from __future__ import annotations

from streams.parse.patterns import Dialect, Pattern

PATTERNS: tuple[Pattern, ...] = ()


class CiscoAsa(Dialect):
    name = "cisco_asa"
    vendor = "cisco_asa"
    patterns = PATTERNS


DIALECT = CiscoAsa()
