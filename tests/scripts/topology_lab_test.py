#!/usr/bin/python3
"""The topology lab's tests: gilbench's placements on emulated machines of other shapes.

Each case boots one guest with scripts/topology-lab (Debian's kernel under qemu, software
emulation) and runs gilbench inside against this checkout's release build, then checks where the
workers ran against the guest's own hwloc topology (the topology.xml gilbench writes):

  Lab16   2 packages x 4 cores x 2 PUs, 2 NUMA nodes: one-core, spread, smt, cross-package and
          numa for n = 2 and 4, threads and processes; numa binds memory; the default --threads
          is 1,2,4,8,16; a process narrowed by taskset to PUs 2-5 places inside them, and the
          placements those PUs cannot give (cross-package, numa) are rows with their reason.
  Lab1    one PU: only os and one-core run, every other placement says why.
  Lab64   4 packages x 8 cores x 2 PUs, 4 NUMA nodes: the default --threads reaches 64,
          cross-package and numa spread 4 workers over the 4 packages and nodes, and
          scripts/reproduce's plans sized there: the rows each step lists on that machine and
          the estimate (--quick under 5 minutes, --full's length stated).

Timings inside the lab mean nothing (every CPU is emulated on one host thread): nothing here
reads one. Run: /usr/bin/python3 tests/scripts/topology_lab_test.py [TestCase] (or
ctest -L topology). Exits 77 (ctest: skipped) when the lab cannot run here -- no qemu, busybox or
kernel (scripts/setup installs them), or no release build -- with the reason.
"""

import importlib.machinery
import importlib.util
import json
import os
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
LAB_SCRIPT = os.path.join(REPO, "scripts", "topology-lab")
GILBENCH = os.path.join(REPO, "build", "release", "bin", "gilbench")
SUFFIX = "/process_time/real_time"

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(REPO, "scripts"))
sys.path.insert(0, os.path.join(REPO, "scripts", "reproduction"))
import run as reproduction  # noqa: E402  (scripts/reproduction/run.py: the plans)

_loader = importlib.machinery.SourceFileLoader("topology_lab", LAB_SCRIPT)
_spec = importlib.util.spec_from_loader("topology_lab", _loader)
lab = importlib.util.module_from_spec(_spec)
_loader.exec_module(lab)


def unavailable_reason():
    """Why the lab cannot run here, or None."""
    if not os.access(GILBENCH, os.X_OK):
        return "no release build (build/release/bin/gilbench)"
    try:
        lab.kernel_path()
        lab.busybox_path()
        lab.qemu_path()
    except lab.LabError as e:
        return str(e)
    return None


REASON = unavailable_reason()
if REASON is not None:
    print("topology_lab_test: skipped: %s" % REASON)
    sys.exit(77)


# ---- the guest's topology, from hwloc's XML ----------------------------------------------------

def _mask(text):
    """An hwloc cpuset attribute as a set of PUs: 32-bit words, most significant first, each
    written without leading zeros ("0x0000ffff,0x0" is PUs 32-47)."""
    value = 0
    for word in text.split(","):
        value = value << 32 | int(word or "0", 16)
    return {i for i in range(value.bit_length()) if value >> i & 1}


class GuestTopology:
    """PU (OS index) -> its core, package and NUMA node, read from gilbench's topology.xml."""

    def __init__(self, path):
        self.core, self.package, self.node = {}, {}, {}
        root = ET.parse(path).getroot()
        self._walk(root, core=None, package=None)
        for obj in root.iter("object"):
            if obj.get("type") == "NUMANode":
                for pu in _mask(obj.get("cpuset")):
                    self.node[pu] = int(obj.get("os_index"))

    def _walk(self, element, core, package):
        for obj in element.findall("object"):
            kind = obj.get("type")
            if kind == "Package":
                self._walk(obj, core, obj.get("os_index") or obj.get("gp_index"))
            elif kind == "Core":
                self._walk(obj, obj.get("gp_index"), package)
            elif kind == "PU":
                pu = int(obj.get("os_index"))
                self.core[pu], self.package[pu] = core, package
            else:
                self._walk(obj, core, package)

    @property
    def pus(self):
        return sorted(self.core)


