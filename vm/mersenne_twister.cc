// MT19937 (see mersenne_twister.h), after the reference algorithm of Matsumoto and Nishimura,
// which CPython's _randommodule.c also follows.
#include "vm/mersenne_twister.h"

namespace gilbench::vm {
namespace {
constexpr int kM = 397;
constexpr uint32_t kMatrixA = 0x9908b0dfu;
constexpr uint32_t kUpperMask = 0x80000000u;
constexpr uint32_t kLowerMask = 0x7fffffffu;
}  // namespace

void MersenneTwister::InitGenrand(uint32_t seed) {
  state_[0] = seed;
  for (int i = 1; i < kN; ++i) {
    state_[i] = 1812433253u * (state_[i - 1] ^ (state_[i - 1] >> 30)) + static_cast<uint32_t>(i);
  }
  index_ = kN;
}

void MersenneTwister::InitByArray(const std::vector<uint32_t>& key) {
  InitGenrand(19650218u);
  const int length = static_cast<int>(key.size());
  int i = 1, j = 0;
  for (int k = kN > length ? kN : length; k > 0; --k) {
    state_[i] = (state_[i] ^ ((state_[i - 1] ^ (state_[i - 1] >> 30)) * 1664525u)) + key[j] +
                static_cast<uint32_t>(j);
    ++i;
    ++j;
    if (i >= kN) {
      state_[0] = state_[kN - 1];
      i = 1;
    }
    if (j >= length) j = 0;
  }
  for (int k = kN - 1; k > 0; --k) {
    state_[i] = (state_[i] ^ ((state_[i - 1] ^ (state_[i - 1] >> 30)) * 1566083941u)) -
                static_cast<uint32_t>(i);
    ++i;
    if (i >= kN) {
      state_[0] = state_[kN - 1];
      i = 1;
    }
  }
  state_[0] = 0x80000000u;  // a non-zero initial state is assured
  index_ = kN;
}

uint32_t MersenneTwister::Next() {
  if (index_ >= kN) {
    if (index_ == kN + 1) InitGenrand(5489u);
    int k = 0;
    auto twist = [&](int next, int far) {
      uint32_t y = (state_[k] & kUpperMask) | (state_[next] & kLowerMask);
      state_[k] = state_[far] ^ (y >> 1) ^ ((y & 1u) ? kMatrixA : 0u);
    };
    for (; k < kN - kM; ++k) twist(k + 1, k + kM);
    for (; k < kN - 1; ++k) twist(k + 1, k + (kM - kN));
    twist(0, kM - 1);
    index_ = 0;
  }
  uint32_t y = state_[index_++];
  y ^= y >> 11;
  y ^= (y << 7) & 0x9d2c5680u;
  y ^= (y << 15) & 0xefc60000u;
  y ^= y >> 18;
  return y;
}

}  // namespace gilbench::vm
