#!/usr/bin/python3
"""Tests of scripts/export: each format's shape, checked against a JSON Schema written from the
tool's documentation (tests/scripts/schemas/), and its figures checked against the run they come
from.

Inputs: the fixture run (tests/scripts/fixtures/full: every workload, skipped rows, CPython's rows,
no rounds) and the committed reference run (results/amd-epyc-2pu/decomposition-20261206-b:
repetitions in rounds, so paired ratios with intervals and the decomposition's parts).

Run: /usr/bin/python3 tests/scripts/export_test.py [TestCase] (or ctest -R '^export').
Exits 77 (ctest: skipped) when jsonschema is missing (scripts/setup installs python3-jsonschema).
"""

import csv
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
EXPORT = os.path.join(REPO, "scripts", "export")
FIXTURE = os.path.join(HERE, "fixtures", "full")
REFERENCE = os.path.join(REPO, "results", "amd-epyc-2pu", "decomposition-20261206-b")
SCHEMAS = os.path.join(HERE, "schemas")

sys.dont_write_bytecode = True  # no __pycache__ left in the source tree
sys.path.insert(0, os.path.join(REPO, "scripts"))
from reporting import export, runs  # noqa: E402

try:
    import jsonschema
except ImportError:
    print("export_test: skipped: python3-jsonschema is not installed (scripts/setup)")
    sys.exit(77)


def run_export(*args, check=True):
    proc = subprocess.run([EXPORT, *args], capture_output=True, text=True, timeout=120)
    if check and proc.returncode != 0:
        raise AssertionError("scripts/export %s: exit %d\n%s" % (" ".join(args), proc.returncode,
                                                                  proc.stderr))
    return proc


def schema(name):
    with open(os.path.join(SCHEMAS, name)) as f:
        doc = json.load(f)
    jsonschema.Draft7Validator.check_schema(doc)
    return jsonschema.Draft7Validator(doc)


BENCHER = "bencher-bmf.schema.json"
GAB = "github-action-benchmark-custom.schema.json"


def skipped_names(path):
    """Names of the rows of a run that failed or were skipped."""
    results = export.load(path)
    return {export.benchmark_name(r.key) for r in results.select() if not r.ok}


class SchemaTest(unittest.TestCase):
    """Each JSON format validates against its tool's schema, for both runs."""

    def test_bencher(self):
        validator = schema(BENCHER)
        for run in (FIXTURE, REFERENCE):
            doc = json.loads(run_export(run, "--format", "bencher").stdout)
            validator.validate(doc)
            self.assertGreater(len(doc), 10, run)

    def test_github_action_benchmark(self):
        validator = schema(GAB)
        with tempfile.TemporaryDirectory() as tmp:
            for run in (FIXTURE, REFERENCE):
                prefix = os.path.join(tmp, os.path.basename(run))
                run_export(run, "--format", "github-action-benchmark", "--out", prefix)
                for direction in ("smaller", "bigger"):
                    with open("%s-%s.json" % (prefix, direction)) as f:
                        doc = json.load(f)
                    validator.validate(doc)
                    names = [e["name"] for e in doc]
                    self.assertEqual(len(names), len(set(names)), "names must be unique")
                    for e in doc:
                        self.assertIn("%s is better" % direction, e["extra"])

    def test_schemas_refuse_what_the_tools_cannot_read(self):
        """The schemas are not vacuous: each refuses the mistakes an exporter could make."""
        bmf = schema(BENCHER)
        for bad in ({"b": {"wall-time": {"value": "1.0"}}},
                    {"b": {"wall-time": {"lower_value": 1.0}}},
                    {"b": {"wall-time": {"value": 1.0, "lower": 0.9}}},
                    {"b": {"x" * 65: {"value": 1.0}}},
                    {"b": {}},
                    [{"value": 1.0}]):
            self.assertFalse(bmf.is_valid(bad), bad)
        gab = schema(GAB)
        for bad in ([{"name": "a", "value": 1.0}],
                    [{"name": "a", "unit": "s", "value": "1.0"}],
                    [{"name": "a", "unit": "s", "value": 1.0, "range": 0.1}],
                    {"name": "a", "unit": "s", "value": 1.0}):
            self.assertFalse(gab.is_valid(bad), bad)


