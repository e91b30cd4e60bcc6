"""Turn raw gateway log lines into `schemas.events.Event` records.

`envelope` splits the syslog/journald/file framing off a line; `dialects/` hold one module per vendor
whose body is a table of message patterns; `registry` picks the dialect for a line. Nothing here keeps
state across lines except the clock used to infer missing years (`ParseContext`).
"""

from streams.parse.context import ParseContext
from streams.parse.line import parse_line, parse_lines

__all__ = ["ParseContext", "parse_line", "parse_lines"]
