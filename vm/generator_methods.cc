// The methods of generator objects: send() and close(). next() and iteration resume a generator
// through Interpreter::ResumeGenerator, as send() does.
#include <cstring>
#include <string>

#include "vm/args.h"
#include "vm/builtins.h"
#include "vm/exceptions.h"
#include "vm/interpreter.h"
#include "vm/opcodes.h"
#include "vm/runtime.h"

namespace gilbench::vm {
namespace {

GeneratorObj* AsGenerator(Value v) { return static_cast<GeneratorObj*>(v.o); }

// gen.send(value): resumes the generator with its yield evaluating to `value`; the next item, or
// StopIteration carrying the generator's return value when it ends.
bool GeneratorSend(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!Arity(ts, call, "send", 1, 1)) return false;
  Value returned;
  Interpreter::IterResult r =
      ts.interp->ResumeGenerator(ts, AsGenerator(call.self), result, call.args[0], &returned);
  if (r == Interpreter::IterResult::kItem) return true;
  if (r == Interpreter::IterResult::kError) return false;
  std::string message = returned.is_none() ? "" : ToStr(returned);
  Decref(returned);
  return ts.Raise("StopIteration", std::move(message));
}

// The generator a suspended generator is delegating to with `yield from`, or null: it is
// suspended at that loop's YIELD_VALUE when the next instruction is the LOOP back to its SEND.
GeneratorObj* DelegateOf(GeneratorObj* gen) {
  const Frame& frame = gen->frame;
  if (static_cast<Op>(*frame.ip) != Op::kLOOP) return nullptr;
  uint32_t target;
  std::memcpy(&target, frame.ip + 1 + kOffsetTarget<Op::kLOOP>, sizeof target);
  if (static_cast<Op>(frame.code->bytecode[target]) != Op::kSEND) return nullptr;
  Value delegate = frame.sp[-1];
  return IsType(delegate, ObjType::kGenerator) ? AsGenerator(delegate) : nullptr;
}

}  // namespace

// gen.close(): a generator not started yet just ends. A suspended one first closes the generator
// it delegates to with `yield from`, if any, then gets GeneratorExit raised at its yield, so that
// its `finally` clauses and `with` exits run. It must then end: by that GeneratorExit (or
// another), by returning, or with an error that close() passes on; yielding again is
// CPython's RuntimeError.
bool CloseGenerator(ThreadState& ts, GeneratorObj* gen) {
  if (gen->state == GeneratorObj::State::kRunning) {
    return ts.Raise("ValueError", "generator already executing");
  }
  if (gen->state == GeneratorObj::State::kCreated) {
    Frame& frame = gen->frame;
    for (Value* v = frame.locals; v < frame.sp; ++v) {
      Decref(*v);
      *v = Value::Undefined();
    }
    frame.sp = frame.locals;
    gen->state = GeneratorObj::State::kDone;
    return true;
  }
  if (gen->state == GeneratorObj::State::kDone) return true;
  if (GeneratorObj* delegate = DelegateOf(gen); delegate && !CloseGenerator(ts, delegate)) {
    return false;
  }
  ts.Raise("GeneratorExit", "");
  Value item;
  switch (ts.interp->ThrowIntoGenerator(ts, gen, &item)) {
    case Interpreter::IterResult::kItem:
      Decref(item);
      return ts.Raise("RuntimeError", "generator ignored GeneratorExit");
    case Interpreter::IterResult::kDone:
      return true;
    case Interpreter::IterResult::kError:
      break;
  }
  NoteRaisedError(ts);
  static const Value kGeneratorExit = Value::Object(ExceptionClass("GeneratorExit"));
  int exit = ExceptionMatches(ts, ts.exc_value, kGeneratorExit);
  if (exit <= 0) return false;  // another error (or a failed match): close() raises it
  ts.ClearError();
  return true;
}

namespace {

bool GeneratorClose(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!Arity(ts, call, "close", 0, 0)) return false;
  if (!CloseGenerator(ts, AsGenerator(call.self))) return false;
  *result = Value::None();
  return true;
}

}  // namespace

std::vector<std::pair<const char*, NativeFn>> GeneratorMethods() {
  return {{"send", GeneratorSend}, {"close", GeneratorClose}};
}

}  // namespace gilbench::vm
