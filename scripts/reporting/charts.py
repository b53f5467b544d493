"""The report's charts, drawn with matplotlib's Agg backend (no display) into PNGs beside it.

Each function returns (filename, None) when it drew, or (None, reason) when its data is missing,
so the report can put a sentence where the chart would have been. PNGs are written without the
"Software" metadata so the same input gives the same bytes on the same matplotlib.
"""

import os

from . import published
from .runs import IO_WORKLOADS, POLICY_ORDER, order_index
from .trace import MARKS

RATIO_PNG = "chart-ratio.png"
LATENCY_PNG = "chart-latency.png"
INTERVAL_PNG = "chart-switch-interval.png"
TIMELINE_PNG = "chart-timeline.png"

# One colour per policy in every chart, CPython in black beside the VM's policies.
POLICY_COLOUR = {"py2": "tab:red", "py3": "tab:blue", "fifo": "tab:green", "prio": "tab:purple",
                 "subinterp": "tab:orange", "cpython": "black"}
STATE_STYLE = {  # gilvis: holding solid, waiting hatched and lighter, blocked in I/O grey
    "holding": dict(facecolors="tab:green", edgecolor="none"),
    "waiting": dict(facecolors="#f5c98a", edgecolor="tab:orange", hatch="////", linewidth=0),
    "blocked": dict(facecolors="#b0b0b0", edgecolor="none"),
}
# marker, colour, offset from the row's centre: futile wakeups on the bar, the rest above it,
# so that marks at the same instant do not hide each other.
MARK_STYLE = {"futile wakeup": ("x", "tab:red", 0.0), "drop request": ("v", "tab:blue", 0.45),
              "forced switch": ("|", "tab:purple", 0.45)}
TIMELINE_MAX_SPANS = 20000  # beyond this the picture is a smear: draw the first ones only


class ChartsUnavailable(Exception):
    """matplotlib is not installed (scripts/setup installs python3-matplotlib)."""


def _pyplot():
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as e:
        raise ChartsUnavailable("matplotlib is not installed (%s)" % e) from None
    plt.rcParams.update({"font.size": 9, "axes.grid": True, "grid.alpha": 0.3,
                         "svg.hashsalt": "gilbench"})
    return plt


def _save(plt, fig, run_dir, filename):
    fig.tight_layout()
    fig.savefig(os.path.join(run_dir, filename), dpi=100, bbox_inches="tight",
                metadata={"Software": None})
    plt.close(fig)
    return filename, None


def _colour(policy):
    return POLICY_COLOUR.get(policy, "tab:gray")


def _policies(keys):
    return sorted({k.policy for k in keys}, key=lambda p: order_index(p, POLICY_ORDER))


def _chart_placement(keys):
    placements = sorted({k.placement for k in keys})
    return "os" if "os" in placements else placements[0]


def _ratio_series(results, workload):
    """{policy: [(n, ratio)]} of threads runs (seq is n = 1 at 1.0) on one placement."""
    keys = [k for k, r in results.by_key.items() if k.workload == workload and k.mode == "threads"
            and k.interval_us is None and r.ok]
    if not keys:
        return {}, None
    placement = _chart_placement(keys)
    series = {}
    for policy in _policies(keys):
        points = [(1, 1.0)]
        for k in sorted((k for k in keys if k.policy == policy and k.placement == placement),
                       key=lambda k: k.sort_key()):
            r, _ = results.ratio(results.by_key[k])
            if r is not None:
                points.append((k.n, r))
        if len(points) > 1:
            series[policy] = sorted(set(points))
    return series, placement


def ratio_chart(results, run_dir):
    """Time ratio threads/seq against thread count, one panel per CPU-style workload."""
    panels = []
    for workload in results.workloads():
        if workload not in IO_WORKLOADS:
            series, placement = _ratio_series(results, workload)
            if series:
                panels.append((workload, series, placement))
    if not panels:
        return None, "no threads run with a seq run to divide by"
    plt = _pyplot()
    fig, axes = plt.subplots(1, len(panels), figsize=(4.2 * len(panels), 3.4), squeeze=False)
    for ax, (workload, series, placement) in zip(axes[0], panels):
        top = max(n for points in series.values() for n, _ in points)
        ns = list(range(1, top + 1))
        ax.plot(ns, [1.0 / n for n in ns], ":", color="gray", label="no GIL (1/n)")
        ax.axhline(1.0, color="gray", linewidth=0.8)
        for policy, points in series.items():
            ax.plot([n for n, _ in points], [r for _, r in points], "o-", color=_colour(policy),
                    label=policy)
        ax.set_title("%s (placement %s)" % (workload, placement))
        ax.set_xlabel("threads")
        ax.set_ylabel("time ÷ one thread")
        ax.set_xticks(ns)
    # One legend for all panels (a policy may be missing from one), right of the last panel.
    handles = {}
    for ax in axes[0]:
        for handle, label in zip(*ax.get_legend_handles_labels()):
            handles.setdefault(label, handle)
    axes[0][-1].legend(handles.values(), handles.keys(), fontsize=7, loc="upper left",
                       bbox_to_anchor=(1.02, 1.0), frameon=False)
    return _save(plt, fig, run_dir, RATIO_PNG)


