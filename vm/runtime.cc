// The semantics of values, in CPython's words: every error message here is the one CPython 3.11
// gives for the same fault, because the differential tests compare them.
#include "vm/runtime.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "vm/builtin_iters.h"
#include "vm/class.h"
#include "vm/dict.h"
#include "vm/dunders.h"
#include "vm/exceptions.h"
#include "vm/format.h"
#include "vm/hash.h"
#include "vm/set.h"
#include "vm/slices.h"
#include "vm/utf8.h"

namespace gilbench::vm {
namespace {

// ToRepr (for tools, which have no thread) prints containers nested deeper than this as [...].
constexpr int kMaxReprDepth = 200;
constexpr char kInComparison[] = " in comparison";
constexpr char kInRepr[] = " while getting the repr of an object";

const char* const kBinarySymbols[] = {"+",  "-", "*", "/", "//", "%",
                                      "**", "|", "^", "&", "<<", ">>"};
const char* const kCompareSymbols[] = {"==", "!=", "<",      "<=", ">",
                                       ">=", "in", "not in", "is", "is not"};

// One level of C++ recursion into a nested list or tuple (comparing, repr), counted on the
// thread's recursion depth with its Python frames, as CPython 3.11's Py_EnterRecursiveCall counts
// both on one counter: nesting beyond the limit is a RecursionError, never a silent answer or a
// C++ stack overflow. A null thread (ToRepr) counts nothing.
class NestingGuard {
 public:
  explicit NestingGuard(ThreadState* ts) : ts_(ts) {
    if (ts_) ++ts_->depth;
  }
  ~NestingGuard() {
    if (ts_) --ts_->depth;
  }
  NestingGuard(const NestingGuard&) = delete;
  NestingGuard& operator=(const NestingGuard&) = delete;

  // False, with the RecursionError raised, when this level is one too many; `where` ends
  // CPython's message (kInComparison, kInRepr).
  bool Enter(const char* where) {
    if (ts_ == nullptr || ts_->depth <= Interpreter::kRecursionLimit) return true;
    return ts_->Raise("RecursionError", std::string("maximum recursion depth exceeded") + where);
  }

