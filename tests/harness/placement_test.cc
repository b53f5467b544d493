// Tests of harness/placement: placement names, the topology summary, the plan of each placement on
// this machine (with the reason when the machine cannot give it), strict binding of threads and
// processes checked with hwloc_get_last_cpu_location, inherited affinity (taskset-like, in a forked
// child) and the XML export. Tests that need two PUs skip, with the reason, on one.
#include "harness/placement.h"

#include <dirent.h>
#include <gtest/gtest.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace gilbench::harness {
namespace {

constexpr Placement kAll[] = {Placement::kOs,  Placement::kOneCore,      Placement::kSpread,
                              Placement::kSmt, Placement::kCrossPackage, Placement::kNuma};

std::unique_ptr<Topology> MustLoad() {
  std::string error;
  std::unique_ptr<Topology> topology = Topology::Load(&error);
  EXPECT_NE(topology, nullptr) << error;
  return topology;
}

bool StartsWith(const std::string& text, const std::string& prefix) {
  return text.rfind(prefix, 0) == 0;
}

// The highest allowed PU: a forked child restricted to it sees a set that differs from the usual
// first-PU default.
int LastAllowedCpu(const Topology& topology) {
  int last = -1;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (Topology::Contains(topology.Allowed(), cpu)) last = cpu;
  }
  return last;
}

// Spins for `duration` (long enough for the scheduler to migrate an unbound thread) and returns
// every PU the calling thread was seen on that is outside `set`, or -1 values when hwloc could
// not tell. Empty means the binding held for the whole spin.
std::vector<int> SpinAndWatch(const Topology& topology, const CpuSet& set,
                              std::chrono::milliseconds duration) {
  std::vector<int> strays;
  const auto end = std::chrono::steady_clock::now() + duration;
  volatile unsigned sink = 0;
  while (std::chrono::steady_clock::now() < end) {
    for (int i = 0; i < 10000; ++i) sink = sink + static_cast<unsigned>(i);
    const int cpu = topology.LastCpu();
    if (!Topology::Contains(set, cpu) && strays.size() < 8) strays.push_back(cpu);
  }
  return strays;
}

// Runs `body` in a forked child and returns its exit status (or 128 + signal). The child leaves
// with _exit, so no atexit handler of the test binary (gtest, sanitizers) runs twice.
int RunInChild(const std::function<int()>& body) {
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) _exit(body());
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return -1;
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1;
}

TEST(PlacementTest, NamesRoundTrip) {
  for (Placement p : kAll) {
    Placement parsed = Placement::kOs;
    ASSERT_TRUE(ParsePlacement(PlacementName(p), &parsed)) << PlacementName(p);
    EXPECT_EQ(parsed, p);
  }
  EXPECT_STREQ(PlacementName(Placement::kOneCore), "one-core");
  EXPECT_STREQ(PlacementName(Placement::kCrossPackage), "cross-package");
  EXPECT_STREQ(PlacementName(Placement::kNuma), "numa");
}

TEST(PlacementTest, OnlyNumaBindsMemory) {
  for (Placement p : kAll) {
    EXPECT_EQ(MemoryBindingOf(p) == MemoryBinding::kLocalNode, p == Placement::kNuma)
        << PlacementName(p);
  }
}

TEST(PlacementTest, RejectsBadNames) {
  for (const char* bad :
       {"", "OS", "one_core", "onecore", "spread ", " smt", "cross", "NUMA", "numa-node"}) {
    Placement parsed = Placement::kSmt;
    EXPECT_FALSE(ParsePlacement(bad, &parsed)) << "'" << bad << "'";
    EXPECT_EQ(parsed, Placement::kSmt) << "a rejected name must leave *out alone";
  }
}

TEST(PlacementTest, SummaryIsConsistent) {
  std::unique_ptr<Topology> topology = MustLoad();
  ASSERT_NE(topology, nullptr);
  const Topology::Summary s = topology->Summarize();
  EXPECT_GE(s.packages, 1);
  EXPECT_GE(s.cores, s.packages);
  EXPECT_GE(s.pus, s.cores);
  EXPECT_GE(s.numa_nodes, 1);
  EXPECT_GE(s.max_pus_per_core, 1);
  EXPECT_EQ(s.smt, s.max_pus_per_core >= 2);
  EXPECT_FALSE(s.allowed_cpuset.empty());
  EXPECT_EQ(s.allowed_cpuset, topology->ToString(topology->Allowed()));
  EXPECT_LE(topology->Allowed().Weight(), s.pus);
  std::printf("topology: %d packages, %d cores, %d PUs, %d NUMA nodes, smt=%d, allowed %s\n",
              s.packages, s.cores, s.pus, s.numa_nodes, s.smt, s.allowed_cpuset.c_str());
}

