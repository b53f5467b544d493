// The methods of str: searching (find, index, count, startswith, ...), splitting and joining
// pieces (split, rsplit, splitlines, partition, replace, strip), case (upper, lower, title, ...),
// padding (ljust, rjust, center, zfill) and the character classes (isdigit, isalpha, ...).
//
// Indexes count code points, as Python's do, while a str holds UTF-8: an all-ASCII str (the
// common case, known from StrObj::ascii) is worked on as its bytes, any other as its decoded code
// points, by the same templates over the code unit type. Case mapping and the character classes
// follow Unicode for ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic; other scripts are
// left as they are (docs/language.md says so).
#include <algorithm>
#include <string>
#include <string_view>

#include "vm/args.h"
#include "vm/builtins.h"
#include "vm/runtime.h"
#include "vm/utf8.h"

namespace gilbench::vm {
namespace {

// --- code points: classes and case -------------------------------------------------------------

bool IsSpaceCp(uint32_t c) {
  return (c >= 9 && c <= 13) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
         c == 0x3000;
}

bool IsLineBreak(uint32_t c) {
  return c == '\n' || c == '\r' || c == 0x0B || c == 0x0C || c == 0x1C || c == 0x1D || c == 0x1E ||
         c == 0x85 || c == 0x2028 || c == 0x2029;
}

// Lower-case code point of an upper-case one (c itself otherwise), for the covered scripts.
uint32_t ToLowerCp(uint32_t c) {
  if (c >= 'A' && c <= 'Z') return c + 32;
  if (c < 0xC0) return c;
  if ((c >= 0xC0 && c <= 0xDE && c != 0xD7)) return c + 32;
  if (c >= 0x100 && c <= 0x17F) {
    if (c == 0x130) return 'i';  // (CPython gives "i̇"; close enough for the covered range)
    if (c == 0x178) return 0xFF;
    bool odd_upper = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
    if (odd_upper) return (c & 1) ? c + 1 : c;
    if (c == 0x138 || c == 0x149 || c == 0x17F) return c;
    return (c & 1) ? c : c + 1;
  }
  if ((c >= 0x391 && c <= 0x3A9 && c != 0x3A2)) return c + 32;
  if (c >= 0x410 && c <= 0x42F) return c + 32;
  if (c >= 0x400 && c <= 0x40F) return c + 80;
  return c;
}

// Upper-case code point(s) of a lower-case one, appended to `out` (ß becomes "SS").
template <typename C>
void AppendUpper(uint32_t c, std::basic_string<C>* out) {
  if (c >= 'a' && c <= 'z') {
    out->push_back(static_cast<C>(c - 32));
  } else if (c < 0xB5) {
    out->push_back(static_cast<C>(c));
  } else if (c == 0xB5) {
    out->push_back(static_cast<C>(0x39C));
  } else if (c == 0xDF) {
    out->push_back('S');
    out->push_back('S');
  } else if (c >= 0xE0 && c <= 0xFE && c != 0xF7) {
    out->push_back(static_cast<C>(c - 32));
  } else if (c == 0xFF) {
    out->push_back(static_cast<C>(0x178));
  } else if (c >= 0x100 && c <= 0x17F && ToLowerCp(c) == c && c != 0x138 && c != 0x149) {
    if (c == 0x131) {
      out->push_back('I');
    } else if (c == 0x17F) {
      out->push_back('S');
    } else {
      out->push_back(static_cast<C>(c - 1));  // the upper case sits just below
    }
  } else if (c >= 0x3B1 && c <= 0x3C9 && c != 0x3C2) {
    out->push_back(static_cast<C>(c - 32));
  } else if (c == 0x3C2) {
    out->push_back(static_cast<C>(0x3A3));
  } else if (c >= 0x430 && c <= 0x44F) {
    out->push_back(static_cast<C>(c - 32));
  } else if (c >= 0x450 && c <= 0x45F) {
    out->push_back(static_cast<C>(c - 80));
  } else {
    out->push_back(static_cast<C>(c));
  }
}

bool IsUpperCp(uint32_t c) { return ToLowerCp(c) != c; }
bool IsLowerCp(uint32_t c) {
  if (c == 0xDF || c == 0xAA || c == 0xBA || c == 0x138 || c == 0x149) return true;
  std::u32string up;
  AppendUpper(c, &up);
  return up.size() != 1 || up[0] != c;
}
bool IsCasedCp(uint32_t c) { return IsUpperCp(c) || IsLowerCp(c); }
bool IsDecimalCp(uint32_t c) { return c >= '0' && c <= '9'; }
bool IsDigitCp(uint32_t c) { return IsDecimalCp(c) || c == 0xB2 || c == 0xB3 || c == 0xB9; }
bool IsNumericCp(uint32_t c) { return IsDigitCp(c) || (c >= 0xBC && c <= 0xBE); }
bool IsAlphaCp(uint32_t c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  if (c < 0xAA) return false;
  if (c == 0xAA || c == 0xB5 || c == 0xBA) return true;
  if (c >= 0xC0 && c <= 0x24F) return c != 0xD7 && c != 0xF7;
  if (c >= 0x370 && c <= 0x3FF)
    return c != 0x375 && c != 0x37E && c != 0x384 && c != 0x385 && c != 0x387;
  if (c >= 0x400 && c <= 0x481) return true;
  if (c >= 0x48A && c <= 0x52F) return true;
  return false;
}

// --- text as code units
// ---------------------------------------------------------------------------

// A str's code points: its bytes when it is all ASCII, else its decoded text.
struct Units {
  const StrObj* str;
  std::u32string wide;  // when !str->ascii
  explicit Units(const StrObj* s) : str(s) {
    if (!s->ascii) wide = utf8::DecodeAllLenient(s->s);
  }
  size_t size() const { return str->ascii ? str->s.size() : wide.size(); }
  uint32_t operator[](size_t i) const {
    return str->ascii ? static_cast<unsigned char>(str->s[i]) : wide[i];
  }
};

Value StrFromUnits(std::u32string_view cps) {
  std::string out;
  for (char32_t c : cps) utf8::Append(c, &out);
  return MakeStr(std::move(out));
}

std::u32string Wide(const StrObj* s) { return utf8::DecodeAllLenient(s->s); }

StrObj* Self(const CallArgs& call) { return AsStr(call.self); }

// The argument must be a str: "must be str, not int" (find, count, partition, ...).
bool StrArg(ThreadState& ts, Value v, const char* what = "must be str, not ") {
  if (IsType(v, ObjType::kStr)) return true;
  return ts.Raise("TypeError", std::string(what) + TypeName(v));
}

// A slice bound for start/end arguments: None or an int, clamped to [0, len] as slices are.
bool SliceIndex(ThreadState& ts, Value v, int64_t len, int64_t missing, int64_t* out) {
  if (v.is_undefined() || v.is_none()) {
    *out = missing;
    return true;
  }
  if (!v.is_intlike()) {
    return ts.Raise("TypeError",
                    "slice indices must be integers or None or have an __index__ method");
  }
  int64_t i = v.i;
  if (i < 0) i = std::max<int64_t>(0, i + len);
  *out = i;  // may exceed len: callers decide (startswith is False, find is -1)
  return true;
}

// Positional-only arguments between min and max, in the "takes at least 1 argument (0 given)"
// wording of find, count, index and friends.
bool MethodArity(ThreadState& ts, const CallArgs& call, const char* name, int min, int max) {
  if (!NoKeywords(ts, call, name)) return false;
  if (call.nargs >= min && call.nargs <= max) return true;
  bool few = call.nargs < min;
  int bound = few ? min : max;
  return ts.Raise("TypeError", std::string(name) + "() takes " + (few ? "at least " : "at most ") +
                                   std::to_string(bound) + " argument" + (bound == 1 ? "" : "s") +
                                   " (" + std::to_string(call.nargs) + " given)");
}

// --- searching
// ------------------------------------------------------------------------------------

// The code-point range [start, end) of a find-like call's optional arguments 1 and 2.
bool SearchRange(ThreadState& ts, const CallArgs& call, int64_t len, int64_t* start, int64_t* end) {
  Value s = call.nargs > 1 ? call.args[1] : Value::None();
  Value e = call.nargs > 2 ? call.args[2] : Value::None();
  if (!SliceIndex(ts, s, len, 0, start) || !SliceIndex(ts, e, len, len, end)) return false;
  *end = std::min(*end, len);
  return true;
}

// Where `sub` first (or last) occurs in self[start:end], as a code-point index, or -1.
int64_t FindIn(const StrObj* self, const StrObj* sub, int64_t start, int64_t end, bool last) {
  int64_t sub_len = static_cast<int64_t>(sub->Length());
  if (start > end || end - start < sub_len) return -1;
  size_t from = self->ByteOffset(start), to = self->ByteOffset(end);
  std::string_view hay = std::string_view(self->s).substr(from, to - from);
  size_t at = last ? hay.rfind(sub->s) : hay.find(sub->s);
  if (at == std::string_view::npos) return -1;
  if (self->ascii) return start + static_cast<int64_t>(at);
  int64_t cps = 0;
  for (size_t i = 0; i < at; ++i) cps += (static_cast<unsigned char>(hay[i]) & 0xC0) != 0x80;
  return start + cps;
}

bool Find(ThreadState& ts, const CallArgs& call, Value* result, const char* name, bool last,
          bool raise) {
  if (!MethodArity(ts, call, name, 1, 3) || !StrArg(ts, call.args[0])) return false;
  int64_t len = static_cast<int64_t>(Self(call)->Length()), start, end;
  if (!SearchRange(ts, call, len, &start, &end)) return false;
  int64_t at = FindIn(Self(call), AsStr(call.args[0]), start, end, last);
  if (at < 0 && raise) return ts.Raise("ValueError", "substring not found");
  *result = Value::Int(at);
  return true;
}

bool StrFind(ThreadState& ts, const CallArgs& call, Value* result) {
  return Find(ts, call, result, "find", false, false);
}
bool StrRfind(ThreadState& ts, const CallArgs& call, Value* result) {
  return Find(ts, call, result, "rfind", true, false);
}
bool StrIndex(ThreadState& ts, const CallArgs& call, Value* result) {
  return Find(ts, call, result, "index", false, true);
}
bool StrRindex(ThreadState& ts, const CallArgs& call, Value* result) {
  return Find(ts, call, result, "rindex", true, true);
}

bool StrCount(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!MethodArity(ts, call, "count", 1, 3) || !StrArg(ts, call.args[0])) return false;
  const StrObj* self = Self(call);
  const StrObj* sub = AsStr(call.args[0]);
  int64_t len = static_cast<int64_t>(self->Length()), start, end;
  if (!SearchRange(ts, call, len, &start, &end)) return false;
  if (start > end) {
    *result = Value::Int(0);
    return true;
  }
  if (sub->s.empty()) {
    *result = Value::Int(end - start + 1);
    return true;
  }
  size_t from = self->ByteOffset(start), to = self->ByteOffset(end);
  std::string_view hay = std::string_view(self->s).substr(from, to - from);
  int64_t n = 0;
  for (size_t at = hay.find(sub->s); at != std::string_view::npos;
       at = hay.find(sub->s, at + sub->s.size())) {
    ++n;
  }
  *result = Value::Int(n);
  return true;
}

// startswith / endswith: `prefix` a str or a tuple of strs, within self[start:end].
bool StartsEnds(ThreadState& ts, const CallArgs& call, Value* result, bool ends) {
  const char* name = ends ? "endswith" : "startswith";
  if (!MethodArity(ts, call, name, 1, 3)) return false;
  const StrObj* self = Self(call);
  int64_t len = static_cast<int64_t>(self->Length()), start, end;
  if (!SearchRange(ts, call, len, &start, &end)) return false;
  Value arg = call.args[0];
  std::vector<Value> options;
  if (IsType(arg, ObjType::kTuple)) {
    options = AsSeq(arg)->items;
  } else {
    options.push_back(arg);
  }
  for (Value option : options) {
    if (!IsType(option, ObjType::kStr)) {
      if (IsType(arg, ObjType::kTuple)) {
        return ts.Raise("TypeError", std::string("tuple for ") + name +
                                         " must only contain str, not " + TypeName(option));
      }
      return ts.Raise(
          "TypeError",
          std::string(name) + " first arg must be str or a tuple of str, not " + TypeName(option));
    }
    if (start > len) continue;
    const StrObj* p = AsStr(option);
    int64_t plen = static_cast<int64_t>(p->Length());
    if (end - start < plen) continue;
    size_t from = self->ByteOffset(ends ? end - plen : start);
    if (std::string_view(self->s).substr(from, p->s.size()) == p->s) {
      *result = Value::Bool(true);
      return true;
    }
  }
  *result = Value::Bool(false);
  return true;
}

bool StrStartswith(ThreadState& ts, const CallArgs& call, Value* result) {
  return StartsEnds(ts, call, result, false);
}
bool StrEndswith(ThreadState& ts, const CallArgs& call, Value* result) {
  return StartsEnds(ts, call, result, true);
}

// --- strip, split, partition, replace ----------------------------------------------------------

// strip/lstrip/rstrip: `chars` a str of code points to remove, or None for whitespace.
bool Strip(ThreadState& ts, const CallArgs& call, Value* result, const char* name, bool left,
           bool right) {
  if (!Arity(ts, call, name, 0, 1)) return false;
  Value chars = call.nargs ? call.args[0] : Value::None();
  if (!chars.is_none() && !IsType(chars, ObjType::kStr)) {
    return ts.Raise("TypeError", std::string(name) + " arg must be None or str");
  }
  std::u32string set = chars.is_none() ? U"" : Wide(AsStr(chars));
  auto strip = [&](uint32_t c) {
    return chars.is_none() ? IsSpaceCp(c) : set.find(static_cast<char32_t>(c)) != set.npos;
  };
  Units u(Self(call));
  size_t b = 0, e = u.size();
  while (left && b < e && strip(u[b])) ++b;
  while (right && e > b && strip(u[e - 1])) --e;
  size_t from = Self(call)->ByteOffset(b), to = Self(call)->ByteOffset(e);
  *result = MakeStr(Self(call)->s.substr(from, to - from));
  return true;
}

bool StrStrip(ThreadState& ts, const CallArgs& call, Value* result) {
  return Strip(ts, call, result, "strip", true, true);
}
bool StrLstrip(ThreadState& ts, const CallArgs& call, Value* result) {
  return Strip(ts, call, result, "lstrip", true, false);
}
bool StrRstrip(ThreadState& ts, const CallArgs& call, Value* result) {
  return Strip(ts, call, result, "rstrip", false, true);
}

// split()/rsplit()'s arguments: sep (None: runs of whitespace) and maxsplit (-1: no limit).
bool SplitArgs(ThreadState& ts, const CallArgs& call, const char* name, Value* sep,
               int64_t* maxsplit) {
  Value kw[2];
  if (!KeywordArgs(ts, call, name, {"sep", "maxsplit"}, kw)) return false;
  int npos = call.npositional();
  if (npos > 2) {
    return ts.Raise("TypeError", std::string(name) + "() takes at most 2 arguments (" +
                                     std::to_string(npos) + " given)");
  }
  *sep = npos >= 1 ? call.args[0] : kw[0].is_undefined() ? Value::None() : kw[0];
  Value m = npos >= 2 ? call.args[1] : kw[1];
  *maxsplit = -1;
  if (!m.is_undefined() && !IndexArg(ts, m, maxsplit)) return false;
  if (!sep->is_none() && !IsType(*sep, ObjType::kStr)) {
    return ts.Raise("TypeError", std::string("must be str or None, not ") + TypeName(*sep));
  }
  if (!sep->is_none() && AsStr(*sep)->s.empty()) return ts.Raise("ValueError", "empty separator");
  return true;
}

// Splits at runs of whitespace, from the left or (rsplit) the right, at most maxsplit times.
std::vector<Value> SplitWhitespace(const StrObj* self, int64_t maxsplit, bool from_right) {
  Units u(self);
  std::vector<std::pair<size_t, size_t>> pieces;  // code-point ranges
  int64_t n = static_cast<int64_t>(u.size());
  if (!from_right) {
    int64_t i = 0;
    while (i < n) {
      while (i < n && IsSpaceCp(u[i])) ++i;
      if (i == n) break;
      if (maxsplit >= 0 && static_cast<int64_t>(pieces.size()) == maxsplit) {
        pieces.emplace_back(i, n);  // the rest keeps its trailing whitespace
        break;
      }
      int64_t start = i;
      while (i < n && !IsSpaceCp(u[i])) ++i;
      pieces.emplace_back(start, i);
    }
  } else {
    int64_t i = n;
    while (i > 0) {
      while (i > 0 && IsSpaceCp(u[i - 1])) --i;
      if (i == 0) break;
      if (maxsplit >= 0 && static_cast<int64_t>(pieces.size()) == maxsplit) {
        pieces.emplace_back(0, i);  // the rest keeps its leading whitespace
        break;
      }
      int64_t end = i;
      while (i > 0 && !IsSpaceCp(u[i - 1])) --i;
      pieces.emplace_back(i, end);
    }
    std::reverse(pieces.begin(), pieces.end());
  }
  std::vector<Value> parts;
  for (auto [b, e] : pieces) {
    size_t from = self->ByteOffset(b), to = self->ByteOffset(e);
    parts.push_back(MakeStr(self->s.substr(from, to - from)));
  }
  return parts;
}

// Splits at each `sep` (UTF-8 bytes match as code points do), at most maxsplit times.
std::vector<Value> SplitAt(const std::string& s, const std::string& sep, int64_t maxsplit,
                           bool from_right) {
  std::vector<Value> parts;
  if (!from_right) {
    size_t start = 0, pos;
    while ((maxsplit < 0 || static_cast<int64_t>(parts.size()) < maxsplit) &&
           (pos = s.find(sep, start)) != std::string::npos) {
      parts.push_back(MakeStr(s.substr(start, pos - start)));
      start = pos + sep.size();
    }
    parts.push_back(MakeStr(s.substr(start)));
    return parts;
  }
  size_t end = s.size();
  while (maxsplit < 0 || static_cast<int64_t>(parts.size()) < maxsplit) {
    if (end < sep.size()) break;
    size_t pos = s.rfind(sep, end - sep.size());
    if (pos == std::string::npos) break;
    parts.push_back(MakeStr(s.substr(pos + sep.size(), end - pos - sep.size())));
    end = pos;
  }
  parts.push_back(MakeStr(s.substr(0, end)));
  std::reverse(parts.begin(), parts.end());
  return parts;
}

bool Split(ThreadState& ts, const CallArgs& call, Value* result, bool from_right) {
  Value sep;
  int64_t maxsplit;
  if (!SplitArgs(ts, call, from_right ? "rsplit" : "split", &sep, &maxsplit)) return false;
  *result = MakeList(sep.is_none() ? SplitWhitespace(Self(call), maxsplit, from_right)
                                   : SplitAt(Self(call)->s, AsStr(sep)->s, maxsplit, from_right));
  return true;
}

bool StrSplit(ThreadState& ts, const CallArgs& call, Value* result) {
  return Split(ts, call, result, false);
}
bool StrRsplit(ThreadState& ts, const CallArgs& call, Value* result) {
  return Split(ts, call, result, true);
}

bool StrSplitlines(ThreadState& ts, const CallArgs& call, Value* result) {
  Value kw;
  if (!KeywordArgs(ts, call, "splitlines", {"keepends"}, &kw)) return false;
  if (call.npositional() > 1) {
    return ts.Raise("TypeError", "splitlines() takes at most 1 argument (" +
                                     std::to_string(call.npositional()) + " given)");
  }
  Value keep_v = call.npositional() ? call.args[0] : kw;
  if (keep_v.is_float()) {
    return ts.Raise("TypeError", "'float' object cannot be interpreted as an integer");
  }
  bool keep = !keep_v.is_undefined() && IsTruthy(keep_v);
  const StrObj* self = Self(call);
  Units u(self);
  std::vector<Value> lines;
  size_t n = u.size(), i = 0;
  while (i < n) {
    size_t start = i;
    while (i < n && !IsLineBreak(u[i])) ++i;
    size_t eol = i;
    if (i < n) i += (u[i] == '\r' && i + 1 < n && u[i + 1] == '\n') ? 2 : 1;
    size_t from = self->ByteOffset(start), to = self->ByteOffset(keep ? i : eol);
    lines.push_back(MakeStr(self->s.substr(from, to - from)));
  }
  *result = MakeList(std::move(lines));
  return true;
}

bool Partition(ThreadState& ts, const CallArgs& call, Value* result, bool last) {
  if (!Arity(ts, call, last ? "rpartition" : "partition", 1, 1)) return false;
  if (!StrArg(ts, call.args[0])) return false;
  const std::string& s = Self(call)->s;
  const std::string& sep = AsStr(call.args[0])->s;
  if (sep.empty()) return ts.Raise("ValueError", "empty separator");
  size_t at = last ? s.rfind(sep) : s.find(sep);
  if (at == std::string::npos) {
    Incref(call.self);
    *result = last ? MakeTuple({MakeStr(""), MakeStr(""), call.self})
                   : MakeTuple({call.self, MakeStr(""), MakeStr("")});
    return true;
  }
  Incref(call.args[0]);
  *result = MakeTuple({MakeStr(s.substr(0, at)), call.args[0], MakeStr(s.substr(at + sep.size()))});
  return true;
}

bool StrPartition(ThreadState& ts, const CallArgs& call, Value* result) {
  return Partition(ts, call, result, false);
}
bool StrRpartition(ThreadState& ts, const CallArgs& call, Value* result) {
  return Partition(ts, call, result, true);
}

bool StrReplace(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!Arity(ts, call, "replace", 2, 3)) return false;
  if (!StrArg(ts, call.args[0], "replace() argument 1 must be str, not ") ||
      !StrArg(ts, call.args[1], "replace() argument 2 must be str, not ")) {
    return false;
  }
  int64_t count = -1;
  if (call.nargs == 3 && !IndexArg(ts, call.args[2], &count)) return false;
  const StrObj* self = Self(call);
  const std::string& old_s = AsStr(call.args[0])->s;
  const std::string& new_s = AsStr(call.args[1])->s;
  std::string out;
  if (old_s.empty()) {  // before every code point and at the end
    int64_t done = 0;
    size_t i = 0;
    for (; i < self->s.size(); ++done) {
      if (count >= 0 && done >= count) break;
      out += new_s;
      size_t j = i;
      utf8::DecodeLenient(self->s, &j);
      out.append(self->s, i, j - i);
      i = j;
    }
    if (i < self->s.size()) {
      out.append(self->s, i, std::string::npos);
    } else if (count < 0 || done < count) {
      out += new_s;
    }
  } else {
    size_t start = 0, pos;
    int64_t done = 0;
    while ((count < 0 || done < count) && (pos = self->s.find(old_s, start)) != std::string::npos) {
      out.append(self->s, start, pos - start);
      out += new_s;
      start = pos + old_s.size();
      ++done;
    }
    out.append(self->s, start, std::string::npos);
  }
  *result = MakeStr(std::move(out));
  return true;
}

