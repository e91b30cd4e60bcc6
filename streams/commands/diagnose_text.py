"""The `--format text` report of `tunnelsight diagnose`: diagnoses grouped by tunnel, for people.

One block per gateway + peer, failures with their reason, deciding lines and the fix, established
periods with uptime and rekeys; then the tunnels seen from both ends; then what was read.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Mapping
from typing import Any, TextIO

from schemas.docpath import get_path

Doc = dict[str, Any]

# Log lines are data: what they carry reaches a terminal escaped (ESC, BEL, CR, C1 controls, bidi overrides).
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` with every control character but newline and tab shown as its escape (`\\x1b`)."""
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)



def _when(iso: str | None) -> str:
    return iso.replace("T", " ").rstrip("Z") if iso else "?"


def _span(start: str | None, end: str | None) -> str:
    """`2026-02-05 21:29:52 .. 21:29:53`: the end's date only when it differs."""
    a, b = _when(start), _when(end)
    if a[:10] == b[:10] and a != "?":
        b = b[11:]
    return a if a == b else f"{a} .. {b}"


def _duration(seconds: float) -> str:
    s = int(seconds)
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m{s % 60:02d}s"
    if s < 86400:
        return f"{s // 3600}h{s % 3600 // 60:02d}m"
    return f"{s // 86400}d{s % 86400 // 3600:02d}h"


def _tunnel_title(doc: Doc) -> str:
    host = get_path(doc, "observer.hostname") or "?"
    peer = get_path(doc, "vpn.remote.ip") or get_path(doc, "vpn.remote.id") or "peer ?"
    local = get_path(doc, "vpn.local.ip")
    parts = [f"{host}{f' ({local})' if local else ''} -> {peer}"]
    if get_path(doc, "vpn.connection"):
        parts.append(f"connection {get_path(doc, 'vpn.connection')}")
    parts.append(get_path(doc, "observer.vendor") or "?")
    return ", ".join(parts)


def _ike_line(doc: Doc) -> str:
    bits = [f"phase {get_path(doc, 'vpn.phase')}"]
    version, role, exchange = (get_path(doc, f"vpn.ike.{k}") for k in ("version", "role", "exchange"))
    if version:
        bits.append(f"IKEv{version}")
    if role:
        bits.append(role)
    if exchange:
        bits.append(f"in {exchange}")
    if get_path(doc, "vpn.child.name"):
        bits.append(f"CHILD_SA {get_path(doc, 'vpn.child.name')}")
    attempts = get_path(doc, "vpn.attempts") or 1
    bits.append(f"{attempts} attempt{'s' if attempts != 1 else ''}")
    return ", ".join(bits)


def _failure(doc: Doc, out: TextIO, indent: str = "  ") -> None:
    f = get_path(doc, "vpn.failure")
    flap = "  [FLAPPING]" if get_path(doc, "vpn.flapping") else ""
    out.write(f"{indent}FAILED  {_span(get_path(doc, 'event.start'), get_path(doc, 'event.end'))}  "
              f"{f['class']}  (confidence {f['confidence']:.2f}, rule {f['rule']}){flap}\n")
    pad = indent + "        "
    out.write(f"{pad}{_ike_line(doc)}\n")
    out.write(f"{pad}why: {f['reason']}\n")
    evidence = get_path(doc, "vpn.evidence") or []
    if evidence:
        out.write(f"{pad}evidence:\n")
        for line in evidence:
            out.write(f"{pad}  | {line}\n")
    fix = get_path(doc, "vpn.remediation") or {}
    if fix.get("summary"):
        out.write(f"{pad}fix: {fix['summary']}\n")
        for step in fix.get("steps", []):
            out.write(f"{pad}  - {step}\n")


def _success(doc: Doc, out: TextIO) -> None:
    uptime = float(get_path(doc, "vpn.uptime") or 0.0)
    rekeys = get_path(doc, "vpn.rekeys") or 0
    flap = "  [FLAPPING]" if get_path(doc, "vpn.flapping") else ""
    still = " (still up at end of input)" if get_path(doc, "tunnelsight.episode.closed_by") == "flush" else ""
    out.write(f"  UP      {_when(get_path(doc, 'event.start'))}  for {_duration(uptime)}{still}, "
              f"{rekeys} rekey{'s' if rekeys != 1 else ''}{flap}\n")
    children = get_path(doc, "vpn.children") or []
    if children:
        listed = ", ".join(f"{c['name']} ({c['status']}, {c['rekeys']} rekeys)" for c in children)
        out.write(f"          phase 2: {listed}\n")


def render(docs: list[Doc], stats: Mapping[str, int], out: TextIO) -> None:
    """The report; everything taken from log lines is escaped for the terminal (see `printable`)."""
    buf = io.StringIO()
    _render(docs, stats, buf)
    out.write(printable(buf.getvalue()))


def _render(docs: list[Doc], stats: Mapping[str, int], out: TextIO) -> None:
    tunnels: dict[tuple[str, str], list[Doc]] = {}
    joined: list[Doc] = []
    for doc in docs:
        if get_path(doc, "vpn.tunnel.ends"):
            joined.append(doc)
            continue
        key = (get_path(doc, "observer.hostname") or "", get_path(doc, "vpn.remote.ip")
               or get_path(doc, "vpn.connection") or "")
        tunnels.setdefault(key, []).append(doc)
    outcomes = Counter(doc["event"]["outcome"] for doc in docs if not get_path(doc, "vpn.tunnel.ends"))
    for key in sorted(tunnels):
        group = sorted(tunnels[key], key=lambda d: get_path(d, "event.start") or "")
        out.write(_tunnel_title(group[0]) + "\n")
        for doc in group:
            if doc["event"]["outcome"] == "failure":
                _failure(doc, out)
            else:
                _success(doc, out)
        out.write("\n")
    if joined:
        out.write("Seen from both ends\n")
        for doc in joined:
            ends = get_path(doc, "vpn.tunnel.ends")
            names = " <-> ".join(f"{e.get('hostname', '?')} ({e.get('role', '?')}, {e.get('ip', '?')})" for e in ends)
            out.write(f"  {names}\n")
            _failure(doc, out, indent="    ")
        out.write("\n")
    lines = stats.get("lines", 0)
    skipped = stats.get("unrecognized", 0) + stats.get("parse_error", 0)
    out.write(f"{len(tunnels)} tunnel{'s' if len(tunnels) != 1 else ''}: {outcomes.get('failure', 0)} "
              f"failure{'s' if outcomes.get('failure', 0) != 1 else ''}, {outcomes.get('success', 0)} "
              f"established period{'s' if outcomes.get('success', 0) != 1 else ''}; {lines} lines read, "
              f"{skipped} not understood\n")
