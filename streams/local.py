"""Run a worker as a child process on this machine: for the demo, the end-to-end tests and benchmarks.

The worker is the real `tunnelsight worker` (a Faust worker), configured only through its environment.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LocalWorker:
    env: dict[str, str]
    log: Path
    proc: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @classmethod
    def configure(cls, workdir: Path, *, kafka: str, es: str, prefix: str, partitions: int = 4,
                  store: str = "rocksdb://", extra: dict[str, str] | None = None) -> LocalWorker:
        workdir.mkdir(parents=True, exist_ok=True)
        env = {
            **os.environ,
            "TUNNELSIGHT_KAFKA": kafka,
            "TUNNELSIGHT_ES": es,
            "TUNNELSIGHT_TOPIC_PREFIX": prefix,
            "TUNNELSIGHT_INDEX_PREFIX": prefix,
            "TUNNELSIGHT_APP_ID": prefix,
            "TUNNELSIGHT_PARTITIONS": str(partitions),
            "TUNNELSIGHT_STORE": store,
            "TUNNELSIGHT_DATADIR": str(workdir / "data"),
            "TUNNELSIGHT_WEB_PORT": str(free_port()),
            "TUNNELSIGHT_IDLE_FLUSH_S": "3",
            **(extra or {}),
        }
        return cls(env=env, log=workdir / "worker.log")

    @property
    def metrics_url(self) -> str:
        return f"http://127.0.0.1:{self.env['TUNNELSIGHT_WEB_PORT']}/metrics"

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "streams.cli", "worker", "--loglevel", self.env.get("TUNNELSIGHT_LOGLEVEL", "info")],
                env=self.env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout: float = 60.0) -> None:
        if not self.alive():
            return
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def kill(self) -> None:
        if self.alive():
            assert self.proc is not None
            self.proc.kill()
            self.proc.wait()

    def tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def wait_until(check: Callable[[], bool], timeout: float, interval: float = 0.5,
               alive: Callable[[], bool] = lambda: True) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        if not alive():
            return False
        time.sleep(interval)
    return check()
