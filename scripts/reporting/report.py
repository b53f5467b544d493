"""scripts/report RUN_DIR: turn a gilbench run directory into report.md, report.html and charts.

RUN_DIR holds gilbench.json and, optionally, cpython.json (scripts/cpython-bench: the same
workloads under CPython, policy `cpython`), trace.json (`gilvm --trace`) and topology.xml (hwloc).
The report is the same for the same input — no time of its making is written into report.md — so
it can be golden-tested and diffed between runs. Every optional piece that is missing becomes a
sentence saying so, never a crash. So do the steps scripts/reproduce could not finish
(missing_steps.json) and the values of the JSON files that cannot be used (a NaN or a string for
a time, a list for a context key: runs.py leaves them out): the report opens with them and goes on
with the rows that can be reported.

Sections: the verdict; per workload, time against one thread with the counters that explain it;
for the workloads that start their own threads and processes, their locks, queues and pools;
the I/O trio and the switch-interval trade-off beside the published figures; charts (ratio,
latency, switch interval, GIL timeline); the machine; how to read the counters.

Exit status: 0 written, 1 when gilbench.json is missing or unreadable (or the report cannot be
written), 2 for bad usage.
"""

import os
import sys

from . import (blame, charts, claims, contention, decomposition, doc, fairness, fmt, html,
               machine, machine_state, missing_steps, runs, scaling, tables, trace, verdict)
from .doc import Bullets, Heading, Image, Para, Table

USAGE = "usage: scripts/report RUN_DIR   (RUN_DIR/gilbench.json -> RUN_DIR/report.md, report.html)"
REPORT_MD = "report.md"
REPORT_HTML = "report.html"
BANK_TRACE = "trace_bank.json"
CHART_FILES = (charts.HEADLINE_PNG, charts.RATIO_PNG, charts.LATENCY_PNG, charts.INTERVAL_PNG,
               charts.TIMELINE_PNG, charts.BANK_TIMELINE_PNG, charts.DECOMPOSITION_PNG)


class RunDir:
    """What a run directory holds, loaded; optional pieces are None with a reason kept."""

    def __init__(self, run_dir, gilbench_path):
        self.path = run_dir
        self.gilbench = runs.load(gilbench_path)  # LoadError propagates: no report without it
        self.cpython, self.cpython_problem = self._optional_runs("cpython.json")
        self.trace, self.trace_problem = self._optional_trace("trace.json")
        # scripts/reproduce's traced bank run, with the workloads that make their own threads
        self.bank_trace, self.bank_trace_problem = self._optional_trace(BANK_TRACE)
        self.topology = machine.read_topology(os.path.join(run_dir, "topology.xml"))
        self.state, self.state_problem = self._optional_state()
        self.missing, self.missing_problem = self._optional_missing_steps()
        files = [self.gilbench] + ([self.cpython] if self.cpython else [])
        self.results = runs.Results(files)
        self.context = self.gilbench.context

    def _optional_runs(self, name):
        path = os.path.join(self.path, name)
        if not os.path.exists(path):
            return None, "no %s in the run directory" % name
        try:
            return runs.load(path), None
        except runs.LoadError as e:
            return None, "%s could not be read (%s)" % (name, e)

    def _optional_trace(self, name):
        path = os.path.join(self.path, name)
        if not os.path.exists(path):
            return None, "no %s in the run directory (make one with `gilvm --trace=FILE`)" % name
        try:
            return trace.load(path), None
        except trace.TraceError as e:
            return None, "%s could not be read (%s)" % (name, e)

    def _optional_state(self):
        """The machine's state before the run (scripts/reproduce writes it) or None, and why it
        could not be read."""
        try:
            return machine_state.load(self.path), None
        except runs.LoadError as e:
            return None, str(e)

    def _optional_missing_steps(self):
        """What scripts/reproduce did not finish ((signal, [sentences]) or None), and why the
        record could not be read."""
        try:
            return missing_steps.load(self.path), None
        except runs.LoadError as e:
            return None, str(e)

    def problems(self):
        """[(file name, [runs.Problem])] of the loaded files that had values left out."""
        return [(os.path.basename(f.path), f.problems) for f in (self.gilbench, self.cpython)
                if f is not None and f.problems]

    @property
    def cpython_version(self):
        return self.cpython.context.get("python_version") if self.cpython else None


