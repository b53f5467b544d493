// sys.stdout and sys.stderr as objects: write(s) and flush(), and print(..., file=...) for a
// file other than sys.stdout. Writes to stdout go through the interpreter's model of CPython's
// buffering (Interpreter::WriteStdout); writes to stderr reach fd 2 at once, as CPython's
// line-buffered stderr does for a line.
#include <cstdio>
#include <string>

#include "vm/args.h"
#include "vm/builtins.h"
#include "vm/os_error.h"
#include "vm/runtime.h"
#include "vm/utf8_codec.h"

namespace gilbench::vm {
namespace {

// Writes text to the stream's fd; returns 0 or an errno.
int WriteTo(ThreadState& ts, int fd, const std::string& text) {
  if (fd == 1) return ts.interp->WriteStdout(text);
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
  return 0;
}

int FdOf(Value stream) { return static_cast<TextStreamObj*>(stream.o)->fd; }

bool StreamWrite(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!Arity(ts, call, "write", 1, 1)) return false;
  Value v = call.args[0];
  if (!IsType(v, ObjType::kStr)) {
    return ts.Raise("TypeError", std::string("write() argument must be str, not ") + TypeName(v));
  }
  std::string unencodable;
  if (!CheckUtf8Encodable(AsStr(v)->s, &unencodable)) {
    return ts.Raise("UnicodeEncodeError", std::move(unencodable));
  }
  int err = WriteTo(ts, FdOf(call.self), AsStr(v)->s);
  if (err != 0) return RaiseOsError(ts, err);
  *result = Value::Int(static_cast<int64_t>(AsStr(v)->Length()));
  return true;
}

bool StreamFlush(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!Arity(ts, call, "flush", 0, 0)) return false;
  int err = FdOf(call.self) == 1 ? ts.interp->FlushStdout() : 0;
  if (err != 0) return RaiseOsError(ts, err);
  *result = Value::None();
  return true;
}

}  // namespace

std::vector<std::pair<const char*, NativeFn>> TextStreamMethods() {
  return {{"write", StreamWrite}, {"flush", StreamFlush}};
}

Value MakeTextStream(int fd) { return Value::Object(new TextStreamObj(fd)); }

bool PrintToFile(ThreadState& ts, const CallArgs& call, Value file, const std::string& sep,
                 const std::string& end, bool flush, Value* result) {
  if (!IsType(file, ObjType::kTextStream)) {
    return ts.Raise("AttributeError",
                    std::string("'") + TypeName(file) + "' object has no attribute 'write'");
  }
  std::string text;
  for (int i = 0; i < call.npositional(); ++i) {
    if (i > 0) text += sep;
    std::string piece;
    if (!StrOf(ts, call.args[i], &piece)) return false;
    text += piece;
  }
  text += end;
  std::string unencodable;
  if (!CheckUtf8Encodable(text, &unencodable)) {
    return ts.Raise("UnicodeEncodeError", std::move(unencodable));
  }
  int err = WriteTo(ts, FdOf(file), text);
  if (err == 0 && flush && FdOf(file) == 1) err = ts.interp->FlushStdout();
  if (err != 0) return RaiseOsError(ts, err);
  *result = Value::None();
  return true;
}

}  // namespace gilbench::vm
