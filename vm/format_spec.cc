// Format specs as CPython's Python/formatter_unicode.c reads and applies them: f-string fields
// and format() for ints, floats and strs, with CPython's messages.
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
namespace {

using namespace format_internal;  // NOLINT: the shared helpers of the formatting files

// ---- Format specs --------------------------------------------------------------------------

// Everything CPython's InternalFormatSpec holds, which is more than the public FormatSpec.
struct Spec {
  char32_t fill = ' ';
  bool fill_given = false;
  char32_t align = 0;  // as written; 0 when absent
  char32_t sign = 0;   // as written; 0 when absent
  bool no_neg_0 = false;
  bool alternate = false;
  bool zero_pad = false;
  int64_t width = -1;
  char separator = 0;  // ',' or '_'
  int64_t precision = -1;
  char32_t type = 0;
};

bool IsAlign(char32_t c) { return c == '<' || c == '>' || c == '^' || c == '='; }

// "'d'" for a printable ASCII code, "'\x1'" otherwise, as CPython's messages quote them.
std::string QuoteCode(char32_t code) {
  char buf[32];
  if (code > 32 && code < 128) {
    std::snprintf(buf, sizeof buf, "'%c'", static_cast<char>(code));
  } else {
    std::snprintf(buf, sizeof buf, "'\\x%x'", static_cast<unsigned>(code));
  }
  return buf;
}

std::string UnknownCode(char32_t type, std::string_view type_name) {
  return "Unknown format code " + QuoteCode(type) + " for object of type '" +
         std::string(type_name) + "'";
}

// get_integer(): digits at `pos`; `*value` stays -1 when there are none.
bool ReadSpecInteger(const std::u32string& spec, size_t* pos, int64_t* value, std::string* error) {
  *value = -1;
  for (; *pos < spec.size() && IsDigit(spec[*pos]); ++*pos) {
    int64_t digit = spec[*pos] - '0';
    int64_t so_far = std::max<int64_t>(*value, 0);
    if (so_far > (INT64_MAX - digit) / 10) {
      *error = "Too many decimal digits in format string";
      return false;
    }
    *value = so_far * 10 + digit;
  }
  return true;
}

void ParseFillAlign(const std::u32string& spec, size_t* pos, Spec* out) {
  if (spec.size() - *pos >= 2 && IsAlign(spec[*pos + 1])) {
    out->fill = spec[*pos];
    out->fill_given = true;
    out->align = spec[*pos + 1];
    *pos += 2;
  } else if (spec.size() - *pos >= 1 && IsAlign(spec[*pos])) {
    out->align = spec[(*pos)++];
  }
}

// The part between sign and width: [z][#][0].
void ParseFlags(const std::u32string& spec, size_t* pos, Spec* out) {
  auto next_is = [&](char32_t c) { return *pos < spec.size() && spec[*pos] == c; };
  if (*pos < spec.size() && (spec[*pos] == '+' || spec[*pos] == '-' || spec[*pos] == ' ')) {
    out->sign = spec[(*pos)++];
  }
  auto take = [&](char32_t c, bool* flag) {
    if (next_is(c)) {
      *flag = true;
      ++*pos;
    }
  };
  take('z', &out->no_neg_0);
  take('#', &out->alternate);
  // The special case for 0-padding: a '0' right before the width means fill '0' (with '='
  // alignment for numbers) unless a fill character was given.
  if (!out->fill_given) take('0', &out->zero_pad);
}

bool ParseSeparators(const std::u32string& spec, size_t* pos, Spec* out, std::string* error) {
  auto next_is = [&](char32_t c) { return *pos < spec.size() && spec[*pos] == c; };
  if (next_is(',')) {
    out->separator = ',';
    ++*pos;
  }
  if (next_is('_')) {
    if (out->separator != 0) {
      *error = "Cannot specify both ',' and '_'.";
      return false;
    }
    out->separator = '_';
    ++*pos;
  }
  if (next_is(',') && out->separator == '_') {
    *error = "Cannot specify both ',' and '_'.";
    return false;
  }
  return true;
}

// The separator check CPython does at parse time, before it knows the value's type.
bool CheckSeparatorType(const Spec& spec, std::string* error) {
  if (spec.separator == 0) return true;
  switch (spec.type) {
    case 'd':
    case 'e':
    case 'f':
    case 'g':
    case 'E':
    case 'G':
    case '%':
    case 'F':
    case 0:
      return true;
    case 'b':
    case 'o':
    case 'x':
    case 'X':
      if (spec.separator == '_') return true;  // every four digits (PEP 515)
      break;
    default:
      break;
  }
  *error =
      std::string("Cannot specify '") + spec.separator + "' with " + QuoteCode(spec.type) + ".";
  return false;
}

// parse_internal_render_format_spec(). `type_name` names the value in the "Invalid format
// specifier" message (empty: the message without it); `default_type` is the value's type code
// when the spec has none ('d' for int, 's' for str, 0 for float).
bool ParseSpec(std::string_view text, std::string_view type_name, char32_t default_type, Spec* out,
               std::string* error) {
  std::u32string spec = utf8::DecodeAllLenient(text);
  size_t pos = 0;
  *out = Spec{};
  out->type = default_type;
  ParseFillAlign(spec, &pos, out);
  ParseFlags(spec, &pos, out);
  if (!ReadSpecInteger(spec, &pos, &out->width, error)) return false;
  if (!ParseSeparators(spec, &pos, out, error)) return false;
  if (pos < spec.size() && spec[pos] == '.') {
    ++pos;
    if (!ReadSpecInteger(spec, &pos, &out->precision, error)) return false;
    if (out->precision < 0) {
      *error = "Format specifier missing precision";
      return false;
    }
  }
  if (spec.size() - pos > 1) {
    *error = type_name.empty() ? "Invalid format specifier"
                               : "Invalid format specifier '" + std::string(text) +
                                     "' for object of type '" + std::string(type_name) + "'";
    return false;
  }
  if (spec.size() - pos == 1) out->type = spec[pos];
  return CheckSeparatorType(*out, error);
}

char32_t EffectiveFill(const Spec& spec) {
  return spec.fill_given ? spec.fill : spec.zero_pad ? U'0' : U' ';
}

char32_t EffectiveAlign(const Spec& spec, char32_t default_align) {
  if (spec.align != 0) return spec.align;
  return spec.zero_pad && default_align == '>' ? U'=' : default_align;
}

// A number split as calc_number_widths() sees it: sign, prefix ("0x"), the integer digits that
// get grouped, and the rest (".25e+03%", "inf", or the character of 'c') copied as is.
struct NumberParts {
  bool negative = false;
  std::string prefix;
  std::string digits;
  std::string remainder;
};

std::string SignText(bool negative, char32_t spec_sign) {
  if (negative) return "-";
  if (spec_sign == '+') return "+";
  if (spec_sign == ' ') return " ";
  return "";
}

// calc_number_widths() + fill_number(): pads and groups `parts` as `spec` asks.
std::string LayoutNumber(const NumberParts& parts, const Spec& spec, char separator,
                         int64_t group_len) {
  std::string sign = SignText(parts.negative, spec.sign);
  char32_t fill = EffectiveFill(spec);
  char32_t align = EffectiveAlign(spec, '>');
  auto n_non_digit =
      static_cast<int64_t>(sign.size() + parts.prefix.size()) + Utf8Length(parts.remainder);
  int64_t min_width = fill == '0' && align == '=' ? spec.width - n_non_digit : 0;
  std::string grouped =
      parts.digits.empty() ? "" : GroupDigits(parts.digits, min_width, separator, group_len);
  int64_t padding = spec.width - (n_non_digit + static_cast<int64_t>(grouped.size()));
  int64_t left = 0, inner = 0, right = 0;
  if (padding > 0) {
    if (align == '<') right = padding;
    if (align == '^') left = padding / 2, right = padding - left;
    if (align == '=') inner = padding;
    if (align == '>') left = padding;
  }
  std::string fill_text = utf8::Encode(fill);
  std::string out;
  AppendRepeated(fill_text, left, &out);
  out += sign + parts.prefix;
  AppendRepeated(fill_text, inner, &out);
  out += grouped + parts.remainder;
  AppendRepeated(fill_text, right, &out);
  return out;
}

// Splits the text of a non-negative number into leading digits and the rest (parse_number()).
NumberParts SplitNumber(std::string_view text) {
  NumberParts parts;
  if (!text.empty() && text[0] == '-') {
    parts.negative = true;
    text.remove_prefix(1);
  }
  size_t digits_end = 0;
  while (digits_end < text.size() && IsDigit(static_cast<unsigned char>(text[digits_end]))) {
    ++digits_end;
  }
  parts.digits = text.substr(0, digits_end);
  parts.remainder = text.substr(digits_end);
  return parts;
}

// format_float_internal().
bool FormatFloatSpec(double value, const Spec& spec, std::string* out, std::string* error) {
  if (spec.precision > INT_MAX) {
    *error = "precision too big";
    return false;
  }
  auto type = static_cast<char>(spec.type == 'n' ? 'g' : spec.type);
  int default_precision = 6;
  FloatStyle style;
  style.alt = spec.alternate;
  style.no_neg_0 = spec.no_neg_0;
  if (type == 0) {  // like repr without precision, else like 'g' keeping a ".0"
    style.add_dot_0 = true;
    type = 'r';
    default_precision = 0;
  }
  bool add_percent = type == '%';
  if (add_percent) {
    type = 'f';
    value *= 100;
  }
  int precision = default_precision;
  if (spec.precision >= 0) {
    precision = static_cast<int>(spec.precision);
    if (type == 'r') type = 'g';
  }
  std::string text = DoubleToString(value, type, precision, style);
  if (add_percent) text += '%';
  char separator = spec.type == 'n' ? 0 : spec.separator;
  *out = LayoutNumber(SplitNumber(text), spec, separator, 3);
  return true;
}

// format_long_internal() for 'c': the code point as a one-character string.
bool FormatCharSpec(int64_t value, const Spec& spec, std::string* out, std::string* error) {
  if (spec.sign != 0) {
    *error = "Sign not allowed with integer format specifier 'c'";
    return false;
  }
  if (spec.alternate) {
    *error = "Alternate form (#) not allowed with integer format specifier 'c'";
    return false;
  }
  if (value < 0 || value > 0x10FFFF) {
    *error = "%c arg not in range(0x110000)";  // CPython raises OverflowError here
    return false;
  }
  NumberParts parts;
  parts.remainder = utf8::Encode(static_cast<char32_t>(value));
  *out = LayoutNumber(parts, spec, 0, 3);
  return true;
}

// format_long_internal() for b, d, n, o, x, X.
bool FormatIntegralSpec(int64_t value, const Spec& spec, std::string* out, std::string* error) {
  if (spec.precision != -1) {
    *error = "Precision not allowed in integer format specifier";
    return false;
  }
  if (spec.no_neg_0) {
    *error = "Negative zero coercion (z) not allowed in integer format specifier";
    return false;
  }
  if (spec.type == 'c') return FormatCharSpec(value, spec, out, error);
  int base = spec.type == 'b' ? 2 : spec.type == 'o' ? 8 : (spec.type | 0x20) == 'x' ? 16 : 10;
  bool upper = spec.type == 'X';
  NumberParts parts;
  parts.negative = value < 0;
  parts.digits = ToBase(Magnitude(value), base, upper);
  if (spec.alternate && base != 10) {
    parts.prefix = base == 2 ? "0b" : base == 8 ? "0o" : upper ? "0X" : "0x";
  }
  char separator = spec.type == 'n' ? 0 : spec.separator;
  *out = LayoutNumber(parts, spec, separator, base == 10 ? 3 : 4);
  return true;
}

bool FormatIntWithParsed(int64_t value, const Spec& spec, std::string* out, std::string* error) {
  switch (spec.type) {
    case 'b':
    case 'c':
    case 'd':
    case 'o':
    case 'x':
    case 'X':
    case 'n':
      return FormatIntegralSpec(value, spec, out, error);
    case 'e':
    case 'E':
    case 'f':
    case 'F':
    case 'g':
    case 'G':
    case '%':
      return FormatFloatSpec(static_cast<double>(value), spec, out, error);
    default:
      *error = UnknownCode(spec.type, "int");
      return false;
  }
}

bool FormatFloatWithParsed(double value, const Spec& spec, std::string* out, std::string* error) {
  switch (spec.type) {
    case 0:
    case 'e':
    case 'E':
    case 'f':
    case 'F':
    case 'g':
    case 'G':
    case 'n':
    case '%':
      return FormatFloatSpec(value, spec, out, error);
    default:
      *error = UnknownCode(spec.type, "float");
      return false;
  }
}

// The checks of format_string_internal(), in CPython's order.
bool CheckStrSpec(const Spec& spec, std::string* error) {
  if (spec.separator != 0) {  // only reachable from a FormatSpec: ParseSpec rejects it first
    *error = std::string("Cannot specify '") + spec.separator + "' with 's'.";
  } else if (spec.sign == ' ') {
    *error = "Space not allowed in string format specifier";
  } else if (spec.sign != 0) {
    *error = "Sign not allowed in string format specifier";
  } else if (spec.no_neg_0) {
    *error = "Negative zero coercion (z) not allowed in string format specifier";
  } else if (spec.alternate) {
    *error = "Alternate form (#) not allowed in string format specifier";
  } else if (spec.align == '=') {
    *error = "'=' alignment not allowed in string format specifier";
  } else {
    return true;
  }
  return false;
}

bool FormatStrWithParsed(std::string_view value, const Spec& spec, std::string* out,
                         std::string* error) {
  if (spec.type != 's' && spec.type != 0) {
    *error = UnknownCode(spec.type, "str");
    return false;
  }
  if (!CheckStrSpec(spec, error)) return false;
  if (spec.precision >= 0) value = Utf8Prefix(value, spec.precision);
  int64_t padding = std::max<int64_t>(0, spec.width - Utf8Length(value));
  char32_t align = EffectiveAlign(spec, '<');
  int64_t left = align == '>' ? padding : align == '^' ? padding / 2 : 0;
  std::string fill = utf8::Encode(EffectiveFill(spec));
  out->clear();
  AppendRepeated(fill, left, out);
  out->append(value);
  AppendRepeated(fill, padding - left, out);
  return true;
}

// The public FormatSpec as the internal one. ParseFormatSpec stores the '0' of zero padding as
// the fill; a hand-built spec with zero_pad and the default fill means the same.
Spec FromPublic(const FormatSpec& in, char32_t default_type) {
  Spec spec;
  spec.fill = static_cast<unsigned char>(in.zero_pad && in.fill == ' ' ? '0' : in.fill);
  spec.fill_given = true;
  spec.align = static_cast<unsigned char>(in.align);
  spec.sign = in.sign == '-' ? 0 : static_cast<unsigned char>(in.sign);
  spec.zero_pad = in.zero_pad;
  spec.width = in.width;
  spec.separator = in.thousands ? ',' : 0;
  spec.precision = in.precision;
  spec.type = in.type == 0 ? default_type : static_cast<unsigned char>(in.type);
  return spec;
}

}  // namespace

