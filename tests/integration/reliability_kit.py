"""Shared pieces of the reliability tests (test_faults.py, test_bad_input.py): replays through a real
worker, what Elasticsearch and the dead-letter topic hold afterwards, consumer lag, and an Elasticsearch
with security (basic auth, API keys, TLS on HTTP) that a test can stop and start again.

Every wait has a timeout and fails with the worker's log tail.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import pytest
from elasticsearch import Elasticsearch

from infra import elasticsearch as es_infra
from infra.java import java_home
from infra.paths import runtime_root
from streams.cli import build_parser
from streams.commands.diagnose import diagnoses
from streams.config import Settings, Topics
from streams.correlate.engine import Engine
from streams.es_client import EsConfig, sync_client
from streams.local import LocalWorker, wait_until
from tests.certs import Pki

SAMPLES = Path(__file__).resolve().parents[2] / "streams" / "samples" / "fleet"


def sample_files() -> list[str]:
    files = sorted(str(p) for p in SAMPLES.glob("*.log"))
    assert files, f"no sample fleet under {SAMPLES}"
    return files


# -- offline answer ----------------------------------------------------------------------------------
def offline(files: list[str], *options: str) -> dict[str, str]:
    """id -> failure class (or "success") of `tunnelsight diagnose OPTIONS FILES`."""
    args = build_parser().parse_args(["diagnose", *options, *files])
    return {d["tunnelsight"]["id"]: _class(d) for d in diagnoses(args, Engine())}


def _class(doc: dict[str, Any]) -> str:
    return str((doc.get("vpn", {}).get("failure") or {}).get("class", "success"))


# -- what Elasticsearch holds ------------------------------------------------------------------------
@dataclass
class Indexed:
    classes: dict[str, str] = field(default_factory=dict)  # tunnelsight.id -> class
    hits: int = 0  # documents, over every index behind the alias
    ids: Counter[str] = field(default_factory=Counter)  # tunnelsight.id -> how many documents carry it

    @property
    def duplicates(self) -> dict[str, int]:
        return {k: n for k, n in self.ids.items() if n > 1}


def indexed(es: Elasticsearch, alias: str) -> Indexed:
    """Every diagnosis document behind `alias`, counting documents and distinct ids separately."""
    out = Indexed()
    if not es.indices.exists(index=alias):
        return out
    es.indices.refresh(index=alias)
    hits = es.search(index=alias, size=10_000, source=["vpn.failure.class", "tunnelsight.id"],
                     query={"match_all": {}})["hits"]["hits"]
    for h in hits:
        ident = (h["_source"].get("tunnelsight") or {}).get("id") or h["_id"]
        out.ids[ident] += 1
        out.classes[ident] = _class(h["_source"])
    out.hits = len(hits)
    return out


def assert_same_as_offline(got: Indexed, expected: dict[str, str]) -> None:
    assert not got.duplicates, f"documents indexed twice: {got.duplicates}"
    assert got.hits == len(got.ids)
    missing = sorted(set(expected) - set(got.classes))
    extra = sorted(set(got.classes) - set(expected))
    wrong = {k: (got.classes[k], v) for k, v in expected.items() if k in got.classes and got.classes[k] != v}
    assert not (missing or extra or wrong), f"missing {missing[:5]} extra {extra[:5]} wrong class {wrong}"


# -- Kafka: dead letters and lag -----------------------------------------------------------------------
def read_topic(kafka: str, topic: str, timeout_s: float = 5.0) -> list[bytes]:
    """All values of a topic, from the beginning (stops after `timeout_s` without a new record)."""
    from kafka import KafkaConsumer

    consumer = KafkaConsumer(topic, bootstrap_servers=kafka, auto_offset_reset="earliest",
                             enable_auto_commit=False, consumer_timeout_ms=int(timeout_s * 1000),
                             fetch_max_bytes=16 * 1024 * 1024, max_partition_fetch_bytes=16 * 1024 * 1024)
    try:
        return [m.value for m in consumer]
    finally:
        consumer.close()


def deadletters(kafka: str, prefix: str) -> list[dict[str, Any]]:
    return [orjson.loads(v) for v in read_topic(kafka, Topics(prefix=prefix).deadletter)]


def group_lag(kafka: str, group: str, topic: str) -> int:
    """Records of `topic` the consumer group has not committed yet (end offsets minus committed)."""
    from kafka import KafkaConsumer, TopicPartition

    consumer = KafkaConsumer(bootstrap_servers=kafka, group_id=group, enable_auto_commit=False)
    try:  # never subscribes: it only reads the group's committed offsets
        tps = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or set()]
        ends = consumer.end_offsets(tps)
        return sum(max(0, ends[tp] - (consumer.committed(tp) or 0)) for tp in tps)
    finally:
        consumer.close()


def metrics(worker: LocalWorker) -> dict[str, float]:
    """The worker's /metrics counters ({} while it is not answering)."""
    import urllib.request

    from streams.metrics import parse_prometheus

    try:
        with urllib.request.urlopen(worker.metrics_url, timeout=2) as resp:
            return parse_prometheus(resp.read().decode())
    except OSError:
        return {}


