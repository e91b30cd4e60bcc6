"""Libreswan pluto.

Placeholder: the pattern table grows in the parsing issue.
"""

from __future__ import annotations

from streams.parse.patterns import Dialect, Pattern

PATTERNS: tuple[Pattern, ...] = ()


class Libreswan(Dialect):
    name = "libreswan"
    vendor = "libreswan"
    patterns = PATTERNS


DIALECT = Libreswan()
