#!/usr/bin/python3
"""The section "Locks, queues and pools" (scripts/reporting/contention.py) and the `pool` mode
through the rest of the report.

On synthetic runs made in rounds whose figures are known: a threads row's ratio is the paired
one with its interval, a cause is said only for a ratio judged slower with a high share of lock
acquisitions made to wait, an inconclusive ratio says so, a counter that is absent is a dash
(never 0), a pool row's time splits into the work and the pool's machinery as built, and a pool
row is paired with the processes row of its round. Then the pool mode in the verdict, the
charts, the decomposition, the export and scripts/compare.

    /usr/bin/python3 tests/scripts/contention_test.py
Exits 77 (ctest: skipped) when matplotlib or scipy is missing (scripts/setup installs them).
"""

import json
import os
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
FIXTURES = os.path.join(HERE, "fixtures")
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(REPO, "scripts"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report_deps  # noqa: E402  (beside this file)
from reporting import (  # noqa: E402  (needs the path above)
    charts, claims, compare, contention, decomposition, export, fairness, fmt, runs, stats,
    verdict)

SPEED = (1.00, 1.10, 0.95, 1.05, 1.00)  # the machine's speed drifting between rounds


def rows_in_rounds(name, times_ms, counters=None):
    """Iteration rows of one benchmark, repetition r in round r, each with `counters`."""
    out = []
    for r, t in enumerate(times_ms):
        row = {"name": name, "run_name": name, "run_type": "iteration",
               "repetitions": len(times_ms), "repetition_index": r, "iterations": 1,
               "real_time": t, "cpu_time": 1.0, "time_unit": "ms"}
        row.update(counters or {})
        out.append(row)
    return out


def drifting(base_ms, ratio, noise=(0, 0, 0, 0, 0)):
    """A row's times over the rounds: base × ratio at each round's speed, with its own noise."""
    return [base_ms * ratio * s * (1 + e) for s, e in zip(SPEED, noise)]


def results_of(tmp, benchmarks, name="gilbench.json", in_rounds=True):
    path = os.path.join(tmp, name)
    context = {"repetitions_in_rounds": "true"} if in_rounds else {}
    with open(path, "w") as f:
        json.dump({"context": context, "benchmarks": benchmarks}, f)
    return path


BANK_SEQ = {"lock_acquisitions": 400000.0, "lock_contended": 0.0, "lock_handoffs": 0.0,
            "lock_wait_ns_total": 0.0, "lock_wait_ns_p99": 0.0, "gil_handoffs": 1.0,
            "gil_forced_switches": 0.0, "gil_wait_ns_total": 0.0}
BANK_PRIO_4 = {"lock_acquisitions": 400000.0, "lock_contended": 52714.0, "lock_handoffs": 42000.0,
               "lock_wait_ns_total": 3.2e9, "lock_wait_ns_p99": 2.4e5, "gil_handoffs": 110000.0,
               "gil_forced_switches": 5500.0, "gil_wait_ns_total": 7.3e8}


class Case(unittest.TestCase):
    def setUp(self):
        self.tmp_dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp_dir.cleanup)
        self.tmp = self.tmp_dir.name

    def results(self, benchmarks, in_rounds=True):
        return runs.Results([runs.load(results_of(self.tmp, benchmarks, in_rounds=in_rounds))])

    def bank(self, ratio, noise=(0, 0, 0, 0, 0), counters=BANK_PRIO_4, policy="prio", rounds=5):
        seq = rows_in_rounds("bank/%s/seq/1/os/process_time/real_time" % policy,
                             drifting(70.0, 1.0)[:rounds], BANK_SEQ)
        threads = rows_in_rounds("bank/%s/threads/4/os/process_time/real_time" % policy,
                                 drifting(70.0, ratio, noise)[:rounds], counters)
        results = self.results(seq + threads)
        return results, results.get("bank", policy, "threads", 4, "os")