def _intro(rd):
    ctx = rd.context
    sources = ["`gilbench.json`"] + ["`%s`" % n for n, present in
                                     (("cpython.json", rd.cpython), ("trace.json", rd.trace),
                                      ("topology.xml", rd.topology)) if present]
    facts = []
    if ctx.get("date"):
        facts.append("run of %s" % ctx["date"])
    if ctx.get("size"):
        facts.append("size `%s`" % ctx["size"])
    if ctx.get("gil_switch_interval_us"):
        facts.append("switch interval %s" % fmt.interval_us(float(ctx["gil_switch_interval_us"])))
    if ctx.get("git_revision"):
        facts.append("git `%s`" % ctx["git_revision"])
    text = "; ".join(facts) + ". " if facts else ""
    text = text[:1].upper() + text[1:]
    return [Para(text + "From " + ", ".join(sources) + ".")]


def _incomplete_note(rd):
    """The steps of the reproduction that failed, were interrupted or did not run."""
    if rd.missing_problem:
        return [Para("*Whether steps of this run are missing is not known: %s.*"
                     % rd.missing_problem)]
    if rd.missing is None:
        return []
    signal_name, missing = rd.missing
    head = "**This run is incomplete**%s: what follows is what was measured whole." % (
        " (interrupted by %s)" % signal_name if signal_name else "")
    return [Para(head + " Missing:"), Bullets(missing)] if missing else [Para(head)]


def _problems_note(rd):
    """The values of the run's files that cannot be used, and what became of their rows."""
    out = []
    for name, problems in rd.problems():
        out += [Para("**Values left out of `%s`**, which cannot be used: the rows they belong to "
                     "are reported without them (a row without a usable time as failed)." % name),
                Bullets(runs.problem_lines(problems))]
    if rd.state_problem:
        out.append(Para("*The machine's state before the run is not known: %s.*"
                        % rd.state_problem))
    return out


def _cpython_note(rd):
    if rd.cpython is not None:
        return []
    return [Para("CPython rows: %s (scripts/cpython-bench writes it)." % rd.cpython_problem)]


def _unavailable_note(rd):
    """The placements gilbench did not run because this machine cannot give them."""
    text = rd.context.get("placements_unavailable")
    if not text:
        return []
    return [Para("Not measured here (this machine cannot give these placements): %s." % text)]


def _unparsed(rd):
    names = rd.results.unparsed
    if not names:
        return []
    return [Para("Rows whose names are not `workload/policy/mode/n/placement`, left out: "
                 + ", ".join("`%s`" % n for n in names) + ".")]


def _clear_stale(run_dir, keep):
    """Remove our chart files an earlier report left that this one did not draw."""
    for name in CHART_FILES:
        path = os.path.join(run_dir, name)
        if name not in keep and os.path.exists(path):
            os.remove(path)


def _chart(drawn, alt, caption, skipped_what):
    """An Image block for a drawn chart, or the sentence saying why it was skipped."""
    filename, reason = drawn
    if filename:
        return [Image(filename, alt, caption)]
    return [Para("*%s skipped: %s.*" % (skipped_what, reason))]


def _draw(function, *args):
    """Draw one chart; a chart that cannot be drawn costs its picture, not the report."""
    try:
        return function(*args)
    except charts.ChartsUnavailable as e:
        return None, str(e)
    except Exception as e:  # noqa: BLE001  (matplotlib on odd data: say so and go on)
        return None, "could not draw it (%s: %s)" % (type(e).__name__, e)


