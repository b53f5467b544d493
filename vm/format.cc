// Text formatting that matches CPython 3.11 byte for byte, in four files that follow CPython's own
// layout, so each edge case can be checked against the C function it mirrors (named in the
// comments): format_float.cc is Python/pystrtod.c (float to text), format_spec.cc is
// Python/formatter_unicode.c (format specs), format_percent.cc is Objects/unicodeobject.c
// (`str % args`), and this file holds what they share (format_internal.h). str values are UTF-8;
// like CPython, widths and precisions count code points, not bytes.
#include <algorithm>
#include <charconv>
#include <climits>
#include <cmath>
#include <cstdio>
#include <exception>
#include <new>
#include <stdexcept>

#include "vm/format_internal.h"
#include "vm/utf8.h"

namespace gilbench::vm::format_internal {

// ---- UTF-8 (the codec itself is utf8.h) ----------------------------------------------------

// Code points in `text`: every byte that is not a continuation byte starts one.
int64_t Utf8Length(std::string_view text) {
  return std::count_if(text.begin(), text.end(),
                       [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
}

// The first `count` code points of `text`.
std::string_view Utf8Prefix(std::string_view text, int64_t count) {
  size_t i = 0;
  for (; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 && count-- == 0) break;
  }
  return text.substr(0, i);
}

// Appends `count` copies of `piece` (padding). An absurd width throws std::length_error, which
// Guarded() turns into an error, rather than allocating.
void AppendRepeated(std::string_view piece, int64_t count, std::string* out) {
  if (count <= 0) return;
  if (count > kMaxOutputBytes / static_cast<int64_t>(piece.size())) {
    throw std::length_error("width too big");
  }
  if (piece.size() == 1) {
    out->append(static_cast<size_t>(count), piece[0]);
    return;
  }
  out->reserve(out->size() + piece.size() * static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i) out->append(piece);
}

// ascii(): the repr with every non-ASCII code point escaped, as backslashreplace does.
std::string AsciiEscape(std::string_view repr) {
  std::string out;
  for (char32_t cp : utf8::DecodeAllLenient(repr)) {
    char buf[16];
    if (cp < 0x80) {
      out += static_cast<char>(cp);
      continue;
    }
    if (cp <= 0xFF) {
      std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(cp));
    } else if (cp <= 0xFFFF) {
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(cp));
    } else {
      std::snprintf(buf, sizeof buf, "\\U%08x", static_cast<unsigned>(cp));
    }
    out += buf;
  }
  return out;
}

// ---- Integers ------------------------------------------------------------------------------

uint64_t Magnitude(int64_t value) {
  return value < 0 ? 0 - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
}

std::string ToBase(uint64_t magnitude, int base, bool upper) {
  const char* digit_chars = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  std::string out;
  do {
    out += digit_chars[magnitude % base];
    magnitude /= base;
  } while (magnitude != 0);
  std::reverse(out.begin(), out.end());
  return out;
}

// _PyUnicode_InsertThousandsGrouping(): groups `digits` from the right, and when `min_width` asks
// for it (zero padding with '=' alignment) pads with zeros that are grouped too ("00,001,234").
// `separator` 0 means no grouping, only the zero padding.
std::string GroupDigits(std::string_view digits, int64_t min_width, char separator,
                        int64_t group_len) {
  std::string reversed;  // built from the least significant digit, then turned around
  int64_t remaining = static_cast<int64_t>(digits.size());
  min_width = std::max<int64_t>(0, min_width);
  if (min_width > kMaxOutputBytes) throw std::length_error("width too big");  // see AppendRepeated
  bool use_separator = false;
  auto emit = [&](int64_t len) {
    int64_t n_zeros = std::max<int64_t>(0, len - remaining);
    int64_t n_chars = std::max<int64_t>(0, std::min(remaining, len));
    if (use_separator) reversed += separator;
    for (int64_t i = 0; i < n_chars; ++i) reversed += digits[remaining - 1 - i];
    AppendRepeated("0", n_zeros, &reversed);
    remaining -= n_chars;
    min_width -= len;
  };
  bool done = false;
  while (separator != 0) {
    emit(std::min(group_len, std::max({remaining, min_width, int64_t{1}})));
    use_separator = true;
    if (remaining <= 0 && min_width <= 0) {
      done = true;
      break;
    }
    min_width -= 1;  // the separator's width
  }
  if (!done) emit(std::max({remaining, min_width, int64_t{1}}));
  std::reverse(reversed.begin(), reversed.end());
  return reversed;
}

}  // namespace gilbench::vm::format_internal