def rows_of(path):
    """{matrix name: row} of a gilbench JSON file, and its context."""
    with open(path) as f:
        data = json.load(f)
    rows = {}
    for b in data["benchmarks"]:
        assert b["name"].endswith(SUFFIX), b["name"]
        rows[b["name"][:-len(SUFFIX)]] = b
    return rows, data["context"]


def ran_on(row):
    label = row.get("label", "")
    assert label.startswith("ran_on="), label
    return [int(x) for x in label[len("ran_on="):].split(",")]


def unavailable_of(context):
    entries = [e for e in context["placements_unavailable"].split("; ") if e]
    return dict(e.split(": ", 1) for e in entries)


GILBENCH_ROWS = ("gilbench --size=tiny --workloads=countdown --policies=py3 "
                 "--modes=threads,processes --placements=%s --threads=%s "
                 "--benchmark_out=$OUT/%s >/dev/null")
LIST_DEFAULT = ("gilbench --benchmark_list_tests --size=tiny --workloads=countdown "
                "--policies=py3 --modes=threads --placements=os > $OUT/%s")


def listed_threads(path):
    with open(path) as f:
        return [int(line.split("/")[3]) for line in f.read().split()
                if line.startswith("countdown/py3/threads/")]


class LabCase(unittest.TestCase):
    """Boots the guest once for the class; the tests read what it brought back."""

    SMP = None
    COMMANDS = ()

    @classmethod
    def setUpClass(cls):
        cls.out = tempfile.mkdtemp(prefix="topology-lab-test-")
        command = " && ".join(cls.COMMANDS)
        status, _ = lab.run_lab(command, smp=cls.SMP, out_dir=cls.out, timeout=480,
                                log=lambda m: print(m, file=sys.stderr))
        if status != 0:
            with open(os.path.join(cls.out, "stderr.txt")) as f:
                raise AssertionError("the guest's command exited %d:\n%s" % (status,
                                                                            f.read()[-3000:]))
        cls.topology = GuestTopology(os.path.join(cls.out, "topology.xml"))

    def path(self, name):
        return os.path.join(self.out, name)


