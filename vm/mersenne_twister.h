// MT19937, the generator behind CPython's random module (Modules/_randommodule.c): the same
// state, the same seeding (init_genrand, and init_by_array over a seed's 32-bit words) and the
// same outputs, so that a program seeded with an int draws CPython's numbers.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

namespace gilbench::vm {

class MersenneTwister {
 public:
  static constexpr int kN = 624;

  // Seeds from a single 32-bit value (Matsumoto and Nishimura's init_genrand).
  void InitGenrand(uint32_t seed);
  // Seeds from an array of 32-bit words (init_by_array), as CPython seeds from an int.
  void InitByArray(const std::vector<uint32_t>& key);
  // The next 32-bit output (genrand_uint32).
  uint32_t Next();
  // random.random(): 53 random bits from two outputs, in [0, 1).
  double NextDouble() {
    uint32_t a = Next() >> 5, b = Next() >> 6;
    return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
  }

 private:
  std::array<uint32_t, kN> state_{};
  int index_ = kN + 1;  // kN + 1: not seeded yet
};

}  // namespace gilbench::vm
