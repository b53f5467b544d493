// UTF-8 as gilvm's strings hold it, in one place for the lexer, the runtime and the formatter.
// A str is stored as UTF-8 bytes that may also hold lone surrogates (from "\ud800" escapes, as
// CPython's str can), so there are two decoders: a strict one for source text, where anything
// malformed is an error, and a lenient one for text already in a str, which must never fail. The
// codec behind bytes.decode() and str.encode(), with CPython's error messages, is utf8_codec.h.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace gilbench::vm::utf8 {

// Appends code point `cp` (at most 0x10FFFF; surrogates included) as UTF-8.
inline void Append(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

inline std::string Encode(uint32_t cp) {
  std::string out;
  Append(cp, &out);
  return out;
}

// Strict: the length of the well-formed sequence at s[i] (no overlong form, no surrogate,
// nothing above U+10FFFF) and its code point in *cp, or 0 when it is malformed. For source text.
inline int DecodeStrict(std::string_view s, size_t i, uint32_t* cp) {
  const auto c = static_cast<unsigned char>(s[i]);
  const int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (len == 0 || i + len > s.size()) return 0;
  uint32_t value = len == 1 ? c : c & (0x7F >> len);
  for (int k = 1; k < len; ++k) {
    const auto cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80) return 0;
    value = (value << 6) | (cc & 0x3F);
  }
  constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (value < kMin[len] || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return 0;
  *cp = value;
  return len;
}

// Lenient: the code point at s[*i], advancing *i past it. A lone continuation byte or a sequence
// cut short by the end of the text decodes as its first byte, so no text fails to decode. For
// the text of a str (surrogates included).
inline uint32_t DecodeLenient(std::string_view s, size_t* i) {
  const auto c = static_cast<unsigned char>(s[*i]);
  const size_t extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
  if (extra == 0 || *i + extra >= s.size()) {
    ++*i;
    return c;
  }
  uint32_t cp = c & (0x3Fu >> extra);
  for (size_t k = 1; k <= extra; ++k)
    cp = (cp << 6) | (static_cast<unsigned char>(s[*i + k]) & 0x3Fu);
  *i += extra + 1;
  return cp;
}

// Every code point of `s`, decoded leniently.
inline std::u32string DecodeAllLenient(std::string_view s) {
  std::u32string out;
  for (size_t i = 0; i < s.size();) out.push_back(DecodeLenient(s, &i));
  return out;
}

}  // namespace gilbench::vm::utf8
