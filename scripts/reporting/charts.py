"""The report's charts, drawn with matplotlib's Agg backend (no display) into PNGs beside it.

Each function returns (filename, None) when it drew, or (None, reason) when its data is missing,
so the report can put a sentence where the chart would have been. PNGs are written without the
"Software" metadata so the same input gives the same bytes on the same matplotlib.

Legibility: every chart is exactly as wide as the HTML page's content (html.CONTENT_WIDTH_PX, at
DPI dots per inch), so it is shown at its own size there, and no text in it is smaller than
MIN_FONT_PT (11 px at that width). Lines join only neighbouring measured points: where a point
is missing (a run skipped, or not run for this series) the line stops and the markers show what
was measured. Many series are drawn as small multiples, one panel per policy, so that they do
not hide each other.
"""

import math
import os

from . import fmt, published, stats
from .html import CONTENT_WIDTH_PX
from .runs import IO_WORKLOADS, POLICY_ORDER, order_index
from .scaling import usl
from .trace import LOCK_WAIT, MARKS

HEADLINE_PNG = "chart-headline.png"
RATIO_PNG = "chart-ratio.png"
LATENCY_PNG = "chart-latency.png"
INTERVAL_PNG = "chart-switch-interval.png"
TIMELINE_PNG = "chart-timeline.png"
BANK_TIMELINE_PNG = "chart-timeline-bank.png"  # the traced bank run (locks and the GIL)
DECOMPOSITION_PNG = "chart-extra-time.png"
PROCESS_DECOMPOSITION_PNG = "chart-processes-time.png"
SCALING_PNG = "chart-scaling.png"

DPI = 100
WIDTH_IN = CONTENT_WIDTH_PX / DPI  # the page's content width: shown 1:1 in report.html
MIN_FONT_PT = 8.5  # 11.8 px at DPI: the smallest text in any chart (ticks, legends, notes)
FONT_PT = 10  # titles and axis labels

# One colour per policy in every chart, CPython in black beside the VM's policies.
POLICY_COLOUR = {"py2": "tab:red", "py3": "tab:blue", "fifo": "tab:green", "prio": "tab:purple",
                 "subinterp": "tab:orange", "cpython": "black"}
STATE_STYLE = {  # gilvis: holding solid, waiting hatched and lighter, blocked in I/O grey;
    # waiting for a lock cross-hatched in blue, apart from the GIL's orange and the marks' colours
    "holding": dict(facecolors="tab:green", edgecolor="none"),
    "waiting": dict(facecolors="#f5c98a", edgecolor="tab:orange", hatch="////", linewidth=0),
    "blocked": dict(facecolors="#b0b0b0", edgecolor="none"),
    LOCK_WAIT: dict(facecolors="#a6cee3", edgecolor="#1f5f8b", hatch="xxx", linewidth=0),
}
# marker, colour, offset from the row's centre: futile wakeups on the bar, the rest above it,
# so that marks at the same instant do not hide each other.
MARK_STYLE = {"futile wakeup": ("x", "tab:red", 0.0), "drop request": ("v", "tab:blue", 0.45),
              "forced switch": ("|", "tab:purple", 0.45)}
TIMELINE_MAX_SPANS = 20000  # beyond this the picture is a smear: draw the first ones only
# The headline bars: one hatch per placement (os plain), shades of blue for threads and of
# orange for processes, darker with more workers.
PLACEMENT_HATCH = {"os": "", "one-core": "///", "spread": "...", "smt": "xxx",
                   "cross-package": "\\\\\\", "numa": "ooo"}
SEQ_COLOUR = "#9e9e9e"
Y_LABEL = "time ÷ time of one thread\n(lower is faster)"


class ChartsUnavailable(Exception):
    """matplotlib is not installed (scripts/setup installs python3-matplotlib)."""


