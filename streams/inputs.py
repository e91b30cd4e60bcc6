"""Reading input files for the offline commands: plain or gzip, or standard input, line by line.

Unreadable input raises InputError with a one-line reason; the CLI prints it and exits non-zero.
"""

from __future__ import annotations

import gzip
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

_GZIP_MAGIC = b"\x1f\x8b"


class InputError(Exception):
    """An input that cannot be read at all (missing, a directory, no permission, broken gzip)."""


def read_lines(name: str) -> Iterator[bytes]:
    """Yield the raw lines of a file ('-' = stdin), gunzipping when the file starts with the gzip magic."""
    if name == "-":
        yield from _checked(sys.stdin.buffer, name)
        return
    path = Path(name)
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise InputError(f"cannot read {name}: {exc.strerror or exc}") from None
    with fh:
        head = fh.peek(2)[:2] if hasattr(fh, "peek") else b""
        if head == _GZIP_MAGIC:
            with gzip.GzipFile(fileobj=fh) as gz:
                yield from _checked(gz, name)
        else:
            yield from _checked(fh, name)


READ_LIMIT = 1024 * 1024 + 1  # a longer line is cut here; the parser turns it into an error record


def _checked(stream: Any, name: str) -> Iterator[bytes]:
    """Lines of at most READ_LIMIT bytes: memory stays bounded whatever the input holds."""
    try:
        while True:
            line = stream.readline(READ_LIMIT)
            if not line:
                return
            if len(line) == READ_LIMIT and not line.endswith(b"\n"):
                while True:  # discard the rest of an over-long line
                    more = stream.readline(READ_LIMIT)
                    if not more or more.endswith(b"\n"):
                        break
            yield line
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise InputError(f"cannot read {name}: {exc}") from None
