"""Juniper SRX kmd / iked (KMD_* tags, RFC 5424 junos@2636).

Placeholder: the pattern table grows in the parsing issue.
"""

from __future__ import annotations

from streams.parse.patterns import Dialect, Pattern

PATTERNS: tuple[Pattern, ...] = ()


class Juniper(Dialect):
    name = "juniper"
    vendor = "juniper"
    patterns = PATTERNS


DIALECT = Juniper()
