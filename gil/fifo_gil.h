// The `fifo` GIL policy: fair, first come first served, with direct handoff. The protocol is at
// the top of fifo_gil.cc (and of handoff_gil.cc, whose mechanism it uses).
#pragma once

#include "gil/gil.h"
#include "gil/handoff_gil.h"

namespace gilbench::gil {

class FifoGil final : public HandoffGil {
 public:
  explicit FifoGil(const GilConfig& config) : HandoffGil(config) {}
  const char* PolicyName() const override { return "fifo"; }

 protected:
  int LineOf(const GilThread* self) const override;
  bool AsksAtOnce(const GilThread* self, const GilThread* holder) const override;
  void OnDrop(GilThread* self, bool voluntary) override;
};

}  // namespace gilbench::gil
