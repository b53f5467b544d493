// The math module: constants, the float functions with CPython's error rules (a NaN from a
// non-NaN argument is "math domain error"; an infinity from a finite one is "math range error"
// where the function can overflow), and the integer functions (gcd, lcm, isqrt, factorial,
// comb, perm) within gilvm's 64-bit ints. fsum is Shewchuk's exact summation, as CPython's.
#include <cmath>
#include <string>
#include <vector>

#include "vm/args.h"
#include "vm/builtins.h"
#include "vm/runtime.h"

namespace gilbench::vm {
namespace {

using R = Interpreter::IterResult;

bool DomainError(ThreadState& ts) { return ts.Raise("ValueError", "math domain error"); }
bool RangeError(ThreadState& ts) { return ts.Raise("OverflowError", "math range error"); }
bool IntOverflow(ThreadState& ts) { return ts.Raise("OverflowError", "integer overflow"); }

// A real-number argument as a double: "must be real number, not str" otherwise.
bool RealArg(ThreadState& ts, Value v, double* out) {
  if (v.is_float()) {
    *out = v.f;
  } else if (v.is_intlike()) {
    *out = static_cast<double>(v.i);
  } else {
    return ts.Raise("TypeError", std::string("must be real number, not ") + TypeName(v));
  }
  return true;
}

// One-argument float functions: fn(x), with CPython's math_1 error rules.
bool Math1(ThreadState& ts, const CallArgs& call, Value* result, const char* name,
           double (*fn)(double), bool can_overflow) {
  if (!ModuleArity(ts, call, name, 1, 1)) return false;
  double x;
  if (!RealArg(ts, call.args[0], &x)) return false;
  double r = fn(x);
  if (std::isnan(r) && !std::isnan(x)) return DomainError(ts);
  if (std::isinf(r) && std::isfinite(x)) return can_overflow ? RangeError(ts) : DomainError(ts);
  *result = Value::Float(r);
  return true;
}

#define MATH1(NAME, FN, OVERFLOW)                                          \
  bool Math_##NAME(ThreadState& ts, const CallArgs& call, Value* result) { \
    return Math1(ts, call, result, #NAME, FN, OVERFLOW);                   \
  }

double Sqrt(double x) { return std::sqrt(x); }
double Exp(double x) { return std::exp(x); }
double Sin(double x) { return std::sin(x); }
double Cos(double x) { return std::cos(x); }
double Tan(double x) { return std::tan(x); }
double Asin(double x) { return std::asin(x); }
double Acos(double x) { return std::acos(x); }
double Atan(double x) { return std::atan(x); }
double Sinh(double x) { return std::sinh(x); }
double Cosh(double x) { return std::cosh(x); }
double Tanh(double x) { return std::tanh(x); }
double Fabs(double x) { return std::fabs(x); }
double Expm1(double x) { return std::expm1(x); }
double Log1p(double x) { return x <= -1.0 ? NAN : std::log1p(x); }
double Degrees(double x) { return x * (180.0 / M_PI); }
double Radians(double x) { return x * (M_PI / 180.0); }
// The logarithms: a non-positive argument is a domain error (CPython's m_log family).
double Log(double x) { return x > 0 || std::isnan(x) ? std::log(x) : NAN; }
double Log2(double x) { return x > 0 || std::isnan(x) ? std::log2(x) : NAN; }
double Log10(double x) { return x > 0 || std::isnan(x) ? std::log10(x) : NAN; }

MATH1(sqrt, Sqrt, false)
MATH1(exp, Exp, true)
MATH1(sin, Sin, false)
MATH1(cos, Cos, false)
MATH1(tan, Tan, false)
MATH1(asin, Asin, false)
MATH1(acos, Acos, false)
MATH1(atan, Atan, false)
MATH1(sinh, Sinh, true)
MATH1(cosh, Cosh, true)
MATH1(tanh, Tanh, false)
MATH1(fabs, Fabs, false)
MATH1(expm1, Expm1, true)
MATH1(log1p, Log1p, false)
MATH1(degrees, Degrees, true)
MATH1(radians, Radians, false)
MATH1(log2, Log2, false)
MATH1(log10, Log10, false)

// log(x[, base]): log(x) / log(base).
bool Math_log(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!NoKeywords(ts, call, "log")) return false;
  if (call.nargs < 1 || call.nargs > 2) {
    return ts.Raise("TypeError", std::string("log expected ") +
                                     (call.nargs < 1 ? "at least 1 argument, got 0"
                                                     : "at most 2 arguments, got " +
                                                           std::to_string(call.nargs)));
  }
  double x, base = 0;
  if (!RealArg(ts, call.args[0], &x)) return false;
  if (call.nargs == 2 && !RealArg(ts, call.args[1], &base)) return false;
  double num = Log(x);
  if (std::isnan(num) && !std::isnan(x)) return DomainError(ts);
  if (call.nargs == 1) {
    *result = Value::Float(num);
    return true;
  }
  double den = Log(base);
  if (std::isnan(den) && !std::isnan(base)) return DomainError(ts);
  if (den == 0.0) return ts.Raise("ZeroDivisionError", "float division by zero");
  *result = Value::Float(num / den);
  return true;
}

// floor, ceil, trunc: an int from an int or a float.
bool ToIntegral(ThreadState& ts, const CallArgs& call, Value* result, const char* name,
                double (*fn)(double)) {
  if (!ModuleArity(ts, call, name, 1, 1)) return false;
  Value v = call.args[0];
  if (v.is_intlike()) {
    *result = Value::Int(v.i);
    return true;
  }
  double x;
  if (!v.is_float()) {
    if (std::string(name) == "trunc") {
      return ts.Raise("TypeError",
                      std::string("type ") + TypeName(v) + " doesn't define __trunc__ method");
    }
    return RealArg(ts, v, &x);
  }
  if (std::isnan(v.f)) return ts.Raise("ValueError", "cannot convert float NaN to integer");
  if (std::isinf(v.f)) {
    return ts.Raise("OverflowError", "cannot convert float infinity to integer");
  }
  int64_t n;
  if (!IntegralToInt64(fn(v.f), &n)) return IntOverflow(ts);
  *result = Value::Int(n);
  return true;
}

double Floor(double x) { return std::floor(x); }
double Ceil(double x) { return std::ceil(x); }
double Trunc(double x) { return std::trunc(x); }

bool Math_floor(ThreadState& ts, const CallArgs& call, Value* result) {
  return ToIntegral(ts, call, result, "floor", Floor);
}
bool Math_ceil(ThreadState& ts, const CallArgs& call, Value* result) {
  return ToIntegral(ts, call, result, "ceil", Ceil);
}
bool Math_trunc(ThreadState& ts, const CallArgs& call, Value* result) {
  return ToIntegral(ts, call, result, "trunc", Trunc);
}

// Two float arguments, for pow, atan2 and copysign.
bool TwoReals(ThreadState& ts, const CallArgs& call, const char* name, double* x, double* y) {
  if (!NoKeywords(ts, call, name)) return false;
  if (call.nargs != 2) {
    return ts.Raise("TypeError",
                    std::string(name) + " expected 2 arguments, got " + std::to_string(call.nargs));
  }
  return RealArg(ts, call.args[0], x) && RealArg(ts, call.args[1], y);
}

bool Math_pow(ThreadState& ts, const CallArgs& call, Value* result) {
  double x, y;
  if (!TwoReals(ts, call, "pow", &x, &y)) return false;
  double r = std::pow(x, y);
  if (std::isfinite(x) && std::isfinite(y)) {
    if (std::isnan(r)) return DomainError(ts);
    if (std::isinf(r)) return x == 0.0 ? DomainError(ts) : RangeError(ts);
  }
  *result = Value::Float(r);
  return true;
}

bool Math_atan2(ThreadState& ts, const CallArgs& call, Value* result) {
  double y, x;
  if (!TwoReals(ts, call, "atan2", &y, &x)) return false;
  *result = Value::Float(std::atan2(y, x));
  return true;
}

bool Math_copysign(ThreadState& ts, const CallArgs& call, Value* result) {
  double x, y;
  if (!TwoReals(ts, call, "copysign", &x, &y)) return false;
  *result = Value::Float(std::copysign(x, y));
  return true;
}

// hypot(*coordinates): the Euclidean norm; an infinity wins over a NaN.
bool Math_hypot(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!NoKeywords(ts, call, "hypot")) return false;
  double r = 0;
  bool inf = false, nan = false;
  for (int i = 0; i < call.nargs; ++i) {
    double x;
    if (!RealArg(ts, call.args[i], &x)) return false;
    inf |= std::isinf(x);
    nan |= std::isnan(x);
    r = std::hypot(r, x);
  }
  *result = Value::Float(inf ? INFINITY : nan ? NAN : r);
  return true;
}

