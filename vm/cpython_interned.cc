// The strs CPython 3.11 has interned before it compiles a program (see cpython_interned.h).
#include "vm/cpython_interned.h"

#include <algorithm>
#include <string>
#include <unordered_set>

#include "vm/interpreter.h"
#include "vm/lexer.h"

namespace gilbench::vm {
namespace {

bool IsIdentifierChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// A function static: built on first use, once, whichever thread asks first.
const std::unordered_set<std::string_view>& StartupInterned() {
  static const std::unordered_set<std::string_view> kWords = {
#include "vm/cpython_interned.inc"
  };
  return kWords;
}

}  // namespace

// The program's identifiers, lexed from its source the first time a folded set display asks.
const std::unordered_set<std::string>& Interpreter::SourceIdentifiers() {
  if (source_identifiers_ == nullptr) {
    auto names = std::make_unique<std::unordered_set<std::string>>();
    LexResult lexed = Tokenize(source_);
    for (const Token& token : lexed.tokens) {
      if (token.kind == TokenKind::kName && !IsKeyword(token.text)) names->insert(token.text);
    }
    source_identifiers_ = std::move(names);
  }
  return *source_identifiers_;
}

bool InternedBeforeCompile(Interpreter& interp, std::string_view text) {
  if (text.empty() || !std::all_of(text.begin(), text.end(), IsIdentifierChar)) return false;
  if (StartupInterned().count(text) != 0) return true;
  // A one-character identifier is CPython's cached one-character str, the very object a literal
  // of it is: interning the literal then changes nothing.
  return text.size() > 1 && interp.SourceIdentifiers().count(std::string(text)) != 0;
}

}  // namespace gilbench::vm
