// The `subinterp` GIL policy: one GIL per thread (PEP 684 style). The protocol is at the top of
// subinterp_gil.cc.
#pragma once

#include "gil/gil.h"

namespace gilbench::gil {

class SubinterpGil final : public Gil {
 public:
  explicit SubinterpGil(const GilConfig& config) : Gil(config) {}

  // The thread's own lock is held from Acquire to Release, across calls: -Wthread-safety checks
  // locks within a function, so these two are exempt (the own_held checks catch misuse instead).
  void DoAcquire(GilThread* self) override NO_THREAD_SAFETY_ANALYSIS;
  void DoRelease(GilThread* self) override NO_THREAD_SAFETY_ANALYSIS;
  void OnEvalBreaker(GilThread* self) override;

  const char* PolicyName() const override { return "subinterp"; }
};

}  // namespace gilbench::gil