bool FloatTest(ThreadState& ts, const CallArgs& call, Value* result, const char* name,
               bool (*test)(double)) {
  if (!ModuleArity(ts, call, name, 1, 1)) return false;
  double x;
  if (!RealArg(ts, call.args[0], &x)) return false;
  *result = Value::Bool(test(x));
  return true;
}

bool Math_isfinite(ThreadState& ts, const CallArgs& call, Value* result) {
  return FloatTest(ts, call, result, "isfinite", [](double x) { return std::isfinite(x); });
}
bool Math_isinf(ThreadState& ts, const CallArgs& call, Value* result) {
  return FloatTest(ts, call, result, "isinf", [](double x) { return std::isinf(x); });
}
bool Math_isnan(ThreadState& ts, const CallArgs& call, Value* result) {
  return FloatTest(ts, call, result, "isnan", [](double x) { return std::isnan(x); });
}

// isclose(a, b, *, rel_tol=1e-09, abs_tol=0.0), CPython's rule.
bool Math_isclose(ThreadState& ts, const CallArgs& call, Value* result) {
  Value kw[2];
  if (!KeywordArgs(ts, call, "isclose", {"rel_tol", "abs_tol"}, kw)) return false;
  if (call.npositional() != 2) {
    return ts.Raise("TypeError", "isclose() takes exactly 2 positional arguments (" +
                                     std::to_string(call.npositional()) + " given)");
  }
  double a, b, rel = 1e-09, abs_tol = 0.0;
  if (!RealArg(ts, call.args[0], &a) || !RealArg(ts, call.args[1], &b)) return false;
  if (!kw[0].is_undefined() && !RealArg(ts, kw[0], &rel)) return false;
  if (!kw[1].is_undefined() && !RealArg(ts, kw[1], &abs_tol)) return false;
  if (rel < 0.0 || abs_tol < 0.0) {
    return ts.Raise("ValueError", "tolerances must be non-negative");
  }
  bool close;
  if (a == b) {
    close = true;
  } else if (std::isinf(a) || std::isinf(b)) {
    close = false;
  } else {
    double diff = std::fabs(b - a);
    close = (diff <= std::fabs(rel * b)) || (diff <= std::fabs(rel * a)) || diff <= abs_tol;
  }
  *result = Value::Bool(close);
  return true;
}

