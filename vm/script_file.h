// Finding and reading the script that gilvm runs, as `python3 PATH` does: PATH made absolute for
// messages and tracebacks, a directory run through its __main__.py, and every failure reported
// with CPython's message and exit status (a read error too, which CPython 3.11 would take for
// an empty file).
#pragma once

#include <string>

namespace gilbench::vm {

struct ScriptFile {
  std::string filename;  // as CPython shows it: "/cwd/prog.py", "/cwd/dir/__main__.py"
  std::string source;    // the file's bytes
};

// Reads the script named `path` on the command line into *script. On failure returns false with
// *error set to CPython's message (without the "python3: " prefix, e.g. "can't open file
// '/abs/x.py': [Errno 2] No such file or directory") and *status to CPython's exit status: 2 when
// a file cannot be opened or read, 1 for a directory with no __main__.py.
bool ReadScript(const std::string& path, ScriptFile* script, std::string* error, int* status);

}  // namespace gilbench::vm
