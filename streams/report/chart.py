"""The report as one PNG a person would rather look at than read (matplotlib, no display needed).

Four panels: failures per day stacked by class (what happened when), the peers and gateways that fail
most (where to look), and the mean time to recovery by class with the new / regressed / recurring split
(how bad it is). Classes keep one colour across panels so the eye can follow one.
"""

from __future__ import annotations

from pathlib import Path

from streams.report.model import Report, duration

PALETTE = ("#4C72B0", "#DD8452", "#55A868", "#C44E52", "#8172B3", "#937860", "#DA8BC3", "#8C8C8C",
           "#CCB974", "#64B5CD", "#1F4E79", "#A0522D")


def render(r: Report, path: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    classes = [c.key for c in r.by_class]
    colour = {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(classes)}
    fig = plt.figure(figsize=(14, 9), dpi=110, layout="constrained")
    grid = fig.add_gridspec(2, 3)
    who = f" - peer {r.peer}" if r.peer else ""
    fig.suptitle(f"tunnelsight{who}: {r.failures} failures, {r.start[:10]} to {r.end[:10]}  |  "
                 f"{r.down_total} tunnels down now, {len(r.open_incidents)} open incidents, MTTR "
                 f"{duration(r.recovery.mean_s)}", fontsize=13, fontweight="bold")

    ax = fig.add_subplot(grid[0, :])
    by_day = list(r.by_day)
    while by_day and not by_day[-1][1]:  # a long quiet tail would squeeze the bars into a corner
        by_day.pop()
    days = [f"{d[5:7]}-{d[8:10]}" for d, _ in by_day]  # MM-DD: the year is in the title
    bottom = [0] * len(days)
    for c in classes:
        values = [counts.get(c, 0) for _, counts in by_day]
        if any(values):
            ax.bar(days, values, bottom=bottom, label=c, color=colour[c], width=0.8)
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.set_title("Failures per day by class", loc="left")
    ax.set_ylabel("failures")
    ax.legend(fontsize=8, ncol=2, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    ax.tick_params(axis="x", labelrotation=45, labelsize=8)
    if len(days) > 31:  # keep the labels legible: about 30 of them
        step = -(-len(days) // 30)
        ax.set_xticks(range(0, len(days), step), days[::step])
    ax.spines[["top", "right"]].set_visible(False)

    for col, (title, rows) in enumerate((("Top failing peers", r.by_peer), ("Top failing gateways", r.by_gateway))):
        ax = fig.add_subplot(grid[1, col])
        rows = rows[:8][::-1]
        labels = [f"{x.key} ({x.label})" if x.label and col == 0 else x.key for x in rows]
        bars = ax.barh(labels, [x.count for x in rows], color="#4C72B0" if col == 0 else "#55A868")
        ax.bar_label(bars, padding=2, fontsize=8)
        ax.set_ylim(-0.6, max(len(rows), 5) - 0.4)  # a lone bar stays a bar, not a wall
        ax.set_title(title, loc="left")
        ax.tick_params(axis="y", labelsize=8)
        ax.spines[["top", "right"]].set_visible(False)

    ax = fig.add_subplot(grid[1, 2])
    rec = sorted(r.recovery.by_class, key=lambda x: x[1])[-8:]
    if rec:
        bars = ax.barh([c for c, _, _ in rec], [m / 60 for _, m, _ in rec],
                       color=[colour.get(c, "#8C8C8C") for c, _, _ in rec])
        ax.bar_label(bars, labels=[f"{duration(m)} ({n})" for _, m, n in rec], padding=2, fontsize=8)
        ax.set_ylim(-0.6, max(len(rec), 5) - 0.4)
        ax.set_xlim(0, max(m for _, m, _ in rec) / 60 * 1.35)
        ax.set_xlabel("minutes")
    else:
        ax.text(0.5, 0.5, "no recovered outage in the period", ha="center", va="center", transform=ax.transAxes)
    mix = ", ".join(f"{r.recurrence.get(k, 0)} {k}" for k in ("new", "regression", "recurring"))
    ax.set_title(f"Mean time to recovery by class (outages)\nfailures: {mix}", loc="left", fontsize=10)
    ax.tick_params(axis="y", labelsize=8)
    ax.spines[["top", "right"]].set_visible(False)

    fig.savefig(path)
    plt.close(fig)
    return path