 private:
  ThreadState* ts_;
};

bool IsNumber(Value v) { return v.tag == Tag::kInt || v.tag == Tag::kBool || v.tag == Tag::kFloat; }
double AsDouble(Value v) { return v.tag == Tag::kFloat ? v.f : static_cast<double>(v.i); }

// ---- Numbers: comparison and arithmetic ---------------------------------------------------------

// -1, 0 or 1 as the int i is below, equal to or above the float d (not NaN), exactly, as Python
// compares them: converting i to double would round it (2**63 - 1 would equal 2.0**63).
int CompareIntFloat(int64_t i, double d) {
  double whole = std::trunc(d);
  int64_t w;
  if (!IntegralToInt64(whole, &w)) return d > 0 ? -1 : 1;  // beyond every int64
  if (i != w) return i < w ? -1 : 1;
  double fraction = d - whole;
  return fraction > 0 ? -1 : (fraction < 0 ? 1 : 0);
}

// The order of two numbers, at least one a float; false when either is NaN (unordered).
bool CompareMixed(Value a, Value b, int* cmp) {
  if (a.tag == Tag::kFloat && b.tag == Tag::kFloat) {
    if (std::isnan(a.f) || std::isnan(b.f)) return false;
    *cmp = a.f < b.f ? -1 : (a.f > b.f ? 1 : 0);
  } else if (a.tag == Tag::kFloat) {
    if (std::isnan(a.f)) return false;
    *cmp = -CompareIntFloat(b.i, a.f);
  } else {
    if (std::isnan(b.f)) return false;
    *cmp = CompareIntFloat(a.i, b.f);
  }
  return true;
}

bool Overflow(ThreadState& ts) { return ts.Raise("OverflowError", "integer overflow"); }

// `inplace`: the operator of an augmented assignment, which CPython names as written ("+=").
bool Unsupported(ThreadState& ts, BinaryOp op, Value a, Value b, bool inplace) {
  return ts.Raise("TypeError", std::string("unsupported operand type(s) for ") +
                                   kBinarySymbols[static_cast<int>(op)] + (inplace ? "=" : "") +
                                   ": '" + TypeName(a) + "' and '" + TypeName(b) + "'");
}

bool IsBitwise(BinaryOp op) { return op >= BinaryOp::kBitOr; }

// a << b and a >> b on ints. A result beyond int64 is gilvm's OverflowError (language.md).
bool IntShift(ThreadState& ts, BinaryOp op, int64_t a, int64_t b, Value* out) {
  if (b < 0) return ts.Raise("ValueError", "negative shift count");
  if (op == BinaryOp::kRShift) {
    *out = Value::Int(b >= 63 ? (a < 0 ? -1 : 0) : a >> b);
    return true;
  }
  if (a == 0) {
    *out = Value::Int(0);
    return true;
  }
  if (b >= 63) return Overflow(ts);
  const int64_t shifted = static_cast<int64_t>(static_cast<uint64_t>(a) << b);
  if ((shifted >> b) != a) return Overflow(ts);
  *out = Value::Int(shifted);
  return true;
}

// The bitwise operators on ints; on two bools |, ^ and & give a bool, as in CPython.
bool IntBitwise(ThreadState& ts, BinaryOp op, Value a, Value b, Value* out) {
  int64_t r = 0;
  switch (op) {
    case BinaryOp::kBitOr:
      r = a.i | b.i;
      break;
    case BinaryOp::kBitXor:
      r = a.i ^ b.i;
      break;
    case BinaryOp::kBitAnd:
      r = a.i & b.i;
      break;
    default:
      return IntShift(ts, op, a.i, b.i, out);
  }
  *out = a.is_bool() && b.is_bool() ? Value::Bool(r != 0) : Value::Int(r);
  return true;
}

// Python's floor division and modulo on ints (round toward negative infinity).
bool IntFloorDivMod(ThreadState& ts, int64_t a, int64_t b, bool want_div, Value* out) {
  if (b == 0) {
    return ts.Raise("ZeroDivisionError",
                    want_div ? "integer division or modulo by zero" : "integer modulo by zero");
  }
  if (a == INT64_MIN && b == -1) {
    if (want_div) return Overflow(ts);
    *out = Value::Int(0);
    return true;
  }
  int64_t q = a / b, r = a % b;
  if (r != 0 && ((r < 0) != (b < 0))) {
    q -= 1;
    r += b;
  }
  *out = Value::Int(want_div ? q : r);
  return true;
}

bool FloatArith(ThreadState& ts, BinaryOp op, double a, double b, Value* out);

bool IntPow(ThreadState& ts, int64_t base, int64_t exp, Value* out) {
  if (exp < 0) {  // a float, as in CPython (int.__pow__ hands it to float.__pow__)
    return FloatArith(ts, BinaryOp::kPow, static_cast<double>(base), static_cast<double>(exp), out);
  }
  int64_t result = 1;
  while (exp > 0) {
    if ((exp & 1) && __builtin_mul_overflow(result, base, &result)) return Overflow(ts);
    exp >>= 1;
    if (exp > 0 && __builtin_mul_overflow(base, base, &base)) return Overflow(ts);
  }
  *out = Value::Int(result);
  return true;
}

bool IntArith(ThreadState& ts, BinaryOp op, int64_t a, int64_t b, Value* out) {
  int64_t r = 0;
  switch (op) {
    case BinaryOp::kAdd:
      if (__builtin_add_overflow(a, b, &r)) return Overflow(ts);
      break;
    case BinaryOp::kSub:
      if (__builtin_sub_overflow(a, b, &r)) return Overflow(ts);
      break;
    case BinaryOp::kMul:
      if (__builtin_mul_overflow(a, b, &r)) return Overflow(ts);
      break;
    case BinaryOp::kDiv:
      if (b == 0) return ts.Raise("ZeroDivisionError", "division by zero");
      *out = Value::Float(static_cast<double>(a) / static_cast<double>(b));
      return true;
    case BinaryOp::kFloorDiv:
      return IntFloorDivMod(ts, a, b, true, out);
    case BinaryOp::kMod:
      return IntFloorDivMod(ts, a, b, false, out);
    case BinaryOp::kPow:
      return IntPow(ts, a, b, out);
    default:
      return false;  // the bitwise operators: IntBitwise
  }
  *out = Value::Int(r);
  return true;
}

bool FloatArith(ThreadState& ts, BinaryOp op, double a, double b, Value* out) {
  switch (op) {
    case BinaryOp::kAdd:
      *out = Value::Float(a + b);
      return true;
    case BinaryOp::kSub:
      *out = Value::Float(a - b);
      return true;
    case BinaryOp::kMul:
      *out = Value::Float(a * b);
      return true;
    case BinaryOp::kDiv:
      if (b == 0) return ts.Raise("ZeroDivisionError", "float division by zero");
      *out = Value::Float(a / b);
      return true;
    case BinaryOp::kFloorDiv:
    case BinaryOp::kMod: {
      if (b == 0) {
        return ts.Raise("ZeroDivisionError",
                        op == BinaryOp::kMod ? "float modulo" : "float floor division by zero");
      }
      double mod = std::fmod(a, b);
      double div = (a - mod) / b;
      if (mod != 0) {
        if ((b < 0) != (mod < 0)) {
          mod += b;
          div -= 1.0;
        }
      } else {
        mod = std::copysign(0.0, b);
      }
      double floordiv = 0.0;
      if (div != 0) {
        floordiv = std::floor(div);
        if (div - floordiv > 0.5) floordiv += 1.0;
      } else {
        floordiv = std::copysign(0.0, a / b);
      }
      *out = Value::Float(op == BinaryOp::kMod ? mod : floordiv);
      return true;
    }
    case BinaryOp::kPow: {
      if (a == 0 && b < 0) {
        return ts.Raise("ZeroDivisionError", "0.0 cannot be raised to a negative power");
      }
      double r = std::pow(a, b);
      // Finite operands with an infinite power overflowed (pow's ERANGE), which CPython's
      // float_pow reports in errno's words; the other operators give inf silently, as there.
      if (std::isinf(r) && std::isfinite(a) && std::isfinite(b)) {
        return ts.Raise("OverflowError", "(34, 'Numerical result out of range')");
      }
      *out = Value::Float(r);
      return true;
    }
    default:
      break;  // no bitwise operator takes a float
  }
  return false;
}

// ---- Sequences: repetition, concatenation, % formatting -----------------------------------------

bool SizeTimes(ThreadState& ts, size_t unit, int64_t count, size_t* total) {
  if (count <= 0 || unit == 0) {
    *total = 0;
    return true;
  }
  if (static_cast<uint64_t>(count) > (uint64_t{1} << 40) / unit) {
    return ts.Raise("MemoryError", "");
  }
  *total = unit * static_cast<size_t>(count);
  return true;
}

// seq * n for str, bytes, list and tuple.
bool Repeat(ThreadState& ts, Value seq, int64_t n, bool inplace, Value* out) {
  if (IsType(seq, ObjType::kStr) || IsType(seq, ObjType::kBytes)) {
    const std::string& s = AsText(seq)->s;
    size_t total;
    if (!SizeTimes(ts, s.size(), n, &total)) return false;
    std::string r;
    r.reserve(total);
    for (int64_t i = 0; total && i < n; ++i) r += s;
    *out = seq.o->type == ObjType::kStr ? MakeStr(std::move(r)) : MakeBytes(std::move(r));
    return true;
  }
  const auto& items = AsSeq(seq)->items;
  size_t total;
  if (!SizeTimes(ts, items.size(), n, &total)) return false;
  std::vector<Value> r;
  r.reserve(total);
  for (int64_t i = 0; total && i < n; ++i) {
    for (Value v : items) {
      Incref(v);
      r.push_back(v);
    }
  }
  if (inplace && seq.o->type == ObjType::kList) {
    for (Value v : AsSeq(seq)->items) Decref(v);
    AsSeq(seq)->items = std::move(r);
    Incref(seq);
    *out = seq;
    return true;
  }
  *out = seq.o->type == ObjType::kList ? MakeList(std::move(r)) : MakeTuple(std::move(r));
  return true;
}

bool IsSequence(Value v) {
  return IsType(v, ObjType::kStr) || IsType(v, ObjType::kBytes) || IsType(v, ObjType::kList) ||
         IsType(v, ObjType::kTuple);
}

bool Concat(ThreadState& ts, Value a, Value b, bool inplace, Value* out) {
  ObjType t = a.o->type;
  if (!IsType(b, t)) {
    if (t == ObjType::kBytes) {
      return ts.Raise("TypeError", std::string("can't concat ") + TypeName(b) + " to bytes");
    }
    return ts.Raise("TypeError", std::string("can only concatenate ") + TypeName(a) + " (not \"" +
                                     TypeName(b) + "\") to " + TypeName(a));
  }
  if (t == ObjType::kStr || t == ObjType::kBytes) {
    std::string r = AsText(a)->s + AsText(b)->s;
    *out = t == ObjType::kStr ? MakeStr(std::move(r)) : MakeBytes(std::move(r));
    return true;
  }
  // Everything that may run out of memory comes before the references are taken.
  const std::vector<Value>& extra = AsSeq(b)->items;
  if (inplace && t == ObjType::kList) {
    auto& items = AsSeq(a)->items;
    items.reserve(items.size() + extra.size());
    for (Value v : std::vector<Value>(extra)) {  // a copy: `a += a` reads what it extends
      Incref(v);
      items.push_back(v);
    }
    Incref(a);
    *out = a;
    return true;
  }
  std::vector<Value> r;
  r.reserve(AsSeq(a)->items.size() + extra.size());
  r.insert(r.end(), AsSeq(a)->items.begin(), AsSeq(a)->items.end());
  r.insert(r.end(), extra.begin(), extra.end());
  *out = t == ObjType::kList ? MakeList(std::move(r)) : MakeTuple(std::move(r));
  for (Value v : AsSeq(*out)->items) Incref(v);
  return true;
}

FormatArg ToFormatArg(Value v) {
  FormatArg arg;
  if (v.tag == Tag::kInt) {
    arg.kind = FormatArg::Kind::kInt;
    arg.int_value = v.i;
  } else if (v.tag == Tag::kBool) {
    arg.kind = FormatArg::Kind::kBool;
    arg.int_value = v.i;
  } else if (v.tag == Tag::kFloat) {
    arg.kind = FormatArg::Kind::kFloat;
    arg.float_value = v.f;
  }
  arg.type_name = TypeName(v);
  return arg;
}

// Converts v (an item of `fmt % args`) for PercentFormat: false on a RecursionError from str()
// or repr() of a deeply nested container.
bool AddFormatArg(ThreadState& ts, Value v, std::vector<FormatArg>* args) {
  FormatArg& arg = args->emplace_back(ToFormatArg(v));
  return StrOf(ts, v, &arg.str) && ReprOf(ts, v, &arg.repr);
}

bool PercentOp(ThreadState& ts, Value fmt, Value args, Value* out) {
  std::vector<FormatArg> converted;
  if (IsType(args, ObjType::kTuple)) {
    for (Value v : AsSeq(args)->items) {
      if (!AddFormatArg(ts, v, &converted)) return false;
    }
  } else if (!AddFormatArg(ts, args, &converted)) {
    return false;
  }
  std::string text, error_type, error;
  if (!PercentFormat(AsStr(fmt)->s, converted, &text, &error_type, &error)) {
    return ts.Raise(error_type, error);
  }
  *out = MakeStr(std::move(text));
  return true;
}

// ---- Comparison and membership ------------------------------------------------------------------

// Lexicographic order of two lists or tuples. *cmp < 0, 0, > 0. As CPython's list_richcompare,
// the first items that are not equal decide.
bool CompareSequences(ThreadState& ts, Value a, Value b, int* cmp) {
  NestingGuard guard(&ts);
  if (!guard.Enter(kInComparison)) return false;
  const auto& x = AsSeq(a)->items;
  const auto& y = AsSeq(b)->items;
  size_t n = std::min(x.size(), y.size());
  for (size_t i = 0; i < n; ++i) {
    bool equal;
    if (!ValuesEqual(ts, x[i], y[i], &equal)) return false;
    if (equal) continue;
    bool less;
    if (!CompareValues(ts, CompareOp::kLt, x[i], y[i], &less)) return false;
    *cmp = less ? -1 : 1;
    return true;
  }
  *cmp = x.size() < y.size() ? -1 : (x.size() > y.size() ? 1 : 0);
  return true;
}

// a < b, a <= b, a > b, a >= b on sets: the subset relations (a partial order, so not a cmp).
bool SetOrder(ThreadState& ts, CompareOp op, SetObj* a, SetObj* b, bool* out) {
  *out = false;
  switch (op) {
    case CompareOp::kLt:
      return a->used >= b->used || SetIsSubset(ts, a, b, out);
    case CompareOp::kLe:
      return SetIsSubset(ts, a, b, out);
    case CompareOp::kGt:
      return a->used <= b->used || SetIsSubset(ts, b, a, out);
    default:
      return SetIsSubset(ts, b, a, out);
  }
}

bool OrderResult(CompareOp op, int cmp) {
  switch (op) {
    case CompareOp::kLt:
      return cmp < 0;
    case CompareOp::kLe:
      return cmp <= 0;
    case CompareOp::kGt:
      return cmp > 0;
    case CompareOp::kGe:
      return cmp >= 0;
    default:
      return false;
  }
}

// `item in view` for d.keys() and d.items(), which look the key up; a values view is searched
// item by item like any iterable.
bool ViewContains(ThreadState& ts, const DictViewObj* view, Value item, bool* out) {
  *out = false;
  if (view->kind == DictViewKind::kKeys) {
    int64_t hash;
    return HashValue(ts, item, &hash) && DictContainsEntry(ts, view->dict, item, hash, out);
  }
  if (!IsType(item, ObjType::kTuple) || AsSeq(item)->items.size() != 2) return true;
  Value value;
  if (!DictGet(ts, view->dict, AsSeq(item)->items[0], &value)) return false;
  return value.is_undefined() || ValuesEqual(ts, value, AsSeq(item)->items[1], out);
}

bool Contains(ThreadState& ts, Value container, Value item, bool* out) {
  if (IsInstanceObj(container)) return InstanceContains(ts, container, item, out);
  if (IsType(container, ObjType::kDict)) {
    int64_t hash;
    return HashValue(ts, item, &hash) && DictContainsEntry(ts, AsDict(container), item, hash, out);
  }
  if (IsAnySet(container)) return SetContains(ts, AsSet(container), item, out);
  if (IsType(container, ObjType::kDictView) &&
      static_cast<DictViewObj*>(container.o)->kind != DictViewKind::kValues) {
    return ViewContains(ts, static_cast<DictViewObj*>(container.o), item, out);
  }
  if (IsType(container, ObjType::kStr)) {
    if (!IsType(item, ObjType::kStr)) {
      return ts.Raise("TypeError", std::string("'in <string>' requires string as left operand, "
                                               "not ") +
                                       TypeName(item));
    }
    *out = AsStr(container)->s.find(AsStr(item)->s) != std::string::npos;
    return true;
  }
  if (IsType(container, ObjType::kBytes)) {
    const std::string& s = AsBytes(container)->s;
    if (item.is_intlike()) {
      if (item.i < 0 || item.i > 255)
        return ts.Raise("ValueError", "byte must be in range(0, 256)");
      *out = s.find(static_cast<char>(item.i)) != std::string::npos;
      return true;
    }
    if (!IsType(item, ObjType::kBytes)) {
      return ts.Raise("TypeError",
                      std::string("a bytes-like object is required, not '") + TypeName(item) + "'");
    }
    *out = s.find(AsBytes(item)->s) != std::string::npos;
    return true;
  }
  if (IsType(container, ObjType::kRange) && item.is_intlike()) {
    auto* r = static_cast<RangeObj*>(container.o);
    bool inside = r->step > 0 ? item.i >= r->start && item.i < r->stop
                              : item.i <= r->start && item.i > r->stop;
    // 128-bit: the distance between two int64s can overflow int64.
    __int128 distance = static_cast<__int128>(item.i) - r->start;
    *out = inside && distance % r->step == 0;
    return true;
  }
  if (IsType(container, ObjType::kList) || IsType(container, ObjType::kTuple)) {
    *out = false;
    for (Value v : AsSeq(container)->items) {
      if (!ValuesEqual(ts, v, item, out)) return false;
      if (*out) break;
    }
    return true;
  }
  Value it;
  if (!container.is_obj() || container.o->type == ObjType::kFunction ||
      !GetIter(ts, container, &it)) {
    ts.ClearError();
    return ts.Raise("TypeError",
                    std::string("argument of type '") + TypeName(container) + "' is not iterable");
  }
  *out = false;
  for (;;) {
    Value v;
    Interpreter::IterResult r = IterNext(ts, it, &v);
    if (r == Interpreter::IterResult::kError) {
      Decref(it);
      return false;
    }
    if (r == Interpreter::IterResult::kDone) break;
    bool ok = ValuesEqual(ts, v, item, out);
    Decref(v);
    if (!ok || *out) {
      Decref(it);
      return ok;
    }
  }
  Decref(it);
  return true;
}

bool Identical(Value a, Value b) {
  if (a.tag != b.tag) return false;
  switch (a.tag) {
    case Tag::kObj:
      return a.o == b.o;
    case Tag::kFloat:
      return a.f == b.f;
    case Tag::kNone:
    case Tag::kUndefined:
      return true;
    default:
      return a.i == b.i;
  }
}

// a == b as Python's == on the subset's values; containers compare item by item, one nesting
// level at a time (NestingGuard). False only on a RecursionError.
// A keys or items view: compared with == as the set of what it holds.
bool IsSetLikeView(Value v) {
  return IsType(v, ObjType::kDictView) &&
         static_cast<DictViewObj*>(v.o)->kind != DictViewKind::kValues;
}

// a == b where either is a keys or items view and the other one of those or a set: equal sizes,
// and every item of a in b (CPython's dictview_richcompare).
bool SetLikeEqual(ThreadState& ts, Value a, Value b, bool* equal) {
  *equal = false;
  if (LengthOf(a) != LengthOf(b)) return true;
  std::vector<Value> items;
  if (!CollectIterable(ts, a, &items)) return false;
  bool ok = true;
  *equal = true;
  for (Value v : items) {
    bool found = false;
    if (ok && *equal) ok = Contains(ts, b, v, &found);
    if (ok && !found) *equal = false;
    Decref(v);
  }
  return ok;
}

bool EqualValues(ThreadState& ts, Value a, Value b, bool* equal) {
  *equal = false;
  if (IsNumber(a) && IsNumber(b)) {
    int cmp;
    if (a.tag != Tag::kFloat && b.tag != Tag::kFloat) {
      *equal = a.i == b.i;
    } else {
      *equal = CompareMixed(a, b, &cmp) && cmp == 0;
    }
    return true;
  }
  if (IsInstanceObj(a) || IsInstanceObj(b)) return InstanceEqual(ts, a, b, equal);
  if (a.tag != b.tag) return true;
  if (a.tag == Tag::kNone || (a.tag == Tag::kObj && a.o == b.o)) {
    *equal = true;  // identity implies equality, as PyObject_RichCompareBool assumes
    return true;
  }
  if (a.tag != Tag::kObj) return true;
  if ((IsSetLikeView(a) && (IsSetLikeView(b) || IsAnySet(b))) ||
      (IsSetLikeView(b) && IsAnySet(a))) {
    NestingGuard guard(&ts);
    return guard.Enter(kInComparison) && SetLikeEqual(ts, a, b, equal);
  }
  if (IsAnySet(a) && IsAnySet(b)) {
    NestingGuard guard(&ts);
    return guard.Enter(kInComparison) && SetEqual(ts, AsSet(a), AsSet(b), equal);
  }
  if (a.o->type != b.o->type) return true;
  switch (a.o->type) {
    case ObjType::kDict: {
      NestingGuard guard(&ts);
      return guard.Enter(kInComparison) && DictEqual(ts, AsDict(a), AsDict(b), equal);
    }
    case ObjType::kStr:
    case ObjType::kBytes:
      *equal = AsText(a)->s == AsText(b)->s;
      return true;
    case ObjType::kList:
    case ObjType::kTuple: {
      NestingGuard guard(&ts);
      if (!guard.Enter(kInComparison)) return false;
      const auto& x = AsSeq(a)->items;
      const auto& y = AsSeq(b)->items;
      if (x.size() != y.size()) return true;
      for (size_t i = 0; i < x.size(); ++i) {
        if (!EqualValues(ts, x[i], y[i], equal)) return false;
        if (!*equal) return true;
      }
      *equal = true;
      return true;
    }
    case ObjType::kRange: {
      // Equal when they hold the same items: the same count (up to 2**64 - 1, so Count(),
      // not len()), and the same first item and step where those matter.
      auto* x = static_cast<RangeObj*>(a.o);
      auto* y = static_cast<RangeObj*>(b.o);
      uint64_t n = x->Count();
      *equal =
          n == y->Count() && (n == 0 || (x->start == y->start && (n == 1 || x->step == y->step)));
      return true;
    }
    default:
      return true;
  }
}

// ---- repr and str -------------------------------------------------------------------------------

// What a repr in progress carries down: the containers being printed (one that contains itself
// prints as [...], as CPython's Py_ReprEnter does), and the thread whose recursion depth bounds
// the nesting -- null for ToRepr, which cuts deep nesting short instead.
struct ReprContext {
  ThreadState* ts = nullptr;
  std::vector<const Obj*> active;
};

bool ReprInto(Value v, ReprContext* ctx, std::string* out);

// Whether `obj` is being printed further out: a container that holds itself prints a
// placeholder there instead (Py_ReprEnter). Without a thread, deep nesting is cut short too.
bool AlreadyPrinting(const Obj* obj, const ReprContext* ctx) {
  const std::vector<const Obj*>& active = ctx->active;
  return std::find(active.begin(), active.end(), obj) != active.end() ||
         (ctx->ts == nullptr && active.size() > kMaxReprDepth);
}

// {k: v, ...}, or {...} inside itself.
bool ReprDict(const DictObj* d, ReprContext* ctx, std::string* out) {
  if (AlreadyPrinting(d, ctx)) {
    *out += "{...}";
    return true;
  }
  NestingGuard guard(ctx->ts);
  if (!guard.Enter(kInRepr)) return false;
  ctx->active.push_back(d);
  *out += "{";
  bool first = true;
  for (size_t pos = 0; pos < d->entries.size(); ++pos) {
    const DictEntry e = d->entries[pos];  // a copy: the entries vector is not ours to hold
    if (e.key.is_undefined()) continue;
    if (!first) *out += ", ";
    first = false;
    if (!ReprInto(e.key, ctx, out)) return false;
    *out += ": ";
    if (!ReprInto(e.value, ctx, out)) return false;
  }
  *out += "}";
  ctx->active.pop_back();
  return true;
}

// {1, 2}, set(), frozenset({1, 2}), frozenset(), in the table's order.
bool ReprSet(const SetObj* so, ReprContext* ctx, std::string* out) {
  const char* name = so->frozen() ? "frozenset" : "set";
  if (so->used == 0) {
    *out += std::string(name) + "()";
    return true;
  }
  if (AlreadyPrinting(so, ctx)) {
    *out += std::string(name) + "(...)";
    return true;
  }
  NestingGuard guard(ctx->ts);
  if (!guard.Enter(kInRepr)) return false;
  ctx->active.push_back(so);
  if (so->frozen()) *out += "frozenset(";
  *out += "{";
  bool first = true;
  for (const SetEntry& e : so->table) {
    if (e.key.is_undefined()) continue;
    if (!first) *out += ", ";
    first = false;
    if (!ReprInto(e.key, ctx, out)) return false;
  }
  *out += so->frozen() ? "})" : "}";
  ctx->active.pop_back();
  return true;
}

// dict_keys([1, 2]), dict_values([...]), dict_items([(1, 2)]); ... inside itself.
bool ReprDictView(const DictViewObj* view, ReprContext* ctx, std::string* out) {
  if (AlreadyPrinting(view, ctx)) {
    *out += "...";
    return true;
  }
  NestingGuard guard(ctx->ts);
  if (!guard.Enter(kInRepr)) return false;
  ctx->active.push_back(view);
  static const char* const kNames[] = {"dict_keys([", "dict_values([", "dict_items(["};
  *out += kNames[static_cast<int>(view->kind)];
  bool first = true;
  for (size_t pos = 0; pos < view->dict->entries.size(); ++pos) {
    const DictEntry e = view->dict->entries[pos];
    if (e.key.is_undefined()) continue;
    if (!first) *out += ", ";
    first = false;
    if (view->kind == DictViewKind::kItems) *out += "(";
    if (view->kind != DictViewKind::kValues && !ReprInto(e.key, ctx, out)) return false;
    if (view->kind == DictViewKind::kItems) *out += ", ";
    if (view->kind != DictViewKind::kKeys && !ReprInto(e.value, ctx, out)) return false;
    if (view->kind == DictViewKind::kItems) *out += ")";
  }
  *out += "])";
  ctx->active.pop_back();
  return true;
}

bool ReprSeq(const SeqObj* seq, ReprContext* ctx, std::string* out) {
  bool list = seq->type == ObjType::kList;
  std::vector<const Obj*>& active = ctx->active;
  if (std::find(active.begin(), active.end(), seq) != active.end() ||
      (ctx->ts == nullptr && active.size() > kMaxReprDepth)) {
    *out += list ? "[...]" : "(...)";
    return true;
  }
  NestingGuard guard(ctx->ts);
  if (!guard.Enter(kInRepr)) return false;
  active.push_back(seq);
  *out += list ? "[" : "(";
  for (size_t i = 0; i < seq->items.size(); ++i) {
    if (i) *out += ", ";
    if (!ReprInto(seq->items[i], ctx, out)) return false;
  }
  if (!list && seq->items.size() == 1) *out += ",";
  *out += list ? "]" : ")";
  active.pop_back();
  return true;
}

std::string BytesRepr(const std::string& s) {
  bool has_single = s.find('\'') != std::string::npos;
  bool has_double = s.find('"') != std::string::npos;
  char quote = has_single && !has_double ? '"' : '\'';
  std::string out = "b";
  out += quote;
  for (unsigned char c : s) {
    if (c == static_cast<unsigned char>(quote) || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c >= 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += quote;
  return out;
}

std::string AddressOf(const void* p) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%012llx",
                static_cast<unsigned long long>(reinterpret_cast<uintptr_t>(p)));
  return buf;
}

bool ReprInto(Value v, ReprContext* ctx, std::string* out) {
  switch (v.tag) {
    case Tag::kUndefined:
      *out += "<NULL>";
      return true;
    case Tag::kNone:
      *out += "None";
      return true;
    case Tag::kBool:
      *out += v.i ? "True" : "False";
      return true;
    case Tag::kInt:
      *out += std::to_string(v.i);
      return true;
    case Tag::kFloat:
      *out += FloatRepr(v.f);
      return true;
    case Tag::kObj:
      break;
  }
  switch (v.o->type) {
    case ObjType::kStr:
      *out += ReprString(AsStr(v)->s);
      return true;
    case ObjType::kBytes:
      *out += BytesRepr(AsBytes(v)->s);
      return true;
    case ObjType::kList:
    case ObjType::kTuple:
      return ReprSeq(AsSeq(v), ctx, out);
    case ObjType::kDict:
      return ReprDict(AsDict(v), ctx, out);
    case ObjType::kSet:
    case ObjType::kFrozenSet:
      return ReprSet(AsSet(v), ctx, out);
    case ObjType::kDictView:
      return ReprDictView(static_cast<DictViewObj*>(v.o), ctx, out);
    case ObjType::kRange: {
      auto* r = static_cast<RangeObj*>(v.o);
      *out += "range(" + std::to_string(r->start) + ", " + std::to_string(r->stop);
      if (r->step != 1) *out += ", " + std::to_string(r->step);
      *out += ")";
      return true;
    }
    case ObjType::kFunction:
      *out += "<function " + static_cast<FunctionObj*>(v.o)->code->qualname + " at " +
              AddressOf(v.o) + ">";
      return true;
    case ObjType::kNative:
      *out += std::string("<built-in function ") + static_cast<NativeObj*>(v.o)->name + ">";
      return true;
    case ObjType::kBoundMethod: {
      auto* m = static_cast<BoundMethodObj*>(v.o);
      *out += std::string("<built-in method ") + m->method->name + " of " + TypeName(m->self) +
              " object at " + AddressOf(m->self.o) + ">";
      return true;
    }
    case ObjType::kModule:
      *out += "<module '" + static_cast<ModuleObj*>(v.o)->name + "' (built-in)>";
      return true;
    case ObjType::kGenerator:
      *out += "<generator object " + static_cast<GeneratorObj*>(v.o)->func->code->qualname +
              " at " + AddressOf(v.o) + ">";
      return true;
    case ObjType::kHash:
      *out += "<sha256 _hashlib.HASH object @ " + AddressOf(v.o) + ">";
      return true;
    case ObjType::kInstance:
      if (ctx->ts != nullptr) {
        std::string text;
        if (!InstanceRepr(*ctx->ts, v, &text)) return false;
        *out += text;
      } else {
        *out += DefaultInstanceRepr(v);
      }
      return true;
    case ObjType::kClass: {
      const ClassObj* cls = AsClass(v);
      const bool own = !cls->builtin && cls->module.empty();  // a class of the program's
      *out += "<class '" + std::string(own ? "__main__." : "") + QualifiedClassName(cls) + "'>";
      return true;
    }
    case ObjType::kMethod: {
      auto* m = static_cast<MethodObj*>(v.o);
      std::string self;
      if (!ReprInto(m->self, ctx, &self)) return false;
      std::string name = IsType(m->func, ObjType::kFunction)
                             ? static_cast<FunctionObj*>(m->func.o)->code->name
                             : std::string("?");
      std::string owner =
          IsType(m->self, ObjType::kClass) ? AsClass(m->self)->name : TypeName(m->self);
      *out += "<bound method " + owner + "." + name + " of " + self + ">";
      return true;
    }
    case ObjType::kTextStream:
      *out += std::string("<_io.TextIOWrapper name='") +
              (static_cast<TextStreamObj*>(v.o)->fd == 1 ? "<stdout>" : "<stderr>") +
              "' mode='w' encoding='utf-8'>";
      return true;
    case ObjType::kSlice: {
      auto* slice = static_cast<SliceObj*>(v.o);
      *out += "slice(";
      const Value parts[] = {slice->start, slice->stop, slice->step};
      for (int k = 0; k < 3; ++k) {
        if (k > 0) *out += ", ";
        if (!ReprInto(parts[k], ctx, out)) return false;
      }
      *out += ")";
      return true;
    }
    case ObjType::kThread: {
      auto* t = static_cast<ThreadObj*>(v.o);
      *out += "<Thread(" + t->name + ", " +
              (t->state() == ThreadObj::State::kInitial ? "initial" : "started") + ")>";
      return true;
    }
    default:
      *out += std::string("<") + TypeName(v) + " object at " + AddressOf(v.o) + ">";
      return true;
  }
}

// ---- Subscripts and slices ----------------------------------------------------------------------

// The one-code-point str starting at byte `offset` of `str`.
Value CodePointAt(const StrObj* str, size_t offset) {
  unsigned char c = static_cast<unsigned char>(str->s[offset]);
  if (c < 0x80) return CharStr(c);
  size_t end = offset + 1;
  while (end < str->s.size() && (static_cast<unsigned char>(str->s[end]) & 0xC0) == 0x80) ++end;
  return MakeStr(str->s.substr(offset, end - offset));
}

// How CPython words the two faults of `seq[index]` for each sequence type: an index that is not
// an int, and one out of range.
struct IndexWords {
  const char* not_int;       // followed by the index's type name
  bool quote_type;           // str's message quotes it: "... not 'str'"
  const char* out_of_range;  // the IndexError message
};
constexpr IndexWords kListIndex{"list indices must be integers or slices, not ", false,
                                "list index out of range"};
constexpr IndexWords kTupleIndex{"tuple indices must be integers or slices, not ", false,
                                 "tuple index out of range"};
constexpr IndexWords kStrIndex{"string indices must be integers, not ", true,
                               "string index out of range"};
constexpr IndexWords kBytesIndex{"byte indices must be integers or slices, not ", false,
                                 "index out of range"};
constexpr IndexWords kRangeIndex{"range indices must be integers or slices, not ", false,
                                 "range object index out of range"};

// Resolves a (possibly negative) index into [0, size), or raises in CPython's words.
bool CheckIndex(ThreadState& ts, Value index, int64_t size, const IndexWords& words, int64_t* out) {
  if (!index.is_intlike()) {
    std::string type = TypeName(index);
    return ts.Raise("TypeError", words.not_int + (words.quote_type ? "'" + type + "'" : type));
  }
  int64_t i = index.i < 0 ? index.i + size : index.i;
  if (i < 0 || i >= size) return ts.Raise("IndexError", words.out_of_range);
  *out = i;
  return true;
}

// r[index]. In 128 bits: a range may hold up to 2**64 - 1 items, more than an int64 counts, so
// neither a negative index plus the length nor the offset from the start fits in one.
bool RangeItem(ThreadState& ts, const RangeObj& r, Value index, Value* out) {
  if (!index.is_intlike()) {
    return ts.Raise("TypeError", kRangeIndex.not_int + std::string(TypeName(index)));
  }
  __int128 count = r.Count();
  __int128 i = index.i < 0 ? index.i + count : index.i;
  if (i < 0 || i >= count) return ts.Raise("IndexError", kRangeIndex.out_of_range);
  *out = Value::Int(static_cast<int64_t>(r.start + i * r.step));  // an item: within int64
  return true;
}

// Clamps a slice bound the way CPython's PySlice_AdjustIndices does for step 1.
bool SliceBound(ThreadState& ts, Value bound, int64_t size, int64_t fallback, int64_t* out) {
  if (bound.is_none()) {
    *out = fallback;
    return true;
  }
  if (!bound.is_intlike()) {
    return ts.Raise("TypeError",
                    "slice indices must be integers or None or have an __index__ method");
  }
  int64_t i = bound.i;
  if (i < 0) i = std::max<int64_t>(0, i + size);
  *out = std::min(i, size);
  return true;
}

}  // namespace

// ---- The public entry points (runtime.h): type names, truth, length -----------------------------

const char* TypeName(Value v) {
  switch (v.tag) {
    case Tag::kUndefined:
      return "NULL";
    case Tag::kNone:
      return "NoneType";
    case Tag::kBool:
      return "bool";
    case Tag::kInt:
      return "int";
    case Tag::kFloat:
      return "float";
    case Tag::kObj:
      break;
  }
  switch (v.o->type) {
    case ObjType::kStr:
      return "str";
    case ObjType::kBytes:
      return "bytes";
    case ObjType::kList:
      return "list";
    case ObjType::kTuple:
      return "tuple";
    case ObjType::kCode:
      return "code";
    case ObjType::kFunction:
      return "function";
    case ObjType::kNative:
    case ObjType::kBoundMethod:
      return "builtin_function_or_method";
    case ObjType::kModule:
      return "module";
    case ObjType::kRange:
      return "range";
    case ObjType::kRangeIter:
      return "range_iterator";
    case ObjType::kSeqIter:
      switch (static_cast<SeqIterObj*>(v.o)->seq->type) {
        case ObjType::kList:
          return "list_iterator";
        case ObjType::kTuple:
          return "tuple_iterator";
        case ObjType::kBytes:
          return "bytes_iterator";
        default:
          return "str_ascii_iterator";
      }
    case ObjType::kGenerator:
      return "generator";
    case ObjType::kThread:
      return "Thread";
    case ObjType::kHash:
      return "HASH";
    case ObjType::kDict:
      return "dict";
    case ObjType::kDictView:
      switch (static_cast<DictViewObj*>(v.o)->kind) {
        case DictViewKind::kKeys:
          return "dict_keys";
        case DictViewKind::kValues:
          return "dict_values";
        case DictViewKind::kItems:
          return "dict_items";
      }
      break;
    case ObjType::kDictIter:
      switch (static_cast<DictIterObj*>(v.o)->kind) {
        case DictViewKind::kKeys:
          return "dict_keyiterator";
        case DictViewKind::kValues:
          return "dict_valueiterator";
        case DictViewKind::kItems:
          return "dict_itemiterator";
      }
      break;
    case ObjType::kSet:
      return "set";
    case ObjType::kFrozenSet:
      return "frozenset";
    case ObjType::kSetIter:
      return "set_iterator";
    case ObjType::kClass:
      return "type";
    case ObjType::kInstance:
      return AsInstance(v)->cls->name.c_str();
    case ObjType::kMethod:
      return "method";
    case ObjType::kProperty:
      return "property";
    case ObjType::kStaticMethod:
      return "staticmethod";
    case ObjType::kClassMethod:
      return "classmethod";
    case ObjType::kSuper:
      return "super";
    case ObjType::kBuiltinIter:
      return BuiltinIterTypeName(static_cast<BuiltinIterObj*>(v.o));
    case ObjType::kSlice:
      return "slice";
    case ObjType::kTextStream:
      return "_io.TextIOWrapper";
    case ObjType::kCell:
      return "cell";
    case ObjType::kMpState:
      return "multiprocessing state";
    case ObjType::kSync:
      return "sync state";
  }
  return "object";
}

bool IntegralToInt64(double d, int64_t* out) {
  constexpr double kTwo63 = 9223372036854775808.0;  // exact: a power of two
  if (!(d >= -kTwo63 && d < kTwo63)) return false;  // NaN fails both comparisons
  *out = static_cast<int64_t>(d);
  return true;
}

bool IsTruthy(Value v) {
  switch (v.tag) {
    case Tag::kUndefined:
    case Tag::kNone:
      return false;
    case Tag::kBool:
    case Tag::kInt:
      return v.i != 0;
    case Tag::kFloat:
      return v.f != 0.0;
    case Tag::kObj:
      break;
  }
  int64_t len = LengthOf(v);
  return len != 0;
}

int64_t LengthOf(Value v) {
  if (!v.is_obj()) return -1;
  switch (v.o->type) {
    case ObjType::kStr:
      return static_cast<int64_t>(AsStr(v)->Length());
    case ObjType::kBytes:
      return static_cast<int64_t>(AsBytes(v)->s.size());
    case ObjType::kList:
    case ObjType::kTuple:
      return static_cast<int64_t>(AsSeq(v)->items.size());
    case ObjType::kRange:
      return static_cast<RangeObj*>(v.o)->Length();
    case ObjType::kDict:
      return AsDict(v)->used;
    case ObjType::kDictView:
      return static_cast<DictViewObj*>(v.o)->dict->used;
    case ObjType::kSet:
    case ObjType::kFrozenSet:
      return AsSet(v)->used;
    default:
      return -1;
  }
}

// ---- repr and str of strings --------------------------------------------------------------------

// Python's str.isprintable() for the code points beyond ASCII, short of the full Unicode
// database: the C1 controls, the separators (Zs, Zl, Zp) and the common format characters (Cf)
// are not printable; everything else is taken as printable.
bool IsPrintableNonAscii(uint32_t cp) {
  if (cp < 0xA1 || cp == 0xAD || cp == 0x1680 || cp == 0x061C || cp == 0x180E) return false;
  if ((cp >= 0x2000 && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202F)) return false;
  if ((cp >= 0x205F && cp <= 0x206F) || cp == 0x3000 || cp == 0xFEFF) return false;
  if ((cp >= 0xD800 && cp <= 0xDFFF) || (cp >= 0xFFF9 && cp <= 0xFFFB)) return false;
  return cp <= 0x10FFFF;
}

std::string ReprString(std::string_view s) {
  bool has_single = s.find('\'') != std::string_view::npos;
  bool has_double = s.find('"') != std::string_view::npos;
  char quote = has_single && !has_double ? '"' : '\'';
  std::string out(1, quote);
  for (size_t i = 0; i < s.size();) {
    size_t start = i;
    uint32_t cp = utf8::DecodeLenient(s, &i);
    char buf[16];
    if (cp == static_cast<unsigned char>(quote) || cp == '\\') {
      out += '\\';
      out += static_cast<char>(cp);
    } else if (cp == '\n') {
      out += "\\n";
    } else if (cp == '\r') {
      out += "\\r";
    } else if (cp == '\t') {
      out += "\\t";
    } else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && !IsPrintableNonAscii(cp))) {
      const char* form = cp < 0x100 ? "\\x%02x" : cp < 0x10000 ? "\\u%04x" : "\\U%08x";
      std::snprintf(buf, sizeof buf, form, static_cast<unsigned>(cp));
      out += buf;
    } else {
      out.append(s.substr(start, i - start));
    }
  }
  out += quote;
  return out;
}