def _pyplot():
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as e:
        raise ChartsUnavailable("matplotlib is not installed (%s)" % e) from None
    plt.rcParams.update({"font.size": FONT_PT, "axes.titlesize": FONT_PT + 1,
                         "axes.labelsize": FONT_PT, "xtick.labelsize": MIN_FONT_PT + 0.5,
                         "ytick.labelsize": MIN_FONT_PT + 0.5, "legend.fontsize": MIN_FONT_PT + 0.5,
                         "legend.title_fontsize": MIN_FONT_PT + 0.5,
                         "figure.titlesize": FONT_PT + 1, "axes.grid": True, "grid.alpha": 0.3,
                         "svg.hashsalt": "gilbench", "figure.dpi": DPI, "savefig.dpi": DPI})
    return plt


def _figure(plt, height_in, rows=1, cols=1, **kwargs):
    """A figure exactly as wide as the page, with rows x cols axes (a 2-D array)."""
    return plt.subplots(rows, cols, figsize=(WIDTH_IN, height_in), squeeze=False, **kwargs)


def _save(plt, fig, run_dir, filename, top=1.0):
    """Lay out inside the figure (top: the share of its height the axes may use, the rest is for
    a legend above them) and save it at exactly the page's width: no bbox_inches="tight", which
    would change the width and so the size the text is shown at."""
    fig.tight_layout(rect=(0, 0, 1, top))
    fig.savefig(os.path.join(run_dir, filename), dpi=DPI, metadata={"Software": None})
    plt.close(fig)
    return filename, None


def _colour(policy):
    return POLICY_COLOUR.get(policy, "tab:gray")


def policy_name(policy):
    return "CPython" if policy == "cpython" else policy


def _policies(keys):
    return sorted({k.policy for k in keys}, key=lambda p: order_index(p, POLICY_ORDER))


def _chart_placement(keys):
    placements = sorted({k.placement for k in keys})
    return "os" if "os" in placements else placements[0]


def _log_axis(axis, show):
    """Label a log axis's decades in words (`1 ms`, `10,000`), not as 10^x: a superscript is
    drawn smaller than MIN_FONT_PT. Minor ticks stay unlabelled."""
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter
    axis.set_major_locator(LogLocator(base=10.0))
    axis.set_major_formatter(FuncFormatter(lambda v, _: show(v) if v > 0 else ""))
    axis.set_minor_formatter(NullFormatter())


def _plain(v):
    return "{:,}".format(int(round(v))) if v >= 1 else "%g" % v


def _measured_line(ax, points, domain, line_style, dx=0.0, **style):
    """Markers at every measured point; a line only between points that are neighbours in
    `domain` (every x value the chart has), so no line crosses an x this series lacks.
    Returns the handle for a legend."""
    values = dict(points)
    xs = sorted(set(domain) | set(values))
    ys = [values.get(x, math.nan) for x in xs]  # NaN breaks the line, keeps the markers
    if dx:
        xs = [x + dx for x in xs]
    line, = ax.plot(xs, ys, line_style, **style)
    return line


# --- the headline: every policy's workers against one thread ---------------------------------

def headline_data(results):
    """What the headline bar chart draws, or None: {workload, categories, policies, bars}.

    categories: [(mode, n, placement)], seq first, then the verdict table's columns; bars:
    {(policy, category): Estimate, or None for seq}: the verdict's own claims.
    """
    from . import claims, verdict
    workload = verdict.headline_workload(results)
    columns = verdict.headline_columns(results, workload) if workload else []
    if not columns:
        return None
    bars = {}
    for key, run in results.by_key.items():
        if key.workload != workload or key.interval_us is not None or not run.ok:
            continue
        if key.mode == "seq":
            bars[(key.policy, ("seq", 1, ""))] = None
            continue
        claim = claims.claim_for(results, run)
        if claim is not None:
            bars[(key.policy, (key.mode, key.n, key.placement))] = claim.estimate
    policies = sorted({p for p, _ in bars}, key=lambda p: order_index(p, POLICY_ORDER))
    return {"workload": workload, "categories": [("seq", 1, "")] + columns,
            "policies": policies, "bars": bars}


