// Ctrl-C: gilvm's SIGINT handler sets a flag, as CPython's does; the main thread turns it into
// KeyboardInterrupt -- at its next eval-breaker check (the handler also sets the GIL's signal
// bit), or, while it blocks on a lock, a condition or a queue, within one wait slice (sync.cc).
#include <atomic>
#include <csignal>
#include <cstdlib>

#include "vm/sync.h"

namespace gilbench::vm {
namespace {

std::atomic<bool> g_sigint_pending{false};
std::atomic<gil::Gil*> g_gil{nullptr};

extern "C" void OnSigint(int) {
  g_sigint_pending.store(true, std::memory_order_relaxed);
  if (gil::Gil* gil = g_gil.load(std::memory_order_relaxed)) gil->NoteSignal();
}

}  // namespace

void InstallSigintHandler(gil::Gil* gil) {
  g_gil.store(gil, std::memory_order_relaxed);
  struct sigaction action = {};
  action.sa_handler = OnSigint;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
}

bool SigintPending() { return g_sigint_pending.load(std::memory_order_relaxed); }

bool InterruptPendingFor(const ThreadState& ts) {
  return g_sigint_pending.load(std::memory_order_relaxed) && ts.interp->root() == ts.interp &&
         ts.thread == ts.interp->main_thread();
}

bool RaiseInterrupt(ThreadState& ts) {
  g_sigint_pending.store(false, std::memory_order_relaxed);
  return ts.Raise("KeyboardInterrupt", "");
}

bool HandlePendingSignal(ThreadState& ts) {
  if (!InterruptPendingFor(ts)) return true;
  ts.interp->gil().ClearSignal();
  return RaiseInterrupt(ts);
}

void ExitBySigint() {
  std::signal(SIGINT, SIG_DFL);
  std::raise(SIGINT);
  std::_Exit(128 + SIGINT);  // not reached unless SIGINT is blocked
}

}  // namespace gilbench::vm
