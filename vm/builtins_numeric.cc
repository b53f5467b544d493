// The numeric and conversion built-ins: round, divmod, pow, chr, ord, hex, bin, oct, and the
// small ones that ask a value about itself: id, repr, callable. Each as CPython 3.11, within
// gilvm's 64-bit ints (a result beyond them is OverflowError: integer overflow).
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "vm/args.h"
#include "vm/builtins.h"
#include "vm/runtime.h"
#include "vm/utf8.h"

namespace gilbench::vm {
namespace {

bool RaiseOverflow(ThreadState& ts) { return ts.Raise("OverflowError", "integer overflow"); }

// x rounded to `ndigits` decimal places (negative: to tens, hundreds, ...) with ties to even on
// x's exact binary value, as CPython's double_round does with its correctly rounded dtoa: the
// exact decimal expansion of x (which printf gives) is rounded as a digit string.
bool RoundFloatDigits(ThreadState& ts, double x, int64_t ndigits, double* out) {
  if (!std::isfinite(x) || x == 0.0 || ndigits > 323) {
    *out = x;
    return true;
  }
  if (ndigits < -308) {
    *out = 0.0 * x;
    return true;
  }
  std::string text(1600, '\0');  // 309 integer digits, the point, 1080 decimals
  int n = std::snprintf(text.data(), text.size(), "%.1080f", std::fabs(x));
  text.resize(n);
  size_t point = text.find('.');
  std::string digits = text.substr(0, point) + text.substr(point + 1);
  int64_t int_len = static_cast<int64_t>(point);
  int64_t keep = int_len + ndigits;  // digits kept
  if (keep < 1) {                    // pad so that at least one digit is kept
    digits.insert(0, static_cast<size_t>(1 - keep), '0');
    int_len += 1 - keep;
    keep = 1;
  }
  std::string kept = digits.substr(0, keep);
  std::string rest = digits.substr(keep);
  bool up = false;
  if (!rest.empty() && rest[0] >= '5') {
    bool beyond_half = rest[0] > '5' || rest.find_first_not_of('0', 1) != std::string::npos;
    up = beyond_half || (kept.back() - '0') % 2 == 1;
  }
  if (up) {
    size_t i = kept.size();
    while (i > 0 && kept[i - 1] == '9') kept[--i] = '0';
    if (i == 0) {
      kept.insert(0, "1");
      ++int_len;
    } else {
      ++kept[i - 1];
    }
  }
  std::string number =
      (x < 0 ? "-" : "") + kept + "e" + std::to_string(int_len - static_cast<int64_t>(kept.size()));
  double r = std::strtod(number.c_str(), nullptr);
  if (std::isinf(r)) return ts.Raise("OverflowError", "rounded value too large to represent");
  *out = r;
  return true;
}

// round(i, ndigits) for an int and ndigits < 0: to a multiple of 10**-ndigits, ties to even.
int64_t RoundIntDigits(int64_t i, int64_t ndigits, bool* overflow) {
  *overflow = false;
  __int128 pow10 = 1;
  for (int64_t k = 0; k < -ndigits; ++k) {
    pow10 *= 10;
    if (pow10 > static_cast<__int128>(INT64_MAX) * 10) return 0;
  }
  __int128 v = i;
  __int128 q = v / pow10, r = v % pow10;
  if (r < 0) {
    r += pow10;
    q -= 1;
  }
  if (2 * r > pow10 || (2 * r == pow10 && (q & 1))) q += 1;
  __int128 result = q * pow10;
  if (result > INT64_MAX || result < INT64_MIN) {
    *overflow = true;
    return 0;
  }
  return static_cast<int64_t>(result);
}

bool Round(ThreadState& ts, const CallArgs& call, Value* result) {
  Value kw[2];
  if (!KeywordArgs(ts, call, "round", {"number", "ndigits"}, kw)) return false;
  int npos = call.npositional();
  if (npos > 2) {
    return ts.Raise("TypeError",
                    "round() takes at most 2 arguments (" + std::to_string(npos) + " given)");
  }
  Value x = npos >= 1 ? call.args[0] : kw[0];
  Value nd = npos >= 2 ? call.args[1] : kw[1];
  if (x.is_undefined())
    return ts.Raise("TypeError", "round() missing required argument 'number' (pos 1)");
  if (!x.is_intlike() && !x.is_float()) {
    return ts.Raise("TypeError",
                    std::string("type ") + TypeName(x) + " doesn't define __round__ method");
  }
  if (nd.is_undefined() || nd.is_none()) {
    if (x.is_intlike()) {
      *result = Value::Int(x.i);
      return true;
    }
    if (std::isnan(x.f)) return ts.Raise("ValueError", "cannot convert float NaN to integer");
    if (std::isinf(x.f))
      return ts.Raise("OverflowError", "cannot convert float infinity to integer");
    int64_t n;
    if (!IntegralToInt64(std::nearbyint(x.f), &n)) return RaiseOverflow(ts);
    *result = Value::Int(n);
    return true;
  }
  int64_t ndigits;
  if (!IndexArg(ts, nd, &ndigits)) return false;
  if (x.is_intlike()) {
    if (ndigits >= 0) {
      *result = Value::Int(x.i);
      return true;
    }
    bool overflow;
    int64_t r = RoundIntDigits(x.i, ndigits, &overflow);
    if (overflow) return RaiseOverflow(ts);
    *result = Value::Int(r);
    return true;
  }
  double r;
  if (!RoundFloatDigits(ts, x.f, ndigits, &r)) return false;
  *result = Value::Float(r);
  return true;
}

// divmod of two floats, CPython's float_divmod step for step (the signs of zero included).
void FloatDivmod(double vx, double wx, double* floordiv, double* mod) {
  *mod = std::fmod(vx, wx);
  double div = (vx - *mod) / wx;
  if (*mod != 0.0) {
    if ((wx < 0) != (*mod < 0)) {
      *mod += wx;
      div -= 1.0;
    }
  } else {
    *mod = std::copysign(0.0, wx);
  }
  if (div != 0.0) {
    *floordiv = std::floor(div);
    if (div - *floordiv > 0.5) *floordiv += 1.0;
  } else {
    *floordiv = std::copysign(0.0, vx / wx);
  }
}

bool Divmod(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!NoKeywords(ts, call, "divmod")) return false;
  if (call.nargs != 2) {
    return ts.Raise("TypeError", "divmod expected 2 arguments, got " + std::to_string(call.nargs));
  }
  Value a = call.args[0], b = call.args[1];
  if (a.is_intlike() && b.is_intlike()) {
    if (b.i == 0) return ts.Raise("ZeroDivisionError", "integer division or modulo by zero");
    if (a.i == INT64_MIN && b.i == -1) return RaiseOverflow(ts);
    int64_t q = a.i / b.i, r = a.i % b.i;
    if (r != 0 && ((r < 0) != (b.i < 0))) {
      r += b.i;
      q -= 1;
    }
    *result = MakeTuple({Value::Int(q), Value::Int(r)});
    return true;
  }
  if ((a.is_intlike() || a.is_float()) && (b.is_intlike() || b.is_float())) {
    double x = a.is_float() ? a.f : static_cast<double>(a.i);
    double y = b.is_float() ? b.f : static_cast<double>(b.i);
    if (y == 0.0) return ts.Raise("ZeroDivisionError", "float divmod()");
    double q, r;
    FloatDivmod(x, y, &q, &r);
    *result = MakeTuple({Value::Float(q), Value::Float(r)});
    return true;
  }
  return ts.Raise("TypeError", std::string("unsupported operand type(s) for divmod(): '") +
                                   TypeName(a) + "' and '" + TypeName(b) + "'");
}

// x**-1 mod m (m > 0), or false when x and m are not coprime.
bool ModInverse(int64_t x, int64_t m, int64_t* out) {
  __int128 old_r = ((x % m) + m) % m, r = m, old_s = 1, s = 0;
  while (r != 0) {
    __int128 q = old_r / r;
    __int128 t = old_r - q * r;
    old_r = r;
    r = t;
    t = old_s - q * s;
    old_s = s;
    s = t;
  }
  if (old_r != 1) return false;
  *out = static_cast<int64_t>(((old_s % m) + m) % m);
  return true;
}

// pow(base, exp, mod) for ints: the result has mod's sign, as in CPython.
bool ModPow(ThreadState& ts, int64_t base, int64_t exp, int64_t mod, Value* result) {
  if (mod == 0) return ts.Raise("ValueError", "pow() 3rd argument cannot be 0");
  if (mod == INT64_MIN) return RaiseOverflow(ts);
  bool negative = mod < 0;
  int64_t m = negative ? -mod : mod;
  if (exp < 0) {
    if (exp == INT64_MIN) return RaiseOverflow(ts);
    if (!ModInverse(base, m, &base)) {
      return ts.Raise("ValueError", "base is not invertible for the given modulus");
    }
    exp = -exp;
  }
  __int128 b = ((static_cast<__int128>(base) % m) + m) % m, r = 1 % m;
  for (; exp > 0; exp >>= 1) {
    if (exp & 1) r = r * b % m;
    b = b * b % m;
  }
  int64_t z = static_cast<int64_t>(r);
  if (negative && z != 0) z -= m;
  *result = Value::Int(z);
  return true;
}

bool Pow(ThreadState& ts, const CallArgs& call, Value* result) {
  Value kw[3];
  if (!KeywordArgs(ts, call, "pow", {"base", "exp", "mod"}, kw)) return false;
  int npos = call.npositional();
  if (npos > 3) {
    return ts.Raise("TypeError",
                    "pow() takes at most 3 arguments (" + std::to_string(npos) + " given)");
  }
  for (int i = 0; i < npos; ++i) {
    if (!kw[i].is_undefined()) {
      static const char* const kNames[] = {"base", "exp", "mod"};
      return ts.Raise("TypeError", std::string("argument for pow() given by name ('") + kNames[i] +
                                       "') and position (" + std::to_string(i + 1) + ")");
    }
    kw[i] = call.args[i];
  }
  if (kw[0].is_undefined() || kw[1].is_undefined()) {
    return ts.Raise("TypeError", std::string("pow() missing required argument '") +
                                     (kw[0].is_undefined() ? "base' (pos 1)" : "exp' (pos 2)"));
  }
  if (kw[2].is_undefined() || kw[2].is_none()) {
    return BinaryArith(ts, BinaryOp::kPow, kw[0], kw[1], false, result);
  }
  if (!kw[0].is_intlike() || !kw[1].is_intlike() || !kw[2].is_intlike()) {
    return ts.Raise("TypeError",
                    "pow() 3rd argument not allowed unless all arguments are integers");
  }
  return ModPow(ts, kw[0].i, kw[1].i, kw[2].i, result);
}

bool Chr(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!Arity(ts, call, "chr", 1, 1)) return false;
  int64_t cp;
  if (!IndexArg(ts, call.args[0], &cp)) return false;
  if (cp < 0 || cp > 0x10FFFF) return ts.Raise("ValueError", "chr() arg not in range(0x110000)");
  *result = cp < 128 ? CharStr(static_cast<unsigned char>(cp))
                     : MakeStr(utf8::Encode(static_cast<uint32_t>(cp)));
  return true;
}

