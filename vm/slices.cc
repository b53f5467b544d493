// Slices with steps, and slice assignment and deletion (see slices.h).
#include "vm/slices.h"

#include <algorithm>
#include <string>

#include "vm/args.h"
#include "vm/runtime.h"

namespace gilbench::vm {
namespace {

// A slice resolved against a length: its first index, its bound, its step and how many items
// it selects.
struct Span {
  int64_t start, stop, step, count;
  int64_t at(int64_t k) const { return start + k * step; }
};

bool BoundOf(ThreadState& ts, Value v, int64_t missing, int64_t* out) {
  if (v.is_none()) {
    *out = missing;
    return true;
  }
  if (!v.is_intlike()) {
    return ts.Raise("TypeError",
                    "slice indices must be integers or None or have an __index__ method");
  }
  *out = v.i;
  return true;
}

// PySlice_Unpack then PySlice_AdjustIndices: the indices a slice selects from `length` items.
bool Resolve(ThreadState& ts, const SliceObj* s, int64_t length, Span* span) {
  int64_t step = 1;
  if (!BoundOf(ts, s->step, 1, &step)) return false;
  if (step == 0) return ts.Raise("ValueError", "slice step cannot be zero");
  if (step < -INT64_MAX) step = -INT64_MAX;
  int64_t start, stop;
  if (!BoundOf(ts, s->start, step < 0 ? INT64_MAX : 0, &start) ||
      !BoundOf(ts, s->stop, step < 0 ? INT64_MIN : INT64_MAX, &stop)) {
    return false;
  }
  auto adjust = [&](int64_t* i) {
    if (*i < 0) {
      *i = *i < -length ? (step < 0 ? -1 : 0) : *i + length;
    } else if (*i >= length) {
      *i = step < 0 ? length - 1 : length;
    }
  };
  adjust(&start);
  adjust(&stop);
  int64_t count = 0;
  if (step < 0) {
    if (stop < start) count = (start - stop - 1) / (-step) + 1;
  } else if (start < stop) {
    count = (stop - start - 1) / step + 1;
  }
  *span = Span{start, stop, step, count};
  return true;
}

// range(...)[slice]: a range again, its bounds computed as CPython's compute_slice does.
bool SliceRange(ThreadState& ts, const RangeObj& r, const Span& span, Value* out) {
  __int128 start = static_cast<__int128>(r.start) + static_cast<__int128>(span.start) * r.step;
  __int128 stop = static_cast<__int128>(r.start) + static_cast<__int128>(span.stop) * r.step;
  __int128 step = static_cast<__int128>(r.step) * span.step;
  for (__int128 v : {start, stop, step}) {
    if (v > INT64_MAX || v < INT64_MIN) return ts.Raise("OverflowError", "integer overflow");
  }
  *out = Value::Object(new RangeObj(static_cast<int64_t>(start), static_cast<int64_t>(stop),
                                    static_cast<int64_t>(step)));
  return true;
}

}  // namespace

Value MakeSlice(Value start, Value stop, Value step) {
  return Value::Object(new SliceObj(start, stop, step));
}

bool GetSliceItems(ThreadState& ts, Value c, SliceObj* slice, Value* out) {
  if (IsType(c, ObjType::kRange)) {
    auto* r = static_cast<RangeObj*>(c.o);
    Span span;
    return Resolve(ts, slice, r->Length(), &span) && SliceRange(ts, *r, span, out);
  }
  if (!IsType(c, ObjType::kList) && !IsType(c, ObjType::kTuple) && !IsType(c, ObjType::kStr) &&
      !IsType(c, ObjType::kBytes)) {
    if (IsType(c, ObjType::kDict)) return ts.Raise("TypeError", "unhashable type: 'slice'");
    return ts.Raise("TypeError", std::string("'") + TypeName(c) + "' object is not subscriptable");
  }
  Span span;
  if (!Resolve(ts, slice, LengthOf(c), &span)) return false;
  if (IsType(c, ObjType::kStr)) {
    const StrObj* s = AsStr(c);
    std::string part;
    for (int64_t k = 0; k < span.count; ++k) {
      size_t from = s->ByteOffset(span.at(k));
      size_t to = s->ascii ? from + 1 : s->ByteOffset(span.at(k) + 1);
      part.append(s->s, from, to - from);
    }
    *out = MakeStr(std::move(part));
    return true;
  }
  if (IsType(c, ObjType::kBytes)) {
    std::string part;
    for (int64_t k = 0; k < span.count; ++k) part += AsBytes(c)->s[span.at(k)];
    *out = MakeBytes(std::move(part));
    return true;
  }
  const auto& items = AsSeq(c)->items;
  std::vector<Value> part;
  part.reserve(span.count);
  for (int64_t k = 0; k < span.count; ++k) {
    part.push_back(items[span.at(k)]);
    Incref(part.back());
  }
  *out = IsType(c, ObjType::kList) ? MakeList(std::move(part)) : MakeTuple(std::move(part));
  return true;
}

bool SetSliceItems(ThreadState& ts, Value c, SliceObj* slice, Value value) {
  if (!IsType(c, ObjType::kList)) {
    return ts.Raise("TypeError",
                    std::string("'") + TypeName(c) + "' object does not support item assignment");
  }
  auto& items = AsSeq(c)->items;
  Span span;
  if (!Resolve(ts, slice, static_cast<int64_t>(items.size()), &span)) return false;
  std::vector<Value> values;
  if (!CollectIterable(ts, value, &values)) {
    if (ts.error_type == "TypeError") {
      ts.ClearError();
      return ts.Raise("TypeError", span.step == 1 ? "can only assign an iterable"
                                                  : "must assign iterable to extended slice");
    }
    return false;
  }
  if (span.step == 1) {  // replace items[start:max(start, stop)] by the values
    int64_t stop = std::max(span.start, span.stop);
    std::vector<Value> old(items.begin() + span.start, items.begin() + stop);
    items.erase(items.begin() + span.start, items.begin() + stop);
    items.insert(items.begin() + span.start, values.begin(), values.end());
    for (Value v : old) Decref(v);
    return true;
  }
  if (static_cast<int64_t>(values.size()) != span.count) {
    int64_t given = static_cast<int64_t>(values.size());
    for (Value v : values) Decref(v);
    return ts.Raise("ValueError", "attempt to assign sequence of size " + std::to_string(given) +
                                      " to extended slice of size " + std::to_string(span.count));
  }
  for (int64_t k = 0; k < span.count; ++k) {
    Value old = items[span.at(k)];
    items[span.at(k)] = values[k];
    Decref(old);
  }
  return true;
}

bool DelSliceItems(ThreadState& ts, Value c, SliceObj* slice) {
  if (!IsType(c, ObjType::kList)) {
    return ts.Raise("TypeError",
                    std::string("'") + TypeName(c) + "' object does not support item deletion");
  }
  auto& items = AsSeq(c)->items;
  Span span;
  if (!Resolve(ts, slice, static_cast<int64_t>(items.size()), &span)) return false;
  std::vector<bool> doomed(items.size(), false);
  for (int64_t k = 0; k < span.count; ++k) doomed[span.at(k)] = true;
  std::vector<Value> kept, gone;
  for (size_t i = 0; i < items.size(); ++i) (doomed[i] ? gone : kept).push_back(items[i]);
  items = std::move(kept);
  for (Value v : gone) Decref(v);
  return true;
}

}  // namespace gilbench::vm

namespace gilbench::vm {

bool SliceBuiltin(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!Arity(ts, call, "slice", 1, 3)) return false;
  Value parts[3] = {Value::None(), Value::None(), Value::None()};
  if (call.nargs == 1) {
    parts[1] = call.args[0];
  } else {
    for (int i = 0; i < call.nargs; ++i) parts[i] = call.args[i];
  }
  for (Value v : parts) Incref(v);
  *result = MakeSlice(parts[0], parts[1], parts[2]);
  return true;
}

}  // namespace gilbench::vm
