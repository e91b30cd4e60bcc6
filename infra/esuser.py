"""The unprivileged user Elasticsearch runs as when we are root (it refuses to run as root).

Not root: Elasticsearch runs as us and nothing here does anything. Root: a system user without a home
(TUNNELSIGHT_ES_SYSTEM_USER, default tunnelsight-es) is created once with useradd.
"""

from __future__ import annotations

import os
import pwd
import shutil
import stat
import subprocess
from pathlib import Path

from infra.errors import InfraError

DEFAULT_USER = "tunnelsight-es"


def server_user() -> str | None:
    """The user to run Elasticsearch as, created if needed; None means "as ourselves"."""
    if os.geteuid() != 0:
        return None
    name = os.environ.get("TUNNELSIGHT_ES_SYSTEM_USER", DEFAULT_USER)
    try:
        pwd.getpwnam(name)
        return name
    except KeyError:
        pass
    useradd = shutil.which("useradd") or "/usr/sbin/useradd"
    cmd = [useradd, "--system", "--no-create-home", "--user-group", "--shell", "/usr/sbin/nologin", name]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0 and "already exists" not in proc.stderr:  # a parallel run may have made it
        raise InfraError(
            f"cannot create user {name} for Elasticsearch (it refuses root): {proc.stderr.strip()}"
        )
    return name


def check_reachable(path: Path, user: str) -> None:
    """Fail early, with the fix, when `user` cannot traverse a parent of `path` (e.g. a clone under /root)."""
    for parent in path.resolve().parents:
        mode = parent.stat().st_mode
        if not mode & stat.S_IXOTH and parent.stat().st_uid != pwd.getpwnam(user).pw_uid:
            raise InfraError(
                f"Elasticsearch runs as {user}, who cannot enter {parent}: "
                "leave workdir unset (a folder under the runtime root is used) or set TUNNELSIGHT_RUNTIME"
            )


def chown_tree(path: Path, user: str) -> None:
    entry = pwd.getpwnam(user)
    for item in [path, *path.rglob("*")]:
        os.chown(item, entry.pw_uid, entry.pw_gid, follow_symlinks=False)
