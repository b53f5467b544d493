// processes mode (mode_run.h): the multiprocessing.Pool analog. Prepare forks spec.workers
// children before the clock starts; each builds its own interpreter, loads the workload, binds
// itself (the whole process) to its PUs and blocks on a "go" byte. Run writes the go bytes and
// reads each child's ChildReport, with a deadline. Finish reaps every child: one that crashed,
// exited non-zero, or did not report in time (then it is killed first) fails the run with its
// status. The destructor kills and reaps whatever is left, so no zombie outlives a run. SIGINT or
// SIGTERM (interrupt.h) ends the wait at once: the children still working are killed and reaped,
// and the run fails, for the benchmark to exit.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <optional>
#include <vector>

#include "harness/child_main.h"
#include "harness/child_report.h"
#include "harness/interrupt.h"
#include "harness/mode_run.h"
#include "harness/system_error.h"

namespace gilbench::harness {
namespace {

struct Child {
  pid_t pid = -1;
  int go_fd = -1;      // parent's write end of the child's go pipe
  int report_fd = -1;  // parent's read end of the child's report pipe
  ChildReport report;
  size_t received = 0;     // bytes of `report` read so far
  bool reported = false;   // a whole report arrived
  bool timed_out = false;  // the deadline passed first (the child gets killed)
  bool reaped = false;
  int status = 0;  // waitpid's
};

void CloseFd(int* fd) {
  if (*fd >= 0) close(*fd);
  *fd = -1;
}

// Why child `i` failed, from its wait status, or "" when it exited 0.
std::string DescribeStatus(size_t i, const Child& child, double timeout_s) {
  const std::string who = "child " + std::to_string(i) + " (pid " + std::to_string(child.pid) + ")";
  if (child.timed_out) {
    return who + " did not report within " + std::to_string(static_cast<int>(timeout_s)) +
           " s; killed";
  }
  if (WIFSIGNALED(child.status)) {
    const int sig = WTERMSIG(child.status);
    return who + " killed by signal " + std::to_string(sig) + " (" + strsignal(sig) + ")";
  }
  if (WIFEXITED(child.status) && WEXITSTATUS(child.status) != 0) {
    return who + " exited with status " + std::to_string(WEXITSTATUS(child.status));
  }
  return child.reported ? "" : who + " exited without reporting";
}

class ProcessesRun : public ModeRun {
 public:
  ProcessesRun(const RunSpec& spec, WorkerPlan plan)
      : spec_(spec), plan_(std::move(plan)), children_(spec.workers) {}
  ~ProcessesRun() override { KillAndReap(); }

  bool Prepare(std::string* error) override {
    for (size_t i = 0; i < children_.size(); ++i) {
      if (!Fork(i, error)) return false;
    }
    return true;
  }

  void Run() override {
    before_ = Usage::Now(RUSAGE_SELF);
    const char go = 'g';
    // A child that failed its set-up has exited: EPIPE (SIGPIPE is ignored), seen in Finish.
    for (Child& child : children_) {
      if (write(child.go_fd, &go, 1) != 1) CloseFd(&child.go_fd);
    }
    CollectReports();
    Usage after = Usage::Now(RUSAGE_SELF);
    after -= before_;
    before_ = after;  // the parent's own share: it only waited
  }

  bool Finish(RunFigures* out, std::string* error) override;

 private:
  bool Fork(size_t index, std::string* error);
  void CollectReports();
  bool ReadSome(Child& child);
  void KillAndReap();