std::string ToRepr(Value v) {
  ReprContext ctx;
  std::string out;
  ReprInto(v, &ctx, &out);
  return out;
}

std::string ToStr(Value v) {
  if (IsType(v, ObjType::kStr)) return AsStr(v)->s;
  return ToRepr(v);
}

bool ReprOf(ThreadState& ts, Value v, std::string* out) {
  ReprContext ctx;
  ctx.ts = &ts;
  out->clear();
  return ReprInto(v, &ctx, out);
}

bool StrOf(ThreadState& ts, Value v, std::string* out) {
  if (IsType(v, ObjType::kStr)) {
    *out = AsStr(v)->s;
    return true;
  }
  if (IsInstanceObj(v)) return InstanceStr(ts, v, out);
  return ReprOf(ts, v, out);
}

// ---- Operators ----------------------------------------------------------------------------------

bool BinaryArith(ThreadState& ts, BinaryOp op, Value a, Value b, bool inplace, Value* out) {
  if (a.is_intlike() && b.is_intlike()) {
    return IsBitwise(op) ? IntBitwise(ts, op, a, b, out) : IntArith(ts, op, a.i, b.i, out);
  }
  if (IsInstanceObj(a) || IsInstanceObj(b)) return InstanceBinary(ts, op, a, b, inplace, out);
  if (IsAnySet(a) && IsAnySet(b) &&
      (op == BinaryOp::kBitOr || op == BinaryOp::kBitAnd || op == BinaryOp::kBitXor ||
       op == BinaryOp::kSub)) {
    return SetOperator(ts, op, a, b, inplace, out);
  }
  if (IsBitwise(op)) return Unsupported(ts, op, a, b, inplace);
  if (IsNumber(a) && IsNumber(b)) {
    if (op == BinaryOp::kPow && a.tag == Tag::kFloat && a.f < 0 && b.tag == Tag::kFloat &&
        b.f != std::floor(b.f)) {
      return ts.Raise("ValueError", "math domain error");
    }
    return FloatArith(ts, op, AsDouble(a), AsDouble(b), out);
  }
  if (op == BinaryOp::kAdd && IsSequence(a)) return Concat(ts, a, b, inplace, out);
  if (op == BinaryOp::kMul) {
    if (IsSequence(a) && b.is_intlike()) return Repeat(ts, a, b.i, inplace, out);
    if (IsSequence(b) && a.is_intlike()) return Repeat(ts, b, a.i, false, out);
    if (IsSequence(a) || IsSequence(b)) {
      return ts.Raise("TypeError", std::string("can't multiply sequence by non-int of type '") +
                                       TypeName(IsSequence(a) ? b : a) + "'");
    }
  }
  if (op == BinaryOp::kMod && IsType(a, ObjType::kStr)) return PercentOp(ts, a, b, out);
  return Unsupported(ts, op, a, b, inplace);
}

