// The interpreter loop and the machinery around it: frames, calls, generators, errors.
//
// Dispatch follows Lua's lvm.c: the loop is written once with vmdispatch / vmcase / vmbreak,
// which become computed gotos under GCC and Clang and a plain switch elsewhere (or with
// -DGILVM_SWITCH_DISPATCH). The hot state -- ip, sp, locals, constants -- lives in locals of
// Run() (the loop; Execute() picks its instance and turns an allocation failure into
// MemoryError) for a large speed boost, and is written back to the frame (SAVE) before anything
// that may look at the frame: a call out, an error, the GIL's eval breaker. Operands are read
// where opcodes.def lays them out (OPERAND_A ... SKIP_OPERANDS), never at hand-counted offsets.
//
// Calls between Python functions do not recurse in C++: CALL pushes a frame whose locals are the
// arguments already on the caller's stack, and RETURN_VALUE pops it. C++ re-enters Execute() only
// when native code calls back into Python (a thread's target, list(generator)) and to resume a
// generator, whose frame lives on the heap in the generator object.
#include "vm/interpreter.h"

#include <algorithm>
#include <cassert>
#include <cstring>
#include <new>
#include <stdexcept>

#include "vm/ast.h"
#include "vm/attr_cache.h"
#include "vm/builtins.h"
#include "vm/call_args.h"
#include "vm/class.h"
#include "vm/dict.h"
#include "vm/dunders.h"
#include "vm/exceptions.h"
#include "vm/opcodes.h"
#include "vm/runtime.h"
#include "vm/set.h"
#include "vm/slices.h"
#include "vm/sync.h"