class ThreadsTest(Case):
    def test_slower_with_many_lock_waits_gives_the_cause(self):
        results, run = self.bank(4.3, noise=(0.01, -0.01, 0.02, 0.0, -0.02))
        finding = contention.threads_finding(results, run)
        # The claim's ratio is the paired one: each round's drift cancels, the noise stays.
        expected = stats.geometric_mean([4.3 * (1 + e) for e in (0.01, -0.01, 0.02, 0.0, -0.02)])
        self.assertAlmostEqual(finding.claim.estimate.ratio, expected)
        self.assertEqual(finding.claim.outcome, stats.SLOWER)
        self.assertTrue(finding.explained)
        e = finding.claim.estimate
        seq = results.get("bank", "prio", "seq", 1, "os")
        self.assertEqual(finding.sentence,
                         "Under `prio`, 4 threads moving money between accounts took %s %s as "
                         "long as one thread: 52,714 of 400,000 lock acquisitions (13.2%%) had "
                         "to wait, and each thread spent 800 ms on average blocked on them, "
                         "against %s of extra time over one thread, because a thread holding an "
                         "account's lock is forced off the GIL at the switch interval (5,500 "
                         "forced switches), and every thread that needs that lock then waits for "
                         "it as well as for the GIL (a double convoy)." % (
                             fmt.ratio(e.ratio), verdict.interval_text(e),
                             fmt.seconds(run.time_s - seq.time_s)))
        self.assertEqual(contention.cause_sentences(results, "bank"), [finding.sentence])

    def test_lock_waits_without_forced_switches_are_a_lock_convoy(self):
        # What bank shows at its full size: the GIL changes hands at nearly every lock wait,
        # and the switch interval forces almost none of those handoffs.
        convoy = dict(BANK_PRIO_4, gil_forced_switches=2.0, gil_handoffs=52800.0)
        results, run = self.bank(4.3, counters=convoy)
        finding = contention.threads_finding(results, run)
        self.assertTrue(finding.explained)
        self.assertIn("because each thread that finds an account's lock taken sleeps and gives "
                      "up the GIL; when the lock is released it wakes holding the lock but not "
                      "the GIL, so the thread that needs that lock next must sleep in its turn: "
                      "the GIL changed hands 52,800 times, about once per lock wait, and the "
                      "switch interval forced only 2 of them (a lock convoy riding on the GIL).",
                      finding.sentence)
        self.assertNotIn("double convoy", finding.sentence)

    def test_short_lock_waits_give_figures_without_a_cause(self):
        # 10 ms blocked per thread against about 42 ms of extra time: below LOCK_WAIT_EXPLAINS
        few = dict(BANK_PRIO_4, lock_contended=4000.0, lock_wait_ns_total=4e7)
        results, run = self.bank(1.6, counters=few)
        finding = contention.threads_finding(results, run)
        self.assertEqual(finding.claim.outcome, stats.SLOWER)
        self.assertFalse(finding.explained)
        self.assertNotIn("because", finding.sentence)
        self.assertIn("as long as one thread; 4,000 of 400,000 lock acquisitions (1%) had to "
                      "wait.", finding.sentence)

    def test_inconclusive_ratio_says_so_and_gives_no_cause(self):
        # Many waits, but the rounds disagree around the 5% floor: no direction, no cause.
        results, run = self.bank(1.05, noise=(0.08, -0.06, 0.05, -0.04, 0.0))
        finding = contention.threads_finding(results, run)
        self.assertEqual(finding.claim.outcome, stats.INCONCLUSIVE)
        self.assertTrue(finding.claim.estimate.straddles_floor())
        self.assertFalse(finding.explained)
        self.assertIn("(inconclusive: the interval straddles the ±5% noise floor); 52,714 of "
                      "400,000 lock acquisitions (13.2%) had to wait.", finding.sentence)
        self.assertEqual(contention.cause_sentences(results, "bank"), [])
        # Inside the floor: the same time, said as such.
        results, run = self.bank(1.0, noise=(0.002, -0.002, 0.001, 0.0, -0.001))
        self.assertIn("(the same time within ±5%: no difference this run can show)",
                      contention.threads_finding(results, run).sentence)

    def test_two_rounds_give_no_interval(self):
        results, run = self.bank(4.3, rounds=2)
        finding = contention.threads_finding(results, run)
        self.assertFalse(finding.claim.estimate.has_interval)
        self.assertFalse(finding.explained)
        self.assertIn("[no interval] as long as one thread (inconclusive: fewer than 3 paired "
                      "rounds give no interval)", finding.sentence)

    def test_absent_counters_are_dashes_never_zeros(self):
        """CPython's rows carry no lock or GIL counters: a dash in every counter column; a VM
        seq row that waited for no lock shows its zeros, which are measured."""
        seq = rows_in_rounds("bank/cpython/seq/1/os/real_time", drifting(60.0, 1.0))
        threads = rows_in_rounds("bank/cpython/threads/4/os/real_time", drifting(60.0, 1.5))
        vm = rows_in_rounds("bank/py3/seq/1/os/process_time/real_time", drifting(70.0, 1.0),
                            BANK_SEQ)
        results = self.results(seq + threads + vm)
        table, failed = contention.thread_table(results, "bank")
        self.assertEqual(failed, [])
        by_row = {(r[0], r[1]): r for r in table.rows}
        cpython = by_row[("cpython", "threads")]
        self.assertEqual(cpython[5:], [fmt.DASH] * (len(contention.THREAD_HEADERS) - 5))
        self.assertTrue(cpython[4].startswith("1.50 ["), cpython[4])
        self.assertEqual(by_row[("cpython", "seq")][4], contention.BASELINE)
        self.assertNotIn(("py3", "seq"), by_row)  # no py3 threads row: py3 is not in the table
        finding = contention.threads_finding(
            results, results.get("bank", "cpython", "threads", 4, "os"), "3.11.2")
        self.assertTrue(finding.sentence.startswith("Under CPython 3.11.2, 4 threads moving "
                                                    "money between accounts took 1.50× ["))
        self.assertNotIn("lock", finding.sentence)
        self.assertIsNone(contention.contended_share(
            results.get("bank", "cpython", "threads", 4, "os")))

    def test_zero_waits_are_said(self):
        none_waited = dict(BANK_PRIO_4, lock_contended=0.0)
        results, run = self.bank(1.6, counters=none_waited)
        self.assertIn("none of its 400,000 lock acquisitions had to wait",
                      contention.threads_finding(results, run).sentence)
        table, _ = contention.thread_table(results, "bank")
        self.assertEqual(table.rows[1][5], "0 of 400,000 (0%)")

    def test_pipeline_queue_cost_per_item(self):
        queues = {"lock_acquisitions": 80000.0, "lock_contended": 1000.0,
                  "queue_items_put": 40000.0, "queue_items_got": 40000.0,
                  "queue_wait_ns_total": 3.0e9, "queue_get_blocked_ns_total": 8.5e8,
                  "queue_put_blocked_ns_total": 8.6e8}
        benchmarks = (rows_in_rounds("pipeline/py3/seq/1/os/process_time/real_time",
                                     drifting(15.0, 1.0))
                      + rows_in_rounds("pipeline/py3/threads/4/os/process_time/real_time",
                                       drifting(15.0, 24.0), queues))
        results = self.results(benchmarks)
        run = results.get("pipeline", "py3", "threads", 4, "os")
        self.assertAlmostEqual(contention.queue_wait_per_item(run), 75e-6)
        sentence = contention.threads_finding(results, run).sentence
        self.assertIn("1,000 of 80,000 lock acquisitions (1.25%) had to wait; an item waited "
                      "75.0 µs in a queue on average, and the threads were blocked 850 ms in get "
                      "(waiting for an item) and 860 ms in put (waiting for room).", sentence)
        table, _ = contention.thread_table(results, "pipeline")
        self.assertEqual(table.headers[-3:], contention.QUEUE_HEADERS)
        self.assertEqual(table.rows[0][-3:], [fmt.DASH] * 3)  # seq: no queues at all
        self.assertEqual(table.rows[1][-3:], ["75.0 µs", "850 ms", "860 ms"])

    def test_no_seq_row(self):
        results = self.results(rows_in_rounds("bank/py3/threads/2/os/process_time/real_time",
                                              drifting(80.0, 1.0), BANK_SEQ))
        finding = contention.threads_finding(results, results.get("bank", "py3", "threads", 2,
                                                                  "os"))
        self.assertIsNone(finding.claim)
        self.assertIn("(no one-thread row of this policy to compare with)", finding.sentence)