def chart_blocks(rd):
    results, run_dir = rd.results, rd.path
    bandwidth, _ = tables.sweep_runs(results, "bandwidth", "threads")
    headline = charts.headline_data(results)
    out = []
    drawn = _draw(charts.headline_chart, headline, run_dir)
    out += _chart(drawn, "time against one thread, per policy",
                  charts.headline_caption(headline), "Headline chart")
    out += _chart(_draw(charts.ratio_chart, results, run_dir), "time ratio against threads",
                  "Time of n threads ÷ one thread, a row per workload and a panel per policy "
                  "(CPython in black); dotted: 1/n, what n free cores would give without a GIL. "
                  "Lines join measured points only.", "Ratio chart")
    out += _chart(_draw(charts.latency_chart, results, run_dir), "latency against CPU threads",
                  "The I/O thread's median latency against the CPU-bound threads (solid) or "
                  "processes (dashed, open markers) beside it, a panel per policy; log scale.",
                  "Latency chart")
    out += _chart(_draw(charts.interval_chart, bandwidth, run_dir), "switch interval trade-off",
                  "Requests/s with one CPU-bound thread against the switch interval (log-log), "
                  "a panel per policy; X: the published new-GIL figures.",
                  "Switch-interval chart")
    return out


def decomposition_chart_blocks(rd):
    workloads = runs.CPU_WORKLOADS + runs.OTHER_WORKLOADS
    out = []
    ds = decomposition.all_decompositions(rd.results, workloads)
    if ds:  # else the section's text says why there is nothing to split
        out += _chart(_draw(charts.decomposition_chart, ds, rd.path), "where the extra time went",
                      "Each threads row's time beyond its one-thread row: the measured parts "
                      "stacked (negative ones to the left), the black tick the extra time "
                      "itself, the hatched grey bar under it what the parts leave unexplained.",
                      "Extra-time chart")
    procs = decomposition.all_decompositions(rd.results, workloads, parallel=True)
    if procs:
        out += _chart(_draw(lambda d, p: charts.decomposition_chart(d, p, processes=True), procs,
                            rd.path), "where the side-by-side workers' time went",
                      "Each processes row's (and subinterp threads row's) time beyond an even "
                      "split of its one-thread row (its time / n): the slowest worker's parts "
                      "stacked, the black tick the time itself, the hatched grey bar what the "
                      "parts leave unexplained.", "Processes-time chart")
    return out


def scaling_chart_blocks(rd):
    data = scaling.chart_series(rd.results)
    if not data[1]:
        return []  # the section's text says why there is no curve
    return _chart(_draw(charts.scaling_chart, data, rd.path), "throughput against workers",
                  "Throughput of n workers ÷ one thread's, against n on a log-2 axis, a panel "
                  "per workload: measured points joined (squares: processes), the fitted "
                  "Universal Scalability Law dashed.", "Scaling chart")


def timeline_blocks(rd, tr, problem, json_name="trace.json", png=charts.TIMELINE_PNG):
    """The GIL timeline of a traced run read from `json_name` (None and why, when it could not
    be)."""
    if tr is None:
        return [Para("*GIL timeline skipped: %s.*" % problem)]
    drawn = _draw(charts.timeline_chart, tr, rd.path, png)
    filename, reason, clipped = drawn if len(drawn) == 3 else drawn + (False,)
    out = []
    where = ("Perfetto file: `%s` — open it in [ui.perfetto.dev](https://ui.perfetto.dev) "
             "(or chrome://tracing) to zoom." % json_name)
    if filename:
        caption = ("One row per thread: holding the GIL (solid green), waiting for it (hatched), "
                   "blocked in I/O or sleep (grey)%s; marks: futile wakeup ×, drop request ▼, "
                   "forced switch |. %s" % (
                       ", waiting for a lock, a condition, a queue or a future with the GIL "
                       "released (blue, cross-hatched)" if tr.has_state(trace.LOCK_WAIT)
                       else "", charts.timeline_facts(tr)))
        if clipped:
            caption += (" Only the first %s spans are drawn." %
                        "{:,}".format(charts.TIMELINE_MAX_SPANS))
        out.append(Image(filename, "GIL timeline", caption + " " + where))
    else:
        out += [Para("*GIL timeline skipped: %s.*" % reason), Para(where)]
    return out + [_trace_table(tr)]


