// The strict UTF-8 codec behind bytes.decode() and str.encode(): which byte sequences CPython's
// 'utf-8' codec refuses, and its exact UnicodeDecodeError / UnicodeEncodeError messages.
#pragma once

#include <string>
#include <string_view>

namespace gilbench::vm {

// True when `bytes` is well-formed UTF-8 (no overlong form, no surrogate, nothing above
// U+10FFFF). Otherwise false, with CPython's message for the first bad sequence in *message:
// "'utf-8' codec can't decode byte 0xff in position 0: invalid start byte" (also "invalid
// continuation byte", and "bytes in position 3-4: unexpected end of data").
bool CheckUtf8Decodable(std::string_view bytes, std::string* message);

// True when the text of a str (UTF-8 that may hold lone surrogates, from "\ud800" escapes) can
// be encoded. Otherwise false with CPython's message for the first run of surrogates, counted in
// code points: "'utf-8' codec can't encode character '\ud800' in position 0: surrogates not
// allowed" (or "characters in position 2-3").
bool CheckUtf8Encodable(std::string_view text, std::string* message);

}  // namespace gilbench::vm
