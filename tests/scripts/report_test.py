#!/usr/bin/python3
"""Tests of scripts/report: golden report.md, a self-contained HTML page, missing pieces.

Each test copies a fixture run directory (fixtures/full: everything, fixtures/minimal: countdown
only, fixtures/spawners: the workloads that start their own threads and processes, with a trace
that waits for locks) to a temporary directory and runs the real script on it.

Golden files: golden/<fixture>.report.md. After an intended change to the report, regenerate them
and read the diff before committing:

    UPDATE_GOLDEN=1 /usr/bin/python3 tests/scripts/report_test.py ReportGoldenTest

Run all: /usr/bin/python3 tests/scripts/report_test.py (or ctest -R '^report\\.').
Exits 77 (ctest: skipped) when matplotlib or scipy is missing (scripts/setup installs them).
"""

import base64
import html.parser
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
REPORT = os.path.join(REPO, "scripts", "report")
FIXTURES = os.path.join(HERE, "fixtures")
GOLDEN = os.path.join(HERE, "golden")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

sys.dont_write_bytecode = True  # no __pycache__ left in the source tree
sys.path.insert(0, os.path.join(REPO, "scripts"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report_deps  # noqa: E402  (beside this file)
from reporting import claims, fmt, machine_state, missing_steps, runs, stats, verdict  # noqa: E402


def run_report(*args):
    return subprocess.run([REPORT, *args], capture_output=True, text=True, timeout=100)


class FixtureCase(unittest.TestCase):
    """A temporary copy of a fixture directory per test."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="report_test_")
        self.addCleanup(shutil.rmtree, self.tmp)

    def fixture(self, name):
        path = os.path.join(self.tmp, name)
        shutil.copytree(os.path.join(FIXTURES, name), path)
        return path

    def report(self, run_dir):
        result = run_report(run_dir)
        self.assertEqual(result.returncode, 0, result.stderr)
        with open(os.path.join(run_dir, "report.md"), encoding="utf-8") as f:
            return f.read()


class ReportGoldenTest(FixtureCase):
    def check_golden(self, name):
        md = self.report(self.fixture(name))
        golden = os.path.join(GOLDEN, name + ".report.md")
        if os.environ.get("UPDATE_GOLDEN"):
            os.makedirs(GOLDEN, exist_ok=True)
            with open(golden, "w", encoding="utf-8") as f:
                f.write(md)
        with open(golden, encoding="utf-8") as f:
            expected = f.read()
        self.maxDiff = None
        self.assertEqual(md, expected, "report.md differs from %s (UPDATE_GOLDEN=1 to accept)"
                         % golden)

    def test_full(self):
        self.check_golden("full")

    def test_minimal(self):
        self.check_golden("minimal")

    def test_spawners(self):
        self.check_golden("spawners")

    def test_deterministic(self):
        """The same input gives the same report.md (and the same charts)."""
        run_dir = self.fixture("full")
        first = self.report(run_dir)
        with open(os.path.join(run_dir, "chart-ratio.png"), "rb") as f:
            chart = f.read()
        self.assertEqual(self.report(run_dir), first)
        with open(os.path.join(run_dir, "chart-ratio.png"), "rb") as f:
            self.assertEqual(f.read(), chart)


class _Resources(html.parser.HTMLParser):
    """Collects what an HTML page would load: img src, link href, script src."""

    def __init__(self):
        super().__init__()
        self.images, self.external, self.tags = [], [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.add(tag)
        if tag == "img":
            self.images.append(attrs.get("src", ""))
        if tag in ("link", "script", "iframe") or (tag != "a" and any(
                str(v).startswith(("http:", "https:", "//")) for v in attrs.values())):
            self.external.append((tag, attrs))


class ReportHtmlTest(FixtureCase):
    def parse(self, run_dir):
        with open(os.path.join(run_dir, "report.html"), encoding="utf-8") as f:
            page = f.read()
        parser = _Resources()
        parser.feed(page)
        parser.close()
        return parser

    def test_charts_embedded_as_data_uris(self):
        run_dir = self.fixture("full")
        self.report(run_dir)
        page = self.parse(run_dir)
        self.assertEqual(len(page.images), 6)  # headline, ratio, latency, interval, timeline, scaling
        for src in page.images:
            self.assertTrue(src.startswith("data:image/png;base64,"), src[:40])
            self.assertTrue(base64.b64decode(src.split(",", 1)[1]).startswith(PNG_MAGIC))
        self.assertEqual(page.external, [])
        self.assertIn("style", page.tags)
        self.assertIn("table", page.tags)
        for name in ("chart-headline.png", "chart-ratio.png", "chart-latency.png",
                     "chart-switch-interval.png", "chart-timeline.png"):
            with open(os.path.join(run_dir, name), "rb") as f:
                self.assertTrue(f.read().startswith(PNG_MAGIC), name)

    def test_spawners_page_has_the_section(self):
        """The section "Locks, queues and pools" in the page and its contents, its tables and
        sentences; the timeline with lock waits; verdict.json with the spawners' claims."""
        run_dir = self.fixture("spawners")
        md = self.report(run_dir)
        page = self.parse(run_dir)
        self.assertEqual(len(page.images), 2)  # ratio and timeline: no countdown, no I/O
        self.assertEqual(page.external, [])
        with open(os.path.join(run_dir, "report.html"), encoding="utf-8") as f:
            text = f.read()
        self.assertIn('<h2 id="locks-queues-and-pools">Locks, queues and pools</h2>', text)
        self.assertIn('<a href="#locks-queues-and-pools">', text)
        self.assertIn("- [Locks, queues and pools](#locks-queues-and-pools)", md)
        section = md[md.index("## Locks, queues and pools"):md.index("## Where the extra")]
        self.assertIn("because a thread holding an account's lock is forced off the GIL",
                      section)
        self.assertIn("(inconclusive: the interval straddles the ±5% noise floor)", section)
        self.assertIn("went to the pool's own machinery", section)
        self.assertIn("**Why** (bank): Under `prio`, ", md)
        self.assertIn("| thread | tid | holding | waiting | blocked | waiting for a lock |", md)
        self.assertIn("waiting for a lock, a condition, a queue or a future", md)
        with open(os.path.join(run_dir, "verdict.json"), encoding="utf-8") as f:
            ids = {c["id"] for c in json.load(f)["claims"]}
        self.assertIn("bank/prio/threads/4/os:bank/prio/seq/1/os", ids)
        self.assertIn("pool/py3/pool/2/os:pool/py3/seq/1/os", ids)

    def test_bank_trace_draws_a_second_timeline(self):
        """A run directory with scripts/reproduce's traced bank run (trace_bank.json) gets its
        timeline in the section, with its own chart and Perfetto file named; one whose bank
        trace cannot be read says why and still renders."""
        run_dir = self.fixture("spawners")
        shutil.copy(os.path.join(run_dir, "trace.json"), os.path.join(run_dir, "trace_bank.json"))
        md = self.report(run_dir)
        section = md[md.index("## Locks, queues and pools"):md.index("## Where the extra")]
        self.assertIn("### Timeline: bank's locks and the GIL", section)
        self.assertRegex(section, r"\(2 threads moving money, policy `prio`\): its threads spent "
                                  r"[0-9.]+% of their time waiting for an account's lock")
        self.assertIn("![GIL timeline](chart-timeline-bank.png)", section)
        self.assertIn("Perfetto file: `trace_bank.json`", section)
        self.assertEqual(len(self.parse(run_dir).images), 3)
        with open(os.path.join(run_dir, "chart-timeline-bank.png"), "rb") as f:
            self.assertTrue(f.read().startswith(PNG_MAGIC))
        with open(os.path.join(run_dir, "trace_bank.json"), "w") as f:
            f.write("{not json")
        section = self.report(run_dir).split("## Locks, queues and pools")[1]
        self.assertIn("*GIL timeline skipped: trace_bank.json could not be read", section)
        self.assertFalse(os.path.exists(os.path.join(run_dir, "chart-timeline-bank.png")))

    def test_classic_runs_have_no_such_section(self):
        md = self.report(self.fixture("full"))
        self.assertNotIn("Locks, queues and pools", md)
        self.assertNotIn("waiting for a lock", md)

    def test_minimal_page_has_one_chart(self):
        run_dir = self.fixture("minimal")
        self.report(run_dir)
        page = self.parse(run_dir)
        self.assertEqual(len(page.images), 3)  # only the headline, ratio and scaling charts have data
        self.assertEqual(page.external, [])


class ReportMissingTest(FixtureCase):
    def test_minimal_says_what_is_missing(self):
        md = self.report(self.fixture("minimal"))
        for text in ("no cpython.json in the run directory", "GIL timeline skipped: no trace.json",
                     "No I/O rows (`latency`, `bandwidth`, `convoy`) in this run.",
                     "No switch-interval sweep", "Latency chart skipped",
                     "Switch-interval chart skipped", "| CPU | unknown CPU |"):
            self.assertIn(text, md)

    def test_unreadable_optional_files(self):
        run_dir = self.fixture("full")
        for name in ("cpython.json", "trace.json", "topology.xml"):
            with open(os.path.join(run_dir, name), "w") as f:
                f.write("{not json")
        md = self.report(run_dir)
        self.assertIn("cpython.json could not be read", md)
        self.assertIn("trace.json could not be read", md)
        self.assertIn("| CPU | unknown CPU |", md)

    def test_only_failed_rows(self):
        run_dir = os.path.join(self.tmp, "failed")
        os.mkdir(run_dir)
        rows = [{"name": "countdown/py2/%s/%d/smt/real_time" % (m, n), "run_type": "iteration",
                 "run_name": "countdown/py2/%s/%d/smt/real_time" % (m, n), "repetitions": 1,
                 "error_occurred": True, "error_message": "smt: no core has 2 PUs",
                 "iterations": 0, "real_time": 0.0, "cpu_time": 0.0, "time_unit": "ms"}
                for m, n in (("seq", 1), ("threads", 2))]
        rows.append({"name": "not/ours", "run_type": "iteration", "real_time": 1.0,
                     "time_unit": "ms"})
        with open(os.path.join(run_dir, "gilbench.json"), "w") as f:
            json.dump({"context": {}, "benchmarks": rows}, f)
        md = self.report(run_dir)
        self.assertIn("smt skipped (no core has 2 PUs)", md)
        self.assertIn("No successful run of countdown.", md)
        self.assertIn("`not/ours`", md)
        self.assertIn("Ratio chart skipped", md)

    def test_empty_run(self):
        run_dir = os.path.join(self.tmp, "empty")
        os.mkdir(run_dir)
        with open(os.path.join(run_dir, "gilbench.json"), "w") as f:
            json.dump({"context": {}, "benchmarks": []}, f)
        md = self.report(run_dir)
        self.assertIn("no countdown or factorize rows", md)

    def test_file_argument_and_stale_charts(self):
        """A gilbench.json path works as its directory; charts of an earlier report that this
        one cannot draw are removed, so the directory never shows a stale picture."""
        run_dir = self.fixture("minimal")
        with open(os.path.join(run_dir, "chart-latency.png"), "wb") as f:
            f.write(PNG_MAGIC)
        result = run_report(os.path.join(run_dir, "gilbench.json"))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertTrue(os.path.exists(os.path.join(run_dir, "report.md")))
        self.assertFalse(os.path.exists(os.path.join(run_dir, "chart-latency.png")))


class ReportInputTest(FixtureCase):
    """Values the reports cannot use, in the run's files: named once, and every row that can be
    reported still is. Each kind of bad value sits in a different run of fixtures/minimal."""

    BAD_TIMES = {"countdown/py3/seq/1/os": (float("nan"), "NaN"),
                 "countdown/py3/seq/1/one-core": (float("inf"), "Infinity"),
                 "countdown/py3/threads/2/os": (None, "null"),
                 "countdown/py3/threads/2/one-core": ("12.5", 'the string "12.5"'),
                 "countdown/py3/processes/2/os": ([1.0], "a list"),
                 "countdown/py3/processes/2/one-core": ({"ms": 1}, "an object"),
                 "countdown/py2/processes/2/one-core": (True, "the boolean true")}

    def spoil(self, run_dir):
        path = os.path.join(run_dir, "gilbench.json")
        with open(path) as f:
            data = json.load(f)
        for row in data["benchmarks"]:
            name = row["run_name"][:-len("/real_time")]
            if name in self.BAD_TIMES and row["run_type"] == "iteration":
                row["real_time"] = self.BAD_TIMES[name][0]
            if name == "countdown/py2/seq/1/os" and row["run_type"] == "iteration":
                row["gil_handoffs"] = "many"
        data["benchmarks"] += ["not a row", {"run_type": "iteration", "real_time": 1.0}]
        data["context"].update(cxx_flags=["-O2", "-g"], git_revision=["6c5fb61"],
                               gil_switch_interval_us="5 ms", load_avg=[0.5, None],
                               caches=[1, 2], topology_cores=[2])
        with open(path, "w") as f:
            json.dump(data, f)

    def test_bad_values_named_and_the_rest_reported(self):
        run_dir = self.fixture("minimal")
        self.spoil(run_dir)
        result = run_report(run_dir)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertNotIn("Traceback", result.stderr)
        lines = result.stderr.splitlines()
        self.assertEqual(len(lines), 1, result.stderr)
        self.assertIn("scripts/report: gilbench.json: values that cannot be used, left out of the "
                      "report: ", lines[0])
        with open(os.path.join(run_dir, "report.md"), encoding="utf-8") as f:
            md = f.read()
        self.assertIn("**Values left out of `gilbench.json`**", md)
        for name, (_, words) in self.BAD_TIMES.items():
            self.assertIn("- real_time is %s, not a time (`%s/real_time` ×3)" % (words, name), md)
            self.assertIn("*real_time is %s, not a time*" % words, md)  # the run's failure
        for line in ('gil_handoffs is the string "many", not a number '
                     '(`countdown/py2/seq/1/os/real_time` ×3)',
                     'an entry is the string "not a row", not an object (`benchmarks[84]`)',
                     "name is missing (`benchmarks[85]`)",
                     "cxx_flags is a list, not text (`context`)",
                     "git_revision is a list, not text (`context`)",
                     'gil_switch_interval_us is the string "5 ms", not a number (`context`)',
                     "load_avg is a list, not a list of numbers (`context`)",
                     "caches is a list, not a list of caches (level, type, size) (`context`)",
                     "topology_cores is a list, not a number (`context`)"):
            self.assertIn("- " + line, md)
        # The rows with a usable time: py2 on both placements, its threads claim, its counters.
        self.assertRegex(md, r"\| py2 \| os \| threads \| 2 \| [\d.]+ ms \|")
        self.assertRegex(md, r"\| \*\*py2\*\* \| [\d.]+ ms \| [\d.]+ \[no interval\]")
        self.assertIn("| Build | Release |", md)  # its flags were a list: left out

    def test_missing_steps_open_the_report(self):
        run_dir = self.fixture("minimal")
        missing_steps.write(run_dir, ["round 2/7: gilbench: countdown (interrupted by SIGINT)",
                                      "12 of the 16 planned steps did not run"], "SIGINT")
        md = self.report(run_dir)
        self.assertIn("**This run is incomplete** (interrupted by SIGINT): what follows is what "
                      "was measured whole. Missing:\n\n"
                      "- round 2/7: gilbench: countdown (interrupted by SIGINT)\n"
                      "- 12 of the 16 planned steps did not run\n", md)
        self.assertLess(md.index("This run is incomplete"), md.index("## Verdict"))

    def test_unreadable_records_are_said(self):
        run_dir = self.fixture("minimal")
        with open(os.path.join(run_dir, missing_steps.MISSING_STEPS_JSON), "w") as f:
            json.dump({"missing": [None]}, f)
        with open(os.path.join(run_dir, machine_state.STATE_JSON), "w") as f:
            json.dump({"busy_fraction": "high", "load_avg_1m": float("nan")}, f)
        with open(os.path.join(run_dir, "trace.json"), "w") as f:
            json.dump({"traceEvents": [{"ph": "B", "pid": 1, "tid": 1, "ts": 1.0,
                                        "name": "holding"},
                                       {"ph": "E", "pid": 1, "tid": [1], "ts": float("nan")}]}, f)
        result = run_report(run_dir)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn('busy_fraction is the string "high", not a number', result.stderr)
        with open(os.path.join(run_dir, "report.md"), encoding="utf-8") as f:
            md = f.read()
        self.assertIn("*Whether steps of this run are missing is not known: ", md)
        self.assertIn("*The machine's state before the run is not known: ", md)
        self.assertIn("trace.json: traceEvents[1]: tid is a list, not a whole number)", md)


class ReportUsageTest(FixtureCase):
    def test_bad_usage_exits_2(self):
        for args in ([], ["a", "b"], ["--bogus"]):
            result = run_report(*args)
            self.assertEqual(result.returncode, 2, args)
            self.assertIn("usage: scripts/report RUN_DIR", result.stderr)

    def test_missing_gilbench_json_exits_1(self):
        result = run_report(self.tmp)
        self.assertEqual(result.returncode, 1)
        self.assertIn("gilbench.json: no such file", result.stderr)

    def test_unreadable_gilbench_json_exits_1(self):
        for text in ("{oops", '{"context": {}}', "[]"):
            with open(os.path.join(self.tmp, "gilbench.json"), "w") as f:
                f.write(text)
            result = run_report(self.tmp)
            self.assertEqual(result.returncode, 1, text)
            self.assertIn("gilbench.json", result.stderr)

    def test_help(self):
        result = run_report("--help")
        self.assertEqual(result.returncode, 0)
        self.assertIn("RUN_DIR", result.stdout)


class ReportUnitTest(unittest.TestCase):
    def test_parse_name(self):
        key = runs.parse_name("countdown/py3/threads/2/spread/real_time")
        self.assertEqual((key.workload, key.policy, key.mode, key.n, key.placement,
                          key.interval_us), ("countdown", "py3", "threads", 2, "spread", None))
        key = runs.parse_name("latency/py3@1000us/threads/1/os/real_time")
        self.assertEqual((key.policy, key.interval_us), ("py3", 1000.0))
        self.assertEqual(key.policy_label(), "py3@1000us")
        self.assertEqual(runs.parse_name("countdown/prio@5ms/threads/2/os").interval_us, 5000.0)
        self.assertIsNone(runs.parse_name("BM_Something/8"))
        self.assertIsNone(runs.parse_name("a/b/c/two/os/real_time"))

    def test_slower_faster(self):
        self.assertEqual(fmt.slower_faster(1.9), "1.90× slower")
        self.assertEqual(fmt.slower_faster(0.5), "2.00× faster")
        self.assertEqual(fmt.slower_faster(1.004), "as fast (1.00×)")

    def test_numbers(self):
        self.assertEqual(fmt.num(0.0123), "0.0123")
        self.assertEqual(fmt.num(15.34), "15.3")
        self.assertEqual(fmt.num(15342), "15,342")
        self.assertEqual(fmt.seconds(0.0153), "15.3 ms")
        self.assertEqual(fmt.micros(850), "850 µs")
        self.assertEqual(fmt.micros(5100), "5.10 ms")
        self.assertEqual(fmt.interval_us(100000), "100 ms")

    def _rounds_file(self, tmp, seq_times, threads_times, in_rounds=True):
        """A two-run gilbench.json whose repetitions ran in rounds (seq and threads of round r
        next to each other)."""
        rows = []
        for name, times in (("countdown/py3/seq/1/os", seq_times),
                            ("countdown/py3/threads/2/os", threads_times)):
            for r, t in enumerate(times):
                rows.append({"name": name + "/real_time", "run_name": name + "/real_time",
                             "run_type": "iteration", "repetitions": len(times),
                             "repetition_index": r, "iterations": 1, "real_time": t,
                             "cpu_time": 0.1, "time_unit": "ms"})
        context = {"repetitions_in_rounds": "true"} if in_rounds else {}
        path = os.path.join(tmp, "gilbench.json")
        with open(path, "w") as f:
            json.dump({"context": context, "benchmarks": rows}, f)
        return runs.Results([runs.load(path)])

    def test_rounds_are_paired(self):
        """The machine alternates between a fast and a slow speed: each round's threads run is
        1.2x its seq run, but the medians taken apart would say 0.72x (threads faster). Paired
        within rounds, the ratio is 1.2; one round that went the other way widens the interval
        until no direction is given."""
        with tempfile.TemporaryDirectory() as tmp:
            results = self._rounds_file(tmp, [90, 150, 90, 150, 150], [108, 180, 108, 180, 108])
            threads = results.get("countdown", "py3", "threads", 2, "os")
            self.assertEqual(results.paired_ratios(threads), [1.2, 1.2, 1.2, 1.2, 0.72])
            claim = claims.claim_for(results, threads)
            self.assertEqual(claim.outcome, stats.INCONCLUSIVE)  # round 4 went the other way
            self.assertLess(claim.estimate.low, 1.0)
            results = self._rounds_file(tmp, [90, 150, 90, 150, 90], [108, 180, 108, 180, 108])
            threads = results.get("countdown", "py3", "threads", 2, "os")
            self.assertAlmostEqual(results.ratio(threads)[0], 1.2)
            self.assertEqual(claims.claim_for(results, threads).outcome, stats.SLOWER)
            # Without rounds the same rows are compared as medians: one ratio, no interval, no
            # direction, however far from 1 it is.
            results = self._rounds_file(tmp, [90, 150, 90, 150, 150], [108, 180, 108, 180, 108],
                                        in_rounds=False)
            threads = results.get("countdown", "py3", "threads", 2, "os")
            self.assertIsNone(results.paired_ratios(threads))
            self.assertAlmostEqual(results.ratio(threads)[0], 108 / 150)
            claim = claims.claim_for(results, threads)
            self.assertFalse(claim.estimate.has_interval)
            self.assertEqual(claim.outcome, stats.INCONCLUSIVE)

    def test_medians_ignore_aggregates(self):
        """The median comes from the iteration rows; the aggregate rows and failed rows are not
        samples (a failed row's real_time of 0 must not drag the median)."""
        path = os.path.join(FIXTURES, "full", "gilbench.json")
        f = runs.load(path)
        run = f.runs["countdown/py2/threads/2/os/real_time"]
        self.assertEqual(run.reps, 3)
        with open(path) as fh:
            rows = [r for r in json.load(fh)["benchmarks"]
                    if r["name"] == "countdown/py2/threads/2/os/real_time_median"]
        self.assertAlmostEqual(run.time_s, rows[0]["real_time"] / 1e3)
        skipped = f.runs["factorize/py2/threads/2/smt/real_time"]
        self.assertFalse(skipped.ok)
        self.assertEqual(skipped.reason, "smt: no core has 2 PUs")

    def test_loader_leaves_out_what_it_cannot_use(self):
        """Each value of the wrong kind is a problem; the row it is in becomes a failed
        repetition when it was its time or its round, and the rest of the file is kept."""
        def row(name, **fields):
            return dict({"name": name, "run_type": "iteration", "repetition_index": 0,
                         "real_time": 10.0, "time_unit": "ms"}, **fields)
        rows = [row("countdown/py3/seq/1/os", gil_handoffs=5.0, label="ran_on=0"),
                row("countdown/py3/seq/1/os", gil_handoffs=float("nan"), label=["x"]),
                row("countdown/py3/seq/1/os", repetition_index="1"),
                row("countdown/py3/seq/1/os", time_unit="minutes"),
                row("countdown/py3/seq/1/os", error_occurred="yes"),
                row("countdown/py3/threads/2/os", real_time=-1.0),
                {"name": "countdown/py3/threads/2/os_cv", "run_type": "aggregate",
                 "aggregate_name": "cv", "real_time": 0.01, "gil_handoffs": float("nan")},
                {"name": "x_median", "run_type": "aggregate", "aggregate_name": ["median"]},
                [], {"run_type": "iteration"}]
        f = runs.parse({"context": {"repetitions_in_rounds": True}, "benchmarks": rows}, "f")
        self.assertEqual([(p.what, p.where) for p in f.problems], [
            ("gil_handoffs is NaN, not a number", "countdown/py3/seq/1/os"),
            ("label is a list, not text", "countdown/py3/seq/1/os"),
            ('repetition_index is the string "1", not a round number', "countdown/py3/seq/1/os"),
            ('time_unit is the string "minutes", not ns, us, ms or s', "countdown/py3/seq/1/os"),
            ('error_occurred is the string "yes", not true or false', "countdown/py3/seq/1/os"),
            ("real_time is the number -1.0, not a time", "countdown/py3/threads/2/os"),
            ("aggregate_name is a list, not a name", "x"),
            ("an entry is a list, not an object", "benchmarks[8]"),
            ("name is missing", "benchmarks[9]")])
        seq = f.runs["countdown/py3/seq/1/os"]
        self.assertEqual((seq.values(runs.TIME), seq.values("gil_handoffs"), seq.rounds,
                          seq.labels), ([0.01, 0.01], [5.0], [0, 0], ["ran_on=0"]))
        self.assertEqual(seq.errors, ['repetition_index is the string "1", not a round number',
                                      'time_unit is the string "minutes", not ns, us, ms or s',
                                      'error_occurred is the string "yes", not true or false'])
        threads = f.runs["countdown/py3/threads/2/os"]
        self.assertEqual(threads.reason, "real_time is the number -1.0, not a time")
        self.assertFalse(threads.aggregate_only)  # its failure is not hidden by an aggregate
        self.assertEqual(f.context, {"repetitions_in_rounds": "true"})

    def test_context_values_read_as_what_they_are_read_as(self):
        context = {"gil_switch_interval_us": "5000", "topology_cores": "2", "num_cpus": 2.0,
                   "git_revision": 1234, "topology_smt": False, "load_avg": [0.5, 1, 2],
                   "cxx_flags": ["-O2"], "date": None, "mhz_per_cpu": "fast",
                   "something_new": [1, {"a": None}]}
        f = runs.parse({"context": context, "benchmarks": []}, "f")
        self.assertEqual(f.context, {"gil_switch_interval_us": 5000, "topology_cores": 2,
                                     "num_cpus": 2, "git_revision": "1234",
                                     "topology_smt": "false", "load_avg": [0.5, 1, 2],
                                     "something_new": [1, {"a": None}]})
        self.assertEqual(runs.problem_lines(f.problems), [
            "cxx_flags is a list, not text (`context`)", "date is null, not text (`context`)",
            'mhz_per_cpu is the string "fast", not a number (`context`)'])

    def test_verdict_sentence(self):
        results = runs.Results([runs.load(os.path.join(FIXTURES, "full", "gilbench.json"))])
        sentence = verdict.policy_sentence(results, "countdown", "py2")
        self.assertTrue(sentence.startswith("**py2**: 2 threads run countdown "), sentence)
        self.assertIn("; 4 threads run it ", sentence)
        r, _ = results.ratio(results.get("countdown", "py2", "threads", 2, "os"))
        # The fixture's repetitions did not run in rounds: a ratio, no interval, no direction.
        self.assertIn("not measurably faster or slower than one thread (%s [no interval]) where "
                      "the OS places them" % fmt.ratio(r), sentence)
        sentence = verdict.policy_sentence(results, "factorize", "py3")
        self.assertIn("smt skipped (no core has 2 PUs)", sentence)


class VerdictTest(unittest.TestCase):
    """The three outcomes of a claim on fixture runs made in rounds, the headline, the table,
    the mark on a row that contradicts what a GIL allows, and verdict.json."""

    SEQ = [100, 150, 100, 150, 100, 150, 100]  # the machine's speed alternates between rounds

    def write_run(self, ratios):
        """A run directory whose threads/2/os rows are SEQ[r] * ratios[policy][r]."""
        run_dir = tempfile.mkdtemp(prefix="verdict_test_")
        self.addCleanup(shutil.rmtree, run_dir)
        rows = []
        for policy, per_round in ratios.items():
            for mode, factors in (("seq", [1.0] * len(per_round)), ("threads", per_round)):
                name = "countdown/%s/%s/%d/os/real_time" % (policy, mode, 1 if mode == "seq" else 2)
                for r, factor in enumerate(factors):
                    rows.append({"name": name, "run_name": name, "run_type": "iteration",
                                 "repetitions": len(factors), "repetition_index": r,
                                 "iterations": 1, "real_time": self.SEQ[r] * factor,
                                 "cpu_time": 1.0, "time_unit": "ms"})
        with open(os.path.join(run_dir, "gilbench.json"), "w") as f:
            json.dump({"context": {"repetitions_in_rounds": "true"}, "benchmarks": rows}, f)
        return run_dir

    CLEAR = [1.52, 1.49, 1.50, 1.51, 1.48, 1.50, 1.50]
    NOISY = [0.90, 1.12, 0.95, 1.08, 1.01, 0.93, 1.10]
    FASTER = [0.80, 0.82, 0.79, 0.81, 0.80, 0.78, 0.80]

    def load(self, run_dir):
        return runs.Results([runs.load(os.path.join(run_dir, "gilbench.json"))])

    def claim(self, results, policy):
        return claims.claim_for(results, results.get("countdown", policy, "threads", 2, "os"))

    def test_speed_drift_is_said_and_recorded(self):
        # SEQ alternates between 100 and 150 ms: a machine whose speed moved while measuring.
        results = self.load(self.write_run({"py3": self.CLEAR}))
        self.assertGreater(verdict.speed_drift(results), verdict.DRIFT_WARNING_CV)
        self.assertIn("speed changed while this run measured", verdict.drift_sentence(results))
        steady = VerdictTest.SEQ
        try:
            VerdictTest.SEQ = [100, 101, 99, 100, 102, 100, 99]
            results = self.load(self.write_run({"py3": self.CLEAR}))
        finally:
            VerdictTest.SEQ = steady
        self.assertLess(verdict.speed_drift(results), 0.02)
        self.assertIsNone(verdict.drift_sentence(results))

    def test_clear_inconclusive_and_contradicting(self):
        results = self.load(self.write_run({"py2": self.CLEAR, "py3": self.NOISY,
                                            "fifo": self.FASTER, "subinterp": self.FASTER}))
        py2, py3 = self.claim(results, "py2"), self.claim(results, "py3")
        fifo, subinterp = self.claim(results, "fifo"), self.claim(results, "subinterp")
        self.assertEqual(py2.outcome, stats.SLOWER)
        self.assertLess(py2.estimate.low, 1.5)
        self.assertGreater(py2.estimate.high, 1.5)
        self.assertEqual(py3.outcome, stats.INCONCLUSIVE)
        self.assertEqual(fifo.outcome, stats.FASTER)
        # Faster under a shared GIL contradicts the GIL; under a GIL per thread it does not.
        self.assertTrue(fifo.unexpected)
        self.assertFalse(subinterp.unexpected)
        self.assertIn("**slower**", verdict.cell_text(py2))
        self.assertTrue(verdict.cell_text(py3).endswith(verdict.INCONCLUSIVE_MARK))
        self.assertIn(verdict.UNEXPECTED_MARK, verdict.cell_text(fifo))
        self.assertNotIn(verdict.UNEXPECTED_MARK, verdict.cell_text(subinterp))

    def test_report_marks_what_contradicts_its_heading(self):
        run_dir = self.write_run({"py2": self.CLEAR, "py3": self.NOISY, "fifo": self.FASTER})
        result = run_report(run_dir)
        self.assertEqual(result.returncode, 0, result.stderr)
        with open(os.path.join(run_dir, "report.md"), encoding="utf-8") as f:
            text = f.read()
        section = text[text.index("## Verdict"):]
        section = section[:section.index("\n## ", 4)]
        headline = section.splitlines()[2]
        self.assertTrue(headline.startswith("On this machine"), headline)
        self.assertIn("slower than one thread under the Python 2 GIL", headline)
        # py3's noisy rounds: no direction, said with the ratio and its interval.
        self.assertRegex(headline, r"(not measurably faster or slower than one thread|as fast as "
                                   r"one thread, within 5%) \(\S+× \[\S+–\S+\]\) under CPython 3's GIL")
        self.assertNotIn("cannot be faster", section)
        self.assertIn(verdict.UNEXPECTED_NOTE, section)
        fifo_line = [line for line in section.splitlines() if line.startswith("| **fifo**")][0]
        self.assertIn("**faster** " + verdict.UNEXPECTED_MARK, fifo_line)
        with open(os.path.join(run_dir, "verdict.json"), encoding="utf-8") as f:
            document = json.load(f)
        by_id = {c["id"]: c for c in document["claims"]}
        self.assertEqual(by_id["countdown/py2/threads/2/os:countdown/py2/seq/1/os"]["outcome"],
                         "slower")
        self.assertEqual(by_id["countdown/py3/threads/2/os:countdown/py3/seq/1/os"]["outcome"],
                         "inconclusive")
        fifo = by_id["countdown/fifo/threads/2/os:countdown/fifo/seq/1/os"]
        self.assertEqual((fifo["outcome"], fifo["unexpected"], fifo["rounds"]), ("faster", True, 7))
        self.assertLess(fifo["low"], fifo["ratio"])
        self.assertLess(fifo["ratio"], fifo["high"])
        self.assertEqual(document["headline"], headline)

    def test_one_round_gives_no_direction(self):
        run_dir = self.write_run({"py2": [1.9], "py3": [0.5]})
        results = self.load(run_dir)
        for policy in ("py2", "py3"):
            claim = self.claim(results, policy)
            self.assertFalse(claim.estimate.has_interval)
            self.assertEqual(claim.outcome, stats.INCONCLUSIVE)
        result = run_report(run_dir)
        self.assertEqual(result.returncode, 0, result.stderr)
        with open(os.path.join(run_dir, "report.md"), encoding="utf-8") as f:
            self.assertIn("**This run has one round**", f.read())

    def test_same_data_same_interval(self):
        """The bootstrap is seeded: the same rounds always give the same interval."""
        a = stats.estimate(self.NOISY)
        b = stats.estimate(list(self.NOISY))
        self.assertEqual((a.low, a.high), (b.low, b.high))


class MachineStateTest(unittest.TestCase):
    """The probe reads what any user can read, and what it finds becomes warnings a reader
    needs; the busy share alone decides whether a measurement stops."""

    def test_probe_shape(self):
        state = machine_state.probe([REPORT], sample_s=0.2)
        for key in ("cpus", "load_avg_1m", "busy_fraction", "steal_fraction", "busy_processes",
                    "governor", "turbo", "smt", "hypervisor", "isolcpus", "build_age_s",
                    "busy_beyond_threshold", "state"):
            self.assertIn(key, state)
        self.assertGreaterEqual(state["busy_fraction"], 0.0)
        self.assertLessEqual(state["busy_fraction"], 1.0)
        self.assertEqual(state["busy_beyond_threshold"],
                         state["busy_fraction"] > machine_state.BUSY_THRESHOLD)
        self.assertEqual(state["state"], "busy" if state["busy_beyond_threshold"] else "quiet")
        self.assertIsInstance(state["build_age_s"], int)
        json.dumps(state)  # written as machine_state.json

    def test_warnings_and_sentence(self):
        quiet = {"cpus": 2, "load_avg_1m": 0.1, "busy_fraction": 0.0, "steal_fraction": 0.0,
                 "governor": "performance", "turbo": "off", "hypervisor": "none",
                 "build_age_s": 3600, "busy_beyond_threshold": False}
        self.assertEqual(machine_state.warnings(quiet), [])
        self.assertTrue(machine_state.report_sentence(quiet).startswith(
            "Measured on a quiet machine"))
        busy = dict(quiet, load_avg_1m=3.5, busy_fraction=0.9, governor="powersave", turbo="on",
                    hypervisor="yes (KVM)", build_age_s=5, busy_beyond_threshold=True,
                    busy_processes=[{"name": "cc1plus", "processes": 2, "cpu_share": 0.8}])
        text = " ".join(machine_state.warnings(busy))
        for part in ("90% of the CPUs were busy", "cc1plus (80% of a CPU)", "load average 3.50",
                     "governor `powersave`", "turbo boost is on", "a virtual machine (KVM)",
                     "the build finished 5 s before"):
            self.assertIn(part, text)
        self.assertIn("**Measured on a busy machine**", machine_state.report_sentence(busy))
        self.assertIsNone(machine_state.report_sentence(None))


if __name__ == "__main__":
    report_deps.main()
