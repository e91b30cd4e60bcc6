"""Render a bench/results/*.json as the Markdown tables of docs/benchmarks.md.

    python -m bench.report bench/results/<run>.json > docs/benchmarks-table.md
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def _n(x: Any) -> str:
    return f"{x:,}" if isinstance(x, int) else str(x)


def render(r: dict[str, Any]) -> str:
    m = r["machine"]
    out = [f"Run {r['when']} on {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB, Python {m['python']}, "
           f"commit {m['commit']}{' (tiny)' if r.get('tiny') else ''}.", ""]
    if "offline" in r:
        out += ["### Offline, one core (lines/s)", "", "| input | lines | parse | parse + diagnose |", "|---|---:|---:|---:|"]
        for vendor, v in r["offline"]["per_vendor"].items():
            out.append(f"| {vendor} | {_n(v['lines'])} | {_n(v['parse_lines_per_s'])} | {_n(v['parse_diagnose_lines_per_s'])} |")
        mx = r["offline"]["mixed"]
        out += [f"| **mixed fleet** | {_n(mx['lines'])} | {_n(mx['parse_lines_per_s'])} | {_n(mx['parse_diagnose_lines_per_s'])} |", ""]
    if "engine" in r:
        e = r["engine"]
        s = e["state_bytes_per_open_sa"]
        out += ["### Engine alone (generated charon log)", "",
                f"{_n(e['lines'])} lines: parse {_n(e['parse_lines_per_s'])}/s, engine {_n(e['engine_lines_per_s'])}/s, "
                f"both {_n(e['parse_diagnose_lines_per_s'])}/s; serialised state per open SA median {s['median']} B, "
                f"max {s['max']} B over {s['sas']} SAs.", ""]
    if "e2e" in r:
        e = r["e2e"]
        out += ["### End to end on the real servers", "",
                f"{_n(e['lines'])} lines; offline `diagnose` on the same lines: {_n(e['offline_lines_per_s'])} lines/s.", "",
                "| run | lines | records | bare consumer lines/s | stream lines/s | stream → all indexed lines/s | stream/offline | stream/bare consumer | worker CPU µs/line |",
                "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for name in ("batched", "batched_in_process", "two_workers", "one_line_per_record"):
            if name in e:
                x = e[name]
                out.append(f"| {name} | {_n(x['lines'])} | {_n(x['records'])} | {_n(x['bare_consume_lines_per_s'])} | "
                           f"{_n(x['stream_lines_per_s'])} | {_n(x['stream_indexed_lines_per_s'])} | "
                           f"{x['ratio_stream_to_offline']} | {x['ratio_stream_to_bare_consume']} | "
                           f"{x.get('worker_cpu_us_per_line', '')} |")
        out.append("")
    if "state" in r:
        st = r["state"]
        mem = st["memory"]
        out += ["### State", "", f"{_n(mem['open_sas'])} open SAs: {mem['serialised_bytes_per_sa']} B serialised per SA, "
                f"{mem['engine_heap_bytes_per_sa']} B of Python heap per SA in the engine."]
        if "recovery" in st:
            rec = st["recovery"]
            out.append(f"Recovery of a worker with {_n(rec['open_sas'])} open SAs from its changelog (local state deleted): "
                       f"{rec['recovery_seconds_incl_worker_start']} s including worker start.")
        out.append("")
    if "sink" in r:
        sk = r["sink"]
        out += ["### Elasticsearch sink", "", f"{_n(sk.get('documents', 0))} diagnosis documents in bulks of "
                f"{sk.get('bulk_size')}: {_n(sk.get('documents_per_s', 0))} documents/s.", ""]
    return "\n".join(out)


if __name__ == "__main__":
    print(render(json.loads(Path(sys.argv[1]).read_text())))