std::string IntToString(int64_t value, bool thousands) {
  std::string digits = ToBase(Magnitude(value), 10, false);
  if (thousands) digits = GroupDigits(digits, 0, ',', 3);
  return value < 0 ? "-" + digits : digits;
}

bool ParseFormatSpec(std::string_view spec_text, FormatSpec* out, std::string* error) {
  Spec spec;
  if (!ParseSpec(spec_text, "", 0, &spec, error)) return false;
  if (spec.alternate || spec.no_neg_0 || spec.separator == '_' || spec.fill > 0x7F ||
      spec.type > 0x7F || spec.width > INT_MAX || spec.precision > INT_MAX) {
    *error = "format spec '" + std::string(spec_text) +
             "' needs Format*WithSpec ('#', 'z', '_', non-ASCII or huge numbers)";
    return false;
  }
  *out = FormatSpec{};
  out->fill = static_cast<char>(EffectiveFill(spec));
  out->align = static_cast<char>(spec.align);
  out->sign = spec.sign == 0 ? '-' : static_cast<char>(spec.sign);
  out->zero_pad = spec.zero_pad;
  out->width = static_cast<int>(spec.width);
  out->thousands = spec.separator == ',';
  out->precision = static_cast<int>(spec.precision);
  out->type = static_cast<char>(spec.type);
  return true;
}

