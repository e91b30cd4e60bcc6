"""Where infra keeps downloads (the cache), unpacked installs and server state.

The cache is `<repo>/.cache` (git-ignored) unless TUNNELSIGHT_CACHE says otherwise. Servers that run as another
user (Elasticsearch when we are root) need a directory that user can reach, and a clone under /root is not:
their runtime copies live under the system temp dir instead, in a folder named after the cache path so two
clones never share one.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def cache_dir() -> Path:
    """Downloads (Maven output) and developer-server state; survives `make clean`."""
    override = os.environ.get("TUNNELSIGHT_CACHE")
    path = Path(override).expanduser() if override else REPO_ROOT / ".cache"
    path.mkdir(parents=True, exist_ok=True)
    return path.resolve()


def run_dir() -> Path:
    """State of the servers `python -m infra start` leaves running (`make infra-up`)."""
    path = cache_dir() / "run"
    path.mkdir(parents=True, exist_ok=True)
    return path


def runtime_root() -> Path:
    """Unpacked installs and data of servers that may run as another user (TUNNELSIGHT_RUNTIME overrides).

    Root: a world-traversable folder under /var/tmp (kept across reboots, unlike /tmp). Anyone else: the cache.
    """
    override = os.environ.get("TUNNELSIGHT_RUNTIME")
    if override:
        path = Path(override).expanduser()
    elif os.geteuid() == 0:
        digest = hashlib.sha256(str(cache_dir()).encode()).hexdigest()[:12]
        base = Path("/var/tmp") if Path("/var/tmp").is_dir() else Path(tempfile.gettempdir())
        path = base / f"tunnelsight-{digest}"
    else:
        path = cache_dir() / "runtime"
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(0o755)
    return path.resolve()


@contextlib.contextmanager
def locked(directory: Path, name: str = ".lock") -> Iterator[None]:
    """Serialise fetch/unpack between concurrent runs (two `make test` at once share one cache)."""
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / name).open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