bool Ord(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!Arity(ts, call, "ord", 1, 1)) return false;
  Value v = call.args[0];
  if (IsType(v, ObjType::kBytes)) {
    const std::string& s = AsBytes(v)->s;
    if (s.size() != 1) {
      return ts.Raise("TypeError", "ord() expected a character, but string of length " +
                                       std::to_string(s.size()) + " found");
    }
    *result = Value::Int(static_cast<unsigned char>(s[0]));
    return true;
  }
  if (!IsType(v, ObjType::kStr)) {
    return ts.Raise("TypeError", std::string("ord() expected string of length 1, but ") +
                                     TypeName(v) + " found");
  }
  size_t length = AsStr(v)->Length();
  if (length != 1) {
    return ts.Raise("TypeError", "ord() expected a character, but string of length " +
                                     std::to_string(length) + " found");
  }
  size_t i = 0;
  *result = Value::Int(utf8::DecodeLenient(AsStr(v)->s, &i));
  return true;
}

// hex(), oct() and bin(): the prefix, then |i| in the base, a minus sign before it all.
bool IntInBase(ThreadState& ts, const CallArgs& call, const char* name, int shift,
               const char* prefix, Value* result) {
  if (!Arity(ts, call, name, 1, 1)) return false;
  int64_t i;
  if (!IndexArg(ts, call.args[0], &i)) return false;
  uint64_t u = i < 0 ? 0 - static_cast<uint64_t>(i) : static_cast<uint64_t>(i);
  std::string digits;
  do {
    digits.insert(digits.begin(), "0123456789abcdef"[u & ((1u << shift) - 1)]);
    u >>= shift;
  } while (u != 0);
  *result = MakeStr((i < 0 ? "-" : "") + std::string(prefix) + digits);
  return true;
}