class Lab16(LabCase):
    SMP = "16,sockets=2,cores=4,threads=2"
    COMMANDS = (
        GILBENCH_ROWS % ("one-core,spread,smt,cross-package,numa", "2,4", "placements.json"),
        "taskset -c 2-5 " + GILBENCH_ROWS % ("spread,smt,cross-package,numa", "2",
                                             "taskset.json"),
        LIST_DEFAULT % "default_threads.txt",
    )

    def test_the_guest_is_the_machine_asked_for(self):
        t = self.topology
        self.assertEqual(t.pus, list(range(16)))
        self.assertEqual(len(set(t.core.values())), 8)
        self.assertEqual(len(set(t.package.values())), 2)
        self.assertEqual(sorted(set(t.node.values())), [0, 1])
        _, context = rows_of(self.path("placements.json"))
        self.assertEqual((context["topology_pus"], context["topology_cores"],
                          context["topology_packages"], context["topology_numa_nodes"],
                          context["topology_smt"]), ("16", "8", "2", "2", "true"))

    def test_every_placement_binds_where_it_says(self):
        rows, context = rows_of(self.path("placements.json"))
        self.assertEqual(unavailable_of(context), {})
        t = self.topology
        for mode in ("threads", "processes"):
            for n in (2, 4):
                def where(placement):
                    row = rows["countdown/py3/%s/%d/%s" % (mode, n, placement)]
                    self.assertFalse(row.get("error_occurred"), row.get("error_message"))
                    pus = ran_on(row)
                    self.assertEqual(len(pus), n)
                    return pus
                one = where("one-core")
                self.assertEqual(len(set(one)), 1, one)
                spread = where("spread")  # distinct cores (8 of them: n <= 8)
                self.assertEqual(len({t.core[p] for p in spread}), n, spread)
                smt = where("smt")  # the PUs of one core, both used
                self.assertEqual(len({t.core[p] for p in smt}), 1, smt)
                self.assertEqual(len(set(smt)), 2, smt)
                cross = where("cross-package")  # both packages, consecutive workers apart
                self.assertEqual(len({t.package[p] for p in cross}), 2, cross)
                self.assertNotEqual(t.package[cross[0]], t.package[cross[1]], cross)
                numa = where("numa")  # both nodes, and memory bound to each
                self.assertEqual(len({t.node[p] for p in numa}), 2, numa)
                self.assertNotEqual(t.node[numa[0]], t.node[numa[1]], numa)
                row = rows["countdown/py3/%s/%d/numa" % (mode, n)]
                self.assertEqual(row.get("memory_bound_local"), 1.0, row)
                for placement in ("one-core", "spread", "smt", "cross-package"):
                    self.assertNotIn("memory_bound_local",
                                     rows["countdown/py3/%s/%d/%s" % (mode, n, placement)])

    def test_taskset_narrows_every_placement(self):
        rows, context = rows_of(self.path("taskset.json"))
        self.assertEqual(context["allowed_cpuset"], "2-5")
        self.assertEqual(unavailable_of(context), {
            "cross-package": "only 1 package has allowed PUs (allowed cpuset 2-5)",
            "numa": "only 1 NUMA node has allowed PUs (allowed cpuset 2-5)"})
        for placement in ("spread", "smt"):
            for mode in ("threads", "processes"):
                pus = ran_on(rows["countdown/py3/%s/2/%s" % (mode, placement)])
                self.assertTrue(set(pus) <= {2, 3, 4, 5}, (placement, pus))
        self.assertNotIn("countdown/py3/threads/2/cross-package", rows)
        self.assertNotIn("countdown/py3/threads/2/numa", rows)

    def test_default_threads_reach_every_pu(self):
        self.assertEqual(listed_threads(self.path("default_threads.txt")), [1, 2, 4, 8, 16])


class Lab1(LabCase):
    SMP = "1"
    COMMANDS = (
        GILBENCH_ROWS % ("os,one-core,spread,smt,cross-package,numa", "2", "one_pu.json"),
        LIST_DEFAULT % "default_threads.txt",
    )

    def test_only_what_one_pu_can_give(self):
        rows, context = rows_of(self.path("one_pu.json"))
        self.assertEqual(unavailable_of(context), {
            "spread": "only 1 allowed core (allowed cpuset 0)",
            "smt": "no core has 2 PUs",
            "cross-package": "only 1 package",
            "numa": "only 1 NUMA node"})
        self.assertEqual(sorted(rows), ["countdown/py3/%s/2/%s" % (m, p)
                                        for m in ("processes", "threads")
                                        for p in ("one-core", "os")])
        self.assertEqual(ran_on(rows["countdown/py3/threads/2/one-core"]), [0, 0])
        self.assertEqual(context["rows_unavailable"], "8")

    def test_default_threads(self):
        self.assertEqual(listed_threads(self.path("default_threads.txt")), [1])


def plan_listings(pus):
    """Guest commands listing the rows of every step of the quick and full plans, each into
    $OUT/list-PLAN-PART.txt (a step with no row here lists nothing, which is no failure)."""
    commands = []
    for plan in ("quick", "full"):
        p = reproduction.PLANS[plan]
        for part, _, flags in reproduction.gilbench_steps(p, pus):
            commands.append("{ gilbench --benchmark_list_tests --size=%s %s > $OUT/list-%s-%s.txt"
                            " || true; }" % (p["size"], " ".join(flags), plan, part))
    return tuple(commands)


