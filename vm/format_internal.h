// What the three parts of gilvm's formatting share (format.cc, format_float.cc, format_spec.cc,
// format_percent.cc): code-point counting, padding, integer digits, the float-to-text core and
// the guard that turns an allocation failure into an error. Internal to those files.
#pragma once

#include <cstdint>
#include <exception>
#include <string>
#include <string_view>

namespace gilbench::vm::format_internal {

// Code points in `text`: every byte that is not a continuation byte starts one.
int64_t Utf8Length(std::string_view text);
// The first `count` code points of `text`.
std::string_view Utf8Prefix(std::string_view text, int64_t count);

// Output past this size is refused as out of memory: CPython would try and fail the allocation,
// and a sanitizer build aborts on huge allocations instead of throwing.
inline constexpr int64_t kMaxOutputBytes = int64_t{1} << 32;

// Appends `count` copies of `piece` (padding); an absurd width throws std::length_error.
void AppendRepeated(std::string_view piece, int64_t count, std::string* out);
// ascii(): the repr with every non-ASCII code point escaped, as backslashreplace does.
std::string AsciiEscape(std::string_view repr);

inline bool IsDigit(char32_t c) { return c >= '0' && c <= '9'; }

// |value| without overflow (INT64_MIN included).
uint64_t Magnitude(int64_t value);
// `magnitude` in base 2, 8, 10 or 16.
std::string ToBase(uint64_t magnitude, int base, bool upper);
// _PyUnicode_InsertThousandsGrouping(): `digits` grouped from the right, zero-padded to
// `min_width` when asked; `separator` 0 means padding only.
std::string GroupDigits(std::string_view digits, int64_t min_width, char separator,
                        int64_t group_len);

struct FloatStyle {
  char code = 'r';  // 'e', 'f', 'g' or 'r' (repr)
  int precision = 0;
  bool upper = false;      // 'E', 'F', 'G': "1E+10", "INF"
  bool add_dot_0 = false;  // Py_DTSF_ADD_DOT_0: "1.0", not "1"
  bool alt = false;        // Py_DTSF_ALT: keep trailing zeros and point
  bool no_neg_0 = false;   // Py_DTSF_NO_NEG_0: "0.00", not "-0.00"
};

// C's printf of `value` with conversion 'e' or 'f' and `precision` digits (exact, locale-free).
std::string CFormat(char conversion, int precision, double value);
// PyOS_double_to_string(): `type` is one of e E f F g G r, and the sign comes out as '-' only.
std::string DoubleToString(double value, char type, int precision, FloatStyle style);

// Runs `body`, turning an allocation failure (a huge width or precision) into an error, so no
// exception leaves this file.
template <typename Body>
bool Guarded(std::string* error, Body body) {
  try {
    return body();
  } catch (const std::exception&) {
    *error = "out of memory";
    return false;
  }
}

}  // namespace gilbench::vm::format_internal