class SkippedRowsTest(unittest.TestCase):
    """A failed or skipped row becomes no data point in any format."""

    def test_no_skipped_row_is_a_data_point(self):
        skipped = skipped_names(FIXTURE)
        self.assertTrue(skipped, "the fixture has skipped rows (smt on a machine without SMT)")
        bencher = json.loads(run_export(FIXTURE, "--format", "bencher").stdout)
        self.assertFalse(skipped & set(bencher))
        rows = list(csv.DictReader(io.StringIO(run_export(FIXTURE, "--format", "csv").stdout)))
        self.assertFalse(skipped & {r["benchmark"] for r in rows})
        for direction in ("smaller", "bigger"):
            doc = json.loads(run_export(FIXTURE, "--format", "github-action-benchmark",
                                        "--direction", direction).stdout)
            self.assertFalse(skipped & {e["name"].split(" ")[0] for e in doc})

    def test_markdown_lists_them_with_their_reason(self):
        text = run_export(FIXTURE, "--format", "markdown").stdout
        self.assertIn("### Rows with no figures", text)
        tail = text.split("### Rows with no figures", 1)[1]
        for name in skipped_names(FIXTURE):
            self.assertIn("`%s`: " % name, tail)
        self.assertNotIn("| `%s` |" % sorted(skipped_names(FIXTURE))[0], text)

    def test_stderr_counts_them(self):
        proc = run_export(FIXTURE, "--format", "csv")
        self.assertRegex(proc.stderr, r"\d+ rows without figures left out")


class FiguresTest(unittest.TestCase):
    """The exported figures are the run's."""

    @classmethod
    def setUpClass(cls):
        cls.results = export.load(REFERENCE)
        cls.metrics, _ = export.collect(cls.results)
        cls.by = {(m.benchmark, m.measure): m for m in cls.metrics}

    def test_wall_time_is_the_median_with_min_max_bounds(self):
        run = self.results.get("countdown", "py3", "threads", 2, "os")
        m = self.by[("countdown/py3/threads/2/os", "wall-time")]
        times = run.values(runs.TIME)
        self.assertEqual(m.value, statistics.median(times))
        self.assertEqual((m.lower, m.upper), (min(times), max(times)))
        self.assertEqual(m.repetitions, len(times))
        self.assertEqual(m.direction, export.SMALLER)

    def test_ratio_is_the_claims_paired_ratio(self):
        with open(os.path.join(REFERENCE, "verdict.json")) as f:
            verdict = json.load(f)
        checked = 0
        for claim in verdict["claims"]:
            m = self.by.get((claim["row"], "ratio-vs-seq"))
            self.assertIsNotNone(m, claim["row"])
            self.assertAlmostEqual(m.value, claim["ratio"], places=3)
            if claim["low"] is not None:
                self.assertAlmostEqual(m.lower, claim["low"], places=3)
                self.assertAlmostEqual(m.upper, claim["high"], places=3)
                self.assertLessEqual(m.lower, m.value)
                self.assertLessEqual(m.value, m.upper)
            checked += 1
        self.assertGreater(checked, 5)

    def test_gil_figures_only_on_threads_rows(self):
        for m in self.metrics:
            if m.measure.startswith("gil-"):
                self.assertEqual(m.benchmark.split("/")[2], "threads", m)

    def test_handoffs_per_second(self):
        run = self.results.get("countdown", "py2", "threads", 2, "os")
        per_s = [s["gil_handoffs"] / s[runs.TIME] for s in run.samples]
        m = self.by[("countdown/py2/threads/2/os", "gil-handoffs-per-s")]
        self.assertAlmostEqual(m.value, statistics.median(per_s))

    def test_decomposition_parts_add_up_with_the_residual(self):
        rows = {m.benchmark for m in self.metrics if m.measure == "extra-total"}
        self.assertTrue(rows)
        for row in rows:
            total = self.by[(row, "extra-total")].value
            parts = sum(m.value for m in self.metrics
                        if m.benchmark == row and m.measure.startswith("extra-")
                        and m.measure != "extra-total")
            self.assertAlmostEqual(parts, total, places=9, msg=row)

    def test_io_rows_in_the_fixture(self):
        metrics, _ = export.collect(export.load(FIXTURE))
        measures = {m.measure for m in metrics}
        self.assertTrue({"io-latency-p50", "io-latency-p99", "io-ops-per-s"} <= measures)
        for m in metrics:
            self.assertEqual(m.direction, export.BIGGER if m.measure == "io-ops-per-s"
                             else export.SMALLER, m)
            if m.lower is not None:
                self.assertLessEqual(m.lower, m.upper, m)
        # CPython's rows come from cpython.json, beside the VM's.
        self.assertTrue(any(m.benchmark.split("/")[1] == "cpython" for m in metrics))

    def test_csv_matches_the_metrics(self):
        rows = list(csv.DictReader(io.StringIO(run_export(REFERENCE, "--format", "csv").stdout)))
        self.assertEqual(len(rows), len(self.metrics))
        self.assertEqual(tuple(rows[0].keys()), export.CSV_FIELDS)


