"""The committed demo fleet (streams/samples/fleet) is what `tunnelsight simulate` makes of its arguments."""

from __future__ import annotations

import shlex
from pathlib import Path

from streams.cli import main
from streams.samples import SAMPLE_FLEET


def test_sample_fleet_is_up_to_date(tmp_path: Path) -> None:
    args = shlex.split((SAMPLE_FLEET / "simulate.args").read_text())
    assert main(["simulate", *args, "--out", str(tmp_path)]) == 0
    made = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    kept = {p.name: p.read_bytes() for p in SAMPLE_FLEET.iterdir() if p.suffix in (".log", ".ndjson")}
    assert made == kept, ("streams/samples/fleet is stale: regenerate it with `tunnelsight simulate "
                          "$(cat streams/samples/fleet/simulate.args) --out streams/samples/fleet`")
    lines = sum(len(b.splitlines()) for name, b in kept.items() if name.endswith(".log"))
    assert 2000 <= lines <= 5000