def _bank_trace_facts(tr):
    """` (4 threads moving money, policy `prio`): its threads spent ... Of its 1,234 waits for a
    lock, ...`: where bank's threads spent their time, and how many lock waits ended in a wait
    for the GIL."""
    workers = [t for t in tr.threads if t.label() != "MainThread"]
    what = " (%d threads moving money, policy `%s`)" % (len(workers), tr.policy or "not recorded")
    spent = {s: sum(t.total_us(s) for t in workers) for s in trace.STATES}
    total = sum(spent.values())
    if total > 0:
        what += ": its threads spent %s of their time waiting for an account's lock (blue), " \
                "%s waiting for the GIL (hatched) and %s holding it" % tuple(
                    fmt.percent(spent[s] / total) for s in (trace.LOCK_WAIT, "waiting", "holding"))
    what += "."
    waits, then_gil, median_us = tr.lock_waits_then_gil()
    if waits:
        what += (" Of its %s waits for a lock, %s (%s) ended in a wait for the GIL (median %s) "
                 "with the lock already taken: the woken thread holds the lock while it waits "
                 "for the GIL, and the next thread that needs that lock must wait in its turn." % (
                     fmt.count(waits), fmt.count(then_gil), fmt.percent(then_gil / waits),
                     fmt.seconds(median_us * 1e-6 if median_us is not None else None)))
    return what


def bank_timeline_blocks(rd):
    """The traced bank run (scripts/reproduce makes it with the spawner workloads), or nothing
    when the run directory has none."""
    if rd.bank_trace is None and not os.path.exists(os.path.join(rd.path, BANK_TRACE)):
        return []
    tr = rd.bank_trace
    intro = Para("A traced run of `bank`" + ("." if tr is None else _bank_trace_facts(tr)))
    return [Heading(3, "Timeline: bank's locks and the GIL"), intro] + timeline_blocks(
        rd, rd.bank_trace, rd.bank_trace_problem, BANK_TRACE, charts.BANK_TIMELINE_PNG)


def _trace_table(tr):
    # A trace without lock waits (no lock in the program, or an older gilvm) gets no column
    # of dashes for them.
    states = [s for s in trace.STATES if s != trace.LOCK_WAIT or tr.has_state(s)]
    rows = []
    for t in tr.threads:
        rows.append([t.label(), str(t.tid)]
                    + [fmt.seconds(t.total_us(s) * 1e-6) for s in states]
                    + [fmt.count(len(t.spans.get("holding", ())))]
                    + [fmt.count(len(t.marks.get(m, ()))) for m in trace.MARKS])
    headers = ["thread", "tid"] + states + ["holds", "futile wakeups", "drop requests",
                                            "forced switches"]
    table = Table(headers, rows, ["l"] + ["r"] * (len(headers) - 1))
    table.notes.append("Trace of policy %s, switch interval %s, over %s; %s." % (
        tr.policy or "(not recorded)", charts.interval_words(tr),
        fmt.seconds((tr.end - tr.start) * 1e-6),
        "no events dropped" if tr.dropped == 0 else
        "%s events dropped (full buffers): the picture has gaps" % "{:,}".format(tr.dropped)))
    return table