TEST(PlacementTest, OsPlansNoBinding) {
  std::unique_ptr<Topology> topology = MustLoad();
  ASSERT_NE(topology, nullptr);
  std::vector<CpuSet> plan = {CpuSet::Of({0})};
  std::string reason;
  EXPECT_TRUE(topology->PlanPlacement(Placement::kOs, 4, &plan, &reason)) << reason;
  EXPECT_TRUE(plan.empty());
}

TEST(PlacementTest, OneCorePlansOneIdenticalPu) {
  std::unique_ptr<Topology> topology = MustLoad();
  ASSERT_NE(topology, nullptr);
  std::vector<CpuSet> plan;
  std::string reason;
  ASSERT_TRUE(topology->PlanPlacement(Placement::kOneCore, 3, &plan, &reason)) << reason;
  ASSERT_EQ(plan.size(), 3u);
  for (const CpuSet& set : plan) {
    EXPECT_EQ(set.Weight(), 1) << topology->ToString(set);
    EXPECT_EQ(set, plan[0]);
    EXPECT_TRUE(Topology::Contains(topology->Allowed(), set.First()));
  }
}

TEST(PlacementTest, SpreadPutsTwoWorkersOnDistinctCores) {
  std::unique_ptr<Topology> topology = MustLoad();
  ASSERT_NE(topology, nullptr);
  std::vector<CpuSet> plan;
  std::string reason;
  if (!topology->PlanPlacement(Placement::kSpread, 2, &plan, &reason)) {
    ASSERT_TRUE(StartsWith(reason, "spread: only 1 allowed core")) << reason;
    GTEST_SKIP() << reason;
  }
  ASSERT_EQ(plan.size(), 2u);
  EXPECT_EQ(plan[0].Weight(), 1);
  EXPECT_EQ(plan[1].Weight(), 1);
  EXPECT_FALSE(plan[0] == plan[1]) << topology->ToString(plan[0]);
  // A third worker goes round to the first core when there are only two.
  ASSERT_TRUE(topology->PlanPlacement(Placement::kSpread, 3, &plan, &reason)) << reason;
  if (topology->Summarize().cores == 2) {
    EXPECT_EQ(plan[2], plan[0]);
  }
}

TEST(PlacementTest, SpreadWithOneWorkerAlwaysPlans) {
  std::unique_ptr<Topology> topology = MustLoad();
  ASSERT_NE(topology, nullptr);
  std::vector<CpuSet> plan;
  std::string reason;
  ASSERT_TRUE(topology->PlanPlacement(Placement::kSpread, 1, &plan, &reason)) << reason;
  ASSERT_EQ(plan.size(), 1u);
  EXPECT_EQ(plan[0].Weight(), 1);
}

TEST(PlacementTest, SmtPlansOrSaysWhyNot) {
  std::unique_ptr<Topology> topology = MustLoad();
  ASSERT_NE(topology, nullptr);
  std::vector<CpuSet> plan;
  std::string reason;
  if (!topology->PlanPlacement(Placement::kSmt, 2, &plan, &reason)) {
    EXPECT_TRUE(StartsWith(reason, "smt:")) << reason;
    EXPECT_TRUE(plan.empty());
    std::printf("smt not available here: %s\n", reason.c_str());
    return;
  }
  EXPECT_TRUE(topology->Summarize().smt);
  ASSERT_EQ(plan.size(), 2u);
  EXPECT_EQ(plan[0].Weight(), 1);
  EXPECT_FALSE(plan[0] == plan[1]) << "two PUs of one core";
}

