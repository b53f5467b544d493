#!/usr/bin/python3
"""The report's "Who made whom wait" (scripts/reporting/blame.py) on blame files written as
gilbench writes them: row names recovered from file names (a workload's own '_' kept), the top
charges in words with the holder's stack innermost first, gilbench's pass record skipped, an
unreadable file named instead of failing, and a run without blame said so.

    /usr/bin/python3 tests/scripts/blame_report_test.py
"""

import json
import os
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)), "scripts"))
from reporting import blame, doc  # noqa: E402

LATENCY = {"total_wait_ns": 171_000_000, "waits": 48, "entries": [
    {"waiter": "worker-0 (echo)", "holder": "worker-1 (burn)",
     "location": "countdown (io_trio.py:21)",
     "stack": ["burn (io_trio.py:32)", "countdown (io_trio.py:21)"],
     "wait_ns": 170_000_000, "waits": 33, "share": 0.9942},
    {"waiter": "worker-1 (burn)", "holder": "worker-0 (echo)", "location": "echo (io_trio.py:40)",
     "stack": ["echo (io_trio.py:40)"], "wait_ns": 1_000_000, "waits": 15, "share": 0.0058}]}


class BlameReportTest(unittest.TestCase):
    def setUp(self):
        self.tmp_dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp_dir.cleanup)
        self.run_dir = self.tmp_dir.name

    def write(self, name, content):
        folder = os.path.join(self.run_dir, "blame")
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, name), "w") as f:
            f.write(content if isinstance(content, str) else json.dumps(content))

    def test_row_names(self):
        self.assertEqual(blame.row_name("latency_py3_threads_1_os"), "latency/py3/threads/1/os")
        self.assertEqual(blame.row_name("pipe_io_fifo_threads_2_one-core"),
                         "pipe_io/fifo/threads/2/one-core")
        self.assertEqual(blame.row_name("odd"), "odd")

    def test_top_charges_in_words(self):
        self.write("latency_py3_threads_1_os.json", LATENCY)
        self.write("gilbench-blame.json", {"context": {}, "benchmarks": []})
        out = blame.blocks(self.run_dir)
        (bullets,) = [b for b in out if isinstance(b, doc.Bullets)]
        self.assertEqual(len(bullets.items), 1)  # the pass's own record is no row
        self.assertEqual(
            bullets.items[0],
            "`latency/py3/threads/1/os` (171 ms waited in all): worker-0 (echo) waited 170 ms in "
            "33 waits (99% of all waiting) while worker-1 (burn) held the GIL at countdown "
            "(io_trio.py:21), called from burn (io_trio.py:32); worker-1 (burn) waited 1.00 ms "
            "in 15 waits (1% of all waiting) while worker-0 (echo) held the GIL at echo "
            "(io_trio.py:40).")

    def test_where_the_holder_was_when_asked(self):
        """Said only where it differs from the drop (older files, without it, read as before)."""
        entries = [dict(LATENCY["entries"][0], asked_holder="worker-1 (burn)",
                        asked_location="spin (io_trio.py:9)",
                        asked_stack=["burn (io_trio.py:31)", "spin (io_trio.py:9)"]),
                   dict(LATENCY["entries"][1], asked_holder="worker-0 (echo)",
                        asked_location="echo (io_trio.py:40)",
                        asked_stack=["echo (io_trio.py:40)"])]
        self.write("latency_py3_threads_1_os.json", dict(LATENCY, entries=entries))
        (bullets,) = [b for b in blame.blocks(self.run_dir) if isinstance(b, doc.Bullets)]
        self.assertIn("called from burn (io_trio.py:32) (when it asked, worker-1 (burn) was at "
                      "spin (io_trio.py:9), called from burn (io_trio.py:31));",
                      bullets.items[0])
        self.assertTrue(bullets.items[0].endswith("held the GIL at echo (io_trio.py:40)."))

    def test_unreadable_files_are_named(self):
        self.write("latency_py3_threads_1_os.json", LATENCY)
        self.write("convoy_py3_threads_1_os.json", "{not json")
        text = " ".join(getattr(b, "text", "") for b in blame.blocks(self.run_dir))
        self.assertIn("Unreadable blame files: convoy_py3_threads_1_os.json", text)

    def test_no_blame_is_said(self):
        (para,) = blame.blocks(self.run_dir)
        self.assertIn("No GIL blame in this run", para.text)


if __name__ == "__main__":
    unittest.main()
