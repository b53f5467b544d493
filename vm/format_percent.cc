// `str % args` as CPython's Objects/unicodeobject.c does it: the directives, their flags, width
// and precision, and CPython's errors.
#include <algorithm>
#include <charconv>
#include <climits>
#include <cmath>
#include <cstdio>
#include <exception>
#include <new>
#include <stdexcept>

#include "vm/format.h"
#include "vm/format_internal.h"
#include "vm/utf8.h"

namespace gilbench::vm {

using format_internal::AppendRepeated;
using format_internal::AsciiEscape;
using format_internal::CFormat;
using format_internal::DoubleToString;
using format_internal::FloatStyle;
using format_internal::Guarded;
using format_internal::IsDigit;
using format_internal::Magnitude;
using format_internal::ToBase;
using format_internal::Utf8Length;
using format_internal::Utf8Prefix;

// ---- printf-style `%` ----------------------------------------------------------------------

namespace {

// One `%` directive, as unicode_format_arg_parse() reads it.
struct Directive {
  bool left_justify = false;  // '-'
  bool plus = false;          // '+'
  bool blank = false;         // ' '
  bool alt = false;           // '#'
  bool zero = false;          // '0'
  int64_t width = -1;
  int64_t precision = -1;
  char32_t conversion = 0;
  size_t index = 0;  // code point index of the conversion character, for messages
};

std::string TypeName(const FormatArg& arg) {
  if (!arg.type_name.empty()) return arg.type_name;
  switch (arg.kind) {
    case FormatArg::Kind::kInt:
      return "int";
    case FormatArg::Kind::kBool:
      return "bool";
    case FormatArg::Kind::kFloat:
      return "float";
    default:
      return "object";
  }
}

bool IsIntegral(const FormatArg& arg) {
  return arg.kind == FormatArg::Kind::kInt || arg.kind == FormatArg::Kind::kBool;
}

void EmitPadded(const Directive& d, std::string_view body, bool numeric, std::string* out);

// PyUnicode_Format(): walks the format once, consuming `args` in order.
class PercentFormatter {
 public:
  PercentFormatter(std::string_view fmt, const std::vector<FormatArg>& args)
      : fmt_(fmt), args_(args) {}

  bool Run(std::string* out);
  const char* error_type() const { return error_type_; }
  const std::string& error() const { return error_; }

 private:
  bool Fail(const char* type, std::string message) {
    error_type_ = type;
    error_ = std::move(message);
    return false;
  }
  bool Advance();
  const FormatArg* NextArg();
  bool FormatOne(std::string* out);
  bool ParseDirective(Directive* d);
  bool ParseWidth(Directive* d);
  bool ParsePrecision(Directive* d);
  bool ReadDigits(int64_t* value, int64_t limit, const char* too_big);
  bool StarArgument(int64_t* value);
  bool Convert(const Directive& d, const FormatArg& arg, std::string* body, bool* numeric);
  bool IntBody(const Directive& d, const FormatArg& arg, std::string* body);
  bool FloatBody(const Directive& d, const FormatArg& arg, std::string* body);
  bool CharBody(const FormatArg& arg, std::string* body);

