// The description of a compile-time error (SyntaxError, IndentationError, TabError), shared by the
// lexer, parser and compiler, and its rendering in CPython's shape:
//
//     File "prog.py", line 3
//       x = = 1
//           ^
//   SyntaxError: invalid syntax
#pragma once

#include <string>
#include <string_view>

namespace gilbench::vm {

struct SyntaxErrorInfo {
  std::string type = "SyntaxError";  // or "IndentationError", "TabError"
  std::string message;               // e.g. "invalid syntax", "class definitions are not supported"
  int line = 0;                      // 1-based
  int col = -1;                      // 0-based byte column of the caret; -1 prints no caret
};

// Renders `error` as CPython prints it (source line stripped of leading blanks, caret under the
// offending column), ending with a newline. `source` is the whole file, used to fetch the line.
std::string FormatSyntaxError(std::string_view filename, std::string_view source,
                              const SyntaxErrorInfo& error);

}  // namespace gilbench::vm
