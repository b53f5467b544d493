// The `subinterp` GIL policy: one GIL per thread (PEP 684 style). The protocol is at the top of
// subinterp_gil.cc.
#pragma once

#include "gil/gil.h"

namespace gilbench::gil {

class SubinterpGil final : public Gil {
 public:
  explicit SubinterpGil(const GilConfig& config) : Gil(config) {}

  void Acquire(GilThread* self) override;
  void Release(GilThread* self) override;
  void OnEvalBreaker(GilThread* self) override;

  const char* PolicyName() const override { return "subinterp"; }
};

}  // namespace gilbench::gil