POOL = {"pool_workers": 2.0, "pool_tasks_sent": 16.0, "pool_results_received": 16.0,
        "pool_bytes_sent": 528.0, "pool_bytes_received": 464.0, "pool_serialize_ns": 75000.0,
        "pool_deserialize_ns": 25000.0, "pool_ipc_wait_ns": 12.0e6,
        "pool_worker_compute_ns": 24.0e6, "pool_worker_serialize_ns": 50000.0,
        "pool_worker_deserialize_ns": 90000.0, "pool_workers_lost": 0.0}


class PoolTest(Case):
    def pool_results(self, pool_noise=(0, 0, 0, 0, 0), processes=True):
        """pool/2 at 16 ms and processes/2 at 13 ms in every round (times the drift)."""
        benchmarks = rows_in_rounds("pool/py3/seq/1/os/process_time/real_time",
                                    drifting(24.0, 1.0))
        benchmarks += rows_in_rounds("pool/py3/pool/2/os/process_time/real_time",
                                     drifting(16.0, 1.0, pool_noise), POOL)
        if processes:
            benchmarks += rows_in_rounds("pool/py3/processes/2/os/process_time/real_time",
                                         drifting(13.0, 1.0))
        results = self.results(benchmarks)
        return results, results.get("pool", "py3", "pool", 2, "os")

    def test_split(self):
        results, run = self.pool_results()
        split = contention.pool_split(run)
        self.assertEqual(split.workers, 2)
        self.assertAlmostEqual(split.time, 0.016)
        self.assertAlmostEqual(split.work, 0.012)  # 24 ms of calls over 2 workers
        self.assertAlmostEqual(split.machinery, 0.004)
        self.assertAlmostEqual(split.machinery_share, 0.25)
        self.assertAlmostEqual(split.parent_codec, 100e-6)
        self.assertAlmostEqual(split.worker_codec, 140e-6)
        self.assertAlmostEqual(split.ipc_wait, 0.012)

    def test_against_processes_paired_by_round(self):
        results, run = self.pool_results(pool_noise=(0.01, -0.01, 0.0, 0.02, -0.02))
        finding = contention.pool_finding(results, run)
        self.assertEqual(finding.claim.baseline, runs.Key("pool", "py3", "processes", 2, "os"))
        expected = stats.geometric_mean([16.0 / 13.0 * (1 + e)
                                         for e in (0.01, -0.01, 0.0, 0.02, -0.02)])
        self.assertAlmostEqual(finding.claim.estimate.ratio, expected)
        self.assertEqual(finding.claim.outcome, stats.SLOWER)
        e = finding.claim.estimate
        self.assertTrue(finding.sentence.startswith(
            "Under `py3`, a `multiprocessing.Pool` of 2 processes counting down in chunks took "
            "%s %s as long as 2 forked processes doing the same work; of its " % (
                fmt.ratio(e.ratio), verdict.interval_text(e))), finding.sentence)
        self.assertIn("went to the pool's own machinery — starting its workers, serializing tasks "
                      "and results (100 µs in the parent, 140 µs in the workers), the pipes and "
                      "waiting for the slowest worker — and ", finding.sentence)
        table, failed = contention.pool_table(results)
        self.assertEqual(failed, [])
        row = dict(zip(contention.POOL_HEADERS, table.rows[0]))
        self.assertEqual(row["pool's machinery"], "%s (%s)" % (
            fmt.seconds(contention.pool_split(run).machinery),
            fmt.percent(contention.pool_split(run).machinery_share)))
        self.assertEqual(row["bytes out / in"], "528 B / 464 B")
        self.assertEqual(row["tasks"], "16")

    def test_machinery_share_in_the_sentence(self):
        results, run = self.pool_results()
        self.assertIn("; of its 16.0 ms, 4.00 ms (25%) went to the pool's own machinery",
                      contention.pool_finding(results, run).sentence)
        self.assertIn("and 12.0 ms to the work itself (the workers' calls, split evenly over "
                      "2).", contention.pool_finding(results, run).sentence)

    def test_without_processes_row_or_counters(self):
        results, run = self.pool_results(processes=False)
        finding = contention.pool_finding(results, run)
        self.assertIsNone(finding.claim)
        self.assertIn("took 16.0 ms (no processes row of 2 to compare with)", finding.sentence)
        # CPython's pool row: its time and ratio, a dash for everything the pool would count.
        benchmarks = (rows_in_rounds("pool/cpython/pool/2/os/real_time", drifting(12.0, 1.0))
                      + rows_in_rounds("pool/cpython/processes/2/os/real_time",
                                       drifting(10.0, 1.0)))
        results = self.results(benchmarks)
        run = results.get("pool", "cpython", "pool", 2, "os")
        self.assertIsNone(contention.pool_split(run))
        table, _ = contention.pool_table(results)
        self.assertEqual(table.rows[0][6:], [fmt.DASH] * (len(contention.POOL_HEADERS) - 6))
        self.assertTrue(table.rows[0][5].startswith("1.20 [1.20–1.20] **slower**"),
                        table.rows[0][5])
        self.assertNotIn("machinery", contention.pool_finding(results, run).sentence)