// --- case
// -----------------------------------------------------------------------------------------

enum class CaseOp { kUpper, kLower, kSwap, kTitle, kCapitalize };

Value MapCase(const StrObj* self, CaseOp op) {
  std::u32string in = Wide(self), out;
  bool prev_cased = false;
  for (size_t i = 0; i < in.size(); ++i) {
    uint32_t c = in[i];
    bool upper;
    switch (op) {
      case CaseOp::kUpper:
        upper = true;
        break;
      case CaseOp::kLower:
        upper = false;
        break;
      case CaseOp::kSwap:
        upper = !IsUpperCp(c);
        if (!IsCasedCp(c)) upper = false;
        break;
      case CaseOp::kTitle:
        upper = !prev_cased;
        prev_cased = IsCasedCp(c);
        break;
      case CaseOp::kCapitalize:
        upper = i == 0;
        break;
    }
    if (upper) {
      AppendUpper(c, &out);
    } else if (op == CaseOp::kLower && c == 0x3A3) {
      // Final sigma: Σ at the end of a word lowers to ς.
      bool before = i > 0 && IsCasedCp(in[i - 1]);
      bool after = i + 1 < in.size() && IsCasedCp(in[i + 1]);
      out.push_back(before && !after ? 0x3C2 : 0x3C3);
    } else {
      out.push_back(ToLowerCp(c));
    }
  }
  return StrFromUnits(out);
}