// fsum(iterable): the correctly rounded sum, by Shewchuk's partials with CPython's final
// half-even correction and its handling of infinities and NaNs.
bool Math_fsum(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!ModuleArity(ts, call, "fsum", 1, 1)) return false;
  Value iter;
  if (!GetIter(ts, call.args[0], &iter)) return false;
  std::vector<double> partials;
  double special_sum = 0.0, inf_sum = 0.0;
  bool overflow = false;
  Value item;
  R r;
  while ((r = IterNext(ts, iter, &item)) == R::kItem) {
    double x;
    bool ok = RealArg(ts, item, &x);
    Decref(item);
    if (!ok) {
      Decref(iter);
      return false;
    }
    double xsave = x;
    size_t i = 0;
    for (double y : partials) {
      if (std::fabs(x) < std::fabs(y)) std::swap(x, y);
      double hi = x + y;
      double lo = y - (hi - x);
      if (lo != 0.0) partials[i++] = lo;
      x = hi;
    }
    partials.resize(i);
    if (x != 0.0) {
      if (!std::isfinite(x)) {
        if (std::isfinite(xsave)) {
          overflow = true;
        } else {
          if (std::isinf(xsave)) inf_sum += xsave;
          special_sum += xsave;
        }
        partials.clear();
      } else {
        partials.push_back(x);
      }
    }
  }
  Decref(iter);
  if (r == R::kError) return false;
  if (special_sum != 0.0) {
    if (std::isnan(inf_sum)) return ts.Raise("ValueError", "-inf + inf in fsum");
    *result = Value::Float(special_sum);
    return true;
  }
  if (overflow) return ts.Raise("OverflowError", "intermediate overflow in fsum");
  double hi = 0.0;
  size_t n = partials.size();
  if (n > 0) {
    hi = partials[--n];
    double lo = 0.0;
    while (n > 0) {
      double x = hi, y = partials[--n];
      hi = x + y;
      double yr = hi - x;
      lo = y - yr;
      if (lo != 0.0) break;
    }
    if (n > 0 && ((lo < 0.0 && partials[n - 1] < 0.0) || (lo > 0.0 && partials[n - 1] > 0.0))) {
      double y = lo * 2.0;
      double x = hi + y;
      double yr = x - hi;
      if (y == yr) hi = x;
    }
  }
  *result = Value::Float(hi);
  return true;
}