bool UnaryArith(ThreadState& ts, UnaryOp op, Value v, Value* out) {
  if (IsInstanceObj(v)) {
    if (op != UnaryOp::kNot) return InstanceUnary(ts, op, v, out);
    int truth = InstanceTruth(ts, v);
    if (truth < 0) return false;
    *out = Value::Bool(truth == 0);
    return true;
  }
  if (op == UnaryOp::kNot) {
    *out = Value::Bool(!IsTruthy(v));
    return true;
  }
  if (v.is_intlike()) {
    if (op == UnaryOp::kPos) {
      *out = Value::Int(v.i);
      return true;
    }
    if (op == UnaryOp::kInvert) {
      *out = Value::Int(~v.i);
      return true;
    }
    if (v.i == INT64_MIN) return Overflow(ts);
    *out = Value::Int(-v.i);
    return true;
  }
  if (v.is_float() && op != UnaryOp::kInvert) {
    *out = Value::Float(op == UnaryOp::kNeg ? -v.f : v.f);
    return true;
  }
  const char* symbol = op == UnaryOp::kNeg ? "-" : op == UnaryOp::kPos ? "+" : "~";
  return ts.Raise("TypeError",
                  std::string("bad operand type for unary ") + symbol + ": '" + TypeName(v) + "'");
}