bool CaseMethod(ThreadState& ts, const CallArgs& call, Value* result, const char* name, CaseOp op) {
  if (!Arity(ts, call, name, 0, 0)) return false;
  *result = MapCase(Self(call), op);
  return true;
}

bool StrUpper(ThreadState& ts, const CallArgs& call, Value* result) {
  return CaseMethod(ts, call, result, "upper", CaseOp::kUpper);
}
bool StrLower(ThreadState& ts, const CallArgs& call, Value* result) {
  return CaseMethod(ts, call, result, "lower", CaseOp::kLower);
}
bool StrSwapcase(ThreadState& ts, const CallArgs& call, Value* result) {
  return CaseMethod(ts, call, result, "swapcase", CaseOp::kSwap);
}
bool StrTitle(ThreadState& ts, const CallArgs& call, Value* result) {
  return CaseMethod(ts, call, result, "title", CaseOp::kTitle);
}
bool StrCapitalize(ThreadState& ts, const CallArgs& call, Value* result) {
  return CaseMethod(ts, call, result, "capitalize", CaseOp::kCapitalize);
}

// --- padding
// --------------------------------------------------------------------------------------

// ljust / rjust / center: (width[, fillchar]).
bool Justify(ThreadState& ts, const CallArgs& call, Value* result, const char* name, int how) {
  if (!Arity(ts, call, name, 1, 2)) return false;
  int64_t width;
  if (!IndexArg(ts, call.args[0], &width)) return false;
  std::string fill = " ";
  if (call.nargs == 2) {
    Value f = call.args[1];
    if (!IsType(f, ObjType::kStr)) {
      return ts.Raise("TypeError", std::string("The fill character must be a unicode character, "
                                               "not ") +
                                       TypeName(f));
    }
    if (AsStr(f)->Length() != 1) {
      return ts.Raise("TypeError", "The fill character must be exactly one character long");
    }
    fill = AsStr(f)->s;
  }
  const StrObj* self = Self(call);
  int64_t len = static_cast<int64_t>(self->Length());
  if (width <= len) {
    Incref(call.self);
    *result = call.self;
    return true;
  }
  int64_t marg = width - len, left;
  if (how < 0) {
    left = 0;
  } else if (how > 0) {
    left = marg;
  } else {
    left = marg / 2 + (marg & width & 1);
  }
  std::string out;
  for (int64_t i = 0; i < left; ++i) out += fill;
  out += self->s;
  for (int64_t i = 0; i < marg - left; ++i) out += fill;
  *result = MakeStr(std::move(out));
  return true;
}

