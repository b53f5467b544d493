// Helpers shared by the GIL tests: building a policy, the interpreter-like loops that hold the GIL
// and answer the eval breaker, waiting with a deadline, CPU pinning, and a minimal JSON parser
// (recursive descent) for checking StatsJson() and TraceJson().
#pragma once

#include <gtest/gtest.h>
#include <pthread.h>
#include <sched.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "gil/gil.h"

namespace gilbench::gil::testing {

using Clock = std::chrono::steady_clock;
inline constexpr auto kGenerous = std::chrono::seconds(10);  // "eventually", on a loaded 2-core VM

inline const std::vector<std::string>& AllPolicies() {
  static const std::vector<std::string> kAll = {"py2", "py3", "fifo", "prio", "subinterp"};
  return kAll;
}

struct PolicyOptions {
  int64_t switch_interval_us = 5000;
  int64_t check_interval = 100;
  bool forced_switch = true;
  bool trace = false;
  size_t trace_events_per_thread = size_t{1} << 20;
};

inline std::unique_ptr<Gil> MakePolicy(const std::string& policy, PolicyOptions options = {}) {
  GilConfig config;
  config.policy = policy;
  config.switch_interval_us = options.switch_interval_us;
  config.check_interval = options.check_interval;
  config.forced_switch = options.forced_switch;
  config.trace = options.trace;
  config.trace_events_per_thread = options.trace_events_per_thread;
  std::string error;
  std::unique_ptr<Gil> gil = MakeGil(config, &error);
  EXPECT_NE(gil, nullptr) << error;
  return gil;
}

// Registers `n` threads named "t1", "t2", ...
inline std::vector<std::unique_ptr<GilThread>> RegisterThreads(Gil& gil, int n) {
  std::vector<std::unique_ptr<GilThread>> threads;
  for (int i = 0; i < n; ++i) threads.push_back(gil.RegisterThread("t" + std::to_string(i + 1)));
  return threads;
}

inline void RetireAll(Gil& gil, std::vector<std::unique_ptr<GilThread>>& threads) {
  for (std::unique_ptr<GilThread>& thread : threads) gil.RetireThread(std::move(thread));
  threads.clear();
}

// The interpreter's eval-breaker check.
inline void CheckBreaker(Gil& gil, GilThread& self) {
  if (gil.eval_breaker().load(std::memory_order_relaxed) != 0) gil.OnEvalBreaker(&self);
}

// Spins until `done` holds or the deadline passes; returns whether `done` held.
inline bool SpinUntil(const std::function<bool()>& done, Clock::duration timeout = kGenerous) {
  const Clock::time_point deadline = Clock::now() + timeout;
  while (!done()) {
    if (Clock::now() > deadline) return false;
    std::this_thread::yield();
  }
  return true;
}

// The holder's side of the interpreter loop: a CPU-bound thread that answers the eval breaker
// until `done` holds or the deadline passes. Returns whether `done` held.
inline bool RunHoldingUntil(Gil& gil, GilThread& self, const std::function<bool()>& done,
                            Clock::duration timeout = kGenerous) {
  const Clock::time_point deadline = Clock::now() + timeout;
  uint64_t steps = 0;
  while (!done()) {
    if ((++steps & 1023) == 0 && Clock::now() > deadline) return false;
    CheckBreaker(gil, self);
  }
  return true;
}

// CPUs in this process's affinity mask.
inline std::vector<int> AllowedCpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  std::vector<int> cpus;
  if (sched_getaffinity(0, sizeof set, &set) != 0) return cpus;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (CPU_ISSET(cpu, &set)) cpus.push_back(cpu);
  }
  return cpus;
}

// Pins the calling thread to `cpu`; returns whether it worked.
inline bool PinToCpu(int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  return pthread_setaffinity_np(pthread_self(), sizeof set, &set) == 0;
}

// --- A minimal JSON parser -----------------------------------------------------------------------

struct JsonValue {
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };
  Type type = Type::kNull;
  bool boolean = false;
  double number = 0;
  std::string string;
  std::vector<JsonValue> array;
  // An object's members: keys[i] names values[i] (a vector of pairs would need JsonValue
  // complete here).
  std::vector<std::string> keys;
  std::vector<JsonValue> values;

  // The member `key` of an object, or null.
  const JsonValue* Get(std::string_view key) const {
    for (size_t i = 0; i < keys.size(); ++i) {
      if (keys[i] == key) return &values[i];
    }
    return nullptr;
  }
  // The number at `key` (test failure and 0 if missing).
  double Num(std::string_view key) const {
    const JsonValue* value = Get(key);
    EXPECT_TRUE(value != nullptr && value->type == Type::kNumber) << "no number " << key;
    return value == nullptr ? 0 : value->number;
  }
  uint64_t U64(std::string_view key) const { return static_cast<uint64_t>(Num(key)); }
  std::string Str(std::string_view key) const {
    const JsonValue* value = Get(key);
    return value == nullptr ? "" : value->string;
  }
};