def _category_label(category):
    mode, n, placement = category
    if mode == "seq":
        return "1 thread (= 1)"
    if mode == "pool":
        return "pool of %d process%s, %s" % (n, "" if n == 1 else "es", placement)
    noun = {"threads": "thread", "processes": "process"}.get(mode, mode)
    plural = noun + ("es" if noun.endswith("s") else "s") if n != 1 else noun
    return "%d %s, %s" % (n, plural, placement)


def _category_style(category, categories):
    mode, n, placement = category
    if mode == "seq":
        return dict(color=SEQ_COLOUR, hatch="")
    counts = sorted({c[1] for c in categories if c[0] == mode})
    shade = 0.45 + 0.4 * (counts.index(n) / max(1, len(counts) - 1))
    import matplotlib  # loaded by now
    cmap = matplotlib.colormaps[{"threads": "Blues", "pool": "Greens"}.get(mode, "Oranges")]
    return dict(color=cmap(shade), hatch=PLACEMENT_HATCH.get(placement, "ooo"))


def headline_chart(data, run_dir):
    """Grouped bars: per policy, seq (= 1), each threads and processes run ÷ one thread, with
    the 95% interval of the paired ratio as whiskers where it has one; a line at 1."""
    if data is None:
        return None, "no countdown or factorize run with a seq run to divide by"
    plt = _pyplot()
    categories, policies, bars = data["categories"], data["policies"], data["bars"]
    fig, axes = _figure(plt, 4.6)
    ax = axes[0][0]
    width = 0.84 / len(categories)
    for i, category in enumerate(categories):
        style = _category_style(category, categories)
        xs, heights, low, high = [], [], [], []
        for g, policy in enumerate(policies):
            if (policy, category) not in bars:
                continue  # not run, skipped or failed: an empty slot
            estimate = bars[(policy, category)]
            ratio = 1.0 if estimate is None else estimate.ratio
            xs.append(g - 0.42 + width * (i + 0.5))
            heights.append(ratio)
            interval = estimate is not None and estimate.has_interval
            low.append(ratio - estimate.low if interval else math.nan)
            high.append(estimate.high - ratio if interval else math.nan)
        if not xs:
            continue
        ax.bar(xs, heights, width * 0.92, color=style["color"], hatch=style["hatch"],
               edgecolor="#333333", linewidth=0.5, label=_category_label(category), zorder=2)
        if any(not math.isnan(v) for v in low):
            ax.errorbar(xs, heights, yerr=[low, high], fmt="none", ecolor="black",
                        elinewidth=1.0, capsize=2.5, zorder=3)
    ax.axhline(1.0, color="black", linewidth=1.0, zorder=4)
    ax.set_xticks(range(len(policies)))
    ax.set_xticklabels([policy_name(p) for p in policies], fontsize=FONT_PT)
    ax.set_xlim(-0.5, len(policies) - 0.5)
    ax.set_ylim(0, None)
    ax.grid(axis="x", visible=False)
    ax.set_ylabel(Y_LABEL)
    ax.set_title("%s: time with n threads or processes ÷ time with one thread, per policy"
                 % data["workload"])
    handles, labels = _legend_rows(ax, categories)
    ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.005, 1.0), frameon=False,
              ncol=1)
    return _save(plt, fig, run_dir, HEADLINE_PNG)


def _legend_rows(ax, categories):
    """The bars' legend entries in the categories' order (seq, threads, processes)."""
    by_label = dict(zip(*reversed(ax.get_legend_handles_labels())))
    labels = [_category_label(c) for c in categories if _category_label(c) in by_label]
    return [by_label[label] for label in labels], labels


