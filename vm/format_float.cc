// Floats to text as CPython's Python/pystrtod.c does it: the digits (shortest round-trip, or a
// precision) and their layout (format_float_short), for repr, format specs and `%`.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>

#include "vm/format.h"
#include "vm/format_internal.h"

namespace gilbench::vm::format_internal {

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

}  // namespace gilbench::vm::format_internal

namespace gilbench::vm {

std::string FloatRepr(double value) {
  format_internal::FloatStyle style;
  style.add_dot_0 = true;
  return format_internal::DoubleToString(value, 'r', 0, style);
}

}  // namespace gilbench::vm
