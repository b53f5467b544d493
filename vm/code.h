// Code objects (what the compiler produces and the interpreter runs), functions, and the frames
// that run them, generator frames included.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "vm/exception_table.h"
#include "vm/object.h"

namespace gilbench::vm {

struct ClassObj;

// One inline cache of instance attribute loads and stores (vm/attributes.cc): the version tag of
// the class last seen (high 48 bits) and the slot of the attribute in its instances (low 16), 0
// when empty. One 64-bit word, read and written relaxed: code objects are shared by threads that
// may hold different GILs (subinterp), and a stale or racing entry is only a miss, since a tag is
// never reused.
using AttrCacheEntry = std::atomic<uint64_t>;

// A compiled function body or module: bytecode, constants, local names and line table.
// Immutable once verified, so threads may share it.
struct CodeObj : Obj {
  std::string name;      // "<module>" or the function's name
  std::string filename;  // as given to the compiler, for tracebacks
  std::vector<uint8_t> bytecode;
  std::vector<Value> constants;  // owned; may hold nested CodeObjs
  std::string qualname;          // "f", "f.<locals>.g", "<lambda>": what call errors name
  // The locals in slot order: the positional parameters (nparams), the keyword-only ones
  // (nkwonly), *args and **kwargs when there are, the other locals, and last the nfree free
  // variables, whose slots hold the closure's cells.
  std::vector<std::string> local_names;
  int nparams = 0;
  int nkwonly = 0;
  bool has_varargs = false;
  bool has_varkw = false;
  int nfree = 0;
  // The slots (parameters or other locals) that hold a cell because a nested function uses them.
  std::vector<uint16_t> cell_slots;
  // nparams when a call with that many positional arguments binds them in place with nothing
  // else to do (no cells, no free variables, not a generator, no keyword-only or star
  // parameters): CALL's fast path compares the argument count with this alone. -1 otherwise.
  int fast_argc = -1;
  bool is_generator = false;
  int max_stack = 0;  // the deepest operand stack, computed by the verifier
  // (bytecode offset, source line) pairs in increasing offset order: an instruction's line is the
  // one of the last entry at or before its offset.
  std::vector<std::pair<uint32_t, int>> line_table;
  // Where a raised exception goes (vm/exception_table.h); empty for code without try or with.
  std::vector<ExceptionHandler> exception_table;
  int first_line = 1;
  // An attribute cache per constant, used by the instructions whose NAME operand is that constant
  // (LOAD_ATTR, STORE_ATTR): all `self.x` of one function share the entry of "x".
  std::unique_ptr<AttrCacheEntry[]> attr_cache;
  // A method cache per constant, used by LOAD_METHOD on instances (attributes.cc): where the
  // class last seen there keeps the plain function of that name. Apart from attr_cache, since
  // `self.f` and `self.f()` in one function share the constant "f".
  std::unique_ptr<AttrCacheEntry[]> method_cache;

