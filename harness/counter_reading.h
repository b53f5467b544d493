// What a group of hardware counters read, as a record that crosses a pipe: the processes mode's
// children count for themselves and send their CounterReading to the parent, which sums them.
// Kept apart from perf_counters.h (which opens and reads the counters) because the record is
// plain data with rules of its own: fixed size, no padding, absent never zero.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gilbench::harness {

// At most this many events in one group: more would never fit a PMU's counters at once, and the
// bound keeps CounterReading a fixed-size, pipe-sized record.
inline constexpr std::size_t kMaxCounters = 8;
// Longest counter name (our name, or the raw libpfm string the user gave), without its NUL.
inline constexpr std::size_t kMaxCounterNameLength = 63;

// One group's (or a sum of groups') counts: a plain, trivially copyable record of fixed size, so a
// child process can write it to a pipe in one write(2) (sizeof < PIPE_BUF, hence atomic) and the
// parent read it back. Values are already scaled. Three states:
//   kEmpty   - nothing summed yet: the identity of +=, what an accumulator starts as;
//   kPresent - real counts of `count` events, named in `names`;
//   kAbsent  - the counters could not be read; `absent_reason` says why. Absent is never zeros.
struct CounterReading {
  enum class State : std::uint8_t { kEmpty = 0, kPresent = 1, kAbsent = 2 };
  static constexpr std::uint32_t kMagic = 0x47425043;  // "GBPC": a sanity check on pipe reads

  std::uint32_t magic = kMagic;
  State state = State::kEmpty;
  std::uint8_t multiplexed = 0;       // 1 when some group ran for less time than it was enabled
  std::uint8_t count = 0;             // events in names/values, <= kMaxCounters
  std::uint8_t reserved = 0;          // keeps the record free of padding bytes
  std::uint64_t time_enabled_ns = 0;  // summed over the groups
  std::uint64_t time_running_ns = 0;  // summed over the groups
  std::array<std::uint64_t, kMaxCounters> values{};
  std::array<std::array<char, kMaxCounterNameLength + 1>, kMaxCounters> names{};
  std::array<char, 160> absent_reason{};

  // An absent reading with this reason (truncated to fit).
  static CounterReading Absent(std::string_view reason);

  bool present() const { return state == State::kPresent; }
  bool absent() const { return state == State::kAbsent; }
  std::string_view name(std::size_t i) const { return names[i].data(); }
  std::string_view reason() const { return absent_reason.data(); }
  // The scaled value of the named event; nullopt unless present and the event is in the reading.
  std::optional<std::uint64_t> Value(std::string_view event_name) const;

  // Adds another thread's or process's reading. Empty + x = x; absent + anything = absent (the
  // first reason kept); present + present sums values and times, and is absent if the two were
  // not counting the same events in the same order.
  CounterReading& operator+=(const CounterReading& other);
  friend bool operator==(const CounterReading&, const CounterReading&) = default;
};

// The sum of several readings (Empty for none).
CounterReading Sum(const std::vector<CounterReading>& readings);

// Writes `reading` to `fd` (a pipe) whole, retrying on EINTR; false with *error on failure.
bool WriteReading(int fd, const CounterReading& reading, std::string* error);
// Reads one reading written by WriteReading; false with *error on EOF, a short record or a
// malformed one (bad magic, state, count or unterminated name).
bool ReadReading(int fd, CounterReading* out, std::string* error);

// Copies `text` into a fixed char array, truncated, always NUL-terminated.
template <std::size_t N>
void CopyTruncated(std::string_view text, std::array<char, N>* out) {
  out->fill('\0');
  text = text.substr(0, N - 1);
  std::copy(text.begin(), text.end(), out->begin());
}

}  // namespace gilbench::harness
