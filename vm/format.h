// Text formatting that must match CPython byte for byte: float repr, format specs (f-strings and
// format()), and printf-style `%` formatting. Pure functions on plain C++ values, so they are
// tested on their own; the interpreter converts its values to FormatArg before calling them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gilbench::vm {

// repr(float) / str(float) as CPython prints them: the shortest string that round-trips, in
// fixed notation when the decimal exponent is in [-4, 16), else scientific: "0.1", "1e+16",
// "1.5e-05", "100.0", "-0.0", "inf", "-inf", "nan".
std::string FloatRepr(double value);

// Decimal text of an int, optionally with "," every three digits ("1,234,567").
std::string IntToString(int64_t value, bool thousands = false);

// A parsed format spec: [[fill]align][sign][width][,][.precision][type]
// (CPython's format-spec mini-language, minus `z`, `#`, `0`-padding and `_` unless noted below).
struct FormatSpec {
  char fill = ' ';
  char align = 0;         // '<', '>', '^', '=' or 0 (default: right for numbers, left for str)
  char sign = '-';        // '-', '+', ' '
  bool zero_pad = false;  // a '0' before the width
  int width = -1;
  bool thousands = false;  // ','
  int precision = -1;
  char type = 0;  // 'd', 'f', 'F', 'e', 'g', 'x', 'X', 'o', 'b', 's', '%' or 0
};

// Parses `spec`. Returns false and sets `error` to CPython's message on a malformed spec
// (e.g. "Cannot specify ',' with 's'."), except that "Invalid format specifier" cannot name the
// value's type here, and a spec this struct cannot hold ('#', 'z', '_', a non-ASCII fill) is
// refused: the Format*WithSpec functions below handle both exactly.
bool ParseFormatSpec(std::string_view spec, FormatSpec* out, std::string* error);

// format(value, spec) for each kind of value, as CPython's int.__format__, float.__format__ and
// str.__format__ do. Return false and set `error` (CPython's ValueError message, e.g.
// "Unknown format code 'd' for object of type 'float'") when the spec does not apply.
bool FormatInt(int64_t value, const FormatSpec& spec, std::string* out, std::string* error);
bool FormatFloat(double value, const FormatSpec& spec, std::string* out, std::string* error);
bool FormatStr(std::string_view value, const FormatSpec& spec, std::string* out,
               std::string* error);

// format(value, spec_text) in one step, exact where ParseFormatSpec + FormatInt/Float/Str cannot
// be: the full mini-language ('#', 'z', '_', any fill character) and CPython's messages that name
// the type ("Invalid format specifier 'abc' for object of type 'int'"). The interpreter should
// prefer these. Two cases stay with the caller: format(True, "") is "True" (bool's empty spec is
// str()), and CPython raises OverflowError, not ValueError, for "%c arg not in range(0x110000)".
bool FormatIntWithSpec(int64_t value, std::string_view spec_text, std::string* out,
                       std::string* error);
bool FormatFloatWithSpec(double value, std::string_view spec_text, std::string* out,
                         std::string* error);
bool FormatStrWithSpec(std::string_view value, std::string_view spec_text, std::string* out,
                       std::string* error);

// One argument of a `%` format, already converted by the interpreter.
struct FormatArg {
  enum class Kind { kInt, kBool, kFloat, kOther };
  Kind kind = Kind::kOther;
  int64_t int_value = 0;     // kInt, kBool
  double float_value = 0.0;  // kFloat
  std::string str;           // str(value)
  std::string repr;          // repr(value)
  std::string type_name;     // "int", "str", "list", ... for error messages
};

// `fmt % args` for str, with the directives %d %i %s %r %f %x %X %e %g %% plus flags '-', '+',
// ' ', '0', width and .precision (also %u %o %c %a %E %F %G, '#' and `*`). On error returns false
// with the exception type in `error_type` ("TypeError", "ValueError", "OverflowError" for
// '%d' % inf or '%c' % -1, "MemoryError" for an absurd width) and CPython's message in `error`,
// e.g. "not enough arguments for format string", "not all arguments converted during string
// formatting", "%d format: a real number is required, not str".
bool PercentFormat(std::string_view fmt, const std::vector<FormatArg>& args, std::string* out,
                   std::string* error_type, std::string* error);

}  // namespace gilbench::vm
