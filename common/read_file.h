// Reading a whole input file with its errors reported, where std::ifstream would hide them: it
// opens a directory without complaint and reads it as empty, so a workload file that is a
// directory (or one whose read fails) would load as an empty program.
#pragma once

#include <string>

namespace gilbench::common {

// Reads all of `path` into *text; false with a one-line *error ("w/x.py: Is a directory").
bool ReadFile(const std::string& path, std::string* text, std::string* error);

}  // namespace gilbench::common
