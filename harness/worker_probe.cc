// Binding, counters and last-PU checks around each worker (worker_probe.h).
#include "harness/worker_probe.h"

namespace gilbench::harness {

WorkerProbe::WorkerProbe(const Topology& topology, const std::vector<CpuSet>& plan,
                         const std::vector<CounterSpec>& counters, int workers,
                         MemoryBinding memory)
    : topology_(topology),
      plan_(plan),
      counters_(counters),
      groups_(static_cast<size_t>(workers)),
      sched_(static_cast<size_t>(workers)),
      memory_(memory),
      bind_errors_(static_cast<size_t>(workers)),
      memory_bound_(static_cast<size_t>(workers), 0),
      last_cpus_(static_cast<size_t>(workers), -1) {}

vm::WorkerHooks WorkerProbe::Hooks() {
  return vm::WorkerHooks{[this](int worker) { Before(worker); },
                         [this](int worker) { After(worker); }};
}

void WorkerProbe::Before(int worker) {
  const size_t i = static_cast<size_t>(worker);
  std::string error;
  std::string memory_note;
  if (!plan_.empty()) {
    if (!topology_.Bind(plan_[i], /*for_process=*/false, &error, memory_, &memory_note)) {
      bind_errors_[i] = "worker " + std::to_string(worker) + ": " + error;
    } else if (memory_ == MemoryBinding::kLocalNode && memory_note.empty()) {
      memory_bound_[i] = 1;
    }
  }
  // Opened on the worker itself: a perf_event group counts the thread that opened it (pid 0).
  if (!counters_.empty()) {
    groups_[i] = CounterGroup::Open(counters_);
    groups_[i].Start();  // a failure leaves the reading absent with the reason
  }
  sched_[i] = ThreadSchedProbe::Open();
  sched_[i].Start();
}

void WorkerProbe::After(int worker) {
  const size_t i = static_cast<size_t>(worker);
  sched_[i].Stop();
  if (!counters_.empty()) groups_[i].Stop();
  last_cpus_[i] = topology_.LastCpu();
}

bool WorkerProbe::CheckPlacement(const std::vector<CpuSet>& check_plan, std::string* error) const {
  for (const std::string& bind_error : bind_errors_) {
    if (!bind_error.empty()) {
      *error = "binding failed: " + bind_error;
      return false;
    }
  }
  const BindingCheck check = CheckBinding(check_plan, last_cpus_);
  if (!check.ok) *error = "binding check failed: " + check.message;
  return check.ok;
}

int WorkerProbe::MemoryBound() const {
  int bound = 0;
  for (char b : memory_bound_) bound += b;
  return bound;
}

CounterReading WorkerProbe::Counters() const {
  CounterReading sum;
  if (counters_.empty()) return sum;
  for (const CounterGroup& group : groups_) sum += group.Read();
  return sum;
}

SchedReading WorkerProbe::Sched() const {
  SchedReading sum;
  for (const ThreadSchedProbe& probe : sched_) sum += probe.Read();
  return sum;
}

}  // namespace gilbench::harness
