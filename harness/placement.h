// Where gilbench's worker threads and processes run: one hwloc topology of this machine, the
// placements of docs/design.md, "Placements" (os, one-core, spread, smt, cross-package, numa)
// turned into one cpuset per worker, strict binding to those cpusets, and the check that workers
// really ran there.
//
// The rules (docs/background.md, "hwloc pitfalls"):
//   - the process's inherited affinity (taskset, a CI launcher) is not in the topology, so every
//     plan uses the topology intersected with hwloc_get_cpubind(PROCESS), taken once at Load;
//   - a core's cpuset is singlified before binding, so a worker stays on one PU of the core;
//   - binding is strict (HWLOC_CPUBIND_STRICT), and hwloc_get_last_cpu_location checks it;
//   - a placement the machine (as allowed) cannot give fails with a one-line reason that starts
//     with the placement's name ("smt: no core has 2 PUs"); there is never a silent fallback.
// Errors are returned as data (bool + message); nothing here throws.
#pragma once

#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

// hwloc's types, forward-declared so that users of this header do not see hwloc.h.
struct hwloc_bitmap_s;
struct hwloc_topology;

namespace gilbench::harness {

enum class Placement { kOs, kOneCore, kSpread, kSmt, kCrossPackage, kNuma };

// Whether a placement binds each worker's memory to its NUMA node as well as its CPUs (numa).
enum class MemoryBinding { kNone, kLocalNode };
MemoryBinding MemoryBindingOf(Placement p);

// Parses "os", "one-core", "spread", "smt", "cross-package", "numa" (the --placements names);
// returns false, leaving *out alone, for anything else.
bool ParsePlacement(std::string_view name, Placement* out);
// The name ParsePlacement accepts for `p`; used in benchmark names and messages.
const char* PlacementName(Placement p);

// A set of PUs by OS index (what sched_setaffinity and hwloc_get_last_cpu_location speak): an
// owning wrapper around an hwloc bitmap. A moved-from CpuSet is empty.
class CpuSet {
 public:
  CpuSet();  // empty
  // The set of the given OS indices (negative ones are ignored); for tests and callers that
  // already know their CPUs.
  static CpuSet Of(std::initializer_list<int> cpus);
  CpuSet(const CpuSet& other);
  CpuSet(CpuSet&& other) noexcept;
  CpuSet& operator=(const CpuSet& other);
  CpuSet& operator=(CpuSet&& other) noexcept;
  ~CpuSet();

  bool Empty() const;
  int Weight() const;  // number of PUs
  int First() const;   // lowest OS index, or -1 when empty
  bool Contains(int cpu) const;
  std::string ToString() const;  // hwloc's list form: "0", "0-1", "0,2"; "" when empty
  friend bool operator==(const CpuSet& a, const CpuSet& b);

 private:
  friend class Topology;  // hands bitmap_ to hwloc calls

  hwloc_bitmap_s* bitmap_;  // owned; null only after a move
};

// One hwloc topology of this machine, loaded once. Load is the only call that modifies it; after
// it every method is const and may be called from any thread at once (hwloc allows concurrent
// readers of a loaded, refreshed topology, and binding does not modify it).
class Topology {
 public:
  // Loads the topology and the process's allowed cpuset. Fails (null, *error set) when hwloc
  // cannot load, when the topology is not this system (HWLOC_XMLFILE / HWLOC_SYNTHETIC in the
  // environment: binding would silently do nothing), or when no PU is allowed. Call it before
  // binding any thread: the process's affinity is the union of its threads' bindings.
  static std::unique_ptr<Topology> Load(std::string* error);
  ~Topology();
  Topology(const Topology&) = delete;
  Topology& operator=(const Topology&) = delete;

  // The benchmark context's summary. Counts are of the topology as hwloc sees it (cgroup-disallowed
  // PUs already removed); allowed_cpuset further narrows it by the inherited affinity.
  struct Summary {
    int packages = 0;            // >= 1 (a topology without Package objects counts as one)
    int cores = 0;               // >= packages (a topology without Core objects counts PUs)
    int pus = 0;                 // >= cores
    int numa_nodes = 0;          // >= 1
    int max_pus_per_core = 0;    // the widest core's PU count
    bool smt = false;            // max_pus_per_core >= 2
    std::string allowed_cpuset;  // list form, e.g. "0-1"
  };
  Summary Summarize() const;

  // Writes the topology as hwloc XML to `path`, whole or not at all (common/output_file.h).
  bool ExportXml(const std::string& path, std::string* error) const;

  // The PU set each of `workers` (>= 1) workers must be bound to under `placement`: out[i] is
  // worker i's. `os` gives an empty vector (callers do not bind). On false, *out is empty and
  // *reason is one line starting with "<placement>:". The protocols are above the planners in
  // placement.cc.
  bool PlanPlacement(Placement placement, int workers, std::vector<CpuSet>* out,
                     std::string* reason) const;

  // Binds the calling thread (HWLOC_CPUBIND_THREAD | STRICT) or, with for_process, the whole
  // calling process (HWLOC_CPUBIND_PROCESS | STRICT: every thread of it) to `set`. With
  // kLocalNode its memory too: allocations go to the NUMA node(s) of `set` (HWLOC_MEMBIND_BIND);
  // where the system cannot bind memory (no NUMA support: ENOSYS, EXDEV) the CPUs stay bound and
  // *memory_note says why, which is not a failure ("where hwloc can").
  bool Bind(const CpuSet& set, bool for_process, std::string* error,
            MemoryBinding memory = MemoryBinding::kNone, std::string* memory_note = nullptr) const;
  // The PU (OS index) where the calling thread last ran, or -1 when hwloc cannot tell.
  int LastCpu() const;

  static bool Contains(const CpuSet& set, int cpu);  // `cpu` is an OS index; false when < 0
  std::string ToString(const CpuSet& set) const;     // "0", "0-1", ...

  // The allowed cpuset (topology ∩ inherited affinity) taken at Load.
  const CpuSet& Allowed() const { return allowed_; }

 private:
  Topology(hwloc_topology* topology, CpuSet allowed);

  bool PlanOneCore(int workers, std::vector<CpuSet>* out, std::string* reason) const;
  bool PlanSpread(int workers, std::vector<CpuSet>* out, std::string* reason) const;
  bool PlanSmt(int workers, std::vector<CpuSet>* out, std::string* reason) const;
  bool PlanCrossPackage(int workers, std::vector<CpuSet>* out, std::string* reason) const;
  bool PlanNuma(int workers, std::vector<CpuSet>* out, std::string* reason) const;
  // The allowed part of each object at the core level (Core, or PU when hwloc shows no cores) or
  // of each Package, skipping objects with no allowed PU.
  std::vector<CpuSet> AllowedCores() const;
  std::vector<CpuSet> AllowedPackages() const;
  std::vector<CpuSet> AllowedNumaNodes() const;
  std::vector<CpuSet> AllowedPartsOf(int depth) const;
  int CoreDepth() const;

  hwloc_topology* topology_;  // owned; read-only after Load
  CpuSet allowed_;            // read-only after Load
};

// Whether every worker ran where its plan bound it: plan[i] against last_cpus[i], the value
// Topology::LastCpu() returned inside worker i (at the end of its work). An empty plan (`os`)
// always passes. `message` names the first mismatch, e.g. "worker 1 ran on PU 3, bound to 0".
struct BindingCheck {
  bool ok = false;
  std::string message;
};
BindingCheck CheckBinding(const std::vector<CpuSet>& plan, const std::vector<int>& last_cpus);

}  // namespace gilbench::harness
