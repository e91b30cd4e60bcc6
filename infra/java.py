"""Finding the JDK the servers run on: TUNNELSIGHT_JAVA_HOME, else JAVA_HOME, else `java` on PATH.

Kafka 4.x brokers and Elasticsearch 8.19 both need Java 17 or newer; the integ-test zip ships no JDK.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from infra.errors import InfraError

MIN_VERSION = 17


def java_home() -> Path:
    """The JDK home to run servers with, checked to be new enough."""
    for var in ("TUNNELSIGHT_JAVA_HOME", "JAVA_HOME"):
        value = os.environ.get(var)
        if value:
            home = Path(value)
            if not (home / "bin" / "java").exists():
                raise InfraError(f"{var}={value} has no bin/java")
            break
    else:
        found = shutil.which("java")
        if not found:
            raise InfraError("no Java: install a JDK 17+ or set TUNNELSIGHT_JAVA_HOME")
        home = Path(found).resolve().parent.parent
    version = java_version(home)
    if version is not None and version < MIN_VERSION:
        raise InfraError(
            f"Java {version} at {home} is too old: the servers need {MIN_VERSION}+ (TUNNELSIGHT_JAVA_HOME)"
        )
    return home


def java_version(home: Path) -> int | None:
    """Feature version from the JDK's `release` file (no JVM start); None when the file is absent."""
    try:
        text = (home / "release").read_text()
    except OSError:
        return None
    match = re.search(r'JAVA_VERSION="(?:1\.)?(\d+)', text)
    return int(match.group(1)) if match else None