class SectionTest(Case):
    def test_absent_without_spawner_rows(self):
        results = runs.Results([runs.load(os.path.join(FIXTURES, "full", "gilbench.json"))])
        self.assertFalse(contention.present(results))
        self.assertEqual(contention.blocks(results), [])

    def test_only_seq_rows(self):
        results = self.results(rows_in_rounds("bank/py3/seq/1/os/process_time/real_time",
                                              drifting(70.0, 1.0), BANK_SEQ))
        self.assertTrue(contention.present(results))
        text = " ".join(getattr(b, "text", "") for b in contention.blocks(results))
        self.assertIn("No threads or pool rows of", text)

    def test_fixture_sections(self):
        fixture = os.path.join(FIXTURES, "spawners")
        results = runs.Results([runs.load(os.path.join(fixture, "gilbench.json")),
                                runs.load(os.path.join(fixture, "cpython.json"))])
        headings = [b.text for b in contention.blocks(results, "3.11.2")
                    if type(b).__name__ == "Heading"]
        self.assertEqual(headings, [contention.TITLES[w] for w in contention.THREAD_WORKLOADS]
                         + ["Pools: a workload's own processes against the harness's"])
        explained = contention.cause_sentences(results, "bank", "3.11.2")
        # prio's 4 threads: their lock waits cover the extra time; its 2 threads' do not (46%)
        self.assertEqual(len(explained), 1)
        self.assertTrue(all(s.startswith("Under `prio`") for s in explained))
        self.assertEqual(contention.cause_sentences(results, "executor"), [])  # no cause known


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
    report_deps.main()
