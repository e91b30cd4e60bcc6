"""Server processes: free ports, launching in their own process group, waiting for health, stopping.

A server runs in a new session so that stopping it signals the whole group (Elasticsearch's launcher JVM and
the server JVM it forks) and so that a developer's Ctrl-C reaches pytest, whose fixtures then stop it in order.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from infra.errors import InfraError


@contextlib.contextmanager
def quiet(logger: str, level: int = logging.CRITICAL) -> Iterator[None]:
    """Silence a client library while polling a server that is still booting (refusals are expected)."""
    log = logging.getLogger(logger)
    before = log.level
    log.setLevel(level)
    try:
        yield
    finally:
        log.setLevel(before)


def free_port() -> int:
    """A port nothing listens on now; the OS hands out ephemeral ports in turn, so parallel runs rarely clash."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_open(host: str, port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.5):
        return True
    return False


def tail(path: Path, lines: int = 40) -> str:
    """The last lines of a log, for error messages."""
    try:
        with path.open("rb") as fh:
            fh.seek(0, os.SEEK_END)
            fh.seek(max(0, fh.tell() - 64 * 1024))
            text = fh.read().decode(errors="replace")
    except OSError:
        return f"(no log at {path})"
    return "\n".join(text.splitlines()[-lines:])


@dataclass
class Handle:
    """A running server process (our child, or one started by an earlier `python -m infra start`)."""

    pid: int
    log: Path
    proc: subprocess.Popen[bytes] | None = field(default=None, repr=False, compare=False)

    def alive(self) -> bool:
        if self.proc is not None:
            return self.proc.poll() is None  # also reaps it
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return not _zombie(self.pid)

    def stop(self, timeout: float = 30.0) -> None:
        """SIGTERM to the group (servers shut down cleanly on it), SIGKILL whatever is left after `timeout`."""
        self._signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive():
                break
            time.sleep(0.2)
        self._signal(signal.SIGKILL)  # also the group's stragglers once the leader is gone
        for _ in range(50):
            if not self.alive():
                return
            time.sleep(0.1)

    def _signal(self, sig: signal.Signals) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, sig)  # the pid leads its own group: we started it with a new session


def _zombie(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] == "Z"


def launch(
    cmd: Sequence[str],
    log: Path,
    *,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    user: str | None = None,
) -> Handle:
    """Start `cmd` detached from our terminal, stdout and stderr appended to `log`."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as out:
        proc = subprocess.Popen(
            list(cmd),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=cwd,
            start_new_session=True,
            user=user,
            group=_group_of(user),
            extra_groups=[] if user else None,
        )
    return Handle(proc.pid, log, proc)


def _group_of(user: str | None) -> int | None:
    if user is None:
        return None
    import pwd

    return pwd.getpwnam(user).pw_gid


def wait_ready(name: str, handle: Handle, ready: Callable[[], bool], timeout: float) -> None:
    """Poll `ready` until it holds; raise with the log tail if the process dies or time runs out."""
    deadline = time.monotonic() + timeout
    while True:
        if not handle.alive():
            raise InfraError(
                f"{name} exited during start-up; last lines of {handle.log}:\n{tail(handle.log)}"
            )
        if ready():
            return
        if time.monotonic() > deadline:
            handle.stop(timeout=10)
            raise InfraError(
                f"{name} not ready after {timeout:.0f}s; last lines of {handle.log}:\n{tail(handle.log)}"
            )
        time.sleep(0.5)
