"""Elasticsearch (single node, security off, 127.0.0.1) from the integ-test zip Elastic publishes on Maven Central.

That distribution carries only the server, transport-netty4, x-pack-core/security and apm: no rest-root
(`GET /` answers 405, so health is `_cluster/health`), ingest pipelines, painless, data streams, ILM or
mapper-extras. docs/infra.md says how the index design lives with that. Its security index needs three
analysis components it also lacks: infra.esplugin builds them as a small plugin (infra/es-analysis-plugin)
that `install()` puts into every install's plugins/ (it adds no measurable start-up time).

TUNNELSIGHT_ES=http(s)://... (with TUNNELSIGHT_ES_API_KEY) means "use that cluster, start nothing".
Elasticsearch refuses to run as root: as root we run it as a system user (see infra.esuser), from a copy
under `paths.runtime_root()` which that user can reach.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
import zipfile
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from infra import esplugin, maven
from infra.errors import InfraError
from infra.esuser import check_reachable, chown_tree, server_user
from infra.java import java_home
from infra.paths import cache_dir, locked, runtime_root
from infra.process import Handle, free_port, launch, port_open, quiet, wait_ready

if TYPE_CHECKING:
    from elasticsearch import Elasticsearch

VERSION = "8.19.21"
ENV = "TUNNELSIGHT_ES"
API_KEY_ENV = "TUNNELSIGHT_ES_API_KEY"
DEFAULT_JAVA_OPTS = "-Xms512m -Xmx512m"


def from_env() -> str | None:
    """The external cluster TUNNELSIGHT_ES names, if any."""
    return os.environ.get(ENV) or None


def client(url: str | None = None, **kwargs: object) -> Elasticsearch:
    """A client for `url` (default: TUNNELSIGHT_ES), with TUNNELSIGHT_ES_API_KEY when set."""
    from elasticsearch import Elasticsearch

    target = url or from_env()
    if not target:
        raise InfraError(f"no Elasticsearch URL: pass one or set {ENV}")
    api_key = os.environ.get(API_KEY_ENV)
    options: dict[str, object] = {"request_timeout": 30}
    if api_key:
        options["api_key"] = api_key
    options.update(kwargs)
    return Elasticsearch(target, **options)  # type: ignore[arg-type]


def healthy(url: str) -> bool:
    """True when the cluster reports yellow or green (`es.info()` needs rest-root, which the zip lacks)."""
    with quiet("elastic_transport"):
        try:
            with client(url, request_timeout=5, max_retries=0) as es:
                health = es.cluster.health(wait_for_status="yellow", timeout="2s")
        except Exception:
            return False
    return health.get("status") in ("yellow", "green")


def zip_path() -> Path:
    return cache_dir() / f"elasticsearch-{VERSION}.zip"


def fetch() -> Path:
    """Copy the distribution zip into the cache once (from ~/.m2 or Maven Central); later calls return at once."""
    target = zip_path()
    if target.exists():
        return target
    with locked(cache_dir()):
        if target.exists():
            return target
        partial = cache_dir() / f"elasticsearch-{VERSION}.partial"
        shutil.rmtree(partial, ignore_errors=True)
        maven.copy_dependencies(
            "elasticsearch.pom.xml", partial, {"es.version": VERSION, "excludeTransitive": "true"}
        )
        found = list(partial.glob("*.zip"))
        if len(found) != 1:
            raise InfraError(f"expected one zip from Maven in {partial}, found {found}")
        found[0].rename(target)
        shutil.rmtree(partial, ignore_errors=True)
    return target


def install() -> Path:
    """Unpack the zip under the runtime root once (world-readable so the server user can run it) and put
    the analysis plugin (infra.esplugin: built once per source, cached) into its plugins/."""
    home = _unpacked()
    esplugin.install(home, VERSION)
    return home


def _unpacked() -> Path:
    home = runtime_root() / f"elasticsearch-{VERSION}"
    if (home / ".complete").exists():
        return home
    archive = fetch()
    with locked(runtime_root()):
        if (home / ".complete").exists():
            return home
        partial = home.with_name(home.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        _unzip(archive, partial)
        shutil.rmtree(home, ignore_errors=True)
        partial.rename(home)
        (home / ".complete").write_text(VERSION + "\n")
    return home


def _unzip(archive: Path, dest: Path) -> None:
    """Extract keeping the executable bits (zipfile drops them), stripping the top-level folder."""
    with zipfile.ZipFile(archive) as zf:
        for info in zf.infolist():
            parts = Path(info.filename).parts[1:]
            if not parts:
                continue
            out = dest.joinpath(*parts)
            if info.is_dir():
                out.mkdir(parents=True, exist_ok=True)
                continue
            out.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as src, out.open("wb") as dst:
                shutil.copyfileobj(src, dst)
            executable = (info.external_attr >> 16) & stat.S_IXUSR
            out.chmod(0o755 if executable else 0o644)
    for path in [dest, *dest.rglob("*")]:
        if path.is_dir():
            path.chmod(0o755)


class ElasticsearchServer:
    """One single-node cluster. Port defaults to a free one; workdir (config, data, logs) to a temp dir
    under the runtime root, removed on stop."""

    def __init__(
        self,
        port: int | None = None,
        workdir: Path | str | None = None,
        java_opts: str | None = None,
        start_timeout: float = 180.0,
    ) -> None:
        self._fixed_port = port is not None
        self.port = port or free_port()
        self._ephemeral = workdir is None
        self.workdir = Path(workdir) if workdir else Path(tempfile.mkdtemp(prefix="es-", dir=runtime_root()))
        self.java_opts = java_opts or os.environ.get("TUNNELSIGHT_ES_JAVA_OPTS") or DEFAULT_JAVA_OPTS
        self.start_timeout = start_timeout
        self.handle: Handle | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log(self) -> Path:
        return self.workdir / "logs" / "console.log"

    def start(self) -> ElasticsearchServer:
        """Lay out config/data/logs, launch as the server user, wait for yellow; raise with the log tail."""
        home = install()
        if port_open("127.0.0.1", self.port):
            if self._fixed_port:
                raise InfraError(
                    f"port {self.port} is already in use: is an Elasticsearch running? (python -m infra status)"
                )
            self.port = free_port()
        user = server_user()
        self.workdir.mkdir(parents=True, exist_ok=True)
        if user:
            check_reachable(self.workdir, user)
        self._write_config(home)
        if user:
            chown_tree(self.workdir, user)
        # ES_JAVA_HOME, not JAVA_HOME: with JAVA_HOME set the launcher looks for a bundled jdk/ (absent here).
        env = {k: v for k, v in os.environ.items() if k != "JAVA_HOME"}
        env.update(
            ES_JAVA_HOME=str(java_home()),
            ES_PATH_CONF=str(self.workdir / "config"),
            ES_JAVA_OPTS=self.java_opts,
            ES_TMPDIR=str(self.workdir / "tmp"),
            HOME=str(self.workdir),
        )
        self.handle = launch(
            [str(home / "bin" / "elasticsearch")], self.log, env=env, cwd=self.workdir, user=user
        )
        wait_ready("Elasticsearch", self.handle, lambda: healthy(self.url), self.start_timeout)
        return self

    def _write_config(self, home: Path) -> None:
        config = self.workdir / "config"
        shutil.copytree(home / "config", config, dirs_exist_ok=True)
        for sub in ("data", "logs", "tmp"):
            (self.workdir / sub).mkdir(exist_ok=True)
        settings = {
            "cluster.name": "tunnelsight",
            "node.name": "tunnelsight-1",
            "network.host": "127.0.0.1",
            "http.port": str(self.port),
            "transport.port": str(free_port()),
            "discovery.type": "single-node",
            "xpack.security.enabled": "false",
            "path.data": str(self.workdir / "data"),
            "path.logs": str(self.workdir / "logs"),
            # A nearly full CI disk must not turn indices read-only halfway through a test run.
            "cluster.routing.allocation.disk.threshold_enabled": "false",
        }
        (config / "elasticsearch.yml").write_text("".join(f"{k}: {v}\n" for k, v in settings.items()))

    def stop(self, timeout: float = 60.0) -> None:
        """SIGTERM (the launcher stops the server JVM), SIGKILL after `timeout`. Removes a temp workdir."""
        if self.handle is not None:
            self.handle.stop(timeout)
            self.handle = None
        if self._ephemeral:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> ElasticsearchServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