TEST(PlacementTest, CrossPackagePlansOrSaysWhyNot) {
  std::unique_ptr<Topology> topology = MustLoad();
  ASSERT_NE(topology, nullptr);
  std::vector<CpuSet> plan;
  std::string reason;
  if (!topology->PlanPlacement(Placement::kCrossPackage, 2, &plan, &reason)) {
    EXPECT_TRUE(StartsWith(reason, "cross-package:")) << reason;
    EXPECT_TRUE(plan.empty());
    std::printf("cross-package not available here: %s\n", reason.c_str());
    return;
  }
  EXPECT_GE(topology->Summarize().packages, 2);
  ASSERT_EQ(plan.size(), 2u);
  EXPECT_FALSE(plan[0] == plan[1]);
}

// numa: one PU of each node, or (on the one-node machines CI runs on) the reason; the lab's
// two-node guest checks the plan on real nodes (tests/scripts/topology_lab_test.py).
TEST(PlacementTest, NumaPlansOrSaysWhyNot) {
  std::unique_ptr<Topology> topology = MustLoad();
  ASSERT_NE(topology, nullptr);
  std::vector<CpuSet> plan;
  std::string reason;
  if (!topology->PlanPlacement(Placement::kNuma, 2, &plan, &reason)) {
    EXPECT_TRUE(StartsWith(reason, "numa:")) << reason;
    EXPECT_TRUE(plan.empty());
    if (topology->Summarize().numa_nodes < 2) EXPECT_EQ(reason, "numa: only 1 NUMA node");
    return;
  }
  EXPECT_GE(topology->Summarize().numa_nodes, 2);
  ASSERT_EQ(plan.size(), 2u);
  EXPECT_FALSE(plan[0] == plan[1]);
  EXPECT_EQ(plan[0].Weight(), 1);
}

TEST(PlacementTest, RejectsZeroWorkers) {
  std::unique_ptr<Topology> topology = MustLoad();
  ASSERT_NE(topology, nullptr);
  for (Placement p : kAll) {
    std::vector<CpuSet> plan;
    std::string reason;
    EXPECT_FALSE(topology->PlanPlacement(p, 0, &plan, &reason));
    EXPECT_TRUE(StartsWith(reason, std::string(PlacementName(p)) + ":")) << reason;
  }
}

TEST(PlacementTest, CpuSetCopiesAndMoves) {
  CpuSet a = CpuSet::Of({1, 3, -2});
  EXPECT_EQ(a.ToString(), "1,3");
  CpuSet b = a;
  EXPECT_EQ(b, a);
  CpuSet c = std::move(a);
  EXPECT_EQ(c, b);
  EXPECT_TRUE(a.Empty());  // NOLINT(bugprone-use-after-move): moved-from is documented empty
  EXPECT_EQ(a.ToString(), "");
  a = c;  // assigning into a moved-from set works
  EXPECT_EQ(a, c);
  b = CpuSet();
  EXPECT_TRUE(b.Empty());
  EXPECT_EQ(c.First(), 1);
  EXPECT_TRUE(c.Contains(3));
  EXPECT_FALSE(c.Contains(2));
  EXPECT_FALSE(Topology::Contains(c, -1));
}

TEST(PlacementTest, BindRejectsAnEmptySet) {
  std::unique_ptr<Topology> topology = MustLoad();
  ASSERT_NE(topology, nullptr);
  std::string error;
  EXPECT_FALSE(topology->Bind(CpuSet(), false, &error));
  EXPECT_NE(error.find("empty cpuset"), std::string::npos) << error;
}

// Every set any placement plans here, bound in a fresh thread in turn (never the test's main
// thread, whose binding later Loads would inherit as "allowed").
TEST(PlacementTest, BoundThreadRunsInsideItsSet) {
  std::unique_ptr<Topology> topology = MustLoad();
  ASSERT_NE(topology, nullptr);
  if (topology->Allowed().Weight() < 2) GTEST_SKIP() << "one allowed PU: binding is not visible";
  std::vector<CpuSet> sets;
  for (Placement p : kAll) {
    std::vector<CpuSet> plan;
    std::string reason;
    if (topology->PlanPlacement(p, topology->Allowed().Weight(), &plan, &reason)) {
      sets.insert(sets.end(), plan.begin(), plan.end());
    }
  }
  ASSERT_FALSE(sets.empty());
  for (const CpuSet& set : sets) {
    std::string error;
    bool bound = false;
    std::vector<int> strays;
    std::thread worker([&] {
      bound = topology->Bind(set, /*for_process=*/false, &error);
      if (bound) strays = SpinAndWatch(*topology, set, std::chrono::milliseconds(20));
    });
    worker.join();
    ASSERT_TRUE(bound) << error;
    EXPECT_TRUE(strays.empty()) << "bound to " << topology->ToString(set) << ", seen on "
                                << strays.front();
  }
}