bool StrLjust(ThreadState& ts, const CallArgs& call, Value* result) {
  return Justify(ts, call, result, "ljust", -1);
}
bool StrRjust(ThreadState& ts, const CallArgs& call, Value* result) {
  return Justify(ts, call, result, "rjust", 1);
}
bool StrCenter(ThreadState& ts, const CallArgs& call, Value* result) {
  return Justify(ts, call, result, "center", 0);
}

bool StrZfill(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!Arity(ts, call, "zfill", 1, 1)) return false;
  int64_t width;
  if (!IndexArg(ts, call.args[0], &width)) return false;
  const StrObj* self = Self(call);
  int64_t len = static_cast<int64_t>(self->Length());
  if (width <= len) {
    Incref(call.self);
    *result = call.self;
    return true;
  }
  std::string out = self->s;
  size_t at = (!out.empty() && (out[0] == '+' || out[0] == '-')) ? 1 : 0;
  out.insert(at, static_cast<size_t>(width - len), '0');
  *result = MakeStr(std::move(out));
  return true;
}

// --- character classes
// ----------------------------------------------------------------------------

// True when the str is non-empty and every code point passes `test`.
bool AllOf(ThreadState& ts, const CallArgs& call, Value* result, const char* name,
           bool (*test)(uint32_t)) {
  if (!Arity(ts, call, name, 0, 0)) return false;
  Units u(Self(call));
  bool all = u.size() > 0;
  for (size_t i = 0; i < u.size() && all; ++i) all = test(u[i]);
  *result = Value::Bool(all);
  return true;
}