// prod(iterable, *, start=1).
bool Math_prod(ThreadState& ts, const CallArgs& call, Value* result) {
  Value start;
  if (!KeywordArgs(ts, call, "prod", {"start"}, &start)) return false;
  if (call.npositional() != 1) {
    return ts.Raise("TypeError", "prod() takes exactly 1 positional argument (" +
                                     std::to_string(call.npositional()) + " given)");
  }
  Value total = start.is_undefined() ? Value::Int(1) : start;
  Incref(total);
  Value iter;
  if (!GetIter(ts, call.args[0], &iter)) {
    Decref(total);
    return false;
  }
  Value item;
  R r;
  while ((r = IterNext(ts, iter, &item)) == R::kItem) {
    Value next;
    bool ok = BinaryArith(ts, BinaryOp::kMul, total, item, false, &next);
    Decref(item);
    Decref(total);
    if (!ok) {
      Decref(iter);
      return false;
    }
    total = next;
  }
  Decref(iter);
  if (r == R::kError) {
    Decref(total);
    return false;
  }
  *result = total;
  return true;
}

// --- integer functions
// ----------------------------------------------------------------------------

int64_t Gcd(int64_t a, int64_t b) {
  uint64_t x = a < 0 ? 0 - static_cast<uint64_t>(a) : a;
  uint64_t y = b < 0 ? 0 - static_cast<uint64_t>(b) : b;
  while (y != 0) {
    uint64_t t = x % y;
    x = y;
    y = t;
  }
  return static_cast<int64_t>(x);
}

bool GcdLcm(ThreadState& ts, const CallArgs& call, Value* result, bool lcm) {
  if (!NoKeywords(ts, call, lcm ? "lcm" : "gcd")) return false;
  int64_t acc = lcm ? 1 : 0;
  for (int i = 0; i < call.nargs; ++i) {
    int64_t x;
    if (!IndexArg(ts, call.args[i], &x)) return false;
    if (x == INT64_MIN) return IntOverflow(ts);
    if (!lcm) {
      acc = Gcd(acc, x);
      continue;
    }
    if (acc == 0 || x == 0) {
      acc = 0;
      continue;
    }
    int64_t g = Gcd(acc, x);
    if (__builtin_mul_overflow(acc / g, x < 0 ? -x : x, &acc)) return IntOverflow(ts);
  }
  *result = Value::Int(acc);
  return true;
}

bool Math_gcd(ThreadState& ts, const CallArgs& call, Value* result) {
  return GcdLcm(ts, call, result, false);
}
bool Math_lcm(ThreadState& ts, const CallArgs& call, Value* result) {
  return GcdLcm(ts, call, result, true);
}

bool Math_isqrt(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!ModuleArity(ts, call, "isqrt", 1, 1)) return false;
  int64_t n;
  if (!IndexArg(ts, call.args[0], &n)) return false;
  if (n < 0) return ts.Raise("ValueError", "isqrt() argument must be nonnegative");
  uint64_t r = static_cast<uint64_t>(std::sqrt(static_cast<double>(n)));
  while (static_cast<unsigned __int128>(r) * r > static_cast<uint64_t>(n)) --r;
  while (static_cast<unsigned __int128>(r + 1) * (r + 1) <= static_cast<uint64_t>(n)) ++r;
  *result = Value::Int(static_cast<int64_t>(r));
  return true;
}

