"""Golden-file helpers: `<case>.log` next to `<case>.expected.ndjson`, optional `<case>.args`.

`<case>.args` holds extra command-line options for the case (e.g. `--year 2025 --tz Europe/Berlin`);
without it a case runs with `--year 2026`. Set TUNNELSIGHT_REGEN=1 (`make golden`) to rewrite the
expected files on purpose; `git diff` then shows what changed.
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Callable
from pathlib import Path

import orjson

REGEN = os.environ.get("TUNNELSIGHT_REGEN") == "1"
DEFAULT_ARGS = ["--year", "2026"]


def cases(root: Path) -> list[Path]:
    return sorted(root.rglob("*.log"))


def case_args(log: Path) -> list[str]:
    args_file = log.with_suffix(".args")
    return shlex.split(args_file.read_text()) if args_file.exists() else list(DEFAULT_ARGS)


def check(log: Path, produce: Callable[[Path, list[str]], list[dict[str, object]]]) -> None:
    """Compare what `produce` makes of the case with its expected file (or rewrite it under REGEN)."""
    expected_path = log.with_name(log.name[: -len(".log")] + ".expected.ndjson")
    docs = produce(log, case_args(log))
    text = b"".join(orjson.dumps(d, option=orjson.OPT_APPEND_NEWLINE) for d in docs)
    if REGEN or not expected_path.exists():
        expected_path.write_bytes(text)
        if not REGEN:
            raise AssertionError(f"{expected_path} was missing and has been written: review and commit it")
        return
    expected = [orjson.loads(x) for x in expected_path.read_bytes().splitlines() if x.strip()]
    assert docs == expected, f"{log} drifted from {expected_path.name}; run `make golden` if intended"
