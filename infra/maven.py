"""Running Maven: copying artifacts from Maven Central (or whatever ~/.m2/settings.xml mirrors) into the
cache, and building the one Java project of our own (infra/es-analysis-plugin)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from infra.errors import InfraError

POM_DIR = Path(__file__).resolve().parent / "maven"
_QUIET = ["-q", "-B", "-Dstyle.color=never"]


def copy_dependencies(pom: str, output: Path, properties: dict[str, str]) -> None:
    """`mvn dependency:copy-dependencies` of infra/maven/<pom> into `output`; raises with Maven's output."""
    cmd = [
        _mvn(),
        *_QUIET,
        "-f",
        str(POM_DIR / pom),
        "dependency:copy-dependencies",
        "-DincludeScope=runtime",
        f"-DoutputDirectory={output}",
        *(f"-D{key}={value}" for key, value in properties.items()),
    ]
    _run(cmd, f"fetching {pom}")


def package(project: Path, properties: dict[str, str], java_home: Path) -> None:
    """`mvn package` in `project` (its target/ is written there) with the servers' JDK; raises with Maven's output."""
    cmd = [_mvn(), *_QUIET, "-f", str(project / "pom.xml"), "package",
           *(f"-D{key}={value}" for key, value in properties.items())]
    _run(cmd, f"building {project.name}", env={**os.environ, "JAVA_HOME": str(java_home)})


def _mvn() -> str:
    mvn = shutil.which("mvn")
    if not mvn:
        raise InfraError(
            "Maven (mvn) is not on PATH: it fetches Kafka and Elasticsearch from Maven Central and builds "
            "the Elasticsearch analysis plugin"
        )
    return mvn


def _run(cmd: list[str], what: str, env: dict[str, str] | None = None) -> None:
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, env=env)
    if proc.returncode != 0:
        text = re.sub(r"\x1b\[[0-9;]*m", "", proc.stdout + proc.stderr)  # colour codes, even with -B
        tail = "\n".join(line for line in text.strip().splitlines()[-30:] if line.strip())
        raise InfraError(f"mvn failed ({proc.returncode}) {what}:\n{tail}")
