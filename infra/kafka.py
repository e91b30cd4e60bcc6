"""Apache Kafka in KRaft mode (one combined broker + controller on 127.0.0.1), from Maven Central.

`fetch()` copies `org.apache.kafka:kafka_2.13` and its runtime libraries into the cache with Maven;
`KafkaServer` formats a storage directory and runs `kafka.Kafka` on it. TUNNELSIGHT_KAFKA=host:port means
"use that broker, start nothing" (see `from_env`).
"""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path
from types import TracebackType

from infra import maven
from infra.errors import InfraError
from infra.java import java_home
from infra.paths import cache_dir, locked
from infra.process import Handle, free_port, launch, port_open, quiet, tail, wait_ready

VERSION = "4.2.2"
ENV = "TUNNELSIGHT_KAFKA"
# The log cleaner (compacted changelog topics need it) allocates its dedupe buffer at start: keep it small
# and the heap modest, since the same machine runs Elasticsearch and the tests.
DEFAULT_JAVA_OPTS = "-Xms256m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true"

_LOG4J2 = """\
status = warn
appender.out.type = Console
appender.out.name = OUT
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.out.ref = OUT
# The per-request and config dumps drown the start-up story.
logger.config.name = org.apache.kafka.common.config.AbstractConfig
logger.config.level = WARN
logger.request.name = kafka.request.logger
logger.request.level = WARN
"""


def from_env() -> str | None:
    """The external broker TUNNELSIGHT_KAFKA names, if any."""
    return os.environ.get(ENV) or None


def install_dir() -> Path:
    return cache_dir() / f"kafka-{VERSION}"


def fetch() -> Path:
    """Copy the broker's jars into the cache once; later calls return at once (and work offline)."""
    home = install_dir()
    if (home / ".complete").exists():
        return home
    with locked(cache_dir()):
        if (home / ".complete").exists():
            return home
        partial = home.with_name(home.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        maven.copy_dependencies("kafka.pom.xml", partial / "libs", {"kafka.version": VERSION})
        shutil.rmtree(home, ignore_errors=True)
        partial.rename(home)
        (home / ".complete").write_text(VERSION + "\n")
    return home


def healthy(bootstrap: str, timeout_ms: int = 3000) -> bool:
    """True when the broker answers a metadata request and lists an unfenced broker."""
    from kafka.admin import KafkaAdminClient

    with quiet("kafka"):
        try:
            admin = KafkaAdminClient(
                bootstrap_servers=bootstrap, bootstrap_timeout_ms=timeout_ms, request_timeout_ms=timeout_ms
            )
        except Exception:
            return False
        try:
            cluster = admin.describe_cluster()
        except Exception:
            return False
        finally:
            admin.close()
    return any(not b.get("is_fenced") for b in cluster.get("brokers", []))


class KafkaServer:
    """One KRaft broker+controller. Ports default to free ones; workdir defaults to a temp dir removed on stop."""

    def __init__(
        self,
        port: int | None = None,
        controller_port: int | None = None,
        workdir: Path | str | None = None,
        java_opts: str | None = None,
        start_timeout: float = 90.0,
    ) -> None:
        self._fixed_ports = port is not None
        self.port = port or free_port()
        self.controller_port = controller_port or free_port()
        self._ephemeral = workdir is None
        self.workdir = Path(workdir) if workdir else Path(tempfile.mkdtemp(prefix="tunnelsight-kafka-"))
        self.java_opts = java_opts or os.environ.get("TUNNELSIGHT_KAFKA_JAVA_OPTS") or DEFAULT_JAVA_OPTS
        self.start_timeout = start_timeout
        self.handle: Handle | None = None

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def log(self) -> Path:
        return self.workdir / "kafka.log"

    def start(self) -> KafkaServer:
        """Format storage if new, launch, wait until it answers metadata requests; raise with the log tail."""
        home = fetch()
        for attempt in range(3):
            for port in (self.port, self.controller_port):
                if port_open("127.0.0.1", port):
                    if self._fixed_ports:
                        raise InfraError(
                            f"port {port} is already in use: is a Kafka running? (python -m infra status)"
                        )
                    break
            else:
                try:
                    self._start_once(home)
                    return self
                except InfraError:
                    if self._fixed_ports or attempt == 2 or "Address already in use" not in tail(self.log):
                        raise
            self.port, self.controller_port = free_port(), free_port()  # lost a race for the port: new ones
        raise InfraError("could not find free ports for Kafka")

    def _start_once(self, home: Path) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        props = self._write_config()
        java = str(java_home() / "bin" / "java")
        classpath = str(home / "libs" / "*")
        if not (self.workdir / "data" / "meta.properties").exists():
            self._format(java, classpath, props)
        cmd = [
            java,
            *self.java_opts.split(),
            f"-Dlog4j2.configurationFile=file:{self.workdir / 'log4j2.properties'}",
            "-cp",
            classpath,
            "kafka.Kafka",
            str(props),
        ]
        self.handle = launch(cmd, self.log, cwd=self.workdir)
        wait_ready("Kafka", self.handle, lambda: healthy(self.bootstrap), self.start_timeout)

    def _write_config(self) -> Path:
        data = self.workdir / "data"
        settings = {
            "process.roles": "broker,controller",
            "node.id": "1",
            "controller.quorum.voters": f"1@127.0.0.1:{self.controller_port}",
            "listeners": f"PLAINTEXT://127.0.0.1:{self.port},CONTROLLER://127.0.0.1:{self.controller_port}",
            "advertised.listeners": f"PLAINTEXT://127.0.0.1:{self.port}",
            "controller.listener.names": "CONTROLLER",
            "inter.broker.listener.name": "PLAINTEXT",
            "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
            "log.dirs": str(data),
            # One node: internal topics cannot have more replicas than that.
            "offsets.topic.replication.factor": "1",
            "transaction.state.log.replication.factor": "1",
            "transaction.state.log.min.isr": "1",
            "share.coordinator.state.topic.replication.factor": "1",
            "share.coordinator.state.topic.min.isr": "1",
            # A consumer group with one member should not wait 3 s for others (tests restart workers).
            "group.initial.rebalance.delay.ms": "0",
            "log.cleaner.dedupe.buffer.size": str(32 * 1024 * 1024),
            "num.partitions": "1",
            "auto.create.topics.enable": "true",
        }
        props = self.workdir / "server.properties"
        props.write_text("".join(f"{k}={v}\n" for k, v in settings.items()))
        (self.workdir / "log4j2.properties").write_text(_LOG4J2)
        return props

    def _format(self, java: str, classpath: str, props: Path) -> None:
        # Like Kafka's Uuid.randomUuid(): never a leading "-", which the tool's parser takes for an option.
        cluster_id = "-"
        while cluster_id.startswith("-"):
            cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        cmd = [
            java,
            "-Xmx256m",
            f"-Dlog4j2.configurationFile=file:{self.workdir / 'log4j2.properties'}",
            "-cp",
            classpath,
            "kafka.tools.StorageTool",
            "format",
            f"--cluster-id={cluster_id}",
            "-c",
            str(props),
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            raise InfraError(
                f"formatting Kafka storage in {self.workdir} failed:\n{(proc.stdout + proc.stderr)[-3000:]}"
            )

    def stop(self, timeout: float = 30.0) -> None:
        """Controlled shutdown on SIGTERM; SIGKILL after `timeout`. Removes a temp workdir."""
        if self.handle is not None:
            self.handle.stop(timeout)
            self.handle = None
        if self._ephemeral:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> KafkaServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
