"""Labelled end-to-end check: `tunnelsight diagnose` over a simulated fleet, scored against its ground truth.

Precision and recall per failure class are printed (pytest -s shows them); the assertions are only a
sane floor, to be raised as the engine improves. Skipped while the diagnose command does not exist.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from streams.simulate.evaluate import evaluate, load_diagnoses, load_truth, table

ARGS = ["--gateways", "40", "--peers", "5", "--duration", "3h", "--seed", "11", "--failure-rate", "0.4"]
PRECISION_FLOOR = 0.6  # overall; the target is 0.9 (measured 0.70 when this test was written)
RECALL_FLOOR = 0.75  # measured 0.86


def _tunnelsight(*args: str, stdout: object = None) -> None:
    subprocess.run([sys.executable, "-m", "streams.cli", *args], check=True, stdout=stdout,  # type: ignore[arg-type]
                   stderr=subprocess.DEVNULL, timeout=600)


@pytest.mark.skipif(importlib.util.find_spec("streams.commands.diagnose") is None, reason="no diagnose command yet")
def test_diagnoses_against_ground_truth(tmp_path: Path) -> None:
    merged = tmp_path / "fleet.log"
    # the merged stream: all gateways interleaved in time order, as a live feed delivers them
    _tunnelsight("simulate", *ARGS, "--out", str(tmp_path / "fleet"), "--merged", str(merged))
    diagnoses = tmp_path / "diagnoses.ndjson"
    with diagnoses.open("wb") as out:
        _tunnelsight("diagnose", "--year", "2026", "--failures-only", str(merged), stdout=out)
    report = evaluate(load_truth(tmp_path / "fleet" / "ground_truth.ndjson"), load_diagnoses(diagnoses))
    print("\n" + table(report))
    total = report.total
    assert total.episodes > 100
    assert total.precision is not None and total.precision >= PRECISION_FLOOR
    assert total.recall is not None and total.recall >= RECALL_FLOOR
