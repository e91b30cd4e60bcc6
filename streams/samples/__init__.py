"""Built-in sample data for the demo: a small simulated fleet (`make demo` replays it).

fleet/ holds one log file per gateway and ground_truth.ndjson, written by `tunnelsight simulate` with
the arguments in fleet/simulate.args (tests/unit/test_simulate_sample.py checks they still match).
"""

from pathlib import Path

SAMPLE_FLEET = Path(__file__).parent / "fleet"
