"""Every tests/golden/parse/<vendor>/<case>.log parses to its .expected.ndjson."""

from __future__ import annotations

from pathlib import Path

import pytest

from streams.cli import build_parser
from streams.commands.common import events_from
from tests.golden.golden import cases, check

ROOT = Path(__file__).parent / "parse"


def _parse(log: Path, args: list[str]) -> list[dict[str, object]]:
    ns = build_parser().parse_args(["parse", *args, str(log)])
    return [ev.to_doc() for ev in events_from(ns)]


@pytest.mark.parametrize("log", cases(ROOT), ids=lambda p: str(p.relative_to(ROOT)))
def test_parse_golden(log: Path) -> None:
    check(log, _parse)
