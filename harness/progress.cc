// Progress lines on stderr (progress.h).
#include "harness/progress.h"

#include <regex.h>

#include <cstdio>

namespace gilbench::harness {

void Progress::SetTotal(const std::vector<std::string>& registered, const std::string& filter,
                        int runs_each) {
  std::string pattern = filter.empty() || filter == "all" ? "." : filter;
  const bool negative = pattern[0] == '-';
  if (negative) pattern = pattern.substr(1);
  // POSIX extended regexes, as the library's own filter (and no exceptions, unlike std::regex).
  regex_t re;
  if (regcomp(&re, pattern.c_str(), REG_EXTENDED | REG_NOSUB) != 0) {
    // The library reports the bad filter itself.
    total_ = static_cast<int>(registered.size()) * runs_each;
    return;
  }
  total_ = 0;
  for (const std::string& name : registered) {
    const bool match = regexec(&re, name.c_str(), 0, nullptr, 0) == 0;
    if (match != negative) total_ += runs_each;
  }
  regfree(&re);
}

void Progress::Started(const std::string& name) {
  if (name == last_) return;
  last_ = name;
  ++started_;
  std::fprintf(stderr, "[%d/%d] %s\n", started_, total_, name.c_str());
}

}  // namespace gilbench::harness