bool ValuesEqual(ThreadState& ts, Value a, Value b, bool* equal) {
  return EqualValues(ts, a, b, equal);
}

bool CompareValues(ThreadState& ts, CompareOp op, Value a, Value b, bool* out) {
  switch (op) {
    case CompareOp::kEq:
      return ValuesEqual(ts, a, b, out);
    case CompareOp::kNe:
      if (IsInstanceObj(a) || IsInstanceObj(b)) return InstanceNotEqual(ts, a, b, out);
      if (!ValuesEqual(ts, a, b, out)) return false;
      *out = !*out;
      return true;
    case CompareOp::kIs:
      *out = Identical(a, b);
      return true;
    case CompareOp::kIsNot:
      *out = !Identical(a, b);
      return true;
    case CompareOp::kIn:
    case CompareOp::kNotIn: {
      bool found = false;
      if (!Contains(ts, b, a, &found)) return false;
      *out = op == CompareOp::kIn ? found : !found;
      return true;
    }
    default:
      break;
  }
  int cmp = 0;
  if (IsNumber(a) && IsNumber(b)) {
    if (a.tag != Tag::kFloat && b.tag != Tag::kFloat) {
      cmp = a.i < b.i ? -1 : (a.i > b.i ? 1 : 0);
    } else {
      if (!CompareMixed(a, b, &cmp)) {  // NaN: every ordering is false
        *out = false;
        return true;
      }
    }
  } else if ((IsType(a, ObjType::kStr) && IsType(b, ObjType::kStr)) ||
             (IsType(a, ObjType::kBytes) && IsType(b, ObjType::kBytes))) {
    cmp = AsText(a)->s.compare(AsText(b)->s);
  } else if ((IsType(a, ObjType::kList) && IsType(b, ObjType::kList)) ||
             (IsType(a, ObjType::kTuple) && IsType(b, ObjType::kTuple))) {
    if (!CompareSequences(ts, a, b, &cmp)) return false;
  } else if (IsAnySet(a) && IsAnySet(b)) {
    return SetOrder(ts, op, AsSet(a), AsSet(b), out);
  } else if (IsInstanceObj(a) || IsInstanceObj(b)) {
    return InstanceOrder(ts, op, a, b, out);
  } else {
    return ts.Raise("TypeError", std::string("'") + kCompareSymbols[static_cast<int>(op)] +
                                     "' not supported between instances of '" + TypeName(a) +
                                     "' and '" + TypeName(b) + "'");
  }
  *out = OrderResult(op, cmp);
  return true;
}