class JsonParser {
 public:
  explicit JsonParser(std::string_view text) : text_(text) {}

  // Parses the whole text as one value; false (with `error`) on any syntax error.
  bool Parse(JsonValue* out, std::string* error) {
    const bool ok = ParseValue(out, 0) && (SkipSpace(), pos_ == text_.size());
    if (!ok && error != nullptr) *error = "JSON syntax error at offset " + std::to_string(pos_);
    return ok;
  }

 private:
  void SkipSpace() {
    while (pos_ < text_.size() && std::string_view(" \t\r\n").find(text_[pos_]) != npos) ++pos_;
  }
  bool Eat(char c) {
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool Literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }
  bool ParseValue(JsonValue* out, int depth) {
    SkipSpace();
    if (depth > 64 || pos_ >= text_.size()) return false;
    const char c = text_[pos_];
    if (c == '{') return ParseObject(out, depth);
    if (c == '[') return ParseArray(out, depth);
    if (c == '"') return (out->type = JsonValue::Type::kString, ParseString(&out->string));
    if (c == 't' || c == 'f') {
      out->type = JsonValue::Type::kBool;
      out->boolean = c == 't';
      return Literal(c == 't' ? "true" : "false");
    }
    if (c == 'n') return Literal("null");
    return ParseNumber(out);
  }
  bool ParseObject(JsonValue* out, int depth) {
    out->type = JsonValue::Type::kObject;
    ++pos_;
    if (Eat('}')) return true;
    do {
      std::string key;
      JsonValue value;
      SkipSpace();
      if (!ParseString(&key) || !Eat(':') || !ParseValue(&value, depth + 1)) return false;
      out->keys.push_back(std::move(key));
      out->values.push_back(std::move(value));
    } while (Eat(','));
    return Eat('}');
  }
  bool ParseArray(JsonValue* out, int depth) {
    out->type = JsonValue::Type::kArray;
    ++pos_;
    if (Eat(']')) return true;
    do {
      out->array.emplace_back();
      if (!ParseValue(&out->array.back(), depth + 1)) return false;
    } while (Eat(','));
    return Eat(']');
  }
  bool ParseString(std::string* out) {
    if (pos_ >= text_.size() || text_[pos_] != '"') return false;
    for (++pos_; pos_ < text_.size(); ++pos_) {
      const char c = text_[pos_];
      if (c == '"') return (++pos_, true);
      if (static_cast<unsigned char>(c) < 0x20) return false;
      if (c != '\\') {
        out->push_back(c);
        continue;
      }
      if (++pos_ >= text_.size()) return false;
      const char e = text_[pos_];
      if (e == 'u') {
        if (pos_ + 4 >= text_.size()) return false;
        out->push_back('?');  // the tests need no code points, only the syntax
        pos_ += 4;
      } else if (std::string_view("\"\\/bfnrt").find(e) == npos) {
        return false;
      } else {
        out->push_back(e);
      }
    }
    return false;
  }
  bool ParseNumber(JsonValue* out) {
    const size_t start = pos_;
    if (pos_ < text_.size() && text_[pos_] == '-') ++pos_;
    size_t digits = 0;
    while (pos_ < text_.size() && (std::isdigit(static_cast<unsigned char>(text_[pos_])) ||
                                   std::string_view(".eE+-").find(text_[pos_]) != npos)) {
      digits += std::isdigit(static_cast<unsigned char>(text_[pos_])) ? 1 : 0;
      ++pos_;
    }
    if (digits == 0) return false;
    out->type = JsonValue::Type::kNumber;
    out->number = std::strtod(std::string(text_.substr(start, pos_ - start)).c_str(), nullptr);
    return true;
  }

  static constexpr size_t npos = std::string_view::npos;
  std::string_view text_;
  size_t pos_ = 0;
};

inline JsonValue ParseJsonOrFail(const std::string& text) {
  JsonValue value;
  std::string error;
  EXPECT_TRUE(JsonParser(text).Parse(&value, &error)) << error << "\n" << text.substr(0, 2000);
  return value;
}

}  // namespace gilbench::gil::testing
