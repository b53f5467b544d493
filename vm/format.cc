// Text formatting that matches CPython 3.11 byte for byte. The code follows CPython's own layout so
// each edge case can be checked against the C function it mirrors (named in the comments):
// Python/pystrtod.c (float to text), Python/formatter_unicode.c (format specs) and
// Objects/unicodeobject.c (`str % args`). str values are UTF-8; like CPython, widths and
// precisions count code points, not bytes.
#include "vm/format.h"

#include <algorithm>
#include <charconv>
#include <climits>
#include <cmath>
#include <cstdio>
#include <exception>
#include <new>
#include <stdexcept>

#include "vm/utf8.h"

namespace gilbench::vm {
namespace {

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

// Output past this size is refused as out of memory: CPython would try and fail the allocation,
// and a sanitizer build aborts on huge allocations instead of throwing.
constexpr int64_t kMaxOutputBytes = int64_t{1} << 32;

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

// ---- Floats: digits ------------------------------------------------------------------------

// A finite double's digits as David Gay's _Py_dg_dtoa returns them: value = 0.DIGITS * 10**decpt,
// no trailing zeros, and zero is "0" with decpt 1.
struct DecimalDigits {
  std::string digits = "0";
  int64_t decpt = 1;
};

// snprintf with "%.*e" or "%.*f": glibc prints the exact binary value correctly rounded (half to
// even), which is what dtoa modes 2 and 3 produce. Locale "C" is assumed (decimal point '.').
std::string CFormat(char conversion, int precision, double value) {
  auto run = [&](char* buf, size_t size) {
    return conversion == 'e' ? std::snprintf(buf, size, "%.*e", precision, value)
                             : std::snprintf(buf, size, "%.*f", precision, value);
  };
  int length = run(nullptr, 0);
  if (length < 0) throw std::bad_alloc();  // caught at the API boundary as out of memory
  std::string out(static_cast<size_t>(length), '\0');
  run(out.data(), out.size() + 1);
  return out;
}

void StripTrailingZeros(DecimalDigits* dec) {
  size_t last = dec->digits.find_last_not_of('0');
  if (last == std::string::npos) {
    *dec = DecimalDigits{};
    return;
  }
  dec->digits.resize(last + 1);
}

// Parses "d.ddde+XX" (to_chars or %e output of a non-negative value).
DecimalDigits FromScientific(std::string_view text) {
  size_t e = text.find_first_of("eE");
  DecimalDigits dec;
  dec.digits.clear();
  for (char c : text.substr(0, e)) {
    if (c != '.') dec.digits += c;
  }
  const char* exp_begin = text.data() + e + 1;
  if (*exp_begin == '+') ++exp_begin;
  int exponent = 0;
  std::from_chars(exp_begin, text.data() + text.size(), exponent);
  dec.decpt = exponent + 1;
  StripTrailingZeros(&dec);
  return dec;
}

// dtoa mode 0: the shortest digits that round-trip (to_chars picks the nearest, as dtoa does).
DecimalDigits ShortestDigits(double magnitude) {
  char buf[64];
  auto result = std::to_chars(buf, buf + sizeof buf, magnitude, std::chars_format::scientific);
  return FromScientific(std::string_view(buf, static_cast<size_t>(result.ptr - buf)));
}

// dtoa mode 2: `ndigits` significant digits.
DecimalDigits SignificantDigits(double magnitude, int ndigits) {
  return FromScientific(CFormat('e', ndigits - 1, magnitude));
}

// dtoa mode 3: digits up to `ndigits` places after the point.
DecimalDigits FixedDigits(double magnitude, int ndigits) {
  std::string text = CFormat('f', ndigits, magnitude);
  size_t point = text.find('.');
  DecimalDigits dec;
  dec.decpt = static_cast<int64_t>(point == std::string::npos ? text.size() : point);
  dec.digits = text;
  if (point != std::string::npos) dec.digits.erase(point, 1);
  size_t first = dec.digits.find_first_not_of('0');
  if (first == std::string::npos) return DecimalDigits{};
  dec.digits.erase(0, first);
  dec.decpt -= static_cast<int64_t>(first);
  StripTrailingZeros(&dec);
  return dec;
}

// ---- Floats: layout (format_float_short) ---------------------------------------------------

struct FloatStyle {
  char code = 'r';  // 'e', 'f', 'g' or 'r' (repr)
  int precision = 0;
  bool upper = false;      // 'E', 'F', 'G': "1E+10", "INF"
  bool add_dot_0 = false;  // Py_DTSF_ADD_DOT_0: "1.0", not "1"
  bool alt = false;        // Py_DTSF_ALT: keep trailing zeros and point
  bool no_neg_0 = false;   // Py_DTSF_NO_NEG_0: "0.00", not "-0.00"
};

// Where the digit window ends (vdigits_end) and whether an exponent is needed.
int64_t DigitWindowEnd(const FloatStyle& style, const DecimalDigits& dec, bool* use_exp) {
  int64_t end = static_cast<int64_t>(dec.digits.size());
  *use_exp = false;
  switch (style.code) {
    case 'e':
      *use_exp = true;
      end = style.precision;
      break;
    case 'f':
      end = dec.decpt + style.precision;
      break;
    case 'g':
      *use_exp =
          dec.decpt <= -4 || dec.decpt > (style.add_dot_0 ? style.precision - 1 : style.precision);
      if (style.alt) end = style.precision;
      break;
    default:  // 'r': exponent from 1e16 on, as repr does
      *use_exp = dec.decpt <= -4 || dec.decpt > 16;
      break;
  }
  return end;
}

// The slice [start, end) of the digits padded with zeros on both sides, with the point after
// position `decpt`.
void AppendDigitWindow(const std::string& digits, int64_t decpt, int64_t start, int64_t end,
                       std::string* out) {
  auto len = static_cast<int64_t>(digits.size());
  if (decpt <= 0) {
    out->append(static_cast<size_t>(decpt - start), '0');
    *out += '.';
    out->append(static_cast<size_t>(-decpt), '0');
  }
  if (0 < decpt && decpt <= len) {
    out->append(digits, 0, static_cast<size_t>(decpt));
    *out += '.';
    out->append(digits, static_cast<size_t>(decpt));
  } else {
    *out += digits;
  }
  if (len < decpt) {
    out->append(static_cast<size_t>(decpt - len), '0');
    *out += '.';
    out->append(static_cast<size_t>(end - decpt), '0');
  } else {
    out->append(static_cast<size_t>(end - len), '0');
  }
}

// "e+05", "E-300": the sign always, at least two digits (C's "%+.02d").
void AppendExponent(int64_t exponent, bool upper, std::string* out) {
  *out += upper ? 'E' : 'e';
  *out += exponent < 0 ? '-' : '+';
  std::string digits = ToBase(Magnitude(exponent), 10, false);
  if (digits.size() < 2) *out += '0';
  *out += digits;
}

std::string LayoutFinite(const DecimalDigits& dec, bool negative, const FloatStyle& style) {
  bool use_exp = false;
  int64_t end = DigitWindowEnd(style, dec, &use_exp);
  int64_t decpt = dec.decpt;
  int64_t exponent = 0;
  if (use_exp) {
    exponent = decpt - 1;
    decpt = 1;
  }
  int64_t start = decpt <= 0 ? decpt - 1 : 0;
  end = std::max(end, (!use_exp && style.add_dot_0) ? decpt + 1 : decpt);
  bool is_zero = dec.digits == "0";
  std::string out = negative && !(style.no_neg_0 && is_zero) ? "-" : "";
  AppendDigitWindow(dec.digits, decpt, start, end, &out);
  if (out.back() == '.' && !style.alt) out.pop_back();
  if (use_exp) AppendExponent(exponent, style.upper, &out);
  return out;
}

// PyOS_double_to_string(): `type` is one of e E f F g G r, and the sign comes out as '-' only.
std::string DoubleToString(double value, char type, int precision, FloatStyle style) {
  style.upper = type == 'E' || type == 'F' || type == 'G';
  style.code = static_cast<char>(type == 'r' ? 'r' : type | 0x20);  // lower case
  bool negative = std::signbit(value);
  if (std::isnan(value)) return style.upper ? "NAN" : "nan";  // a NaN's sign is never shown
  if (std::isinf(value)) return std::string(negative ? "-" : "") + (style.upper ? "INF" : "inf");
  double magnitude = std::fabs(value);
  DecimalDigits dec;
  if (style.code == 'e') ++precision;                      // mode 2 counts the leading digit
  if (style.code == 'g' && precision == 0) precision = 1;  // "precision 0 makes no sense"
  style.precision = precision;
  if (magnitude != 0.0) {
    switch (style.code) {
      case 'f':
        dec = FixedDigits(magnitude, precision);
        break;
      case 'r':
        dec = ShortestDigits(magnitude);
        break;
      default:
        dec = SignificantDigits(magnitude, precision);
        break;
    }
  }
  return LayoutFinite(dec, negative, style);
}

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
bool IsDigit(char32_t c) { return c >= '0' && c <= '9'; }

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

}  // namespace

std::string FloatRepr(double value) {
  FloatStyle style;
  style.add_dot_0 = true;
  return DoubleToString(value, 'r', 0, style);
}

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