def headline_caption(data):
    """The headline chart's caption: what the bars are, and what the whiskers are (or why there
    are none)."""
    estimates = [e for e in data["bars"].values() if e is not None] if data else []
    with_interval = sum(1 for e in estimates if e.has_interval)
    if not estimates:
        whiskers = ""
    elif with_interval == len(estimates):
        whiskers = " Whiskers: the 95% confidence interval over the paired rounds."
    elif with_interval:
        whiskers = (" Whiskers: the 95%% confidence interval over the paired rounds, on %d of "
                    "%d bars (the others have fewer than %d rounds)."
                    % (with_interval, len(estimates), stats.MIN_ROUNDS))
    else:
        whiskers = (" No whiskers: no bar has %d or more paired rounds, so none has an "
                    "interval." % stats.MIN_ROUNDS)
    pool = ("green: the workload's own process pool, " if data and any(
        c[0] == "pool" for c in data["categories"]) else "")
    return ("%s: time with n threads or processes ÷ time with one thread of the same policy and "
            "placement (geometric mean of the paired ratios, as in the verdict); grey: one "
            "thread (= 1); blue: threads, orange: processes, %sdarker with more; hatched: a "
            "placement other than `os`; an empty slot: not run or skipped. Below the line at 1: "
            "faster than one thread.%s" % ("`%s`" % data["workload"] if data else "Headline",
                                           pool, whiskers))


# --- ratio against thread count, one panel per workload and policy ----------------------------

def _ratio_series(results, workload):
    """({policy: [(n, ratio)]}, placement, all n) of threads runs on one placement; seq is
    n = 1 at 1.0. All n: every n any policy ran (or tried) there, the x values of the panel."""
    all_keys = [k for k in results.by_key if k.workload == workload and k.mode == "threads"
                and k.interval_us is None]
    keys = [k for k in all_keys if results.by_key[k].ok]
    if not keys:
        return {}, None, []
    placement = _chart_placement(keys)
    domain = sorted({1} | {k.n for k in all_keys if k.placement == placement})
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
    return series, placement, domain


def ratio_chart(results, run_dir):
    """Time ratio threads/seq against thread count: a row per CPU-style workload, a panel per
    policy (small multiples, so that policies near 1 do not hide each other)."""
    panels = []
    for workload in results.workloads():
        if workload not in IO_WORKLOADS:
            series, placement, domain = _ratio_series(results, workload)
            if series:
                panels.append((workload, series, placement, domain))
    if not panels:
        return None, "no threads run with a seq run to divide by"
    policies = sorted({p for _, series, _, _ in panels for p in series},
                      key=lambda p: order_index(p, POLICY_ORDER))
    plt = _pyplot()
    fig, axes = _figure(plt, 0.5 + 2.3 * len(panels), len(panels), len(policies),
                        sharey="row", sharex="row")
    for row, (workload, series, placement, domain) in zip(axes, panels):
        for col, (ax, policy) in enumerate(zip(row, policies)):
            fine = [1 + i / 10.0 for i in range(int((domain[-1] - 1) * 10) + 1)]
            ax.plot(fine, [1.0 / n for n in fine], ":", color="gray")
            ax.axhline(1.0, color="gray", linewidth=0.8)
            if policy in series:
                _measured_line(ax, series[policy], domain, "o-", color=_colour(policy))
            else:
                ax.text(0.5, 0.5, "not run", transform=ax.transAxes, ha="center",
                        va="center", color="gray")
            ax.set_xticks(domain)
            ax.set_title(policy_name(policy), color=_colour(policy))
            ax.set_xlabel("threads")
            if col == 0:
                ax.set_ylabel("%s (%s)\ntime ÷ one thread" % (workload, placement))
    return _save(plt, fig, run_dir, RATIO_PNG)


# --- the I/O thread's latency, one panel per policy -------------------------------------------

