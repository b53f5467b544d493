// SIGINT and SIGTERM handling (interrupt.h).
#include "harness/interrupt.h"

#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "harness/system_error.h"

namespace gilbench::harness {
namespace {

static_assert(std::atomic<int>::is_always_lock_free && std::atomic<bool>::is_always_lock_free,
              "the signal handler may only touch lock-free atomics");

// Written by the handler (on any thread), read by the run.
std::atomic<int> interrupt_signal{0};
// The wake-up pipe: the handler writes a byte to [1] at the first signal; [0] is InterruptFd.
// Both ends are set before the handlers are installed and never change.
int wake_pipe[2] = {-1, -1};
// The temporary to remove: written while remove_armed is false, before the run's threads exist;
// the handler reads it only after taking remove_armed, so each removal happens once.
char temporary[PATH_MAX];
std::string results_path;  // what the temporary would have become, for the message
std::atomic<bool> remove_armed{false};

void RemoveTemporary() {
  if (remove_armed.exchange(false)) unlink(temporary);
}

void WriteStderr(const char* text) {
  [[maybe_unused]] const ssize_t ignored = write(STDERR_FILENO, text, strlen(text));
}

void OnSignal(int signo) {
  const int saved_errno = errno;
  int first = 0;
  RemoveTemporary();
  if (!interrupt_signal.compare_exchange_strong(first, signo)) {
    // A second signal: the run did not reach a check since the first (a long seq or threads
    // iteration). The user insists: end now.
    WriteStderr("gilbench: interrupted again: exiting now\n");
    _exit(128 + signo);
  }
  const char byte = 1;
  [[maybe_unused]] const ssize_t ignored = write(wake_pipe[1], &byte, 1);  // never blocks
  errno = saved_errno;
}

}  // namespace

bool InstallInterruptHandlers(std::string* error) {
  if (pipe2(wake_pipe, O_CLOEXEC | O_NONBLOCK) != 0) return SystemError("pipe", error);
  struct sigaction action {};
  action.sa_handler = OnSignal;
  sigemptyset(&action.sa_mask);
  sigaddset(&action.sa_mask, SIGINT);  // one handler at a time on a thread
  sigaddset(&action.sa_mask, SIGTERM);
  // SA_RESTART: the library's and hwloc's calls must not fail with EINTR; the waits that must
  // wake up watch InterruptFd.
  action.sa_flags = SA_RESTART;
  for (int signo : {SIGINT, SIGTERM}) {
    if (sigaction(signo, &action, nullptr) != 0) return SystemError("sigaction", error);
  }
  return true;
}

void RemoveOnInterrupt(const std::string& path, const std::string& final_path) {
  remove_armed.store(false);
  if (path.empty() || path.size() >= sizeof temporary) return;
  std::memcpy(temporary, path.c_str(), path.size() + 1);
  results_path = final_path;
  remove_armed.store(true);
}

int InterruptSignal() { return interrupt_signal.load(); }

int InterruptFd() { return wake_pipe[0]; }

void ExitIfInterrupted() {
  const int signo = InterruptSignal();
  if (signo == 0) return;
  RemoveTemporary();
  std::fflush(stdout);
  std::fprintf(stderr, "gilbench: interrupted by %s: the run is incomplete%s\n",
               signo == SIGINT ? "SIGINT" : "SIGTERM",
               results_path.empty() ? "" : ("; " + results_path + " not written").c_str());
  std::fflush(stderr);
  _exit(128 + signo);
}

pid_t ForkChild() {
  sigset_t interrupts, before;
  sigemptyset(&interrupts);
  sigaddset(&interrupts, SIGINT);
  sigaddset(&interrupts, SIGTERM);
  // Blocked across fork, so that no signal reaches the child while it still runs our handler.
  pthread_sigmask(SIG_BLOCK, &interrupts, &before);
  const pid_t pid = fork();
  if (pid == 0) {
    remove_armed.store(false);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    close(wake_pipe[0]);
    close(wake_pipe[1]);
  }
  const int fork_errno = errno;
  pthread_sigmask(SIG_SETMASK, &before, nullptr);
  errno = fork_errno;
  return pid;
}

}  // namespace gilbench::harness
