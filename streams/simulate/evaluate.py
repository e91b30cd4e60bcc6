"""Score diagnoses against a simulated fleet's ground truth: precision and recall per failure class.

A diagnosis matches an injected episode when the gateway and the class agree, the peer agrees (by
address or connection name; a gateway-level episode or a diagnosis naming no peer matches on the
gateway alone), and their time spans overlap within `slack` seconds. Each episode is matched at most
once; extra diagnoses of an already matched episode are neither true nor false positives (a
flapping tunnel may well be diagnosed once per attempt). Anything else is a false positive.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson

from schemas.docpath import get_path


@dataclass(frozen=True, slots=True)
class Truth:
    gateway: str
    peer: str | None
    connection: str | None
    cls: str
    start: float
    end: float
    host_ids: tuple[str, ...] = ()  # other names the gateway's lines give it (a PAN-OS serial number)


@dataclass(frozen=True, slots=True)
class Diagnosis:
    gateway: str
    peer: str | None
    connection: str | None
    cls: str
    start: float
    end: float


@dataclass(slots=True)
class ClassScore:
    episodes: int = 0
    found: int = 0  # episodes matched by at least one diagnosis
    diagnoses: int = 0
    true: int = 0  # diagnoses that matched an episode (first match per episode)
    false: int = 0  # diagnoses that matched nothing
    confused_with: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # truth class -> count
    missed_as: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # what a missed episode got instead

    @property
    def precision(self) -> float | None:
        return self.true / (self.true + self.false) if self.true + self.false else None

    @property
    def recall(self) -> float | None:
        return self.found / self.episodes if self.episodes else None


@dataclass(slots=True)
class Report:
    classes: dict[str, ClassScore]
    total: ClassScore


def _ts(text: Any) -> float | None:
    if not isinstance(text, str) or not text:
        return None
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def load_truth(path: Path) -> list[Truth]:
    out = []
    for raw in path.read_bytes().splitlines():
        if not raw.strip():
            continue
        r = orjson.loads(raw)
        if r.get("class") is None:
            continue
        start, end = _ts(r["start"]), _ts(r["end"])
        if start is None or end is None:
            raise ValueError(f"{path}: record without start/end: {raw[:120]!r}")
        out.append(Truth(r["gateway"], r.get("peer"), r.get("connection"), r["class"], start, end,
                         tuple(r.get("host_ids") or ())))
    return out



def diagnosis_from(doc: dict[str, Any]) -> Diagnosis | None:
    """The fields we match on, from a diagnosis document (docs/ shape: observer, vpn, event)."""
    cls = get_path(doc, "vpn.failure.class") or doc.get("class")
    gateway = get_path(doc, "observer.hostname") or doc.get("gateway")
    if not cls or not gateway:
        return None
    start = _ts(get_path(doc, "event.start")) or _ts(get_path(doc, "tunnelsight.episode.opened")) or _ts(doc.get("@timestamp"))
    end = _ts(get_path(doc, "event.end")) or _ts(doc.get("@timestamp")) or start
    if start is None or end is None:
        return None
    peer = get_path(doc, "vpn.remote.ip") or doc.get("peer")
    conn = get_path(doc, "vpn.connection") or doc.get("connection")
    return Diagnosis(str(gateway), peer, conn, str(cls), min(start, end), max(start, end))


def load_diagnoses(path: Path) -> list[Diagnosis]:
    out = []
    for raw in path.read_bytes().splitlines():
        if raw.strip():
            d = diagnosis_from(orjson.loads(raw))
            if d is not None:
                out.append(d)
    return out


def _same_tunnel(t: Truth, d: Diagnosis) -> bool:
    if t.peer is None or (d.peer is None and d.connection is None):
        return True
    return d.peer == t.peer or (d.connection is not None and d.connection == t.connection)


def evaluate(truth: list[Truth], diagnoses: list[Diagnosis], slack: float = 120.0) -> Report:
    by_gw: dict[str, list[int]] = defaultdict(list)
    for i, t in enumerate(truth):
        for name in {t.gateway, *t.host_ids}:
            by_gw[name].append(i)
    classes: dict[str, ClassScore] = defaultdict(ClassScore)
    for t in truth:
        classes[t.cls].episodes += 1
    matched: set[int] = set()
    for d in sorted(diagnoses, key=lambda x: x.start):
        score = classes[d.cls]
        score.diagnoses += 1
        near = [i for i in by_gw.get(d.gateway, ()) if _same_tunnel(truth[i], d)
                and d.start <= truth[i].end + slack and d.end >= truth[i].start - slack]
        hits = [i for i in near if truth[i].cls == d.cls]
        if hits:
            fresh = [i for i in hits if i not in matched]
            if fresh:
                matched.add(fresh[0])
                score.true += 1
            continue
        score.false += 1
        for i in near[:1]:
            score.confused_with[truth[i].cls] += 1
    for i in matched:
        classes[truth[i].cls].found += 1
    by_gw_diag: dict[str, list[Diagnosis]] = defaultdict(list)
    for d in diagnoses:
        by_gw_diag[d.gateway].append(d)
    for i, t in enumerate(truth):
        if i in matched:
            continue
        around = [d for name in {t.gateway, *t.host_ids} for d in by_gw_diag.get(name, ())]
        got = {d.cls for d in around if _same_tunnel(t, d)
               and d.start <= t.end + slack and d.end >= t.start - slack}
        for c in sorted(got) or ["(nothing)"]:
            classes[t.cls].missed_as[c] += 1
    total = ClassScore()
    for s in classes.values():
        total.episodes += s.episodes
        total.found += s.found
        total.diagnoses += s.diagnoses
        total.true += s.true
        total.false += s.false
    return Report(dict(sorted(classes.items())), total)


def _pct(x: float | None) -> str:
    return "   -  " if x is None else f"{x * 100:5.1f}%"


def table(report: Report) -> str:
    rows = [f"{'class':36} {'episodes':>8} {'found':>6} {'recall':>7} {'diagnoses':>9} {'false':>6} {'precision':>9}"]
    for cls, s in report.classes.items():
        rows.append(f"{cls:36} {s.episodes:8d} {s.found:6d} {_pct(s.recall):>7} {s.diagnoses:9d} {s.false:6d} "
                    f"{_pct(s.precision):>9}")
    t = report.total
    notes = [f"  {cls}: missed episodes diagnosed as {dict(s.missed_as)}" for cls, s in report.classes.items() if s.missed_as]
    notes += [f"  {cls}: false diagnoses where the truth is {dict(s.confused_with)}"
              for cls, s in report.classes.items() if s.confused_with]
    rows.append(f"{'overall':36} {t.episodes:8d} {t.found:6d} {_pct(t.recall):>7} {t.diagnoses:9d} {t.false:6d} "
                f"{_pct(t.precision):>9}")
    return "\n".join(rows + (["", "where it went wrong:", *notes] if notes else []))


def to_json(report: Report) -> str:
    def one(s: ClassScore) -> dict[str, Any]:
        return {"episodes": s.episodes, "found": s.found, "recall": s.recall, "diagnoses": s.diagnoses,
                "true": s.true, "false": s.false, "precision": s.precision, "confused_with": dict(s.confused_with),
                "missed_as": dict(s.missed_as)}
    return orjson.dumps({"classes": {c: one(s) for c, s in report.classes.items()}, "overall": one(report.total)},
                        option=orjson.OPT_INDENT_2).decode()