def latency_chart(results, run_dir):
    """I/O thread's p50 latency against the number of CPU-bound threads (processes dashed)."""
    keys = [k for k, r in results.by_key.items() if k.workload == "latency"
            and k.interval_us is None and r.ok and (r.median("io_latency_us_p50") or 0) > 0]
    if not keys:
        return None, "no latency rows"
    placement = _chart_placement(keys)
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6, 3.6))
    for policy in _policies(keys):
        for mode, style in (("threads", "o-"), ("processes", "s--")):
            points = sorted((k.n, results.by_key[k].median("io_latency_us_p50") / 1000.0)
                            for k in keys if k.policy == policy and k.mode == mode
                            and k.placement == placement)
            if points:
                ax.plot([n for n, _ in points], [v for _, v in points], style,
                        color=_colour(policy), label="%s %s" % (policy, mode))
    ax.set_yscale("log")
    ax.set_xticks(sorted({k.n for k in keys}))
    ax.set_xlabel("CPU-bound threads (or processes) beside the I/O thread")
    ax.set_ylabel("I/O latency p50 (ms)")
    ax.set_title("latency (placement %s)" % placement)
    ax.legend(fontsize=7, ncol=2)
    return _save(plt, fig, run_dir, LATENCY_PNG)


def interval_chart(sweep, run_dir):
    """Requests/s against switch interval (log x), ours per policy beside the published points.

    `sweep` is {policy: {interval_us: run}} of bandwidth with one CPU thread (tables.sweep_runs).
    """
    lines = {}
    for policy, by_interval in sweep.items():
        points = sorted((i, r.median("io_ops_per_s")) for i, r in by_interval.items()
                        if r.ok and r.median("io_ops_per_s"))
        if points:
            lines[policy] = points
    if not lines:
        return None, "no switch-interval sweep of bandwidth"
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6, 3.6))
    anchors = sorted(published.CONVOY_REQUESTS_PER_S.items())
    ax.plot([i for i, _ in anchors], [v for _, v in anchors], "kX", markersize=8,
            label="published (new GIL echo server)")
    for policy in sorted(lines, key=lambda p: order_index(p, POLICY_ORDER)):
        points = lines[policy]
        ax.plot([i for i, _ in points], [v for _, v in points], "o-", color=_colour(policy),
                label="%s bandwidth" % policy)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("switch interval (µs)")
    ax.set_ylabel("requests/s with one CPU thread")
    ax.set_title("switch interval trade-off")
    ax.legend(fontsize=7)
    return _save(plt, fig, run_dir, INTERVAL_PNG)


def _window(trace):
    """The end of the drawn time window: the whole trace, or where TIMELINE_MAX_SPANS begin."""
    starts = sorted(b for t in trace.threads for spans in t.spans.values() for b, _ in spans)
    if len(starts) <= TIMELINE_MAX_SPANS:
        return trace.end, False
    return starts[TIMELINE_MAX_SPANS], True


def timeline_chart(trace, run_dir):
    """gilvis-style timeline: one row per thread, holding/waiting/blocked bars, marks on top.

    Returns (filename, None, clipped) or (None, reason, False).
    """
    if not trace.threads or trace.span_count() == 0:
        return None, "the trace has no GIL spans", False
    plt = _pyplot()
    end, clipped = _window(trace)
    t0 = trace.start

    def ms(t):
        return (t - t0) / 1000.0

    rows = len(trace.threads)
    with_counter = bool(trace.waiting)
    fig, axes = plt.subplots(2 if with_counter else 1, 1, sharex=True, squeeze=False,
                             figsize=(9, 1.2 + 0.45 * rows + (1.0 if with_counter else 0)),
                             gridspec_kw={"height_ratios": [max(rows, 1), 1.4]}
                             if with_counter else None)
    ax = axes[0][0]
    drawn = set()
    for y, thread in enumerate(reversed(trace.threads)):
        for state, style in STATE_STYLE.items():
            bars = [(ms(b), ms(min(e, end)) - ms(b)) for b, e in thread.spans.get(state, ())
                    if b <= end]
            if bars:
                ax.broken_barh(bars, (y - 0.35, 0.7), label=None if state in drawn else state,
                               **style)
                drawn.add(state)
        for mark in MARKS:
            times = [ms(t) for t in thread.marks.get(mark, ()) if t <= end]
            if times:
                marker, colour, offset = MARK_STYLE[mark]
                ax.plot(times, [y + offset] * len(times), marker, color=colour, linestyle="none",
                        markersize=5, label=None if mark in drawn else mark)
                drawn.add(mark)
    ax.set_yticks(range(rows))
    ax.set_yticklabels([t.label() for t in reversed(trace.threads)])
    ax.set_ylim(-0.7, rows - 0.3)
    ax.grid(axis="y", visible=False)
    ax.set_title("GIL timeline%s" % (" (%s)" % trace.policy if trace.policy else ""))
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    if with_counter:
        points = [(ms(t), v) for t, v in trace.waiting if t <= end]
        counter = axes[1][0]
        counter.step([p for p, _ in points], [v for _, v in points], where="post",
                     color="tab:orange")
        counter.set_ylabel("waiting")
        from matplotlib.ticker import MaxNLocator  # matplotlib is loaded by now
        counter.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes[-1][0].set_xlabel("ms since the first event")
    filename, _ = _save(plt, fig, run_dir, TIMELINE_PNG)
    return filename, None, clipped
