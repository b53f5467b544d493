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

uint64_t BlameAsks::Ask() {
  MutexLock lock(mutex_);
  eval_breaker_->fetch_or(bit_, std::memory_order_relaxed);
  return ++last_ticket_;
}

bool BlameAsks::Pending() const {
  MutexLock lock(mutex_);
  return answered_ < last_ticket_;
}

void BlameAsks::Answer(uint32_t holder, uint32_t stack) {
  MutexLock lock(mutex_);
  if (answered_ == last_ticket_) return;
  answered_ = last_ticket_;
  kept_[next_] = Kept{answered_, Reply{holder, stack}};
  next_ = (next_ + 1) % kKept;
}

BlameAsks::Reply BlameAsks::ReplyTo(uint64_t ticket) const {
  MutexLock lock(mutex_);
  if (ticket == 0 || ticket > answered_) return Reply{};
  // Newest first: the reply for `ticket` is the oldest kept one that covers it, i.e. the one
  // whose predecessor ends before it.
  for (size_t k = 1; k <= kKept; ++k) {
    const Kept& kept = kept_[(next_ + kKept - k) % kKept];
    if (kept.up_to < ticket || k == kKept) return Reply{};  // older than anything kept
    const Kept& before = kept_[(next_ + kKept - k - 1) % kKept];
    if (before.up_to < ticket) return kept.reply;  // an empty slot's up_to is 0
  }
  return Reply{};
}

std::vector<BlameLine> SortedBlame(std::vector<BlameLine> lines) {
  std::sort(lines.begin(), lines.end(), [](const BlameLine& a, const BlameLine& b) {
    return std::tie(b.entry.wait_ns, a.waiter, a.holder, a.stack, a.asked_holder, a.asked_stack) <
           std::tie(a.entry.wait_ns, b.waiter, b.holder, b.stack, b.asked_holder, b.asked_stack);
  });
  return lines;
}

namespace {

// ';' separates frames in the folded format: a thread name holding one (a thread named by the
// program) must not split its line.
std::string CleanName(std::string text) {
  std::replace(text.begin(), text.end(), ';', ',');
  return text;
}

}  // namespace

namespace {

// The folded form by the holder and stack at the drop, or at the asking: lines that differ only
// in the other pair merge; heaviest first, ties in the order of the lines (already sorted).
std::string Folded(const std::vector<BlameLine>& lines, bool asked) {
  std::vector<std::pair<std::string, uint64_t>> folded;
  std::map<std::string, size_t> index;
  for (const BlameLine& line : lines) {
    const std::string key = "waiting: " + CleanName(line.waiter) +
                            ";holding: " + CleanName(asked ? line.asked_holder : line.holder) +
                            ";" + (asked ? line.asked_stack : line.stack);
    auto [it, added] = index.emplace(key, folded.size());
    if (added) folded.emplace_back(key, 0);
    folded[it->second].second += line.entry.wait_ns;
  }
  std::stable_sort(folded.begin(), folded.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  std::string out;
  for (const auto& [stack, wait_ns] : folded) out += stack + " " + std::to_string(wait_ns) + "\n";
  return out;
}

}  // namespace

std::string FoldedBlame(const std::vector<BlameLine>& lines) { return Folded(lines, false); }

std::string FoldedBlameAsked(const std::vector<BlameLine>& lines) { return Folded(lines, true); }

namespace {

// "key":"value", -- one string member of an entry, and the comma after it.
void AppendStringField(std::string* out, std::string_view key, const std::string& value) {
  AppendJsonKey(out, key);
  AppendJsonString(out, value);
  *out += ",";
}

// "key":[frames], -- a ';'-joined stack as a JSON array of its frames, and the comma after it.
void AppendFramesField(std::string* out, std::string_view key, const std::string& stack) {
  AppendJsonKey(out, key);
  *out += "[";
  size_t start = 0;
  for (bool first = true;; first = false) {
    const size_t cut = stack.find(';', start);
    if (!first) *out += ",";
    AppendJsonString(out, stack.substr(start, cut - start));
    if (cut == std::string::npos) break;
    start = cut + 1;
  }
  *out += "],";
}

}  // namespace

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
    AppendStringField(&out, "waiter", line.waiter);
    AppendStringField(&out, "holder", line.holder);
    AppendStringField(&out, "location", Innermost(line.stack));
    AppendFramesField(&out, "stack", line.stack);
    AppendStringField(&out, "asked_holder", line.asked_holder);
    AppendStringField(&out, "asked_location", Innermost(line.asked_stack));
    AppendFramesField(&out, "asked_stack", line.asked_stack);
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
