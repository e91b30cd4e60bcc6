"""Faust on the real broker: an agent reads one topic and writes another, and its table survives a worker
restart by recovering from its changelog topic, with the RocksDB store (local state wiped first, so only
the changelog can bring it back) and with the memory store.

The worker is a real process (tests/integration/faust_app.py) stopped with SIGTERM, as a deploy would.
Records wait in the input topic before each start, the usual case after a restart; that backlog is what
exposes the race streams.faust_fixes closes (see docs/infra.md), so every source record must be processed
exactly once.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import pytest
from kafka import KafkaConsumer, KafkaProducer
from kafka.admin import KafkaAdminClient, NewTopic

from infra.paths import REPO_ROOT
from infra.process import tail

PARTITIONS = 2
KEYS = [f"gw-{i}" for i in range(5)]
OUTPUT_TIMEOUT = 90.0


@dataclass
class Worker:
    """`faust worker` for the test app, as a subprocess with its own log."""

    env: dict[str, str]
    log: Path
    proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        # --without-web: the worker command turns the web server back on (port 6066) whatever the app says.
        cmd = [sys.executable, "-m", "tests.integration.faust_app", "worker", "-l", "info", "--without-web"]
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                cmd,
                cwd=REPO_ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )

    def stop(self, timeout: float = 60.0) -> None:
        """SIGTERM: Faust commits offsets and flushes the changelog on the way out."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            pytest.fail(f"Faust worker ignored SIGTERM for {timeout:.0f}s:\n{tail(self.log)}", pytrace=False)

    def check_alive(self) -> None:
        if self.proc is not None and self.proc.poll() is not None:
            pytest.fail(f"Faust worker exited with {self.proc.returncode}:\n{tail(self.log)}", pytrace=False)


@dataclass
class Outputs:
    """The app's output topic: each record says a key's new count and which source record caused it."""

    consumer: KafkaConsumer
    records: list[dict[str, Any]] = field(default_factory=list)

    def latest(self) -> dict[str, int]:
        return {r["key"]: r["count"] for r in self.records}

    def wait_for(self, expected: dict[str, int], worker: Worker) -> None:
        """Until every key has its expected count; then a moment more, so a replayed record shows up."""
        deadline = time.monotonic() + OUTPUT_TIMEOUT
        while self.latest() != expected:
            worker.check_alive()
            if time.monotonic() > deadline:
                pytest.fail(f"counts {self.latest()}, expected {expected}; worker log:\n{tail(worker.log)}")
            self._poll()
        settle = time.monotonic() + 1.5
        while time.monotonic() < settle:
            self._poll()

    def _poll(self) -> None:
        for batch in self.consumer.poll(timeout_ms=300).values():
            self.records += [orjson.loads(m.value) for m in batch]


def _produce(bootstrap: str, topic: str, rounds: int) -> None:
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all")
    try:
        for _ in range(rounds):
            for key in KEYS:
                producer.send(topic, key=orjson.dumps(key), value=orjson.dumps(1))
        producer.flush(timeout=30)
    finally:
        producer.close()


def _env(bootstrap: str, unique_name: Callable[[str], str], store: str, datadir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        TS_FAUST_APP=unique_name("app"),
        TS_FAUST_IN=unique_name("in"),
        TS_FAUST_OUT=unique_name("out"),
        TS_FAUST_BROKER=bootstrap,
        TS_FAUST_STORE=store,
        TS_FAUST_DATADIR=str(datadir),
        TS_FAUST_PARTITIONS=str(PARTITIONS),
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])),
    )
    return env


@pytest.mark.parametrize("store", ["rocksdb://", "memory://"])
def test_table_survives_restart(
    store: str, kafka_bootstrap: str, unique_name: Callable[[str], str], tmp_path: Path
) -> None:
    env = _env(kafka_bootstrap, unique_name, store, tmp_path / "faust-data")
    topics = [env["TS_FAUST_IN"], env["TS_FAUST_OUT"]]
    with KafkaAdminClient(bootstrap_servers=kafka_bootstrap) as admin:
        admin.create_topics([NewTopic(t, num_partitions=PARTITIONS, replication_factor=1) for t in topics])
        admin.wait_for_topics(topics, timeout_ms=10_000)
    worker = Worker(env, tmp_path / "worker.log")
    outputs = Outputs(
        KafkaConsumer(
            env["TS_FAUST_OUT"],
            bootstrap_servers=kafka_bootstrap,
            group_id=None,
            auto_offset_reset="earliest",
            enable_auto_commit=False,
        )
    )
    try:
        _produce(kafka_bootstrap, env["TS_FAUST_IN"], rounds=20)
        worker.start()
        outputs.wait_for(dict.fromkeys(KEYS, 20), worker)  # the agent read `in` and wrote `out`
        worker.stop()
        first_run = len(outputs.records)

        if store.startswith("rocksdb"):
            assert any(Path(env["TS_FAUST_DATADIR"]).rglob("CURRENT")), "RocksDB kept no local state"
            shutil.rmtree(env["TS_FAUST_DATADIR"])  # only the changelog can bring the table back now

        _produce(kafka_bootstrap, env["TS_FAUST_IN"], rounds=5)  # a backlog waits for the restart
        worker.start()
        outputs.wait_for(dict.fromkeys(KEYS, 25), worker)
    finally:
        worker.stop()
        outputs.consumer.close()

    after_restart = outputs.records[first_run:]
    first_after = {}
    for record in after_restart:
        first_after.setdefault(record["key"], record["count"])
    assert first_after == dict.fromkeys(KEYS, 21), "the table did not resume from its changelog"
    sources = Counter((r["partition"], r["offset"]) for r in outputs.records)
    replayed = sorted(src for src, n in sources.items() if n > 1)
    assert not replayed, f"source records processed twice: {replayed}"
    assert len(sources) == 25 * len(KEYS), "some source records were never processed"
