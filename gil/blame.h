// Who made whom wait: every GIL wait that ended in a handoff, charged to the thread that held the
// GIL last and to where that thread was (its Python stack) when it dropped it.
//
// How (docs/design.md, "GIL blame"): with GilConfig::blame on, each thread's record carries a
// stack provider that the interpreter sets (the thread's frames, outermost first, as
// "function (file:line)"). A policy, as it frees the GIL inside its critical section, stamps the
// dropper's id and its stack, interned here to a small id (Gil::StampDrop). The next taker, if
// it waited and the GIL came from another thread, charges its wait to that (holder, stack) in
// its own record (GilThread::NoteTaken): no shared write on the taker's path. The Gil merges the
// records of retired threads into folded stacks -- "waiting: W;holding: H;frame;frame weight", what
// flamegraph.pl, inferno and speedscope read -- and a JSON summary, heaviest first.
//
// A wait is charged whole to the last holder before the take; with more than two threads a wait
// that spanned several holdings is charged to the last. Off by default: it walks the dropper's
// frames at every drop.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "gil/pthread_sync.h"
#include "gil/thread_annotations.h"

namespace gilbench::gil {

// What one waiting thread was made to wait by one holder at one stack.
struct BlameEntry {
  uint64_t wait_ns = 0;
  uint64_t waits = 0;
};

// One thread's charges: (holder thread id, stack id) -> entry.
using BlameCharges = std::map<std::pair<uint32_t, uint32_t>, BlameEntry>;

// The stacks of droppers, interned: id 0 is "(no Python frame)" (a thread that dropped the GIL
// outside any frame, or had no provider). Thread-safe.
class BlameStacks {
 public:
  BlameStacks();
  // The id of `stack` ("f (a.py:3);g (a.py:7)"), adding it if new. Never throws: out of memory
  // gives 0.
  uint32_t Intern(const std::string& stack);
  std::string Stack(uint32_t id) const;

 private:
  mutable PthreadMutex mutex_;
  std::unordered_map<std::string, uint32_t> ids_ GUARDED_BY(mutex_);
  std::vector<std::string> stacks_ GUARDED_BY(mutex_);
};

// One line of the summary: a waiter, the holder that made it wait, the holder's stack.
struct BlameLine {
  std::string waiter;
  std::string holder;
  std::string stack;  // frames joined by ';', outermost first; "(no Python frame)" when none
  BlameEntry entry;
};

// The lines, heaviest first (ties by waiter, holder, stack: a stable order).
std::vector<BlameLine> SortedBlame(std::vector<BlameLine> lines);
// "waiting: W;holding: H;frame;...;frame weight_ns\n" per line: the folded-stack format, rooted
// at the thread that waited, then the one that made it wait.
std::string FoldedBlame(const std::vector<BlameLine>& lines);
// {"total_wait_ns": N, "waits": N, "entries": [{"waiter", "holder", "location", "stack": [...],
// "wait_ns", "waits", "share"}, ...]}: location is the innermost frame, share of total_wait_ns.
std::string BlameSummaryJson(const std::vector<BlameLine>& lines);

}  // namespace gilbench::gil
