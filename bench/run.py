"""`make bench`: every benchmark in one run on this machine; JSON to bench/results/, table to docs.

    python -m bench.run [--tiny] [--only offline,e2e,state,sink] [--out FILE]

Starts its own Kafka and Elasticsearch through infra/ unless TUNNELSIGHT_KAFKA / TUNNELSIGHT_ES are set.
Figures are measured, never asserted; `--tiny` (used by `make test`) only checks the harness works.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import subprocess
import tempfile
import time
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import e2e, engine, offline, sink, state
from streams.runtime import tune_gc

RESULTS = Path(__file__).parent / "results"
ALL = ("offline", "engine", "e2e", "state", "sink")


def machine() -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_kib = 0
    with contextlib.suppress(OSError, ValueError, IndexError):
        mem_kib = int(Path("/proc/meminfo").read_text().split()[1])
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(mem_kib / 1024 / 1024, 1),
            "python": platform.python_version(), "platform": platform.platform(), "commit": commit}


def servers(stack: ExitStack, workdir: Path) -> tuple[str, str]:
    from infra import elasticsearch as es_infra
    from infra import kafka as kafka_infra

    kafka = kafka_infra.from_env()
    if not kafka:
        k = kafka_infra.KafkaServer(workdir=workdir / "kafka").start()
        stack.callback(k.stop)
        kafka = k.bootstrap
    es = es_infra.from_env()
    if not es:
        e = es_infra.ElasticsearchServer().start()
        stack.callback(e.stop)
        es = e.url
    return kafka, es


def run(tiny: bool, only: tuple[str, ...], out: Path | None) -> dict[str, Any]:
    result: dict[str, Any] = {"when": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "tiny": tiny,
                              "machine": machine()}
    with ExitStack() as stack, tempfile.TemporaryDirectory(prefix="tunnelsight-bench-") as tmp:
        workdir = Path(tmp)
        kafka = es = None
        if {"e2e", "state", "sink"} & set(only):
            kafka, es = servers(stack, workdir)
        if "offline" in only:
            result["offline"] = offline.run(tiny)
        if "engine" in only:
            result["engine"] = engine.run(tiny)
        if "e2e" in only:
            assert kafka and es
            result["e2e"] = e2e.run(tiny, kafka, es, workdir / "e2e")
        if "state" in only:
            result["state"] = state.run(tiny, kafka, es, workdir / "state")
        if "sink" in only:
            assert es
            result["sink"] = sink.run(tiny, es)
    target = out or RESULTS / f"{'tiny-' if tiny else ''}{time.strftime('%Y%m%d-%H%M%S')}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    print(f"results: {target}")
    return result


def main() -> None:
    p = argparse.ArgumentParser(prog="python -m bench.run")
    p.add_argument("--tiny", action="store_true", help="tiny inputs: check the harness, not the machine")
    p.add_argument("--only", default=",".join(ALL), help=f"comma list of {', '.join(ALL)}")
    p.add_argument("--out", type=Path)
    args = p.parse_args()
    tune_gc()  # as `tunnelsight` does: the offline figures are the CLI's
    only = tuple(x.strip() for x in args.only.split(",") if x.strip())
    unknown = set(only) - set(ALL)
    if unknown:
        p.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    run(args.tiny, only, args.out)


if __name__ == "__main__":
    main()
