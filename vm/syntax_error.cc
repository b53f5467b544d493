// Renders a SyntaxErrorInfo exactly as CPython 3.11 prints a SyntaxError (pythonrun.c's
// print_error_text): the offending line without its leading blanks, and a caret under the column.
// Like CPython 3.11 run on a file, the caret's indent counts bytes, not characters.
#include "vm/syntax_error.h"

#include <algorithm>

namespace gilbench::vm {
namespace {

// The text of 1-based line `line` without its line terminator; false when there is no such line.
bool FindLine(std::string_view source, int line, std::string_view* text) {
  if (line < 1) return false;
  size_t start = 0;
  for (int current = 1; current < line; ++current) {
    size_t newline = source.find('\n', start);
    if (newline == std::string_view::npos) return false;
    start = newline + 1;
  }
  if (start >= source.size() && line > 1) return false;
  size_t end = source.find('\n', start);
  if (end == std::string_view::npos) end = source.size();
  *text = source.substr(start, end - start);
  if (!text->empty() && text->back() == '\r') text->remove_suffix(1);
  // A line holding a NUL byte ("source code cannot contain null bytes") shows the text before
  // it, as CPython 3.12 shows it, rather than a control character on the terminal.
  *text = text->substr(0, text->find('\0'));
  return true;
}

}  // namespace

std::string FormatSyntaxError(std::string_view filename, std::string_view source,
                              const SyntaxErrorInfo& error) {
  std::string out;
  std::string_view text;
  if (error.line > 0) {
    out += "  File \"" + std::string(filename) + "\", line " + std::to_string(error.line) + "\n";
    if (FindLine(source, error.line, &text)) {
      size_t strip = text.find_first_not_of(" \t\f");
      if (strip == std::string_view::npos) strip = text.size();
      std::string_view shown = text.substr(strip);
      out += "    " + std::string(shown) + "\n";
      int col = error.col - static_cast<int>(strip);
      if (error.col >= 0 && col >= 0) {
        size_t byte_col = std::min(static_cast<size_t>(col), shown.size());
        out += "    " + std::string(byte_col, ' ') + "^\n";
      }
    }
  }
  out += error.type + ": " + error.message + "\n";
  return out;
}

}  // namespace gilbench::vm
