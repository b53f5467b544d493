// The few JSON-writing helpers the stats and trace exports share: string escaping and numbers.
// Exports run once at exit, so clarity beats speed here.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace gilbench::gil {

// Appends `text` as a JSON string literal (quotes, escapes, control characters as \u00XX).
inline void AppendJsonString(std::string* out, std::string_view text) {
  out->push_back('"');
  for (const char c : text) {
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\t':
        out->append("\\t");
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
          out->append(escaped);
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

// Appends `"key":` (the key escaped).
inline void AppendJsonKey(std::string* out, std::string_view key) {
  AppendJsonString(out, key);
  out->push_back(':');
}

// "key":value, -- one unsigned field of an object being written, with its trailing comma.
inline void AppendJsonField(std::string* out, std::string_view key, uint64_t value) {
  AppendJsonKey(out, key);
  out->append(std::to_string(value));
  out->push_back(',');
}

// "<prefix>_p50", "<prefix>_p99" and "<prefix>_max" of a histogram (histogram.h), as fields.
template <typename Histogram>
void AppendJsonPercentiles(std::string* out, std::string_view prefix, const Histogram& h) {
  const std::string name(prefix);
  AppendJsonField(out, name + "_p50", h.Percentile(0.50));
  AppendJsonField(out, name + "_p99", h.Percentile(0.99));
  AppendJsonField(out, name + "_max", h.max());
}

// Appends a nanosecond timestamp or duration as microseconds with three decimals (exact: no
// floating point, so long runs keep their nanoseconds).
inline void AppendMicros(std::string* out, int64_t ns) {
  if (ns < 0) {
    out->push_back('-');
    ns = -ns;
  }
  char text[32];
  std::snprintf(text, sizeof text, "%lld.%03lld", static_cast<long long>(ns / 1000),
                static_cast<long long>(ns % 1000));
  out->append(text);
}

}  // namespace gilbench::gil