def latency_chart(results, run_dir):
    """I/O thread's p50 latency against the number of CPU-bound threads (processes dashed), one
    panel per policy, log scale shared."""
    all_keys = [k for k in results.by_key if k.workload == "latency" and k.interval_us is None]
    keys = [k for k in all_keys if results.by_key[k].ok
            and (results.by_key[k].median("io_latency_us_p50") or 0) > 0]
    if not keys:
        return None, "no latency rows"
    placement = _chart_placement(keys)
    domain = sorted({k.n for k in all_keys if k.placement == placement})
    policies = _policies(keys)
    cols = min(len(policies), 3)
    rows = math.ceil(len(policies) / cols)
    plt = _pyplot()
    fig, axes = _figure(plt, 0.7 + 2.5 * rows, rows, cols, sharey=True, sharex=True)
    handles = {}
    for i, policy in enumerate(policies):
        ax = axes[i // cols][i % cols]
        for mode, line_style, dx in (("threads", "o-", -0.04), ("processes", "s--", 0.04)):
            points = [(k.n, results.by_key[k].median("io_latency_us_p50") / 1000.0)
                      for k in keys if k.policy == policy and k.mode == mode
                      and k.placement == placement]
            if points:
                handles[mode] = _measured_line(
                    ax, points, domain, line_style, dx=dx, color=_colour(policy),
                    markerfacecolor="white" if mode == "processes" else _colour(policy))
        ax.set_yscale("log")
        _log_axis(ax.yaxis, lambda ms: fmt.interval_us(ms * 1000.0))
        ax.set_xticks(domain)
        ax.set_title(policy_name(policy), color=_colour(policy))
        if i % cols == 0:
            ax.set_ylabel("I/O latency p50")
        if i // cols == rows - 1 or i + cols >= len(policies):
            ax.set_xlabel("CPU-bound threads or processes")
            ax.xaxis.set_tick_params(labelbottom=True)
    for j in range(len(policies), rows * cols):
        axes[j // cols][j % cols].set_visible(False)
    modes = [m for m in ("threads", "processes") if m in handles]
    fig.legend([handles[m] for m in modes], ["CPU-bound work in %s" % m for m in modes],
               loc="upper right", ncol=2, frameon=False)
    fig.suptitle("latency of the I/O thread beside CPU-bound work (placement %s)" % placement,
                 x=0.01, ha="left", y=0.995, va="top")
    return _save(plt, fig, run_dir, LATENCY_PNG)


# --- the switch interval, one panel per policy ------------------------------------------------

def interval_chart(sweep, run_dir):
    """Requests/s against switch interval (log x), ours per policy beside the published points,
    one panel per policy.

    `sweep` is {policy: {interval_us: run}} of bandwidth with one CPU thread (tables.sweep_runs).
    """
    lines = {}
    domain = set()
    for policy, by_interval in sweep.items():
        domain |= set(by_interval)
        points = sorted((i, r.median("io_ops_per_s")) for i, r in by_interval.items()
                        if r.ok and r.median("io_ops_per_s"))
        if points:
            lines[policy] = points
    if not lines:
        return None, "no switch-interval sweep of bandwidth"
    policies = sorted(lines, key=lambda p: order_index(p, POLICY_ORDER))
    plt = _pyplot()
    fig, axes = _figure(plt, 3.4, 1, len(policies), sharey=True, sharex=True)
    anchors = sorted(published.CONVOY_REQUESTS_PER_S.items())
    handles = []
    for col, (ax, policy) in enumerate(zip(axes[0], policies)):
        published_line, = ax.plot([i for i, _ in anchors], [v for _, v in anchors], "kX",
                                  markersize=8, alpha=0.6)
        ours = _measured_line(ax, lines[policy], domain, "o-", color=_colour(policy))
        if col == 0:
            handles = [published_line, ours]
            ax.set_ylabel("requests/s with one CPU thread")
        ax.set_xscale("log")
        ax.set_yscale("log")
        _log_axis(ax.xaxis, fmt.interval_us)
        _log_axis(ax.yaxis, _plain)
        ax.set_xlabel("switch interval")
        ax.set_title("%s bandwidth" % policy_name(policy), color=_colour(policy))
    fig.legend(handles, ["published (new-GIL echo server)", "ours: bandwidth (colour per "
                         "policy)"], loc="upper center", ncol=2, frameon=False)
    return _save(plt, fig, run_dir, INTERVAL_PNG, top=0.9)


# --- the GIL timeline -------------------------------------------------------------------------

def _window(trace):
    """The end of the drawn time window: the whole trace, or where TIMELINE_MAX_SPANS begin."""
    starts = sorted(b for t in trace.threads for spans in t.spans.values() for b, _ in spans)
    if len(starts) <= TIMELINE_MAX_SPANS:
        return trace.end, False
    return starts[TIMELINE_MAX_SPANS], True


def interval_words(trace):
    """The trace's switch interval as a reader reads it: `1 ms`, or `not in the trace`."""
    if trace.switch_interval_us is None:
        return "not in the trace"
    return fmt.interval_us(trace.switch_interval_us)


def timeline_facts(trace):
    """The timeline's switch interval as recorded and its sequential phase, in words."""
    if trace.switch_interval_us is not None:
        text = "Switch interval %s (as recorded in the trace)." % interval_words(trace)
    else:
        text = ("Switch interval as recorded: not in the trace (gilvm does not write it; "
                "scripts/reproduce makes its trace with `--switch-interval=1000`, 1 ms).")
    phase = trace.sequential_phase()
    if phase is not None:
        begin, end, thread = phase
        text += (" Shaded, *sequential*: the first %s, where %s alone is active: the program's "
                 "single-threaded start, before its threads begin."
                 % (fmt.seconds((end - begin) * 1e-6), thread.label()))
    return text


def timeline_chart(trace, run_dir, png=TIMELINE_PNG):
    """gilvis-style timeline: one row per thread, holding/waiting/blocked/waiting-for-a-lock bars,
    marks on top; the opening single-thread (sequential) phase shaded and labelled.

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
    height = 1.6 + 0.5 * rows + (1.1 if with_counter else 0)
    fig, axes = _figure(plt, height, 2 if with_counter else 1, 1, sharex=True,
                        gridspec_kw={"height_ratios": [max(rows, 1), 1.4]}
                        if with_counter else None)
    ax = axes[0][0]
    phase = trace.sequential_phase()
    if phase is not None and phase[0] <= end:
        begin, until = ms(phase[0]), ms(min(phase[1], end))
        for a in axes[:, 0]:
            a.axvspan(begin, until, color="#cfe2f3", zorder=0, linewidth=0)
        ax.annotate("sequential", xy=(begin, 1.0), xycoords=("data", "axes fraction"),
                    xytext=(2, 3), textcoords="offset points", ha="left", va="bottom",
                    color="#1f4e79", fontsize=MIN_FONT_PT + 0.5, fontweight="bold")
    drawn = set()
    for y, thread in enumerate(reversed(trace.threads)):
        for state, style in STATE_STYLE.items():
            bars = [(ms(b), ms(min(e, end)) - ms(b)) for b, e in thread.spans.get(state, ())
                    if b <= end]
            if bars:
                ax.broken_barh(bars, (y - 0.35, 0.7), label=None if state in drawn else state,
                               zorder=2, **style)
                drawn.add(state)
        for mark in MARKS:
            times = [ms(t) for t in thread.marks.get(mark, ()) if t <= end]
            if times:
                marker, colour, offset = MARK_STYLE[mark]
                ax.plot(times, [y + offset] * len(times), marker, color=colour, linestyle="none",
                        markersize=6, label=None if mark in drawn else mark, zorder=3)
                drawn.add(mark)
    ax.set_yticks(range(rows))
    ax.set_yticklabels([t.label() for t in reversed(trace.threads)], fontsize=FONT_PT)
    ax.set_ylim(-0.7, rows - 0.3)
    ax.grid(axis="y", visible=False)
    ax.set_title("GIL timeline — policy %s, switch interval %s" % (
        trace.policy or "not recorded", interval_words(trace)), pad=16)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    if with_counter:
        points = [(ms(t), v) for t, v in trace.waiting if t <= end]
        counter = axes[1][0]
        counter.step([p for p, _ in points], [v for _, v in points], where="post",
                     color="tab:orange")
        counter.set_ylabel("threads\nwaiting")
        from matplotlib.ticker import MaxNLocator  # matplotlib is loaded by now
        counter.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes[-1][0].set_xlabel("ms since the first event")
    filename, _ = _save(plt, fig, run_dir, png)
    return filename, None, clipped


# --- where the extra time went ----------------------------------------------------------------

DECOMPOSITION_STYLE = (  # part, colour, hatch
    ("gaps", "tab:orange", None), ("cpuwait", "gold", None), ("offcpu", "tab:red", None),
    ("slower", "tab:purple", None), ("idle", "tab:cyan", None), ("cpu", "tab:brown", None),
    ("startup", "tab:olive", None), ("imbalance", "tab:pink", None))


def decomposition_chart(ds, run_dir, processes=False):
    """One horizontal stacked bar per threads row (or, with `processes`, per row whose workers run
    side by side: processes, and subinterp threads): its
    measured parts of the extra time (ms), and the residual as a hatched grey bar of its own, so a
    reader sees at a glance which part dominates and how much the parts leave unexplained.
    (filename, None) or (None, reason)."""
    if not ds:
        return None, "no %s row with the counters for it" % ("side-by-side" if processes
                                                              else "threads")
    plt = _pyplot()
    fig, axes = _figure(plt, 0.9 + 0.32 * len(ds))
    ax = axes[0][0]
    labels = ["%s %s %s%s/%d" % (d.key.workload, policy_name(d.key.policy),
                                 "threads " if processes and d.key.mode == "threads" else "",
                                 d.key.placement, d.key.n) for d in ds]
    ys = list(range(len(ds)))[::-1]
    drawn = set()
    for y, d in zip(ys, ds):
        left_pos, left_neg = 0.0, 0.0
        for part, colour, hatch in DECOMPOSITION_STYLE:
            if part not in d.parts:
                continue
            ms = d.parts[part] * 1e3
            start = left_pos if ms >= 0 else left_neg
            label = d.labels[part] if part not in drawn else None
            drawn.add(part)
            ax.barh(y, ms, left=start, height=0.6, color=colour, hatch=hatch, label=label)
            if ms >= 0:
                left_pos += ms
            else:
                left_neg += ms
        label = "residual (unexplained)" if "residual" not in drawn else None
        drawn.add("residual")
        ax.barh(y - 0.32, d.residual * 1e3, height=0.2, color="0.75", hatch="////",
                edgecolor="0.4", label=label)
        ax.plot([d.extra * 1e3] * 2, [y - 0.35, y + 0.35], color="black", linewidth=1.2,
                label="extra time" if "extra" not in drawn else None)
        drawn.add("extra")
    ax.axvline(0, color="black", linewidth=0.6)
    ax.set_yticks(ys)
    ax.set_yticklabels(labels)
    if processes:
        ax.set_xlabel("ms beyond an even split of the one-thread row (its time / n)")
        ax.set_title("Workers side by side (processes, subinterp): the slowest one's parts "
                     "(stacked), residual (hatched)")
    else:
        ax.set_xlabel("ms beyond the one-thread row")
        ax.set_title("Where the extra time went: measured parts (stacked), residual (hatched)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.55 / (0.9 + 0.32 * len(ds)) - 0.12),
              ncol=4, frameon=False)
    return _save(plt, fig, run_dir, PROCESS_DECOMPOSITION_PNG if processes else DECOMPOSITION_PNG)


# --- the scaling curve: speedup against n, measured and fitted ------------------------------

# Series that are not one VM policy's threads get colours of their own (processes look alike
# under every policy: each child has a GIL to itself).
SERIES_COLOUR = {"processes": "tab:olive", "CPython threads": "black",
                 "CPython processes": "tab:brown"}


def _speedup_ticks(low, high):
    """Ticks for a log axis of speedups from `low` to `high`: 1, the powers of two and their
    halves in between (0.75, 1.5, 3, ...) while that keeps ten or fewer, else the powers alone."""
    powers = [2.0 ** k for k in range(-6, 11)]
    halves = sorted(set(powers) | {1.5 * p for p in powers})
    for candidates in (halves, powers):
        ticks = [t for t in candidates if low / 1.15 <= t <= high * 1.15]
        if len(ticks) <= 10:
            return ticks or [1.0]
    return ticks


def scaling_chart(data, run_dir):
    """Speedup against n on a log-2 axis, a panel per workload: each series' measured points
    joined, its fitted USL curve dashed, and its name written at its last point (no legend to
    match ten colours against)."""
    pus, data = data
    if not data:
        return None, "no threads or processes rows beside a one-thread row"
    plt = _pyplot()
    fig, axes = _figure(plt, 0.6 + 3.4 * len(data), len(data), 1)
    for (workload, series), ax in zip(data.items(), axes[:, 0]):
        max_n = max(n for s in series for n in s.ns)
        ends = []
        for s in series:
            colour = SERIES_COLOUR.get(s.label, _colour(s.policy))
            style = "s-" if s.mode == "processes" else "o-"
            xs = s.ns
            ys = [s.points[n][0] for n in xs]
            ax.plot(xs, ys, style, color=colour, markersize=4, linewidth=1.4)
            if s.fit is not None:
                fine = [2 ** (i / 20.0) for i in range(int(20 * math.log2(max(xs))) + 1)]
                ax.plot(fine, [usl(n, s.fit.sigma, s.fit.kappa) for n in fine], "--",
                        color=colour, linewidth=0.9, alpha=0.7)
            ends.append([xs[-1], ys[-1], s.label, colour])
        # Direct labels at each series' last point, nudged apart (in the log of y, as drawn)
        # where they would overlap.
        ends.sort(key=lambda e: e[1])
        logs = [math.log2(e[1]) for e in ends]
        gap = 0.05 * max(max(logs) - min(logs + [0.0]), 1.0)
        for i in range(1, len(logs)):
            logs[i] = max(logs[i], logs[i - 1] + gap)
        for (x, y, label, colour), ly in zip(ends, logs):
            ax.annotate(label, (x, 2 ** ly), xytext=(6, 0), textcoords="offset points",
                        va="center", color=colour, fontsize=MIN_FONT_PT + 0.5)
        ax.set_xscale("log", base=2)
        ticks = [2 ** k for k in range(int(math.log2(max_n)) + 1)]
        ax.set_xticks(ticks)
        ax.set_xticklabels([str(t) for t in ticks])
        ax.set_xlim(0.9, max_n * 2.3)  # room on the right for the labels
        # Speedups from below 1 (threads under a GIL) to n: a log-2 axis keeps both readable.
        ax.set_yscale("log", base=2)
        ys = [s.points[n][0] for s in series for n in s.ns]
        ax.set_yticks(_speedup_ticks(min(ys), max(ys)))
        ax.set_yticklabels(["%g" % t for t in _speedup_ticks(min(ys), max(ys))])
        ax.minorticks_off()
        ax.axhline(1.0, color="gray", linewidth=0.8)
        if pus and pus < max_n:  # beyond it the workers outnumber the PUs
            ax.axvline(pus, color="gray", linestyle=":", linewidth=1)
            ax.annotate("%d PUs" % pus, (pus, 1.0), xycoords=("data", "axes fraction"),
                        xytext=(3, -12), textcoords="offset points", color="gray",
                        fontsize=MIN_FONT_PT + 0.5)
        ax.set_xlabel("workers n (log scale)")
        ax.set_ylabel("%s: throughput ÷ one thread's\n(log scale)" % workload)
    return _save(plt, fig, run_dir, SCALING_PNG)
