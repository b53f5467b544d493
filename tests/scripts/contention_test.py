#!/usr/bin/python3
"""The `pool` mode through the report: the workloads that start their own threads and processes
(fixtures/spawners) in the verdict, the charts, the decomposition, the export and
scripts/compare.

    /usr/bin/python3 tests/scripts/contention_test.py
Exits 77 (ctest: skipped) when matplotlib or scipy is missing (scripts/setup installs them).
"""

import os
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
FIXTURES = os.path.join(HERE, "fixtures")
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(REPO, "scripts"))
from reporting import (  # noqa: E402  (needs the path above)
    charts, claims, compare, decomposition, export, fairness, runs, verdict)


class Case(unittest.TestCase):
    def setUp(self):
        self.tmp_dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp_dir.cleanup)
        self.tmp = self.tmp_dir.name


class PoolModeTest(Case):
    """The pool mode through the rest of the report: ordered, named, never decomposed as
    threads or processes, exported and compared like any row."""

    def spawners(self):
        fixture = os.path.join(FIXTURES, "spawners")
        return runs.Results([runs.load(os.path.join(fixture, "gilbench.json")),
                             runs.load(os.path.join(fixture, "cpython.json"))])

    def test_order_and_words(self):
        self.assertEqual(runs.MODE_ORDER, ("seq", "threads", "processes", "pool"))
        results = self.spawners()
        modes = [r.key.mode for r in results.select(lambda k: k.workload == "pool"
                                                    and k.policy == "py3")]
        self.assertEqual(modes, ["seq", "processes", "processes", "pool", "pool"])
        self.assertEqual(verdict.workers_phrase("pool", 2), ("a pool of 2 processes", False))
        self.assertEqual(verdict.workers_phrase("threads", 1), ("1 thread", False))
        sentence = verdict.policy_sentence(results, "pool", "py3")
        self.assertIn("; a pool of 2 processes runs it ", sentence)
        self.assertEqual(verdict.headline_columns(results, "executor"),
                         [("threads", 2, "os"), ("processes", 2, "os"), ("pool", 2, "os")])
        self.assertEqual(charts._category_label(("pool", 4, "os")), "pool of 4 processes, os")

    def test_claims_decomposition_fairness(self):
        results = self.spawners()
        ids = {c.id for c in claims.all_claims(results, runs.SPAWNER_WORKLOADS)}
        self.assertIn("pool/py3/pool/2/os:pool/py3/seq/1/os", ids)
        pool_row = results.get("pool", "py3", "pool", 2, "os")
        self.assertIsNone(decomposition.decompose(results, pool_row))
        self.assertNotIn(pool_row, fairness.rows(results))

    def test_export_and_compare(self):
        results = self.spawners()
        metrics, skipped = export.collect(results)
        names = {m.benchmark for m in metrics}
        self.assertIn("pool/py3/pool/2/os", names)
        self.assertIn("executor/subinterp/threads/2/os", {s.benchmark for s in skipped})
        a = runs.load(os.path.join(FIXTURES, "spawners", "gilbench.json"))
        blocks, status = compare.build(a, a, compare.DEFAULT_THRESHOLD)
        self.assertNotEqual(status, compare.EXIT_REGRESSION)
        text = "\n".join(str(b) for b in blocks)
        self.assertIn("pool/py3/pool/2/os/process_time/real_time", text)


if __name__ == "__main__":
    try:
        import matplotlib  # noqa: F401
        import scipy  # noqa: F401
    except ImportError as e:
        print("SKIP: %s (scripts/setup installs python3-matplotlib python3-scipy)" % e)
        sys.exit(77)
    unittest.main()