// ---- Subscripts, iteration, unpacking, formatting -----------------------------------------------

bool GetItem(ThreadState& ts, Value c, Value index, Value* out) {
  if (!c.is_obj()) {
    return ts.Raise("TypeError", std::string("'") + TypeName(c) + "' object is not subscriptable");
  }
  if (IsType(index, ObjType::kSlice) && c.o->type != ObjType::kDict) {
    return GetSliceItems(ts, c, static_cast<SliceObj*>(index.o), out);
  }
  int64_t i;
  switch (c.o->type) {
    case ObjType::kList:
    case ObjType::kTuple: {
      auto& items = AsSeq(c)->items;
      const IndexWords& words = c.o->type == ObjType::kList ? kListIndex : kTupleIndex;
      if (!CheckIndex(ts, index, static_cast<int64_t>(items.size()), words, &i)) return false;
      *out = items[i];
      Incref(*out);
      return true;
    }
    case ObjType::kStr: {
      StrObj* str = AsStr(c);
      if (!CheckIndex(ts, index, static_cast<int64_t>(str->Length()), kStrIndex, &i)) return false;
      *out = CodePointAt(str, str->ByteOffset(i));
      return true;
    }
    case ObjType::kBytes:
      if (!CheckIndex(ts, index, static_cast<int64_t>(AsBytes(c)->s.size()), kBytesIndex, &i)) {
        return false;
      }
      *out = Value::Int(static_cast<unsigned char>(AsBytes(c)->s[i]));
      return true;
    case ObjType::kRange:
      return RangeItem(ts, *static_cast<RangeObj*>(c.o), index, out);
    case ObjType::kDict: {
      if (!DictGet(ts, AsDict(c), index, out)) return false;
      if (out->is_undefined()) return RaiseKeyError(ts, index);
      Incref(*out);
      return true;
    }
    case ObjType::kInstance:
      return InstanceGetItem(ts, c, index, out);
    default:
      return ts.Raise("TypeError",
                      std::string("'") + TypeName(c) + "' object is not subscriptable");
  }
}

