"""Every tests/golden/diagnose/<group>/<case>.log diagnoses to its .expected.ndjson.

The expected files are reviewed by hand: each failure's class must be the true one for the scenario
the log tells (the log's first lines say which, as comments the parsers skip). `make golden` rewrites
them on purpose; `git diff` shows what changed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from streams.cli import build_parser
from streams.commands.diagnose import diagnoses
from streams.correlate.engine import Config, Engine
from tests.golden.golden import cases, check

ROOT = Path(__file__).parent / "diagnose"


def _diagnose(log: Path, args: list[str]) -> list[dict[str, object]]:
    ns = build_parser().parse_args(["diagnose", *args, str(log)])
    engine = Engine(Config(quiet=ns.quiet_period, negotiation_timeout=ns.timeout, lateness=ns.lateness))
    return list(diagnoses(ns, engine))


@pytest.mark.parametrize("log", cases(ROOT), ids=lambda p: str(p.relative_to(ROOT)))
def test_diagnose_golden(log: Path) -> None:
    check(log, _diagnose)
