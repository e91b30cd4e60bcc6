"""Worker modes side by side on the same input, alternating, in one run (the e2e part of `make bench`
measures each mode once; this repeats them so that a busy neighbour shows as spread, not as a verdict).

    make infra-up && eval "$(make -s infra-status)"
    python -m bench.ab --lines 1000000 --rounds 2 --modes engine,in-process

Each round and mode: a fresh raw topic filled from the e2e benchmark log, one worker started on it,
timed from its first processed line to the last line and to the last diagnosis indexed (bench.e2e).
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from elasticsearch import Elasticsearch

from bench.e2e import produce, stream_seconds
from bench.load import lines_of, simulated
from bench.offline import diagnose_rate
from streams.config import Settings, Topics
from streams.topics import ensure_topics

MODES = {"engine": {"TUNNELSIGHT_ENGINE_PROCESS": "1"}, "in-process": {"TUNNELSIGHT_ENGINE_PROCESS": "0"}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--lines", type=int, default=1_000_000)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--modes", default="engine,in-process")
    args = ap.parse_args()
    kafka, es_url = os.environ["TUNNELSIGHT_KAFKA"], os.environ["TUNNELSIGHT_ES"]
    lines = lines_of(simulated("e2e", gateways=300, peers=8, duration="6h", seed=11), args.lines)
    workdir = Path(".cache") / "bench" / "ab"
    workdir.mkdir(parents=True, exist_ok=True)
    source = workdir / "input.log"
    source.write_bytes(b"".join(lines))
    rate, docs = diagnose_rate(lines)
    print(f"{len(lines)} lines; offline diagnose {rate:,.0f} lines/s, {docs} diagnoses", flush=True)
    es = Elasticsearch(es_url)
    for round_no in range(args.rounds):
        for mode in args.modes.split(","):
            prefix = f"ab-{mode}-{int(time.time() * 1000)}"
            settings = Settings(kafka=kafka, es=es_url, topics=Topics(prefix=prefix), index_prefix=prefix)
            ensure_topics(settings)
            sent, _, _ = produce(source, settings, 500)
            t = stream_seconds(settings, workdir / prefix, sent, docs, es, extra=MODES[mode])
            print(f"round {round_no} {mode}: {sent / t['lines_seconds']:,.0f} lines/s processed, "
                  f"{sent / t['indexed_seconds']:,.0f} until indexed, stream/offline "
                  f"{sent / t['lines_seconds'] / rate:.2f}, worker CPU {t['worker_cpu_seconds'] / sent * 1e6:.1f} "
                  f"µs/line, load {os.getloadavg()[0]:.1f}", flush=True)
    es.close()


if __name__ == "__main__":
    main()