bool IsAlnumCp(uint32_t c) { return IsAlphaCp(c) || IsNumericCp(c); }

bool StrIsdigit(ThreadState& ts, const CallArgs& call, Value* result) {
  return AllOf(ts, call, result, "isdigit", IsDigitCp);
}
bool StrIsdecimal(ThreadState& ts, const CallArgs& call, Value* result) {
  return AllOf(ts, call, result, "isdecimal", IsDecimalCp);
}
bool StrIsnumeric(ThreadState& ts, const CallArgs& call, Value* result) {
  return AllOf(ts, call, result, "isnumeric", IsNumericCp);
}
bool StrIsalpha(ThreadState& ts, const CallArgs& call, Value* result) {
  return AllOf(ts, call, result, "isalpha", IsAlphaCp);
}
bool StrIsalnum(ThreadState& ts, const CallArgs& call, Value* result) {
  return AllOf(ts, call, result, "isalnum", IsAlnumCp);
}
bool StrIsspace(ThreadState& ts, const CallArgs& call, Value* result) {
  return AllOf(ts, call, result, "isspace", IsSpaceCp);
}

// isupper / islower: at least one cased code point, and none of the other case.
bool CaseTest(ThreadState& ts, const CallArgs& call, Value* result, const char* name,
              bool want_upper) {
  if (!Arity(ts, call, name, 0, 0)) return false;
  Units u(Self(call));
  bool cased = false, ok = true;
  for (size_t i = 0; i < u.size() && ok; ++i) {
    uint32_t c = u[i];
    if (want_upper ? IsLowerCp(c) : IsUpperCp(c)) ok = false;
    if (want_upper ? IsUpperCp(c) : IsLowerCp(c)) cased = true;
  }
  *result = Value::Bool(ok && cased);
  return true;
}

