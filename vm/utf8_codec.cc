// The strict UTF-8 codec's checks, following CPython 3.11's decoder (Objects/stringlib/codecs.h)
// byte for byte: where a bad sequence starts and ends decides the message.
#include "vm/utf8_codec.h"

#include <cstdio>

namespace gilbench::vm {
namespace {

bool IsContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// The range of the second byte after `lead` that keeps the sequence well-formed: no overlong
// forms (E0, F0), no surrogates (ED), nothing above U+10FFFF (F4).
void SecondByteRange(unsigned char lead, unsigned char* low, unsigned char* high) {
  *low = lead == 0xE0 ? 0xA0 : lead == 0xF0 ? 0x90 : 0x80;
  *high = lead == 0xED ? 0x9F : lead == 0xF4 ? 0x8F : 0xBF;
}

std::string DecodeError(std::string_view bytes, size_t start, size_t end, const char* reason) {
  char buf[128];
  if (end == start + 1) {
    std::snprintf(buf, sizeof buf, "'utf-8' codec can't decode byte 0x%02x in position %zu: %s",
                  static_cast<unsigned char>(bytes[start]), start, reason);
  } else {
    std::snprintf(buf, sizeof buf, "'utf-8' codec can't decode bytes in position %zu-%zu: %s",
                  start, end - 1, reason);
  }
  return buf;
}

// A surrogate U+D800..U+DFFF, as the lexer stores one in a str: ED A0..BF 80..BF.
bool IsSurrogateAt(std::string_view text, size_t i) {
  return i + 2 < text.size() && static_cast<unsigned char>(text[i]) == 0xED &&
         static_cast<unsigned char>(text[i + 1]) >= 0xA0;
}

}  // namespace

bool CheckUtf8Decodable(std::string_view bytes, std::string* message) {
  size_t i = 0;
  while (i < bytes.size()) {
    auto lead = static_cast<unsigned char>(bytes[i]);
    if (lead < 0x80) {
      ++i;
      continue;
    }
    if (lead < 0xC2 || lead > 0xF4) {
      *message = DecodeError(bytes, i, i + 1, "invalid start byte");
      return false;
    }
    size_t length = lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    for (size_t k = 1; k < length; ++k) {
      if (i + k >= bytes.size()) {
        *message = DecodeError(bytes, i, bytes.size(), "unexpected end of data");
        return false;
      }
      auto c = static_cast<unsigned char>(bytes[i + k]);
      unsigned char low = 0x80, high = 0xBF;
      if (k == 1) SecondByteRange(lead, &low, &high);
      if (c < low || c > high) {
        // The bad byte is not part of the sequence: the error covers the bytes before it.
        *message = DecodeError(bytes, i, i + k, "invalid continuation byte");
        return false;
      }
    }
    i += length;
  }
  return true;
}

bool CheckUtf8Encodable(std::string_view text, std::string* message) {
  size_t position = 0;  // in code points
  for (size_t i = 0; i < text.size(); ++i) {
    if (IsContinuation(static_cast<unsigned char>(text[i]))) continue;
    if (!IsSurrogateAt(text, i)) {
      ++position;
      continue;
    }
    // CPython reports the whole run of surrogates that starts here.
    unsigned first = 0xD000 | ((static_cast<unsigned char>(text[i + 1]) & 0x3F) << 6) |
                     (static_cast<unsigned char>(text[i + 2]) & 0x3F);
    size_t end = position + 1;
    for (size_t j = i + 3; IsSurrogateAt(text, j); j += 3) ++end;
    char buf[128];
    if (end == position + 1) {
      std::snprintf(buf, sizeof buf,
                    "'utf-8' codec can't encode character '\\u%04x' in position %zu: surrogates "
                    "not allowed",
                    first, position);
    } else {
      std::snprintf(buf, sizeof buf,
                    "'utf-8' codec can't encode characters in position %zu-%zu: surrogates not "
                    "allowed",
                    position, end - 1);
    }
    *message = buf;
    return false;
  }
  return true;
}

}  // namespace gilbench::vm