class Lab64(LabCase):
    SMP = "64,sockets=4,cores=8,threads=2"
    COMMANDS = (
        LIST_DEFAULT % "default_threads.txt",
        "gilbench --size=tiny --workloads=countdown --policies=py3 --modes=threads "
        "--placements=cross-package,numa --threads=4 --benchmark_out=$OUT/wide.json >/dev/null",
    ) + plan_listings(64)

    def sized(self, name):
        """(counts, estimate in s) of plan `name` from the rows the guest listed."""
        plan = reproduction.PLANS[name]

        def guest_lister(flags):
            part = next(p for p, _, f in reproduction.gilbench_steps(plan, 64)
                        if flags[1:] == f)
            with open(self.path("list-%s-%s.txt" % (name, part))) as f:
                return f.read().split()
        counts = reproduction.count_rows(plan, 64, guest_lister)
        estimate = reproduction.estimate_s(plan, counts)
        print("topology_lab_test: %s on the 64-PU guest: %s" % (
            name, reproduction.describe_plan(plan, counts)[0]), file=sys.stderr)
        return counts, estimate

    def test_quick_stays_under_5_minutes(self):
        counts, estimate = self.sized("quick")
        self.assertGreater(counts["cpu"], 0)
        self.assertLess(estimate, 300)
        # Every placement can be given there: 2 workloads x 5 policies x 3 modes x 6 placements.
        self.assertEqual(counts["cpu"], 2 * 5 * 3 * 6)

    def test_full_says_how_long(self):
        counts, estimate = self.sized("full")
        # The scaling curve reaches the whole machine and one point past it.
        self.assertEqual(counts["scaling"], 2 * 5 * 2 * len([1, 8, 16, 32, 64, 128]))
        self.assertGreater(estimate, 3600)

    def test_default_threads_reach_64(self):
        self.assertEqual(listed_threads(self.path("default_threads.txt")),
                         [1, 2, 4, 8, 16, 32, 64])

    def test_four_packages_and_nodes(self):
        t = self.topology
        self.assertEqual(len(t.pus), 64)
        rows, context = rows_of(self.path("wide.json"))
        self.assertEqual((context["topology_packages"], context["topology_numa_nodes"]),
                         ("4", "4"))
        cross = ran_on(rows["countdown/py3/threads/4/cross-package"])
        self.assertEqual(len({t.package[p] for p in cross}), 4, cross)
        numa = ran_on(rows["countdown/py3/threads/4/numa"])
        self.assertEqual(len({t.node[p] for p in numa}), 4, numa)


class CommandLineTest(unittest.TestCase):
    """What the lab refuses before booting anything, and the qemu arguments it builds."""

    def lab(self, *args):
        import subprocess
        return subprocess.run([LAB_SCRIPT, *args], capture_output=True, text=True, timeout=60)

    def test_refusals_are_exit_2(self):
        for args in ((), ("--smp", "10,sockets=3,cores=2,threads=2", "--", "true"),
                     ("--numa", "3", "--", "true"), ("--smp",), ("--bogus", "1", "--", "true"),
                     ("--timeout", "soon", "--", "true")):
            result = self.lab(*args)
            self.assertEqual(result.returncode, 2, (args, result.stderr))
            self.assertIn("scripts/topology-lab:", result.stderr)

    def test_numa_nodes_take_the_pus_in_order(self):
        args = lab.numa_arguments(16, 2, 1024)
        self.assertIn("node,nodeid=0,cpus=0-7,memdev=mem0", args)
        self.assertIn("node,nodeid=1,cpus=8-15,memdev=mem1", args)
        self.assertIn("memory-backend-ram,id=mem1,size=512M", args)
        self.assertEqual(lab.numa_arguments(1, 1, 1024), ["-m", "1024M"])

    def test_cpio_is_newc(self):
        archive = lab.Cpio()
        archive.file("/a/b", b"xyz", 0o644)
        data = archive.finish()
        self.assertTrue(data.startswith(b"070701"))
        self.assertIn(b"a/b\0", data)
        self.assertIn(b"TRAILER!!!", data)
        self.assertEqual(len(data) % 4, 0)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1] + sys.argv[1:])