// Two workers bound at once, as the harness runs them, checked with CheckBinding.
TEST(PlacementTest, ConcurrentWorkersPassTheBindingCheck) {
  std::unique_ptr<Topology> topology = MustLoad();
  ASSERT_NE(topology, nullptr);
  std::vector<CpuSet> plan;
  std::string reason;
  if (!topology->PlanPlacement(Placement::kSpread, 2, &plan, &reason)) GTEST_SKIP() << reason;
  std::vector<int> last_cpus(plan.size(), -1);
  std::vector<std::string> errors(plan.size());
  std::atomic<int> ready{0};
  std::vector<std::thread> workers;
  for (size_t i = 0; i < plan.size(); ++i) {
    workers.emplace_back([&, i] {
      const bool bound = topology->Bind(plan[i], false, &errors[i]);
      ready.fetch_add(1);  // counted even when binding failed, so no worker waits forever
      while (ready.load() < static_cast<int>(plan.size())) std::this_thread::yield();
      if (!bound) return;
      SpinAndWatch(*topology, plan[i], std::chrono::milliseconds(10));
      last_cpus[i] = topology->LastCpu();
    });
  }
  for (std::thread& worker : workers) worker.join();
  for (const std::string& error : errors) ASSERT_EQ(error, "");
  const BindingCheck check = CheckBinding(plan, last_cpus);
  EXPECT_TRUE(check.ok) << check.message;
}

TEST(PlacementTest, BindingCheckNamesTheFirstMismatch) {
  const std::vector<CpuSet> plan = {CpuSet::Of({0}), CpuSet::Of({1}), CpuSet::Of({2})};
  EXPECT_TRUE(CheckBinding(plan, {0, 1, 2}).ok);
  BindingCheck check = CheckBinding(plan, {0, 3, 0});
  EXPECT_FALSE(check.ok);
  EXPECT_EQ(check.message, "worker 1 ran on PU 3, bound to 1");
  check = CheckBinding(plan, {-1, 1, 2});
  EXPECT_FALSE(check.ok);
  EXPECT_TRUE(StartsWith(check.message, "worker 0:")) << check.message;
  check = CheckBinding(plan, {0, 1});
  EXPECT_FALSE(check.ok);
  EXPECT_NE(check.message.find("3 workers"), std::string::npos) << check.message;
  EXPECT_TRUE(CheckBinding({}, {5, 7}).ok) << "os plans nothing to check";
}

// The harness's processes mode: a forked child binds itself (for_process) and must run there.
TEST(PlacementTest, BoundProcessRunsInsideItsSet) {
  std::unique_ptr<Topology> topology = MustLoad();
  ASSERT_NE(topology, nullptr);
  if (topology->Allowed().Weight() < 2) GTEST_SKIP() << "one allowed PU: binding is not visible";
  const CpuSet target = CpuSet::Of({LastAllowedCpu(*topology)});
  const int status = RunInChild([&] {
    std::string error;
    if (!topology->Bind(target, /*for_process=*/true, &error)) return 10;
    if (!SpinAndWatch(*topology, target, std::chrono::milliseconds(20)).empty()) return 11;
    return 0;
  });
  EXPECT_EQ(status, 0) << "10: bind failed, 11: ran outside " << topology->ToString(target);
}

// What the child of InheritedAffinityNarrowsEverything found; the exit status is the first
// failing check.
enum ChildCheck : int {
  kChildOk = 0,
  kChildSetAffinity,
  kChildLoad,
  kChildAllowed,
  kChildCounts,
  kChildSpreadTwo,
  kChildSpreadOne,
  kChildOneCore,
  kChildSmt,
  kChildCrossPackage,
};
constexpr const char* kChildCheckNames[] = {
    "ok",
    "sched_setaffinity failed",
    "Topology::Load failed",
    "allowed_cpuset is not the one CPU",
    "topology counts changed with the affinity (they must not)",
    "spread with 2 workers did not fail with a 'spread:' reason",
    "spread with 1 worker did not plan the one CPU",
    "one-core did not plan the one CPU",
    "smt did not fail with an 'smt:' reason",
    "cross-package did not fail with a 'cross-package:' reason",
};

