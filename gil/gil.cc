// MakeGil: builds a GIL policy by the name the user gave (gilvm --gil=..., gilbench
// --policies=...). Names of policies that are designed but not built yet get their own message, so
// a user can tell a typo from a missing feature.
#include "gil/gil.h"

#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "gil/py3_gil.h"

namespace gilbench::gil {
namespace {

// Every policy name the design knows (shared/DESIGN.md), built or not, in the order the error
// message lists them.
constexpr std::array<std::string_view, 5> kPolicyNames = {"py2", "py3", "fifo", "prio",
                                                          "subinterp"};

bool IsKnownPolicy(const std::string& name) {
  for (std::string_view known : kPolicyNames) {
    if (name == known) return true;
  }
  return false;
}

std::unique_ptr<Gil> Fail(std::string message, std::string* error) {
  if (error != nullptr) *error = std::move(message);
  return nullptr;
}

}  // namespace

std::unique_ptr<Gil> MakeGil(const GilConfig& config, std::string* error) {
  if (!IsKnownPolicy(config.policy)) {
    return Fail(
        "unknown GIL policy '" + config.policy + "' (choose py2, py3, fifo, prio, subinterp)",
        error);
  }
  if (config.policy != "py3") {
    return Fail("GIL policy '" + config.policy + "' is not built yet", error);
  }
  if (config.switch_interval_us < 1) {
    return Fail(
        "switch interval must be at least 1 us, got " + std::to_string(config.switch_interval_us),
        error);
  }
  if (error != nullptr) error->clear();
  return std::make_unique<Py3Gil>(config);
}

}  // namespace gilbench::gil
