"""Benchmark load: simulated fleets written once per shape and reused (cached under .cache/bench)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

CACHE = Path(".cache") / "bench"
VENDORS = ("strongswan", "libreswan", "cisco_ios", "cisco_asa", "fortigate", "paloalto", "juniper",
           "meraki", "mikrotik")


def simulated(name: str, *, gateways: int, peers: int, duration: str, vendors: str | None = None,
              seed: int = 7) -> Path:
    """A merged, time-ordered log of a simulated fleet; generated on first use."""
    out = CACHE / f"{name}-g{gateways}-p{peers}-{duration}-s{seed}.log"
    if out.exists() and out.stat().st_size > 0:
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "streams.cli", "simulate", "--gateways", str(gateways), "--peers", str(peers),
           "--duration", duration, "--seed", str(seed), "--merged", str(out), "--out", str(out.with_suffix(""))]
    if vendors:
        cmd += ["--vendors", vendors]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return out


def lines_of(path: Path, limit: int | None = None) -> list[bytes]:
    with path.open("rb") as fh:
        if limit is None:
            return fh.readlines()
        out = []
        for line in fh:
            out.append(line)
            if len(out) >= limit:
                break
        return out
