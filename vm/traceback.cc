// Tracebacks and chained exceptions as CPython prints them (see traceback.h).
#include "vm/traceback.h"

#include <algorithm>
#include <vector>

#include "vm/exceptions.h"
#include "vm/runtime.h"

namespace gilbench::vm {

std::string SourceLine(std::string_view source, int line) {
  size_t start = 0;
  for (int i = 1; i < line && start != std::string_view::npos; ++i) {
    start = source.find('\n', start);
    if (start != std::string_view::npos) ++start;
  }
  if (start == std::string_view::npos || start >= source.size()) return "";
  size_t end = source.find('\n', start);
  std::string_view text = source.substr(start, end == std::string_view::npos ? end : end - start);
  size_t b = text.find_first_not_of(" \t\r\f");
  size_t e = text.find_last_not_of(" \t\r\f");
  return b == std::string_view::npos ? "" : std::string(text.substr(b, e - b + 1));
}

std::string FormatTraceback(std::string_view source, const std::vector<TraceEntry>& traceback) {
  std::string text = "Traceback (most recent call last):\n";
  for (const TraceEntry& e : traceback) {
    const int number = e.line();
    text += "  File \"" + e.code->filename + "\", line " + std::to_string(number) + ", in " +
            e.code->name + "\n";
    std::string line = SourceLine(source, number);
    if (!line.empty()) text += "    " + line + "\n";
  }
  return text;
}

namespace {

constexpr const char* kCauseLink =
    "\nThe above exception was the direct cause of the following exception:\n\n";
constexpr const char* kContextLink =
    "\nDuring handling of the above exception, another exception occurred:\n\n";

// The error being printed stays pending on ts while the chain before it is formatted, and a
// chained exception's __str__ may raise: that error would replace it. So the pending error is set
// aside for the call, and whatever the call left is cleared before it is put back.
class PendingErrorAside {
 public:
  explicit PendingErrorAside(ThreadState& ts)
      : ts_(ts),
        has_error_(ts.has_error),
        type_(std::move(ts.error_type)),
        message_(std::move(ts.error_message)),
        message_pending_(ts.error_message_pending),
        traceback_(std::move(ts.traceback)),
        traceback_captured_(ts.traceback_captured),
        system_exit_(ts.system_exit),
        exit_status_(ts.exit_status),
        exit_message_(std::move(ts.exit_message)),
        exc_value_(ts.exc_value),
        exc_noted_(ts.exc_noted),
        uncatchable_(ts.uncatchable) {
    ts.exc_value = Value::Undefined();  // moved here: ClearError must not release it
    ts.ClearError();
  }
  ~PendingErrorAside() {
    ts_.ClearError();
    ts_.has_error = has_error_;
    ts_.error_type = std::move(type_);
    ts_.error_message = std::move(message_);
    ts_.error_message_pending = message_pending_;
    ts_.traceback = std::move(traceback_);
    ts_.traceback_captured = traceback_captured_;
    ts_.system_exit = system_exit_;
    ts_.exit_status = exit_status_;
    ts_.exit_message = std::move(exit_message_);
    ts_.exc_value = exc_value_;
    ts_.exc_noted = exc_noted_;
    ts_.uncatchable = uncatchable_;
  }
  PendingErrorAside(const PendingErrorAside&) = delete;
  PendingErrorAside& operator=(const PendingErrorAside&) = delete;

 private:
  ThreadState& ts_;
  bool has_error_;
  std::string type_;
  std::string message_;
  bool message_pending_;
  std::vector<TraceEntry> traceback_;
  bool traceback_captured_;
  bool system_exit_;
  int exit_status_;
  std::string exit_message_;
  Value exc_value_;
  bool exc_noted_;
  bool uncatchable_;
};

// "Type: message" (or "Type" for an empty message) of a chained exception. Its str() may run a
// program's __str__; one that fails is shown as CPython shows it.
std::string ExceptionLine(ThreadState& ts, Value exc) {
  std::string text = QualifiedClassName(AsInstance(exc)->cls);
  std::string message;
  PendingErrorAside aside(ts);
  if (!StrOf(ts, exc, &message)) return text + ": <exception str() failed>\n";
  if (!message.empty()) text += ": " + message;
  return text + "\n";
}

}  // namespace

std::string FormatExceptionChain(ThreadState& ts, std::string_view source, Value exc) {
  // From `exc` back along its links, each printed before the one it leads to; a cycle stops.
  std::vector<std::pair<Value, const char*>> chain;  // (exception, link to the next)
  std::vector<Obj*> seen;
  for (Value e = exc; IsExceptionInstance(e);) {
    seen.push_back(e.o);
    ExceptionObj* x = AsException(e);
    Value next = Value::Undefined();
    const char* link = nullptr;
    if (!x->cause.is_undefined() && !x->cause.is_none()) {
      next = x->cause;
      link = kCauseLink;
    } else if (!x->suppress_context && !x->context.is_undefined()) {
      next = x->context;
      link = kContextLink;
    }
    if (!IsExceptionInstance(next)) break;
    bool cycle = false;
    for (Obj* o : seen) cycle = cycle || o == next.o;
    if (cycle) break;
    chain.emplace_back(next, link);
    e = next;
  }
  std::string text;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    ExceptionObj* x = AsException(it->first);
    if (x->has_traceback) {
      const size_t skip = std::min(x->traceback_skip, x->traceback.size());
      text += FormatTraceback(
          source, std::vector<TraceEntry>(x->traceback.begin() + static_cast<ptrdiff_t>(skip),
                                          x->traceback.end()));
    }
    text += ExceptionLine(ts, it->first);
    text += it->second;
  }
  return text;
}

}  // namespace gilbench::vm
