// The counter reading record: its sums and its trip through a pipe (counter_reading.h).
#include "harness/counter_reading.h"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include <algorithm>
#include <type_traits>

#include "harness/system_error.h"

namespace gilbench::harness {

// CounterReading goes through pipes as raw bytes: no pointers, no padding (so no uninitialised
// bytes are written), and small enough for one atomic write.
static_assert(std::is_trivially_copyable_v<CounterReading>);
static_assert(std::has_unique_object_representations_v<CounterReading>);
static_assert(sizeof(CounterReading) <= PIPE_BUF);

namespace {

// "Broken pipe (EPIPE)".

}  // namespace

CounterReading CounterReading::Absent(std::string_view reason) {
  CounterReading reading;
  reading.state = State::kAbsent;
  CopyTruncated(reason, &reading.absent_reason);
  return reading;
}

std::optional<std::uint64_t> CounterReading::Value(std::string_view event_name) const {
  if (!present()) return std::nullopt;
  for (std::size_t i = 0; i < count; ++i) {
    if (name(i) == event_name) return values[i];
  }
  return std::nullopt;
}

CounterReading& CounterReading::operator+=(const CounterReading& other) {
  if (other.state == State::kEmpty || state == State::kAbsent) return *this;
  if (state == State::kEmpty || other.state == State::kAbsent) {
    *this = other;
    return *this;
  }
  if (count != other.count || names != other.names) {
    *this = Absent("cannot sum readings of different counter lists");
    return *this;
  }
  for (std::size_t i = 0; i < count; ++i) values[i] += other.values[i];
  time_enabled_ns += other.time_enabled_ns;
  time_running_ns += other.time_running_ns;
  multiplexed = static_cast<std::uint8_t>(multiplexed | other.multiplexed);
  return *this;
}

CounterReading Sum(const std::vector<CounterReading>& readings) {
  CounterReading total;
  for (const CounterReading& reading : readings) total += reading;
  return total;
}

bool WriteReading(int fd, const CounterReading& reading, std::string* error) {
  const char* data = reinterpret_cast<const char*>(&reading);
  std::size_t left = sizeof(reading);
  while (left > 0) {
    const ssize_t n = write(fd, data, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      *error = "writing the counter reading failed: " + ErrnoText(n < 0 ? errno : EIO);
      return false;
    }
    data += n;
    left -= static_cast<std::size_t>(n);
  }
  return true;
}

namespace {

// Whether a record read from a pipe is one WriteReading could have written.
bool WellFormed(const CounterReading& r) {
  if (r.magic != CounterReading::kMagic || r.count > kMaxCounters) return false;
  if (r.state != CounterReading::State::kEmpty && r.state != CounterReading::State::kPresent &&
      r.state != CounterReading::State::kAbsent) {
    return false;
  }
  const auto terminated = [](const auto& chars) {
    return std::find(chars.begin(), chars.end(), '\0') != chars.end();
  };
  return terminated(r.absent_reason) && std::all_of(r.names.begin(), r.names.end(), terminated);
}

}  // namespace

bool ReadReading(int fd, CounterReading* out, std::string* error) {
  CounterReading reading;
  char* data = reinterpret_cast<char*>(&reading);
  std::size_t got = 0;
  while (got < sizeof(reading)) {
    const ssize_t n = read(fd, data + got, sizeof(reading) - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      *error = "reading the counter reading failed: " + ErrnoText(errno);
      return false;
    }
    if (n == 0) {
      *error = got == 0 ? "no counter reading (end of file)" : "short counter reading";
      return false;
    }
    got += static_cast<std::size_t>(n);
  }
  if (!WellFormed(reading)) {
    *error = "malformed counter reading";
    return false;
  }
  *out = reading;
  return true;
}

}  // namespace gilbench::harness