bool SetItem(ThreadState& ts, Value c, Value index, Value value) {
  if (IsType(c, ObjType::kDict)) return DictSet(ts, AsDict(c), index, value);
  if (IsInstanceObj(c)) return InstanceSetItem(ts, c, index, value);
  if (!IsType(c, ObjType::kList)) {
    if (IsSequence(c) || IsType(c, ObjType::kRange)) {
      return ts.Raise("TypeError",
                      std::string("'") + TypeName(c) + "' object does not support item assignment");
    }
    return ts.Raise("TypeError",
                    std::string("'") + TypeName(c) + "' object does not support item assignment");
  }
  auto& items = AsSeq(c)->items;
  if (!index.is_intlike()) {
    if (IsType(index, ObjType::kSlice)) {
      return SetSliceItems(ts, c, static_cast<SliceObj*>(index.o), value);
    }
    return ts.Raise("TypeError",
                    std::string("list indices must be integers or slices, not ") + TypeName(index));
  }
  int64_t i = index.i < 0 ? index.i + static_cast<int64_t>(items.size()) : index.i;
  if (i < 0 || i >= static_cast<int64_t>(items.size())) {
    return ts.Raise("IndexError", "list assignment index out of range");
  }
  Incref(value);
  Value old = items[i];
  items[i] = value;
  Decref(old);
  return true;
}

bool DelItem(ThreadState& ts, Value c, Value index) {
  if (IsInstanceObj(c)) return InstanceDelItem(ts, c, index);
  if (IsType(c, ObjType::kDict)) {
    Value old;
    if (!DictPop(ts, AsDict(c), index, &old)) return false;
    if (old.is_undefined()) return RaiseKeyError(ts, index);
    Decref(old);
    return true;
  }
  if (IsType(c, ObjType::kList)) {
    auto& items = AsSeq(c)->items;
    if (!index.is_intlike()) {
      if (IsType(index, ObjType::kSlice)) {
        return DelSliceItems(ts, c, static_cast<SliceObj*>(index.o));
      }
      return ts.Raise("TypeError", std::string("list indices must be integers or slices, not ") +
                                       TypeName(index));
    }
    int64_t i = index.i < 0 ? index.i + static_cast<int64_t>(items.size()) : index.i;
    if (i < 0 || i >= static_cast<int64_t>(items.size())) {
      return ts.Raise("IndexError", "list assignment index out of range");
    }
    Value old = items[i];
    items.erase(items.begin() + i);
    Decref(old);
    return true;
  }
  // CPython words it two ways: "doesn't" for a sequence (or set, or view) given an int index,
  // "does not" for everything else.
  const bool sequence_like =
      IsSequence(c) || IsType(c, ObjType::kRange) || IsAnySet(c) || IsType(c, ObjType::kDictView);
  return ts.Raise("TypeError", std::string("'") + TypeName(c) + "' object " +
                                   (sequence_like && index.is_intlike() ? "doesn't" : "does not") +
                                   " support item deletion");
}

bool RaiseKeyErrorText(ThreadState& ts, const char* text) {
  Value arg = MakeStr(text);
  RaiseWithArg(ts, "KeyError", arg);
  Decref(arg);
  return false;
}

bool RaiseKeyError(ThreadState& ts, Value key) { return RaiseWithArg(ts, "KeyError", key); }

bool GetSlice(ThreadState& ts, Value c, Value lower, Value upper, Value* out) {
  if (IsType(c, ObjType::kRange)) {  // a range again: through a slice object
    Incref(lower);
    Incref(upper);
    Value slice = MakeSlice(lower, upper, Value::None());
    bool ok = GetSliceItems(ts, c, static_cast<SliceObj*>(slice.o), out);
    Decref(slice);
    return ok;
  }
  int64_t size = LengthOf(c);
  if (!IsSequence(c)) {
    return ts.Raise("TypeError", std::string("'") + TypeName(c) + "' object is not subscriptable");
  }
  int64_t lo, hi;
  if (!SliceBound(ts, lower, size, 0, &lo) || !SliceBound(ts, upper, size, size, &hi)) {
    return false;
  }
  if (hi < lo) hi = lo;
  if (IsType(c, ObjType::kStr)) {
    StrObj* str = AsStr(c);
    size_t from = str->ByteOffset(lo), to = str->ByteOffset(hi);
    *out = MakeStr(str->s.substr(from, to - from));
    return true;
  }
  if (IsType(c, ObjType::kBytes)) {
    std::string part = AsText(c)->s.substr(lo, hi - lo);
    *out = c.o->type == ObjType::kStr ? MakeStr(std::move(part)) : MakeBytes(std::move(part));
    return true;
  }
  const auto& items = AsSeq(c)->items;
  std::vector<Value> part(items.begin() + lo, items.begin() + hi);
  for (Value v : part) Incref(v);
  *out = c.o->type == ObjType::kList ? MakeList(std::move(part)) : MakeTuple(std::move(part));
  return true;
}

