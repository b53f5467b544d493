// Progress lines on stderr (progress.h).
#include "harness/progress.h"

#include <cmath>
#include <cstdio>

namespace gilbench::harness {

double EstimatedRunSeconds(const std::string& size, int repetitions_in_a_row) {
  const double each = size == "full" ? 1.85 : size == "long" ? 0.9 : size == "tiny" ? 0.05 : 0.4;
  return each * (repetitions_in_a_row < 1 ? 1 : repetitions_in_a_row);
}

std::string Duration(double seconds) {
  const long s = std::lround(seconds < 0 ? 0 : seconds);
  char text[48];
  if (seconds < 10) {
    std::snprintf(text, sizeof text, "%.2g s", seconds < 0 ? 0.0 : seconds);
  } else if (s < 60) {
    std::snprintf(text, sizeof text, "%ld s", s);
  } else if (s < 3600) {
    std::snprintf(text, sizeof text, "%ld min %02ld s", s / 60, s % 60);
  } else {
    std::snprintf(text, sizeof text, "%ld h %02ld min", s / 3600, (s % 3600) / 60);
  }
  return text;
}

void Progress::Begin(int total, double seconds_each, const std::string& basis) {
  total_ = total;
  seconds_each_ = seconds_each;
  begun_ = std::chrono::steady_clock::now();
  std::fprintf(stderr, "gilbench: %d run%s, about %s (%s)\n", total, total == 1 ? "" : "s",
               Duration(total * seconds_each).c_str(), basis.c_str());
}

void Progress::Started(const std::string& name) {
  if (name == last_) return;
  last_ = name;
  ++started_;
  // Time left: the mean of the runs done so far, once there is one, else the first estimate.
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - begun_).count();
  const int done = started_ - 1;
  const double each = done > 0 ? elapsed / done : seconds_each_;
  std::fprintf(stderr, "[%d/%d] %s, about %s left\n", started_, total_, name.c_str(),
               Duration(each * (total_ - done)).c_str());
}

}  // namespace gilbench::harness
