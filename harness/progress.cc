// Progress lines on stderr (progress.h).
#include "harness/progress.h"

#include <cstdio>

namespace gilbench::harness {

void Progress::Started(const std::string& name) {
  if (name == last_) return;
  last_ = name;
  ++started_;
  std::fprintf(stderr, "[%d/%d] %s\n", started_, total_, name.c_str());
}

}  // namespace gilbench::harness