bool StrIsupper(ThreadState& ts, const CallArgs& call, Value* result) {
  return CaseTest(ts, call, result, "isupper", true);
}
bool StrIslower(ThreadState& ts, const CallArgs& call, Value* result) {
  return CaseTest(ts, call, result, "islower", false);
}

}  // namespace

std::vector<std::pair<const char*, NativeFn>> StrMethods() {
  return {{"split", StrSplit},         {"rsplit", StrRsplit},       {"splitlines", StrSplitlines},
          {"strip", StrStrip},         {"lstrip", StrLstrip},       {"rstrip", StrRstrip},
          {"find", StrFind},           {"rfind", StrRfind},         {"index", StrIndex},
          {"rindex", StrRindex},       {"count", StrCount},         {"startswith", StrStartswith},
          {"endswith", StrEndswith},   {"partition", StrPartition}, {"rpartition", StrRpartition},
          {"replace", StrReplace},     {"upper", StrUpper},         {"lower", StrLower},
          {"swapcase", StrSwapcase},   {"title", StrTitle},         {"capitalize", StrCapitalize},
          {"ljust", StrLjust},         {"rjust", StrRjust},         {"center", StrCenter},
          {"zfill", StrZfill},         {"isdigit", StrIsdigit},     {"isdecimal", StrIsdecimal},
          {"isnumeric", StrIsnumeric}, {"isalpha", StrIsalpha},     {"isalnum", StrIsalnum},
          {"isspace", StrIsspace},     {"isupper", StrIsupper},     {"islower", StrIslower}};
}

}  // namespace gilbench::vm
