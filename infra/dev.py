"""Servers left running between commands (`make infra-up`, `tunnelsight demo` with KEEP=1).

Each is described by a JSON file in `.cache/run/` (pid, address, workdir, log) so a later `python -m infra
stop` or `status` finds it. Data persists across up/down: Kafka's in `.cache/run/kafka/`, Elasticsearch's
under the runtime root (its server user must reach it). Environment overrides win over everything here.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

from infra import elasticsearch, kafka
from infra.errors import InfraError
from infra.paths import run_dir, runtime_root
from infra.process import Handle, port_open

SERVERS = ("kafka", "elasticsearch")
DEFAULT_PORTS = {"kafka": 9092, "elasticsearch": 9200}


@dataclass
class Endpoint:
    """Where a server answers, and whether we started it (`started`), found it running, or took it from env."""

    name: str
    address: str
    source: str  # "env", "running" or "started"
    pid: int | None = None
    log: str | None = None
    workdir: str | None = None

    def export_line(self) -> str:
        var = kafka.ENV if self.name == "kafka" else elasticsearch.ENV
        return f"export {var}={self.address}"


def from_env(name: str) -> str | None:
    return kafka.from_env() if name == "kafka" else elasticsearch.from_env()


def healthy(name: str, address: str) -> bool:
    return kafka.healthy(address) if name == "kafka" else elasticsearch.healthy(address)


def fetch(name: str) -> Path:
    """Download (and for Elasticsearch unpack) once; the environment override skips it."""
    return kafka.fetch() if name == "kafka" else elasticsearch.install()


def running(name: str) -> Endpoint | None:
    """The server a state file describes, if its process is still alive."""
    state = _state_file(name)
    if not state.exists():
        return None
    data = json.loads(state.read_text())
    data["source"] = "running"
    endpoint = Endpoint(**data)
    if endpoint.pid and _handle(endpoint).alive() and _MARKERS[name] in _cmdline(endpoint.pid):
        return endpoint
    state.unlink(missing_ok=True)  # left over from a reboot or a kill
    return None


def up(name: str, port: int | None = None) -> Endpoint:
    """The env override, else the running dev server, else a new one on the default port (or a free one)."""
    external = from_env(name)
    if external:
        return Endpoint(name, external, "env")
    found = running(name)
    if found:
        return found
    if port is None and not port_open("127.0.0.1", DEFAULT_PORTS[name]):
        port = DEFAULT_PORTS[name]
    if name == "kafka":
        broker = kafka.KafkaServer(port=port, workdir=_workdir(name)).start()
        handle, address, log = broker.handle, broker.bootstrap, broker.log
    else:
        cluster = elasticsearch.ElasticsearchServer(port=port, workdir=_workdir(name)).start()
        handle, address, log = cluster.handle, cluster.url, cluster.log
    assert handle is not None
    endpoint = Endpoint(name, address, "started", handle.pid, str(log), str(_workdir(name)))
    state = asdict(endpoint)
    del state["source"]
    _state_file(name).write_text(json.dumps(state, indent=2) + "\n")
    return endpoint


def down(name: str) -> bool:
    """Stop the dev server if one runs; True if something was stopped."""
    found = running(name)
    if found is None:
        return False
    _handle(found).stop(timeout=60)
    _state_file(name).unlink(missing_ok=True)
    return True


def reset(name: str) -> None:
    """Forget a stopped dev server's data (the next `up` starts empty)."""
    if running(name):
        raise InfraError(f"{name} is running: stop it first")
    shutil.rmtree(_workdir(name), ignore_errors=True)


def _workdir(name: str) -> Path:
    return run_dir() / "kafka" if name == "kafka" else runtime_root() / "elasticsearch-dev"


def _handle(endpoint: Endpoint) -> Handle:
    assert endpoint.pid is not None
    return Handle(endpoint.pid, Path(endpoint.log or os.devnull))


_MARKERS = {"kafka": "kafka.Kafka", "elasticsearch": "elasticsearch"}  # a reused pid is not our server


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _state_file(name: str) -> Path:
    return run_dir() / f"{name}.json"
