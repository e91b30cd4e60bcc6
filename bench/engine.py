"""Parse vs engine vs both on a generated charon log, and the serialised state size of open SAs.

Part of `make bench` (`python -m bench.run --only engine`): the engine's own cost, apart from parsing.
The generator: 3 gateways x 100 tunnels with setups, DPD, CHILD_SA rekeys, 10% unreachable peers and
10% refused selectors, so the diagnoses produced are known (checked in `run`).
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

from streams.correlate.engine import Engine
from streams.parse import ParseContext, parse_line


def charon_log(target: int, seed: int = 7) -> Iterator[str]:
    """3 gateways x 100 tunnels: setups, DPD every ~30 s, CHILD_SA rekeys, 10% unreachable, 10% TS refused."""
    rnd = random.Random(seed)
    lines: list[tuple[float, str]] = []
    for g in range(3):
        host, me = f"gw-{g:02d}", f"192.0.2.{10 + g}"

        def at(t: float, th: int, grp: str, msg: str, sa: str, host: str = host) -> None:
            s = int(t)
            lines.append((t, f"Feb  5 {s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d} {host} charon[812]: "
                             f"{th:02d}[{grp}] <{sa}> {msg}"))

        for i in range(100):
            peer, conn, n = f"198.51.{100 + g}.{i + 1}", f"site-{g}-{i}", g * 1000 + i + 1
            sa, t0 = f"{conn}|{n}", rnd.uniform(0, 60)
            at(t0, 9, "IKE", f"initiating IKE_SA {conn}[{n}] to {peer}", sa)
            at(t0, 9, "ENC", "generating IKE_SA_INIT request 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP) ]", sa)
            at(t0, 9, "NET", f"sending packet: from {me}[500] to {peer}[500] (1104 bytes)", sa)
            if i % 10 == 7:
                for k, after in enumerate((4.0, 11.2, 24.2, 47.5, 89.5), start=1):  # charon's default backoff
                    at(t0 + after, 12, "IKE", f"retransmit {k} of request with message ID 0", sa)
                at(t0 + 165.1, 12, "IKE", "giving up after 5 retransmits", sa)
                continue
            at(t0 + 0.1, 11, "NET", f"received packet: from {peer}[500] to {me}[500] (472 bytes)", sa)
            at(t0 + 0.1, 11, "ENC", "parsed IKE_SA_INIT response 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP) ]", sa)
            at(t0 + 0.1, 11, "ENC", "generating IKE_AUTH request 1 [ IDi AUTH SA TSi TSr ]", sa)
            if i % 10 == 8:
                at(t0 + 0.2, 14, "ENC", "parsed IKE_AUTH response 1 [ N(TS_UNACCEPT) ]", sa)
                at(t0 + 0.2, 14, "IKE", "IDr payload missing", sa)
                continue
            at(t0 + 0.2, 14, "ENC", "parsed IKE_AUTH response 1 [ IDr AUTH SA TSi TSr ]", sa)
            at(t0 + 0.2, 14, "IKE", f"IKE_SA {conn}[{n}] established between {me}[{me}]...{peer}[{peer}]", sa)
            at(t0 + 0.2, 14, "IKE", f"CHILD_SA {conn}{{{n}}} established with SPIs c1_i c2_o and TS "
                                    "10.1.0.0/16 === 10.2.0.0/24", sa)
            t, mid = t0 + 30, 2
            while t < 8 * 3600:
                at(t, 3, "IKE", "sending DPD request", sa)
                at(t, 3, "ENC", f"generating INFORMATIONAL request {mid} [ ]", sa)
                at(t, 3, "NET", f"sending packet: from {me}[4500] to {peer}[4500] (80 bytes)", sa)
                at(t + 0.05, 4, "NET", f"received packet: from {peer}[4500] to {me}[4500] (80 bytes)", sa)
                at(t + 0.05, 4, "ENC", f"parsed INFORMATIONAL response {mid} [ ]", sa)
                mid += 1
                if mid % 40 == 0:
                    at(t + 1, 5, "ENC", f"generating CREATE_CHILD_SA request {mid} [ N(REKEY_SA) SA No KE TSi TSr ]", sa)
                    at(t + 1.1, 6, "ENC", f"parsed CREATE_CHILD_SA response {mid} [ SA No KE TSi TSr ]", sa)
                    at(t + 1.1, 6, "IKE", f"CHILD_SA {conn}{{{n + mid * 10000}}} established with SPIs c3_i c4_o "
                                          "and TS 10.1.0.0/16 === 10.2.0.0/24", sa)
                    mid += 1
                t += 30 + rnd.uniform(0, 3)
        lines.sort(key=lambda x: x[0])
        for _, line in lines:
            yield line
            target -= 1
            if target <= 0:
                return
        lines.clear()


def run(tiny: bool) -> dict[str, Any]:
    count = 20_000 if tiny else 1_000_000
    text = list(charon_log(count))
    t0 = time.perf_counter()
    ctx = ParseContext(year=2026)
    events = [parse_line(line, ctx) for line in text]
    t1 = time.perf_counter()
    engine = Engine()
    docs = []
    for i in range(0, len(events), 2048):
        docs += engine.feed(events[i:i + 2048])
        if i == len(events) // 2 // 2048 * 2048:
            sizes = sorted(len(st.to_bytes()) for k in engine.sa_keys() if (st := engine.state(k)) is not None)
    docs += engine.flush()
    t2 = time.perf_counter()
    n = len(text)
    outcomes = Counter((d.outcome, d.failure_class) for d in docs)
    expected = {("success", None), ("failure", "ike.peer_unreachable"), ("failure", "child.ts_unacceptable")}
    return {
        "lines": n,
        "parse_lines_per_s": round(n / (t1 - t0)),
        "engine_lines_per_s": round(n / (t2 - t1)),
        "parse_diagnose_lines_per_s": round(n / (t2 - t0)),
        "state_bytes_per_open_sa": {"sas": len(sizes), "median": sizes[len(sizes) // 2],
                                    "p99": sizes[int(len(sizes) * 0.99)], "max": sizes[-1]},
        "only_expected_classes": set(outcomes) <= expected,  # nothing false on the healthy tunnels
    }
