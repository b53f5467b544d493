#!/usr/bin/python3
"""The GIL timeline's fourth state: a `gilvm --trace` thread "waiting for a lock" (blocked on a
Lock, Condition, Semaphore, queue or future with the GIL released), on a small synthetic trace:
read as a span state of its own, counted in the report's trace table beside holding, waiting and
blocked (and no column for it in a trace without any), and drawn in a colour of its own with its
own legend entry.

    /usr/bin/python3 tests/scripts/timeline_test.py
Exits 77 (ctest: skipped) when matplotlib or scipy is missing (scripts/setup installs them).
"""

import json
import os
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(REPO, "scripts"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report_deps  # noqa: E402  (beside this file)
from reporting import charts, report, trace  # noqa: E402  (needs the path above)

TRACE = {"traceEvents": [
    {"ph": "M", "pid": 1, "tid": 1, "name": "thread_name", "args": {"name": "MainThread"}},
    {"ph": "M", "pid": 1, "tid": 2, "name": "thread_name", "args": {"name": "Thread-1"}},
    {"ph": "B", "pid": 1, "tid": 1, "ts": 0.0, "name": "holding"},
    {"ph": "E", "pid": 1, "tid": 1, "ts": 100.0, "name": "holding"},
    {"ph": "B", "pid": 1, "tid": 1, "ts": 100.0, "name": "waiting for a lock"},
    {"ph": "E", "pid": 1, "tid": 1, "ts": 350.0, "name": "waiting for a lock"},
    {"ph": "B", "pid": 1, "tid": 1, "ts": 350.0, "name": "waiting"},
    {"ph": "E", "pid": 1, "tid": 1, "ts": 400.0, "name": "waiting"},
    {"ph": "B", "pid": 1, "tid": 2, "ts": 100.0, "name": "holding"},
    {"ph": "E", "pid": 1, "tid": 2, "ts": 400.0, "name": "holding"},
    {"ph": "B", "pid": 1, "tid": 2, "ts": 400.0, "name": "blocked"},
    {"ph": "E", "pid": 1, "tid": 2, "ts": 450.0, "name": "blocked"},
    {"ph": "B", "pid": 1, "tid": 2, "ts": 450.0, "name": "waiting for a lock"},
    {"ph": "E", "pid": 1, "tid": 2, "ts": 500.0, "name": "waiting for a lock"}],
    "otherData": {"policy": "py3", "switch_interval_us": 5000, "dropped_events_total": 0}}


class TraceLockWaitTest(unittest.TestCase):
    def setUp(self):
        self.tmp_dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp_dir.cleanup)
        self.tmp = self.tmp_dir.name

    def load(self, document):
        path = os.path.join(self.tmp, "trace.json")
        with open(path, "w") as f:
            json.dump(document, f)
        return trace.load(path)

    def test_read_and_counted(self):
        tr = self.load(TRACE)
        self.assertEqual(trace.STATES[-1], trace.LOCK_WAIT)
        self.assertTrue(tr.has_state(trace.LOCK_WAIT))
        main, worker = tr.threads
        self.assertEqual(main.total_us(trace.LOCK_WAIT), 250.0)
        self.assertEqual(worker.total_us(trace.LOCK_WAIT), 50.0)
        table = report._trace_table(tr)
        self.assertEqual(table.headers[2:6], ["holding", "waiting", "blocked",
                                              "waiting for a lock"])
        self.assertEqual(table.rows[0][2:6], ["100 µs", "50.0 µs", "0 s", "250 µs"])
        self.assertEqual(table.rows[1][2:6], ["300 µs", "0 s", "50.0 µs", "50.0 µs"])

    def test_lock_waits_then_gil(self):
        # Thread 1's lock wait ends at 350 and its GIL wait (50 µs) begins there; thread 2's
        # lock wait is its last span.
        self.assertEqual(self.load(TRACE).lock_waits_then_gil(), (2, 1, 50.0))

    def test_no_column_without_lock_waits(self):
        events = [e for e in TRACE["traceEvents"] if e.get("name") != trace.LOCK_WAIT]
        tr = self.load(dict(TRACE, traceEvents=events))
        self.assertFalse(tr.has_state(trace.LOCK_WAIT))
        self.assertNotIn(trace.LOCK_WAIT, report._trace_table(tr).headers)

    def test_drawn_with_its_own_colour_and_legend_entry(self):
        tr = self.load(TRACE)
        drawn = {}
        save = charts._save

        def capture(plt, fig, run_dir, filename, top=1.0):
            ax = fig.axes[0]
            drawn["labels"] = [t.get_text() for t in ax.get_legend().get_texts()]
            drawn["colours"] = {c.get_label(): tuple(c.get_facecolor()[0])
                                for c in ax.collections if c.get_label() in trace.STATES}
            return save(plt, fig, run_dir, filename, top)
        charts._save = capture
        try:
            filename, reason, _ = charts.timeline_chart(tr, self.tmp)
        finally:
            charts._save = save
        self.assertEqual((filename, reason), (charts.TIMELINE_PNG, None))
        self.assertIn(trace.LOCK_WAIT, drawn["labels"])
        colours = drawn["colours"]
        self.assertEqual(set(colours), set(trace.STATES))
        self.assertEqual(len(set(colours.values())), len(trace.STATES))  # each its own


if __name__ == "__main__":
    report_deps.main()
