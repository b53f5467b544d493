// The `prio` GIL policy: Beazley's 2010 priority proposal (I/O-bound threads first). The protocol
// is at the top of prio_gil.cc (and of handoff_gil.cc, whose mechanism it uses).
#pragma once

#include "gil/gil.h"
#include "gil/handoff_gil.h"

namespace gilbench::gil {

class PrioGil final : public HandoffGil {
 public:
  explicit PrioGil(const GilConfig& config) : HandoffGil(config) {}
  const char* PolicyName() const override { return "prio"; }

 protected:
  int LineOf(const GilThread* self) const override;
  bool AsksAtOnce(const GilThread* self, const GilThread* holder) const override;
  void OnDrop(GilThread* self, bool voluntary) override;
};

}  // namespace gilbench::gil