bool GetIter(ThreadState& ts, Value v, Value* out) {
  if (v.is_obj()) {
    switch (v.o->type) {
      case ObjType::kList:
      case ObjType::kTuple:
      case ObjType::kStr:
      case ObjType::kBytes:
        *out = Value::Object(new SeqIterObj(v.o));
        return true;
      case ObjType::kRange: {
        *out = Value::Object(new RangeIterObj(*static_cast<RangeObj*>(v.o)));
        return true;
      }
      case ObjType::kDict:
        *out = Value::Object(new DictIterObj(AsDict(v), DictViewKind::kKeys));
        return true;
      case ObjType::kDictView: {
        auto* view = static_cast<DictViewObj*>(v.o);
        *out = Value::Object(new DictIterObj(view->dict, view->kind));
        return true;
      }
      case ObjType::kSet:
      case ObjType::kFrozenSet:
        *out = Value::Object(new SetIterObj(AsSet(v)));
        return true;
      case ObjType::kRangeIter:
      case ObjType::kSeqIter:
      case ObjType::kGenerator:
      case ObjType::kDictIter:
      case ObjType::kSetIter:
      case ObjType::kBuiltinIter:
        Incref(v);
        *out = v;
        return true;
      case ObjType::kInstance:
        return InstanceIter(ts, v, out);
      default:
        break;
    }
  }
  return ts.Raise("TypeError", std::string("'") + TypeName(v) + "' object is not iterable");
}

bool IsIterator(Value v) {
  if (IsInstanceObj(v)) return !AsInstance(v)->cls->Lookup("__next__").is_undefined();
  return IsType(v, ObjType::kGenerator) || IsType(v, ObjType::kRangeIter) ||
         IsType(v, ObjType::kSeqIter) || IsType(v, ObjType::kDictIter) ||
         IsType(v, ObjType::kSetIter) || IsType(v, ObjType::kBuiltinIter);
}

Interpreter::IterResult IterNext(ThreadState& ts, Value iter, Value* item) {
  using R = Interpreter::IterResult;
  switch (iter.o->type) {
    case ObjType::kRangeIter: {
      auto* r = static_cast<RangeIterObj*>(iter.o);
      if (r->remaining == 0) return R::kDone;
      *item = Value::Int(r->Take());
      return R::kItem;
    }
    case ObjType::kSeqIter: {
      auto* it = static_cast<SeqIterObj*>(iter.o);
      Value seq = Value::Object(it->seq);
      if (it->seq->type == ObjType::kStr) {
        // A str iterator's index is a byte offset: it steps one code point at a time.
        const std::string& s = AsStr(seq)->s;
        if (it->index >= s.size()) return R::kDone;
        *item = CodePointAt(AsStr(seq), it->index);
        it->index += AsStr(*item)->s.size();
        return R::kItem;
      }
      if (static_cast<int64_t>(it->index) >= LengthOf(seq)) return R::kDone;
      size_t i = it->index++;
      switch (it->seq->type) {
        case ObjType::kBytes:
          *item = Value::Int(static_cast<unsigned char>(AsBytes(seq)->s[i]));
          break;
        default:
          *item = AsSeq(seq)->items[i];
          Incref(*item);
      }
      return R::kItem;
    }
    case ObjType::kGenerator:
      return ts.interp->ResumeGenerator(ts, static_cast<GeneratorObj*>(iter.o), item);
    case ObjType::kInstance:
      return InstanceNext(ts, iter, item);
    case ObjType::kDictIter:
      switch (DictIterNext(ts, static_cast<DictIterObj*>(iter.o), item)) {
        case DictIterStep::kItem:
          return R::kItem;
        case DictIterStep::kDone:
          return R::kDone;
        case DictIterStep::kError:
          return R::kError;
      }
      return R::kError;
    case ObjType::kSetIter:
      switch (SetIterNext(ts, static_cast<SetIterObj*>(iter.o), item)) {
        case SetIterStep::kItem:
          return R::kItem;
        case SetIterStep::kDone:
          return R::kDone;
        case SetIterStep::kError:
          return R::kError;
      }
      return R::kError;
    case ObjType::kBuiltinIter:
      return BuiltinIterNext(ts, static_cast<BuiltinIterObj*>(iter.o), item);
    default:
      ts.Raise("TypeError", std::string("'") + TypeName(iter) + "' object is not an iterator");
      return R::kError;
  }
}

bool CollectIterable(ThreadState& ts, Value v, std::vector<Value>* out) {
  if (IsType(v, ObjType::kList) || IsType(v, ObjType::kTuple)) {
    *out = AsSeq(v)->items;
    for (Value x : *out) Incref(x);
    return true;
  }
  Value it;
  if (!GetIter(ts, v, &it)) return false;
  for (;;) {
    Value item;
    Interpreter::IterResult r = IterNext(ts, it, &item);
    if (r == Interpreter::IterResult::kDone) break;
    if (r == Interpreter::IterResult::kError) {
      Decref(it);
      for (Value x : *out) Decref(x);
      out->clear();
      return false;
    }
    out->push_back(item);
  }
  Decref(it);
  return true;
}

bool UnpackSequence(ThreadState& ts, Value v, int n, Value* out) {
  if (!v.is_obj() || v.o->type == ObjType::kFunction || v.o->type == ObjType::kModule) {
    return ts.Raise("TypeError",
                    std::string("cannot unpack non-iterable ") + TypeName(v) + " object");
  }
  std::vector<Value> items;
  Value it;
  if (!GetIter(ts, v, &it)) {
    ts.ClearError();
    return ts.Raise("TypeError",
                    std::string("cannot unpack non-iterable ") + TypeName(v) + " object");
  }
  bool ok = true;
  for (;;) {
    Value item;
    Interpreter::IterResult r = IterNext(ts, it, &item);
    if (r == Interpreter::IterResult::kDone) break;
    if (r == Interpreter::IterResult::kError) {
      ok = false;
      break;
    }
    items.push_back(item);
    if (static_cast<int>(items.size()) > n) {
      ok = ts.Raise("ValueError", "too many values to unpack (expected " + std::to_string(n) + ")");
      break;
    }
  }
  Decref(it);
  if (ok && static_cast<int>(items.size()) < n) {
    ok = ts.Raise("ValueError", "not enough values to unpack (expected " + std::to_string(n) +
                                    ", got " + std::to_string(items.size()) + ")");
  }
  if (!ok) {
    for (Value x : items) Decref(x);
    return false;
  }
  std::copy(items.begin(), items.end(), out);
  return true;
}

bool FormatValue(ThreadState& ts, Value v, std::string_view spec_text, Value* out) {
  if (spec_text.empty()) {
    // str(v) one call deeper (PyObject_Format), a level CPython counts against the limit too.
    NestingGuard guard(&ts);
    std::string text;
    if (!StrOf(ts, v, &text)) return false;
    *out = MakeStr(std::move(text));
    return true;
  }
  std::string text, error;
  bool ok;
  if (v.is_intlike()) {
    ok = FormatIntWithSpec(v.i, spec_text, &text, &error);
  } else if (v.is_float()) {
    ok = FormatFloatWithSpec(v.f, spec_text, &text, &error);
  } else if (IsType(v, ObjType::kStr)) {
    ok = FormatStrWithSpec(AsStr(v)->s, spec_text, &text, &error);
  } else {
    return ts.Raise("TypeError", std::string("unsupported format string passed to ") + TypeName(v) +
                                     ".__format__");
  }
  if (!ok) return ts.Raise("ValueError", error);
  *out = MakeStr(std::move(text));
  return true;
}

}  // namespace gilbench::vm