class CommandLineTest(unittest.TestCase):
    def test_bad_input_is_exit_2(self):
        for args in ((), (REFERENCE,), (REFERENCE, "--format", "xml"),
                     ("/nonexistent", "--format", "csv"),
                     (REFERENCE, "--format", "github-action-benchmark"),
                     (REFERENCE, "--format", "csv", "--direction", "up")):
            proc = run_export(*args, check=False)
            self.assertEqual(proc.returncode, 2, args)
            self.assertIn("scripts/export:", proc.stderr)

    def test_out_file_and_direction(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "bmf.json")
            proc = run_export(REFERENCE, "--format", "bencher", "--out", out,
                              "--direction", "smaller")
            self.assertEqual(proc.stdout, "")
            with open(out) as f:
                doc = json.load(f)
            self.assertNotIn("io-ops-per-s", {m for b in doc.values() for m in b})
            self.assertEqual(os.listdir(tmp), ["bmf.json"])  # no temporary left behind

    def test_help(self):
        self.assertIn("Bencher Metric Format", run_export("--help").stdout)


class SpawnersTest(unittest.TestCase):
    """The workloads that make their own threads or processes (fixtures/spawners): their locks',
    queues' and pools' figures, only on the rows that counted them."""

    @classmethod
    def setUpClass(cls):
        cls.results = export.load(os.path.join(HERE, "fixtures", "spawners"))
        cls.metrics, _ = export.collect(cls.results)
        cls.by = {(m.benchmark, m.measure): m for m in cls.metrics}

    def test_lock_figures_only_where_locks_were_counted(self):
        m = self.by[("bank/prio/threads/4/os", "lock-contended-share")]
        run = self.results.get("bank", "prio", "threads", 4, "os")
        self.assertAlmostEqual(m.value, statistics.median(
            s["lock_contended"] / s["lock_acquisitions"] for s in run.samples))
        self.assertLessEqual(m.lower, m.value)
        self.assertLessEqual(m.value, m.upper)
        self.assertIn(("bank/prio/threads/4/os", "lock-wait-p99"), self.by)
        for (name, measure) in self.by:
            if measure.startswith(("lock-", "queue-")):
                self.assertEqual(name.split("/")[2], "threads", name)
                self.assertNotEqual(name.split("/")[1], "cpython", name)  # CPython counts none
        self.assertNotIn(("factorize_class/py3/threads/2/os", "lock-contended-share"), self.by)

    def test_queue_wait_per_item(self):
        run = self.results.get("pipeline", "py3", "threads", 2, "os")
        m = self.by[("pipeline/py3/threads/2/os", "queue-wait-per-item")]
        self.assertAlmostEqual(m.value, statistics.median(
            s["queue_wait_ns_total"] / s["queue_items_got"] * 1e-3 for s in run.samples))

    def test_pool_rows_against_processes(self):
        m = self.by[("pool/py3/pool/2/os", "pool-vs-processes")]
        self.assertEqual(m.repetitions, 5)
        self.assertLess(m.lower, m.value)
        self.assertLess(m.value, m.upper)
        self.assertIn(("pool/py3/pool/2/os", "pool-serialize"), self.by)
        self.assertIn(("pool/cpython/pool/2/os", "pool-vs-processes"), self.by)
        self.assertNotIn(("pool/cpython/pool/2/os", "pool-serialize"), self.by)
        self.assertFalse([k for k in self.by if k[1].startswith("pool-")
                          and k[0].split("/")[2] != "pool"])


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1] + sys.argv[1:])
