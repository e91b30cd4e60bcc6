"""Lines later than the allowed lateness on the stream's code path (file replay -> raw records -> worker
pipeline), without servers: each is a dead letter of stage `correlate` with how late it was and the original
line, exactly the lines `tunnelsight diagnose` counts as too late, and every line is accounted for."""

from __future__ import annotations

import re
from pathlib import Path

from schemas.catalogue import validate
from streams.cli import build_parser
from streams.commands.diagnose import diagnoses
from streams.correlate.engine import Engine
from streams.ingest.files import replay
from tests.unit.pipeline_kit import run_records

SAMPLES = Path(__file__).resolve().parents[2] / "streams" / "samples" / "fleet"


def test_too_late_lines_are_dead_letters_with_the_reason_and_the_original_line(tmp_path: Path) -> None:
    lines = (SAMPLES / "srx-fra-01.log").read_bytes().splitlines(keepends=True)
    cut = len(lines) // 3
    late = lines[cut:cut + 40]  # a block arriving after the rest of the day: far beyond the allowed 10 s
    del lines[cut:cut + 40]
    path = tmp_path / "srx-fra-01.log"
    path.write_bytes(b"".join(lines + late))

    offline = Engine(keep_late=True)
    list(diagnoses(build_parser().parse_args(["diagnose", "--year", "2026", str(path)]), offline))
    offline_late = [ev.raw for ev, _ in offline.take_late()]
    assert offline.stats["too_late"] == len(offline_late) > 0

    records: list[bytes] = []
    stats = replay([str(path)], lambda b: records.append(b.encode()), opts={"year": 2026}, progress=False)
    dead, delta = run_records(records)

    correlate = [d for d in dead if d["tunnelsight"]["deadletter"]["stage"] == "correlate"]
    assert len(correlate) == len(dead) - delta("parse_errors_total")  # nothing else was dead-lettered
    assert delta("lines_too_late_total") == len(correlate) == offline.stats["too_late"]
    assert [d["event"]["original"] for d in correlate] == offline_late  # the same lines, in order, whole
    assert {d["event"]["original"] for d in correlate} <= {x.decode().rstrip("\n") for x in late}
    assert delta("lines_total") == stats.lines == len(lines) + len(late)
    for d in correlate:
        assert validate(d, "deadletter") == [], d
        assert d["error"]["type"] == "too_late" and d["observer"]["hostname"] == "srx-fra-01"
        assert re.fullmatch(r"late by \d+\.\d{3} s, beyond the allowed lateness of 10 s \(line at \S+Z, its "
                            r"gateway already at \S+Z\); not correlated", d["error"]["message"]), d
        behind = float(d["error"]["message"].split()[2])
        assert behind > 10
        meta = d["tunnelsight"]["deadletter"]
        assert meta["topic"] == "tunnelsight-raw" and meta["partition"] == 0 and 0 <= meta["offset"] < len(records)