bool Hex(ThreadState& ts, const CallArgs& call, Value* result) {
  return IntInBase(ts, call, "hex", 4, "0x", result);
}
bool Oct(ThreadState& ts, const CallArgs& call, Value* result) {
  return IntInBase(ts, call, "oct", 3, "0o", result);
}
bool Bin(ThreadState& ts, const CallArgs& call, Value* result) {
  return IntInBase(ts, call, "bin", 1, "0b", result);
}

// id(x): an object's address; for the values that live in the tag (ints, floats, None, bools)
// a number made of the tag and the payload, unique among what is alive but not CPython's.
bool Id(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!Arity(ts, call, "id", 1, 1)) return false;
  Value v = call.args[0];
  if (v.is_obj()) {
    *result = Value::Int(static_cast<int64_t>(reinterpret_cast<uintptr_t>(v.o)));
  } else {
    *result = Value::Int(
        static_cast<int64_t>(static_cast<uint64_t>(v.i) >> 3 ^ static_cast<uint64_t>(v.tag)) | 1);
  }
  return true;
}

bool Repr(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!Arity(ts, call, "repr", 1, 1)) return false;
  std::string text;
  if (!ReprOf(ts, call.args[0], &text)) return false;
  *result = MakeStr(std::move(text));
  return true;
}

bool Callable(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!Arity(ts, call, "callable", 1, 1)) return false;
  Value v = call.args[0];
  *result = Value::Bool(IsType(v, ObjType::kFunction) || IsType(v, ObjType::kNative) ||
                        IsType(v, ObjType::kBoundMethod));
  return true;
}

}  // namespace

std::vector<std::pair<const char*, NativeFn>> NumericBuiltins() {
  return {{"round", Round}, {"divmod", Divmod}, {"pow", Pow},          {"chr", Chr},
          {"ord", Ord},     {"hex", Hex},       {"oct", Oct},          {"bin", Bin},
          {"id", Id},       {"repr", Repr},     {"callable", Callable}};
}

}  // namespace gilbench::vm
