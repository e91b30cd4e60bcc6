"""Running Maven to copy artifacts from Maven Central (or whatever ~/.m2/settings.xml mirrors) into the cache."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from infra.errors import InfraError

POM_DIR = Path(__file__).resolve().parent / "maven"


def copy_dependencies(pom: str, output: Path, properties: dict[str, str]) -> None:
    """`mvn dependency:copy-dependencies` of infra/maven/<pom> into `output`; raises with Maven's output."""
    mvn = shutil.which("mvn")
    if not mvn:
        raise InfraError("Maven (mvn) is not on PATH: it fetches Kafka and Elasticsearch from Maven Central")
    cmd = [
        mvn,
        "-q",
        "-B",
        "-Dstyle.color=never",
        "-f",
        str(POM_DIR / pom),
        "dependency:copy-dependencies",
        "-DincludeScope=runtime",
        f"-DoutputDirectory={output}",
        *(f"-D{key}={value}" for key, value in properties.items()),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-30:])
        raise InfraError(f"mvn failed ({proc.returncode}) fetching {pom}:\n{tail}")
