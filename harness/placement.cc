// Placement of gilbench's workers on this machine's PUs with hwloc: the topology and the allowed
// cpuset taken once at Load, one planner per placement (each with its protocol above it), strict
// binding and the check of where workers ran. The rules are at the top of placement.h.
#include "harness/placement.h"

#include <hwloc.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "common/output_file.h"
#include "harness/system_error.h"

namespace gilbench::harness {
namespace {

struct PlacementEntry {
  Placement placement;
  const char* name;
};
constexpr PlacementEntry kPlacements[] = {
    {Placement::kOs, "os"},
    {Placement::kOneCore, "one-core"},
    {Placement::kSpread, "spread"},
    {Placement::kSmt, "smt"},
    {Placement::kCrossPackage, "cross-package"},
    {Placement::kNuma, "numa"},
};

// Worker i gets choices[i % choices.size()]: how every placement spreads more workers than it has
// places. Requires a non-empty `choices`.
std::vector<CpuSet> RoundRobin(const std::vector<CpuSet>& choices, int workers) {
  std::vector<CpuSet> out;
  out.reserve(static_cast<size_t>(workers));
  for (int i = 0; i < workers; ++i) out.push_back(choices[static_cast<size_t>(i) % choices.size()]);
  return out;
}

}  // namespace

bool ParsePlacement(std::string_view name, Placement* out) {
  for (const PlacementEntry& entry : kPlacements) {
    if (name == entry.name) {
      *out = entry.placement;
      return true;
    }
  }
  return false;
}

MemoryBinding MemoryBindingOf(Placement p) {
  return p == Placement::kNuma ? MemoryBinding::kLocalNode : MemoryBinding::kNone;
}

const char* PlacementName(Placement p) {
  for (const PlacementEntry& entry : kPlacements) {
    if (entry.placement == p) return entry.name;
  }
  return "unknown";
}

// ---- CpuSet: every method treats the null bitmap of a moved-from set as empty.

CpuSet::CpuSet() : bitmap_(hwloc_bitmap_alloc()) {}

CpuSet CpuSet::Of(std::initializer_list<int> cpus) {
  CpuSet set;
  for (int cpu : cpus) {
    if (cpu >= 0 && set.bitmap_ != nullptr)
      hwloc_bitmap_set(set.bitmap_, static_cast<unsigned>(cpu));
  }
  return set;
}

CpuSet::CpuSet(const CpuSet& other)
    : bitmap_(other.bitmap_ != nullptr ? hwloc_bitmap_dup(other.bitmap_) : hwloc_bitmap_alloc()) {}

CpuSet::CpuSet(CpuSet&& other) noexcept : bitmap_(std::exchange(other.bitmap_, nullptr)) {}

CpuSet& CpuSet::operator=(const CpuSet& other) {
  if (this == &other) return *this;
  if (bitmap_ == nullptr) bitmap_ = hwloc_bitmap_alloc();
  if (bitmap_ == nullptr) return *this;
  if (other.bitmap_ != nullptr) {
    hwloc_bitmap_copy(bitmap_, other.bitmap_);
  } else {
    hwloc_bitmap_zero(bitmap_);
  }
  return *this;
}

CpuSet& CpuSet::operator=(CpuSet&& other) noexcept {
  std::swap(bitmap_, other.bitmap_);
  return *this;
}

CpuSet::~CpuSet() {
  if (bitmap_ != nullptr) hwloc_bitmap_free(bitmap_);
}

bool CpuSet::Empty() const { return bitmap_ == nullptr || hwloc_bitmap_iszero(bitmap_); }

int CpuSet::Weight() const { return bitmap_ == nullptr ? 0 : hwloc_bitmap_weight(bitmap_); }

int CpuSet::First() const { return bitmap_ == nullptr ? -1 : hwloc_bitmap_first(bitmap_); }

bool CpuSet::Contains(int cpu) const {
  return cpu >= 0 && bitmap_ != nullptr && hwloc_bitmap_isset(bitmap_, static_cast<unsigned>(cpu));
}

std::string CpuSet::ToString() const {
  if (Empty()) return "";
  char* text = nullptr;
  if (hwloc_bitmap_list_asprintf(&text, bitmap_) < 0 || text == nullptr) return "?";
  std::string result(text);
  std::free(text);
  return result;
}

bool operator==(const CpuSet& a, const CpuSet& b) {
  if (a.Empty() || b.Empty()) return a.Empty() && b.Empty();
  return hwloc_bitmap_isequal(a.bitmap_, b.bitmap_) != 0;
}

// ---- Topology: loading and describing.

Topology::Topology(hwloc_topology* topology, CpuSet allowed)
    : topology_(topology), allowed_(std::move(allowed)) {}

Topology::~Topology() { hwloc_topology_destroy(topology_); }

// Loads once, then refreshes hwloc's lazy caches so that concurrent readers never write them.
// The allowed cpuset is the union of the process's thread bindings (what hwloc_get_cpubind
// returns for PROCESS on Linux) intersected with the topology: call Load before binding anything.
std::unique_ptr<Topology> Topology::Load(std::string* error) {
  hwloc_topology_t topology = nullptr;
  if (hwloc_topology_init(&topology) != 0) {
    SystemError("hwloc_topology_init", error);
    return nullptr;
  }
  auto fail = [&](std::string message) -> std::unique_ptr<Topology> {
    hwloc_topology_destroy(topology);
    *error = std::move(message);
    return nullptr;
  };
  if (hwloc_topology_load(topology) != 0)
    return fail(std::string("hwloc_topology_load: ") + std::strerror(errno));
  if (hwloc_topology_is_thissystem(topology) == 0) {
    return fail(
        "hwloc topology is not this system (HWLOC_XMLFILE, HWLOC_SYNTHETIC or "
        "HWLOC_FSROOT set?): binding would do nothing");
  }
  hwloc_topology_refresh(topology);
  CpuSet allowed;
  if (hwloc_get_cpubind(topology, allowed.bitmap_, HWLOC_CPUBIND_PROCESS) != 0) {
    return fail(std::string("hwloc_get_cpubind(process): ") + std::strerror(errno));
  }
  hwloc_bitmap_and(allowed.bitmap_, allowed.bitmap_, hwloc_topology_get_allowed_cpuset(topology));
  if (allowed.Empty()) return fail("no PU of the topology is in the process's affinity");
  return std::unique_ptr<Topology>(new Topology(topology, std::move(allowed)));
}

// The depth of the core level: Core objects, or PUs on a machine where hwloc shows no cores.
int Topology::CoreDepth() const {
  int depth = hwloc_get_type_depth(topology_, HWLOC_OBJ_CORE);
  if (depth < 0) depth = hwloc_get_type_depth(topology_, HWLOC_OBJ_PU);
  return depth;
}

Topology::Summary Topology::Summarize() const {
  Summary summary;
  summary.packages = std::max(1, hwloc_get_nbobjs_by_type(topology_, HWLOC_OBJ_PACKAGE));
  summary.pus = hwloc_get_nbobjs_by_type(topology_, HWLOC_OBJ_PU);
  summary.numa_nodes = std::max(1, hwloc_get_nbobjs_by_type(topology_, HWLOC_OBJ_NUMANODE));
  const int core_depth = CoreDepth();
  summary.cores = hwloc_get_nbobjs_by_depth(topology_, core_depth);
  for (int i = 0; i < summary.cores; ++i) {
    hwloc_obj_t core = hwloc_get_obj_by_depth(topology_, core_depth, static_cast<unsigned>(i));
    summary.max_pus_per_core =
        std::max(summary.max_pus_per_core, hwloc_bitmap_weight(core->cpuset));
  }
  summary.smt = summary.max_pus_per_core >= 2;
  summary.allowed_cpuset = allowed_.ToString();
  return summary;
}

bool Topology::ExportXml(const std::string& path, std::string* error) const {
  char* xml = nullptr;
  int length = 0;
  if (hwloc_topology_export_xmlbuffer(topology_, &xml, &length, 0) != 0) {
    return SystemError("hwloc_topology_export_xmlbuffer", error);
  }
  // The length counts the terminating NUL, which is no part of the XML.
  const std::string text(xml, length > 0 ? static_cast<size_t>(length) - 1 : 0);
  hwloc_free_xmlbuffer(topology_, xml);
  return common::WriteOutputFile(path, text, error);
}

// ---- Planning.

std::vector<CpuSet> Topology::AllowedPartsOf(int depth) const {
  std::vector<CpuSet> parts;
  const int count = hwloc_get_nbobjs_by_depth(topology_, depth);
  for (int i = 0; i < count; ++i) {
    hwloc_obj_t obj = hwloc_get_obj_by_depth(topology_, depth, static_cast<unsigned>(i));
    CpuSet part;
    hwloc_bitmap_and(part.bitmap_, obj->cpuset, allowed_.bitmap_);
    if (!part.Empty()) parts.push_back(std::move(part));
  }
  return parts;
}

std::vector<CpuSet> Topology::AllowedCores() const { return AllowedPartsOf(CoreDepth()); }

// A topology without Package objects is one package: the whole allowed set.
std::vector<CpuSet> Topology::AllowedPackages() const {
  const int depth = hwloc_get_type_depth(topology_, HWLOC_OBJ_PACKAGE);
  if (depth < 0) return {allowed_};
  return AllowedPartsOf(depth);
}

// NUMA nodes are memory objects, outside the tree of CPU levels: each node's cpuset is the PUs
// local to it. Nodes without an allowed PU are skipped; a machine hwloc shows no node on is one.
std::vector<CpuSet> Topology::AllowedNumaNodes() const {
  std::vector<CpuSet> nodes;
  const int count = hwloc_get_nbobjs_by_type(topology_, HWLOC_OBJ_NUMANODE);
  for (int i = 0; i < count; ++i) {
    hwloc_obj_t node =
        hwloc_get_obj_by_type(topology_, HWLOC_OBJ_NUMANODE, static_cast<unsigned>(i));
    if (node == nullptr || node->cpuset == nullptr) continue;
    CpuSet part;
    hwloc_bitmap_and(part.bitmap_, node->cpuset, allowed_.bitmap_);
    if (!part.Empty()) nodes.push_back(std::move(part));
  }
  if (nodes.empty()) nodes.push_back(allowed_);
  return nodes;
}

bool Topology::PlanPlacement(Placement placement, int workers, std::vector<CpuSet>* out,
                             std::string* reason) const {
  out->clear();
  if (workers < 1) {
    *reason = std::string(PlacementName(placement)) + ": workers must be >= 1, got " +
              std::to_string(workers);
    return false;
  }
  switch (placement) {
    case Placement::kOs:
      return true;  // no binding: the OS scheduler places the workers
    case Placement::kOneCore:
      return PlanOneCore(workers, out, reason);
    case Placement::kSpread:
      return PlanSpread(workers, out, reason);
    case Placement::kSmt:
      return PlanSmt(workers, out, reason);
    case Placement::kCrossPackage:
      return PlanCrossPackage(workers, out, reason);
    case Placement::kNuma:
      return PlanNuma(workers, out, reason);
  }
  *reason = "unknown placement";
  return false;
}

// one-core: every worker on the same single PU, the first allowed one — the single-CPU machine,
// where a GIL costs only switches. Always possible (Load guarantees an allowed PU).
bool Topology::PlanOneCore(int workers, std::vector<CpuSet>* out, std::string* /*reason*/) const {
  CpuSet pu = allowed_;
  hwloc_bitmap_singlify(pu.bitmap_);
  *out = RoundRobin({pu}, workers);
  return true;
}

// spread: one worker per core, round-robin over the allowed cores in hwloc's logical order (the
// cores of the first package first, so two workers stay in one package; cross-package is the
// placement that spans packages). Each core's allowed part is singlified, so a worker keeps one PU
// and never shares it with an SMT sibling's worker. With more workers than cores, worker i shares
// core i % cores. Needs two allowed cores once there are two workers.
bool Topology::PlanSpread(int workers, std::vector<CpuSet>* out, std::string* reason) const {
  std::vector<CpuSet> cores = AllowedCores();
  if (workers >= 2 && cores.size() < 2) {
    *reason = "spread: only 1 allowed core (allowed cpuset " + allowed_.ToString() + ")";
    return false;
  }
  for (CpuSet& core : cores) hwloc_bitmap_singlify(core.bitmap_);
  *out = RoundRobin(cores, workers);
  return true;
}

// smt: all workers on the PUs of one core — the first core with at least two allowed PUs —
// worker i on its (i % PUs)-th allowed PU, so hyperthread siblings compete for one core's
// pipeline. Needs such a core even for one worker: without it the placement would be one-core.
bool Topology::PlanSmt(int workers, std::vector<CpuSet>* out, std::string* reason) const {
  for (const CpuSet& core : AllowedCores()) {
    if (core.Weight() < 2) continue;
    std::vector<CpuSet> pus;
    for (int pu = core.First(); pu >= 0; pu = hwloc_bitmap_next(core.bitmap_, pu)) {
      pus.push_back(CpuSet::Of({pu}));
    }
    *out = RoundRobin(pus, workers);
    return true;
  }
  *reason = Summarize().smt
                ? "smt: no core has 2 allowed PUs (allowed cpuset " + allowed_.ToString() + ")"
                : std::string("smt: no core has 2 PUs");
  return false;
}

// cross-package: round-robin over the packages that have allowed PUs, one PU per package (its
// first allowed PU), so consecutive workers — and the GIL's cache line — cross the interconnect.
// With more workers than packages, worker i shares package i % packages' PU. Needs two packages
// even for one worker, like smt.
bool Topology::PlanCrossPackage(int workers, std::vector<CpuSet>* out, std::string* reason) const {
  std::vector<CpuSet> packages = AllowedPackages();
  if (packages.size() < 2) {
    *reason = Summarize().packages >= 2
                  ? "cross-package: only 1 package has allowed PUs (allowed cpuset " +
                        allowed_.ToString() + ")"
                  : std::string("cross-package: only 1 package");
    return false;
  }
  for (CpuSet& package : packages) hwloc_bitmap_singlify(package.bitmap_);
  *out = RoundRobin(packages, workers);
  return true;
}

// numa: round-robin over the NUMA nodes that have allowed PUs, one PU per node (its first allowed
// PU), each worker's memory bound to its node (MemoryBindingOf): the GIL, the interpreter's
// objects and the workers' allocations then live on different nodes, so every handoff reaches
// across the interconnect for memory as well as cache lines. Needs two such nodes even for one
// worker, like cross-package.
bool Topology::PlanNuma(int workers, std::vector<CpuSet>* out, std::string* reason) const {
  std::vector<CpuSet> nodes = AllowedNumaNodes();
  if (nodes.size() < 2) {
    *reason =
        Summarize().numa_nodes >= 2
            ? "numa: only 1 NUMA node has allowed PUs (allowed cpuset " + allowed_.ToString() + ")"
            : std::string("numa: only 1 NUMA node");
    return false;
  }
  for (CpuSet& node : nodes) hwloc_bitmap_singlify(node.bitmap_);
  *out = RoundRobin(nodes, workers);
  return true;
}

// ---- Binding and its check.

bool Topology::Bind(const CpuSet& set, bool for_process, std::string* error, MemoryBinding memory,
                    std::string* memory_note) const {
  const char* who = for_process ? "process" : "thread";
  if (set.Empty()) {
    *error = std::string("bind ") + who + ": empty cpuset";
    return false;
  }
  const int flags =
      (for_process ? HWLOC_CPUBIND_PROCESS : HWLOC_CPUBIND_THREAD) | HWLOC_CPUBIND_STRICT;
  if (hwloc_set_cpubind(topology_, set.bitmap_, flags) != 0) {
    return SystemError(std::string("bind ") + who + " to " + set.ToString() + " (strict)", error);
  }
  if (memory == MemoryBinding::kLocalNode) {
    // A cpuset given to set_membind means the NUMA nodes local to those PUs. The calling
    // thread's policy, also for a whole process: Linux keeps memory policies per thread, and
    // threads created afterwards (a child's worker) inherit it, while hwloc's PROCESS flag is
    // refused (EXDEV) once a process has several threads.
    if (hwloc_set_membind(topology_, set.bitmap_, HWLOC_MEMBIND_BIND, HWLOC_MEMBIND_THREAD) != 0 &&
        memory_note != nullptr) {
      *memory_note = std::string("memory not bound to the node of ") + set.ToString() + ": " +
                     std::strerror(errno);
    }
  }
  return true;
}

int Topology::LastCpu() const {
  CpuSet where;
  if (hwloc_get_last_cpu_location(topology_, where.bitmap_, HWLOC_CPUBIND_THREAD) != 0) return -1;
  return where.First();
}

bool Topology::Contains(const CpuSet& set, int cpu) { return set.Contains(cpu); }

std::string Topology::ToString(const CpuSet& set) const { return set.ToString(); }

BindingCheck CheckBinding(const std::vector<CpuSet>& plan, const std::vector<int>& last_cpus) {
  if (plan.empty()) return {true, "no binding planned"};
  if (last_cpus.size() != plan.size()) {
    return {false, "plan has " + std::to_string(plan.size()) + " workers but " +
                       std::to_string(last_cpus.size()) + " observations"};
  }
  for (size_t i = 0; i < plan.size(); ++i) {
    const std::string worker = "worker " + std::to_string(i);
    if (last_cpus[i] < 0) {
      return {false, worker + ": where it ran is unknown (hwloc_get_last_cpu_location failed)"};
    }
    if (!plan[i].Contains(last_cpus[i])) {
      return {false, worker + " ran on PU " + std::to_string(last_cpus[i]) + ", bound to " +
                         plan[i].ToString()};
    }
  }
  return {true, "all " + std::to_string(plan.size()) + " workers ran where bound"};
}

}  // namespace gilbench::harness
