// --benchmark_filter as Google Benchmark 1.7.1 applies it, so that main can tell before the run
// whether the filter selects anything. The library itself only says so after it has opened (and
// emptied) the --benchmark_out file, and still exits 0; a CI job would then read an empty result
// as a pass. Matching here must agree with the library exactly, hence the same regex engine and
// flags (std::regex, POSIX extended, searched anywhere in the name) and the full instance names,
// suffix included (matrix.h kNameSuffix): a filter like 'real_time$' selects every row.
#pragma once

#include <string>
#include <vector>

namespace gilbench::harness {

// How many of `names` (the library's full benchmark names) `filter` selects: "" and "all" select
// every one, a leading '-' selects those the rest does not match. False with *error (the regex's
// complaint) when the regex does not compile.
bool CountFilterMatches(const std::string& filter, const std::vector<std::string>& names,
                        int* count, std::string* error);

}  // namespace gilbench::harness
