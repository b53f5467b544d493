// The dunder protocols of user classes (see dunders.h): which method each operator tries, in
// CPython's order, and what a missing one or NotImplemented leads to.
#include "vm/dunders.h"

#include "vm/class.h"
#include "vm/hash.h"
#include "vm/runtime.h"

namespace gilbench::vm {

namespace {

struct BinaryNames {
  const char* op;
  const char* reflected;
  const char* inplace;
  const char* symbol;
};

// Indexed by BinaryOp.
const BinaryNames kBinaryNames[] = {
    {"__add__", "__radd__", "__iadd__", "+"},
    {"__sub__", "__rsub__", "__isub__", "-"},
    {"__mul__", "__rmul__", "__imul__", "*"},
    {"__truediv__", "__rtruediv__", "__itruediv__", "/"},
    {"__floordiv__", "__rfloordiv__", "__ifloordiv__", "//"},
    {"__mod__", "__rmod__", "__imod__", "%"},
    {"__pow__", "__rpow__", "__ipow__", "** or pow()"},
    {"__or__", "__ror__", "__ior__", "|"},
    {"__xor__", "__rxor__", "__ixor__", "^"},
    {"__and__", "__rand__", "__iand__", "&"},
    {"__lshift__", "__rlshift__", "__ilshift__", "<<"},
    {"__rshift__", "__rrshift__", "__irshift__", ">>"},
};

// The class attribute `name` of an instance's class (borrowed), or undefined; for anything that
// is not an instance, undefined.
Value ClassAttr(Value self, const char* name) {
  if (!IsInstanceObj(self)) return Value::Undefined();
  return AsInstance(self)->cls->Lookup(name);
}

// Calls dunder `name` on self if its class defines it. *result is NotImplemented when it does not
// (so callers treat "missing" and "declined" alike, as CPython's slots do).
bool TryDunder(ThreadState& ts, Value self, const char* name, Value arg, Value* result) {
  bool found = false;
  if (!CallDunder(ts, self, name, &arg, 1, result, &found)) return false;
  if (!found) *result = NotImplemented();
  return true;
}

bool TypeIsSame(Value a, Value b) {
  return IsInstanceObj(a) && IsInstanceObj(b) && AsInstance(a)->cls == AsInstance(b)->cls;
}

// a <op> b by __op__ then b's __rop__ (only when b's type differs, as in CPython). *out is
// NotImplemented when neither gave an answer.
bool BinaryDunders(ThreadState& ts, const BinaryNames& names, Value a, Value b, Value* out) {
  if (!TryDunder(ts, a, names.op, b, out)) return false;
  if (!IsNotImplemented(*out) || TypeIsSame(a, b)) return true;
  return TryDunder(ts, b, names.reflected, a, out);
}

// The comparison `op` reflected: a < b is b > a.
CompareOp Reflected(CompareOp op) {
  switch (op) {
    case CompareOp::kLt:
      return CompareOp::kGt;
    case CompareOp::kLe:
      return CompareOp::kGe;
    case CompareOp::kGt:
      return CompareOp::kLt;
    case CompareOp::kGe:
      return CompareOp::kLe;
    default:
      return op;
  }
}

const char* CompareDunder(CompareOp op) {
  switch (op) {
    case CompareOp::kLt:
      return "__lt__";
    case CompareOp::kLe:
      return "__le__";
    case CompareOp::kGt:
      return "__gt__";
    case CompareOp::kGe:
      return "__ge__";
    case CompareOp::kEq:
      return "__eq__";
    default:
      return "__ne__";
  }
}

const char* CompareSymbol(CompareOp op) {
  switch (op) {
    case CompareOp::kLt:
      return "<";
    case CompareOp::kLe:
      return "<=";
    case CompareOp::kGt:
      return ">";
    default:
      return ">=";
  }
}

// The truth of a dunder's result (consumed).
bool TruthOfResult(ThreadState& ts, Value v, bool* out) {
  int t = IsInstanceObj(v) ? InstanceTruth(ts, v) : (IsTruthy(v) ? 1 : 0);
  Decref(v);
  if (t < 0) return false;
  *out = t != 0;
  return true;
}

// a <op> b through a's __op__ then b's reflected one; *answered false when both declined.
bool RichCompare(ThreadState& ts, CompareOp op, Value a, Value b, bool* out, bool* answered) {
  *answered = false;
  Value r;
  if (!TryDunder(ts, a, CompareDunder(op), b, &r)) return false;
  if (IsNotImplemented(r)) {
    if (!TryDunder(ts, b, CompareDunder(Reflected(op)), a, &r)) return false;
    if (IsNotImplemented(r)) return true;
  }
  *answered = true;
  return TruthOfResult(ts, r, out);
}

}  // namespace

bool CallDunder(ThreadState& ts, Value self, const char* name, const Value* args, int nargs,
                Value* out, bool* found) {
  Value attr = ClassAttr(self, name);
  *found = !attr.is_undefined() && !attr.is_none();
  if (!*found) return true;
  if (IsType(attr, ObjType::kStaticMethod)) {
    return ts.interp->Call(ts, static_cast<WrapperObj*>(attr.o)->fget, args, nargs, nullptr, out);
  }
  return CallWithSelf(ts, attr, self, args, nargs, nullptr, out);
}

bool InstanceBinary(ThreadState& ts, BinaryOp op, Value a, Value b, bool inplace, Value* out) {
  const BinaryNames& names = kBinaryNames[static_cast<int>(op)];
  if (inplace) {
    if (!TryDunder(ts, a, names.inplace, b, out)) return false;
    if (!IsNotImplemented(*out)) return true;
  }
  if (!BinaryDunders(ts, names, a, b, out)) return false;
  if (!IsNotImplemented(*out)) return true;
  return ts.Raise("TypeError", std::string("unsupported operand type(s) for ") + names.symbol +
                                   (inplace ? "=" : "") + ": '" + TypeName(a) + "' and '" +
                                   TypeName(b) + "'");
}

bool InstanceUnary(ThreadState& ts, UnaryOp op, Value v, Value* out) {
  const char* name = op == UnaryOp::kNeg   ? "__neg__"
                     : op == UnaryOp::kPos ? "__pos__"
                                           : "__invert__";
  bool found = false;
  if (!CallDunder(ts, v, name, nullptr, 0, out, &found)) return false;
  if (found) return true;
  const char* symbol = op == UnaryOp::kNeg ? "-" : op == UnaryOp::kPos ? "+" : "~";
  return ts.Raise("TypeError",
                  std::string("bad operand type for unary ") + symbol + ": '" + TypeName(v) + "'");
}

bool InstanceEqual(ThreadState& ts, Value a, Value b, bool* equal) {
  bool answered = false;
  if (!RichCompare(ts, CompareOp::kEq, a, b, equal, &answered)) return false;
  if (!answered) *equal = a.tag == b.tag && a.tag == Tag::kObj && a.o == b.o;
  return true;
}

bool InstanceNotEqual(ThreadState& ts, Value a, Value b, bool* out) {
  bool answered = false;
  if (!ClassAttr(a, "__ne__").is_undefined() || !ClassAttr(b, "__ne__").is_undefined()) {
    if (!RichCompare(ts, CompareOp::kNe, a, b, out, &answered)) return false;
    if (answered) return true;
  }
  if (!InstanceEqual(ts, a, b, out)) return false;
  *out = !*out;
  return true;
}

bool InstanceOrder(ThreadState& ts, CompareOp op, Value a, Value b, bool* out) {
  bool answered = false;
  if (!RichCompare(ts, op, a, b, out, &answered)) return false;
  if (answered) return true;
  return ts.Raise("TypeError", std::string("'") + CompareSymbol(op) +
                                   "' not supported between instances of '" + TypeName(a) +
                                   "' and '" + TypeName(b) + "'");
}

int InstanceTruth(ThreadState& ts, Value v) {
  Value r;
  bool found = false;
  if (!CallDunder(ts, v, "__bool__", nullptr, 0, &r, &found)) return -1;
  if (found) {
    if (!r.is_bool()) {
      std::string type = TypeName(r);
      Decref(r);
      ts.Raise("TypeError", "__bool__ should return bool, returned " + type);
      return -1;
    }
    return r.i != 0 ? 1 : 0;
  }
  if (ClassAttr(v, "__len__").is_undefined()) return 1;
  int64_t n;
  if (!InstanceLen(ts, v, &n)) return -1;
  return n != 0 ? 1 : 0;
}

bool InstanceLen(ThreadState& ts, Value v, int64_t* out) {
  Value r;
  bool found = false;
  if (!CallDunder(ts, v, "__len__", nullptr, 0, &r, &found)) return false;
  if (!found) {
    return ts.Raise("TypeError", std::string("object of type '") + TypeName(v) + "' has no len()");
  }
  if (!r.is_intlike()) {
    std::string type = TypeName(r);
    Decref(r);
    return ts.Raise("TypeError", "'" + type + "' object cannot be interpreted as an integer");
  }
  if (r.i < 0) return ts.Raise("ValueError", "__len__() should return >= 0");
  *out = r.i;
  return true;
}

bool InstanceHash(ThreadState& ts, Value v, int64_t* out) {
  ClassObj* cls = AsInstance(v)->cls;
  // A class body that defines __eq__ without __hash__ got __hash__ = None (BuildClass).
  Value hash = cls->Lookup("__hash__");
  if (hash.is_none()) {
    return ts.Raise("TypeError", std::string("unhashable type: '") + cls->name + "'");
  }
  if (hash.is_undefined()) {
    *out = HashAddress(v.o);
    return true;
  }
  Value r;
  bool found = false;
  if (!CallDunder(ts, v, "__hash__", nullptr, 0, &r, &found)) return false;
  if (!r.is_intlike()) {
    Decref(r);
    return ts.Raise("TypeError", "__hash__ method should return an integer");
  }
  // Used as it is (every int64 is a valid hash), but -1, CPython's error marker, becomes -2.
  *out = r.i == -1 ? -2 : r.i;
  return true;
}

// The text of a __repr__ or __str__ call's result `r` (consumed), or CPython's TypeError naming
// `dunder` when it is no str.
static bool TextOfResult(ThreadState& ts, Value r, const char* dunder, std::string* out) {
  if (!IsType(r, ObjType::kStr)) {
    std::string type = TypeName(r);
    Decref(r);
    return ts.Raise("TypeError", std::string(dunder) + " returned non-string (type " + type + ")");
  }
  *out = AsStr(r)->s;
  Decref(r);
  return true;
}

bool InstanceRepr(ThreadState& ts, Value v, std::string* out) {
  Value r;
  bool found = false;
  if (!CallDunder(ts, v, "__repr__", nullptr, 0, &r, &found)) return false;
  if (!found) {
    *out = DefaultInstanceRepr(v);
    return true;
  }
  return TextOfResult(ts, r, "__repr__", out);
}

bool InstanceStr(ThreadState& ts, Value v, std::string* out) {
  Value r;
  bool found = false;
  if (!CallDunder(ts, v, "__str__", nullptr, 0, &r, &found)) return false;
  if (!found) {
    // object.__str__ is repr(), but a bad result is reported as __str__'s, as CPython does.
    if (!CallDunder(ts, v, "__repr__", nullptr, 0, &r, &found)) return false;
    if (!found) {
      *out = DefaultInstanceRepr(v);
      return true;
    }
  }
  return TextOfResult(ts, r, "__str__", out);
}

bool InstanceContains(ThreadState& ts, Value container, Value item, bool* out) {
  Value r;
  bool found = false;
  if (!CallDunder(ts, container, "__contains__", &item, 1, &r, &found)) return false;
  if (found) return TruthOfResult(ts, r, out);
  if (ClassAttr(container, "__iter__").is_undefined()) {
    return ts.Raise("TypeError",
                    std::string("argument of type '") + TypeName(container) + "' is not iterable");
  }
  Value it;
  if (!GetIter(ts, container, &it)) return false;
  *out = false;
  for (;;) {
    Value x;
    Interpreter::IterResult step = IterNext(ts, it, &x);
    if (step == Interpreter::IterResult::kError) {
      Decref(it);
      return false;
    }
    if (step == Interpreter::IterResult::kDone) break;
    bool equal = false;
    bool ok = ValuesEqual(ts, x, item, &equal);
    Decref(x);
    if (!ok || equal) {
      *out = equal;
      Decref(it);
      return ok;
    }
  }
  Decref(it);
  return true;
}

bool InstanceGetItem(ThreadState& ts, Value c, Value index, Value* out) {
  bool found = false;
  if (!CallDunder(ts, c, "__getitem__", &index, 1, out, &found)) return false;
  if (found) return true;
  return ts.Raise("TypeError", std::string("'") + TypeName(c) + "' object is not subscriptable");
}

bool InstanceSetItem(ThreadState& ts, Value c, Value index, Value value) {
  Value args[2] = {index, value}, r;
  bool found = false;
  if (!CallDunder(ts, c, "__setitem__", args, 2, &r, &found)) return false;
  if (!found) {
    return ts.Raise("TypeError",
                    std::string("'") + TypeName(c) + "' object does not support item assignment");
  }
  Decref(r);
  return true;
}

bool InstanceDelItem(ThreadState& ts, Value c, Value index) {
  Value r;
  bool found = false;
  if (!CallDunder(ts, c, "__delitem__", &index, 1, &r, &found)) return false;
  if (!found) {
    return ts.Raise("TypeError",
                    std::string("'") + TypeName(c) + "' object does not support item deletion");
  }
  Decref(r);
  return true;
}

bool InstanceIter(ThreadState& ts, Value v, Value* out) {
  bool found = false;
  if (!CallDunder(ts, v, "__iter__", nullptr, 0, out, &found)) return false;
  if (!found) {
    return ts.Raise("TypeError", std::string("'") + TypeName(v) + "' object is not iterable");
  }
  if (!IsIterator(*out)) {
    std::string type = TypeName(*out);
    Decref(*out);
    return ts.Raise("TypeError", "iter() returned non-iterator of type '" + type + "'");
  }
  return true;
}

Interpreter::IterResult InstanceNext(ThreadState& ts, Value v, Value* item) {
  bool found = false;
  if (!CallDunder(ts, v, "__next__", nullptr, 0, item, &found)) {
    if (ts.error_type == "StopIteration") {
      ts.ClearError();
      return Interpreter::IterResult::kDone;
    }
    return Interpreter::IterResult::kError;
  }
  if (!found) {
    ts.Raise("TypeError", std::string("'") + TypeName(v) + "' object is not an iterator");
    return Interpreter::IterResult::kError;
  }
  return Interpreter::IterResult::kItem;
}

}  // namespace gilbench::vm
