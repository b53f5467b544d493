// The GIL's event trace: a bounded per-thread buffer of state changes and instant events, written
// only by its thread (no lock on the hot path), and its export as Chrome/Perfetto trace JSON.
//
// A thread is in one of three recorded states, each a B/E slice on its track: holding the GIL,
// waiting for it, or blocked (released it voluntarily for I/O or a sleep, until its next Acquire).
// Only one slice is open at a time, so B/E nest trivially. Entering and leaving "waiting" also
// records a +1/-1 delta; the export merges every thread's deltas, in time order, into one counter
// track of waiting threads. A full buffer stops recording: it first closes the open slice and
// balances its counter delta (room for that is reserved), then only counts what it drops.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace gilbench::gil {

// kLockWait: blocked (the GIL released) on one of the program's locks, conditions or queues --
// "waiting for a lock", as against "waiting" for the GIL.
enum class GilState : uint8_t { kNone, kHolding, kWaiting, kBlocked, kLockWait };
enum class TraceInstant : uint8_t { kDropRequest, kFutileWakeup, kForcedSwitch };

struct TraceEvent {
  enum class Type : uint8_t { kBegin, kEnd, kInstant, kWaitingDelta };
  int64_t ts_ns;  // CLOCK_MONOTONIC
  Type type;
  uint8_t
      detail;  // kBegin/kEnd: a GilState; kInstant: a TraceInstant; kWaitingDelta: 1 = +1, 0 = -1
};

class TraceBuffer {
 public:
  // Events kept back for closing the open slice and balancing the waiting counter.
  static constexpr size_t kReserve = 2;
  static constexpr size_t kMinCapacity = kReserve + 2;

  // `capacity` is the most events kept (at least kMinCapacity).
  explicit TraceBuffer(size_t capacity);

  // Records that the thread entered `state` at `now_ns` (kNone: no slice open). No-op if it is
  // already in it.
  void SetState(int64_t now_ns, GilState state);
  GilState state() const { return state_; }
  void Instant(int64_t now_ns, TraceInstant kind);

  size_t size() const { return size_; }
  uint64_t dropped() const { return dropped_; }
  const TraceEvent& at(size_t index) const {
    return chunks_[index / kChunkEvents][index % kChunkEvents];
  }

 private:
  static constexpr size_t kChunkEvents = 4096;  // allocated as needed, not all up front

  // Appends an event unless only the reserve is left; then stops recording (see Overflow).
  // Returns whether it appended.
  bool Push(int64_t now_ns, TraceEvent::Type type, uint8_t detail);
  // Appends ignoring the limit (the reserve guarantees room for the closing events).
  void Append(TraceEvent event);
  // The buffer is full: closes the open slice at `now_ns` and from now on only counts drops.
  void Overflow(int64_t now_ns);

  size_t capacity_;
  size_t size_ = 0;
  uint64_t dropped_ = 0;
  bool full_ = false;
  GilState state_ = GilState::kNone;  // the state of the last recorded, still open, slice
  bool waiting_counted_ = false;      // a +1 waiting delta is recorded and not yet balanced
  std::vector<std::unique_ptr<TraceEvent[]>> chunks_;
};

// One thread's track in an export.
struct TraceTrack {
  uint32_t tid;
  std::string_view name;
  const TraceBuffer* buffer;  // null: the thread was not traced
};

// The Chrome/Perfetto JSON of `tracks`, timestamps in microseconds from `origin_ns`.
// `other_data` holds extra "key":value pairs for "otherData" (without braces; may be empty).
std::string ExportTraceJson(const std::vector<TraceTrack>& tracks, int64_t origin_ns,
                            std::string_view process_name, std::string_view other_data);

}  // namespace gilbench::gil
