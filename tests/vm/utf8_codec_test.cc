// Tests of the strict UTF-8 codec (vm/utf8_codec.h): every message below is the one CPython
// 3.11 gives (str(e) of the UnicodeDecodeError / UnicodeEncodeError), checked with
// /usr/bin/python3, since the differential tests compare the last line of stderr.
#include "vm/utf8_codec.h"

#include <gtest/gtest.h>

#include <string>

namespace gilbench::vm {
namespace {

// "" when `bytes` decode, else the error message.
std::string DecodeError(const std::string& bytes) {
  std::string message;
  return CheckUtf8Decodable(bytes, &message) ? "" : message;
}

std::string EncodeError(const std::string& text) {
  std::string message;
  return CheckUtf8Encodable(text, &message) ? "" : message;
}

TEST(Utf8CodecTest, DecodesWellFormedUtf8) {
  EXPECT_EQ(DecodeError(""), "");
  EXPECT_EQ(DecodeError("plain ascii"), "");
  EXPECT_EQ(DecodeError("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"), "");
  EXPECT_EQ(DecodeError("\xed\x9f\xbf \xee\x80\x80 \xf4\x8f\xbf\xbf"), "");  // around the gaps
}

TEST(Utf8CodecTest, RefusesWhatCPythonRefusesWithItsMessages) {
  const std::pair<std::string, std::string> kCases[] = {
      {"\xff", "byte 0xff in position 0: invalid start byte"},
      {"\x80", "byte 0x80 in position 0: invalid start byte"},
      {"\xc0\x80", "byte 0xc0 in position 0: invalid start byte"},  // overlong, two bytes
      {"\xc3\x28", "byte 0xc3 in position 0: invalid continuation byte"},
      {"\xe2\x82", "bytes in position 0-1: unexpected end of data"},
      {"\xe2\x82\x28", "bytes in position 0-1: invalid continuation byte"},
      {"\xed\xa0\x80", "byte 0xed in position 0: invalid continuation byte"},  // a surrogate
      {"\xe0\x80\x80", "byte 0xe0 in position 0: invalid continuation byte"},  // overlong
      {"\xf0\x80\x80\x80", "byte 0xf0 in position 0: invalid continuation byte"},
      {"\xf4\x90\x80\x80", "byte 0xf4 in position 0: invalid continuation byte"},  // > U+10FFFF
      {"\xf0\x9f\x98", "bytes in position 0-2: unexpected end of data"},
      {"ab\xf0\x9f\x98", "bytes in position 2-4: unexpected end of data"},
      {"\xf5", "byte 0xf5 in position 0: invalid start byte"},
      {"a\xc3", "byte 0xc3 in position 1: unexpected end of data"},
      {"ok\xe2\x82\xac\xff", "byte 0xff in position 5: invalid start byte"},
      {"\xf0\x9f\x98\x80\x80", "byte 0x80 in position 4: invalid start byte"},
  };
  for (const auto& [bytes, message] : kCases) {
    EXPECT_EQ(DecodeError(bytes), "'utf-8' codec can't decode " + message) << bytes;
  }
}

TEST(Utf8CodecTest, EncodesTextWithoutSurrogates) {
  EXPECT_EQ(EncodeError(""), "");
  EXPECT_EQ(EncodeError("caf\xc3\xa9 \xf0\x9f\x98\x80"), "");
  EXPECT_EQ(EncodeError("\xed\x9f\xbf \xee\x80\x80"), "");  // U+D7FF and U+E000 are no surrogates
}

// A str holds a lone surrogate ("\ud800") as the three bytes ED A0 80; positions count code
// points, and a run of surrogates is reported whole.
TEST(Utf8CodecTest, RefusesSurrogatesWithCPythonsMessages) {
  const std::pair<std::string, std::string> kCases[] = {
      {"\xed\xa0\x80", "character '\\ud800' in position 0"},
      {"a\xed\xb2\x80z", "character '\\udc80' in position 1"},
      {"\xed\xa0\x80\xed\xb0\x80", "characters in position 0-1"},
      {"xy\xed\xa0\xbd\xed\xb8\x80z", "characters in position 2-3"},
      {"\xc3\xa9\xed\xa0\x80", "character '\\ud800' in position 1"},
      {"\xf0\x9f\x98\x80\xed\xbf\xbf\xed\xa0\x80x", "characters in position 1-2"},
  };
  for (const auto& [text, message] : kCases) {
    EXPECT_EQ(EncodeError(text),
              "'utf-8' codec can't encode " + message + ": surrogates not allowed")
        << text;
  }
}

}  // namespace
}  // namespace gilbench::vm