bool FormatInt(int64_t value, const FormatSpec& spec, std::string* out, std::string* error) {
  return Guarded(error,
                 [&] { return FormatIntWithParsed(value, FromPublic(spec, 'd'), out, error); });
}

bool FormatFloat(double value, const FormatSpec& spec, std::string* out, std::string* error) {
  return Guarded(error,
                 [&] { return FormatFloatWithParsed(value, FromPublic(spec, 0), out, error); });
}

bool FormatStr(std::string_view value, const FormatSpec& spec, std::string* out,
               std::string* error) {
  return Guarded(error,
                 [&] { return FormatStrWithParsed(value, FromPublic(spec, 's'), out, error); });
}

bool FormatIntWithSpec(int64_t value, std::string_view spec_text, std::string* out,
                       std::string* error) {
  return Guarded(error, [&] {
    Spec spec;
    return ParseSpec(spec_text, "int", 'd', &spec, error) &&
           FormatIntWithParsed(value, spec, out, error);
  });
}

bool FormatFloatWithSpec(double value, std::string_view spec_text, std::string* out,
                         std::string* error) {
  return Guarded(error, [&] {
    Spec spec;
    return ParseSpec(spec_text, "float", 0, &spec, error) &&
           FormatFloatWithParsed(value, spec, out, error);
  });
}

bool FormatStrWithSpec(std::string_view value, std::string_view spec_text, std::string* out,
                       std::string* error) {
  return Guarded(error, [&] {
    Spec spec;
    return ParseSpec(spec_text, "str", 's', &spec, error) &&
           FormatStrWithParsed(value, spec, out, error);
  });
}

}  // namespace gilbench::vm