bool Math_factorial(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!ModuleArity(ts, call, "factorial", 1, 1)) return false;
  int64_t n;
  if (!IndexArg(ts, call.args[0], &n)) return false;
  if (n < 0) return ts.Raise("ValueError", "factorial() not defined for negative values");
  int64_t f = 1;
  for (int64_t i = 2; i <= n; ++i) {
    if (__builtin_mul_overflow(f, i, &f)) return IntOverflow(ts);
  }
  *result = Value::Int(f);
  return true;
}

// comb(n, k) and perm(n, k=None), with CPython's argument checks.
bool CombPerm(ThreadState& ts, const CallArgs& call, Value* result, bool comb) {
  const char* name = comb ? "comb" : "perm";
  if (!NoKeywords(ts, call, name)) return false;
  int lo = comb ? 2 : 1;
  if (call.nargs < lo || call.nargs > 2) {
    return ts.Raise("TypeError", std::string(name) + " expected " +
                                     (comb             ? "2 arguments"
                                      : call.nargs < 1 ? "at least 1 argument"
                                                       : "at most 2 arguments") +
                                     ", got " + std::to_string(call.nargs));
  }
  int64_t n, k;
  if (!IndexArg(ts, call.args[0], &n)) return false;
  bool k_given = call.nargs == 2 && !call.args[1].is_none();
  if (k_given && !IndexArg(ts, call.args[1], &k)) return false;
  if (!k_given) k = n;
  if (n < 0) return ts.Raise("ValueError", "n must be a non-negative integer");
  if (k < 0) return ts.Raise("ValueError", "k must be a non-negative integer");
  if (k > n) {
    *result = Value::Int(0);
    return true;
  }
  if (comb && k > n - k) k = n - k;
  __int128 r = 1;
  for (int64_t i = 0; i < k; ++i) {
    r = comb ? r * (n - i) / (i + 1) : r * (n - i);
    if (r > INT64_MAX) return IntOverflow(ts);
  }
  *result = Value::Int(static_cast<int64_t>(r));
  return true;
}

bool Math_comb(ThreadState& ts, const CallArgs& call, Value* result) {
  return CombPerm(ts, call, result, true);
}
bool Math_perm(ThreadState& ts, const CallArgs& call, Value* result) {
  return CombPerm(ts, call, result, false);
}

}  // namespace

Value CreateMathModule() {
  auto* m = new ModuleObj("math");
  static const std::pair<const char*, NativeFn> kFunctions[] = {
      {"sqrt", Math_sqrt},         {"exp", Math_exp},     {"sin", Math_sin},
      {"cos", Math_cos},           {"tan", Math_tan},     {"asin", Math_asin},
      {"acos", Math_acos},         {"atan", Math_atan},   {"sinh", Math_sinh},
      {"cosh", Math_cosh},         {"tanh", Math_tanh},   {"fabs", Math_fabs},
      {"expm1", Math_expm1},       {"log1p", Math_log1p}, {"degrees", Math_degrees},
      {"radians", Math_radians},   {"log", Math_log},     {"log2", Math_log2},
      {"log10", Math_log10},       {"floor", Math_floor}, {"ceil", Math_ceil},
      {"trunc", Math_trunc},       {"pow", Math_pow},     {"atan2", Math_atan2},
      {"copysign", Math_copysign}, {"hypot", Math_hypot}, {"isfinite", Math_isfinite},
      {"isinf", Math_isinf},       {"isnan", Math_isnan}, {"isclose", Math_isclose},
      {"fsum", Math_fsum},         {"prod", Math_prod},   {"gcd", Math_gcd},
      {"lcm", Math_lcm},           {"isqrt", Math_isqrt}, {"factorial", Math_factorial},
      {"comb", Math_comb},         {"perm", Math_perm},
  };
  for (const auto& [name, fn] : kFunctions) {
    m->attrs.emplace_back(name, Value::Object(new NativeObj(name, fn, false)));
  }
  m->attrs.emplace_back("pi", Value::Float(M_PI));
  m->attrs.emplace_back("e", Value::Float(M_E));
  m->attrs.emplace_back("tau", Value::Float(2 * M_PI));
  m->attrs.emplace_back("inf", Value::Float(INFINITY));
  m->attrs.emplace_back("nan", Value::Float(NAN));
  return Value::Object(m);
}

}  // namespace gilbench::vm
