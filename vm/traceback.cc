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
    text += "  File \"" + e.code->filename + "\", line " + std::to_string(e.line) + ", in " +
            e.code->name + "\n";
    std::string line = SourceLine(source, e.line);
    if (!line.empty()) text += "    " + line + "\n";
  }
  return text;
}

namespace {

constexpr const char* kCauseLink =
    "\nThe above exception was the direct cause of the following exception:\n\n";
constexpr const char* kContextLink =
    "\nDuring handling of the above exception, another exception occurred:\n\n";

// "Type: message" (or "Type" for an empty message) of a chained exception. Its str() may run a
// program's __str__; one that fails is shown as CPython shows it.
std::string ExceptionLine(ThreadState& ts, Value exc) {
  std::string text = AsInstance(exc)->cls->name;
  std::string message;
  if (!StrOf(ts, exc, &message)) {
    ts.ClearError();
    return text + ": <exception str() failed>\n";
  }
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