  CodeObj() : Obj(ObjType::kCode) {}
  ~CodeObj() override {
    for (Value v : constants) Decref(v);
  }
  int nlocals() const { return static_cast<int>(local_names.size()); }
  // The parameter slots: positional, keyword-only, *args, **kwargs.
  int nparam_slots() const { return nparams + nkwonly + has_varargs + has_varkw; }
  bool IsFreeSlot(int slot) const { return slot >= nlocals() - nfree; }
  // Slots a frame of this code needs: locals, then the operand stack.
  int frame_size() const { return nlocals() + max_stack; }
  int LineForOffset(uint32_t offset) const;
};

// A variable that outlives its frame or is shared with closures: a nested function's free
// variable, or a local of the function that made it.
struct CellObj : Obj {
  Value value = Value::Undefined();  // owned; undefined while unbound
  CellObj() : Obj(ObjType::kCell) {}
  ~CellObj() override { Decref(value); }
};

struct FunctionObj : Obj {
  CodeObj* code;                // owned
  std::vector<Value> defaults;  // owned: values for the last defaults.size() parameters
  // The class whose body defined this function (a method), for zero-argument super(); null for
  // other functions. Recorded when the class is made (vm/class.cc), where CPython keeps a
  // __class__ cell (which would cost every method a closure here). Borrowed: the class clears it
  // when it dies, since the class holds the function (owning it back would be a cycle, and nothing
  // collects cycles).
  ClassObj* defining_class = nullptr;
  // owned: one per keyword-only parameter, undefined where it has no default (empty: none has)
  std::vector<Value> kwdefaults;
  std::vector<Value> closure;  // owned cells, one per free variable of code
  FunctionObj(CodeObj* c, std::vector<Value> d)
      : Obj(ObjType::kFunction), code(c), defaults(std::move(d)) {
    IncrefObj(c);
  }
  ~FunctionObj() override {
    DecrefObj(code);
    for (Value v : defaults) Decref(v);
    for (Value v : kwdefaults) Decref(v);
    for (Value v : closure) Decref(v);
  }
};

struct GeneratorObj;

// One activation of a code object. Frames of plain calls live in the thread's frame array;
// a generator's frame lives in the generator object, on the heap, across suspensions.
struct Frame {
  CodeObj* code = nullptr;      // borrowed: the function or generator keeps it alive
  const uint8_t* ip = nullptr;  // next instruction; saved here whenever the loop may leave it
  Value* locals = nullptr;      // code->nlocals() slots, then the operand stack
  Value* sp = nullptr;          // top of the operand stack while the frame is suspended
  Frame* prev = nullptr;        // the caller (for tracebacks)
  GeneratorObj* gen = nullptr;  // the generator owning this frame, if any
  Value* saved_free = nullptr;  // plain frames: the thread's stack_free before this frame
  // A class call's __init__, pushed in place by CALL: below its locals sit the new instance (the
  // call's result) and the __init__ function (held for the call); RETURN_VALUE checks that it
  // returned None and leaves the instance as the result.
  bool init_call = false;
  Value* stack_base() const { return locals + code->nlocals(); }
  // The source line of the instruction the frame is at: the one before ip (ip is saved past the
  // instruction that called out or raised), or the first at the frame's start.
  int CurrentLine() const {
    const auto offset = static_cast<uint32_t>(ip - code->bytecode.data());
    return code->LineForOffset(offset ? offset - 1 : 0);
  }

  // Sets the frame up to run `code` from its first instruction, with its locals at `locals`
  // (the arguments already bound there) and an empty operand stack above them. Every frame is
  // started here: plain ones by ThreadState::PushFrame, a generator's by GeneratorObj.
  void Start(CodeObj* frame_code, Value* frame_locals) {
    code = frame_code;
    ip = frame_code->bytecode.data();
    locals = frame_locals;
    sp = stack_base();
  }
};

struct GeneratorObj : Obj {
  enum class State : uint8_t { kCreated, kSuspended, kRunning, kDone };
  FunctionObj* func;         // owned: keeps the code alive
  std::vector<Value> slots;  // locals + operand stack of the suspended frame (owned)
  Frame frame;
  State state = State::kCreated;
  // The exception its frame was handling when it yielded (owned), or undefined: restored as the
  // one being handled when it is resumed, as CPython keeps a generator's exception state.
  Value handled = Value::Undefined();

  explicit GeneratorObj(FunctionObj* f) : Obj(ObjType::kGenerator), func(f) {
    IncrefObj(f);
    slots.assign(f->code->frame_size(), Value::Undefined());
    frame.Start(f->code, slots.data());
    frame.gen = this;
  }
  ~GeneratorObj() override {
    // Locals, and whatever the operand stack held when the generator was suspended.
    for (Value* v = slots.data(); v < frame.sp; ++v) Decref(*v);
    Decref(handled);
    DecrefObj(func);
  }
};

}  // namespace gilbench::vm