def build(rd):
    """The whole report as doc blocks, and its title."""
    phrase = machine.machine_phrase(rd.context, rd.topology)
    title = "gilbench report — %s" % phrase
    blocks = [Heading(1, title)] + _intro(rd) + _incomplete_note(rd) + _problems_note(rd)
    blocks += [Heading(2, "Verdict")]
    blocks += verdict.blocks(rd.results, phrase, rd.cpython_version,
                             machine_state.report_sentence(rd.state))
    blocks += _cpython_note(rd) + _unavailable_note(rd)
    blocks += [Heading(2, "Charts")]
    blocks += chart_blocks(rd)
    blocks += [Heading(3, "GIL timeline")]
    blocks += timeline_blocks(rd, rd.trace, rd.trace_problem)
    blocks += [Heading(2, "Time against one thread, and the counters that explain it")]
    blocks += tables.workload_tables(rd.results, rd.context.get("pmu_status"))
    blocks += _unparsed(rd)
    if contention.present(rd.results):
        blocks += [Heading(2, "Locks, queues and pools")]
        blocks += contention.blocks(rd.results, rd.cpython_version)
        blocks += bank_timeline_blocks(rd)
    blocks += [Heading(2, "Where the extra time went")]
    blocks += decomposition_chart_blocks(rd)
    blocks += decomposition.blocks(rd.results, runs.CPU_WORKLOADS + runs.OTHER_WORKLOADS)
    blocks += [Heading(2, "Scaling: throughput against the number of workers")]
    blocks += scaling_chart_blocks(rd)
    blocks += scaling.blocks(rd.results)
    blocks += [Heading(2, "How evenly the workers progressed")]
    blocks += fairness.blocks(rd.results)
    blocks += [Heading(2, "Who made whom wait")]
    blocks += blame.blocks(rd.path)
    blocks += [Heading(2, "I/O beside CPU-bound threads")]
    blocks += tables.io_tables(rd.results)
    blocks += [Heading(2, "The switch interval")]
    blocks += tables.sweep_tables(rd.results)
    blocks += [Heading(2, "The machine")]
    blocks += machine.machine_blocks(rd.context, rd.topology,
                                     rd.cpython.context if rd.cpython else None)
    blocks += [Heading(2, "How to read the counters")]
    blocks += machine.counters_blocks()
    return blocks, title


def _paths(target):
    """(run directory, gilbench.json path) of a run directory or of a gilbench.json given."""
    if os.path.isfile(target):
        return os.path.dirname(os.path.abspath(target)), target
    return target, os.path.join(target, "gilbench.json")


def main(argv):
    args = argv[1:]
    if args and args[0] in ("-h", "--help"):
        print(__doc__.strip())
        return 0
    if len(args) != 1 or args[0].startswith("-"):
        print(USAGE, file=sys.stderr)
        return 2
    run_dir, gilbench_path = _paths(args[0])
    try:
        rd = RunDir(run_dir, gilbench_path)
    except runs.LoadError as e:
        print("scripts/report: %s" % e, file=sys.stderr)
        return 1
    for name, problems in rd.problems():
        print("scripts/report: %s: values that cannot be used, left out of the report: %s"
              % (name, runs.problems_text(problems)), file=sys.stderr)
    if rd.state_problem:
        print("scripts/report: %s" % rd.state_problem, file=sys.stderr)
    blocks, title = build(rd)
    _clear_stale(run_dir, {b.filename for b in blocks if isinstance(b, Image)})
    try:
        with open(os.path.join(run_dir, REPORT_MD), "w", encoding="utf-8") as f:
            f.write(doc.to_markdown(blocks))
        with open(os.path.join(run_dir, REPORT_HTML), "w", encoding="utf-8") as f:
            f.write(html.to_html(blocks, title, run_dir))
        claims.write(run_dir, claims.all_claims(rd.results, runs.CPU_WORKLOADS
                                                + runs.OTHER_WORKLOADS + runs.SPAWNER_WORKLOADS),
                     verdict.headline(rd.results, machine.machine_phrase(rd.context, rd.topology),
                                      rd.cpython_version), rd.state,
                     verdict.speed_drift(rd.results))
    except OSError as e:
        print("scripts/report: cannot write the report: %s" % e, file=sys.stderr)
        return 1
    print("report: wrote %s, %s and %s" % (os.path.join(run_dir, REPORT_MD),
                                           os.path.join(run_dir, REPORT_HTML),
                                           os.path.join(run_dir, claims.VERDICT_JSON)))
    return 0
