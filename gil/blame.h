// Who made whom wait: every GIL wait that ended in a handoff, charged to the thread that held the
// GIL last and to where that thread was (its Python stack) when it dropped it, and to the thread
// that held it when the waiter asked and where that one was then (BlameAsks).
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

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <string>
#include <tuple>
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

// Whom a wait is charged to: the last holder and its stack at the drop, and the holder and its
// stack when the waiter asked (asked_holder 0: not known -- the answer was no longer kept).
struct BlameKey {
  uint32_t holder = 0;
  uint32_t stack = 0;
  uint32_t asked_holder = 0;
  uint32_t asked_stack = 0;
  friend bool operator<(const BlameKey& a, const BlameKey& b) {
    return std::tie(a.holder, a.stack, a.asked_holder, a.asked_stack) <
           std::tie(b.holder, b.stack, b.asked_holder, b.asked_stack);
  }
};

// One thread's charges.
using BlameCharges = std::map<BlameKey, BlameEntry>;

// Where the holder was when a waiter asked for the GIL. A waiter takes a ticket as it begins to
// wait, and raises a bit of the eval breaker; the holder, at its next check (within one back
// edge or call) -- or at its drop, if that comes first -- replies to every ticket so far with its
// id and its stack. The waiter reads the reply to its ticket once it holds the GIL. Only with
// blame on; a mutex of its own, never on the path of a run without blame.
class BlameAsks {
 public:
  struct Reply {
    uint32_t holder = 0;  // 0: not known
    uint32_t stack = 0;
  };

  // `eval_breaker` and `bit`: what Ask raises so that the holder stops at its next check.
  BlameAsks(std::atomic<uint32_t>* eval_breaker, uint32_t bit)
      : eval_breaker_(eval_breaker), bit_(bit) {}
  // A waiter begins to wait: its ticket (never 0).
  uint64_t Ask();
  // True when some ticket has had no reply yet.
  bool Pending() const;
  // The holder replies to every ticket so far (nothing when none is pending).
  void Answer(uint32_t holder, uint32_t stack);
  // The reply to `ticket`; holder 0 when there was none, or it is too old to be kept.
  Reply ReplyTo(uint64_t ticket) const;

 private:
  static constexpr size_t kKept = 256;  // replies kept: a waiter reads its own within a handoff
  struct Kept {
    uint64_t up_to = 0;  // this reply covers the tickets after the previous one's up to here
    Reply reply;
  };
  std::atomic<uint32_t>* const eval_breaker_;
  const uint32_t bit_;
  mutable PthreadMutex mutex_;
  uint64_t last_ticket_ GUARDED_BY(mutex_) = 0;
  uint64_t answered_ GUARDED_BY(mutex_) = 0;         // every ticket up to here has a reply
  std::array<Kept, kKept> kept_ GUARDED_BY(mutex_);  // a ring, in the order of up_to
  size_t next_ GUARDED_BY(mutex_) = 0;               // where the next reply goes
};

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

// One line of the summary: a waiter, the holder that made it wait, the holder's stack at the
// drop, and the holder and its stack when the waiter asked.
struct BlameLine {
  std::string waiter;
  std::string holder;
  std::string stack;  // frames joined by ';', outermost first; "(no Python frame)" when none
  BlameEntry entry;
  std::string asked_holder;  // "(not known)" when the reply was not kept
  std::string asked_stack;
};

// The lines, heaviest first (ties by waiter, holder, stack: a stable order).
std::vector<BlameLine> SortedBlame(std::vector<BlameLine> lines);
// "waiting: W;holding: H;frame;...;frame weight_ns\n": the folded-stack format, rooted at the
// thread that waited, then the one that made it wait, with its stack at the drop; lines that
// differ only at the asking merge. Heaviest first.
std::string FoldedBlame(const std::vector<BlameLine>& lines);
// The same with the holder and its stack when the waiter asked.
std::string FoldedBlameAsked(const std::vector<BlameLine>& lines);
// {"total_wait_ns": N, "waits": N, "entries": [{"waiter", "holder", "location", "stack": [...],
// "asked_holder", "asked_location", "asked_stack": [...], "wait_ns", "waits", "share"}, ...]}:
// location is the innermost frame at the drop, asked_location when the waiter asked; share of
// total_wait_ns.
std::string BlameSummaryJson(const std::vector<BlameLine>& lines);

}  // namespace gilbench::gil
