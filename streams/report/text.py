"""The report for a terminal: short sections, the worst first, numbers aligned."""

from __future__ import annotations

from streams.report.model import Count, Report, duration


def _bar(n: int, most: int, width: int = 24) -> str:
    return "#" * max(1, round(width * n / most)) if most else ""


def _section(title: str, rows: list[Count], limit: int = 10) -> list[str]:
    if not rows:
        return []
    most = max(r.count for r in rows)
    width = max(len(r.key) for r in rows[:limit])
    out = ["", title]
    for r in rows[:limit]:
        label = f"  ({r.label})" if r.label else ""
        out.append(f"  {r.key:<{width}}  {r.count:>6}  {_bar(r.count, most)}{label}")
    return out


def render(r: Report) -> str:
    who = f" for peer {r.peer}" if r.peer else ""
    lines = [f"tunnelsight report{who}: {r.start[:16].replace('T', ' ')} to {r.end[:16].replace('T', ' ')} UTC",
             f"{r.failures} failures, {len(r.by_peer)} failing peers, {len(r.by_gateway)} failing gateways; "
             f"{r.down_total} tunnels down now, {len(r.open_incidents)} open fleet incidents"]
    if r.recovery.outages:
        lines.append(f"mean time to recovery {duration(r.recovery.mean_s)} over {r.recovery.outages} outages "
                     f"(median {duration(r.recovery.median_s)}, 90% within {duration(r.recovery.p90_s)})")
    if r.recurrence:
        lines.append("failures: " + ", ".join(f"{r.recurrence.get(k, 0)} {k}"
                                              for k in ("new", "regression", "recurring")))
    lines += _section("Failures by class", r.by_class, 30)
    lines += _section("Top peers", r.by_peer)
    lines += _section("Top gateways (dominant class)", r.by_gateway)
    lines += _section("Top offending tunnels (dominant class)", r.top_tunnels)
    if r.by_day:
        lines += ["", "Failures by day"]
        for day, classes in r.by_day:
            total = sum(classes.values())
            if not total:
                continue
            top = max(classes.items(), key=lambda kv: kv[1])[0] if classes else ""
            lines.append(f"  {day}  {total:>6}  {top}")
    if r.changed:
        lines += ["", "New and regressed tunnels"]
        for c in r.changed:
            lines.append(f"  {c.kind:<10}  {c.tunnel}  {c.failure_class or ''}  since {(c.first or '')[:16]}")
    if r.recovery.by_class:
        lines += ["", "Time to recovery by class"]
        for cls, mean, n in sorted(r.recovery.by_class, key=lambda x: -x[1]):
            lines.append(f"  {cls:<34} {duration(mean):>9}  over {n} outages")
    if r.open_incidents:
        lines += ["", "Open fleet incidents"]
        lines += [f"  {i.get('event.start', '')[:16]}  {i.get('message', '')}" for i in r.open_incidents]
    if r.down_now:
        lines += ["", f"Tunnels down now ({r.down_total})"]
        for t in r.down_now:
            lines.append(f"  {t.get('tunnelsight.tunnel.id')}  {t.get('vpn.failure.class', '')}  since "
                         f"{str(t.get('tunnelsight.tunnel.since', ''))[:16]}")
    return "\n".join(lines) + "\n"