def wait_for(what: str, check: Callable[[], bool], timeout: float, workers: list[LocalWorker],
             interval: float = 1.0, state: Callable[[], object] = lambda: "") -> None:
    """Wait for `check`; fail with `state()`, the workers' metrics and log tails when it times out or
    every worker died."""
    ok = wait_until(check, timeout=timeout, interval=interval,
                    alive=lambda: not workers or any(w.alive() for w in workers))
    if not ok:
        tails = "\n".join(f"--- {w.log} (alive: {w.alive()})\nmetrics: {metrics(w)}\n{w.tail(60)}"
                          for w in workers)
        pytest.fail(f"timed out after {timeout:.0f}s waiting for {what}; now: {state()}\n{tails}", pytrace=False)


def stream_settings(kafka: str, es: str, prefix: str, partitions: int = 4) -> Settings:
    return Settings(kafka=kafka, es=es, topics=Topics(prefix=prefix), index_prefix=prefix,
                    partitions=partitions, app_id=prefix)


@contextmanager
def workers(*items: LocalWorker) -> Iterator[list[LocalWorker]]:
    started = list(items)
    for w in started:
        w.start()
    try:
        yield started
    finally:
        for w in started:
            w.stop(timeout=30)


# -- an Elasticsearch with security on -----------------------------------------------------------------
class SecureElasticsearch(es_infra.ElasticsearchServer):
    """infra's single node with x-pack security: a file-realm superuser and, with `pki`, HTTPS only.

    A fixed port and workdir, so `stop()` then `start()` is the same cluster again (data kept);
    `remove()` deletes the workdir at the end.
    """

    def __init__(self, user: str, password: str, pki: Pki | None = None) -> None:
        workdir = Path(tempfile.mkdtemp(prefix="es-secure-", dir=runtime_root()))
        super().__init__(port=es_infra.free_port(), workdir=workdir)
        self.user, self.password, self.pki = user, password, pki

    @property
    def url(self) -> str:
        return f"{'https' if self.pki else 'http'}://127.0.0.1:{self.port}"

    def config(self, **extra: Any) -> EsConfig:
        return EsConfig(url=self.url, user=self.user, password=self.password,
                        ca_certs=str(self.pki.ca) if self.pki else None, **extra)

    def _write_config(self, home: Path) -> None:
        super()._write_config(home)
        config = self.workdir / "config"
        settings = {"xpack.security.enabled": "true", "xpack.security.authc.api_key.enabled": "true"}
        if self.pki:
            for src, name in ((self.pki.server_cert, "http.pem"), (self.pki.server_key, "http.key"),
                              (self.pki.ca, "http-ca.pem")):
                shutil.copyfile(src, config / name)
            settings.update({"xpack.security.http.ssl.enabled": "true",
                             "xpack.security.http.ssl.certificate": "http.pem",
                             "xpack.security.http.ssl.key": "http.key",
                             "xpack.security.http.ssl.certificate_authorities": "http-ca.pem"})
        else:
            settings["xpack.security.http.ssl.enabled"] = "false"
        text = (config / "elasticsearch.yml").read_text().replace("xpack.security.enabled: false\n", "")
        (config / "elasticsearch.yml").write_text(text + "".join(f"{k}: {v}\n" for k, v in settings.items()))
        if not (config / "users").exists() or self.user not in (config / "users").read_text():
            env = {**os.environ, "ES_PATH_CONF": str(config), "ES_JAVA_HOME": str(java_home())}
            env.pop("JAVA_HOME", None)
            proc = subprocess.run([str(home / "bin" / "elasticsearch-users"), "useradd", self.user,
                                   "-p", self.password, "-r", "superuser"],
                                  env=env, capture_output=True, text=True, check=False, timeout=120)
            if proc.returncode != 0:
                raise RuntimeError(f"elasticsearch-users failed: {proc.stdout[-1000:]}{proc.stderr[-1000:]}")

    def healthy(self) -> bool:
        logging.getLogger("elastic_transport").setLevel(logging.ERROR)  # refused connections while it boots
        try:
            with sync_client(self.config(request_timeout=5), max_retries=0) as es:
                health = es.cluster.health(wait_for_status="yellow", timeout="2s")
        except Exception:
            return False
        return health.get("status") in ("yellow", "green")

    def start(self) -> SecureElasticsearch:
        # infra's start() waits on its module-level healthy(), which has no credentials: use ours meanwhile.
        original = es_infra.healthy
        es_infra.healthy = lambda _url: self.healthy()
        try:
            super().start()
        finally:
            es_infra.healthy = original
        return self

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)


def elapsed(since: float) -> float:
    return time.monotonic() - since
