"""`make bench` works: every benchmark runs on a tiny input against the session's real servers.

Figures from a tiny run mean nothing and are not asserted; only that each part produced them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import run as bench_run


def test_benchmarks_run_on_tiny_input(kafka_bootstrap: str, es_url: str, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TUNNELSIGHT_KAFKA", kafka_bootstrap)
    monkeypatch.setenv("TUNNELSIGHT_ES", es_url)
    result = bench_run.run(tiny=True, only=bench_run.ALL, out=tmp_path / "tiny.json")
    assert result["offline"]["mixed"]["parse_lines_per_s"] > 0
    assert result["engine"]["only_expected_classes"]
    e2e = result["e2e"]
    for name in ("batched", "two_workers", "one_line_per_record"):
        assert e2e[name]["stream_lines_per_s"] > 0, name
        assert e2e[name]["bare_consume_lines_per_s"] > 0, name
    assert result["state"]["memory"]["open_sas"] > 0
    assert result["state"]["recovery"]["recovery_seconds_incl_worker_start"] > 0
    assert result["sink"]["documents_per_s"] > 0
    assert (tmp_path / "tiny.json").exists()