// Restricts every thread of the calling process to `cpu`, as `taskset -a -p` does. Every thread,
// not only the caller: a process's affinity is the union of its threads' (what hwloc reports for
// HWLOC_CPUBIND_PROCESS), and a sanitizer's runtime may have started a thread in the child.
bool RestrictAllThreads(int cpu) {
  cpu_set_t mask;
  CPU_ZERO(&mask);
  CPU_SET(cpu, &mask);
  DIR* tasks = opendir("/proc/self/task");
  if (tasks == nullptr) return false;
  bool ok = true;
  while (const dirent* entry = readdir(tasks)) {
    const pid_t tid = static_cast<pid_t>(std::atoi(entry->d_name));
    if (tid > 0 && sched_setaffinity(tid, sizeof(mask), &mask) != 0) ok = false;
  }
  closedir(tasks);
  return ok;
}

// Runs in the child: restricts it to `cpu`, as a launcher would, and checks everything follows.
int CheckNarrowedChild(int cpu, const Topology::Summary& parent) {
  if (!RestrictAllThreads(cpu)) return kChildSetAffinity;
  std::string error;
  std::unique_ptr<Topology> topology = Topology::Load(&error);
  if (topology == nullptr) return kChildLoad;
  const Topology::Summary s = topology->Summarize();
  if (s.allowed_cpuset != std::to_string(cpu)) return kChildAllowed;
  if (s.pus != parent.pus || s.cores != parent.cores) return kChildCounts;
  const CpuSet only = CpuSet::Of({cpu});
  std::vector<CpuSet> plan;
  std::string reason;
  if (topology->PlanPlacement(Placement::kSpread, 2, &plan, &reason) ||
      !StartsWith(reason, "spread:")) {
    return kChildSpreadTwo;
  }
  if (!topology->PlanPlacement(Placement::kSpread, 1, &plan, &reason) || !(plan.at(0) == only)) {
    return kChildSpreadOne;
  }
  if (!topology->PlanPlacement(Placement::kOneCore, 2, &plan, &reason) || !(plan.at(1) == only)) {
    return kChildOneCore;
  }
  if (topology->PlanPlacement(Placement::kSmt, 2, &plan, &reason) || !StartsWith(reason, "smt:")) {
    return kChildSmt;
  }
  if (topology->PlanPlacement(Placement::kCrossPackage, 2, &plan, &reason) ||
      !StartsWith(reason, "cross-package:")) {
    return kChildCrossPackage;
  }
  return kChildOk;
}

TEST(PlacementTest, InheritedAffinityNarrowsEverything) {
  std::unique_ptr<Topology> topology = MustLoad();
  ASSERT_NE(topology, nullptr);
  const int cpu = LastAllowedCpu(*topology);
  const Topology::Summary parent = topology->Summarize();
  const int status = RunInChild([&] { return CheckNarrowedChild(cpu, parent); });
  ASSERT_GE(status, 0) << "fork or waitpid failed";
  ASSERT_LT(status, static_cast<int>(std::size(kChildCheckNames)))
      << "child died with status " << status;
  EXPECT_EQ(status, kChildOk) << "child restricted to CPU " << cpu << ": "
                              << kChildCheckNames[status];
}

TEST(PlacementTest, ExportXmlWritesTheTopology) {
  std::unique_ptr<Topology> topology = MustLoad();
  ASSERT_NE(topology, nullptr);
  const std::string path = ::testing::TempDir() + "placement_test_topology.xml";
  std::string error;
  ASSERT_TRUE(topology->ExportXml(path, &error)) << error;
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_NE(text.str().find("<topology"), std::string::npos);
  std::remove(path.c_str());
}

TEST(PlacementTest, ExportXmlReportsAnUnwritablePath) {
  std::unique_ptr<Topology> topology = MustLoad();
  ASSERT_NE(topology, nullptr);
  std::string error;
  EXPECT_FALSE(topology->ExportXml("/nonexistent-dir/topology.xml", &error));
  EXPECT_FALSE(error.empty());
}

}  // namespace
}  // namespace gilbench::harness
