"""Cisco IOS / IOS-XE crypto messages (%CRYPTO-*, %IKEV2-*, %MOTCR-*, IPSEC(...) debug).

Placeholder: the pattern table grows in the parsing issue.
"""

from __future__ import annotations

from streams.parse.patterns import Dialect, Pattern

PATTERNS: tuple[Pattern, ...] = ()


class CiscoIos(Dialect):
    name = "cisco_ios"
    vendor = "cisco"
    patterns = PATTERNS


DIALECT = CiscoIos()
