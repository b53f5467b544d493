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
  std::string qualname;  // a method's "C.f" (CPython's co_qualname, for call errors); else empty
  std::string filename;  // as given to the compiler, for tracebacks
  std::vector<uint8_t> bytecode;
  std::vector<Value> constants;          // owned; may hold nested CodeObjs
  std::vector<std::string> local_names;  // the parameters first
  int nparams = 0;
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

  CodeObj() : Obj(ObjType::kCode) {}
  ~CodeObj() override {
    for (Value v : constants) Decref(v);
  }
  int nlocals() const { return static_cast<int>(local_names.size()); }
  // Slots a frame of this code needs: locals, then the operand stack.
  int frame_size() const { return nlocals() + max_stack; }
  int LineForOffset(uint32_t offset) const;
};

struct FunctionObj : Obj {
  CodeObj* code;                // owned
  std::vector<Value> defaults;  // owned: values for the last defaults.size() parameters
  // The class whose body defined this function (a method), for zero-argument super(); null for
  // other functions. Recorded when the class is made (vm/class.cc), as CPython's __class__ cell
  // would hold it -- the VM has no cells. Borrowed: the class clears it when it dies, since the
  // class holds the function (owning it back would be a cycle, and nothing collects cycles).
  ClassObj* defining_class = nullptr;
  FunctionObj(CodeObj* c, std::vector<Value> d)
      : Obj(ObjType::kFunction), code(c), defaults(std::move(d)) {
    IncrefObj(c);
  }
  ~FunctionObj() override {
    DecrefObj(code);
    for (Value v : defaults) Decref(v);
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
