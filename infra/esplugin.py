"""The analysis plugin of infra/es-analysis-plugin: built with Maven, cached, copied into Elasticsearch's plugins/.

Elasticsearch's security index (API keys, native users) has an `email` analyzer made of `uax_url_email`,
`pattern_capture` and `unique`, which live in the analysis-common module: the integ-test zip leaves that
module out and Maven Central does not publish it, so without this plugin the index cannot be created. The
plugin names three Lucene components already in the zip's lib/ (infra/es-analysis-plugin/README.md).

The build is cached as `.cache/tunnelsight-analysis-<hash>/`, the hash covering the plugin's source and the
Elasticsearch and Lucene versions it is built for: an edit rebuilds it, anything else finds it at once.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from pathlib import Path

from infra import maven
from infra.errors import InfraError
from infra.java import java_home
from infra.paths import cache_dir, locked

NAME = "tunnelsight-analysis"
SOURCE = Path(__file__).resolve().parent / "es-analysis-plugin"
JAR = f"{NAME}.jar"
# Elasticsearch reads the descriptor and the component index from the plugin's folder, not from the jar.
FILES = (JAR, "stable-plugin-descriptor.properties", "named_components.json")


def lucene_version(home: Path) -> str:
    """The Lucene version of an unpacked distribution (what the plugin compiles against)."""
    found = sorted((home / "lib").glob("lucene-core-*.jar"))
    if len(found) != 1:
        raise InfraError(f"expected one lucene-core jar in {home / 'lib'}, found {[p.name for p in found]}")
    return found[0].name.removeprefix("lucene-core-").removesuffix(".jar")


def _sources() -> list[Path]:
    files = [p for p in SOURCE.rglob("*") if p.is_file() and "target" not in p.relative_to(SOURCE).parts]
    if SOURCE / "pom.xml" not in files:
        raise InfraError(f"the plugin's source is missing: no {SOURCE / 'pom.xml'}")
    return sorted(files)


def source_hash(es_version: str, lucene: str) -> str:
    """Digest of the plugin's files (paths and contents) and the versions it is built for."""
    digest = hashlib.sha256(f"{es_version}\0{lucene}\0".encode())
    for path in _sources():
        digest.update(path.relative_to(SOURCE).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def build(es_version: str, lucene: str) -> Path:
    """The folder holding FILES for these versions: from the cache, else built now (`mvn package`)."""
    target = cache_dir() / f"{NAME}-{source_hash(es_version, lucene)}"
    if (target / ".complete").exists():
        return target
    with locked(cache_dir()):
        if (target / ".complete").exists():
            return target
        work = cache_dir() / f"{NAME}.partial"
        shutil.rmtree(work, ignore_errors=True)
        # A copy, so the build never writes into the repository (which may be read-only or shared).
        shutil.copytree(SOURCE, work / NAME, ignore=shutil.ignore_patterns("target"))
        maven.package(work / NAME, {"es.version": es_version, "lucene.version": lucene}, java_home())
        out = work / "plugin"
        out.mkdir()
        shutil.copy2(work / NAME / "target" / JAR, out / JAR)
        for name in FILES[1:]:
            shutil.copy2(work / NAME / "target" / "classes" / name, out / name)
        _check(out)
        shutil.rmtree(target, ignore_errors=True)
        out.rename(target)
        shutil.rmtree(work, ignore_errors=True)
        (target / ".complete").write_text(f"{es_version} {lucene}\n")
    return target


def _check(out: Path) -> None:
    """Every class named_components.json names is in the jar (a renamed class would fail only at index creation)."""
    with zipfile.ZipFile(out / JAR) as jar:
        classes = set(jar.namelist())
    index = json.loads((out / "named_components.json").read_text())
    missing = [cls for names in index.values() for cls in names.values()
               if cls.replace(".", "/") + ".class" not in classes]
    if missing:
        raise InfraError(f"named_components.json names classes the plugin jar lacks: {missing}")


def install(home: Path, es_version: str) -> Path:
    """Put the built plugin into `home`/plugins/ (replacing an older build); a no-op when it is there already."""
    built = build(es_version, lucene_version(home))
    dest = home / "plugins" / NAME
    if _same(built, dest):
        return dest
    with locked(home, ".plugins.lock"):
        if _same(built, dest):
            return dest
        # Staged beside plugins/, not in it: Elasticsearch refuses to start on any folder there that is not
        # a complete plugin (hidden ones too).
        staged = home / f".{NAME}.staged"
        shutil.rmtree(staged, ignore_errors=True)
        staged.mkdir()
        for name in FILES:
            shutil.copyfile(built / name, staged / name)
            (staged / name).chmod(0o644)
        staged.chmod(0o755)  # the server user reads it
        old = home / f".{NAME}.old"
        shutil.rmtree(old, ignore_errors=True)
        if dest.exists():
            dest.rename(old)
        staged.rename(dest)
        shutil.rmtree(old, ignore_errors=True)
    return dest


def _same(built: Path, dest: Path) -> bool:
    try:
        return all((built / n).read_bytes() == (dest / n).read_bytes() for n in FILES) and \
            sorted(p.name for p in dest.iterdir()) == sorted(FILES)
    except OSError:
        return False
