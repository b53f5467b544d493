// The per-thread trace buffer and the Chrome/Perfetto JSON export (trace.h).
#include "gil/trace.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gil/json_writer.h"

namespace gilbench::gil {
namespace {

constexpr uint32_t kPid = 1;

const char* StateName(uint8_t state) {
  switch (static_cast<GilState>(state)) {
    case GilState::kHolding:
      return "holding";
    case GilState::kWaiting:
      return "waiting";
    case GilState::kBlocked:
      return "blocked";
    case GilState::kLockWait:
      return "waiting for a lock";
    case GilState::kNone:
      break;
  }
  return "none";
}

const char* InstantName(uint8_t kind) {
  switch (static_cast<TraceInstant>(kind)) {
    case TraceInstant::kDropRequest:
      return "drop request";
    case TraceInstant::kFutileWakeup:
      return "futile wakeup";
    case TraceInstant::kForcedSwitch:
      return "forced switch";
  }
  return "unknown";
}

// Starts one event object: {"ph":"<ph>","pid":1,"tid":<tid>,"ts":<ts>
void BeginEvent(std::string* out, const char* ph, uint32_t tid, int64_t ts_ns) {
  out->append("{\"ph\":\"");
  out->append(ph);
  out->append("\",\"pid\":" + std::to_string(kPid) + ",\"tid\":" + std::to_string(tid) +
              ",\"ts\":");
  AppendMicros(out, ts_ns);
}

void AppendMetadata(std::string* out, const char* what, uint32_t tid, std::string_view name) {
  out->append("{\"ph\":\"M\",\"pid\":" + std::to_string(kPid) + ",\"tid\":" + std::to_string(tid) +
              ",\"name\":\"" + what + "\",\"args\":{\"name\":");
  AppendJsonString(out, name);
  out->append("}},\n");
}

void AppendTrackEvents(std::string* out, const TraceTrack& track, int64_t origin_ns) {
  const TraceBuffer& buffer = *track.buffer;
  for (size_t i = 0; i < buffer.size(); ++i) {
    const TraceEvent& event = buffer.at(i);
    const int64_t ts = event.ts_ns - origin_ns;
    switch (event.type) {
      case TraceEvent::Type::kBegin:
      case TraceEvent::Type::kEnd:
        BeginEvent(out, event.type == TraceEvent::Type::kBegin ? "B" : "E", track.tid, ts);
        out->append(std::string(",\"name\":\"") + StateName(event.detail) + "\"},\n");
        break;
      case TraceEvent::Type::kInstant:
        BeginEvent(out, "i", track.tid, ts);
        out->append(std::string(",\"s\":\"t\",\"name\":\"") + InstantName(event.detail) + "\"},\n");
        break;
      case TraceEvent::Type::kWaitingDelta:
        break;  // merged into the counter track
    }
  }
}

// The waiting-threads counter: every thread's deltas, stably sorted by time (each thread's own
// deltas are already in order and alternate +1/-1, so the running count never goes negative).
void AppendWaitingCounter(std::string* out, const std::vector<TraceTrack>& tracks,
                          int64_t origin_ns) {
  std::vector<std::pair<int64_t, std::pair<uint32_t, int>>> deltas;
  for (const TraceTrack& track : tracks) {
    if (track.buffer == nullptr) continue;
    for (size_t i = 0; i < track.buffer->size(); ++i) {
      const TraceEvent& event = track.buffer->at(i);
      if (event.type != TraceEvent::Type::kWaitingDelta) continue;
      deltas.push_back({event.ts_ns - origin_ns, {track.tid, event.detail == 1 ? 1 : -1}});
    }
  }
  std::stable_sort(deltas.begin(), deltas.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  int64_t waiting = 0;
  for (const auto& [ts, who_delta] : deltas) {
    waiting += who_delta.second;
    BeginEvent(out, "C", who_delta.first, ts);
    out->append(",\"name\":\"waiting threads\",\"args\":{\"waiting\":" + std::to_string(waiting) +
                "}},\n");
  }
}

}  // namespace

TraceBuffer::TraceBuffer(size_t capacity) : capacity_(std::max(capacity, kMinCapacity)) {}

void TraceBuffer::SetState(int64_t now_ns, GilState state) {
  if (state == state_) return;
  if (full_) {
    ++dropped_;
    return;
  }
  if (waiting_counted_ && Push(now_ns, TraceEvent::Type::kWaitingDelta, 0)) {
    waiting_counted_ = false;
  }
  if (state_ != GilState::kNone &&
      Push(now_ns, TraceEvent::Type::kEnd, static_cast<uint8_t>(state_))) {
    state_ = GilState::kNone;
  }
  if (full_ || state == GilState::kNone) return;
  if (Push(now_ns, TraceEvent::Type::kBegin, static_cast<uint8_t>(state))) state_ = state;
  if (state == GilState::kWaiting && Push(now_ns, TraceEvent::Type::kWaitingDelta, 1)) {
    waiting_counted_ = true;
  }
}

void TraceBuffer::Instant(int64_t now_ns, TraceInstant kind) {
  Push(now_ns, TraceEvent::Type::kInstant, static_cast<uint8_t>(kind));
}

bool TraceBuffer::Push(int64_t now_ns, TraceEvent::Type type, uint8_t detail) {
  if (full_) {
    ++dropped_;
    return false;
  }
  if (size_ + kReserve >= capacity_) {
    ++dropped_;
    Overflow(now_ns);
    return false;
  }
  Append(TraceEvent{now_ns, type, detail});
  return true;
}

void TraceBuffer::Append(TraceEvent event) {
  if (size_ / kChunkEvents == chunks_.size()) {
    chunks_.push_back(std::make_unique<TraceEvent[]>(kChunkEvents));
  }
  chunks_[size_ / kChunkEvents][size_ % kChunkEvents] = event;
  ++size_;
}

void TraceBuffer::Overflow(int64_t now_ns) {
  full_ = true;
  // Balance a recorded +1 and close a recorded B: at most kReserve events.
  if (waiting_counted_) Append(TraceEvent{now_ns, TraceEvent::Type::kWaitingDelta, 0});
  waiting_counted_ = false;
  if (state_ != GilState::kNone) {
    Append(TraceEvent{now_ns, TraceEvent::Type::kEnd, static_cast<uint8_t>(state_)});
  }
  state_ = GilState::kNone;
}

std::string ExportTraceJson(const std::vector<TraceTrack>& tracks, int64_t origin_ns,
                            std::string_view process_name, std::string_view other_data) {
  std::string out = "{\"traceEvents\":[\n";
  bool any = false;
  for (const TraceTrack& track : tracks) {
    if (track.buffer == nullptr) continue;
    if (!any) AppendMetadata(&out, "process_name", track.tid, process_name);
    any = true;
    AppendMetadata(&out, "thread_name", track.tid, track.name);
    AppendTrackEvents(&out, track, origin_ns);
  }
  AppendWaitingCounter(&out, tracks, origin_ns);
  if (out.ends_with(",\n")) out.resize(out.size() - 2);
  out.append("\n],\"displayTimeUnit\":\"ns\",\"otherData\":{");
  out.append(other_data);
  out.append("}}\n");
  return out;
}

}  // namespace gilbench::gil