namespace gilbench::vm {

namespace {

constexpr size_t kStackSlots = 1 << 18;  // values per thread: 4 MiB

#if GILVM_TEST_SLOWDOWN > 0
// GILVM_TEST_SLOWDOWN iterations of a loop that does nothing, but whose counter passes through
// an empty asm the compiler must assume changes it: it can neither unroll the loop away nor drop
// it. Compiled only into builds configured for it (see NEXT_OP in Execute).
[[gnu::always_inline]] inline void TestSlowdown() {
  for (int i = 0; i < GILVM_TEST_SLOWDOWN; ++i) asm volatile("" : "+r"(i));
}
#endif

inline uint16_t U16(const uint8_t* p) {
  uint16_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

inline uint32_t U32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// The int fast path of comparisons, without branches: bit i of kOrderMask[op] answers
// "a <op> b" when i is 0 (a < b), 1 (a == b) or 2 (a > b). A zero mask (in, not in, is, is not)
// sends the comparison to the slow path.
constexpr uint8_t kOrderMask[] = {0b010, 0b101, 0b001, 0b011, 0b100, 0b110, 0, 0, 0, 0};

inline bool IntCompare(uint8_t mask, int64_t a, int64_t b) {
  // The equality tests of `if n % i == 0:` and friends are the commonest: decided directly.
  if (mask == 0b010) return a == b;
  if (mask == 0b101) return a != b;
  return (mask >> ((a > b) * 2 + (a == b))) & 1;
}

// a % b and a / b for a >= 0, b > 0 (where C++ and Python agree). A 64-bit divide is several
// times slower than a 32-bit one on many x86 cores, so small operands take the 32-bit path.
inline int64_t NonNegMod(int64_t a, int64_t b) {
  if (((a | b) >> 32) == 0) return static_cast<uint32_t>(a) % static_cast<uint32_t>(b);
  return a % b;
}

inline int64_t NonNegDiv(int64_t a, int64_t b) {
  if (((a | b) >> 32) == 0) return static_cast<uint32_t>(a) / static_cast<uint32_t>(b);
  return a / b;
}

// a and b both in [0, 2**32) with b != 0: one test for "the 32-bit divide gives Python's
// answer" (a negative int64 has its high bits set).
inline bool SmallDivisible(int64_t a, int64_t b) { return ((a | b) >> 32) == 0 && b != 0; }

}  // namespace

// --- ThreadState ---------------------------------------------------------------------------------

ThreadState::ThreadState(Interpreter* in, ThreadObj* t)
    : interp(in), thread(t), gil_owner(&in->gil()), gil(gil_owner->RegisterThread(t->name)) {
  // Left uninitialised (default-init, not value-init): every slot is written before it is read,
  // and untouched pages of the 4 MiB stay unmapped, which keeps thread start-up cheap.
  stack = std::unique_ptr<Value[]>(new Value[kStackSlots]);
  stack_end = stack.get() + kStackSlots;
  stack_free = stack.get();
  frames = std::make_unique<Frame[]>(Interpreter::kRecursionLimit + 8);
  if (gil_owner->blame_enabled()) gil->set_stack_provider([this] { return BlameStack(); });
}

// "f (a.py:3);g (a.py:7)": this thread's frames, outermost first, at the instruction each was at
// (the innermost saved its ip before the GIL could be dropped). For GIL blame (gil/blame.h).
std::string ThreadState::BlameStack() const {
  std::vector<const Frame*> chain;
  for (const Frame* f = current; f != nullptr; f = f->prev) chain.push_back(f);
  std::string out;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    const Frame* f = *it;
    const std::string& file = f->code->filename;
    const size_t slash = file.rfind('/');
    if (!out.empty()) out += ';';
    out += f->code->name + " (" + (slash == std::string::npos ? file : file.substr(slash + 1)) +
           ":" + std::to_string(f->CurrentLine()) + ")";
  }
  return out;
}

ThreadState::~ThreadState() {
  Decref(exc_value);
  Decref(handled);
  gil_owner->RetireThread(std::move(gil));
}

[[gnu::noinline]] bool ThreadState::Raise(std::string_view type, std::string message) {
  if (has_error) return false;
  // Copied before the flag is set: if the copy runs out of memory, the MemoryError that the
  // interpreter loop raises instead finds no error pending.
  error_type.assign(type);
  error_message = std::move(message);
  error_message_pending = false;
  has_error = true;
  exc_noted = false;
  return false;
}

bool ThreadState::RaiseSystemExit(Value code) {
  has_error = true;
  exc_noted = false;
  system_exit = true;
  error_type = "SystemExit";
  if (code.is_none() || code.is_undefined()) {
    exit_status = 0;
  } else if (code.is_intlike()) {
    exit_status = static_cast<int>(code.i & 0xFF);
  } else {
    exit_status = 1;
    exit_message = ToStr(code);
  }
  return false;
}

void ThreadState::ClearError() {
  Decref(exc_value);
  exc_value = Value::Undefined();
  exc_noted = false;
  uncatchable = false;
  has_error = false;
  system_exit = false;
  traceback_captured = false;
  traceback.clear();
  error_type.clear();
  error_message.clear();
  error_message_pending = false;
  exit_message.clear();
}

// --- calls ---------------------------------------------------------------------------------------

bool Interpreter::CallFunction(ThreadState& ts, FunctionObj* fn, const Value* args, int nargs,
                               const std::vector<std::string_view>* kwnames, Value* result) {
  CodeObj* code = fn->code;
  if (code->is_generator) {
    auto* gen = new GeneratorObj(fn);
    if (!BindArguments(ts, fn, args, nargs, kwnames, gen->slots.data())) {
      DecrefObj(gen);
      return false;
    }
    InitCells(fn, gen->slots.data());
    *result = Value::Object(gen);
    return true;
  }
  if (ts.depth >= kRecursionLimit) {
    return ts.Raise("RecursionError", "maximum recursion depth exceeded");
  }
  // The slot under the locals holds the function, as CALL's callee slot does for frames pushed in
  // place: FunctionOfFrame (zero-argument super()) finds a frame's function there.
  Value* locals = ts.stack_free + 1;
  if (locals + code->frame_size() > ts.stack_end) return ts.Raise("MemoryError", "");
  locals[-1] = Value::Object(fn);  // borrowed: the caller keeps fn alive for the call
  if (nargs == code->fast_argc && (kwnames == nullptr || kwnames->empty())) {
    // Exactly the positional parameters of a simple function (no cells, defaults unused), as
    // CALL's in-place frames take them: the arguments are the first locals.
    for (int i = 0; i < nargs; ++i) {
      Incref(args[i]);
      locals[i] = args[i];
    }
    for (int i = nargs; i < code->nlocals(); ++i) locals[i] = Value::Undefined();
  } else {
    if (!BindArguments(ts, fn, args, nargs, kwnames, locals)) return false;
    for (int i = code->nparam_slots(); i < code->nlocals(); ++i) locals[i] = Value::Undefined();
    InitCells(fn, locals);
  }
  Frame* frame = ts.PushFrame(code, locals);
  bool yielded;
  return Execute(ts, frame, result, &yielded);
}

bool Interpreter::Call(ThreadState& ts, Value callable, const Value* args, int nargs,
                       const std::vector<std::string_view>* kwnames, Value* result) {
  if (callable.is_obj()) {
    switch (callable.o->type) {
      case ObjType::kFunction:
        return CallFunction(ts, static_cast<FunctionObj*>(callable.o), args, nargs, kwnames,
                            result);
      case ObjType::kNative: {
        auto* native = static_cast<NativeObj*>(callable.o);
        return native->fn(ts, CallArgs{Value::Undefined(), args, nargs, kwnames}, result);
      }
      case ObjType::kBoundMethod: {
        auto* bound = static_cast<BoundMethodObj*>(callable.o);
        return bound->method->fn(ts, CallArgs{bound->self, args, nargs, kwnames}, result);
      }
      default: {
        bool handled = false;
        bool ok = CallClassFamily(ts, callable, args, nargs, kwnames, result, &handled);
        if (handled) return ok;
        break;
      }
    }
  }
  return ts.Raise("TypeError", std::string("'") + TypeName(callable) + "' object is not callable");
}

// The exception being handled while a generator runs: its own, kept from when it yielded inside a
// handler, else its caller's. Returns the caller's (owned by the caller of this, until
// SwapOutGeneratorHandled gives it back to ts).
static Value SwapInGeneratorHandled(ThreadState& ts, GeneratorObj* gen) {
  Value caller = ts.handled;
  if (!gen->handled.is_undefined()) {
    ts.handled = gen->handled;
    gen->handled = Value::Undefined();
  } else {
    Incref(caller);
  }
  return caller;
}

// After the generator's run: what it was handling when it yielded stays with it; the caller's
// exception is the one being handled again.
static void SwapOutGeneratorHandled(ThreadState& ts, GeneratorObj* gen, bool yielded,
                                    Value caller) {
  if (yielded && !ts.handled.is_undefined() &&
      (caller.is_undefined() || ts.handled.o != caller.o)) {
    gen->handled = ts.handled;
  } else {
    Decref(ts.handled);
  }
  ts.handled = caller;
}

Interpreter::IterResult Interpreter::ResumeGenerator(ThreadState& ts, GeneratorObj* gen,
                                                     Value* item, Value sent, Value* returned) {
  if (returned != nullptr) *returned = Value::None();
  if (gen->state == GeneratorObj::State::kDone) return IterResult::kDone;
  if (gen->state == GeneratorObj::State::kRunning) {
    ts.Raise("ValueError", "generator already executing");
    return IterResult::kError;
  }
  if (gen->state == GeneratorObj::State::kCreated && !sent.is_none()) {
    ts.Raise("TypeError", "can't send non-None value to a just-started generator");
    return IterResult::kError;
  }
  if (ts.depth >= kRecursionLimit) {
    ts.Raise("RecursionError", "maximum recursion depth exceeded");
    return IterResult::kError;
  }
  if (gen->state == GeneratorObj::State::kSuspended) {
    Incref(sent);
    *gen->frame.sp++ = sent;  // what the YIELD_VALUE it is suspended at evaluates to
  }
  return RunGenerator(ts, gen, item, returned, false);
}

Interpreter::IterResult Interpreter::ThrowIntoGenerator(ThreadState& ts, GeneratorObj* gen,
                                                        Value* item) {
  assert(gen->state == GeneratorObj::State::kSuspended && ts.has_error);
  if (ts.depth >= kRecursionLimit) {
    ts.Raise("RecursionError", "maximum recursion depth exceeded");
    return IterResult::kError;
  }
  return RunGenerator(ts, gen, item, nullptr, true);
}

// Runs gen's frame from where it is suspended (or, with `throwing`, from the handler that
// catches ts's pending error at that point) to its next yield, its return or an error.
Interpreter::IterResult Interpreter::RunGenerator(ThreadState& ts, GeneratorObj* gen, Value* item,
                                                  Value* returned, bool throwing) {
  Frame* frame = &gen->frame;
  gen->state = GeneratorObj::State::kRunning;
  IncrefObj(gen);  // the generator must outlive its own frame's run
  frame->prev = ts.current;
  ts.current = frame;
  ts.depth++;
  bool yielded = false;
  Value result;
  Value caller_handled = SwapInGeneratorHandled(ts, gen);
  bool ok;
  if (!throwing) {
    ok = Execute(ts, frame, &result, &yielded);
  } else if (CatchError(ts, frame, frame)) {
    ts.resume = nullptr;  // the frame's ip is now its handler: Execute starts there
    ok = Execute(ts, frame, &result, &yielded);
  } else {
    UnwindFrames(ts, frame, frame);
    ok = false;
  }
  SwapOutGeneratorHandled(ts, gen, ok && yielded, caller_handled);
  IterResult r = IterResult::kError;
  if (ok && yielded) {
    *item = result;
    r = IterResult::kItem;
  } else if (ok) {
    // A generator's return value ends the iteration (yield from and send() keep it).
    if (returned != nullptr) {
      *returned = result;
    } else {
      Decref(result);
    }
    r = IterResult::kDone;
  }
  DecrefObj(gen);
  return r;
}

// Pops `frame` (the innermost) after its values have been released.
static void PopFrame(ThreadState& ts, Frame* frame) {
  ts.current = frame->prev;
  ts.depth--;
  if (frame->gen == nullptr) {
    ts.stack_free = frame->saved_free;
    ts.frames_used--;
  } else {
    frame->sp = frame->locals;  // the generator's slots are released: nothing left to free
    frame->gen->state = GeneratorObj::State::kDone;
  }
}

// Releases every value a frame holds (locals and operand stack).
static void ClearFrame(Frame* frame, Value* sp) {
  for (Value* p = frame->locals; p < sp; ++p) {
    Decref(*p);
    *p = Value::Undefined();
  }
}

void Interpreter::CaptureTraceback(ThreadState& ts) {
  if (ts.traceback_captured) return;
  ts.traceback_captured = true;
  try {
    for (Frame* f = ts.current; f != nullptr; f = f->prev) {
      ts.traceback.push_back(
          TraceEntry{f->code, static_cast<uint32_t>(f->ip - f->code->bytecode.data())});
    }
  } catch (const std::bad_alloc&) {
    // Out of memory while the error unwinds: the innermost frames recorded so far will do.
  }
  std::reverse(ts.traceback.begin(), ts.traceback.end());
}

// --- slow paths of the loop, kept out of it so the opcode cases stay short
// ------------------------

[[gnu::noinline]] static void UnboundLocal(ThreadState& ts, const CodeObj* code, uint16_t slot) {
  ts.Raise("UnboundLocalError", "cannot access local variable '" + code->local_names[slot] +
                                    "' where it is not associated with a value");
}

// local[a] = local[a] <op> k, for the superinstructions' non-int cases.
static bool InplaceLocalSlow(ThreadState& ts, const CodeObj* code, uint16_t a, Value* locals,
                             Value k, BinaryOp op) {
  if (locals[a].is_undefined()) {
    UnboundLocal(ts, code, a);
    return false;
  }
  Value out;
  if (!BinaryArith(ts, op, locals[a], k, true, &out)) return false;
  Decref(locals[a]);
  locals[a] = out;
  return true;
}

// TOS = op TOS.
static bool UnaryInPlace(ThreadState& ts, UnaryOp op, Value* sp) {
  Value out;
  if (!UnaryArith(ts, op, sp[-1], &out)) return false;
  Decref(sp[-1]);
  sp[-1] = out;
  return true;
}

// l <op> r for two ints (not bools) where the answer is an int64 the quick way: false for an
// overflow, a shift or divisor out of the easy range and the operators with other answers
// (/, **), which BinaryArith then works out, errors included.
static bool IntBinaryFast(BinaryOp op, int64_t l, int64_t r, int64_t* out) {
  switch (op) {
    case BinaryOp::kAdd:
      return !__builtin_add_overflow(l, r, out);
    case BinaryOp::kSub:
      return !__builtin_sub_overflow(l, r, out);
    case BinaryOp::kMul:
      return !__builtin_mul_overflow(l, r, out);
    case BinaryOp::kBitAnd:
      *out = l & r;
      return true;
    case BinaryOp::kBitOr:
      *out = l | r;
      return true;
    case BinaryOp::kBitXor:
      *out = l ^ r;
      return true;
    case BinaryOp::kRShift:
      if (r < 0 || r > 63) return false;
      *out = l >> r;  // arithmetic: floor division by 2**r, as Python's
      return true;
    case BinaryOp::kMod:
      if (r <= 0 || l < 0) return false;
      *out = NonNegMod(l, r);
      return true;
    case BinaryOp::kFloorDiv:
      if (r <= 0 || l < 0) return false;
      *out = NonNegDiv(l, r);
      return true;
    default:
      return false;
  }
}

// sp[-2] = sp[-2] <op> sp[-1]; the caller then drops one slot. On failure the stack is intact.
// The generic binary instructions (BINARY_OP, INPLACE_OP) come here for every operand type, so
// two ints try IntBinaryFast first.
static bool BinaryOnStack(ThreadState& ts, BinaryOp op, bool inplace, Value* sp) {
  int64_t result;  // not into sp[-2] at once: an overflowing add still writes its wrapped sum
  if (sp[-2].tag == Tag::kInt && sp[-1].tag == Tag::kInt &&
      IntBinaryFast(op, sp[-2].i, sp[-1].i, &result)) {
    sp[-2].i = result;
    return true;
  }
  Value out;
  if (!BinaryArith(ts, op, sp[-2], sp[-1], inplace, &out)) return false;
  Decref(sp[-2]);
  Decref(sp[-1]);
  sp[-2] = out;
  return true;
}

// The general comparison: 1 or 0 for its truth, -1 on an error. Out of line, so that the
// loop's fast paths keep their values in registers.
[[gnu::noinline]] static int CompareSlow(ThreadState& ts, uint16_t op, Value l, Value r) {
  bool truth = false;
  if (!CompareValues(ts, static_cast<CompareOp>(op), l, r, &truth)) return -1;
  return truth ? 1 : 0;
}

// The fused local-vs-local / local-vs-const branch's general case (`l` may be unbound).
[[gnu::noinline]] static int LocalCompareSlow(ThreadState& ts, const CodeObj* code, uint16_t l_slot,
                                              uint16_t r_slot, uint16_t op, Value l, Value r) {
  if (l.is_undefined() || r.is_undefined()) {
    UnboundLocal(ts, code, l.is_undefined() ? l_slot : r_slot);
    return -1;
  }
  return CompareSlow(ts, op, l, r);
}

[[gnu::noinline]] static void NameError(ThreadState& ts, const std::string& name) {
  if (const std::string* why = ts.interp->UncopyableGlobal(name)) {
    ts.Raise("NameError", "name '" + name + "' is not defined in this thread's interpreter (" +
                              "--gil=subinterp: " + *why + ")");
    return;
  }
  ts.Raise("NameError", "name '" + name + "' is not defined");
}

// del of the global in `slot`, named `name`: a NameError when it holds nothing of the program's
// own -- unset, or still the built-in of its name, which the global table holds until the
// program assigns the name -- else the built-in of that name, if any, shows through again, as
// CPython's builtins do once a global that shadowed them is deleted.
[[gnu::noinline]] static bool DeleteGlobal(ThreadState& ts, Value* slot, const std::string& name) {
  Value old = *slot;
  Value builtin = LookupBuiltin(name);
  if (old.is_undefined() || (builtin.is_obj() && old.is_obj() && old.o == builtin.o)) {
    NameError(ts, name);
    return false;
  }
  *slot = builtin;
  Decref(old);
  return true;
}

// Pushes local a <op> local b (to *sp) for the superinstructions' general case.
[[gnu::noinline]] static bool BinaryLocals(ThreadState& ts, const CodeObj* code, BinaryOp op,
                                           uint16_t a, uint16_t b, const Value* locals, Value* sp) {
  if (locals[a].is_undefined() || locals[b].is_undefined()) {
    UnboundLocal(ts, code, locals[a].is_undefined() ? a : b);
    return false;
  }
  return BinaryArith(ts, op, locals[a], locals[b], false, sp);
}

// `local a % local b == k` (or !=) for JUMP_UNLESS_MOD_*_CONST's general case: 1 or 0 for its
// truth, -1 on an error (an unbound local, ZeroDivisionError, a TypeError from either step).
[[gnu::noinline]] static int ModCompareSlow(ThreadState& ts, const CodeObj* code, uint16_t a,
                                            uint16_t b, const Value* locals, Value k, bool equal) {
  Value remainder;
  if (!BinaryLocals(ts, code, BinaryOp::kMod, a, b, locals, &remainder)) return -1;
  int truth =
      CompareSlow(ts, static_cast<uint16_t>(equal ? CompareOp::kEq : CompareOp::kNe), remainder, k);
  Decref(remainder);
  return truth;
}

// A function of `code` whose defaults are the n values at `defaults` (owned, moved in once it
// exists: if making it runs out of memory, they are still the caller's).
static Value MakeFunction(CodeObj* code, const Value* defaults, int n) {
  return Value::Object(new FunctionObj(code, std::vector<Value>(defaults, defaults + n)));
}

// The concatenation of n strs (f-string parts), releasing them once it is made.
static Value ConcatStrings(const Value* parts, int n) {
  std::string text;
  for (int i = 0; i < n; ++i) text += AsStr(parts[i])->s;
  Value str = MakeStr(std::move(text));
  for (int i = 0; i < n; ++i) Decref(parts[i]);
  return str;
}

// Replaces the iterable at sp[-1] by its n items, the first on top. On failure the stack is
// intact.
static bool UnpackOnStack(ThreadState& ts, int n, Value* sp) {
  std::vector<Value> items(n);
  if (!UnpackSequence(ts, sp[-1], n, items.data())) return false;
  Decref(sp[-1]);
  for (int i = 0; i < n; ++i) sp[-1 + i] = items[n - 1 - i];
  return true;
}

// Replaces the n key/value pairs below sp (keys under their values, the first pair deepest) by
// a dict of them, inserted in order. On failure (an unhashable key) the stack is intact.
static bool BuildMapOnStack(ThreadState& ts, int n, Value* sp) {
  Value* items = sp - 2 * n;
  DictObj* d = NewDict();
  for (int i = 0; i < n; ++i) {
    if (!DictSet(ts, d, items[2 * i], items[2 * i + 1])) {
      DecrefObj(d);
      return false;
    }
  }
  for (int i = 0; i < 2 * n; ++i) Decref(items[i]);
  items[0] = Value::Object(d);
  return true;
}

// Replaces the n items below sp by a set of them: added in order, or `folded` as CPython makes a
// display of constants (SetFromFoldedConstants). On failure the stack is intact.
static bool BuildSetOnStack(ThreadState& ts, int n, bool folded, Value* sp) {
  Value* items = sp - n;
  SetObj* so = nullptr;
  if (folded) {
    if (!SetFromFoldedConstants(ts, items, n, &so)) return false;
  } else {
    so = NewSet(ObjType::kSet);
    for (int i = 0; i < n; ++i) {
      if (!SetAdd(ts, so, items[i])) {
        DecrefObj(so);
        return false;
      }
    }
  }
  for (int i = 0; i < n; ++i) Decref(items[i]);
  items[0] = Value::Object(so);
  return true;
}

// del container[index] for the two values at the top of the stack, then pops them.
static bool DeleteSubscrOnStack(ThreadState& ts, Value* sp) {
  if (!DelItem(ts, sp[-2], sp[-1])) return false;
  Decref(sp[-2]);
  Decref(sp[-1]);
  return true;
}

static bool CallOnStack(ThreadState& ts, int argc, const std::vector<std::string_view>* kwnames,
                        Value* sp);

// CALL_KW: the keyword names come from the tuple constant `names`.
static bool CallKwOnStack(ThreadState& ts, int argc, Value names, Value* sp) {
  std::vector<std::string_view> kwnames;
  for (Value name : AsSeq(names)->items) kwnames.push_back(AsStr(name)->s);
  return CallOnStack(ts, argc, &kwnames, sp);
}

// Replaces the class body's function and the n bases above it by the class they make (the
// function's slot gets it). On failure the stack is intact.
static bool BuildClassOnStack(ThreadState& ts, const std::string& name, int nbases, Value* sp) {
  Value* bases = sp - nbases;
  Value cls;
  if (!BuildClass(ts, bases[-1], name, bases, nbases, &cls)) return false;
  for (Value* p = bases - 1; p < sp; ++p) Decref(*p);
  bases[-1] = cls;
  return true;
}

static Interpreter::IterResult NextFromIterator(ThreadState& ts, Value iter, Value* item) {
  return IterNext(ts, iter, item);
}

// Calls the callable under `argc` arguments at the top of the stack and leaves the result in
// its slot; the caller then drops argc slots. On failure the stack is intact.
static bool CallOnStack(ThreadState& ts, int argc, const std::vector<std::string_view>* kwnames,
                        Value* sp) {
  Value* args = sp - argc;
  Value out;
  if (!ts.interp->Call(ts, args[-1], args, argc, kwnames, &out)) return false;
  for (Value* p = args - 1; p < sp; ++p) Decref(*p);
  args[-1] = out;
  return true;
}

// CALL on a program's class whose __init__ is a plain Python function that binds exactly the
// call's arguments in place (its fast_argc, as for CALL on a function): makes the instance and
// turns the stack [cls, args...] into [instance, __init__, instance, args...], the last part
// being __init__'s locals (the rest of them unset), and returns __init__'s code for CALL to push
// in place -- no nested run of the loop, as CallClass would need. The __init__ function is held
// on the stack for the call (the code is borrowed from it), as a bound method would hold it:
// __init__ may rebind the class's __init__. Returns null, the stack intact, for any other class
// or call (CallClass then does it all: built-in classes, Thread, a native or absent __init__,
// keywords, defaults, cells).
[[gnu::noinline]] static CodeObj* PrepareInitInPlace(ThreadState& ts, const Frame* frame, int argc,
                                                     Value* args) {
  ClassObj* cls = AsClass(args[-1]);
  // A generator's frame has no room above its slots (see CALL).
  if (cls->builtin || frame->gen != nullptr) return nullptr;
  Value init = cls->Lookup("__init__");
  if (!IsType(init, ObjType::kFunction)) return nullptr;
  CodeObj* code = static_cast<FunctionObj*>(init.o)->code;
  if (argc + 1 != code->fast_argc || ts.depth >= Interpreter::kRecursionLimit ||
      args + 1 + code->frame_size() > ts.stack_end) {
    return nullptr;
  }
  Value self = Value::Object(NewInstanceOf(cls));  // holds the class from here on
  // BaseException.__new__ keeps the arguments as e.args, whatever __init__ does.
  if (cls->native == NativeBase::kException) SetExceptionArgs(self, args, argc, nullptr);
  std::copy_backward(args, args + argc, args + argc + 2);
  Incref(init);
  Incref(self);
  args[0] = init;
  args[1] = self;
  Decref(args[-1]);  // the class
  args[-1] = self;
  for (int i = code->nparams; i < code->nlocals(); ++i) args[1 + i] = Value::Undefined();
  return code;
}

// RETURN_VALUE from an __init__ pushed in place (PrepareInitInPlace) that returned `ret`, not
// None: CPython's TypeError (the instance below it is released by the unwinding).
[[gnu::noinline]] static bool InitReturnedNotNone(ThreadState& ts, Value ret) {
  std::string type = TypeName(ret);
  Decref(ret);
  return ts.Raise("TypeError", "__init__() should return None, not '" + type + "'");
}

// IsTruthy for the loop's truth tests, except that an instance (whose truth runs Python code) is
// 2: the loop then finishes the instruction at instance_truth.
[[gnu::noinline]] static int TruthOrInstance(Value v) {
  if (IsInstanceObj(v)) return 2;
  return IsTruthy(v) ? 1 : 0;
}

// The start (opcode byte) of instruction OP whose operands ip has or has not been moved past:
// the truth tests read their target before the test, UNARY_NOT has no operands.
template <Op OP>
inline const uint8_t* OpStart(const uint8_t* ip_past_operands) {
  return ip_past_operands - 1 - kOperandBytes<OP>;
}

// Finishes a truth test that met an instance (the loop's instance_truth): `frame` is saved at
// the instruction's opcode byte, the instance on top of its stack. The and/or jumps keep the
// instance itself on a jump, so they are finished here (the frame's ip and sp moved past the
// instruction); the other truth tests get the instance replaced by its truth and run again.
// False on an error from __bool__ or __len__.
[[gnu::noinline]] static bool InstanceTruthStep(ThreadState& ts, Frame* frame) {
  Value* sp = frame->sp;
  int truth = InstanceTruth(ts, sp[-1]);
  if (truth < 0) return false;
  const uint8_t* ip = frame->ip;
  const auto op = static_cast<Op>(*ip);
  if (op != Op::kJUMP_IF_FALSE_OR_POP && op != Op::kJUMP_IF_TRUE_OR_POP) {
    Value v = sp[-1];
    sp[-1] = Value::Bool(truth != 0);
    Decref(v);
    return true;
  }
  ++ip;  // past the opcode: the operand offsets count from here
  static_assert(kOffsetTarget<Op::kJUMP_IF_FALSE_OR_POP> ==
                kOffsetTarget<Op::kJUMP_IF_TRUE_OR_POP>);
  static_assert(kOperandBytes<Op::kJUMP_IF_FALSE_OR_POP> ==
                kOperandBytes<Op::kJUMP_IF_TRUE_OR_POP>);
  if ((op == Op::kJUMP_IF_FALSE_OR_POP) != (truth != 0)) {
    frame->ip = frame->code->bytecode.data() + U32(ip + kOffsetTarget<Op::kJUMP_IF_FALSE_OR_POP>);
  } else {
    frame->ip = ip + kOperandBytes<Op::kJUMP_IF_FALSE_OR_POP>;
    frame->sp = sp - 1;
    Decref(sp[-1]);
  }
  return true;
}

// --- closures, comprehensions, unpacked calls, yield from (slow paths) ---------------------------

// The error of reading or deleting the unbound cell variable in `slot`: a local of this function,
// or a free variable of an enclosing one.
[[gnu::noinline]] static void UnboundCell(ThreadState& ts, const CodeObj* code, uint16_t slot) {
  if (code->IsFreeSlot(slot)) {
    ts.Raise("NameError", "cannot access free variable '" + code->local_names[slot] +
                              "' where it is not associated with a value in enclosing scope");
    return;
  }
  UnboundLocal(ts, code, slot);
}

// The n cells at sp - n become the closure of the function under them; the caller pops them.
static void SetClosureOnStack(int n, Value* sp) {
  auto* fn = static_cast<FunctionObj*>(sp[-n - 1].o);
  fn->closure.assign(sp - n, sp);  // the references move into the function
}

// The n values at sp - n become the defaults of the keyword-only parameters named by the tuple
// `names` of the function under them; the caller pops them.
static void SetKwDefaultsOnStack(Value names, int n, Value* sp) {
  auto* fn = static_cast<FunctionObj*>(sp[-n - 1].o);
  const CodeObj* code = fn->code;
  fn->kwdefaults.assign(code->nkwonly, Value::Undefined());
  const auto& items = AsSeq(names)->items;
  for (int i = 0; i < n; ++i) {
    const std::string& name = AsStr(items[i])->s;
    for (int k = 0; k < code->nkwonly; ++k) {
      if (code->local_names[code->nparams + k] == name) fn->kwdefaults[k] = sp[-n + i];
    }
  }
}

// A comprehension's element (sp[-1], or a key and value at sp[-2], sp[-1]) added to the list,
// set or dict `depth` slots below the element; the caller pops the element. Marked cold only for
// the register allocation of the whole loop: without it countdown's loop ran 3 instructions more
// per iteration than on main (callgrind; see the commit that added the attribute).
[[gnu::cold]] static bool ComprehensionAdd(ThreadState& ts, Op op, int depth, Value* sp) {
  if (op == Op::kLIST_APPEND) {
    AsSeq(sp[-1 - depth])->items.push_back(sp[-1]);  // the reference moves into the list
    return true;
  }
  if (op == Op::kSET_ADD) {
    if (!SetAdd(ts, AsSet(sp[-1 - depth]), sp[-1])) return false;
    Decref(sp[-1]);
    return true;
  }
  if (!DictSet(ts, AsDict(sp[-2 - depth]), sp[-2], sp[-1])) return false;
  Decref(sp[-2]);
  Decref(sp[-1]);
  return true;
}

// LIST_EXTEND: [callable list iterable] -> [callable list], the iterable's items appended. On
// failure the stack is intact.
static bool ExtendCallArgs(ThreadState& ts, Value* sp) {
  Value iterable = sp[-1], it;
  if (!IsType(iterable, ObjType::kList) && !IsType(iterable, ObjType::kTuple) &&
      !GetIter(ts, iterable, &it)) {
    ts.ClearError();
    return ts.Raise("TypeError", FunctionStr(ts, sp[-3]) +
                                     "() argument after * must be an iterable, not " +
                                     TypeName(iterable));
  }
  auto& items = AsSeq(sp[-2])->items;
  if (IsType(iterable, ObjType::kList) || IsType(iterable, ObjType::kTuple)) {
    for (Value v : AsSeq(iterable)->items) {
      Incref(v);
      items.push_back(v);
    }
  } else {
    for (;;) {
      Value item;
      Interpreter::IterResult r = IterNext(ts, it, &item);
      if (r == Interpreter::IterResult::kItem) {
        items.push_back(item);
        continue;
      }
      Decref(it);
      if (r == Interpreter::IterResult::kError) return false;
      break;
    }
  }
  Decref(iterable);
  return true;
}

// DICT_MERGE: [callable list dict mapping] -> [callable list dict], the mapping's items added
// to the dict, with CPython's errors for a mapping that is not a dict, a key that is not a str
// and a keyword given twice. On failure the stack is intact.
static bool MergeCallKwargs(ThreadState& ts, Value* sp) {
  Value mapping = sp[-1];
  if (!IsType(mapping, ObjType::kDict)) {
    return ts.Raise("TypeError", FunctionStr(ts, sp[-4]) +
                                     "() argument after ** must be a mapping, not " +
                                     TypeName(mapping));
  }
  DictObj* into = AsDict(sp[-2]);
  DictIterObj* it = new DictIterObj(AsDict(mapping), DictViewKind::kItems);
  Value pair;
  for (;;) {
    DictIterStep step = DictIterNext(ts, it, &pair);
    if (step != DictIterStep::kItem) {
      DecrefObj(it);
      if (step == DictIterStep::kError) return false;
      break;
    }
    Value key = AsSeq(pair)->items[0], value = AsSeq(pair)->items[1], old;
    bool ok = IsType(key, ObjType::kStr) || ts.Raise("TypeError", "keywords must be strings");
    ok = ok && DictGet(ts, into, key, &old);
    if (ok && !old.is_undefined()) {
      ok = ts.Raise("TypeError", FunctionStr(ts, sp[-4]) +
                                     "() got multiple values for keyword argument '" +
                                     AsStr(key)->s + "'");
    }
    ok = ok && DictSet(ts, into, key, value);
    Decref(pair);
    if (!ok) {
      DecrefObj(it);
      return false;
    }
  }
  Decref(mapping);
  return true;
}

// CALL_EX: calls sp[-2 - has_kwargs] with the list (and dict) above it; the result replaces the
// callable and the caller drops 1 + has_kwargs slots. On failure the stack is intact.
static bool CallExOnStack(ThreadState& ts, bool has_kwargs, Value* sp) {
  Value* base = sp - 2 - has_kwargs;                // the callable
  std::vector<Value> args = AsSeq(base[1])->items;  // borrowed: the list holds them
  std::vector<std::string_view> names;
  if (has_kwargs) {
    DictObj* kwargs = AsDict(base[2]);
    DictIterObj* it = new DictIterObj(kwargs, DictViewKind::kItems);
    Value pair;
    while (DictIterNext(ts, it, &pair) == DictIterStep::kItem) {
      // Borrowed from the dict, which outlives the call.
      names.push_back(AsStr(AsSeq(pair)->items[0])->s);
      args.push_back(AsSeq(pair)->items[1]);
      Decref(pair);
    }
    DecrefObj(it);
  }
  Value out;
  if (!ts.interp->Call(ts, base[0], args.data(), static_cast<int>(args.size()),
                       names.empty() ? nullptr : &names, &out)) {
    return false;
  }
  for (Value* p = base; p < sp; ++p) Decref(*p);
  base[0] = out;
  return true;
}

// SEND's step: sends sp[-1] into the iterator sp[-2]. 1: it yielded, sp[-1] is the item; 0: it
// is done, sp[-2] is its return value (the caller pops one slot); -1: an error (stack intact).
static int SendOnStack(ThreadState& ts, Value* sp) {
  Value iter = sp[-2], sent = sp[-1], item, returned = Value::None();
  Interpreter::IterResult r;
  if (IsType(iter, ObjType::kGenerator)) {
    r = ts.interp->ResumeGenerator(ts, static_cast<GeneratorObj*>(iter.o), &item, sent, &returned);
  } else {
    r = IterNext(ts, iter, &item);
  }
  if (r == Interpreter::IterResult::kError) return -1;
  Decref(sent);
  if (r == Interpreter::IterResult::kItem) {
    sp[-1] = item;
    return 1;
  }
  Decref(iter);
  sp[-2] = returned;
  return 0;
}

// The exception opcodes (opcodes.def), run out of the loop: `frame` is saved past the opcode
// byte; its sp is updated here, on an error too.
[[gnu::noinline]] static bool ExceptionStep(ThreadState& ts, Frame* frame) {
  Value* sp = frame->sp;
  bool ok = true;
  switch (static_cast<Op>(frame->ip[-1])) {
    case Op::kPUSH_EXC_INFO: {  // [exc] -> [prev exc]
      Value exc = sp[-1];
      sp[-1] = ts.handled.is_undefined() ? Value::None() : ts.handled;
      Incref(exc);
      ts.handled = exc;
      *sp++ = exc;
      break;
    }
    case Op::kPOP_EXCEPT: {
      Value prev = *--sp;
      Decref(ts.handled);
      ts.handled = prev.is_none() ? Value::Undefined() : prev;
      break;
    }
    case Op::kCHECK_EXC_MATCH: {
      int match = ExceptionMatches(ts, sp[-2], sp[-1]);
      if (match < 0) return false;
      Decref(sp[-1]);
      sp[-1] = Value::Bool(match != 0);
      break;
    }
    case Op::kPOP_EXCEPT_AND_RERAISE:
    case Op::kRERAISE: {
      Value exc = *--sp;
      if (static_cast<Op>(frame->ip[-1]) == Op::kPOP_EXCEPT_AND_RERAISE) {
        Value prev = *--sp;
        Decref(ts.handled);
        ts.handled = prev.is_none() ? Value::Undefined() : prev;
      }
      frame->sp = sp;
      ReraiseException(ts, exc);
      Decref(exc);
      return false;
    }
    case Op::kWITH_ENTER:
      ok = WithEnter(ts, sp);
      sp += ok ? 1 : 0;
      break;
    case Op::kWITH_EXCEPT_START:
      ok = WithExceptStart(ts, sp);
      sp += ok ? 1 : 0;
      break;
    default:
      ts.Raise("SystemError", "not an exception opcode");
      return false;
  }
  frame->sp = sp;
  return ok;
}

// --- the loop ------------------------------------------------------------------------------------

// A thread past the step limit (set_step_limit, fuzzing only) stops with this error.
[[gnu::cold]] static void RaiseStepLimit(ThreadState& ts, uint64_t step_limit) {
  ts.Raise("RuntimeError",
           "step limit of " + std::to_string(step_limit) + " eval-breaker checks exceeded");
  ts.uncatchable = true;  // a handler must not let an endless loop go on
}

// An allocation that fails anywhere in the loop -- in a helper, a native, an object's constructor
// -- throws std::bad_alloc, which ends the loop here as CPython's MemoryError. The catch is out
// here, not in the loop, where it cost countdown 11% more instructions (the loop's state held
// in fewer registers). It can be: the loop saves ip and sp to the frame (SAVE) before anything
// that may allocate, and keeps the rule FAIL() relies on -- each slot in [locals, sp) holds an
// owned value whenever anything may fail -- so the frames unwind as after any other error.
//
// An error a handler catches leaves the loop too (CatchError leaves the handler's frame in
// ts.resume), and the loop starts again there. A jump from the error path back into the loop
// cost countdown 11% more instructions, for the same reason as the catch; the error path's
// shape matters as well (CatchError, then the old inline UnwindFrames: 3% more than before).
bool Interpreter::Execute(ThreadState& ts, Frame* entry, Value* result, bool* yielded) {
  try {
    for (Frame* start = entry;;) {
      bool ok = !eval_breaker_checks_ ? Run<false, false>(ts, entry, start, result, yielded)
                : gil_->accounting()  ? Run<true, true>(ts, entry, start, result, yielded)
                                      : Run<true, false>(ts, entry, start, result, yielded);
      if (ok || ts.resume == nullptr) return ok;
      start = ts.resume;
    }
  } catch (const std::bad_alloc&) {
  } catch (const std::length_error&) {  // a size beyond what a container can hold
  }
  ts.Raise("MemoryError", "");
  UnwindFrames(ts, ts.current, entry);  // no handler runs: it could need memory too
  return false;
}

// Releases every value the frames from `innermost` down to `entry` hold -- each slot in
// [locals, sp) is owned -- innermost first, after recording the traceback, and pops them.
void Interpreter::UnwindFrames(ThreadState& ts, Frame* innermost, Frame* entry) {
  CaptureTraceback(ts);
  for (Frame* frame = innermost;;) {
    Frame* caller = frame->prev;
    ClearFrame(frame, frame->sp);
    PopFrame(ts, frame);
    if (frame == entry) break;
    frame = caller;
  }
}

[[gnu::noinline]] bool Interpreter::CatchError(ThreadState& ts, Frame* innermost, Frame* entry) {
  ts.resume = nullptr;
  CaptureTraceback(ts);
  if (ts.uncatchable) return false;
  NoteRaisedError(ts);
  // The frame that catches it, if any: ip is past the raising instruction's opcode byte, within
  // the instruction.
  const ExceptionHandler* h = nullptr;
  Frame* catcher = innermost;
  for (;; catcher = catcher->prev) {
    const CodeObj* code = catcher->code;
    const auto offset = static_cast<uint32_t>(catcher->ip - code->bytecode.data()) - 1;
    h = code->exception_table.empty() ? nullptr
                                      : FindExceptionHandler(code->exception_table, offset);
    if (h != nullptr || catcher == entry) break;
  }
  if (h == nullptr) return false;
  for (Frame* frame = innermost; frame != catcher;) {
    Frame* caller = frame->prev;
    ClearFrame(frame, frame->sp);
    PopFrame(ts, frame);
    frame = caller;
  }
  Value* base = catcher->stack_base() + h->depth;
  while (catcher->sp > base) Decref(*--catcher->sp);
  *catcher->sp++ = TakeRaisedError(ts);
  catcher->ip = catcher->code->bytecode.data() + h->target;
  ts.resume = catcher;
  return true;
}

// The loop. kCheckBreaker = false compiles the eval-breaker check out: only the benchmark that
// measures what the check costs (bench_vm_breaker) runs that instance. Never inlined into
// Execute, whose catch would then weigh on the loop.
template <bool kCheckBreaker, bool kCountTicks>
[[gnu::noinline]] bool Interpreter::Run(ThreadState& ts, Frame* entry, Frame* start, Value* result,
                                        bool* yielded) {
  const std::atomic<uint32_t>& breaker = gil_->eval_breaker();
  Value* const globals_base = globals.data();
  Frame* frame = start;
  const uint8_t* code_base;
  const uint8_t* ip;
  Value* sp;
  Value* locals;
  const Value* consts;
  // Eval-breaker checks since the last flush: the VM's own measure of the work done while
  // holding the GIL (vm_ticks). One register increment per check; SAVE flushes it to the
  // thread's GIL record, and SAVE comes before every point where the GIL may be dropped (the
  // breaker's handler, a call out that may block, an error, a yield) and at the entry frame's
  // return.
  uint64_t ticks = 0;

#define LOAD_FRAME()                          \
  do {                                        \
    code_base = frame->code->bytecode.data(); \
    ip = frame->ip;                           \
    sp = frame->sp;                           \
    locals = frame->locals;                   \
    consts = frame->code->constants.data();   \
  } while (0)
#define FLUSH_TICKS()          \
  do {                         \
    if (kCountTicks) {         \
      ts.gil->AddTicks(ticks); \
      ticks = 0;               \
    }                          \
  } while (0)
#define SAVE()      \
  do {              \
    frame->ip = ip; \
    frame->sp = sp; \
    FLUSH_TICKS();  \
  } while (0)
#define PUSH(v) (*sp++ = (v))
#define POP() (*--sp)
#define TOP() (sp[-1])
// The eval-breaker check of a back edge, the last thing its handler does (ip already at the
// next instruction): when the breaker is set it goes to the one out-of-line call below the
// dispatch, so no back edge holds a call on its fast path (a call there makes the compiler keep
// the loop's state in fewer registers everywhere, which cost ~10% of countdown).
#define CHECK_BREAKER_LAST()                                                     \
  do {                                                                           \
    if (kCountTicks) ++ticks;                                                    \
    if (kCheckBreaker && breaker.load(std::memory_order_relaxed)) [[unlikely]] { \
      goto handle_eval_breaker;                                                  \
    }                                                                            \
  } while (0)
// The check at a call, which goes on with the call after it.
#define CHECK_BREAKER()                                                          \
  do {                                                                           \
    if (kCountTicks) ++ticks;                                                    \
    if (kCheckBreaker && breaker.load(std::memory_order_relaxed)) [[unlikely]] { \
      HANDLE_EVAL_BREAKER();                                                     \
    }                                                                            \
  } while (0)
// What a set breaker leads to: the policy may drop the GIL and take it back; then the step
// limit is counted, here rather than on any fast path, so a run without one pays a compare only
// where the breaker is handled (under py2, whose breaker is always set, at every check).
#define HANDLE_EVAL_BREAKER()                                                          \
  do {                                                                                 \
    SAVE();                                                                            \
    gil_->OnEvalBreaker(ts.gil.get());                                                 \
    if (breaker.load(std::memory_order_relaxed) & gil::Gil::kSignalBit) [[unlikely]] { \
      if (!HandlePendingSignal(ts)) FAIL();                                            \
    }                                                                                  \
    if (step_limit_ != 0 && ++ts.breaker_checks > step_limit_) [[unlikely]] {          \
      RaiseStepLimit(ts, step_limit_);                                                 \
      FAIL();                                                                          \
    }                                                                                  \
  } while (0)
#define FAIL() goto error
// The truth of TOS for a branch or `not`: bools at once, other built-in values by IsTruthy. An
// instance's truth runs Python code (__bool__, __len__): the case goes back to its opcode byte
// and on to instance_truth below the dispatch, which works it out and finishes the instruction.
// Kept out of the cases: a save of the loop's state and an error exit in each of them cost
// countdown 4% more instructions (the loop's state then held in fewer registers).
#define TRUTH_OF_TOP(NAME, out)        \
  do {                                 \
    Value tv_ = TOP();                 \
    if (tv_.tag == Tag::kBool) {       \
      out = tv_.i != 0;                \
    } else {                           \
      int t_ = TruthOrInstance(tv_);   \
      if (t_ > 1) [[unlikely]] {       \
        ip = OpStart<Op::k##NAME>(ip); \
        goto instance_truth;           \
      }                                \
      out = t_ != 0;                   \
    }                                  \
  } while (0)
// A call that may fail or look at the frame, Lua's Protect: the loop's state is saved to the
// frame first, and a false result unwinds.
#define PROTECT(call)    \
  do {                   \
    SAVE();              \
    if (!(call)) FAIL(); \
  } while (0)
// The operands of instruction NAME, read where opcodes.def lays them out (ip points just past the
// opcode byte); SKIP_OPERANDS moves ip to the next instruction. The offsets are generated
// constants (kOffsetA<> ... in opcodes.h): naming an operand NAME does not have fails to compile.
#define OPERAND_A(NAME) U16(ip + kOffsetA<Op::k##NAME>)
#define OPERAND_B(NAME) U16(ip + kOffsetB<Op::k##NAME>)
#define OPERAND_C(NAME) U16(ip + kOffsetC<Op::k##NAME>)
#define TARGET_OF(NAME) U32(ip + kOffsetTarget<Op::k##NAME>)
#define SKIP_OPERANDS(NAME) (ip += kOperandBytes<Op::k##NAME>)

// NEXT_OP: the next opcode, fetched for dispatch. A build configured with the CMake option
// GILVM_TEST_SLOWDOWN=N (testing scripts/compare --ab's gate only) first spins N rounds of a loop
// whose counter the compiler cannot see through, a known slowdown of every instruction; in every
// other build it is the plain fetch.
#if GILVM_TEST_SLOWDOWN > 0
#define NEXT_OP() (TestSlowdown(), *ip++)
#else
#define NEXT_OP() (*ip++)
#endif

#if (defined(__GNUC__) || defined(__clang__)) && !defined(GILVM_SWITCH_DISPATCH)
  static void* const kDispatch[] = {
#define OPCODE(name, ...) &&L_##name,
#include "vm/opcodes.def"
#undef OPCODE
  };
#define vmdispatch(o) goto* kDispatch[o];
#define vmcase(name) L_##name:
#define vmbreak goto* kDispatch[NEXT_OP()]
#else
#define vmdispatch(o) switch (static_cast<Op>(o))
#define vmcase(name) case Op::k##name:
#define vmbreak break
#endif

  LOAD_FRAME();
  for (;;) {
    vmdispatch(NEXT_OP()) {
      vmcase(NOP) { vmbreak; }
      vmcase(POP_TOP) {
        Decref(POP());
        vmbreak;
      }
      vmcase(DUP_TOP) {
        Value v = TOP();
        Incref(v);
        PUSH(v);
        vmbreak;
      }
      vmcase(DUP_TOP_TWO) {
        Value a = sp[-2], b = sp[-1];
        Incref(a);
        Incref(b);
        PUSH(a);
        PUSH(b);
        vmbreak;
      }
      vmcase(ROT_TWO) {
        std::swap(sp[-1], sp[-2]);
        vmbreak;
      }
      vmcase(ROT_THREE) {
        Value top = sp[-1];
        sp[-1] = sp[-2];
        sp[-2] = sp[-3];
        sp[-3] = top;
        vmbreak;
      }
      vmcase(LOAD_CONST) {
        Value v = consts[OPERAND_A(LOAD_CONST)];
        SKIP_OPERANDS(LOAD_CONST);
        Incref(v);
        PUSH(v);
        vmbreak;
      }
      vmcase(LOAD_LOCAL) {
        uint16_t a = OPERAND_A(LOAD_LOCAL);
        SKIP_OPERANDS(LOAD_LOCAL);
        Value v = locals[a];
        if (v.is_undefined()) [[unlikely]] {
          SAVE();
          UnboundLocal(ts, frame->code, a);
          FAIL();
        }
        Incref(v);
        PUSH(v);
        vmbreak;
      }
      vmcase(STORE_LOCAL) {
        uint16_t a = OPERAND_A(STORE_LOCAL);
        SKIP_OPERANDS(STORE_LOCAL);
        Value old = locals[a];
        locals[a] = POP();
        Decref(old);
        vmbreak;
      }
      vmcase(LOAD_GLOBAL) {
        uint16_t a = OPERAND_A(LOAD_GLOBAL);
        SKIP_OPERANDS(LOAD_GLOBAL);
        Value v = globals_base[a];
        if (v.is_undefined()) [[unlikely]] {
          SAVE();
          NameError(ts, global_names[a]);
          FAIL();
        }
        Incref(v);
        PUSH(v);
        vmbreak;
      }
      vmcase(STORE_GLOBAL) {
        uint16_t a = OPERAND_A(STORE_GLOBAL);
        SKIP_OPERANDS(STORE_GLOBAL);
        Value old = globals_base[a];
        globals_base[a] = POP();
        Decref(old);
        vmbreak;
      }
      vmcase(DELETE_LOCAL) {
        uint16_t a = OPERAND_A(DELETE_LOCAL);
        SKIP_OPERANDS(DELETE_LOCAL);
        Value old = locals[a];
        if (old.is_undefined()) {
          SAVE();
          UnboundLocal(ts, frame->code, a);
          FAIL();
        }
        locals[a] = Value::Undefined();
        Decref(old);
        vmbreak;
      }
      vmcase(DELETE_GLOBAL) {
        uint16_t a = OPERAND_A(DELETE_GLOBAL);
        SKIP_OPERANDS(DELETE_GLOBAL);
        PROTECT(DeleteGlobal(ts, &globals_base[a], global_names[a]));
        vmbreak;
      }
      vmcase(LOAD_LOCAL_LOCAL) {
        uint16_t a = OPERAND_A(LOAD_LOCAL_LOCAL), b = OPERAND_B(LOAD_LOCAL_LOCAL);
        SKIP_OPERANDS(LOAD_LOCAL_LOCAL);
        Value va = locals[a], vb = locals[b];
        if (va.is_undefined() || vb.is_undefined()) [[unlikely]] {
          SAVE();
          UnboundLocal(ts, frame->code, va.is_undefined() ? a : b);
          FAIL();
        }
        Incref(va);
        Incref(vb);
        PUSH(va);
        PUSH(vb);
        vmbreak;
      }
      vmcase(LOAD_LOCAL_CONST) {
        uint16_t a = OPERAND_A(LOAD_LOCAL_CONST), b = OPERAND_B(LOAD_LOCAL_CONST);
        SKIP_OPERANDS(LOAD_LOCAL_CONST);
        Value va = locals[a], vb = consts[b];
        if (va.is_undefined()) [[unlikely]] {
          SAVE();
          UnboundLocal(ts, frame->code, a);
          FAIL();
        }
        Incref(va);
        Incref(vb);
        PUSH(va);
        PUSH(vb);
        vmbreak;
      }
      // local A op= const B: ints in place, everything else through InplaceLocalSlow.
#define INPLACE_LOCAL_CONST_CASE(NAME, OP, OVERFLOWS)                                              \
  vmcase(NAME) {                                                                                   \
    uint16_t a = OPERAND_A(NAME), b = OPERAND_B(NAME);                                             \
    SKIP_OPERANDS(NAME);                                                                           \
    Value& local = locals[a];                                                                      \
    Value k = consts[b];                                                                           \
    int64_t r;                                                                                     \
    if (local.tag == Tag::kInt && k.tag == Tag::kInt && !OVERFLOWS(local.i, k.i, &r)) [[likely]] { \
      local.i = r;                                                                                 \
      vmbreak;                                                                                     \
    }                                                                                              \
    PROTECT(InplaceLocalSlow(ts, frame->code, a, locals, k, BinaryOp::OP));                        \
    vmbreak;                                                                                       \
  }
      INPLACE_LOCAL_CONST_CASE(INPLACE_ADD_LOCAL_CONST, kAdd, __builtin_add_overflow)
      INPLACE_LOCAL_CONST_CASE(INPLACE_SUB_LOCAL_CONST, kSub, __builtin_sub_overflow)
#undef INPLACE_LOCAL_CONST_CASE
      vmcase(UNARY_NEG) {
        Value v = TOP();
        if (v.tag == Tag::kInt && v.i != INT64_MIN) [[likely]] {
          TOP().i = -v.i;
          vmbreak;
        }
        PROTECT(UnaryInPlace(ts, UnaryOp::kNeg, sp));
        vmbreak;
      }
      vmcase(UNARY_POS) {
        PROTECT(UnaryInPlace(ts, UnaryOp::kPos, sp));
        vmbreak;
      }
      vmcase(UNARY_NOT) {
        bool truth;
        TRUTH_OF_TOP(UNARY_NOT, truth);
        Value v = TOP();
        Decref(v);
        TOP() = Value::Bool(!truth);
        vmbreak;
      }
      vmcase(UNARY_INVERT) {
        PROTECT(UnaryInPlace(ts, UnaryOp::kInvert, sp));
        vmbreak;
      }
#define BINARY_CASE(NAME, OP, INT_FAST)                  \
  vmcase(NAME) {                                         \
    Value l = sp[-2], r = sp[-1];                        \
    if (l.tag == Tag::kInt && r.tag == Tag::kInt) {      \
      int64_t out;                                       \
      if (INT_FAST) {                                    \
        sp[-2].i = out;                                  \
        --sp;                                            \
        vmbreak;                                         \
      }                                                  \
    }                                                    \
    PROTECT(BinaryOnStack(ts, BinaryOp::OP, false, sp)); \
    --sp;                                                \
    vmbreak;                                             \
  }
      BINARY_CASE(BINARY_ADD, kAdd, !__builtin_add_overflow(l.i, r.i, &out))
      BINARY_CASE(BINARY_SUB, kSub, !__builtin_sub_overflow(l.i, r.i, &out))
      BINARY_CASE(BINARY_MUL, kMul, !__builtin_mul_overflow(l.i, r.i, &out))
      BINARY_CASE(BINARY_MOD, kMod, (r.i > 0 && l.i >= 0 && ((out = NonNegMod(l.i, r.i)), true)))
      BINARY_CASE(BINARY_FLOOR_DIV, kFloorDiv,
                  (r.i > 0 && l.i >= 0 && ((out = NonNegDiv(l.i, r.i)), true)))
#undef BINARY_CASE
      // local A <op> local B: fields read one by one (a 16-byte Value copy right after the
      // two separate stores that wrote it would stall store-to-load forwarding).
#define BINARY_LOCAL_CASE(NAME, OP, INT_FAST)                               \
  vmcase(NAME) {                                                            \
    uint16_t a = OPERAND_A(NAME), b = OPERAND_B(NAME);                      \
    SKIP_OPERANDS(NAME);                                                    \
    const Value* x = &locals[a];                                            \
    const Value* y = &locals[b];                                            \
    if (x->tag == Tag::kInt && y->tag == Tag::kInt) {                       \
      int64_t l = x->i, r = y->i, out;                                      \
      if (INT_FAST) {                                                       \
        sp->tag = Tag::kInt;                                                \
        sp->i = out;                                                        \
        ++sp;                                                               \
        vmbreak;                                                            \
      }                                                                     \
    }                                                                       \
    PROTECT(BinaryLocals(ts, frame->code, BinaryOp::OP, a, b, locals, sp)); \
    ++sp;                                                                   \
    vmbreak;                                                                \
  }
      BINARY_LOCAL_CASE(BINARY_ADD_LOCAL_LOCAL, kAdd, !__builtin_add_overflow(l, r, &out))
      BINARY_LOCAL_CASE(BINARY_SUB_LOCAL_LOCAL, kSub, !__builtin_sub_overflow(l, r, &out))
      BINARY_LOCAL_CASE(BINARY_MUL_LOCAL_LOCAL, kMul, !__builtin_mul_overflow(l, r, &out))
      BINARY_LOCAL_CASE(BINARY_MOD_LOCAL_LOCAL, kMod,
                        (r > 0 && l >= 0 && ((out = NonNegMod(l, r)), true)))
#undef BINARY_LOCAL_CASE
      vmcase(BINARY_DIV) {
        PROTECT(BinaryOnStack(ts, BinaryOp::kDiv, false, sp));
        --sp;
        vmbreak;
      }
      vmcase(BINARY_POW) {
        PROTECT(BinaryOnStack(ts, BinaryOp::kPow, false, sp));
        --sp;
        vmbreak;
      }
      vmcase(INPLACE_ADD) {
        Value l = sp[-2], r = sp[-1];
        int64_t out;
        if (l.tag == Tag::kInt && r.tag == Tag::kInt && !__builtin_add_overflow(l.i, r.i, &out)) {
          sp[-2].i = out;
          --sp;
          vmbreak;
        }
        PROTECT(BinaryOnStack(ts, BinaryOp::kAdd, true, sp));
        --sp;
        vmbreak;
      }
      vmcase(INPLACE_MUL) {
        PROTECT(BinaryOnStack(ts, BinaryOp::kMul, true, sp));
        --sp;
        vmbreak;
      }
      vmcase(BINARY_OP) {
        auto op = static_cast<BinaryOp>(OPERAND_A(BINARY_OP));
        SKIP_OPERANDS(BINARY_OP);
        PROTECT(BinaryOnStack(ts, op, false, sp));
        --sp;
        vmbreak;
      }
      vmcase(INPLACE_OP) {
        auto op = static_cast<BinaryOp>(OPERAND_A(INPLACE_OP));
        SKIP_OPERANDS(INPLACE_OP);
        PROTECT(BinaryOnStack(ts, op, true, sp));
        --sp;
        vmbreak;
      }
      vmcase(COMPARE) {
        uint16_t op = OPERAND_A(COMPARE);
        SKIP_OPERANDS(COMPARE);
        Value l = sp[-2], r = sp[-1];
        uint8_t mask = kOrderMask[op];
        if (l.tag == Tag::kInt && r.tag == Tag::kInt && mask) {
          --sp;
          TOP() = Value::Bool(IntCompare(mask, l.i, r.i));
          vmbreak;
        }
        SAVE();
        int truth = CompareSlow(ts, op, l, r);
        if (truth < 0) FAIL();
        Decref(l);
        Decref(r);
        --sp;
        TOP() = Value::Bool(truth);
        vmbreak;
      }
      vmcase(JUMP_UNLESS_COMPARE) {
        uint16_t op = OPERAND_A(JUMP_UNLESS_COMPARE);
        const uint8_t* target = code_base + TARGET_OF(JUMP_UNLESS_COMPARE);
        SKIP_OPERANDS(JUMP_UNLESS_COMPARE);
        Value* l = sp - 2;
        uint8_t mask = kOrderMask[op];
        if (l[0].tag == Tag::kInt && l[1].tag == Tag::kInt && mask) {
          if (!IntCompare(mask, l[0].i, l[1].i)) ip = target;
          sp -= 2;
          vmbreak;
        }
        SAVE();
        int truth = CompareSlow(ts, op, l[0], l[1]);
        if (truth < 0) FAIL();
        Decref(l[0]);
        Decref(l[1]);
        sp -= 2;
        if (!truth) ip = target;
        vmbreak;
      }
      vmcase(JUMP_UNLESS_COMPARE_CONST) {
        uint16_t op = OPERAND_A(JUMP_UNLESS_COMPARE_CONST);
        const Value* r = &consts[OPERAND_B(JUMP_UNLESS_COMPARE_CONST)];
        const uint8_t* target = code_base + TARGET_OF(JUMP_UNLESS_COMPARE_CONST);
        SKIP_OPERANDS(JUMP_UNLESS_COMPARE_CONST);
        Value* l = sp - 1;
        uint8_t mask = kOrderMask[op];
        if (l->tag == Tag::kInt && r->tag == Tag::kInt && mask) [[likely]] {
          if (!IntCompare(mask, l->i, r->i)) ip = target;
          --sp;
          vmbreak;
        }
        SAVE();
        int truth = CompareSlow(ts, op, *l, *r);
        if (truth < 0) FAIL();
        Decref(*l);
        --sp;
        if (!truth) ip = target;
        vmbreak;
      }
      // The int fast path decides and jumps on the comparison's flags; the general case is a
      // separate tail that shares nothing with it, so no merged `truth` stays live across both.
#define LOCAL_COMPARE_BRANCH(NAME, RIGHT, JUMP_WHEN, BACKWARD)                    \
  vmcase(NAME) {                                                                  \
    const Value* l = &locals[OPERAND_A(NAME)];                                    \
    const Value* r = &RIGHT[OPERAND_B(NAME)];                                     \
    uint8_t mask = kOrderMask[OPERAND_C(NAME)];                                   \
    if (l->tag == Tag::kInt && r->tag == Tag::kInt && mask) [[likely]] {          \
      if (IntCompare(mask, l->i, r->i) == JUMP_WHEN) {                            \
        ip = code_base + TARGET_OF(NAME);                                         \
        if (BACKWARD) CHECK_BREAKER_LAST();                                       \
        vmbreak;                                                                  \
      }                                                                           \
      SKIP_OPERANDS(NAME);                                                        \
      vmbreak;                                                                    \
    }                                                                             \
    uint16_t a = OPERAND_A(NAME), b = OPERAND_B(NAME), op = OPERAND_C(NAME);      \
    const uint8_t* target = code_base + TARGET_OF(NAME);                          \
    SKIP_OPERANDS(NAME);                                                          \
    SAVE();                                                                       \
    int truth = LocalCompareSlow(ts, frame->code, a, b, op, locals[a], RIGHT[b]); \
    if (truth < 0) FAIL();                                                        \
    if (truth == JUMP_WHEN) {                                                     \
      ip = target;                                                                \
      if (BACKWARD) CHECK_BREAKER_LAST();                                         \
    }                                                                             \
    vmbreak;                                                                      \
  }
      LOCAL_COMPARE_BRANCH(JUMP_UNLESS_LOCAL_COMPARE_CONST, consts, 0, false)
      LOCAL_COMPARE_BRANCH(JUMP_UNLESS_LOCAL_COMPARE_LOCAL, locals, 0, false)
      LOCAL_COMPARE_BRANCH(LOOP_IF_LOCAL_COMPARE_CONST, consts, 1, true)
      LOCAL_COMPARE_BRANCH(LOOP_IF_LOCAL_COMPARE_LOCAL, locals, 1, true)
#undef LOCAL_COMPARE_BRANCH
      // `if a % b == k:` with ints in the Python-equals-C++ range (a >= 0, b > 0) is a divide and
      // a compare; everything else (negative operands, floats, str formatting, errors) goes the
      // general way, in the same order as the unfused instructions.
#define MOD_COMPARE_BRANCH(NAME, EQUAL)                                               \
  vmcase(NAME) {                                                                      \
    const Value* x = &locals[OPERAND_A(NAME)];                                        \
    const Value* y = &locals[OPERAND_B(NAME)];                                        \
    const Value* k = &consts[OPERAND_C(NAME)];                                        \
    if (x->tag == Tag::kInt && y->tag == Tag::kInt && k->tag == Tag::kInt &&          \
        SmallDivisible(x->i, y->i)) [[likely]] {                                      \
      uint32_t remainder = static_cast<uint32_t>(x->i) % static_cast<uint32_t>(y->i); \
      if ((remainder == k->i) != EQUAL) {                                             \
        ip = code_base + TARGET_OF(NAME);                                             \
        vmbreak;                                                                      \
      }                                                                               \
      SKIP_OPERANDS(NAME);                                                            \
      vmbreak;                                                                        \
    }                                                                                 \
    uint16_t a = OPERAND_A(NAME), b = OPERAND_B(NAME);                                \
    const uint8_t* target = code_base + TARGET_OF(NAME);                              \
    SKIP_OPERANDS(NAME);                                                              \
    SAVE();                                                                           \
    int truth = ModCompareSlow(ts, frame->code, a, b, locals, *k, EQUAL);             \
    if (truth < 0) FAIL();                                                            \
    if (!truth) ip = target;                                                          \
    vmbreak;                                                                          \
  }
      MOD_COMPARE_BRANCH(JUMP_UNLESS_MOD_EQ_CONST, true)
      MOD_COMPARE_BRANCH(JUMP_UNLESS_MOD_NE_CONST, false)
#undef MOD_COMPARE_BRANCH
      vmcase(LOOP_IF_COMPARE) {
        uint16_t op = OPERAND_A(LOOP_IF_COMPARE);
        const uint8_t* target = code_base + TARGET_OF(LOOP_IF_COMPARE);
        SKIP_OPERANDS(LOOP_IF_COMPARE);
        Value* l = sp - 2;
        uint8_t mask = kOrderMask[op];
        int truth;
        if (l[0].tag == Tag::kInt && l[1].tag == Tag::kInt && mask) {
          truth = IntCompare(mask, l[0].i, l[1].i);
        } else {
          SAVE();
          truth = CompareSlow(ts, op, l[0], l[1]);
          if (truth < 0) FAIL();
          Decref(l[0]);
          Decref(l[1]);
        }
        sp -= 2;
        if (truth) {
          ip = target;
          CHECK_BREAKER_LAST();
        }
        vmbreak;
      }
      vmcase(LOOP_IF_TRUE) {
        const uint8_t* target = code_base + TARGET_OF(LOOP_IF_TRUE);
        SKIP_OPERANDS(LOOP_IF_TRUE);
        bool truth;
        TRUTH_OF_TOP(LOOP_IF_TRUE, truth);
        Value v = POP();
        Decref(v);
        if (truth) {
          ip = target;
          CHECK_BREAKER_LAST();
        }
        vmbreak;
      }
      vmcase(JUMP) {
        ip = code_base + TARGET_OF(JUMP);
        vmbreak;
      }
      vmcase(LOOP) {
        ip = code_base + TARGET_OF(LOOP);
        CHECK_BREAKER_LAST();
        vmbreak;
      }
      vmcase(POP_JUMP_IF_FALSE) {
        uint32_t target = TARGET_OF(POP_JUMP_IF_FALSE);
        SKIP_OPERANDS(POP_JUMP_IF_FALSE);
        bool truth;
        TRUTH_OF_TOP(POP_JUMP_IF_FALSE, truth);
        Value v = POP();
        Decref(v);
        if (!truth) ip = code_base + target;
        vmbreak;
      }
      vmcase(POP_JUMP_IF_TRUE) {
        uint32_t target = TARGET_OF(POP_JUMP_IF_TRUE);
        SKIP_OPERANDS(POP_JUMP_IF_TRUE);
        bool truth;
        TRUTH_OF_TOP(POP_JUMP_IF_TRUE, truth);
        Value v = POP();
        Decref(v);
        if (truth) ip = code_base + target;
        vmbreak;
      }
      vmcase(JUMP_IF_FALSE_OR_POP) {
        uint32_t target = TARGET_OF(JUMP_IF_FALSE_OR_POP);
        SKIP_OPERANDS(JUMP_IF_FALSE_OR_POP);
        bool truth;
        TRUTH_OF_TOP(JUMP_IF_FALSE_OR_POP, truth);
        if (!truth) {
          ip = code_base + target;
        } else {
          Decref(POP());
        }
        vmbreak;
      }
      vmcase(JUMP_IF_TRUE_OR_POP) {
        uint32_t target = TARGET_OF(JUMP_IF_TRUE_OR_POP);
        SKIP_OPERANDS(JUMP_IF_TRUE_OR_POP);
        bool truth;
        TRUTH_OF_TOP(JUMP_IF_TRUE_OR_POP, truth);
        if (truth) {
          ip = code_base + target;
        } else {
          Decref(POP());
        }
        vmbreak;
      }
      vmcase(GET_ITER) {
        SAVE();
        Value v = TOP(), it;
        if (!GetIter(ts, v, &it)) FAIL();
        Decref(v);
        TOP() = it;
        vmbreak;
      }
      vmcase(FOR_ITER) {
        const uint8_t* target = code_base + TARGET_OF(FOR_ITER);
        SKIP_OPERANDS(FOR_ITER);
        Value item;
        SAVE();
        IterResult r = NextFromIterator(ts, TOP(), &item);
        if (r == IterResult::kItem) [[likely]] {
          PUSH(item);
          ip = target;
          CHECK_BREAKER_LAST();
        } else if (r == IterResult::kDone) {
          Decref(POP());
        } else {
          FAIL();
        }
        vmbreak;
      }
      vmcase(FOR_ITER_LOCAL) {
        uint16_t a = OPERAND_A(FOR_ITER_LOCAL);
        const uint8_t* target = code_base + TARGET_OF(FOR_ITER_LOCAL);
        SKIP_OPERANDS(FOR_ITER_LOCAL);
        Value it = TOP();
        if (IsType(it, ObjType::kRangeIter)) [[likely]] {
          auto* r = static_cast<RangeIterObj*>(it.o);
          if (r->remaining != 0) {
            // Field by field: a whole-Value store would copy the padding through memory.
            Value* slot = &locals[a];
            bool release = slot->tag == Tag::kObj;
            Obj* old = slot->o;
            slot->tag = Tag::kInt;
            slot->i = r->Take();
            if (release) DecrefObj(old);
            ip = target;
            CHECK_BREAKER_LAST();
            vmbreak;
          }
          Decref(POP());
          vmbreak;
        }
        Value item;
        SAVE();
        IterResult r = NextFromIterator(ts, it, &item);
        if (r == IterResult::kItem) {
          Value old = locals[a];
          locals[a] = item;
          Decref(old);
          ip = target;
          CHECK_BREAKER_LAST();
        } else if (r == IterResult::kDone) {
          Decref(POP());
        } else {
          FAIL();
        }
        vmbreak;
      }
      // The items leave the stack only once the container holds them: an allocation that
      // fails (MemoryError, see Execute) finds them still there to release.
      vmcase(BUILD_LIST) {
        uint16_t n = OPERAND_A(BUILD_LIST);
        SKIP_OPERANDS(BUILD_LIST);
        SAVE();
        Value list = MakeList(std::vector<Value>(sp - n, sp));
        sp -= n;
        PUSH(list);
        vmbreak;
      }
      vmcase(BUILD_TUPLE) {
        uint16_t n = OPERAND_A(BUILD_TUPLE);
        SKIP_OPERANDS(BUILD_TUPLE);
        SAVE();
        Value tuple = MakeTuple(std::vector<Value>(sp - n, sp));
        sp -= n;
        PUSH(tuple);
        vmbreak;
      }
      vmcase(BUILD_MAP) {
        uint16_t n = OPERAND_A(BUILD_MAP);
        SKIP_OPERANDS(BUILD_MAP);
        PROTECT(BuildMapOnStack(ts, n, sp));
        sp -= 2 * n - 1;
        vmbreak;
      }
      vmcase(BUILD_SET) {
        uint16_t n = OPERAND_A(BUILD_SET);
        SKIP_OPERANDS(BUILD_SET);
        PROTECT(BuildSetOnStack(ts, n, false, sp));
        sp -= n - 1;
        vmbreak;
      }
      vmcase(BUILD_CONST_SET) {
        uint16_t n = OPERAND_A(BUILD_CONST_SET);
        SKIP_OPERANDS(BUILD_CONST_SET);
        PROTECT(BuildSetOnStack(ts, n, true, sp));
        sp -= n - 1;
        vmbreak;
      }
      vmcase(BUILD_STRING) {
        uint16_t n = OPERAND_A(BUILD_STRING);
        SKIP_OPERANDS(BUILD_STRING);
        SAVE();
        Value str = ConcatStrings(sp - n, n);
        sp -= n;
        PUSH(str);
        vmbreak;
      }
      vmcase(FORMAT_VALUE) {
        uint16_t a = OPERAND_A(FORMAT_VALUE), b = OPERAND_B(FORMAT_VALUE);
        SKIP_OPERANDS(FORMAT_VALUE);
        SAVE();
        Value v = TOP(), out;
        if (!FormatField(ts, v, static_cast<char>(b), AsStr(consts[a])->s, &out)) FAIL();
        Decref(v);
        TOP() = out;
        vmbreak;
      }
      vmcase(UNPACK_SEQUENCE) {
        uint16_t n = OPERAND_A(UNPACK_SEQUENCE);
        SKIP_OPERANDS(UNPACK_SEQUENCE);
        PROTECT(UnpackOnStack(ts, n, sp));
        sp += n - 1;
        vmbreak;
      }
      vmcase(BINARY_SUBSCR) {
        Value c = sp[-2], i = sp[-1];
        if (IsType(c, ObjType::kList) && i.tag == Tag::kInt) {
          auto& items = AsSeq(c)->items;
          int64_t idx = i.i < 0 ? i.i + static_cast<int64_t>(items.size()) : i.i;
          if (idx >= 0 && idx < static_cast<int64_t>(items.size())) {
            Value v = items[idx];
            Incref(v);
            Decref(c);
            sp[-2] = v;
            --sp;
            vmbreak;
          }
        }
        SAVE();
        Value out;
        bool ok = GetItem(ts, c, i, &out);
        if (!ok) FAIL();
        Decref(c);
        Decref(i);
        sp[-2] = out;
        --sp;
        vmbreak;
      }
      vmcase(STORE_SUBSCR) {
        SAVE();
        Value i = sp[-1], c = sp[-2], v = sp[-3];
        bool ok = SetItem(ts, c, i, v);
        if (!ok) FAIL();
        sp -= 3;
        Decref(i);
        Decref(c);
        Decref(v);
        vmbreak;
      }
      vmcase(DELETE_SUBSCR) {
        PROTECT(DeleteSubscrOnStack(ts, sp));
        sp -= 2;
        vmbreak;
      }
      vmcase(SLICE) {
        SAVE();
        Value out;
        if (!GetSlice(ts, sp[-3], sp[-2], sp[-1], &out)) FAIL();
        for (int k = 1; k <= 3; ++k) Decref(sp[-k]);
        sp -= 2;
        TOP() = out;
        vmbreak;
      }
      vmcase(BUILD_SLICE) {
        SAVE();
        Value slice = MakeSlice(sp[-3], sp[-2], sp[-1]);  // takes the three references
        sp -= 2;
        TOP() = slice;
        vmbreak;
      }
      vmcase(LOAD_ATTR) {
        uint16_t a = OPERAND_A(LOAD_ATTR);
        SKIP_OPERANDS(LOAD_ATTR);
        Value obj = TOP(), out;
        if (!attr_cache::LoadHit(frame->code, a, obj, &out)) [[unlikely]] {
          SAVE();
          if (!LoadAttrMiss(ts, frame->code, a, obj, &out)) FAIL();
        }
        Decref(obj);
        TOP() = out;
        vmbreak;
      }
      vmcase(LOAD_LOCAL_ATTR) {
        uint16_t a = OPERAND_A(LOAD_LOCAL_ATTR), b = OPERAND_B(LOAD_LOCAL_ATTR);
        SKIP_OPERANDS(LOAD_LOCAL_ATTR);
        Value obj = locals[a], out;
        if (!attr_cache::LoadHit(frame->code, b, obj, &out)) [[unlikely]] {
          SAVE();
          if (obj.is_undefined()) {
            UnboundLocal(ts, frame->code, a);
            FAIL();
          }
          if (!LoadAttrMiss(ts, frame->code, b, obj, &out)) FAIL();
        }
        PUSH(out);
        vmbreak;
      }
      vmcase(LOAD_METHOD) {
        uint16_t a = OPERAND_A(LOAD_METHOD);
        SKIP_OPERANDS(LOAD_METHOD);
        if (!attr_cache::MethodHit(frame->code, a, sp)) [[unlikely]] {
          PROTECT(LoadMethodMiss(ts, frame->code, a, sp));
        }
        ++sp;
        vmbreak;
      }
      vmcase(LOAD_SUPER_METHOD) {
        uint16_t a = OPERAND_A(LOAD_SUPER_METHOD);
        SKIP_OPERANDS(LOAD_SUPER_METHOD);
        CHECK_BREAKER();
        PROTECT(LoadSuperMethodOnStack(ts, frame->code, a, sp));
        ++sp;
        vmbreak;
      }
      vmcase(CALL) {
        uint16_t argc = OPERAND_A(CALL);
        SKIP_OPERANDS(CALL);
        CHECK_BREAKER();
        Value* args = sp - argc;
        Value callee = args[-1];
        if (IsType(callee, ObjType::kFunction)) {
          auto* fn = static_cast<FunctionObj*>(callee.o);
          CodeObj* code = fn->code;
          // In place only from a frame on the thread's value stack: a generator's frame lives in
          // the generator's own slots, which have no room above them (CallOnStack then).
          if (argc == code->fast_argc && frame->gen == nullptr) [[likely]] {
            // Push the callee's frame in place: its locals are the arguments on our stack.
            if (ts.depth >= kRecursionLimit) [[unlikely]] {
              SAVE();
              ts.Raise("RecursionError", "maximum recursion depth exceeded");
              FAIL();
            }
            if (args + code->frame_size() > ts.stack_end) [[unlikely]] {
              SAVE();
              ts.Raise("MemoryError", "");
              FAIL();
            }
            SAVE();
            frame->sp = args;  // TOP is the callee slot, where the result will land
            for (int i = code->nparams; i < code->nlocals(); ++i) args[i] = Value::Undefined();
            frame = ts.PushFrame(code, args);  // ts.current was `frame`, the caller (SAVE above)
            LOAD_FRAME();
            vmbreak;
          }
        } else if (IsType(callee, ObjType::kClass)) {
          SAVE();
          if (CodeObj* code = PrepareInitInPlace(ts, frame, argc, args)) {
            frame->sp = args + 1;  // TOP is __init__, above the instance: see RETURN_VALUE
            frame = ts.PushFrame(code, args + 1);
            frame->init_call = true;
            LOAD_FRAME();
            vmbreak;
          }
        }
        PROTECT(CallOnStack(ts, argc, nullptr, sp));
        sp -= argc;
        vmbreak;
      }
      vmcase(CALL_KW) {
        uint16_t argc = OPERAND_A(CALL_KW), b = OPERAND_B(CALL_KW);
        SKIP_OPERANDS(CALL_KW);
        CHECK_BREAKER();
        PROTECT(CallKwOnStack(ts, argc, consts[b], sp));
        sp -= argc;
        vmbreak;
      }
      vmcase(CALL_METHOD) {
        uint16_t argc = OPERAND_A(CALL_METHOD);
        SKIP_OPERANDS(CALL_METHOD);
        CHECK_BREAKER();
        SAVE();
        Value* args = sp - argc;
        Value self = args[-1];
        if (self.is_undefined()) {
          // A plain attribute (a module's function): drop the NULL and call it normally.
          std::copy(args, args + argc, args - 1);  // one slot down, front to back
          --sp;
          PROTECT(CallOnStack(ts, argc, nullptr, sp));
          sp -= argc;
          vmbreak;
        }
        if (IsType(args[-2], ObjType::kFunction)) {
          // A Python method: self and the arguments above it are its arguments, in place.
          auto* fn = static_cast<FunctionObj*>(args[-2].o);
          CodeObj* code = fn->code;
          // fast_argc as CALL's: a method with cells, a generator or keyword-only or star
          // parameters binds through CallOnStack.
          if (argc + 1 == code->fast_argc && frame->gen == nullptr && ts.depth < kRecursionLimit &&
              args - 1 + code->frame_size() <= ts.stack_end) {
            frame->sp = args - 1;  // TOP is the method slot, where the result will land
            for (int i = code->nparams; i < code->nlocals(); ++i) args[i - 1] = Value::Undefined();
            frame = ts.PushFrame(code, args - 1);
            LOAD_FRAME();
            vmbreak;
          }
          PROTECT(CallOnStack(ts, argc + 1, nullptr, sp));
          sp -= argc + 1;
          vmbreak;
        }
        auto* method = static_cast<NativeObj*>(args[-2].o);
        Value out;
        bool ok = method->fn(ts, CallArgs{self, args, argc, nullptr}, &out);
        if (!ok) FAIL();
        for (Value* p = args - 2; p < sp; ++p) Decref(*p);
        sp = args - 2;
        PUSH(out);
        vmbreak;
      }
      vmcase(RETURN_VALUE) {
        Value ret = POP();
        ClearFrame(frame, sp);
        if (frame == entry) {
          FLUSH_TICKS();
          PopFrame(ts, frame);
          *result = ret;
          *yielded = false;
          return true;
        }
        Frame* caller = frame->prev;
        const bool init_call = frame->init_call;
        PopFrame(ts, frame);
        frame = caller;
        LOAD_FRAME();
        if (init_call) [[unlikely]] {
          Decref(POP());  // __init__; the instance below it is the call's result
          if (!ret.is_none()) PROTECT(InitReturnedNotNone(ts, ret));
          vmbreak;
        }
        Decref(TOP());  // the function object, in the slot the result replaces
        TOP() = ret;
        vmbreak;
      }
      vmcase(YIELD_VALUE) {
        Value v = POP();
        SAVE();
        GeneratorObj* gen = frame->gen;
        ts.current = frame->prev;
        ts.depth--;
        gen->state = GeneratorObj::State::kSuspended;
        *result = v;
        *yielded = true;
        return true;
      }
      vmcase(MAKE_FUNCTION) {
        uint16_t a = OPERAND_A(MAKE_FUNCTION), ndefaults = OPERAND_B(MAKE_FUNCTION);
        SKIP_OPERANDS(MAKE_FUNCTION);
        SAVE();
        Value fn = MakeFunction(static_cast<CodeObj*>(consts[a].o), sp - ndefaults, ndefaults);
        sp -= ndefaults;
        PUSH(fn);
        vmbreak;
      }
      vmcase(IMPORT_NAME) {
        uint16_t a = OPERAND_A(IMPORT_NAME);
        SKIP_OPERANDS(IMPORT_NAME);
        SAVE();
        Value module = ImportModule(AsStr(consts[a])->s);
        if (module.is_undefined()) {
          ts.Raise("ModuleNotFoundError", "No module named '" + AsStr(consts[a])->s + "'");
          FAIL();
        }
        Incref(module);
        PUSH(module);
        vmbreak;
      }
      vmcase(IMPORT_FROM) {
        uint16_t a = OPERAND_A(IMPORT_FROM);
        SKIP_OPERANDS(IMPORT_FROM);
        auto* module = static_cast<ModuleObj*>(TOP().o);
        Value v = module->Get(AsStr(consts[a])->s);
        if (v.is_undefined()) {
          SAVE();
          ts.Raise("ImportError", "cannot import name '" + AsStr(consts[a])->s + "' from '" +
                                      module->name + "' (unknown location)");
          FAIL();
        }
        Incref(v);
        PUSH(v);
        vmbreak;
      }
      vmcase(STORE_ATTR) {
        uint16_t a = OPERAND_A(STORE_ATTR);
        SKIP_OPERANDS(STORE_ATTR);
        if (!attr_cache::StoreHit(frame->code, a, sp[-1], sp[-2])) [[unlikely]] {
          SAVE();
          if (!StoreAttrMiss(ts, frame->code, a, sp[-1], sp[-2])) FAIL();
        }
        Decref(POP());
        Decref(POP());
        vmbreak;
      }
      vmcase(STORE_LOCAL_ATTR) {
        uint16_t a = OPERAND_A(STORE_LOCAL_ATTR), b = OPERAND_B(STORE_LOCAL_ATTR);
        SKIP_OPERANDS(STORE_LOCAL_ATTR);
        Value obj = locals[a];
        if (!attr_cache::StoreHit(frame->code, b, obj, TOP())) [[unlikely]] {
          SAVE();
          if (obj.is_undefined()) {
            UnboundLocal(ts, frame->code, a);
            FAIL();
          }
          if (!StoreAttrMiss(ts, frame->code, b, obj, TOP())) FAIL();
        }
        Decref(POP());
        vmbreak;
      }
      vmcase(DELETE_ATTR) {
        uint16_t a = OPERAND_A(DELETE_ATTR);
        SKIP_OPERANDS(DELETE_ATTR);
        SAVE();
        if (!DelAttr(ts, TOP(), AsStr(consts[a])->s)) FAIL();
        Decref(POP());
        vmbreak;
      }
      vmcase(BUILD_CLASS) {
        uint16_t a = OPERAND_A(BUILD_CLASS), nbases = OPERAND_B(BUILD_CLASS);
        SKIP_OPERANDS(BUILD_CLASS);
        PROTECT(BuildClassOnStack(ts, AsStr(consts[a])->s, nbases, sp));
        sp -= nbases;
        vmbreak;
      }
      vmcase(LOAD_LOCALS) {
        SAVE();
        PUSH(LocalsDict(ts, frame->code, locals));
        vmbreak;
      }
      vmcase(RAISE) {
        uint16_t n = OPERAND_A(RAISE);
        SKIP_OPERANDS(RAISE);
        SAVE();
        RaiseValue(ts, n >= 1 ? sp[-static_cast<int>(n)] : Value::Undefined(),
                   n == 2 ? sp[-1] : Value::Undefined());
        FAIL();
      }
      vmcase(RAISE_ASSERTION) {
        uint16_t a = OPERAND_A(RAISE_ASSERTION);
        SKIP_OPERANDS(RAISE_ASSERTION);
        SAVE();
        ts.Raise("AssertionError", a ? ToStr(TOP()) : "");
        FAIL();
      }
      vmcase(LOAD_DEREF) {
        uint16_t a = OPERAND_A(LOAD_DEREF);
        SKIP_OPERANDS(LOAD_DEREF);
        Value v = static_cast<CellObj*>(locals[a].o)->value;
        if (v.is_undefined()) [[unlikely]] {
          SAVE();
          UnboundCell(ts, frame->code, a);
          FAIL();
        }
        Incref(v);
        PUSH(v);
        vmbreak;
      }
      vmcase(STORE_DEREF) {
        uint16_t a = OPERAND_A(STORE_DEREF);
        SKIP_OPERANDS(STORE_DEREF);
        auto* cell = static_cast<CellObj*>(locals[a].o);
        Value old = cell->value;
        cell->value = POP();
        Decref(old);
        vmbreak;
      }
      vmcase(DELETE_DEREF) {
        uint16_t a = OPERAND_A(DELETE_DEREF);
        SKIP_OPERANDS(DELETE_DEREF);
        auto* cell = static_cast<CellObj*>(locals[a].o);
        Value old = cell->value;
        if (old.is_undefined()) {
          SAVE();
          UnboundCell(ts, frame->code, a);
          FAIL();
        }
        cell->value = Value::Undefined();
        Decref(old);
        vmbreak;
      }
      vmcase(LOAD_CLOSURE) {
        uint16_t a = OPERAND_A(LOAD_CLOSURE);
        SKIP_OPERANDS(LOAD_CLOSURE);
        Incref(locals[a]);
        PUSH(locals[a]);
        vmbreak;
      }
      vmcase(SET_CLOSURE) {
        uint16_t n = OPERAND_A(SET_CLOSURE);
        SKIP_OPERANDS(SET_CLOSURE);
        SAVE();
        SetClosureOnStack(n, sp);
        sp -= n;
        vmbreak;
      }
      vmcase(SET_KWDEFAULTS) {
        uint16_t n = OPERAND_A(SET_KWDEFAULTS), b = OPERAND_B(SET_KWDEFAULTS);
        SKIP_OPERANDS(SET_KWDEFAULTS);
        SAVE();
        SetKwDefaultsOnStack(consts[b], n, sp);
        sp -= n;
        vmbreak;
      }
      vmcase(LIST_APPEND) {
        uint16_t depth = OPERAND_A(LIST_APPEND);
        SKIP_OPERANDS(LIST_APPEND);
        PROTECT(ComprehensionAdd(ts, Op::kLIST_APPEND, depth, sp));
        --sp;
        vmbreak;
      }
      vmcase(SET_ADD) {
        uint16_t depth = OPERAND_A(SET_ADD);
        SKIP_OPERANDS(SET_ADD);
        PROTECT(ComprehensionAdd(ts, Op::kSET_ADD, depth, sp));
        --sp;
        vmbreak;
      }
      vmcase(MAP_ADD) {
        uint16_t depth = OPERAND_A(MAP_ADD);
        SKIP_OPERANDS(MAP_ADD);
        PROTECT(ComprehensionAdd(ts, Op::kMAP_ADD, depth, sp));
        sp -= 2;
        vmbreak;
      }
      vmcase(LIST_EXTEND) {
        PROTECT(ExtendCallArgs(ts, sp));
        --sp;
        vmbreak;
      }
      vmcase(DICT_MERGE) {
        PROTECT(MergeCallKwargs(ts, sp));
        --sp;
        vmbreak;
      }
      vmcase(CALL_EX) {
        uint16_t has_kwargs = OPERAND_A(CALL_EX);
        SKIP_OPERANDS(CALL_EX);
        PROTECT(CallExOnStack(ts, has_kwargs != 0, sp));
        sp -= 1 + has_kwargs;
        CHECK_BREAKER_LAST();  // after the call: the handler's one call site serves it too
        vmbreak;
      }
      vmcase(GET_YIELD_FROM_ITER) {
        SAVE();
        Value v = TOP(), it;
        if (!IsType(v, ObjType::kGenerator)) {
          if (!GetIter(ts, v, &it)) FAIL();
          Decref(v);
          TOP() = it;
        }
        vmbreak;
      }
      vmcase(SEND) {
        const uint8_t* target = code_base + TARGET_OF(SEND);
        SKIP_OPERANDS(SEND);
        SAVE();
        int r = SendOnStack(ts, sp);
        if (r < 0) FAIL();
        if (r == 0) {
          --sp;
          ip = target;
        }
        vmbreak;
      }
      // The exception opcodes run only where something raised: one shared exit to
      // ExceptionStep below the dispatch, so that they add nothing to the loop's other cases
      // (in-line bodies here cost countdown 11% more instructions, ip spilled to the stack).
      vmcase(PUSH_EXC_INFO) vmcase(POP_EXCEPT) vmcase(CHECK_EXC_MATCH) vmcase(RERAISE)
          vmcase(POP_EXCEPT_AND_RERAISE) vmcase(WITH_ENTER) vmcase(WITH_EXCEPT_START) {
        goto exception_step;
      }
#if !((defined(__GNUC__) || defined(__clang__)) && !defined(GILVM_SWITCH_DISPATCH))
      default:
        SAVE();
        ts.Raise("SystemError", "unknown opcode");
        FAIL();
#endif
    }
    continue;
  // A truth test met an instance (TRUTH_OF_TOP); ip is at the instruction's opcode byte.
  instance_truth:
    SAVE();
    if (!InstanceTruthStep(ts, frame)) {
      ++ip;  // within the instruction, for its line and its handler
      FAIL();
    }
    ip = frame->ip;
    sp = frame->sp;
    continue;
  // An exception opcode (no operands; ip is past its opcode byte).
  exception_step:
    SAVE();
    if (!ExceptionStep(ts, frame)) {
      sp = frame->sp;
      FAIL();
    }
    sp = frame->sp;
    continue;
  // The eval breaker is set: let the policy drop the GIL (and take it back) between two
  // instructions, then go on with the one at ip.
  handle_eval_breaker:
    HANDLE_EVAL_BREAKER();
    continue;
  }

error:
  SAVE();
  if (!CatchError(ts, frame, entry)) UnwindFrames(ts, frame, entry);
  return false;

#undef LOAD_FRAME
#undef SAVE
#undef FLUSH_TICKS
#undef PUSH
#undef POP
#undef TOP
#undef CHECK_BREAKER
#undef HANDLE_EVAL_BREAKER
#undef CHECK_BREAKER_LAST
#undef FAIL
#undef TRUTH_OF_TOP
#undef PROTECT
#undef OPERAND_A
#undef OPERAND_B
#undef OPERAND_C
#undef TARGET_OF
#undef SKIP_OPERANDS
#undef vmdispatch
#undef vmcase
#undef vmbreak
#undef NEXT_OP
}

}  // namespace gilbench::vm
