// Interning of droppers' stacks and the folded / JSON forms of the charges (blame.h).
#include "gil/blame.h"

#include <algorithm>
#include <cstdio>
#include <new>
#include <tuple>

#include "gil/json_writer.h"

namespace gilbench::gil {

namespace {
constexpr char kNoFrame[] = "(no Python frame)";

// The innermost frame of a stack: its last ';'-separated part.
std::string Innermost(const std::string& stack) {
  const size_t cut = stack.rfind(';');
  return cut == std::string::npos ? stack : stack.substr(cut + 1);
}
}  // namespace

BlameStacks::BlameStacks() {
  MutexLock lock(mutex_);
  stacks_.push_back(kNoFrame);
  ids_.emplace(kNoFrame, 0);
}

uint32_t BlameStacks::Intern(const std::string& stack) {
  if (stack.empty()) return 0;
  try {
    MutexLock lock(mutex_);
    auto it = ids_.find(stack);
    if (it != ids_.end()) return it->second;
    const auto id = static_cast<uint32_t>(stacks_.size());
    stacks_.push_back(stack);
    ids_.emplace(stack, id);
    return id;
  } catch (const std::bad_alloc&) {
    return 0;  // a charge to "(no Python frame)" rather than a failed drop
  }
}

std::string BlameStacks::Stack(uint32_t id) const {
  MutexLock lock(mutex_);
  return id < stacks_.size() ? stacks_[id] : std::string(kNoFrame);
}

std::vector<BlameLine> SortedBlame(std::vector<BlameLine> lines) {
  std::sort(lines.begin(), lines.end(), [](const BlameLine& a, const BlameLine& b) {
    return std::tie(b.entry.wait_ns, a.waiter, a.holder, a.stack) <
           std::tie(a.entry.wait_ns, b.waiter, b.holder, b.stack);
  });
  return lines;
}

std::string FoldedBlame(const std::vector<BlameLine>& lines) {
  // ';' separates frames in this format: a thread name holding one (a thread named by the
  // program) must not split its line.
  const auto clean = [](std::string text) {
    std::replace(text.begin(), text.end(), ';', ',');
    return text;
  };
  std::string out;
  for (const BlameLine& line : lines) {
    out += "waiting: " + clean(line.waiter) + ";holding: " + clean(line.holder) + ";" + line.stack +
           " " + std::to_string(line.entry.wait_ns) + "\n";
  }
  return out;
}

std::string BlameSummaryJson(const std::vector<BlameLine>& lines) {
  uint64_t total = 0, waits = 0;
  for (const BlameLine& line : lines) {
    total += line.entry.wait_ns;
    waits += line.entry.waits;
  }
  std::string out = "{";
  AppendJsonKey(&out, "total_wait_ns");
  out += std::to_string(total) + ",";
  AppendJsonKey(&out, "waits");
  out += std::to_string(waits) + ",";
  AppendJsonKey(&out, "entries");
  out += "[";
  for (size_t i = 0; i < lines.size(); ++i) {
    const BlameLine& line = lines[i];
    out += i == 0 ? "{" : ",{";
    AppendJsonKey(&out, "waiter");
    AppendJsonString(&out, line.waiter);
    out += ",";
    AppendJsonKey(&out, "holder");
    AppendJsonString(&out, line.holder);
    out += ",";
    AppendJsonKey(&out, "location");
    AppendJsonString(&out, Innermost(line.stack));
    out += ",";
    AppendJsonKey(&out, "stack");
    out += "[";
    size_t start = 0;
    for (bool first = true;; first = false) {
      const size_t cut = line.stack.find(';', start);
      if (!first) out += ",";
      AppendJsonString(&out, line.stack.substr(start, cut - start));
      if (cut == std::string::npos) break;
      start = cut + 1;
    }
    out += "],";
    AppendJsonKey(&out, "wait_ns");
    out += std::to_string(line.entry.wait_ns) + ",";
    AppendJsonKey(&out, "waits");
    out += std::to_string(line.entry.waits) + ",";
    AppendJsonKey(&out, "share");
    char share[32];
    std::snprintf(
        share, sizeof share, "%.4f",
        total == 0 ? 0.0 : static_cast<double>(line.entry.wait_ns) / static_cast<double>(total));
    out += share;
    out += "}";
  }
  out += "]}";
  return out;
}

}  // namespace gilbench::gil
