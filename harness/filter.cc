// The library's filter, replayed (filter.h).
#include "harness/filter.h"

#include <regex>

namespace gilbench::harness {

bool CountFilterMatches(const std::string& filter, const std::vector<std::string>& names,
                        int* count, std::string* error) {
  std::string pattern = filter.empty() || filter == "all" ? "." : filter;
  const bool negative = pattern[0] == '-';
  if (negative) pattern.erase(0, 1);
  // The library's Regex::Init and Match (re.h, HAVE_STD_REGEX, as Debian builds it); std::regex
  // reports a bad pattern only by throwing, so the exception stays inside this function.
  std::regex re;
  try {
    re = std::regex(pattern, std::regex_constants::extended);
  } catch (const std::regex_error& e) {
    *error = e.what();
    return false;
  }
  *count = 0;
  for (const std::string& name : names) {
    if (std::regex_search(name, re) != negative) ++*count;
  }
  return true;
}

}  // namespace gilbench::harness
