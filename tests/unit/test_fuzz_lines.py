"""Fuzzed lines without servers: the generator is deterministic, the parser never raises on its lines,
and the stream's path (file replay -> raw records -> worker pipeline) accounts for every line exactly
as `tunnelsight diagnose` does, with over-long lines dead-lettered at ingest and records bounded.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from schemas.events import Action
from streams.batch import LineBatch
from streams.config import Settings
from streams.fuzz import HUGE_SIZE, KINDS, fuzz_lines, mix, write_mixed
from streams.ingest.files import follow_lines, replay
from streams.ingest.kafka_out import RawSender
from streams.inputs import READ_LIMIT
from streams.parse import ParseContext, parse_line
from streams.parse.context import DEFAULT_MAX_LINE
from tests.unit.pipeline_kit import run_records

SAMPLES = Path(__file__).resolve().parents[2] / "streams" / "samples" / "fleet"


def test_the_generator_is_seeded_and_covers_every_kind() -> None:
    a = list(fuzz_lines(3000, seed=5, huge=2, huge_size=50_000))
    assert a == list(fuzz_lines(3000, seed=5, huge=2, huge_size=50_000))
    assert a != list(fuzz_lines(3000, seed=6, huge=2, huge_size=50_000))
    kinds = Counter(f.kind for f in a)
    assert set(kinds) == set(KINDS) and kinds["huge"] == 2
    assert all(b"\n" not in f.data for f in a)
    assert all(len(f.data) == 50_000 for f in a if f.kind == "huge")
    assert len(next(f for f in fuzz_lines(10, seed=1, huge=1) if f.kind == "huge").data) == HUGE_SIZE
    assert any(b"\x1b[2J" in f.data for f in a) and any(b"%s" in f.data or b"%n" in f.data for f in a)


def test_mix_keeps_the_real_lines_in_order() -> None:
    real = [f"real {i}".encode() for i in range(50)]
    mixed = list(mix(real, fuzz_lines(200, seed=3, huge=0), seed=3))
    assert [x for x in mixed if x.startswith(b"real ")] == real and len(mixed) == 250


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_parser_never_raises_and_classifies_the_obvious_kinds(seed: int) -> None:
    ctx = ParseContext(year=2026)
    for f in fuzz_lines(4000, seed=seed, huge=2, huge_size=40_000):
        for line in (f.data, f.data.decode("utf-8", "backslashreplace")):
            ev = parse_line(line, ctx)  # one event per line, never an exception
            if f.kind == "huge":
                assert ev.action is Action.PARSE_ERROR and "exceeds the limit" in (ev.error or "")
                assert len(ev.raw) <= 256
            elif f.kind == "unknown_vendor":
                assert ev.action is Action.UNRECOGNIZED and ev.vendor == "unknown", f
            elif f.kind == "random_bytes":
                assert ev.action in (Action.PARSE_ERROR, Action.UNRECOGNIZED), f


def _offline_counts(files: list[str]) -> Counter[str]:
    from streams.cli import build_parser
    from streams.commands.common import events_from

    args = build_parser().parse_args(["diagnose", "--year", "2026", *files])
    return Counter(ev.action.value for ev in events_from(args))


def _offline_too_late(files: list[str]) -> int:
    from streams.cli import build_parser
    from streams.commands.diagnose import diagnoses
    from streams.correlate.engine import Engine

    engine = Engine()
    list(diagnoses(build_parser().parse_args(["diagnose", "--year", "2026", *files]), engine))
    return engine.stats["too_late"]


def test_every_line_is_accounted_for_on_the_streams_path_as_offline(tmp_path: Path) -> None:
    clean = sorted(str(p) for p in SAMPLES.glob("*.log"))[:3]
    kinds = write_mixed(clean, tmp_path, 6000, seed=11, huge=3)
    mixed = sorted(str(p) for p in tmp_path.glob("*.log"))
    offline = _offline_counts(mixed)

    records: list[bytes] = []
    rejected: list[tuple[str, bytes, str]] = []
    stats = replay(mixed, lambda b: records.append(b.encode()), opts={"year": 2026}, progress=False,
                   reject=lambda gw, excerpt, reason: rejected.append((gw, excerpt, reason)))
    assert stats.rejected == len(rejected) == kinds["huge"] == 3
    assert all("exceeds the limit of 16384" in reason and len(excerpt) <= 256 for _, excerpt, reason in rejected)
    assert stats.lines + stats.rejected == sum(offline.values())
    # Raw records stay bounded: 64 KiB of lines plus one line of at most 16 KiB, JSON-escaped.
    assert max(len(r) for r in records) <= 6 * (64 + 16) * 1024

    dead, delta = run_records(records)

    stages = Counter(d["tunnelsight"]["deadletter"]["stage"] for d in dead)
    assert delta("lines_total") == stats.lines
    assert delta("parse_errors_total") == stages["parse"] == offline[Action.PARSE_ERROR.value] - stats.rejected
    assert delta("unrecognized_total") == offline[Action.UNRECOGNIZED.value]
    # Lines beyond the allowed lateness (fuzzed headers carry any time) are dead letters too, as offline counts them.
    assert delta("lines_too_late_total") == stages["correlate"] == _offline_too_late(mixed)
    assert stages["parse"] + stages["correlate"] == len(dead) and all(d["error"]["message"] for d in dead)


def test_following_a_file_stays_bounded_on_an_over_long_line(tmp_path: Path) -> None:
    path = tmp_path / "grow.log"
    path.write_bytes(b"x" * (3 * READ_LIMIT) + b"\nnext line\n")
    got: list[bytes] = []
    for line in follow_lines(str(path), poll_s=0.01, stop=lambda: len(got) >= 2):
        got.append(line)
    assert len(got[0]) == READ_LIMIT and got[1] == b"next line\n"


def test_a_line_longer_than_the_limit_never_enters_a_record(tmp_path: Path) -> None:
    path = tmp_path / "gw9.log"
    path.write_bytes(b"Feb  5 00:00:01 gw9 charon[1]: " + b"A" * (DEFAULT_MAX_LINE + 1) + b"\n"
                     + b"Feb  5 00:00:02 gw9 charon[1]: 05[IKE] <c|1> IDr payload missing\n")
    batches: list[LineBatch] = []
    rejected: list[tuple[str, bytes, str]] = []
    replay([str(path)], batches.append, progress=False, reject=lambda *r: rejected.append(r))
    assert [r[0] for r in rejected] == ["gw9"] and "16416 bytes" in rejected[0][2]
    assert [line for b in batches for line in b.lines] == ["Feb  5 00:00:02 gw9 charon[1]: 05[IKE] <c|1> IDr payload missing"]


# -- the ingest sender's own buffer bound --------------------------------------------------------------------
class _Future:
    def __init__(self) -> None:
        self.ok: list[Any] = []
        self.err: list[Any] = []

    def add_callback(self, f: Any) -> _Future:
        self.ok.append(f)
        return self

    def add_errback(self, f: Any) -> _Future:
        self.err.append(f)
        return self


class _SlowProducer:
    """Acknowledges only when flushed, like a Kafka that answers late."""

    def __init__(self) -> None:
        self.pending: list[_Future] = []
        self.flushes = 0
        self.lock = threading.Lock()

    def send(self, topic: str, key: bytes, value: bytes) -> _Future:
        fut = _Future()
        self.pending.append(fut)
        return fut

    def flush(self, timeout: float | None = None) -> None:
        self.flushes += 1
        done, self.pending = self.pending, []
        for fut in done:
            for f in fut.ok:
                f(None)


def test_the_ingest_sender_bounds_what_waits_for_kafka() -> None:
    producer = _SlowProducer()
    sender = RawSender(producer, Settings(), stall_s=60, max_buffer=10_000)  # type: ignore[arg-type]
    peak = 0
    for i in range(100):
        b = LineBatch(gateway="gw1")
        b.add("x" * 500, time.time())
        sender.batch(b)
        peak = max(peak, sender.waiting_bytes)
        assert i < 1 or sender.waiting_bytes <= 10_000
    sender.flush()
    assert peak <= 10_000 and producer.flushes >= 4
    assert (sender.sent, sender.acked, sender.failed, sender.waiting) == (100, 100, 0, 0)