  const RunSpec& spec_;
  const WorkerPlan plan_;
  std::vector<Child> children_;
  Usage before_;
};

bool ProcessesRun::Fork(size_t index, std::string* error) {
  int go[2], report[2];
  if (pipe2(go, O_CLOEXEC) != 0) return SystemError("pipe", error);
  if (pipe2(report, O_CLOEXEC) != 0) {
    const bool failed = SystemError("pipe", error);
    close(go[0]);
    close(go[1]);
    return failed;
  }
  const pid_t pid = ForkChild();
  if (pid == 0) {
    // The child keeps only its own ends: an earlier child's go pipe must not stay open here, or
    // that child would never see EOF if the parent died.
    for (size_t j = 0; j < index; ++j) {
      close(children_[j].go_fd);
      close(children_[j].report_fd);
    }
    close(go[1]);
    close(report[0]);
    // The native side's ends too: when it hangs up, this child's pipes must see EOF.
    for (int fd : plan_.native_fds) close(fd);
    ChildMain(spec_, plan_.calls[index], static_cast<int>(index), go[0], report[1]);
  }
  close(go[0]);
  close(report[1]);
  Child& child = children_[index];
  child.go_fd = go[1];
  child.report_fd = report[0];
  if (pid < 0) {
    const bool failed = SystemError("fork", error);
    CloseFd(&child.go_fd);
    CloseFd(&child.report_fd);
    return failed;
  }
  child.pid = pid;
  return true;
}

// Reads from every child that has more to send until all reported or hung up, or the deadline,
// or an interrupt: then the children that did not report are left for Finish to kill.
void ProcessesRun::CollectReports() {
  const auto deadline =
      std::chrono::steady_clock::now() +
      std::chrono::milliseconds(static_cast<int64_t>(spec_.child_timeout_s * 1e3));
  while (true) {
    std::vector<pollfd> fds = {pollfd{InterruptFd(), POLLIN, 0}};
    std::vector<Child*> waiting = {nullptr};  // parallel to fds
    for (Child& child : children_) {
      if (child.report_fd < 0) continue;
      fds.push_back(pollfd{child.report_fd, POLLIN, 0});
      waiting.push_back(&child);
    }
    if (fds.size() == 1) return;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    const int ready = left.count() <= 0 ? 0 : poll(fds.data(), fds.size(), left.count());
    if (ready < 0 && errno == EINTR) continue;
    if (fds[0].revents != 0) return;
    if (ready <= 0) {
      for (size_t i = 1; i < waiting.size(); ++i) waiting[i]->timed_out = true;
      return;
    }
    for (size_t i = 1; i < fds.size(); ++i) {
      if (fds[i].revents != 0 && !ReadSome(*waiting[i])) CloseFd(&waiting[i]->report_fd);
    }
  }
}

// Reads what is there of `child`'s report; false when its pipe is done (whole, EOF or error).
bool ProcessesRun::ReadSome(Child& child) {
  char* into = reinterpret_cast<char*>(&child.report) + child.received;
  const ssize_t got = read(child.report_fd, into, sizeof(ChildReport) - child.received);
  if (got < 0 && errno == EINTR) return true;
  if (got <= 0) return false;
  child.received += static_cast<size_t>(got);
  child.reported = child.received == sizeof(ChildReport);
  return !child.reported;
}

void ProcessesRun::KillAndReap() {
  for (Child& child : children_) {
    CloseFd(&child.go_fd);
    CloseFd(&child.report_fd);
    if (child.pid <= 0 || child.reaped) continue;
    if (!child.reported) kill(child.pid, SIGKILL);  // hung or never released: do not wait on it
    while (waitpid(child.pid, &child.status, 0) < 0 && errno == EINTR) {
    }
    child.reaped = true;
  }
}

bool ProcessesRun::Finish(RunFigures* out, std::string* error) {
  KillAndReap();
  *out = RunFigures{};
  out->usage = before_;
  std::vector<int> last_cpus;
  std::vector<WorkerShare> shares;
  for (size_t i = 0; i < children_.size(); ++i) {
    const Child& child = children_[i];
    if (child.reported && (child.report.magic != ChildReport::kMagic || !child.report.ok)) {
      *error = "child " + std::to_string(i) + " failed: " +
               (child.report.magic == ChildReport::kMagic ? child.report.error : "bad report");
      return false;
    }
    const std::string status = DescribeStatus(i, child, spec_.child_timeout_s);
    if (!status.empty()) {
      *error = status;
      return false;
    }
    out->checksum += child.report.checksum;
    out->usage += child.report.usage;
    out->gil += child.report.gil;
    out->counters += child.report.counters;
    out->sched += child.report.sched;
    last_cpus.push_back(child.report.last_cpu);
    if (MemoryBindingOf(spec_.placement) != MemoryBinding::kNone && !spec_.plan.empty()) {
      out->memory_bind_tries += 1;
      out->memory_bound += child.report.memory_bound;
    }
    shares.push_back(WorkerShare{static_cast<uint64_t>(child.report.wall_ns),
                                 child.report.gil.counters.vm_ticks, child.report.sched});
  }
  SideBySide(shares, &out->slowest_worker, &out->fairness);
  const BindingCheck check = CheckBinding(spec_.plan, last_cpus);
  if (!check.ok) *error = "binding check failed: " + check.message;
  out->last_cpus = std::move(last_cpus);
  return check.ok;
}

}  // namespace

std::unique_ptr<ModeRun> MakeProcessesRun(const RunSpec& spec, WorkerPlan plan) {
  return std::make_unique<ProcessesRun>(spec, std::move(plan));
}

}  // namespace gilbench::harness
