// SIGINT and SIGTERM in gilbench: a run stops soon after, leaving nothing behind -- no results
// file under the final name, no temporary, no child process -- and exits with 128 + the signal
// (130, 143), as a shell reports a process the signal killed.
//
// The handler does only what is async-signal-safe: it notes the signal, removes the results'
// temporary at once (so that a SIGKILL that follows a SIGTERM, as from `timeout -k` or a CI
// runner, leaves no temporary either) and wakes the waits that watch InterruptFd. The run
// stops at the next check, where nothing is held: between rows and iterations
// (CheckInterrupted), and in processes mode while it waits for the children, which are then
// killed and reaped before the check. A seq or threads iteration cannot be cut short (the VM
// has no way to stop its threads), so a second signal exits at once; the children of a
// processes run, if any, die with it (PR_SET_PDEATHSIG).
#pragma once

#include <sys/types.h>

#include <string>

namespace gilbench::harness {

// Installs the handlers of SIGINT and SIGTERM; false with *error when the system refuses.
bool InstallInterruptHandlers(std::string* error);

// The file the handler removes at the first signal: the results' temporary `path` ("" for none),
// which would have become `final_path` (for the message). Set before the run starts, while the
// process has one thread; ExitIfInterrupted removes it too. Once renamed into place, the
// temporary's name is gone and removing it does nothing.
void RemoveOnInterrupt(const std::string& path, const std::string& final_path);

// The signal that interrupted the run, or 0.
int InterruptSignal();
// A descriptor that becomes readable at the first signal, for a poll that must not sleep
// through it (processes mode's wait for its children).
int InterruptFd();

// When a signal came: says so on stderr, removes the temporary and exits with 128 + the signal.
// Requires that the caller holds no child process or thread that must be ended first.
void ExitIfInterrupted();

// fork() for a processes child: the child gets SIGINT and SIGTERM's default actions (a Ctrl-C
// that reaches the whole process group ends it at once) and nothing of the parent's handling (it
// must not wake the parent's InterruptFd, nor remove the parent's temporary).
pid_t ForkChild();

}  // namespace gilbench::harness