  std::string_view fmt_;
  const std::vector<FormatArg>& args_;
  size_t pos_ = 0;       // next byte of fmt_
  size_t next_arg_ = 0;  // next unused argument
  bool have_ = false;    // whether ch_ holds a character read by Advance()
  char32_t ch_ = 0;      // the character Advance() read
  size_t ch_pos_ = 0;    // its byte offset
  const char* error_type_ = "";
  std::string error_;
};

bool PercentFormatter::Run(std::string* out) {
  out->clear();
  while (pos_ < fmt_.size()) {
    size_t percent = fmt_.find('%', pos_);
    if (percent == std::string_view::npos) {
      out->append(fmt_.substr(pos_));
      break;
    }
    out->append(fmt_.substr(pos_, percent - pos_));
    pos_ = percent + 1;
    if (pos_ < fmt_.size() && fmt_[pos_] == '%') {
      *out += '%';
      ++pos_;
    } else if (!FormatOne(out)) {
      return false;
    }
  }
  if (next_arg_ < args_.size()) {
    return Fail("TypeError", "not all arguments converted during string formatting");
  }
  return true;
}

// Reads the next code point into ch_; have_ false at the end of the format.
bool PercentFormatter::Advance() {
  have_ = pos_ < fmt_.size();
  if (!have_) return false;
  ch_pos_ = pos_;
  auto lead = static_cast<unsigned char>(fmt_[pos_]);
  size_t n = lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
  n = std::min(n, fmt_.size() - pos_);
  ch_ = utf8::DecodeAllLenient(fmt_.substr(pos_, n))[0];
  pos_ += n;
  return true;
}

const FormatArg* PercentFormatter::NextArg() {
  if (next_arg_ < args_.size()) return &args_[next_arg_++];
  Fail("TypeError", "not enough arguments for format string");
  return nullptr;
}

bool PercentFormatter::FormatOne(std::string* out) {
  Directive d;
  if (!ParseDirective(&d)) return false;
  const FormatArg* arg = NextArg();  // taken before the conversion is checked, as CPython does
  if (arg == nullptr) return false;
  std::string body;
  bool numeric = false;
  if (!Convert(d, *arg, &body, &numeric)) return false;
  EmitPadded(d, body, numeric, out);
  return true;
}

bool PercentFormatter::ParseDirective(Directive* d) {
  if (pos_ < fmt_.size() && fmt_[pos_] == '(') {
    return Fail("TypeError", "format requires a mapping");  // gilvm has no dict
  }
  while (Advance()) {
    if (ch_ == '-')
      d->left_justify = true;
    else if (ch_ == '+')
      d->plus = true;
    else if (ch_ == ' ')
      d->blank = true;
    else if (ch_ == '#')
      d->alt = true;
    else if (ch_ == '0')
      d->zero = true;
    else
      break;
  }
  if (!ParseWidth(d)) return false;
  if (have_ && ch_ == '.' && !ParsePrecision(d)) return false;
  if (have_ && (ch_ == 'h' || ch_ == 'l' || ch_ == 'L')) Advance();  // C length modifiers
  if (!have_) return Fail("ValueError", "incomplete format");
  d->conversion = ch_;
  d->index = static_cast<size_t>(Utf8Length(fmt_.substr(0, ch_pos_)));
  return true;
}

bool PercentFormatter::ParseWidth(Directive* d) {
  if (have_ && ch_ == '*') {
    if (!StarArgument(&d->width)) return false;
    if (d->width < 0) {
      d->left_justify = true;
      d->width = -d->width;
    }
    Advance();
    return true;
  }
  if (!have_ || !IsDigit(ch_)) return true;
  return ReadDigits(&d->width, INT64_MAX, "width too big");
}

bool PercentFormatter::ParsePrecision(Directive* d) {
  d->precision = 0;
  if (!Advance()) return true;  // "%." at the end: incomplete
  if (ch_ == '*') {
    if (!StarArgument(&d->precision)) return false;
    d->precision = std::max<int64_t>(d->precision, 0);
    Advance();
    return true;
  }
  if (!IsDigit(ch_)) return true;
  return ReadDigits(&d->precision, INT_MAX, "precision too big");
}

// Reads the digits starting at ch_, leaving the first non-digit in ch_.
bool PercentFormatter::ReadDigits(int64_t* value, int64_t limit, const char* too_big) {
  *value = ch_ - '0';
  while (Advance() && IsDigit(ch_)) {
    int64_t digit = ch_ - '0';
    if (*value > (limit - digit) / 10) return Fail("ValueError", too_big);
    *value = *value * 10 + digit;
  }
  return true;
}

// A width or precision given as `*`, taken from the arguments.
bool PercentFormatter::StarArgument(int64_t* value) {
  const FormatArg* arg = NextArg();
  if (arg == nullptr) return false;
  if (!IsIntegral(*arg)) return Fail("TypeError", "* wants int");
  *value = arg->int_value;
  return true;
}

// unicode_format_arg_output(): pads `body`; numbers get their sign (and "0x" of '#') in front
// of zero padding, after space padding.
void EmitPadded(const Directive& d, std::string_view body, bool numeric, std::string* out) {
  char fill = numeric && d.zero ? '0' : ' ';
  int64_t len = Utf8Length(body);
  int64_t width = d.width;
  size_t start = 0;  // bytes of body already written
  char sign = 0;
  if (numeric) {
    if (body[0] == '-' || body[0] == '+')
      sign = body[0], start = 1, --len;
    else if (d.plus)
      sign = '+';
    else if (d.blank)
      sign = ' ';
  }
  width = std::max(width, len);
  if (sign != 0 && fill != ' ') *out += sign;
  if (sign != 0 && width > len) --width;
  char c = static_cast<char>(d.conversion);
  bool prefix = d.alt && (c == 'x' || c == 'X' || c == 'o');
  if (prefix && fill != ' ') out->append(body.substr(start, 2));
  if (prefix) width = std::max<int64_t>(width - 2, 0), len -= 2;
  if (width > len && !d.left_justify) AppendRepeated(std::string_view(&fill, 1), width - len, out);
  if (!d.left_justify) width = std::min(width, len);
  if (sign != 0 && fill == ' ') *out += sign;
  if (prefix && fill == ' ') out->append(body.substr(start, 2));
  if (prefix) start += 2;
  out->append(Utf8Prefix(body.substr(start), len));
  if (width > len) AppendRepeated(" ", width - len, out);
}

bool PercentFormatter::Convert(const Directive& d, const FormatArg& arg, std::string* body,
                               bool* numeric) {
  *numeric = false;
  switch (d.conversion) {
    case 's':
    case 'r':
    case 'a':
      *body = d.conversion == 's'   ? arg.str
              : d.conversion == 'r' ? arg.repr
                                    : AsciiEscape(arg.repr);
      if (d.precision >= 0) *body = Utf8Prefix(*body, d.precision);
      break;
    case 'd':
    case 'i':
    case 'u':
    case 'o':
    case 'x':
    case 'X':
      *numeric = true;
      if (!IntBody(d, arg, body)) return false;
      break;
    case 'e':
    case 'E':
    case 'f':
    case 'F':
    case 'g':
    case 'G':
      *numeric = true;
      if (!FloatBody(d, arg, body)) return false;
      break;
    case 'c':
      if (!CharBody(arg, body)) return false;
      break;
    default: {
      char32_t c = d.conversion;
      char message[96];
      std::snprintf(
          message, sizeof message, "unsupported format character '%c' (0x%x) at index %zu",
          c >= 31 && c <= 126 ? static_cast<char>(c) : '?', static_cast<unsigned>(c), d.index);
      return Fail("ValueError", message);
    }
  }
  return true;
}

// mainformatlong() + _PyUnicode_FormatLong(): a float is truncated for d/i/u, refused for o/x/X.
bool PercentFormatter::IntBody(const Directive& d, const FormatArg& arg, std::string* body) {
  auto c = static_cast<char>(d.conversion);
  int base = c == 'o' ? 8 : (c == 'x' || c == 'X') ? 16 : 10;
  bool negative = false;
  std::string digits;
  if (IsIntegral(arg)) {
    negative = arg.int_value < 0;
    digits = ToBase(Magnitude(arg.int_value), base, c == 'X');
  } else if (arg.kind == FormatArg::Kind::kFloat && base == 10) {
    double value = arg.float_value;
    if (std::isnan(value)) return Fail("ValueError", "cannot convert float NaN to integer");
    if (std::isinf(value)) {
      return Fail("OverflowError", "cannot convert float infinity to integer");
    }
    double truncated = std::trunc(value);
    negative = truncated < 0;
    // "%.0f" of an integral double is exact, so floats beyond int64 keep all their digits.
    digits = truncated == 0 ? "0" : CFormat('f', 0, std::fabs(truncated));
  } else {
    const char* wants = base == 10 ? "a real number" : "an integer";
    return Fail("TypeError",
                std::string("%") + c + " format: " + wants + " is required, not " + TypeName(arg));
  }
  if (d.precision > static_cast<int64_t>(digits.size())) {
    digits.insert(0, static_cast<size_t>(d.precision) - digits.size(), '0');
  }
  std::string prefix = !d.alt || base == 10 ? "" : std::string("0") + c;
  *body = (negative ? "-" : "") + prefix + digits;
  return true;
}

// formatfloat(): ints convert; anything else is the TypeError of PyFloat_AsDouble().
bool PercentFormatter::FloatBody(const Directive& d, const FormatArg& arg, std::string* body) {
  double value = arg.float_value;
  if (IsIntegral(arg)) {
    value = static_cast<double>(arg.int_value);
  } else if (arg.kind != FormatArg::Kind::kFloat) {
    return Fail("TypeError", "must be real number, not " + TypeName(arg));
  }
  FloatStyle style;
  style.alt = d.alt;
  int precision = d.precision < 0 ? 6 : static_cast<int>(d.precision);
  *body = DoubleToString(value, static_cast<char>(d.conversion), precision, style);
  return true;
}

// formatchar(): an int code point or a one-character str.
bool PercentFormatter::CharBody(const FormatArg& arg, std::string* body) {
  if (IsIntegral(arg)) {
    if (arg.int_value < 0 || arg.int_value > 0x10FFFF) {
      return Fail("OverflowError", "%c arg not in range(0x110000)");
    }
    *body = utf8::Encode(static_cast<char32_t>(arg.int_value));
    return true;
  }
  if (arg.kind == FormatArg::Kind::kOther && TypeName(arg) == "str" && Utf8Length(arg.str) == 1) {
    *body = arg.str;
    return true;
  }
  return Fail("TypeError", "%c requires int or char");
}

}  // namespace

bool PercentFormat(std::string_view fmt, const std::vector<FormatArg>& args, std::string* out,
                   std::string* error_type, std::string* error) {
  PercentFormatter formatter(fmt, args);
  bool ok = Guarded(error, [&] { return formatter.Run(out); });
  if (ok) return true;
  *error_type = formatter.error_type();
  if (error_type->empty()) {
    *error_type = "MemoryError";  // Guarded() caught an allocation failure
  } else {
    *error = formatter.error();
  }
  return false;
}

}  // namespace gilbench::vm
